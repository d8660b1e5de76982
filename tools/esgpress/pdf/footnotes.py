"""Footnotes in print: each note at the foot of the page of its first call, linked.

The render numbers the calls in reading order through the edition
(:mod:`esgpress.render.notes`): one number is one note, called once or, within
one table, on several rows. In print:

* every call is ``<sup class="fn-call"><a class="fn-link" href="#fn-N">N</a></sup>``:
  real text, so ``pdftotext`` reads it and the finished PDF can tag it as a
  ``Reference`` linked to its note (:mod:`esgpress.pdf.tagging`);
* the first call of N is followed by ``<span class="footnote" id="fn-N">``
  with the note text, which WeasyPrint floats to the foot of that page
  (``float: footnote``; the generated call is switched off in print.css);
* a call right after another call gets a comma (``17,18``), and print.css
  sets a small space before the first, so a call never runs into the figure
  it follows (``2024 12``, not ``202412``);
* a call is held to the character before it (``span.fn-keep``);
* print.css sets ``footnote-policy: line``: a note that does not fit on
  the page takes the line (or table row) of its call to the next page, so
  note and call stay together; in a table row it does not, and WeasyPrint
  70 loses a note that does not fit there: the layout is then done again
  with the row of that call on the next page (:func:`lost_notes`,
  :func:`push_to_next_page`, run by :mod:`esgpress.pdf.workers`);
* a note called again in a table that continues on another page is printed
  again at the foot of that page (same number and text, id ``fn-N-K``), so
  every call has its note on its own page (:func:`calls_away_from_note`,
  :func:`repeat_notes`); :func:`lay_out_notes` runs both remedies;
* calls in a table head move to the end of the caption: the head repeats on
  every page the table continues on, and a call there would repeat pages
  away from its note.
"""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from esgpress.core.errors import Problems
from esgpress.pdf.htmltree import classes, parse_fragment, replace_child
from esgpress.pdf.tagging import NOTE_ID


def _number(sup: ET.Element) -> str:
    link = sup.find("a")
    return ((link.text if link is not None else sup.text) or "").strip()


def move_head_calls(body: ET.Element) -> int:
    """Move the calls in each table head to the end of the table's caption; return how many."""
    moved = 0
    for table in body.iter("table"):
        head = table.find("thead")
        if head is None:
            continue
        parents = {child: parent for parent in head.iter() for child in parent}
        calls = [e for e in head.iter("sup") if "fn-ref" in classes(e)]
        if not calls:
            continue
        caption = table.find("caption")
        if caption is None:
            caption = ET.Element("caption")
            table.insert(0, caption)
        for sup in calls:
            parent = parents[sup]
            index = list(parent).index(sup)
            if sup.tail:  # keep the text after the call where it was
                if index:
                    prev = parent[index - 1]
                    prev.tail = (prev.tail or "") + sup.tail
                else:
                    parent.text = (parent.text or "") + sup.tail
            parent.remove(sup)
            sup.tail = None
            caption.append(sup)
            moved += 1
    return moved


def place_footnotes(
    body: ET.Element,
    listed: dict[int, ET.Element],
    notes: dict[int, str],
    problems: Problems,
    source: str,
) -> None:
    """Replace the render's calls by linked calls, the first of each number with its note."""
    move_head_calls(body)
    parents = {child: parent for parent in body.iter() for child in parent}
    seen: set[int] = set()
    again: dict[int, int] = {}
    for sup in [e for e in body.iter("sup") if "fn-ref" in classes(e)]:
        number = _number(sup)
        if not number.isdigit():
            problems.add(source, 0, 0, f"footnote call '{number}' has no number")
            continue
        n = int(number)
        call = ET.Element("sup", {"class": "fn-call"})
        link = ET.SubElement(call, "a", {"class": "fn-link", "href": f"#fn-{n}"})
        link.text = str(n)
        parent = parents[sup]
        replace_child(parent, sup, call)
        if n in seen:  # a call again, in the same table: found after layout by its id
            again[n] = again.get(n, 1) + 1
            link.set("id", f"fn-{n}-call-{again[n]}")
            continue
        seen.add(n)
        span = ET.Element("span", {"class": "footnote", "id": f"fn-{n}", "data-n": str(n)})
        if n in listed:
            span.text = listed[n].text
            for child in list(listed[n]):
                span.append(child)
        elif n in notes:
            holder = parse_fragment(notes[n])
            span.text = holder.text
            for child in list(holder):
                span.append(child)
        else:
            problems.add(source, 0, 0, f"footnote {n} is called but its text is not in the render")
            continue
        span.tail, call.tail = call.tail, None
        parent.insert(list(parent).index(call) + 1, span)
    _separate_adjacent_calls(body)
    _hold_calls_to_their_text(body)


