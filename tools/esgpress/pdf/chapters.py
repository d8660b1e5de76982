"""Adapt one edition's rendered chapters to paged media (see :mod:`esgpress.pdf.printhtml`).

:func:`transform_chapter` moves footnotes inline, namespaces ids by chapter,
sets table column classes and resolves images; :func:`transform_links` (run
when every chapter's ids are known) turns chapter links into in-document
cross-references. Problems are collected in the :class:`Edition` state, with
the chapter file and line.
"""

from __future__ import annotations

import html
import itertools
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from esgpress.core.errors import Problems
from esgpress.pdf.footnotes import place_footnotes
from esgpress.pdf.htmltree import (
    CJK,
    HEADINGS,
    add_class,
    classes,
    compress_punctuation,
    join_cjk_lines,
    keep_last_chars,
    plain_text,
)
from esgpress.pdf.imagedpi import low_resolution_warning

CJK_CHAR = re.compile(f"[{CJK}]")


@dataclass
class Edition:
    """What the chapter transforms share."""

    root: Path
    edition: str
    render_dir: Path
    out_dir: Path
    chapter_keys: list[str]
    sources: dict[str, str]
    section_keys: set[str]
    section_titles: dict[str, str]
    notes: dict[int, str]
    problems: Problems
    warnings: list[str]
    ids: dict[str, set[str]] = field(default_factory=dict)
    headings: dict[str, str] = field(default_factory=dict)


def chapter_anchor(key: str) -> str:
    """Return the id of a chapter's wrapper element (a link to ``climate.md`` lands here)."""
    return f"chapter-{key}"


def _local_id(ed: Edition, chapter: str, value: str) -> str:
    return value if value in ed.section_keys else f"{chapter}--{value}"


def _source_line(ed: Edition, chapter: str, needle: str) -> int:
    path = ed.root / ed.sources.get(chapter, "")
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return number
    except OSError:
        pass
    return 0


def transform_chapter(ed: Edition, key: str, body: ET.Element) -> None:
    """Footnotes, ids, images (links come later, when every chapter's ids are known)."""
    source = ed.sources[key]
    if ed.edition != "en":
        join_cjk_lines(body)
        for block in [e for e in body.iter() if e.tag in ("p", "li", "dd", "blockquote")]:
            keep_last_chars(block)
    parents = {child: parent for parent in body.iter() for child in parent}

    # -- the end-of-chapter notes list: keep the texts, drop the list
    listed: dict[int, ET.Element] = {}
    for sec in [e for e in body.iter("section") if "footnotes" in classes(e)]:
        for li in sec.iter("li"):
            raw = li.get("value") or (li.get("id") or "").removeprefix("fn-")
            if raw.isdigit():
                listed[int(raw)] = li
        parents[sec].remove(sec)

    # -- ids: keep section keys, namespace the rest
    ids: set[str] = set()
    for el in body.iter():
        value = el.get("id")
        if value:
            new = _local_id(ed, key, value)
            el.set("id", new)
            ids.add(new)

    # -- footnote calls: linked, the first call of N followed by the note (pdf/footnotes.py)
    place_footnotes(body, listed, ed.notes, ed.problems, source)
    ed.ids[key] = ids

    # -- headings: clean text for the TOC and the PDF outline
    for el in body.iter():
        if el.tag in HEADINGS and el.get("id"):
            text = plain_text(el)
            ed.headings[el.get("id", "")] = text
            if el.tag in ("h1", "h2"):
                el.set("data-bookmark", text)

    # -- KPI tables: fixed share of the measure for label, unit and each figure column
    for table in body.iter("table"):
        if "kpi-table" in classes(table):
            _set_columns(table)
        elif not table.get("class") and "content-index" not in classes(parents.get(table, body)):
            fit_columns(table, cjk=ed.edition != "en")
    mark_lead_ins(body)
    if ed.edition != "en":
        compress_punctuation(body)

    # -- images
    for img in body.iter("img"):
        src = img.get("src") or ""
        resolved = _resolve_image(ed, key, src)
        if resolved is not None:
            img.set("src", Path(os.path.relpath(resolved, ed.out_dir)).as_posix())


def _set_columns(table: ET.Element) -> None:
    """Give a KPI table a ``<colgroup>``: equal figure columns, the rest to label and unit.

    Left to the automatic layout, a long segment name ("智能电动汽车等创新业务")
    takes a wide column and squeezes the unit column into wrapping; equal
    figure columns also line the years up from one table to the next.
    """
    head = table.find("thead")
    rows = list(head.iter("tr")) if head is not None else []
    if not rows or table.find("colgroup") is not None:
        return
    segments = sum(1 for th in (rows[1] if len(rows) > 1 else []) if "seg" in classes(th)) - 1
    figures: list[str] = []
    for th in rows[0]:
        if "year" in classes(th):
            figures += (
                ["year"] + ["segment"] * max(segments, 0) if "span" in classes(th) else ["year"]
            )
    if not figures:
        return
    # Figures get fixed shares (a segment name wraps over two or three lines);
    # label and unit share the rest by their content, as the automatic layout does.
    widths = (
        {"year": 10.5, "segment": 12.5} if len(figures) > 3 else {"year": 12.0, "segment": 12.5}
    )
    colgroup = ET.Element("colgroup")
    ET.SubElement(colgroup, "col", {"class": "label"})
    ET.SubElement(colgroup, "col", {"class": "unit"})
    for f in figures:
        ET.SubElement(colgroup, "col", {"class": f, "style": f"width: {widths[f]:g}%"})
    index = 1 if table.find("caption") is not None else 0
    table.insert(index, colgroup)


