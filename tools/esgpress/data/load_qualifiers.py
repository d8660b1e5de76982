"""Read the qualifier words: the toolkit's ``qualifiers.yaml``, then ``data/qualifiers.yaml``.

A qualifier (``qualifier: over`` on a value in data/kpis.yaml) prints a word
before or after the figure, and says whether the figure itself is in the
range (以上 includes it, 超 does not). The words are data so a project can
add its own or change one edition's word without touching code; the
formatters print them and the tile check reads them back from typed text.
Problems are reported at ``file:line:col`` with the other data problems.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from ruamel.yaml.nodes import Node

from esgpress.core.errors import Problems
from esgpress.core.resources import toolkit_path
from esgpress.data.model import Qualifier
from esgpress.data.schema import Reader
from esgpress.data.yamlio import pos, read_document

#: Where a project extends the qualifiers, as problems name it.
QUALIFIERS_PATH = "data/qualifiers.yaml"
KEYS = ("includes", "position", "zh-Hans", "zh-Hant", "en", "also")
WORDS = ("zh-Hans", "zh-Hant", "en")
#: The editions whose sources writers type (content/zh is zh-Hans, content/en is en).
TYPED = ("zh-Hans", "en")
NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz_0123456789")


def load_qualifiers(root: Path, problems: Problems) -> dict[str, Qualifier]:
    """Return the qualifiers in force: the toolkit's, then the project's over them."""
    table = dict(toolkit_qualifiers())
    path = root / QUALIFIERS_PATH
    if path.is_file():
        table.update(read_qualifiers(path, QUALIFIERS_PATH, problems, table))
    return table


@functools.cache
def toolkit_qualifiers() -> dict[str, Qualifier]:
    """Read the toolkit's qualifiers once per process (package data does not change)."""
    problems = Problems()
    table = read_qualifiers(toolkit_path("qualifiers.yaml"), "esgpress:qualifiers.yaml", problems)
    problems.raise_if_errors()  # a broken installation, not a user mistake
    return table


def typed_qualifiers(table: Mapping[str, Qualifier], edition: str) -> dict[str, str]:
    """Map each word writers type before a figure in ``edition``'s sources to its qualifier.

    Only leading words: a figure typed with a trailing one (50人以上) is not
    read back. ``plus`` is the sign ``+``, which the readers match on their own.
    """
    return {word: name for name, q in table.items() if not q.suffix for word in q.typed(edition)}


def words_pattern(words: Iterable[str]) -> str:
    """Return a regex alternation of ``words``, longest first (超过 before 超)."""
    return "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))


def read_qualifiers(
    path: Path, display: str, problems: Problems, base: dict[str, Qualifier] | None = None
) -> dict[str, Qualifier]:
    """Read one qualifiers file; an entry named in ``base`` changes only the keys it gives."""
    mine = Problems()
    doc = read_document(path, display, mine)
    r = Reader(doc.path, mine)
    out: dict[str, Qualifier] = {}
    for name, (key, node) in (r.mapping(doc.root, "the qualifier file") or {}).items():
        if not name or not set(name) <= NAME_CHARS:
            r.error(key, f"qualifier name '{name}' should be lower-case letters, digits and _")
            continue
        entry = _read_one(r, name, node, (base or {}).get(name))
        if entry is not None:
            out[name] = replace(entry, line=pos(key)[0], col=pos(key)[1])
    problems.extend(mine)
    return out


def _read_one(r: Reader, name: str, node: Node, old: Qualifier | None) -> Qualifier | None:
    """Read one qualifier's keys over ``old`` (a new one needs every word and ``includes``)."""
    fields = r.mapping(node, name)
    if fields is None:
        return None
    r.keys(fields, name, KEYS, () if old else ("includes", *WORDS), node)
    words = {e: r.string(fields[e][1], f"{name}.{e}") for e in WORDS if e in fields}
    includes = (
        r.boolean(fields["includes"][1], f"{name}.includes") if "includes" in fields else None
    )
    position = (
        r.choice(fields["position"][1], f"{name}.position", ("before", "after"))
        if "position" in fields
        else None
    )
    also = dict(old.also) if old else {}
    if "also" in fields:
        typed = r.mapping(fields["also"][1], f"{name}.also") or {}
        r.keys(typed, f"{name}.also", TYPED)
        for edition, (_k, value) in typed.items():
            if edition in TYPED:
                also[edition] = r.strings(value, f"{name}.also.{edition}")
    if old is None:
        if None in (includes, *(words.get(e) for e in WORDS)):
            return None
        old = Qualifier("", "", "", False)
    return Qualifier(
        hans=words.get("zh-Hans") or old.hans,
        hant=words.get("zh-Hant") or old.hant,
        en=words.get("en") or old.en,
        includes=old.includes if includes is None else includes,
        suffix=old.suffix if position is None else position == "after",
        also=tuple(sorted(also.items())),
    )
