"""The content index: framework codes mapped to where the report discloses them.

Computed, not typed: every ``kpi()``/``kpi_table()`` call records its
indicators' framework codes with the section it appears in, and
``disclosure()`` records narrative disclosures. The index lists each code of
the framework catalogue (``data/frameworks.yaml``, when present, loaded with
the data set) or each code found, with links to the sections. Links are
Markdown, so the site resolves them to pages and the PDF turns them into
page numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from esgpress.data.model import Dataset
from esgpress.render.state import natural_key

if TYPE_CHECKING:
    from esgpress.render.state import EditionScope


def load_catalogue(dataset: Dataset, framework: str) -> list[tuple[str, dict[str, str]]]:
    """Codes and titles of a framework, as loaded from ``data/frameworks.yaml`` (empty if absent).

    The data loader reads and validates the catalogue with the other data
    files, so a broken one is reported by ``esgpress check``, never mid-render.
    """
    return [
        (
            entry.code,
            {
                "zh": entry.title.zh or entry.title.same or "",
                "en": entry.title.en or entry.title.same or "",
            },
        )
        for entry in dataset.frameworks.get(framework, ())
    ]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def content_index_markdown(r: EditionScope, framework: str) -> str:
    """Build the index as a Markdown table: code | disclosure | sections (links).

    Markdown rather than HTML, so the links go through the same resolution as
    chapter text: pages on the site, page numbers in the PDF.
    """
    loc, state = r.loc, r.state
    found: dict[str, dict[str, str]] = {}
    for fw, code, _chapter, where in state.disclosures:
        if fw == framework:
            # ``section#anchor`` when a table disclosed it: link the table, whose page
            # holds the figures, rather than the heading (first table of the section wins).
            section, _, anchor = where.partition("#")
            sections = found.setdefault(code, {})
            if not sections.get(section):
                sections[section] = anchor
    catalogue = load_catalogue(r.dataset, framework)
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
        for key, anchor in found.get(code, {}).items():
            s = state.sections.get(key)
            if s is not None:
                target = anchor or s.key
                links.append(f"[{_cell(s.title)}]({s.chapter}.md#{target}){{: .index-ref }}")
        where = "<br>".join(links) if links else loc.ui("not_disclosed")
        lines.append(f"| {code} | {_cell(title)} | {where} |")
    return '<div class="content-index" markdown="1">\n\n' + "\n".join(lines) + "\n\n</div>"
