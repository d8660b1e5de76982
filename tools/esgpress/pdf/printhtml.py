"""The print HTML: one document per edition, assembled from the render.

Input is only what the render step wrote to ``build/render/<edition>/``
(chapters as Markdown with HTML blocks, ``manifest.json``, ``charts/``); the
chapters are never rendered again here. Each chapter is converted with the
shared Markdown settings (:mod:`esgpress.render.markdown_html`) and then adapted to
paged media:

* footnotes: at the first call of note *N* in a chapter the note text moves
  inline into ``<span class="footnote" data-n="N">`` (CSS ``float: footnote``
  puts it at the foot of that page, numbered N like the site); later calls
  stay superscript references; the end-of-chapter list is dropped;
* ids: heading keys (``{#climate.targets}``) are unique in an edition and
  kept; every other id is namespaced by chapter (``people--管理方针``), since
  the site has one page per chapter and the PDF has one document;
* links: ``climate.md#key`` becomes ``#key`` (``a.xref`` or ``a.index-ref``,
  which print their page number with ``target-counter``); a link to a missing
  chapter or anchor is an error naming the chapter file;
* images: resolved against the render folder, then the chapter's source
  folder; a missing image is an error naming the chapter file.

The document is written to ``build/print/<edition>/report.html`` so it can be
inspected (and opened in a browser) before WeasyPrint lays it out.
"""

from __future__ import annotations

import html
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from esgpress.core.errors import EsgError, Problems
from esgpress.data.model import EDITIONS, Dataset, Text
from esgpress.data.schema import Reader
from esgpress.editions.i18n import Localizer
from esgpress.pdf.autolink import autolink
from esgpress.render.markdown_html import make_converter, markdown_to_html

#: The toolkit's own print template, used when a project has no ``templates/print/``.
TOOLKIT_TEMPLATES = Path(__file__).resolve().parents[3] / "templates" / "print"

#: ``lang`` of the print document per edition (Pango picks glyph shapes by it).
HTML_LANG = {"zh-Hant": "zh-HK", "zh-Hans": "zh-CN", "en": "en"}

#: Font stacks per edition: the regional Noto CJK face (Debian ``fonts-noto-cjk``);
#: its Latin glyphs serve English too, so all three editions share one design.
FONTS = {
    "zh-Hant": '"Noto Sans CJK HK", "Noto Sans CJK TC", sans-serif',
    "zh-Hans": '"Noto Sans CJK SC", sans-serif',
    "en": '"Noto Sans CJK SC", sans-serif',
}

#: Words the print edition adds (cover, contents); explicit per edition, no conversion.
PRINT_UI: dict[str, dict[str, str]] = {
    "edition_name": {"zh-Hant": "繁體中文版", "zh-Hans": "简体中文版", "en": "English edition"},
    "contents": {"zh-Hant": "目錄", "zh-Hans": "目录", "en": "Contents"},
    "sample": {"zh-Hant": "示例報告", "zh-Hans": "示例报告", "en": "Sample report"},
    "period": {"zh-Hant": "報告期", "zh-Hans": "报告期", "en": "Reporting period"},
    "colon": {"zh-Hant": "：", "zh-Hans": "：", "en": ": "},
}

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def format_date(day: date, edition: str) -> str:
    """Write a date as the edition does: 2024年1月1日 / 1 January 2024."""
    if edition == "en":
        return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{day.year}年{day.month}月{day.day}日"


def format_period(start: date | None, end: date | None, edition: str) -> str | None:
    """Write the reporting period for the cover (``None`` if the data has none)."""
    if start is None or end is None:
        return None
    joiner = " to " if edition == "en" else "至"
    return format_date(start, edition) + joiner + format_date(end, edition)


HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")
IMG_SRC = re.compile(r"""src=["']([^"']+)["']|\]\(([^)\s]+)""")


@dataclass(frozen=True)
class PrintSettings:
    """The ``print:`` section of ``data/report.yaml`` for one edition."""

    first_page: int = 1
    verso: str = ""
    recto: str = ""


@dataclass
class TocEntry:
    """One line of the table of contents."""

    level: int
    target: str
    text: str


@dataclass
class ChapterHtml:
    """One chapter converted and adapted for print."""

    key: str
    source: str
    html: str
    toc: list[TocEntry] = field(default_factory=list)


@dataclass
class PrintDocument:
    """The assembled print document of one edition."""

    edition: str
    root: Path
    path: Path
    html: str
    title: str
    author: str
    lang: str
    template_dir: Path
    chapters: list[ChapterHtml]
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- settings


