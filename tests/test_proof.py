"""Chapter proofs (`esgpress pdf --proof`): one chapter, the full PDF's pages and page numbers.

A proof must set its pages exactly as the full PDF does, so the tests compare
each proof page with the same page of the full PDF, as pdftotext lays them
out (positions included), above the bottom margin that carries the proof
mark.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project, edit
from esgpress.cli import main
from esgpress.data.loader import load_project
from esgpress.pdf.pagemap import PAGES_NAME, read_page_map
from esgpress.pdf.proof import Proof, build_proof, page_rules
from esgpress.render.write import render_edition

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

FIRST_PAGE = 110  # data/report.yaml print.first_page of the fixture
EDITIONS = ("zh-Hant", "en")
#: A4 in points, and the height above the bottom margin (22 mm) where the text may go.
A4_WIDTH, TEXT_BOTTOM = 595, 780


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The print fixture with a full build of two editions (which records the page maps)."""
    from esgpress.pdf.build import build_pdfs

    root = copy_project("print", tmp_path_factory.mktemp("proof") / "project")
    cwd = Path.cwd()
    os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
    try:
        dataset, _ = load_project(root)
        for edition in EDITIONS:
            render_edition(root, dataset, edition)
        build_pdfs(root, dataset, EDITIONS, force=True)
        yield root
    finally:
        os.chdir(cwd)


def page_text(pdf: Path, page: int, bottom: int = TEXT_BOTTOM, top: int = 0) -> str:
    """One page (from 1) as pdftotext -layout lays it out, cropped to a band of the page."""
    crop = ["-x", "0", "-y", str(top), "-W", str(A4_WIDTH), "-H", str(bottom - top)]
    return subprocess.run(
        ["pdftotext", "-layout", "-f", str(page), "-l", str(page), *crop, str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))  # type: ignore[union-attr]


@pytest.mark.slow
@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("chapter", ["climate", "people"])
def test_proof_pages_equal_the_full_pdf_pages(built: Path, edition: str, chapter: str) -> None:
    dataset, _ = load_project(built)
    proof = build_proof(built, dataset, chapter, edition)
    assert proof.from_full_build
    assert proof.pdf == built / "build" / "proof" / edition / f"{chapter}.pdf"
    assert not list((built / "dist").glob("*proof*"))
    pages = read_page_map(built / "build" / "print" / edition)
    assert pages is not None
    start = pages.anchors[f"chapter-{chapter}"]
    assert proof.first_page == FIRST_PAGE + start
    # Its pages are the full PDF's pages start+1 … start+n, text and positions alike.
    full = built / "dist" / f"printdemo-2024-{edition}.pdf"
    count = pdf_pages(proof.pdf)
    assert count == proof.pages >= 1
    for index in range(count):
        mine = page_text(proof.pdf, index + 1)
        theirs = page_text(full, start + index + 1)
        assert mine == theirs, f"{edition} {chapter}: proof page {index + 1}"
        assert str(proof.first_page + index) in mine  # the running head's true number
        assert "proof" in page_text(proof.pdf, index + 1, bottom=842, top=TEXT_BOTTOM)
    # The next chapter starts on the next page of the full PDF, or the one after a
    # blank left-hand page: the proof is the whole chapter.
    following = [v for k, v in pages.anchors.items() if k.startswith("chapter-") and v > start]
    assert min(following, default=pdf_pages(full)) - (start + count) in (0, 1)


