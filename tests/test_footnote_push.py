"""Where the print layout breaks the page for a note WeasyPrint lost (pdf/footnotes.py).

The call's row starts the next page, but never so that a table part of one
body row is left behind or sent ahead: the sample's zh-Hant targets table
once printed its first row alone at the foot of a page.
"""

from __future__ import annotations

import re

import pytest

from esgpress.pdf.footnotes import push_to_next_page

BREAK = ' style="break-before: page"'


CALL = '<sup class="fn-call"><a href="#fn-7">7</a></sup>'


def table(rows: int, call_in: int) -> str:
    body = "".join(f"<tr><td>r{i}{CALL if i == call_in else ''}</td></tr>" for i in range(rows))
    return f"<p>lead</p><table><thead><tr><th>h</th></tr></thead><tbody>{body}</tbody></table>"


def broken_before(html: str) -> str:
    """The element (and row number, for a row) that starts the new page."""
    at = html.index(BREAK)
    tag = re.match(r"<(\w+)", html[html.rfind("<", 0, at) :])
    assert tag is not None
    if tag.group(1) == "tr":
        return f"row {html[:at].count('<tr') - 2}"  # less the head row, from 0
    return tag.group(1)


@pytest.mark.parametrize(
    ("rows", "call_in", "expected"),
    [
        (6, 3, "row 3"),  # three rows stay, three go
        (6, 2, "row 2"),  # two rows stay
        (6, 1, "table"),  # one row would stay: the table moves
        (6, 0, "table"),
        (6, 5, "row 4"),  # the last row takes the one before it along
        (3, 2, "table"),  # ... unless that leaves one row: the table moves
        (4, 3, "row 2"),
    ],
)
def test_no_table_part_of_one_row(rows: int, call_in: int, expected: str) -> None:
    out = push_to_next_page(table(rows, call_in), [7])
    assert out.count(BREAK) == 1
    assert broken_before(out) == expected


def test_a_call_in_a_paragraph_breaks_before_the_paragraph() -> None:
    html = '<p>one</p><p>two<sup class="fn-call"><a href="#fn-3">3</a></sup></p>'
    assert (
        push_to_next_page(html, [3])
        == f'<p>one</p><p{BREAK}>two<sup class="fn-call"><a href="#fn-3">3</a></sup></p>'
    )


def test_two_lost_notes_in_one_row_break_once() -> None:
    html = table(6, 3).replace("r3", 'r3<sup class="fn-call"><a href="#fn-8">8</a></sup>')
    out = push_to_next_page(html, [7, 8])
    assert out.count(BREAK) == 1


def test_a_note_with_no_call_changes_nothing() -> None:
    html = table(4, 2)
    assert push_to_next_page(html, [99]) == html


NOTE = '<span class="footnote" id="fn-7" data-n="7">A <span class="x">nested</span> note.</span>'


def test_a_call_again_gets_a_copy_of_its_note_and_links_to_it() -> None:
    from esgpress.pdf.footnotes import repeat_notes

    html = (
        f'<p>a<sup class="fn-call"><a class="fn-link" href="#fn-7">7</a></sup>{NOTE}</p>'
        '<p>b<sup class="fn-call"><a class="fn-link" href="#fn-7" id="fn-7-call-2">7</a></sup>'
        "</p>"
    )
    out = repeat_notes(html, ["fn-7-call-2"])
    copy = NOTE.replace('id="fn-7"', 'id="fn-7-2"')
    assert out == html.replace(
        'href="#fn-7" id="fn-7-call-2">7</a></sup>',
        f'href="#fn-7-2" id="fn-7-call-2">7</a></sup>{copy}',
    )
    assert out.count(NOTE) == 1  # the note itself is where it was


def test_a_call_id_that_is_not_in_the_html_changes_nothing() -> None:
    from esgpress.pdf.footnotes import repeat_notes

    html = f"<p>a{NOTE}</p>"
    assert repeat_notes(html, ["fn-7-call-9", "fn-8-call-2"]) == html
