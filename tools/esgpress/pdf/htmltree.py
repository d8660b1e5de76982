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


#: Full-width marks with a blank half: opening ones (blank on the left) and
#: closing ones and stops (blank on the right, or both in the centred
#: Traditional forms). Two of them side by side are set one half-width closer.
OPENING = "「『（《〈【〔“‘"
CLOSING = "」』）》〉】〕”’。，、；：！？"
#: The mark that gives up its blank half: a closing one before any mark, or the
#: second of two opening ones.
#: Marks a mark whose partner is across an element boundary (``」</strong>：``).
BOUNDARY = "\ue000"
HALT_PAIR = re.compile(
    rf"[{CLOSING}](?=[{OPENING}{CLOSING}])|(?<=[{OPENING}])[{OPENING}]"
    rf"|[{OPENING}{CLOSING}](?={BOUNDARY})"
)
#: Elements whose text is a line of its own: a pair never spans their edges.
BLOCKS = {"p", "li", "td", "th", "dt", "dd", "caption", "figcaption", "div", "section"}


def compress_punctuation(el: ET.Element) -> None:
    """Wrap each mark of an adjacent full-width pair that is set half-width in ``span.halt``.

    Chinese typesetting halves one of two adjacent marks (」） 。「): printed
    at two full widths they leave a visible hole. Noto Sans CJK has no
    ``chws`` feature that would do this by itself, so the mark is marked here
    and print.css applies the font's ``halt`` (half-width) feature to it.
    Runs after :func:`keep_last_chars`; code and the marks' own spans are left alone.
    """
    if el.tag in ("pre", "code") or "halt" in classes(el):
        return
    if el.tag in BLOCKS or el.tag in HEADINGS:
        _mark_boundaries(el)
    for child in list(el):
        compress_punctuation(child)
    el.text = _split_halts(el, el.text, 0)
    for child in list(el):
        index = list(el).index(child) + 1
        child.tail = _split_halts(el, child.tail, index)


def _slots(el: ET.Element, out: list[tuple[ET.Element, str]]) -> None:
    """Collect the text pieces of ``el``'s inline content in reading order.

    A footnote, code or a nested block is a ``stop``: no pair spans it.
    """
    out.append((el, "text"))
    for child in el:
        if child.tag in BLOCKS or child.tag in ("pre", "code") or "footnote" in classes(child):
            out.append((child, "stop"))
        else:
            _slots(child, out)
        out.append((child, "tail"))


def _mark_boundaries(block: ET.Element) -> None:
    """Put :data:`BOUNDARY` after a mark whose partner starts the next piece of text."""
    slots: list[tuple[ET.Element, str]] = []
    _slots(block, slots)
    previous: tuple[ET.Element, str] | None = None
    for el, attr in slots:
        text = "" if attr == "stop" else getattr(el, attr) or ""
        if attr == "stop":
            previous = None
            continue
        if not text:
            continue
        if previous is not None:
            owner, name = previous
            before = getattr(owner, name)
            if before[-1] in CLOSING and text[0] in OPENING + CLOSING:
                setattr(owner, name, before + BOUNDARY)
            elif before[-1] in OPENING and text[0] in OPENING:
                text = text[0] + BOUNDARY + text[1:]
                setattr(el, attr, text)
        previous = (el, attr)


def _split_halts(parent: ET.Element, text: str | None, index: int) -> str | None:
    """Cut the marks out of ``text`` into spans inserted at ``index``; return the text before."""
    if not text or HALT_PAIR.search(text) is None:
        return text
    pieces = HALT_PAIR.split(text)
    marks = HALT_PAIR.findall(text)
    for offset, (mark, after) in enumerate(zip(marks, pieces[1:], strict=True)):
        span = ET.Element("span", {"class": "halt"})
        span.text, span.tail = mark, after.removeprefix(BOUNDARY)
        parent.insert(index + offset, span)
    return pieces[0]


# ---------------------------------------------------------------- assembly
