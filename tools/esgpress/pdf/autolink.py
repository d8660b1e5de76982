"""Links for the URLs and e-mail addresses written as plain text in the print HTML.

The chapters write web addresses and mailboxes as text ("https://www.mi.com/csr",
"mi-esg@xiaomi.com"); on the site the Markdown stays as it is, but in the PDF a
reader expects to click them. Each one outside an existing link, code or a
footnote call becomes ``<a class="external" href="...">`` with the same text,
which WeasyPrint writes as a link annotation (a URI action; ``mailto:`` for
addresses).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

#: A web address: scheme and host, then anything up to a space, a bracket or CJK text.
URL = r"https?://[A-Za-z0-9.-]+(?:/[^\s<>()\[\]{}\"'\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*)?"
#: An e-mail address (a dot-separated domain with at least two labels).
EMAIL = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
FINDER = re.compile(rf"(?P<url>{URL})|(?P<email>{EMAIL})")

#: Elements whose text is never linked.
SKIP = {"a", "code", "pre", "script", "style", "sup"}

#: Punctuation that ends a sentence, not an address.
TRAILING = ".,;:!?"


def _matches(text: str) -> list[tuple[int, int, str]]:
    """(start, end, href) of each address in ``text``, trailing punctuation left out."""
    found = []
    for m in FINDER.finditer(text):
        start, end = m.span()
        while end > start and text[end - 1] in TRAILING:
            end -= 1
        value = text[start:end]
        href = value if m.group("url") else f"mailto:{value}"
        found.append((start, end, href))
    return found


def _link(href: str, text: str) -> ET.Element:
    a = ET.Element("a", {"class": "external", "href": href})
    a.text = text
    return a


def _split(text: str) -> tuple[str, list[tuple[ET.Element, str]]]:
    """Cut ``text`` into a leading string and (link, following text) pairs."""
    pieces: list[tuple[ET.Element, str]] = []
    head, pos = None, 0
    for start, end, href in _matches(text):
        if head is None:
            head = text[:start]
        else:
            pieces[-1] = (pieces[-1][0], text[pos:start])
        pieces.append((_link(href, text[start:end]), ""))
        pos = end
    if head is None:
        return text, []
    pieces[-1] = (pieces[-1][0], text[pos:])
    return head, pieces


def autolink(body: ET.Element) -> int:
    """Turn plain-text URLs and e-mail addresses under ``body`` into links; return how many."""
    count = 0

    def visit(el: ET.Element) -> None:
        nonlocal count
        if el.tag in SKIP or "footnote-call" in (el.get("class") or ""):
            return
        if el.text:
            head, pieces = _split(el.text)
            if pieces:
                el.text = head
                for i, (a, tail) in enumerate(pieces):
                    a.tail = tail
                    el.insert(i, a)
                count += len(pieces)
        for child in list(el):
            visit(child)
            if child.tail and child.tag:
                head, pieces = _split(child.tail)
                if pieces:
                    child.tail = head
                    at = list(el).index(child) + 1
                    for i, (a, tail) in enumerate(pieces):
                        a.tail = tail
                        el.insert(at + i, a)
                    count += len(pieces)

    visit(body)
    return count
