"""PDF page numbers in the web content index.

The content index (``render/contentindex.py``) links each disclosure code to
the sections that answer it. In the PDF those links become page numbers; on
the site they were links only, though the table's header says "section and
page". When the edition's PDF has been built, the site adds, after each
section link, the page it starts on in the PDF, linked to that page
(``files/<pdf>#page=23``, which browsers' PDF viewers open at the page).

The PDF build names a destination for every section key (WeasyPrint writes
element ids as named destinations), so the page is read from the PDF itself:
what the reader downloads is what the index cites. The number shown is the
page's label (the number printed on it), the ``#page=`` the physical page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

#: A section link of the content index in the generated Markdown.
INDEX_REF = re.compile(r"\]\(([\w-]+)\.md#([^)\s]+)\)\{: \.index-ref \}")
#: How a page is written, per edition.
PAGE_WORD = {"zh-Hant": "第{}頁", "zh-Hans": "第{}页", "en": "p. {}"}


def section_pages(pdf: Path) -> dict[str, tuple[int, str]]:
    """Map each named destination of ``pdf`` to (physical page 1-based, page label).

    A file in dist/ that is not a readable PDF gives no pages: the content
    index then links sections without page numbers instead of failing the site.
    """
    import pikepdf

    pages: dict[str, tuple[int, str]] = {}
    try:
        doc = pikepdf.open(pdf)
    except pikepdf.PdfError:
        return pages
    with doc:
        names = doc.Root.get("/Names")
        if names is None or "/Dests" not in names:
            return pages
        index: dict[tuple[int, int], int] = {page.obj.objgen: i for i, page in enumerate(doc.pages)}
        for key, dest in pikepdf.NameTree(names.Dests).items():
            array = dest.get("/D") if isinstance(dest, pikepdf.Dictionary) else dest
            if not isinstance(array, pikepdf.Array) or not len(array):
                continue
            number = index.get(array[0].objgen)
            if number is None:
                continue
            label = pikepdf.Page(doc.pages[number]).label or str(number + 1)
            pages[str(key)] = (number + 1, str(label))
    return pages


def add_pdf_pages(
    markdown: str, pages: dict[str, tuple[int, str]], pdf_href: str, edition: str
) -> str:
    """Append "p. N", linked to that page of the PDF, after each section link in ``pages``.

    >>> add_pdf_pages("[W](c.md#c.w){: .index-ref }", {"c.w": (24, "22")}, "r.pdf", "en")
    '[W](c.md#c.w){: .index-ref } <a class="index-page" href="r.pdf#page=24">p. 22</a>'
    """
    word = PAGE_WORD.get(edition, PAGE_WORD["en"])

    def with_page(m: re.Match[str]) -> str:
        found = pages.get(m.group(2))
        if found is None:
            return m.group(0)
        physical, label = found
        # Raw HTML: MkDocs checks Markdown links against the docs, and the PDFs
        # are copied into files/ after it has built the pages.
        text = html.escape(word.format(label))
        href = html.escape(f"{pdf_href}#page={physical}")
        return f'{m.group(0)} <a class="index-page" href="{href}">{text}</a>'

    return INDEX_REF.sub(with_page, markdown)
