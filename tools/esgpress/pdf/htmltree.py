"""ElementTree helpers for the print HTML: parse and serialise fragments, classes, CJK lines.

The chapter transforms (:mod:`esgpress.pdf.chapters`) work on the tree the
shared Markdown converter's HTML parses into; these helpers are the small
vocabulary they share.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
CJK = "\u2e80-\u2fff\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef"
CJK_BREAK = re.compile(rf"(?<=[{CJK}])[ \t]*\n[ \t]*(?=[{CJK}])")


def parse_fragment(fragment: str) -> ET.Element:
    """Parse an HTML fragment as a browser would; return its ``<body>`` element."""
    import tinyhtml5  # WeasyPrint's HTML parser; parses like a browser would

    doc = tinyhtml5.parse(
        f"<!DOCTYPE html><html><head></head><body>{fragment}</body></html>",
        namespace_html_elements=False,
    )
    body: ET.Element | None = doc.find("body")
    assert body is not None
    return body


def serialize_children(el: ET.Element) -> str:
    """Return the HTML of ``el``'s content (text and children), without ``el`` itself."""
    out = [html.escape(el.text or "", quote=False)]
    out += [ET.tostring(child, encoding="unicode", method="html") for child in el]
    return "".join(out)


def classes(el: ET.Element) -> set[str]:
    """Return the classes of ``el``."""
    return set((el.get("class") or "").split())


def add_class(el: ET.Element, name: str) -> None:
    """Add class ``name`` to ``el`` unless it has it."""
    if name not in classes(el):
        el.set("class", " ".join([*(el.get("class") or "").split(), name]))


def plain_text(el: ET.Element) -> str:
    """Text of an element without footnote calls or footnote bodies."""
    parts = [el.text or ""]
    for child in el:
        if not ({"fn-ref", "fn-call", "footnote"} & classes(child)):
            parts.append(plain_text(child))
        parts.append(child.tail or "")
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def replace_child(parent: ET.Element, old: ET.Element, new: ET.Element) -> None:
    """Put ``new`` in the place of ``old`` (a child of ``parent``), keeping ``old``'s tail."""
    index = list(parent).index(old)
    new.tail = old.tail
    parent.remove(old)
    parent.insert(index, new)


LAST_CHARS = re.compile(rf"[{CJK}]{{3}}\s*$")


def keep_last_chars(el: ET.Element) -> None:
    """Keep the last three characters of a Chinese paragraph together.

    A paragraph whose last line is a single character (「望。」) looks broken in
    Chinese typesetting; WeasyPrint has no ``text-wrap: pretty``, so the end of
    the paragraph is wrapped in a no-break span and moves down as one piece.
    """
    last = el[-1] if len(el) else None
    text = (last.tail if last is not None else el.text) or ""
    match = LAST_CHARS.search(text)
    if match is None or match.start() < 2:
        return
    if last is not None:
        last.tail = text[: match.start()]
    else:
        el.text = text[: match.start()]
    keep = ET.SubElement(el, "span", {"class": "keep"})
    keep.text = text[match.start() :].rstrip()


def join_cjk_lines(el: ET.Element) -> None:
    """Drop soft line breaks between Chinese characters (they would print as spaces)."""
    if el.tag in ("pre", "code"):
        return
    if el.text:
        el.text = CJK_BREAK.sub("", el.text)
    for child in el:
        join_cjk_lines(child)
        if child.tail:
            child.tail = CJK_BREAK.sub("", child.tail)


# ---------------------------------------------------------------- assembly
