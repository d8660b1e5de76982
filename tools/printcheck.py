"""Measure the footnotes of printed PDFs: what a reader sees, read back from the file.

The print edition's footnote rules (docs/print.md, "Footnotes") are checked on
the PDF itself, not on the HTML given to WeasyPrint, because what goes wrong
(a note pushed to another page, a marker read as part of a year) happens in
the layout. ``tests/test_pdf_footnotes.py`` uses these functions; run the
script to print the counts docs/print.md gives before → after::

    python tools/printcheck.py dist/*.pdf

How the PDF is read: every text run with its size and position
(``tools/pdfruns.py``, one run per text box WeasyPrint draws; pikepdf parses
the content streams). A *marker* is a run of digits set at the call size
(6 pt, or 8 pt after a heading); a *note* is a 7.5 pt run of digits followed on
the same line by the note's text (the note's number at the foot of the page).
A number called again in the same table may stand on the page after its
note (the table continues there); those are counted apart.
Whether a marker reads apart from the number before it is what ``pdftotext``
makes of it: the word that holds the marker must be the marker alone (with a
separating comma at most), not ``202412`` or ``1718``.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pdfruns import Run, pdf_runs

#: Sizes (pt) the print stylesheet sets: calls, calls in a heading, note text.
CALL_SIZES = (6.0, 8.0)
NOTE_SIZE = 7.5
#: How far a note's text starts after its number (the 5 mm marker box), pt.
NOTE_INDENT = (13.0, 15.5)
#: The mark of a note continued from the page before (print.css, "footnotes").
CONTINUED = "(cont.)"


@dataclass
class Page:
    """The footnote facts of one page."""

    index: int
    markers: list[tuple[int, Run]] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)
    continued: list[int] = field(default_factory=list)


def read_pages(pdf: Path) -> list[Page]:
    """Markers and notes of every page, in the order they are drawn (reading order)."""
    pages: list[Page] = []
    for index, runs in enumerate(pdf_runs(pdf)):
        page = Page(index)
        for i, run in enumerate(runs):
            text = run.text.strip().rstrip(",")
            if not text.isdigit():
                continue
            after = runs[i + 1] if i + 1 < len(runs) else None
            before = runs[i - 1] if i else None
            if (
                run.size == NOTE_SIZE
                and after is not None
                and after.size == NOTE_SIZE
                and abs(after.y - run.y) < 1
                and NOTE_INDENT[0] <= after.x - run.x <= NOTE_INDENT[1]
                and not after.text.strip().isdigit()
            ):
                page.notes.append(int(text))
                if after.text.strip().startswith(CONTINUED):
                    page.continued.append(int(text))
            elif run.size == CALL_SIZES[0] or (
                run.size == CALL_SIZES[1] and before is not None and before.size >= 11
            ):
                page.markers.append((int(text), run))
        pages.append(page)
    return pages


def glued_markers(pdf: Path, pages: list[Page]) -> list[tuple[int, str]]:
    """Markers that ``pdftotext`` reads as part of a longer word: (page number, word)."""
    glued: list[tuple[int, str]] = []
    for page in pages:
        if not page.markers:
            continue
        n = page.index + 1
        out = subprocess.run(
            ["pdftotext", "-bbox", "-f", str(n), "-l", str(n), str(pdf), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        height = float(re.search(r'<page width="[\d.]+" height="([\d.]+)"', out)[1])  # type: ignore[index]
        word = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
        words = [
            (float(a), float(b), float(c), float(d), w) for a, b, c, d, w in re.findall(word, out)
        ]
        numbers = {str(number) for number, _ in page.markers}
        for number, run in page.markers:
            x, y = run.x + 0.5, height - run.y - 1
            for x0, y0, x1, y1, word in words:
                if x0 <= x <= x1 and y0 <= y <= y1:
                    parts = word.split(",")  # neighbouring calls: 17,18
                    if str(number) not in parts or not set(parts) <= numbers:
                        glued.append((n, word))
                    break
    return glued


@dataclass
class Facts:
    """What docs/print.md counts for one PDF."""

    markers: int
    notes: int
    distinct_numbers: int
    note_sequence_breaks: int
    marker_sequence_breaks: int
    markers_without_note: int
    repeated_calls_on_the_next_page: int
    notes_before_marker: int
    notes_out_of_order_on_page: int
    glued: int
    notes_printed_again: int  # a copy on a later page that calls the note again
    notes_again_without_call: int


def footnote_facts(pdf: Path) -> Facts:
    """Count the footnote faults of one PDF (0 everywhere is the goal, markers and notes aside)."""
    pages = read_pages(pdf)
    notes = [n for p in pages for n in p.notes]
    markers = [n for p in pages for n, _ in p.markers]
    marker_breaks = sum(1 for i, n in enumerate(markers) if i and n <= markers[i - 1])
    printed_on: dict[int, list[int]] = {}
    for p in pages:
        for n in p.notes:
            printed_on.setdefault(n, []).append(p.index)
    # A note printed again (for a call again on a later page of its table) is
    # not a break in the sequence: the sequence is of each note's first print.
    firsts = list(printed_on)
    note_breaks = sum(1 for i, n in enumerate(firsts) if n != (firsts[i - 1] if i else 0) + 1)
    without = 0
    before = 0
    repeats_after = 0
    seen: set[int] = set()
    for p in pages:
        for n, _ in p.markers:
            where = printed_on.get(n, [])
            first = n not in seen
            seen.add(n)
            if p.index in where:
                continue
            if first and p.index + 1 in where and n in pages[p.index + 1].continued:
                continue
            if not first and p.index - 1 in where:
                repeats_after += 1  # a call again in a table continued from the page before
                continue
            without += 1
            if any(w < p.index for w in where):
                before += 1
    out_of_order = sum(1 for p in pages for i, n in enumerate(p.notes) if i and n <= p.notes[i - 1])
    called = {(p.index, n) for p in pages for n, _ in p.markers}
    first_print = {n: where[0] for n, where in printed_on.items()}
    copies = [(p.index, n) for p in pages for n in p.notes if p.index != first_print[n]]
    return Facts(
        markers=len(markers),
        notes=len(notes),
        distinct_numbers=len(set(notes)),
        note_sequence_breaks=note_breaks,
        marker_sequence_breaks=marker_breaks,
        markers_without_note=without,
        repeated_calls_on_the_next_page=repeats_after,
        notes_before_marker=before,
        notes_out_of_order_on_page=out_of_order,
        glued=len(glued_markers(pdf, pages)),
        notes_printed_again=len(copies),
        notes_again_without_call=sum(1 for c in copies if c not in called),
    )


def main(argv: list[str]) -> int:
    """Print the footnote facts of each PDF named."""
    for name in argv:
        facts = footnote_facts(Path(name))
        print(f"{name}:")
        for key, value in vars(facts).items():
            print(f"  {key.replace('_', ' ')}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