#: A narrative table column whose longest cell is at most this many ems wide is
#: set to its content's width, unwrapped ("fit" in print.css).
FIT_EMS = 8.0


def _ems(text: str) -> float:
    """Rough width of ``text`` in ems: a CJK character is one, anything else about half."""
    return sum(1.0 if CJK_CHAR.match(ch) else 0.55 for ch in text)


def fit_columns(table: ET.Element, cjk: bool) -> None:
    """Size a narrative table's short columns to their content; keep cell ends together.

    Left to the automatic layout, a column of short labels (2030年, 政策與法規趨嚴)
    got as narrow as Chinese allows and wrapped a single character onto a line of
    its own, while the long description columns kept their width. Tables with
    spanning cells are left alone.
    """
    rows = list(table.iter("tr"))
    if any(cell.get("colspan") or cell.get("rowspan") for tr in rows for cell in tr):
        return
    columns: dict[int, float] = {}
    for tr in rows:
        for i, cell in enumerate(tr):
            columns[i] = max(columns.get(i, 0.0), _ems(plain_text(cell)))
    fit = {i for i, width in columns.items() if width <= FIT_EMS}
    if len(fit) == len(columns) and len(columns) > 1:
        fit = set()  # all short: the automatic layout shares the width well enough
    for tr in rows:
        for i, cell in enumerate(tr):
            if i in fit:
                add_class(cell, "fit")
            elif cjk:
                keep_last_chars(cell)


def mark_lead_ins(body: ET.Element) -> None:
    """Class ``lead-in`` on a paragraph that introduces the table or list after it.

    A sentence ending in a colon (「…以下與氣候相關的風險：」) printed at the foot
    of a page with its table on the next reads as cut off; print.css keeps it
    with what follows.
    """
    for parent in body.iter():
        children = list(parent)
        for p, nxt in itertools.pairwise(children):
            lead = p.tag == "p" and plain_text(p).endswith((":", "："))
            if lead and (nxt.tag in ("table", "ul", "ol") or "kpi-table-wrap" in classes(nxt)):
                add_class(p, "lead-in")


def _resolve_image(ed: Edition, chapter: str, src: str) -> Path | None:
    source = ed.sources[chapter]
    parts = urlsplit(src)
    if parts.scheme == "data":
        return None
    line = _source_line(ed, chapter, src)
    if parts.scheme or parts.netloc:
        ed.problems.add(
            source,
            line,
            0,
            f"image '{src}' is not a local file; the print edition embeds project files only",
        )
        return None
    rel = unquote(parts.path)
    candidates = [ed.render_dir / rel, (ed.root / source).parent / rel]
    for candidate in candidates:
        path = candidate.resolve()
        if path.is_file() and path.is_relative_to(ed.root.resolve()):
            warning = low_resolution_warning(path)
            if warning:
                ed.warnings.append(f"{source}:{line}: {warning}")
            return path
    looked = ", ".join(
        str(c.relative_to(ed.root)) if c.is_relative_to(ed.root) else str(c) for c in candidates
    )
    what = "chart" if rel.startswith("charts/") else "image"
    ed.problems.add(source, line, 0, f"{what} '{src}' does not exist (looked for {looked})")
    return None


def transform_links(ed: Edition, key: str, body: ET.Element) -> None:
    """Turn links to chapters and sections into in-document cross-references (after all ids)."""
    source = ed.sources[key]
    all_ids = set().union(*ed.ids.values()) | {chapter_anchor(k) for k in ed.chapter_keys}
    for a in body.iter("a"):
        href = a.get("href")
        if href is None or {"fn-ref", "fn-link"} & classes(a) or a.get("data-note"):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            add_class(a, "external")
            continue
        path, frag = unquote(parts.path), unquote(parts.fragment)
        if path and not path.endswith(".md"):
            ed.warnings.append(
                f"{source}: link '{href}' cannot be followed in print; its text is kept"
            )
            del a.attrib["href"]
            continue
        target_chapter = Path(path).stem if path else key
        if target_chapter not in ed.chapter_keys:
            ed.problems.add(
                source,
                _source_line(ed, key, href),
                0,
                f"link '{href}': there is no chapter '{target_chapter}' in this report",
            )
            continue
        target = _local_id(ed, target_chapter, frag) if frag else chapter_anchor(target_chapter)
        if target not in all_ids:
            ed.problems.add(
                source,
                _source_line(ed, key, href),
                0,
                f"link '{href}': no heading '{frag}' in {target_chapter}.md "
                f"of the {ed.edition} edition; "
                "give the heading a key ({#...}) and link to that key",
            )
            continue
        a.set("href", f"#{target}")
        if "index-ref" not in classes(a):
            add_class(a, "xref")
        # Titles of generated links come from the heading as printed, not its source text.
        if frag in ed.section_titles and html.unescape(plain_text(a)) == ed.section_titles[frag]:
            for child in list(a):
                a.remove(child)
            a.text = ed.headings.get(target, a.text)
