"""Page flow and line quality of the sample's print edition (docs/print.md, "Page flow").

The sample report is laid out once for this module in both page layouts: the
screen PDFs (default: chapters on the next page, no blank pages) and the print
PDFs (``--layout print``: chapters on a right-hand page). The counts come from
``tools/printmeasure.py``, the script that gives docs/print.md its
before → after table, so the documented numbers and these assertions are the
same measurement.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils"),
]

ROOT = Path(__file__).resolve().parent.parent


def _printmeasure() -> ModuleType:
    spec = importlib.util.spec_from_file_location("printmeasure", ROOT / "tools/printmeasure.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["printmeasure"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


measure = _printmeasure()


@dataclass
class Flow:
    root: Path
    screen: dict[str, Path]
    print: dict[str, Path]
    counts: dict[tuple[str, str], Any]

    def count(self, layout: str, edition: str) -> Any:
        key = (layout, edition)
        if key not in self.counts:
            pdf = (self.screen if layout == "screen" else self.print)[edition]
            self.counts[key] = measure.measure(pdf, measure.source_text(pdf, self.root))
        return self.counts[key]


@pytest.fixture(scope="module")
def flow(
    sample_pdfs: tuple[Path, dict[str, Path]], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Flow]:
    """The run's sample PDFs (screen layout), and the print layout built from a copy of them.

    A copy, because the sample is shared with modules on the other xdist
    worker, which may be copying or reading it while this one builds.
    """
    from esgpress.pdf.build import build_pdfs

    shared, screen = sample_pdfs
    root = tmp_path_factory.mktemp("print-flow") / "project"
    shutil.copytree(shared, root, ignore=shutil.ignore_patterns("dist"))
    dataset, _ = load_project(root)
    cwd = Path.cwd()
    os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
    try:
        printed = build_pdfs(root, dataset, EDITIONS, force=True, layout="print")
    finally:
        os.chdir(cwd)
    yield Flow(root, screen, printed, {})


def test_the_print_pdf_is_written_beside_the_screen_pdf(flow: Flow) -> None:
    for edition in EDITIONS:
        screen, printed = flow.screen[edition], flow.print[edition]
        assert screen.name == f"xiaomi-esg-2024-{edition}.pdf" and screen.is_file()
        assert printed.name == f"xiaomi-esg-2024-{edition}-print.pdf" and printed.is_file()
        assert screen.read_bytes() != printed.read_bytes()


@pytest.mark.parametrize("edition", EDITIONS)
def test_screen_pdf_has_no_page_without_body_text(flow: Flow, edition: str) -> None:
    counts = flow.count("screen", edition)
    assert counts.blank == [], f"pages without text: {counts.blank}"
    # Near-empty pages only where a chapter ends (the next chapter starts a new page).
    assert counts.near_empty == counts.near_empty_chapter_end


@pytest.mark.parametrize("edition", EDITIONS)
def test_print_pdf_starts_chapters_on_right_hand_pages(flow: Flow, edition: str) -> None:
    first_page = load_project(flow.root)[0].report.print.first_page
    counts = flow.count("print", edition)
    starts = [first_page + i for i in counts.chapter_pages]
    assert len(starts) >= 10  # cover, contents and the sample's chapters
    assert all(n % 2 == 1 for n in starts[1:]), f"chapters on pages {starts}"
    # The blank pages it needs are the versos before those starts, and only those.
    assert all(p + 1 in {i + 1 for i in counts.chapter_pages} for p in counts.blank)
    screen = flow.count("screen", edition)
    assert any(
        (first_page + i) % 2 == 0 for i in screen.chapter_pages[1:]
    )  # the screen one differs


@pytest.mark.parametrize("layout", ["screen", "print"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_table_fragment_with_fewer_than_two_body_rows(
    flow: Flow, layout: str, edition: str
) -> None:
    assert flow.count(layout, edition).short_fragments == []


@pytest.mark.parametrize("layout", ["screen", "print"])
def test_english_hyphenation_limits(flow: Flow, layout: str) -> None:
    counts = flow.count(layout, "en")
    assert counts.hyphen_run <= 2, "no more than two hyphenated lines in a row"
    assert counts.short_breaks == [], "at least three letters before and after a break"
    # WeasyPrint's defaults (5 2 2, no zone, British patterns) gave 445 on the sample.
    assert 0 < counts.hyphenated <= 100


@pytest.mark.parametrize("edition", ["zh-Hant", "zh-Hans"])
def test_adjacent_fullwidth_punctuation_is_compressed(flow: Flow, edition: str) -> None:
    counts = flow.count("screen", edition)
    assert counts.pairs >= 100  # the sample has about 150 such pairs
    # Left: pairs across an element boundary (」</strong>：) and generated text (頁）).
    assert len(counts.uncompressed) <= counts.pairs // 20, counts.uncompressed


@pytest.mark.parametrize("edition", ["zh-Hant", "zh-Hans"])
def test_chinese_lines_fill_the_measure(flow: Flow, edition: str) -> None:
    counts = flow.count("screen", edition)
    assert counts.main_lines > 500
    # A 480pt block (48 × 10pt): a line of Chinese characters ends on the margin.
    # Lines with Latin words or numbers stay short by less than a character.
    assert counts.flush / counts.main_lines > 0.4
    assert len(counts.ragged) / counts.body_lines < 0.08


def test_punctuation_pairs_are_marked_across_element_boundaries() -> None:
    from esgpress.pdf.htmltree import compress_punctuation, parse_fragment, serialize_children

    body = parse_fragment(
        "<p>「我們」）見<strong>「重要性」</strong>：「<em>「引」</em>」"
        '<span class="footnote">注」</span>。<code>」）</code></p>'
        "<ul><li>甲」</li><li>「乙</li></ul>"
    )
    compress_punctuation(body)
    html = serialize_children(body)
    assert html == (
        '<p>「我們<span class="halt">」</span>）見<strong>「重要性<span class="halt">」</span>'
        '</strong><span class="halt">：</span>「<em><span class="halt">「</span>引'
        '<span class="halt">」</span></em>」<span class="footnote">注」</span>。'
        "<code>」）</code></p>"
        "<ul><li>甲」</li><li>「乙</li></ul>"
    )
