"""A long document's layout garbage is collected before drawing, without changing a byte.

The PDF workers lay out with Python's cycle collector off (a fifth faster);
from :data:`esgpress.pdf.workers.COLLECT_FROM_PAGES` pages on they collect
once between layout and drawing, which lowers the peak memory of a 10x
report. The collection must not change the PDF.
"""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import esgpress.pdf.workers as workers
from conftest import copy_project
from esgpress.data.loader import load_project


def build_en(root: Path) -> bytes:
    from esgpress.pdf.build import build_pdfs

    dataset, _ = load_project(root)
    (path,) = build_pdfs(root, dataset, ("en",), force=True, render=True).values()
    return path.read_bytes()


@pytest.mark.slow
def test_collecting_before_drawing_keeps_the_pdf_byte_for_byte(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = copy_project("print", tmp_path / "project")
    cwd = Path.cwd()
    os.chdir(root)  # the zh-Hant converter looks for data/glossary.yaml from here
    try:
        calls: list[int] = []
        collect = gc.collect

        def counted(*args: int) -> int:
            calls.append(1)
            return collect(*args)

        monkeypatch.setattr(gc, "collect", counted)
        plain = build_en(root)
        plain_calls = len(calls)
        monkeypatch.setattr(workers, "COLLECT_FROM_PAGES", 1)  # the fixture has 15 pages
        calls.clear()
        collected = build_en(root)
        assert len(calls) == plain_calls + 1  # one more collection: before drawing
        assert collected == plain
    finally:
        os.chdir(cwd)