def _report_nodes(dataset: Dataset) -> dict:
    nodes = dataset.report.extra.get("_nodes", {})
    return nodes if isinstance(nodes, dict) else {}


def report_text(dataset: Dataset, key: str, loc: Localizer, problems: Problems) -> str | None:
    """Read a multilingual text of ``data/report.yaml`` (``sample_notice``) for this edition."""
    nodes = _report_nodes(dataset)
    if key not in nodes:
        return None
    text = Reader(dataset.report_path, problems).text(nodes[key][1], key)
    # ruamel marks the folds of a ``>-`` scalar with BEL (U+0007) in the node value.
    return loc.text(text).replace("\a", "") if text is not None else None


def print_settings(dataset: Dataset, loc: Localizer, problems: Problems) -> PrintSettings:
    """Read ``print.first_page`` and ``print.header.verso/recto`` (defaults: 1, company, title)."""
    r = Reader(dataset.report_path, problems)
    first_page, verso, recto = 1, loc.text(dataset.report.company), loc.text(dataset.report.title)
    nodes = _report_nodes(dataset)
    if "print" in nodes:
        entries = r.mapping(nodes["print"][1], "print") or {}
        r.keys(entries, "print", ("first_page", "header"))
        if "first_page" in entries:
            first_page = r.integer(entries["first_page"][1], "print.first_page", 1, 99999) or 1
        if "header" in entries:
            header = r.mapping(entries["header"][1], "print.header") or {}
            r.keys(header, "print.header", ("verso", "recto"))
            for side in ("verso", "recto"):
                if side in header:
                    text: Text | None = r.text(header[side][1], f"print.header.{side}")
                    if text is not None and side == "verso":
                        verso = loc.text(text)
                    elif text is not None:
                        recto = loc.text(text)
    return PrintSettings(first_page, verso, recto)


def template_dir(root: Path) -> Path:
    """Return the project's ``templates/print/`` if it has one, else the toolkit's."""
    own = root / "templates" / "print"
    return own if (own / "report.html").is_file() else TOOLKIT_TEMPLATES


# ---------------------------------------------------------------- HTML tree helpers


def _parse_fragment(fragment: str) -> ET.Element:
    import tinyhtml5  # WeasyPrint's HTML parser; parses like a browser would

    doc = tinyhtml5.parse(
        f"<!DOCTYPE html><html><head></head><body>{fragment}</body></html>",
        namespace_html_elements=False,
    )
    body = doc.find("body")
    assert body is not None
    return body


def _serialize_children(el: ET.Element) -> str:
    out = [html.escape(el.text or "", quote=False)]
    out += [ET.tostring(child, encoding="unicode", method="html") for child in el]
    return "".join(out)


def _classes(el: ET.Element) -> set[str]:
    return set((el.get("class") or "").split())


def _add_class(el: ET.Element, name: str) -> None:
    classes = _classes(el)
    if name not in classes:
        el.set("class", " ".join([*(el.get("class") or "").split(), name]))


def plain_text(el: ET.Element) -> str:
    """Text of an element without footnote calls or footnote bodies."""
    parts = [el.text or ""]
    for child in el:
        if not ({"fn-ref", "footnote"} & _classes(child)):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def _replace(parent: ET.Element, old: ET.Element, new: ET.Element) -> None:
    index = list(parent).index(old)
    new.tail = old.tail
    parent.remove(old)
    parent.insert(index, new)


LAST_CHARS = re.compile(rf"[{CJK}]{{3}}\s*$")


def _keep_last_chars(el: ET.Element) -> None:
    """Keep the last three characters of a Chinese paragraph together.

    A paragraph whose last line is a single character (「望。」) looks broken in
    Chinese typesetting; WeasyPrint has no ``text-wrap: pretty``, so the end of
    the paragraph is wrapped in a no-break span and moves down as one piece.
    """
    if len(el):
        last = el[-1]
        text, set_text = last.tail or "", lambda v: setattr(last, "tail", v)
    else:
        text, set_text = el.text or "", lambda v: setattr(el, "text", v)
    match = LAST_CHARS.search(text)
    if match is None or match.start() < 2:
        return
    set_text(text[: match.start()])
    keep = ET.SubElement(el, "span", {"class": "keep"})
    keep.text = text[match.start() :].rstrip()


def _join_cjk_lines(el: ET.Element) -> None:
    """Drop soft line breaks between Chinese characters (they would print as spaces)."""
    if el.tag in ("pre", "code"):
        return
    if el.text:
        el.text = CJK_BREAK.sub("", el.text)
    for child in el:
        _join_cjk_lines(child)
        if child.tail:
            child.tail = CJK_BREAK.sub("", child.tail)


