"""What OpenCC says about Chinese scripts, and what a glossary means on plain text.

The glossary (``data/glossary.yaml``) is data, but whether an entry is valid
depends on scripts: a phrase source must be Simplified, a character override
must map one Traditional character to another, a phrase target must have no
Simplified character left. The loader (:mod:`esgpress.data.load_glossary`)
can only check that with OpenCC and with the glossary's own conversion rules,
so both live here, below the editions stage; the Markdown-aware converter
(:mod:`esgpress.editions.converter`) wraps :class:`PlainConverter` with the
shielding of non-prose spans.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence

import opencc

#: OpenCC preset for Simplified → Traditional. ``s2tw`` gives the glyph set the
#: report uses (為 裡 著 啟 群 眾) without Taiwan vocabulary (that is ``s2twp``);
#: the few HK-specific glyphs (台 濕 污 鑒 匯) come from the glossary's
#: ``characters`` section. See docs/conversion.md for the measurement.
HANT_CONFIG = "s2tw"

#: OpenCC preset for Traditional → Simplified. ``tw2s`` first folds the Taiwan
#: glyph variants that the house style shares (著 as the aspect particle
#: becomes 着, as a Simplified writer would type it), which plain ``t2s``
#: leaves alone; it handles the HK glyphs (温 説 衞) as well.
HANS_CONFIG = "tw2s"

# Placeholders come from the top of Supplementary Private Use Area-B, which
# no font or input method in the report pipeline uses. OpenCC treats them as
# unknown single characters: it copies them through and never lets a phrase
# match across them, which is exactly the word boundary we need.
#: Stands for a shielded (non-prose) span.
FROZEN = "\U0010ff00"
#: Stands for a protected term or a glossary phrase.
TERM = "\U0010ff01"
#: Every placeholder character, should the input contain one.
RESERVED = re.compile("[\U0010ff00-\U0010ff0f]")

#: One CJK ideograph (basic, extensions, compatibility).
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def is_han(char: str) -> bool:
    """Tell whether ``char`` is a CJK ideograph (basic, extensions, compatibility).

    The round-trip measurement and the leak finder both count only ideographs:
    punctuation, digits and Latin text are outside OpenCC's scope.
    """
    return bool(HAN.fullmatch(char))


# The caches of this module are process-wide, outside the Remembered rule: each is
# keyed by immutable content alone (an OpenCC preset name, one character) whose
# answer comes from OpenCC's installed dictionaries, and is bounded by the few
# presets and the Han characters of the texts read.
@functools.cache
def _opencc(config: str) -> opencc.OpenCC:
    """Return a shared OpenCC converter; building one reads several dictionaries."""
    return opencc.OpenCC(config)


def cc(config: str, text: str) -> str:
    """Convert ``text`` with an OpenCC preset (``str`` in, ``str`` out)."""
    return str(_opencc(config).convert(text))


@functools.cache
def is_simplified_only(char: str) -> bool:
    """Tell whether ``char`` belongs to Simplified text only.

    OpenCC's own data decides: ``s2t`` changes the character and ``t2s`` does
    not. A character that OpenCC's ``t2hk`` or ``t2tw`` produces from its
    Traditional counterpart (台 from 臺, 温 from 溫) is a regional Traditional
    glyph, not a Simplified one, so it is excluded.
    """
    if not is_han(char) or cc("t2s", char) != char:
        return False
    trad = cc("s2t", char)
    return trad != char and char not in (cc("t2hk", trad), cc("t2tw", trad))


@functools.cache
def is_traditional_only(char: str) -> bool:
    """Tell whether ``char`` belongs to Traditional text only (the mirror rule)."""
    return is_han(char) and cc("t2s", char) != char and cc("s2t", char) == char


def unmask(text: str, mark: str, items: Sequence[str]) -> str:
    """Put ``items`` back, in order, where ``mark`` placeholders stand."""
    parts = text.split(mark)
    if len(parts) != len(items) + 1:  # OpenCC dropped or invented a placeholder
        raise RuntimeError(f"placeholder count changed: {len(parts) - 1} != {len(items)}")
    out = [parts[0]]
    for item, part in zip(items, parts[1:], strict=True):
        out.extend((item, part))
    return "".join(out)


class Terms:
    """Fixed outputs for exact substrings, matched longest first."""

    def __init__(self, table: dict[str, str]) -> None:
        self.table = table
        keys = sorted(table, key=lambda k: (-len(k), k))
        self.pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def mask(self, text: str) -> tuple[str, list[str]]:
        """Replace each match by a :data:`TERM` placeholder; return the outputs in order."""
        if self.pattern is None:
            return text, []
        outputs: list[str] = []

        def repl(match: re.Match[str]) -> str:
            outputs.append(self.table[match.group()])
            return TERM

        return self.pattern.sub(repl, text), outputs


class PlainConverter:
    """The glossary applied to plain prose: terms, then OpenCC, then house characters.

    Build one per glossary and reuse it: the match tables are compiled here,
    once, and the OpenCC objects are shared module-wide.
    """

    def __init__(
        self,
        protected: Iterable[str] = (),
        phrases: Mapping[str, str] | None = None,
        characters: Iterable[tuple[str, str, tuple[str, ...]]] = (),
        reverse_phrases: bool = False,
    ) -> None:
        """Compile the rules.

        Args:
            protected: terms copied verbatim in both directions.
            phrases: Simplified → Traditional fixes that win over OpenCC.
            characters: (OpenCC output character, house character, exception
                phrases where OpenCC's character is kept).
            reverse_phrases: also apply the phrases backwards (Traditional →
                Simplified) in :meth:`hans`, for a source written in Traditional.

        """
        kept = {term: term for term in protected}
        rules = list(characters)
        exceptions = {
            phrase: cc(HANT_CONFIG, phrase) for _, _, phrases_ in rules for phrase in phrases_
        }
        self.hant_terms = Terms({**exceptions, **(phrases or {}), **kept})
        backwards: dict[str, str] = {}
        if reverse_phrases:
            for simplified, traditional in (phrases or {}).items():
                backwards.setdefault(traditional, simplified)
        self.hans_terms = Terms({**backwards, **kept})
        self.char_table = str.maketrans({char: target for char, target, _ in rules})

    def hant(self, text: str, words: Callable[[str], Iterable[str]] | None = None) -> str:
        """Glossary terms, then OpenCC, then the house-style character table.

        With ``words`` (a segmenter such as jieba's ``cut``), OpenCC converts
        each word on its own, so none of its phrases can straddle two words:
        this is the second reading the leak check compares with
        (:mod:`esgpress.editions.wordlevel`).
        """
        masked, outputs = self.hant_terms.mask(text)
        if words is None:
            converted = cc(HANT_CONFIG, masked)
        else:
            converted = "".join(cc(HANT_CONFIG, word) for word in words(masked))
        return unmask(converted.translate(self.char_table), TERM, outputs)

    def hans(self, text: str) -> str:
        """Protected terms, then OpenCC's Traditional → Simplified."""
        masked, outputs = self.hans_terms.mask(text)
        return unmask(cc(HANS_CONFIG, masked), TERM, outputs)


def script_diffs(
    text: str,
    expected: str,
    wrong: Callable[[str], bool],
    convert: Callable[[str], str],
) -> Iterator[tuple[int, int, str, str]]:
    """Yield (line, col, char, suggestion) where ``text`` has a wrong-script character.

    Conversion keeps newlines and (nearly always) length, so lines are compared
    position by position; a line whose length changed is aligned with difflib,
    and a character left without a counterpart is converted on its own.
    """
    lines = zip(text.split("\n"), expected.split("\n"), strict=True)
    for number, (line, other) in enumerate(lines, start=1):
        for col, char, suggestion in _line_diffs(line, other):
            if wrong(char):
                yield number, col, char, suggestion or convert(char)


def _line_diffs(line: str, other: str) -> Iterator[tuple[int, str, str]]:
    """Yield (1-based column, character, replacement or "") where two lines differ."""
    if len(line) == len(other):
        for i, (a, b) in enumerate(zip(line, other, strict=True)):
            if a != b:
                yield i + 1, a, b
        return
    matcher = difflib.SequenceMatcher(None, line, other, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        same_size = op == "replace" and i2 - i1 == j2 - j1
        for k in range(i1, i2):
            yield k + 1, line[k], other[j1 + k - i1] if same_size else ""
