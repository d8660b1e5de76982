"""The content index: framework codes mapped to where the report discloses them.

Computed, not typed: every ``kpi()``/``kpi_table()`` call records its
indicators' framework codes with the section it appears in, and
``disclosure()`` records narrative disclosures. The index lists each code of
the framework catalogue (``data/frameworks.yaml``, when present) or each code
found, with links to the sections. Links are Markdown, so the site resolves
them to pages and the PDF turns them into page numbers.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from esgpress.core.errors import Problems
from esgpress.data.schema import Reader
from esgpress.data.yamlio import read_document
from esgpress.render.state import natural_key

if TYPE_CHECKING:
    from esgpress.render.state import EditionScope


#: Parsed catalogues by file path and content: the content index of every
#: edition reads the same file (ruamel takes a fifth of a second to parse it).
_CATALOGUES: dict[tuple[str, bytes], dict[str, list[tuple[str, dict[str, str]]]]] = {}


def load_catalogue(root: Path, framework: str) -> list[tuple[str, dict[str, str]]]:
    """Codes and titles of a framework from ``data/frameworks.yaml`` (empty if absent)."""
    path = root / "data" / "frameworks.yaml"
    if not path.is_file():
        return []
    key = (str(path.resolve()), hashlib.sha256(path.read_bytes()).digest())
    if key not in _CATALOGUES:
        _CATALOGUES[key] = _parse_catalogue(path)
    return list(_CATALOGUES[key].get(framework, []))


def _parse_catalogue(path: Path) -> dict[str, list[tuple[str, dict[str, str]]]]:
    """Every framework of the catalogue file; raises with every problem found."""
    problems = Problems()
    doc = read_document(path, "data/frameworks.yaml", problems)
    r = Reader(doc.path, problems)
    top = r.mapping(doc.root, "the framework catalogue") or {}
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for framework, (_key, codes) in top.items():
        entries = out.setdefault(framework, [])
        for code, (_k, node) in (r.mapping(codes, framework) or {}).items():
            text = r.text(node, f"{framework}.{code}")
            entries.append(
                (
                    code,
                    {
                        "zh": (text.zh or text.same or "") if text else "",
                        "en": (text.en or text.same or "") if text else "",
                    },
                )
            )
    problems.raise_if_errors()
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def content_index_markdown(r: EditionScope, framework: str) -> str:
    """Build the index as a Markdown table: code | disclosure | sections (links).

    Markdown rather than HTML, so the links go through the same resolution as
    chapter text: pages on the site, page numbers in the PDF.
    """
    loc, state = r.loc, r.state
    found: dict[str, list[str]] = {}
    for fw, code, _chapter, section in state.disclosures:
        if fw == framework:
            sections = found.setdefault(code, [])
            if section not in sections:
                sections.append(section)
    catalogue = load_catalogue(r.root, framework)
    titles = {code: t for code, t in catalogue}
    codes = [c for c, _ in catalogue] + sorted(
        (c for c in found if c not in titles), key=natural_key
    )
    lines = [
        f"| {loc.ui('code')} | {loc.ui('disclosure')} | {loc.ui('location')} |",
        "|---|---|---|",
    ]
    for code in codes:
        t = titles.get(code, {})
        title = loc.pick(t.get("zh", ""), t.get("en", ""))
        links = []
        for key in found.get(code, []):
            s = state.sections.get(key)
            if s is not None:
                links.append(f"[{_cell(s.title)}]({s.chapter}.md#{s.key}){{: .index-ref }}")
        where = "<br>".join(links) if links else loc.ui("not_disclosed")
        lines.append(f"| {code} | {_cell(title)} | {where} |")
    return '<div class="content-index" markdown="1">\n\n' + "\n".join(lines) + "\n\n</div>"
