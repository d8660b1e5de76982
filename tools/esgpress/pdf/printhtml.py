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

The chapter transforms live in :mod:`esgpress.pdf.chapters` (on the tree
helpers of :mod:`esgpress.pdf.htmltree`); this module reads the print settings,
assembles the document from the template and writes it. The document is
written to ``build/print/<edition>/report.html`` so it can be inspected (and
opened in a browser) before WeasyPrint lays it out.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import write_atomic
from esgpress.core.fingerprints import Remembered, cache_path, enabled
from esgpress.core.resources import toolkit_path
from esgpress.core.sealed import kept_or_made
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.pdf.autolink import autolink
from esgpress.pdf.chapters import Edition, chapter_anchor, transform_chapter, transform_links
from esgpress.pdf.htmltree import parse_fragment, serialize_children
from esgpress.render.brand import apply as apply_brand
from esgpress.render.markdown_html import make_converter, markdown_to_html
from esgpress.render.sanitize import sanitize
from esgpress.render.write import edition_texts

#: The toolkit's own print templates; a project's ``templates/print/`` overrides them file by file.
TOOLKIT_TEMPLATES = toolkit_path("templates", "print")

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


@dataclass(frozen=True)
class PageSettings:
    """Page numbering and running heads of one edition (``print:`` in ``data/report.yaml``)."""

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


def page_settings(dataset: Dataset, texts: Mapping[str, str]) -> PageSettings:
    """Resolve the loader's print settings for an edition (defaults: page 1, company, title).

    ``texts`` are the edition's printed data texts
    (:func:`esgpress.render.write.edition_texts`, kept in the render's manifest).
    """
    return PageSettings(dataset.report.print.first_page, texts["verso"], texts["recto"])


def template_dir(root: Path) -> Path:
    """Return the project's ``templates/print/`` if it has one, else the toolkit's."""
    own = root / "templates" / "print"
    return own if own.is_dir() else TOOLKIT_TEMPLATES


def stylesheet(
    root: Path, out_dir: Path, dataset: Dataset, template: str = "report.html"
) -> tuple[str, str | None]:
    """Return the print stylesheet: (a link to the project's, None) or ("", the branded CSS).

    The toolkit's stylesheets have brand tokens and are inlined with the
    brand's colours filled in: print.css, the components' rules and, for the
    executive summary, its own. A project's own ``templates/print/print.css``
    is linked as it is (its colours are the project's), with the
    ``components.css`` and ``summary.css`` beside it.
    """
    own = root / "templates" / "print" / "print.css"
    if own.is_file():
        return Path(os.path.relpath(own, out_dir)).as_posix(), None
    names = ["print.css", "components.css"]
    if template == "summary.html":
        names.append("summary.css")
    css = "\n".join((TOOLKIT_TEMPLATES / n).read_text(encoding="utf-8") for n in names)
    return "", apply_brand(css, dataset.report.brand)


def _load_manifest(render_dir: Path, edition: str) -> dict[str, Any]:
    path = render_dir / "manifest.json"
    if not path.is_file():
        raise EsgError(f"{path}: no render of the {edition} edition; run `esgpress render` first")
    manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("edition", edition) != edition:
        raise EsgError(
            f"{path}: the manifest is for edition '{manifest.get('edition')}', not '{edition}'"
        )
    return manifest


#: Chapter bodies as parsed from the render, before the print transforms, one per
#: rendered chapter file: the proof watcher assembles the edition on every save,
#: and only the saved chapter's Markdown changed.
_BODIES: Remembered[ET.Element] = Remembered()


def chapter_body(markdown: str, scope: str, kept_in: Path | None = None) -> ET.Element:
    """Return a rendered chapter's Markdown as a sanitised tree, a fresh copy the caller may change.

    Converting, sanitising and parsing are a pure function of the text, so a
    process keeps the last tree per chapter file (``scope``) and hands out
    copies; ``kept_in`` also keeps it on disk, sealed, for the next process (a
    proof after an edit parses only the edited chapter).
    """

    def parse() -> ET.Element:
        return parse_fragment(sanitize(markdown_to_html(markdown, make_converter())))

    if not enabled():  # ESGPRESS_NO_CACHE: nothing read or kept; the fresh tree is the caller's
        return parse()
    fingerprint = hashlib.sha256(markdown.encode()).hexdigest()
    return copy.deepcopy(
        _BODIES.get(
            scope, fingerprint, lambda: kept_or_made(kept_in, fingerprint, parse, ET.Element)
        )
    )


