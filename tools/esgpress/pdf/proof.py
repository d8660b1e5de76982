"""A chapter proof: one chapter laid out as the print edition sets it, in seconds.

``esgpress pdf --proof climate --lang zh-Hant`` renders the edition (only
when its render is stale), assembles its print HTML as the full build does
(:func:`esgpress.pdf.printhtml.assemble`), cuts out the one chapter and lays
it out alone with the same stylesheet, running heads and footnotes. Its page
numbers are the full PDF's, from the page map the last full layout left in
``build/print/<edition>/pages.json`` (:mod:`esgpress.pdf.pagemap`):

* the first page carries the chapter's page number (``@page :first {
  counter-reset }``) and the side (left/right) that number has in the book;
* a cross-reference to a heading or table in another chapter prints the
  page recorded for it (the print stylesheet's ``target-counter(attr(href),
  page)`` rules are repeated for such links with ``attr(data-page)``); links
  inside the chapter keep ``target-counter``;
* footnote numbers are the render's, as in the full build.

Without a page map (no full build yet) the chapter starts on the first
right-hand page from ``print.first_page`` on and other chapters' pages print
as ``?``; the command says so. Every page carries a "proof" mark in its
bottom margin, outside the text area, so the pages break exactly as in the
full PDF. Output goes to
``build/proof/<edition>/<chapter>.pdf`` (and ``.html``), never to ``dist/``.
"""

from __future__ import annotations

import contextlib
import html
import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from esgpress.core.errors import EsgError
from esgpress.core.files import write_atomic
from esgpress.data.model import Dataset
from esgpress.pdf.chapters import chapter_anchor
from esgpress.pdf.fetcher import make_fetcher
from esgpress.pdf.pagemap import PageMap, read_page_map
from esgpress.pdf.printhtml import PrintDocument, assemble, stylesheet
from esgpress.pdf.workers import no_cycle_collector

#: The words of the proof mark, printed in the bottom margin of every page.
PROOF_MARK = "proof"

#: A page number the page map does not know (no full build yet, or a new heading).
UNKNOWN_PAGE = "?"

#: The print stylesheet's way of printing a target's page number.
TARGET_PAGE = "target-counter(attr(href), page)"

#: A CSS rule (no nested braces) whose declarations print a target's page number.
_RULE = re.compile(r"([^{}]+)\{([^{}]*target-counter\(attr\(href\), page\)[^{}]*)\}")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_HREF = re.compile(r'<a ([^>]*?)href="#([^"]+)"')
_ID = re.compile(r'\sid="([^"]+)"')


@dataclass
class Proof:
    """What a proof produced and from what."""

    edition: str
    chapter: str
    pdf: Path
    html: Path
    first_page: int
    pages: int
    #: False when no full build had recorded the pages (numbers start at print.first_page).
    from_full_build: bool
    seconds: float


def proof_dir(root: Path, edition: str) -> Path:
    """Where the proofs of an edition go: ``build/proof/<edition>/``."""
    return root / "build" / "proof" / edition


def page_rules(css: str) -> str:
    """Repeat the stylesheet's page-number rules for links that carry their page in ``data-page``.

    ``a.xref::after { content: "(p. " target-counter(attr(href), page) ")" }``
    gains ``a.xref[data-page]::after { content: "(p. " attr(data-page) ")" }``:
    the same words, one attribute selector more specific.
    """
    out = []
    for selectors, body in _RULE.findall(_COMMENT.sub("", css)):
        if selectors.strip().startswith("@"):
            continue
        parts = []
        for selector in selectors.split(","):
            selector = selector.strip()
            head, sep, pseudo = selector.partition("::")
            parts.append(f"{head}[data-page]{sep}{pseudo}")
        out.append(f"{', '.join(parts)} {{{body.replace(TARGET_PAGE, 'attr(data-page)')}}}")
    return "\n".join(out)


def _stylesheet_text(root: Path, doc: PrintDocument, dataset: Dataset) -> str:
    href, inline = stylesheet(root, doc.path.parent, dataset)
    if inline is not None:
        return inline
    folder = doc.path.parent
    return "\n".join(
        (folder / h).read_text(encoding="utf-8")
        for h in (href, href.replace("print.css", "components.css"))
        if (folder / h).is_file()
    )


def _mark_outside_links(chapter_html: str, pages: PageMap | None, first_page: int) -> str:
    """Give every link to an id outside the chapter the page the full build printed it on."""
    inside = set(_ID.findall(chapter_html))

    def mark(match: re.Match[str]) -> str:
        attrs, target = match.group(1), html.unescape(match.group(2))
        if target in inside:
            return match.group(0)
        index = pages.anchors.get(target) if pages is not None else None
        page = UNKNOWN_PAGE if index is None else str(first_page + index)
        return f'<a {attrs}data-page="{page}" href="#{match.group(2)}"'

    return _HREF.sub(mark, chapter_html)


