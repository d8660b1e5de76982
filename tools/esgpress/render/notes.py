"""Number a chapter's footnote calls in reading order, through the edition.

The chapter functions print a call where the template asks for it, but the
order of those calls is the order Jinja evaluated them, not the order a reader
meets them (a table built first and printed later, a caption's notes after the
cells'). So the calls are numbered once the chapter's Markdown is complete,
in the order they stand in it, continuing the edition's sequence. The site and
the PDF read the same numbers from the render.

One number is one note printed once, at the foot of the page of its call
(docs/print.md, "Footnotes"): a note called again gets a new number, except
within one table, where the same note on several rows or columns keeps the
number of its first call (the table is read as one block).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from esgpress.render.state import EditionState, Note

#: A call as :meth:`esgpress.render.vocabulary.ChapterVocabulary.footnote` prints it.
CALL = re.compile(r'<sup class="fn-ref"><a href="#fn-\d+" data-note="([^"]*)">\d+</a></sup>')
_TOKENS = re.compile(r"<table\b|</table>|" + CALL.pattern)


def call_html(key: str, number: int) -> str:
    """Return the HTML of a call of note ``key`` numbered ``number`` (0 before numbering)."""
    attrs = f'href="#fn-{number}" data-note="{html.escape(key)}"'
    return f'<sup class="fn-ref"><a {attrs}>{number}</a></sup>'


def number_notes(
    markdown: str, state: EditionState, chapter: str, text_of: Callable[[str], str]
) -> str:
    """Give every call of the chapter its number; record the notes in ``state``.

    ``text_of(key)`` is the note's HTML in the edition. Numbers continue from
    the notes of the chapters rendered before (``state.notes``).
    """
    numbers = state.chapter_notes.setdefault(chapter, [])
    depth = 0
    in_table: dict[str, int] = {}

    def number(match: re.Match[str]) -> str:
        nonlocal depth
        token = match.group(0)
        if token.startswith("<table"):
            depth += 1
            return token
        if token == "</table>":
            depth = max(depth - 1, 0)
            if depth == 0:
                in_table.clear()
            return token
        key = html.unescape(match.group(1))
        n = in_table.get(key) if depth else None
        if n is None:
            n = len(state.notes) + 1
            state.notes[str(n)] = Note(n, key, text_of(key), chapter)
            numbers.append(n)
            if depth:
                in_table[key] = n
        return call_html(key, n)

    return _TOKENS.sub(number, markdown)