def assemble(
    root: Path,
    dataset: Dataset,
    edition: str,
    part: str | None = None,
    template: str = "report.html",
) -> PrintDocument:
    """Build the print HTML of ``edition`` in memory (and check it); raise once on problems.

    ``part`` names a sub-render printed as a document of its own (``summary``:
    ``build/render/<edition>/summary/`` with ``template``, written to
    ``build/print/<edition>/summary/``).
    """
    if edition not in dataset.report.editions:
        editions = ", ".join(dataset.report.editions)
        raise EsgError(f"unknown edition '{edition}'; this project publishes {editions}")
    root = root.resolve()
    render_dir = root / "build" / "render" / edition
    out_dir = root / "build" / "print" / edition
    if part is not None:
        render_dir, out_dir = render_dir / part, out_dir / part
    manifest = _load_manifest(render_dir, edition)
    texts = manifest.get("texts") or edition_texts(dataset, Localizer(dataset, edition))
    problems = Problems()
    settings = page_settings(dataset, texts)
    notice: str | Markup | None = texts["sample_notice"] or None
    if notice and edition != "en" and len(notice) > 6:  # no one-character last line
        notice = Markup('{}<span class="keep">{}</span>').format(notice[:-3], notice[-3:])
    chapters_meta = manifest.get("chapters", [])
    ed = Edition(
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
    bodies: dict[str, ET.Element] = {}
    for meta in chapters_meta:
        key = meta["key"]
        md_path = render_dir / f"{key}.md"
        if not md_path.is_file():
            raise EsgError(f"{md_path}: missing from the render; run `esgpress render` again")
        kept_in = cache_path(root, "bodies", edition, part or "", key)
        body = chapter_body(md_path.read_text(encoding="utf-8"), str(md_path), kept_in)
        transform_chapter(ed, key, body)
        bodies[key] = body
    chapters = []
    for key, body in bodies.items():
        transform_links(ed, key, body)
        autolink(body)  # plain-text URLs and e-mail addresses become links
        toc = [
            TocEntry(int(h.tag[1]), h.get("id", ""), h.get("data-bookmark", ""))
            for h in body.iter()
            if h.tag in ("h1", "h2") and h.get("id")
        ]
        chapters.append(ChapterHtml(key, ed.sources[key], serialize_children(body), toc))
    problems.raise_if_errors()

    tdir = template_dir(root)
    env = Environment(
        loader=FileSystemLoader([str(tdir), str(TOOLKIT_TEMPLATES)]),
        autoescape=True,
        undefined=StrictUndefined,
    )
    css_href, css_inline = stylesheet(root, out_dir, dataset, template)
    env.filters["css_string"] = css_string
    report = dataset.report
    title, company = texts["title"], texts["company"]
    ui = {k: v[edition] for k, v in PRINT_UI.items()}
    page_html = env.get_template(template).render(
        edition=edition,
        lang=HTML_LANG[edition],
        fonts=Markup(dataset.report.brand.font(edition) or FONTS[edition]),
        title=title,
        company=company,
        year=report.year,
        period=format_period(report.period_start, report.period_end, edition),
        published=report.published.isoformat() if report.published else None,
        sample_notice=notice,
        settings=settings,
        first_side="left" if settings.first_page % 2 == 0 else "right",
        ui=ui,
        css_href=css_href,
        css_inline=Markup(css_inline) if css_inline else None,
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
    write_atomic(doc.path, doc.html)
    return doc.path


def build_print_html(root: Path, dataset: Dataset, edition: str) -> Path:
    """Assemble and write the print HTML of one edition; return its path."""
    return write_print_html(assemble(root, dataset, edition))
