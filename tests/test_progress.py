"""Layout progress: pages counted from WeasyPrint, a live line on a terminal, else plain lines."""

from __future__ import annotations

import io
import logging

from esgpress.pdf.progress import LayoutProgress, PageCounter


def test_pages_are_counted_from_weasyprint():
    from weasyprint import HTML
    from weasyprint.logger import PROGRESS_LOGGER

    seen: list[int] = []
    counter = PageCounter(seen.append)
    level = PROGRESS_LOGGER.level
    PROGRESS_LOGGER.addHandler(counter)
    PROGRESS_LOGGER.setLevel(logging.INFO)
    try:
        html = "".join(f'<p style="break-after: page">{i}</p>' for i in range(3))
        document = HTML(string=html).render()
    finally:
        PROGRESS_LOGGER.removeHandler(counter)
        PROGRESS_LOGGER.setLevel(level)
    assert len(document.pages) == 3
    assert seen == [1, 2, 3]


def test_terminal_shows_one_line_redrawn_in_place():
    stream = io.StringIO()
    progress = LayoutProgress(["zh-Hant", "en"], stream=stream, live=True)
    progress.page("en", 12)
    progress.line("pdf en: laid out 12 pages (3.0 s)")
    progress.close()
    text = stream.getvalue()
    assert text.startswith("\r\x1b[Klaying out: zh-Hant 0 p · en 12 p · 0 s")
    # A whole line clears the status line, prints, and draws the status again.
    assert "\r\x1b[Kpdf en: laid out 12 pages (3.0 s)\n\r\x1b[Klaying out:" in text
    assert text.endswith("\r\x1b[K")


def test_plain_lines_when_not_a_terminal(capsys):
    stream = io.StringIO()
    progress = LayoutProgress(["en"], stream=stream)  # StringIO is not a terminal
    assert not progress.live
    progress.page("en", 1)
    progress.line("pdf en: started")
    progress.close()
    assert stream.getvalue() == ""
    assert capsys.readouterr().err == "pdf en: started\n"
