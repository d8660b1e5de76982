"""Layout worker processes: one edition in, one PDF (or the reasons it failed) out.

:func:`run_jobs` lays out each :class:`Job` in its own forked process and
returns a :class:`Result` per edition; a worker never raises for user problems
and a worker that dies (killed, out of memory) is reported, not waited for.
A layout fails when WeasyPrint reports a glyph no font has (tofu) or any font
problem, when a resource cannot be loaded (:mod:`esgpress.pdf.fetcher`), or
when a table or image is wider than the text area. Other WeasyPrint warnings
(an unsupported CSS property, say) are reported but do not fail the build.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import multiprocessing
import os
import sys
import time
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from esgpress.core import console
from esgpress.core.errors import EsgError
from esgpress.core.files import close_inherited_locks, write_atomic
from esgpress.pdf import finish
from esgpress.pdf.fetcher import make_fetcher
from esgpress.pdf.footnotes import lay_out_notes
from esgpress.pdf.pagemap import page_map, write_page_map
from esgpress.pdf.progress import LayoutProgress, PageCounter

#: WeasyPrint modules whose warnings are about fonts and glyphs (a missing
#: glyph, a font that cannot be loaded or subset): always fatal. Warnings from
#: elsewhere (unsupported CSS, say) are reported, even when they mention fonts.
FONT_MODULES = ("pdf/fonts.py", "text/fonts.py", "draw/text.py")

#: Seconds the parent waits for a worker's message before redrawing the progress line.
REDRAW_SECONDS = 0.5

#: Tolerance (CSS px) before a box counts as sticking out of the text area.
OVERFLOW_TOLERANCE = 1.0

#: Pages from which a layout's garbage is collected before the document is
#: drawn: with the collector off, the cycles the layout dropped stay in
#: memory and drawing adds to them (77 MB of a 434 MB peak for the sample's
#: English edition). One collection costs about 0.4 s of CPU per hundred
#: pages, so only long documents (a 10x report's editions) pay for it.
COLLECT_FROM_PAGES = 400


#: Where a layout's lines and page counts go: the worker's pipe to the parent
#: (in a worker process) or the progress display (laying out in this process).
_SINK: dict[str, Any] = {}


def say(message: str) -> None:
    """Progress on the terminal (stderr), one line at a time, from any process.

    In a worker, the line goes to the parent, which prints it above its
    status line (:mod:`esgpress.pdf.progress`).
    """
    if "pipe" in _SINK:
        _SINK["pipe"].send(("say", message))
    elif "progress" in _SINK:
        _SINK["progress"].line(message, warning=message.startswith("warning"))
    elif message.startswith("warning"):
        console.warn(message)
    else:
        console.say(message)


def _page_done(edition: str, number: int) -> None:
    if "pipe" in _SINK:
        _SINK["pipe"].send(("page", edition, number))
    elif "progress" in _SINK:
        _SINK["progress"].page(edition, number)


@dataclass
class Job:
    """What a worker needs to lay out one edition (plain data: it crosses processes)."""

    root: str
    edition: str
    html_path: str
    html: str
    out: str
    variant: str
    attachment: str | None = None
    #: Added to the worker's niceness: the smaller editions yield a little to the largest.
    nice: int = 0
    #: Record the anchors' pages for the proofs: only the screen layout, whose
    #: pages the proofs reproduce (a print-layout build must not overwrite them).
    page_map: bool = True


@dataclass
class Result:
    """What a worker reports back."""

    edition: str
    out: str
    pages: int = 0
    layout_s: float = 0.0
    write_s: float = 0.0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _is_fatal(record: logging.LogRecord) -> bool:
    path = record.pathname.replace(os.sep, "/")
    return (
        record.levelno >= logging.ERROR
        or path.endswith(FONT_MODULES)
        or ".notdef" in record.getMessage()
    )


def _fatal(records: Iterable[logging.LogRecord]) -> list[str]:
    return [r.getMessage() for r in records if _is_fatal(r)]


def _overflows(document: Any) -> list[str]:
    """List the tables and images that stick out of the text area."""
    from weasyprint.formatting_structure import boxes

    found = []
    for page in document.pages:
        page_box = page._page_box
        left = page_box.content_box_x()
        right = left + page_box.width
        chapter = ""
        for box in page_box.descendants():
            element = getattr(box, "element", None)
            if element is not None and element.get("data-chapter") and box.element_tag == "section":
                chapter = f"chapter '{element.get('data-chapter')}', "
            if not isinstance(box, (boxes.TableBox, boxes.ReplacedBox)):
                continue
            box_right = box.position_x + box.margin_width()
            if box_right > right + OVERFLOW_TOLERANCE:
                what = "an image" if isinstance(box, boxes.ReplacedBox) else "a table"
                caption = ""
                if element is not None and element.find("caption") is not None:
                    caption = " '" + "".join(element.find("caption").itertext()).strip() + "'"
                mm = (box_right - right) * 25.4 / 96
                found.append(
                    f"{what}{caption} is {mm:.1f} mm wider than the text area "
                    f"({chapter}PDF page {document.pages.index(page) + 1})"
                )
    return found


@contextlib.contextmanager
def no_cycle_collector() -> Iterator[None]:
    """Pause Python's cycle collector while WeasyPrint lays out and draws a document.

    Layout builds millions of small objects that stay alive until the PDF is
    written, so every automatic collection scans a growing heap and frees
    almost nothing: it costs about 40 % of the layout and drawing time. The
    objects the process already holds are frozen out of later scans and the
    collector resumes (with one full collection) when the edition is written.
    """
    was_enabled = gc.isenabled()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.unfreeze()
        if was_enabled:
            gc.enable()


def print_edition(job: Job) -> Result:
    """Lay out and write one edition; never raises for user problems (see ``Result.error``)."""
    with no_cycle_collector():
        result = _print_edition(job)
    gc.collect()
    return result


def _print_edition_and_exit(job: Job) -> Result:
    """:func:`print_edition` in a worker process that ends after it.

    The collector stays off to the end: the process ends once the PDF is
    written, and switching the collector back on makes its first pass scan
    every object the layout left in the youngest generation (about a third
    of a second, on the critical path of the slowest edition).
    """
    gc.disable()
    if job.nice and hasattr(os, "nice"):  # POSIX only
        os.nice(job.nice)
    return _print_edition(job)


def _print_edition(job: Job) -> Result:
    from weasyprint import HTML, Attachment
    from weasyprint.logger import LOGGER, PROGRESS_LOGGER
    from weasyprint.urls import FatalURLFetchingError

    result = Result(job.edition, job.out)
    out = Path(job.out)
    collect = _Collect()
    LOGGER.addHandler(collect)
    pages = PageCounter(lambda number: _page_done(job.edition, number))
    PROGRESS_LOGGER.addHandler(pages)
    progress_level = PROGRESS_LOGGER.level
    PROGRESS_LOGGER.setLevel(logging.INFO)
    propagate = LOGGER.propagate
    LOGGER.propagate = False
    start = time.monotonic()
    say(f"pdf {job.edition}: started")
    try:
        fetcher = make_fetcher(Path(job.root))

        def render(text: str) -> Any:
            collect.records.clear()  # only the last layout's messages count
            page = HTML(string=text, base_url=job.html_path, url_fetcher=fetcher)
            return page.render(pdf_variant=job.variant)

        # Laid out again while a note is lost or a call is away from its note.
        document = lay_out_notes(job.html, render)
        result.pages = len(document.pages)
        result.layout_s = time.monotonic() - start
        say(f"pdf {job.edition}: laid out {result.pages} pages ({result.layout_s:.1f} s)")
        problems = _fatal(collect.records) + _overflows(document)
        if not problems:
            if job.page_map:  # anchors' pages, for the proofs (pdf/proof.py)
                write_page_map(Path(job.html_path).parent, page_map(document))
            if result.pages >= COLLECT_FROM_PAGES:
                gc.collect()  # the layout's garbage cycles, before drawing adds to the peak
            attachments = []
            if job.attachment is not None:
                attachments.append(
                    Attachment(
                        filename=job.attachment,
                        url_fetcher=fetcher,
                        name="kpis.csv",
                        description="KPI data of this report, one value a row",
                        relationship="Data",
                    )
                )
            with warnings.catch_warnings():
                # WeasyPrint 70 leaves its sRGB profile file open when it writes PDF/A.
                warnings.simplefilter("ignore", ResourceWarning)
                data = document.write_pdf(pdf_variant=job.variant, attachments=attachments)
            problems = _fatal(collect.records)
            if not problems and job.variant == finish.FINISHED_VARIANT:  # UA-1 + A-3 in one file
                data, _counts = finish.finish_pdf(data, Path(job.html_path).parent)
        if problems:
            result.error = "\n".join(f"{job.edition}: {p}" for p in dict.fromkeys(problems))
            return result
        write_atomic(out, data)  # into the staging copy of dist/, swapped in as a set
        result.write_s = time.monotonic() - start - result.layout_s
        say(f"pdf {job.edition}: written {out.name} ({result.layout_s + result.write_s:.1f} s)")
    except FatalURLFetchingError as exc:
        cause = exc.__cause__
        result.error = f"{job.edition}: {cause if isinstance(cause, EsgError) else exc}"
    except EsgError as exc:
        result.error = f"{job.edition}: {exc.format_message()}"
    finally:
        LOGGER.removeHandler(collect)
        LOGGER.propagate = propagate
        PROGRESS_LOGGER.removeHandler(pages)
        PROGRESS_LOGGER.setLevel(progress_level)
    result.warnings = [r.getMessage() for r in collect.records if not _is_fatal(r)]
    return result


def run_jobs(jobs: list[Job], progress: LayoutProgress | None = None) -> list[Result]:
    """Lay out the jobs, one process per edition when there is more than one.

    One process per edition even on a two-core machine: with two workers the
    third edition starts only when one of the first two ends and one core
    idles while it runs; three processes share both cores to the end. Each
    layout holds a few hundred megabytes, so three at once are affordable.
    Each process runs exactly one edition (a pool may hand a worker a second
    one, which would then inherit the first one's niceness). ``progress``
    shows the pages laid out (default: a live line on a terminal).
    """
    progress = progress or LayoutProgress(job.edition for job in jobs)
    try:
        if len(jobs) <= 1:
            _SINK["progress"] = progress
            try:
                return [print_edition(job) for job in jobs]
            finally:
                _SINK.clear()
        return _run_in_processes(jobs, progress)
    finally:
        progress.close()


def _run_in_processes(jobs: list[Job], progress: LayoutProgress) -> list[Result]:
    """Fork a worker per job and relay their lines and page counts to ``progress``."""
    from multiprocessing.connection import wait

    # More editions than cores share the cores evenly, so the largest edition
    # used to finish last, alone, with a core idle. One step of niceness for
    # the others (a quarter less CPU while all run) ends them closer together.
    largest = max(jobs, key=lambda j: len(j.html))
    for job in jobs:
        job.nice = 0 if job is largest or len(jobs) <= (os.cpu_count() or 1) else 1
    # Forked (not spawned: Python 3.14's default), so WeasyPrint is imported once.
    forks = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forks else None)
    pending: dict[Any, tuple[Job, Any]] = {}
    processes = []
    for job in jobs:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=_worker, args=(job, send, os.getpid()), name=f"pdf {job.edition}"
        )
        process.start()
        send.close()  # the child's end: EOF here once the child is gone
        pending[receive] = (job, process)
        processes.append((job, process))
    results: dict[str, Result] = {}
    while pending:
        for ready in wait(list(pending), timeout=REDRAW_SECONDS):
            conn: Any = ready
            job, process = pending[conn]
            try:
                message = conn.recv()
            except EOFError:  # the worker died without a word (killed, out of memory)
                process.join()
                message = Result(
                    job.edition,
                    job.out,
                    error=f"{job.edition}: the PDF worker ended unexpectedly "
                    f"(exit code {process.exitcode})",
                )
            if isinstance(message, Result):
                results[job.edition] = message
                conn.close()
                del pending[conn]
            elif message[0] == "say":
                progress.line(message[1], warning=message[1].startswith("warning"))
            elif message[0] == "page":
                progress.page(message[1], message[2])
        progress.tick()
    for _job, process in processes:
        process.join()
    return [results[job.edition] for job in jobs]


def _worker(job: Job, send: Any, parent: int) -> None:
    """Body of one edition's process: lay out, send the result back, end.

    Its lines and page counts go through the same pipe, before the result.
    The worker dies with its parent (``kill -9`` of ``esgpress pdf`` leaves no
    layout running) and does not keep the parent's project lock.
    """
    die_with_parent(parent)
    close_inherited_locks()
    _SINK.clear()
    _SINK["pipe"] = send
    send.send(_print_edition_and_exit(job))
    send.close()


#: ``prctl`` option: the signal a process gets when its parent ends (linux/prctl.h).
PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` ends (Linux; elsewhere a no-op).

    Checked once more after the call: a parent that died before it would
    otherwise leave the worker orphaned for good.
    """
    import ctypes
    import ctypes.util
    import signal

    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)