@pytest.mark.slow
def test_cross_references_out_of_the_chapter_print_the_full_builds_pages(built: Path) -> None:
    dataset, _ = load_project(built)
    proof = build_proof(built, dataset, "climate", "en")
    html = proof.html.read_text(encoding="utf-8")
    pages = read_page_map(built / "build" / "print" / "en")
    assert pages is not None
    target = FIRST_PAGE + pages.anchors["people.employment"]
    assert f'data-page="{target}" href="#people.employment"' in html
    text = subprocess.run(
        ["pdftotext", str(proof.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"(p.\u00a0{target})" in text or f"(p. {target})" in text


def test_page_rules_repeat_the_target_counter_rules() -> None:
    css = (
        "/* a { content: target-counter(attr(href), page) } */\n"
        'a.xref::after { content: " (p.\\00a0" target-counter(attr(href), page) ")"; }\n'
        ":lang(zh-HK) a.xref::after, .x a.index-ref::after "
        '{ content: "第" target-counter(attr(href), page) "頁"; }\n'
        "p { color: red; }\n"
    )
    rules = page_rules(css)
    assert 'a.xref[data-page]::after { content: " (p.\\00a0" attr(data-page) ")"; }' in rules
    assert ":lang(zh-HK) a.xref[data-page]::after, .x a.index-ref[data-page]::after" in rules
    assert "color" not in rules and "target-counter" not in rules
    assert rules.count("{") == 2  # the commented-out rule is not repeated


@pytest.mark.slow
def test_without_a_full_build_the_proof_says_so_and_starts_at_the_first_page(
    tmp_path: Path,
) -> None:
    root = copy_project("print", tmp_path / "project")
    result = CliRunner().invoke(
        main, ["--project", str(root), "pdf", "--proof", "climate.md", "--lang", "en"]
    )
    assert result.exit_code == 0, result.output
    assert "no full build has recorded the pages" in result.output
    assert "build/proof/en/climate.pdf" in result.output
    assert not (root / "build" / "print" / "en" / PAGES_NAME).exists()
    assert not (root / "dist").exists()
    first = page_text(root / "build" / "proof" / "en" / "climate.pdf", 1)
    assert str(FIRST_PAGE + 1) in first  # a right-hand page after the first one (110)


def test_an_unknown_chapter_is_a_message(tmp_path: Path) -> None:
    root = copy_project("print", tmp_path / "project")
    result = CliRunner().invoke(main, ["--project", str(root), "pdf", "--proof", "clímate"])
    assert result.exit_code != 0
    assert "no chapter 'clímate' in this report" in result.output
    assert "about, climate, people, index" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_the_page_map_follows_the_layout(built: Path) -> None:
    raw = json.loads((built / "build" / "print" / "en" / PAGES_NAME).read_text(encoding="utf-8"))
    full = built / "dist" / "printdemo-2024-en.pdf"
    assert raw["pages"] == pdf_pages(full)
    assert raw["anchors"]["contents"] < raw["anchors"]["chapter-about"]
    # A heading's page in the map is the page that prints it.
    index = raw["anchors"]["people.employment"]
    heading = page_text(full, index + 1)
    root = built / "content" / "en" / "people.md"
    title = re.search(r"^## (.+?) \{#people\.employment\}", root.read_text(encoding="utf-8"), re.M)
    assert title is not None and title.group(1).strip() in heading


@pytest.mark.slow
def test_the_watcher_rebuilds_the_proof_when_the_chapter_is_saved(tmp_path: Path) -> None:
    """A save of the chapter lays the proof out again, with the new text (no timing asserted)."""
    from esgpress.pipeline import watch_proof_chapter

    root = copy_project("print", tmp_path / "project")
    made: list[Proof | None] = []
    failures: list[str | None] = []
    ready = threading.Semaphore(0)

    def report(proof: Proof | None, message: str | None) -> None:
        made.append(proof)
        failures.append(message)
        ready.release()

    stop = threading.Event()
    watcher = threading.Thread(
        target=watch_proof_chapter, args=(root, "climate", "en", report, stop), daemon=True
    )
    watcher.start()
    try:
        assert ready.acquire(timeout=300), "no first proof"
        assert failures == [None]
        pdf = root / "build" / "proof" / "en" / "climate.pdf"
        assert "A sentence saved while watching" not in page_text(pdf, 1)
        chapter = root / "content" / "en" / "climate.md"
        text = chapter.read_text(encoding="utf-8")
        first = next(line for line in text.splitlines() if line and not line.startswith("#"))
        edit(chapter, first, first + " A sentence saved while watching.", count=1)
        assert ready.acquire(timeout=300), "the save was not noticed"
        assert failures == [None, None]
        assert "A sentence saved while watching" in " ".join(page_text(pdf, 1).split())
        # A save that breaks the chapter is a message, and the watcher goes on.
        edit(chapter, "A sentence saved", "{{ no_such_function() }} A sentence saved", count=1)
        assert ready.acquire(timeout=300), "the second save was not noticed"
        assert made[-1] is None and "no_such_function" in (failures[-1] or "")
        assert watcher.is_alive()
    finally:
        stop.set()
        watcher.join(timeout=60)
    assert not watcher.is_alive()
