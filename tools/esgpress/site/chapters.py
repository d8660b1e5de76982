"""Rendered chapters as site pages.

The render (``build/render/<edition>/<chapter>.md``) is already the page
body: headings with ``{#key}`` anchors, KPI tables, footnotes, callouts,
charts and Markdown cross-references (``[title](climate.md#climate.targets)``).
The site only has to

- rename a chapter whose key is a site page (``index`` → ``content-index``)
  and rewrite the links that point to it;
- add front matter: a description for search engines and link previews;
- pull out the chapter's first paragraph as the intro of its landing card.

All functions are pure: text in, text out.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping

from esgpress.site.config import page_name

#: A Markdown link to a chapter file, with an optional fragment.
_CHAPTER_LINK = re.compile(r"\]\(([A-Za-z0-9_.\-]+)\.md(#[^)\s]*)?\)")
_HEADING = re.compile(r"^#{1,6}\s")
_TAG = re.compile(r"<[^>]+>")
_FN_REF = re.compile(r'<sup class="fn-ref">.*?</sup>', re.S)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)(\{[^}]*\})?")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_|`)(.+?)\1")
_ATTR_LIST = re.compile(r"\s*\{[:#.][^}]*\}\s*$")


def rewrite_links(markdown: str, chapters: Mapping[str, str]) -> str:
    """Point links at renamed chapter pages (``index.md#x`` → ``content-index.md#x``).

    ``chapters`` maps chapter keys to their page names; links to other files
    are left alone.

    >>> rewrite_links("[Index](index.md#index.gri)", {"index": "content-index"})
    '[Index](content-index.md#index.gri)'
    """

    def repl(m: re.Match[str]) -> str:
        target = chapters.get(m.group(1), m.group(1))
        return f"]({target}.md{m.group(2) or ''})"

    return _CHAPTER_LINK.sub(repl, markdown)


def plain_text(fragment: str) -> str:
    """Reduce a Markdown/HTML fragment to plain text (no footnote calls, tags or link targets)."""
    text = _FN_REF.sub("", fragment)
    text = _TAG.sub("", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _EMPHASIS.sub(lambda m: m.group(2), text)
    text = html.unescape(text)
    return re.sub(r"\s+", " ", text).strip()


def first_paragraph(markdown: str) -> str:
    """Return the first prose paragraph of a chapter as plain text ('' if there is none)."""
    para: list[str] = []
    for line in markdown.splitlines():
        stripped = line.strip()
        if not stripped:
            if para:
                break
            continue
        if para:
            para.append(stripped)
            continue
        if _HEADING.match(stripped) or stripped.startswith(
            ("<", "|", "{", "---", "!!!", "- ", "* ", "> ")
        ):
            continue
        if re.match(r"^\d+\.\s", stripped):
            continue
        para.append(stripped)
    return plain_text(" ".join(para))


def shorten(text: str, chinese: bool, limit: int | None = None) -> str:
    """Cut an intro to a card's length at a sentence or word boundary, with an ellipsis."""
    limit = limit or (90 if chinese else 200)
    if len(text) <= limit:
        return text
    cut = text[:limit]
    if chinese:
        stop = max(cut.rfind(p) for p in "。；！？")
        if stop >= limit // 2:
            # A semicolon ends a clause, not the thought: the card says there is more.
            return cut[: stop + 1] if cut[stop] != "；" else cut[:stop] + "……"
        return cut.rstrip("，、；：") + "……"
    stop = cut.rfind(". ")
    if stop >= limit // 2:
        return cut[: stop + 1]
    return cut[: cut.rfind(" ")].rstrip(",;:") + "…"


_KPI_TABLE = re.compile(r'<table class="kpi-table">(.*?)</table>', re.S)
_ROW_LABEL = re.compile(r'<th class="label" scope="row">(.*?)</th>', re.S)
_MARK = re.compile(r'<span class="assurance[^"]*"[^>]*>.*?</span>', re.S)


def searchable_tables(markdown: str, separator: str) -> str:
    """Index KPI tables by their row labels instead of their cells.

    Material's search flattens a table into one run of text
    (``指標單位202420232022…``), which makes unreadable result snippets. Each
    KPI table is excluded from the index (``data-search-exclude``) and followed
    by a hidden paragraph of its row labels, so searching an indicator still
    finds the table and the snippet reads as a list of indicators.

    >>> row = '<tr><th class="label" scope="row">A</th></tr>'
    >>> head, tail = searchable_tables(f'<table class="kpi-table">{row}</table>', "; ").split(row)
    >>> head
    '<table class="kpi-table" data-search-exclude="true">'
    >>> tail
    '</table><p class="esg-search-terms" hidden>A</p>'
    """

    def repl(m: re.Match[str]) -> str:
        labels = [plain_text(_MARK.sub("", cell)) for cell in _ROW_LABEL.findall(m.group(1))]
        terms = separator.join(label for label in labels if label)
        hidden = (
            f'<p class="esg-search-terms" hidden>{html.escape(terms, quote=False)}</p>'
            if terms
            else ""
        )
        return f'<table class="kpi-table" data-search-exclude="true">{m.group(1)}</table>{hidden}'

    return _KPI_TABLE.sub(repl, markdown)


def chapter_page(
    markdown: str, chapters: Mapping[str, str], description: str, separator: str = "、"
) -> str:
    """Return the site page of a rendered chapter: front matter, body with links rewritten."""
    front = "---\n" + f"description: {json.dumps(description, ensure_ascii=False)}\n" + "---\n\n"
    return front + searchable_tables(rewrite_links(markdown, chapters), separator)


def page_names(keys: list[str]) -> dict[str, str]:
    """Page names of the chapters, by key."""
    return {k: page_name(k) for k in keys}


def strip_attr_list(title: str) -> str:
    """Strip a trailing ``{#key}`` attribute list from a heading title."""
    return _ATTR_LIST.sub("", title)
