"""Site-only touches to the rendered HTML: accessible scroll regions, robots.txt, dates.

The chapter and data-centre HTML is the same render the PDF prints
(:mod:`esgpress.render.tables`), so what only a screen needs is added here,
on the way into the site: a KPI table that may scroll sideways on a phone
becomes a named, keyboard-focusable region (WCAG 2.1.1, axe
``scrollable-region-focusable``). The scroll cue under a table wider than its
column is added by ``templates/site/assets/esgpress.js``: in the HTML, search
would index its words on every table. The print HTML stays untouched, so the
PDFs do not change.
"""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import yaml

#: What a table without a caption is called in its region's name, per edition.
SCROLL_WORDS: dict[str, dict[str, str]] = {
    "zh-Hant": {"region": "表格"},
    "zh-Hans": {"region": "表格"},
    "en": {"region": "Table"},
}

#: The wrap's opening tag; the render may give it attributes of its own (an ``id``).
_OPEN = re.compile(r'<div class="kpi-table-wrap"([^>]*)>')
_CAPTION = re.compile(r"\s*<table[^>]*>\s*<caption>(.*?)</caption>", re.S)
# The wrap holds the table and, on the data page, a hidden paragraph of search terms.
_CLOSE = re.compile(r"</table>.*?</div>", re.S)
_TAGS = re.compile(r"<[^>]+>")


def mark_scroll_regions(page_html: str, locale: str, page_title: str) -> str:
    """Make every ``.kpi-table-wrap`` a focusable, named region.

    The region's name is the table's caption, or ``<page title> <table n>``
    for a table without one, so a screen-reader user hears which table has
    the focus. Example::

        mark_scroll_regions('<div class="kpi-table-wrap"><table class="kpi-table">'
                            '<caption>Energy</caption>…</table></div>', "en", "Data")
        # '<div class="kpi-table-wrap" role="region" tabindex="0" aria-label="Energy">…'
    """
    words = SCROLL_WORDS.get(locale, SCROLL_WORDS["en"])
    out: list[str] = []
    pos = 0
    count = 0
    used: set[str] = set()
    while (opening := _OPEN.search(page_html, pos)) is not None:
        start = opening.start()
        close = _CLOSE.search(page_html, start)
        if close is None:
            break
        count += 1
        caption = _CAPTION.match(page_html, opening.end())
        name = html.unescape(_TAGS.sub(" ", caption.group(1))).strip() if caption else ""
        name = " ".join(name.split()) or f"{page_title} {words['region']} {count}"
        unique, n = name, 2
        while unique in used:  # region names are unique on a page (axe landmark-unique)
            unique, n = f"{name} ({n})", n + 1
        used.add(unique)
        name = unique
        out.append(page_html[pos:start])
        out.append(
            f'<div class="kpi-table-wrap"{opening.group(1)} role="region" tabindex="0" '
            f'aria-label="{html.escape(name, quote=True)}">'
        )
        out.append(page_html[opening.end() : close.end()])
        pos = close.end()
    out.append(page_html[pos:])
    return "".join(out)


def robots_txt(site_url: str | None) -> str:
    """Return the site's robots.txt: crawl everything; name the sitemap if the address is known."""
    lines = ["User-agent: *", "Allow: /"]
    if site_url:
        base = site_url if site_url.endswith("/") else site_url + "/"
        lines.append(f"Sitemap: {base}sitemap.xml")
    return "\n".join(lines) + "\n"


def published_date(project: Path) -> str | None:
    """Return the report's publication date (``published`` in data/report.yaml), YYYY-MM-DD.

    The sitemap's ``lastmod``: the date the content was published, not the
    build date, so rebuilds stay byte-identical. The file has already been
    checked by the build; anything unreadable here means no date.
    """
    try:
        data = yaml.safe_load((project / "data" / "report.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return None
    value = data.get("published") if isinstance(data, dict) else None
    if isinstance(value, date):
        return value.isoformat()
    return (
        str(value) if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) else None
    )


#: An <img> of the page content without a loading attribute.
_IMG = re.compile(r"<img(?![^>]*\sloading=)", re.IGNORECASE)


def lazy_images(page_html: str) -> str:
    """Let the browser fetch and decode content images (charts, photos) when they near the screen.

    A chapter's charts sit below its first screen on a phone; fetched lazily
    they no longer compete with the text for the first paint (Lighthouse
    mobile). The PDF is built from the render, not from this HTML.

    >>> lazy_images('<img src="a.svg" alt="A"><img loading="eager" src="b.png">')
    '<img loading="lazy" decoding="async" src="a.svg" alt="A"><img loading="eager" src="b.png">'
    """
    return _IMG.sub('<img loading="lazy" decoding="async"', page_html)
