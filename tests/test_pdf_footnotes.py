"""Footnotes of the sample's three PDFs, read back as a reader and a screen reader get them.

The numbers, pages and separations are read from the text drawn in the PDF
(``tools/printcheck.py``: text runs with their sizes, and ``pdftotext`` for
how a call reads); the tagging from the structure tree with pikepdf. The
sample is built once per session, shared with tests/test_pdf_standards.py.
Tests named ``iso14289_…`` enforce the PDF/UA-1 clause they name.
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

import pytest

import printcheck
import test_pdf_standards
from esgpress.data.model import EDITIONS
from printcheck import footnote_facts, glued_markers
from test_pdf_standards import Sample, open_pdf, pytestmark  # noqa: F401  (shared marks)

pikepdf = pytest.importorskip("pikepdf")

#: The sample built once per session (tests/test_pdf_standards.py).
sample = test_pdf_standards.sample

#: Reading a PDF's text runs takes seconds: once per file for the whole module
#: (footnote_facts looks the reader up on its module, so it shares the cache).
printcheck.read_pages = functools.cache(printcheck.read_pages)
read_pages = printcheck.read_pages


def struct_elems(pdf: Any) -> list[Any]:
    """Every structure element, depth first."""
    out, todo, seen = [], [pdf.Root.StructTreeRoot], set()
    while todo:
        node = todo.pop()
        k = node.get("/K")
        kids = list(k) if isinstance(k, pikepdf.Array) else [] if k is None else [k]
        for kid in reversed(kids):
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid and kid.objgen not in seen:
                seen.add(kid.objgen)
                out.append(kid)
                todo.append(kid)
    return out


@pytest.mark.parametrize("edition", EDITIONS)
def test_footnote_numbers_increase_in_reading_order(sample: Sample, edition: str) -> None:
    pages = read_pages(sample.pdfs[edition])
    # A note is printed again only on a later page that calls it again (asserted
    # in test_every_marker_has_its_note_on_its_page); its first prints are in order.
    notes = list(dict.fromkeys(n for p in pages for n in p.notes))
    firsts = list(dict.fromkeys(n for p in pages for n, _ in p.markers))
    assert len(notes) >= 20  # the sample calls notes in every chapter with figures
    assert notes == list(range(1, len(notes) + 1))  # 1, 2, 3 … in page order
    assert firsts == notes  # markers introduce the numbers in the same order


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_marker_has_its_note_on_its_page(sample: Sample, edition: str) -> None:
    facts = footnote_facts(sample.pdfs[edition])
    assert facts.markers >= facts.notes
    assert facts.markers_without_note == 0
    assert facts.notes_before_marker == 0
    assert facts.notes_out_of_order_on_page == 0
    # A call again in a table continued on the next page has a copy of its note there.
    assert facts.repeated_calls_on_the_next_page == 0
    assert facts.notes_again_without_call == 0


@pytest.mark.parametrize("edition", EDITIONS)
def test_markers_read_apart_from_figures_and_each_other(sample: Sample, edition: str) -> None:
    pdf = sample.pdfs[edition]
    assert glued_markers(pdf, read_pages(pdf)) == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_9_notes_tagged_as_note_with_unique_ids(sample: Sample, edition: str) -> None:
    printed = [n for p in read_pages(sample.pdfs[edition]) for n in p.notes]
    with open_pdf(sample, edition) as pdf:
        notes = [e for e in struct_elems(pdf) if e.S == "/Note"]
        ids = [str(e.ID) for e in notes]
        # fn-N for a note, fn-N-K for its copy beside the K-th call of N
        assert sorted(int(i.split("-")[1]) for i in ids) == sorted(printed)
        assert max(Counter(ids).values()) == 1
        tree = pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree)
        assert {k: tree[k].objgen for k in tree} == {str(e.ID): e.objgen for e in notes}
        for note in notes:
            assert note.K[0].S == "/Lbl"  # the note's number


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_9_calls_are_references_linked_to_their_note(
    sample: Sample, edition: str
) -> None:
    with open_pdf(sample, edition) as pdf:
        ids = set(pikepdf.NameTree(pdf.Root.StructTreeRoot.IDTree).keys())
        calls = 0
        for elem in struct_elems(pdf):
            if elem.S != "/Link":
                continue
            for kid in elem.K:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
                    dest = str(kid.Obj.get("/Dest", ""))
                    if dest.startswith("fn-"):
                        calls += 1
                        assert elem.P.S == "/Reference"
                        assert dest in ids
    markers = sum(len(p.markers) for p in read_pages(sample.pdfs[edition]))
    assert calls == markers


@pytest.mark.parametrize("edition", EDITIONS)
def test_iso14289_1_7_1_leaders_are_artifacts(sample: Sample, edition: str) -> None:
    from esgpress.pdf.tagging import _marked_text  # the same reading of marked content

    with open_pdf(sample, edition) as pdf:
        pages = {p.obj.objgen: p for p in pdf.pages}
        shown_by_page: dict[Any, dict[int, bytes]] = {}
        for elem in struct_elems(pdf):
            if elem.S != "/Link" or "/Pg" not in elem:
                continue
            mcids = [k for k in elem.K if isinstance(k, int)]
            if len(mcids) < 3:
                continue
            key = elem.Pg.objgen
            if key not in shown_by_page:
                shown_by_page[key] = _marked_text(pages[key])[1]
            shown = {shown_by_page[key].get(m) for m in mcids}
            assert len(shown) > 1, "a run of identical glyphs (a leader) is tagged content"
        contents = pdf.pages[1]  # the contents page
        layout = [
            i
            for i in pikepdf.parse_content_stream(contents)
            if str(i.operator) == "BDC"
            and i.operands[0] == "/Artifact"
            and i.operands[1].get("/Type") == "/Layout"
        ]
        assert len(layout) >= 100  # the dots of the contents page
