"""The allowlist every chapter's final HTML passes through, on the site and in print.

The resource and active-content checks (:mod:`esgpress.render.resources`) read
the Markdown source with Python's HTML parser; a browser reads the HTML that
Python-Markdown makes with the HTML5 parsing rules, and the two disagree on
enough inputs (comments ended early or late, ``<svg><style>`` mutation,
schemes behind character references, ``<iframe srcdoc>``) that a pattern on
the source cannot be the last word. So the *output* is cleaned: every chapter
(site page content and print HTML) goes through nh3, the binding of the Rust
sanitiser ammonia, which parses like a browser (html5ever) and keeps only the
tags, attributes and URL schemes listed here, drops comments, and removes
``<script>``, ``<style>`` and the like with their content. A chapter's
``<style>`` therefore never reaches a page or the PDF, where it would restyle
every other chapter and the cover.

:func:`removals` says, for ``esgpress check``, what :func:`sanitize` would take
out of a chapter; it parses with tinyhtml5 (the HTML5 parser WeasyPrint uses),
so it sees the document a browser sees, not the one a pattern sees.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import nh3

#: Elements a report's chapter, table, chart or note may use (what the sample emits
#: and the documented Markdown produces, plus plain text-level HTML).
TAGS = frozenset(
    {
        *("a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup"),
        *("dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure"),
        *("h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark"),
        *("ol", "p", "pre", "q", "s", "samp", "section", "small", "span", "strong", "sub"),
        *("summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr"),
        *("u", "ul", "var", "wbr", "nav", "article", "aside", "header", "footer", "main"),
    }
)

#: Elements removed together with their content (their text is never prose).
DROP_WITH_CONTENT = frozenset(
    {"script", "style", "template", "noscript", "iframe", "object", "embed", "textarea"}
)

#: Attributes allowed on every element.
GLOBAL_ATTRS = frozenset(
    {
        *("class", "id", "title", "lang", "hidden", "role", "markdown"),
        *("aria-label", "aria-labelledby", "aria-describedby", "aria-hidden"),
        *("data-note", "data-kpi", "data-search-exclude"),
        # what the generated tables and the print edition read back
        *(
            "data-year",
            "data-segment",
            "data-subheading",
            "data-n",
            "data-chapter",
            "data-bookmark",
        ),
        *("data-topic", "data-rating"),
    }
)

#: Attributes allowed on some elements only.
TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height", "loading"}),
    "td": frozenset({"colspan", "rowspan", "headers"}),
    "th": frozenset({"colspan", "rowspan", "headers", "scope"}),
    "col": frozenset({"span"}),
    "colgroup": frozenset({"span"}),
    "li": frozenset({"value"}),
    "ol": frozenset({"start", "reversed", "type"}),
    "time": frozenset({"datetime"}),
    "details": frozenset({"open"}),
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
}

#: URL schemes a hyperlink may use (the same as the render's link check).
LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
#: ``data:`` images an ``<img>`` may inline (raster only: SVG can carry script).
DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp)[;,]", re.I)
_URL_ATTRS = frozenset({"href", "src", "cite"})


def _url_allowed(tag: str, attr: str, value: str) -> bool:
    """Whether a URL attribute value may stay (relative, or an allowed scheme)."""
    url = value.strip()
    if tag == "img" and attr == "src" and DATA_IMAGE.match(url):
        return True
    try:
        scheme = urlsplit(url).scheme.lower()
    except ValueError:
        return False
    if not scheme:
        return ":" not in url.split("/", 1)[0]  # "javascript :x" has no scheme to urlsplit
    return scheme in LINK_SCHEMES


def _filter(tag: str, attr: str, value: str) -> str | None:
    if attr in _URL_ATTRS and not _url_allowed(tag, attr, value):
        return None
    return value


def sanitize(html: str) -> str:
    """Return ``html`` with everything outside the allowlist removed, comments included."""
    return nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags=set(DROP_WITH_CONTENT),
        attributes={"*": set(GLOBAL_ATTRS), **{t: set(a) for t, a in TAG_ATTRS.items()}},
        attribute_filter=_filter,
        strip_comments=True,
        link_rel=None,
        url_schemes={*LINK_SCHEMES, "data"},
    )


def removals(html: str) -> list[tuple[str, str]]:
    """Describe, in document order, what :func:`sanitize` removes from ``html``.

    Each entry is (what, needle): what reads ``<tag>`` (an element) or
    ``attr= on <tag>`` (an attribute); the needle is text to look for in the
    source (the tag or attribute name, or the start of a refused URL).
    Comments are not listed: dropping them is expected (a writer's notes to
    reviewers stay in the source).
    """
    from tinyhtml5.parser import HTMLParser

    root = HTMLParser(namespace_html_elements=False).parse_fragment(html)
    found: list[tuple[str, str]] = []
    _walk(root, found)
    return found


def deepest(html: str) -> tuple[int, str]:
    """Return how many elements deep ``html`` nests at most, and the innermost tag there.

    Walked with a stack, not recursion: the point is to refuse what would
    exhaust Python's recursion in WeasyPrint (Markdown alone nests ``> > >…``
    three hundred blockquotes deep).
    """
    from tinyhtml5.parser import HTMLParser

    root = HTMLParser(namespace_html_elements=False).parse_fragment(html)
    best, tag = 0, ""
    stack: list[tuple[ET.Element, int]] = [(root, 0)]
    while stack:
        element, depth = stack.pop()
        if depth > best and isinstance(element.tag, str):
            best, tag = depth, element.tag.rsplit("}", 1)[-1].lower()
        stack += [(child, depth + 1) for child in element]
    return best, tag


def _walk(element: ET.Element, found: list[tuple[str, str]]) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue  # a comment
        tag = child.tag.rsplit("}", 1)[-1].lower()
        if tag not in TAGS:
            found.append((f"<{tag}>", f"<{tag}"))
            if tag in DROP_WITH_CONTENT or "}" in child.tag:
                continue  # removed with its content, or foreign (SVG, MathML) markup
        else:
            allowed = GLOBAL_ATTRS | TAG_ATTRS.get(tag, frozenset())
            for name, value in child.attrib.items():
                attr = name.rsplit("}", 1)[-1].lower()
                if attr not in allowed:
                    found.append((f"{attr}= on <{tag}>", f"{attr}="))
                elif attr in _URL_ATTRS and not _url_allowed(tag, attr, value):
                    start = re.match(r"\s*[A-Za-z]*", value)
                    needle = start.group(0).strip() if start and start.group(0).strip() else attr
                    found.append((f"{attr}= on <{tag}> ('{_short(value)}')", needle))
        _walk(child, found)


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."


def too_deep(markdown: str, html: str) -> tuple[int, str] | None:
    """(line, message) when the chapter's HTML nests more than ``MAX_NESTING`` elements deep.

    The raw HTML of a chapter is counted at its line by the source check
    (:mod:`esgpress.render.resources`); this counts what Markdown builds
    (``> > > …``, indented lists), at the line that starts with the most
    quote and list markers, the deepest of the Markdown.
    """
    from esgpress.render.resources import MAX_NESTING

    depth, tag = deepest(html)
    if depth <= MAX_NESTING:
        return None
    rows = markdown.split("\n")
    marks = [len(row) - len(row.lstrip(" \t>-*+0123456789.")) for row in rows]
    line = marks.index(max(marks)) + 1 if rows else 1
    return line, (
        f"the chapter's HTML nests elements more than {MAX_NESTING} deep (here <{tag}>); "
        "a report never needs that many levels: flatten it"
    )


def sanitizer_findings(markdown: str, html: str | None = None) -> list[tuple[int, str]]:
    """(line of ``markdown``, message) for each thing the sanitiser removes from its HTML.

    The HTML has no line numbers of its own; each removed element, attribute
    or URL is found in the Markdown by its name or start, from where the
    previous one was found (raw HTML passes through Markdown unchanged, so
    they are there), else at the first line.
    """
    from esgpress.render.markdown_html import markdown_to_html

    out: list[tuple[int, str]] = []
    cursor = 0
    lowered = markdown.lower()
    html = markdown_to_html(markdown) if html is None else html
    for item, needle in removals(html):
        at = lowered.find(needle.lower(), cursor)
        if at < 0:
            at = lowered.find(needle.lower())
        if at >= 0:
            cursor = at + len(needle)
        line = markdown.count("\n", 0, at) + 1 if at >= 0 else 1
        out.append(
            (
                line,
                f"the published page drops {item}: it is not on the allowlist of tags, "
                "attributes and link schemes of a report (docs/security.md)",
            )
        )
    return out