# ---------------------------------------------------------------- assembly


@dataclass
class _Edition:
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


def _local_id(ed: _Edition, chapter: str, value: str) -> str:
    return value if value in ed.section_keys else f"{chapter}--{value}"


def _source_line(ed: _Edition, chapter: str, needle: str) -> int:
    path = ed.root / ed.sources.get(chapter, "")
    try:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if needle in line:
                return number
    except OSError:
        pass
    return 0


def _transform_chapter(ed: _Edition, key: str, body: ET.Element) -> None:
    """Footnotes, ids, images (links come later, when every chapter's ids are known)."""
    source = ed.sources[key]
    if ed.edition != "en":
        _join_cjk_lines(body)
        for block in [e for e in body.iter() if e.tag in ("p", "li", "dd", "blockquote")]:
            _keep_last_chars(block)
    parents = {child: parent for parent in body.iter() for child in parent}

    # -- the end-of-chapter notes list: keep the texts, drop the list
    listed: dict[int, ET.Element] = {}
    for sec in [e for e in body.iter("section") if "footnotes" in _classes(e)]:
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

    # -- footnote calls: the first call of N carries the note
    seen: set[int] = set()
    for sup in [e for e in body.iter("sup") if "fn-ref" in _classes(e)]:
        link = sup.find("a")
        number = (link.text or "").strip() if link is not None else (sup.text or "").strip()
        if not number.isdigit():
            ed.problems.add(source, 0, 0, f"footnote call '{number}' has no number")
            continue
        n = int(number)
        if n in seen:
            # A later call: a plain superscript (WeasyPrint has no anchor inside a footnote).
            if link is not None:
                sup.remove(link)
                sup.text = str(n)
            continue
        seen.add(n)
        span = ET.Element("span", {"class": "footnote", "data-n": str(n)})
        if link is not None and link.get("data-note"):
            span.set("data-note", link.get("data-note", ""))
        if n in listed:
            li = listed[n]
            span.text = li.text
            for child in list(li):
                span.append(child)
        elif n in ed.notes:
            holder = _parse_fragment(ed.notes[n])
            span.text = holder.text
            for child in list(holder):
                span.append(child)
        else:
            ed.problems.add(
                source, 0, 0, f"footnote {n} is called but its text is not in the render"
            )
            continue
        _replace(parents[sup], sup, span)
        parents[span] = parents[sup]
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
        if "kpi-table" in _classes(table):
            _set_columns(table)

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
    segments = sum(1 for th in (rows[1] if len(rows) > 1 else []) if "seg" in _classes(th)) - 1
    figures: list[str] = []
    for th in rows[0]:
        if "year" in _classes(th):
            figures += (
                ["year"] + ["segment"] * max(segments, 0) if "span" in _classes(th) else ["year"]
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


def _resolve_image(ed: _Edition, chapter: str, src: str) -> Path | None:
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
            return path
    looked = ", ".join(
        str(c.relative_to(ed.root)) if c.is_relative_to(ed.root) else str(c) for c in candidates
    )
    what = "chart" if rel.startswith("charts/") else "image"
    ed.problems.add(source, line, 0, f"{what} '{src}' does not exist (looked for {looked})")
    return None


def _transform_links(ed: _Edition, key: str, body: ET.Element) -> None:
    source = ed.sources[key]
    all_ids = set().union(*ed.ids.values()) | {chapter_anchor(k) for k in ed.chapter_keys}
    for a in body.iter("a"):
        href = a.get("href")
        if href is None or "fn-ref" in _classes(a) or a.get("data-note"):
            continue
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("//"):
            _add_class(a, "external")
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
        if "index-ref" not in _classes(a):
            _add_class(a, "xref")
        # Titles of generated links come from the heading as printed, not its source text.
        if frag in ed.section_titles and html.unescape(plain_text(a)) == ed.section_titles[frag]:
            for child in list(a):
                a.remove(child)
            a.text = ed.headings.get(target, a.text)


def _load_manifest(render_dir: Path, edition: str) -> dict:
    path = render_dir / "manifest.json"
    if not path.is_file():
        raise EsgError(f"{path}: no render of the {edition} edition; run `esgpress render` first")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("edition", edition) != edition:
        raise EsgError(
            f"{path}: the manifest is for edition '{manifest.get('edition')}', not '{edition}'"
        )
    return manifest


def assemble(root: Path, dataset: Dataset, edition: str) -> PrintDocument:
    """Build the print HTML of ``edition`` in memory (and check it); raise once on problems."""
    if edition not in EDITIONS:
        raise EsgError(f"unknown edition '{edition}'; choose one of {', '.join(EDITIONS)}")
    root = root.resolve()
    render_dir = root / "build" / "render" / edition
    out_dir = root / "build" / "print" / edition
    manifest = _load_manifest(render_dir, edition)
    loc = Localizer(dataset, edition)
    problems = Problems()
    settings = print_settings(dataset, loc, problems)
    notice: str | Markup | None = None
    if dataset.report.sample:
        notice = report_text(dataset, "sample_notice", loc, problems)
        if notice and edition != "en" and len(notice) > 6:  # no one-character last line
            notice = Markup('{}<span class="keep">{}</span>').format(notice[:-3], notice[-3:])
    chapters_meta = manifest.get("chapters", [])
    ed = _Edition(
        root=root,
        edition=edition,
        render_dir=render_dir,
        out_dir=out_dir,
        chapter_keys=[c["key"] for c in chapters_meta],
        sources={
            c["key"]: c.get("source", f"build/render/{edition}/{c['key']}.md")
            for c in chapters_meta
        },
        section_keys={s["key"] for s in manifest.get("sections", [])},
        section_titles={s["key"]: s["title"] for s in manifest.get("sections", [])},
        notes={int(n["number"]): n["html"] for n in manifest.get("notes", [])},
        problems=problems,
        warnings=[],
    )
    converter = make_converter()
    bodies: dict[str, ET.Element] = {}
    for meta in chapters_meta:
        key = meta["key"]
        md_path = render_dir / f"{key}.md"
        if not md_path.is_file():
            raise EsgError(f"{md_path}: missing from the render; run `esgpress render` again")
        body = _parse_fragment(markdown_to_html(md_path.read_text(encoding="utf-8"), converter))
        _transform_chapter(ed, key, body)
        bodies[key] = body
    chapters = []
    for key, body in bodies.items():
        _transform_links(ed, key, body)
        autolink(body)  # hook: plain-text URLs and e-mail addresses become links
        toc = [
            TocEntry(int(h.tag[1]), h.get("id", ""), h.get("data-bookmark", ""))
            for h in body.iter()
            if h.tag in ("h1", "h2") and h.get("id")
        ]
        chapters.append(ChapterHtml(key, ed.sources[key], _serialize_children(body), toc))
    problems.raise_if_errors()

    tdir = template_dir(root)
    env = Environment(
        loader=FileSystemLoader(str(tdir)), autoescape=True, undefined=StrictUndefined
    )
    env.filters["css_string"] = css_string
    report = dataset.report
    title, company = loc.text(report.title), loc.text(report.company)
    ui = {k: v[edition] for k, v in PRINT_UI.items()}
    page_html = env.get_template("report.html").render(
        edition=edition,
        lang=HTML_LANG[edition],
        fonts=Markup(FONTS[edition]),
        title=title,
        company=company,
        year=report.year,
        period=format_period(report.period_start, report.period_end, edition),
        published=report.published.isoformat() if report.published else None,
        sample_notice=notice,
        settings=settings,
        first_side="left" if settings.first_page % 2 == 0 else "right",
        ui=ui,
        css_href=Path(os.path.relpath(tdir / "print.css", out_dir)).as_posix(),
        toc=[entry for ch in chapters for entry in ch.toc],
        chapters=[
            {"key": c.key, "anchor": chapter_anchor(c.key), "html": Markup(c.html)}
            for c in chapters
        ],
    )
    return PrintDocument(
        edition=edition,
        root=root,
        path=out_dir / "report.html",
        html=page_html,
        title=title,
        author=company,
        lang=HTML_LANG[edition],
        template_dir=tdir,
        chapters=chapters,
        warnings=ed.warnings,
    )


def css_string(value: object) -> Markup:
    """Quote a CSS string literal, safe inside ``<style>`` (``content:`` in margin boxes)."""
    text = str(value)
    out = []
    for ch in text:
        if ch in '"\\' or ch in "<>&" or ord(ch) < 0x20:
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return Markup('"' + "".join(out) + '"')


def write_print_html(doc: PrintDocument) -> Path:
    """Write the document to ``build/print/<edition>/report.html`` (atomically)."""
    doc.path.parent.mkdir(parents=True, exist_ok=True)
    tmp = doc.path.with_suffix(".html.tmp")
    tmp.write_text(doc.html, encoding="utf-8")
    tmp.replace(doc.path)
    return doc.path


def build_print_html(root: Path, dataset: Dataset, edition: str) -> Path:
    """Assemble and write the print HTML of one edition; return its path."""
    return write_print_html(assemble(root, dataset, edition))