def _separate_adjacent_calls(body: ET.Element) -> None:
    """Give a call that directly follows another call a comma: ``17,18``, not ``1718``."""
    for parent in body.iter():
        previous_call = False
        for child in parent:
            if "fn-call" in classes(child):
                if previous_call:
                    child.set("class", "fn-call fn-next")
                    child.text = ","
                previous_call = not (child.tail or "").strip()
            elif "footnote" in classes(child):
                previous_call = previous_call and not (child.tail or "").strip()
            else:
                previous_call = False


def _hold_calls_to_their_text(body: ET.Element) -> None:
    """Wrap each call with the character before it in ``span.fn-keep`` (no line starts with it).

    Between a Chinese character and a figure a line may break, so a call
    after 「噸」 could begin the next line; the no-break span keeps the two
    together. A call right after an element (no text before it) is left.
    """
    for parent in list(body.iter()):
        for call in [c for c in parent if classes(c) == {"fn-call"}]:
            index = list(parent).index(call)
            before = parent.text if index == 0 else parent[index - 1].tail
            if not before or before[-1].isspace():
                continue
            keep = ET.Element("span", {"class": "fn-keep"})
            keep.text = before[-1]
            if index == 0:
                parent.text = before[:-1]
            else:
                parent[index - 1].tail = before[:-1]
            replace_child(parent, call, keep)
            keep.append(call)
            call.tail = None


def lost_notes(document: Any) -> list[int]:
    """Return the notes a laid-out document prints away from the page of their first call.

    WeasyPrint 70 drops such a note, or carries it to a later page (at times
    printing it twice); :func:`push_to_next_page` is the remedy.
    """
    first_call: dict[int, int] = {}
    placed: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            placed.setdefault(anchor, index)
        for _kind, target, *_rest in page.links:
            match = re.fullmatch(r"fn-(\d+)", str(target or ""))
            if match:
                first_call.setdefault(int(match.group(1)), index)
    return sorted(n for n, page in first_call.items() if placed.get(f"fn-{n}") != page)


def push_to_next_page(html: str, numbers: list[int]) -> str:
    """Start the table row (or paragraph) of each call of ``numbers`` on a new page.

    WeasyPrint 70 drops a note that does not fit on the page of its call
    when it carries it over (``footnote-policy: line`` does not help in a
    table row or before a blank page). Laid out again with the row or
    paragraph of the call on the next page, note and call print together.
    The break never leaves a table part of one body row (what a reader sees
    as a stray row): with fewer than two rows before the call's row the whole
    table moves, and a call in the last row takes the row before it along.
    """
    for n in numbers:
        call = html.find(f'href="#fn-{n}"')
        if call < 0:
            continue
        at = _table_row_break(html, call)
        if at is None:
            paragraph = html.rfind("<p", 0, call)
            if paragraph < 0:
                continue
            at = paragraph + 2
        if 'style="break-before: page"' not in html[at : at + 30]:
            html = html[:at] + ' style="break-before: page"' + html[at:]
    return html