def proof_html(
    root: Path, dataset: Dataset, doc: PrintDocument, chapter: str, pages: PageMap | None
) -> tuple[str, int]:
    """Return the proof's HTML for ``chapter`` of an assembled edition and its first page number."""
    chosen = next((c for c in doc.chapters if c.key == chapter), None)
    if chosen is None:
        keys = ", ".join(c.key for c in doc.chapters)
        raise EsgError(f"no chapter '{chapter}' in the {doc.edition} edition; chapters: {keys}")
    first_page = dataset.report.print.first_page
    anchor = chapter_anchor(chapter)
    if pages is not None and anchor in pages.anchors:
        start = first_page + pages.anchors[anchor]
    else:  # chapters start on a right-hand page, and right-hand pages are odd
        start = first_page + (first_page % 2 == 0)
    head, body_tag, _rest = doc.html.partition("<body>")
    if not body_tag:
        raise EsgError(f"{doc.path}: the print template has no <body>; cannot cut out a chapter")
    base = Path("..", "..", "print", doc.edition, doc.path.name).as_posix()
    side = "left" if start % 2 == 0 else "right"
    label = f"{PROOF_MARK}: {chapter}, {doc.edition}"  # ASCII: no glyph shared with the text
    extra = (
        "<style>\n"
        f"  html {{ break-before: {side}; }}\n"
        f"  @page :first {{ counter-reset: page {start}; }}\n"
        "  @page { @bottom-center { content: "
        f'"{label}"; font-size: 7pt; color: #b00020; vertical-align: middle; }} }}\n'
        f"{page_rules(_stylesheet_text(root, doc, dataset))}\n</style>\n"
    )
    # Last in <head>: the template's own first page number and side come before it.
    head = head.replace("</head>", extra + "</head>", 1)
    # First in <head>: the template's links to the stylesheet and images are relative.
    head = head.replace("<head>", f'<head>\n<base href="{base}">', 1)
    section = (
        f'<section class="chapter" id="{anchor}" data-chapter="{chapter}">\n'
        f"{_mark_outside_links(chosen.html, pages, first_page)}\n</section>\n"
    )
    return f"{head}<body>\n{section}</body>\n</html>\n", start


class _OutsideLinks(logging.Filter):
    """Drop WeasyPrint's complaint about links whose target is in another chapter."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("No anchor #")


@contextlib.contextmanager
def _quiet_outside_links() -> Iterator[None]:
    from weasyprint.logger import LOGGER

    quiet = _OutsideLinks()
    LOGGER.addFilter(quiet)
    try:
        yield
    finally:
        LOGGER.removeFilter(quiet)


def build_proof(
    root: Path,
    dataset: Dataset,
    chapter: str,
    edition: str,
    render: bool = True,
    warm: bool = False,
) -> Proof:
    """Render (when stale), assemble and lay out one chapter of ``edition``; return the proof.

    ``warm`` renders even when the render is fresh, to fill this process's
    memory of the chapters (the watcher's first build: later saves then
    render only the saved chapter).
    """
    from weasyprint import HTML

    start_time = time.monotonic()
    root = root.resolve()
    if edition not in dataset.report.editions:
        raise EsgError(
            f"unknown edition '{edition}'; this project publishes "
            f"{', '.join(dataset.report.editions)}"
        )
    if chapter.endswith(".md"):
        chapter = chapter[: -len(".md")]
    if chapter not in dataset.report.chapters:
        raise EsgError(
            f"no chapter '{chapter}' in this report; "
            f"chapters (data/report.yaml): {', '.join(dataset.report.chapters)}"
        )
    if render:
        from esgpress.render.write import render_edition

        render_edition(root, dataset, edition, warm=warm)
    doc = assemble(root, dataset, edition)
    pages = read_page_map(doc.path.parent)
    text, start = proof_html(root, dataset, doc, chapter, pages)
    folder = proof_dir(root, edition)
    html_path = folder / f"{chapter}.html"
    write_atomic(html_path, text)
    out = folder / f"{chapter}.pdf"
    with no_cycle_collector(), _quiet_outside_links():
        document = HTML(
            string=text, base_url=str(html_path), url_fetcher=make_fetcher(root)
        ).render()
        count = len(document.pages)
        data = document.write_pdf()
    write_atomic(out, data)
    return Proof(
        edition,
        chapter,
        out,
        html_path,
        start,
        count,
        pages is not None,
        time.monotonic() - start_time,
    )