def _table_row_break(html: str, call: int) -> int | None:
    """Where to insert the page break for a call in a table body row (None: not in one)."""
    row = html.rfind("<tr", 0, call)
    if row < 0 or html.rfind("</tr>", row, call) >= 0:
        return None
    table = html.rfind("<table", 0, row)
    body = html.rfind("<tbody", table, row)
    end = html.find("</table>", row)
    if table < 0 or body < 0 or end < 0:
        return row + 3
    starts = [body + m.start() for m in re.finditer(r"<tr[\s>]", html[body:end])]
    index = starts.index(row) if row in starts else 0
    if len(starts) - index < 2:
        index -= 1  # the last row alone on the next page: take the row before it along
    if index < 2:
        return table + len("<table")  # one row would stay behind: the table moves
    return starts[index] + 3


#: A repeated call's link id (given by :func:`place_footnotes`): note N, K-th call.
_AGAIN_ID = re.compile(r"fn-(\d+)-call-(\d+)")


def calls_away_from_note(document: Any) -> list[str]:
    """Return the ids of repeated calls on a page that prints no copy of their note.

    Only the first such call on a page is listed: one copy serves the page.
    """
    note_pages: dict[int, set[int]] = {}
    calls: list[tuple[int, int, str]] = []
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            again = _AGAIN_ID.fullmatch(anchor)
            note = NOTE_ID.fullmatch(anchor)
            if again:
                calls.append((index, int(again.group(1)), anchor))
            elif note:
                note_pages.setdefault(int(note.group(1)), set()).add(index)
    out, served = [], set()
    for index, n, anchor in calls:
        if index not in note_pages.get(n, set()) and (index, n) not in served:
            served.add((index, n))
            out.append(anchor)
    return out


def repeat_notes(html: str, call_ids: list[str]) -> str:
    """Print the note of each call in ``call_ids`` again after the call, linked from it.

    The copy is the note's own span with the id ``fn-N-K`` (N the note, K the
    call); the call's link points to the copy on its page.
    """
    for call_id in call_ids:
        match = _AGAIN_ID.fullmatch(call_id)
        at = html.find(f' id="{call_id}"')
        note = _note_span(html, int(match.group(1))) if match else None
        if match is None or at < 0 or note is None:
            continue
        n, k = match.groups()
        start = html.rfind("<a ", 0, at)
        tag_end = html.index(">", at)
        tag = html[start:tag_end].replace(f'href="#fn-{n}"', f'href="#fn-{n}-{k}"')
        html = html[:start] + tag + html[tag_end:]
        close = html.index("</sup>", start) + len("</sup>")
        copy = note.replace(f'class="footnote" id="fn-{n}"', f'class="footnote" id="fn-{n}-{k}"', 1)
        html = html[:close] + copy + html[close:]
    return html


def _note_span(html: str, n: int) -> str | None:
    """Return the ``<span class="footnote" id="fn-N">…</span>`` of note N, nested spans and all."""
    start = html.find(f'<span class="footnote" id="fn-{n}"')
    if start < 0:
        return None
    depth = 0
    for tag in re.finditer(r"<(/?)span\b", html[start:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            return html[start : html.index(">", start + tag.end()) + 1]
    return None


def lay_out_notes(html: str, render: Callable[[str], Any], tries: int = 3) -> Any:
    """Lay ``html`` out until every call has its note on its page; return the document.

    After each layout, notes WeasyPrint lost move their call to the next page
    (:func:`push_to_next_page`) and calls again on a page without their note
    get a copy of it (:func:`repeat_notes`); the layout is done again from the
    original HTML with every remedy so far, at most ``tries`` times in all.
    """
    document = render(html)
    pushed: set[int] = set()
    repeated: set[str] = set()
    for _ in range(tries - 1):
        lost = set(lost_notes(document)) - pushed
        away = set(calls_away_from_note(document)) - repeated
        if not lost and not away:
            break
        pushed |= lost
        repeated |= away
        text = push_to_next_page(html, sorted(pushed))
        # Free the last layout before the next one: two laid-out documents at
        # once doubled the peak memory (the layout workers run with the cycle
        # collector off, so its cycles go only when collected).
        document = None
        gc.collect()
        document = render(repeat_notes(text, sorted(repeated)))
    return document
