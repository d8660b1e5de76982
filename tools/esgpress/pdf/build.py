"""The print edition: three paginated PDFs laid out by WeasyPrint.

:func:`build_pdfs` assembles each edition's print HTML from the render
(:mod:`esgpress.pdf.printhtml`), writes it to ``build/print/<edition>/report.html``
and lays the editions out in parallel worker processes, one per edition. The
PDFs are written into a staging copy of ``dist/`` that replaces ``dist/`` only
when every edition is complete and clean (:mod:`esgpress.core.files`), so a
failed or killed build leaves the previous PDFs as they were, and the three
editions in ``dist/`` always come from the same build.

A build fails (with an :class:`~esgpress.core.errors.EsgError`, never a silent
defect) when WeasyPrint reports a glyph no font has (tofu) or any font
problem, when a resource cannot be loaded, when the print HTML tries to read
anything outside the project (see :class:`ProjectFetcher`), or when a table is
wider than the text area. Other WeasyPrint warnings (an unsupported CSS
property, say) are printed but do not fail the build.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import csv
import gc
import hashlib
import io
import logging
import multiprocessing
import os
import re
import sys
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from esgpress.core.errors import EsgError, Problem
from esgpress.core.files import project_lock, replaced_dir
from esgpress.data.model import EDITIONS, Dataset
from esgpress.editions.i18n import Localizer
from esgpress.pdf import finish
from esgpress.pdf.fonts import is_system_font
from esgpress.pdf.printhtml import TOOLKIT_TEMPLATES, PrintDocument, assemble, write_print_html

#: PDF variants the command offers: tagged PDF/UA-1 (default, accessible) or
#: PDF/A-3b (archival, with the KPI data attached as CSV).
VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3b")

#: WeasyPrint modules whose warnings are about fonts and glyphs (a missing
#: glyph, a font that cannot be loaded or subset): always fatal. Warnings from
#: elsewhere (unsupported CSS, say) are reported, even when they mention fonts.
FONT_MODULES = ("pdf/fonts.py", "text/fonts.py", "draw/text.py")

#: Tolerance (CSS px) before a box counts as sticking out of the text area.
OVERFLOW_TOLERANCE = 1.0


def say(message: str) -> None:
    """Progress on the terminal (stderr), one line at a time, from any process."""
    print(message, file=sys.stderr, flush=True)


def pdf_path(root: Path, dataset: Dataset, edition: str) -> Path:
    """Where an edition's PDF goes: ``dist/<slug>-<year>-<edition>.pdf``."""
    return root / "dist" / f"{dataset.report.slug}-{dataset.report.year}-{edition}.pdf"


# ---------------------------------------------------------------- URL fetcher


def allowed_folders(root: Path) -> list[Path]:
    """Folders the print edition may read: the render, the print HTML, templates, content images."""
    root = root.resolve()
    return [root / "build", root / "templates" / "print", root / "content", TOOLKIT_TEMPLATES]


def make_fetcher(root: Path) -> Any:
    """Make a WeasyPrint URL fetcher that serves files of the project only.

    ``data:`` URLs are served; ``file:`` URLs only inside :func:`allowed_folders`
    (after resolving ``..`` and symbolic links); everything else (``http(s):``,
    ``ftp:``, other files) is refused with an :class:`EsgError` naming the URL.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    folders = [f.resolve() for f in allowed_folders(root)]

    class ProjectFetcher(URLFetcher):  # type: ignore[misc, valid-type]
        """Serve project files and ``data:`` URLs; refuse the rest."""

        def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
            parts = urlsplit(url)
            scheme = parts.scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and parts.netloc in ("", "localhost"):
                path = Path(url2pathname(unquote(parts.path))).resolve()
                if any(path.is_relative_to(f) for f in folders) or is_system_font(path):
                    if not path.is_file():
                        raise EsgError(f"the print edition needs {path}, which does not exist")
                    import mimetypes

                    mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(
                        path.as_uri(), path.read_bytes(), {"Content-Type": mime}
                    )
            raise EsgError(
                f"refused to fetch {url}: the print edition reads only files of the project "
                f"(build/, templates/print/, content/) and data: URLs"
            )

    return ProjectFetcher(fail_on_errors=True)


# ---------------------------------------------------------------- KPI data as CSV


def kpi_csv(dataset: Dataset, edition: str) -> str:
    """Every indicator value as CSV: id, label, unit, year, segment, value, qualifier, kind."""
    loc = Localizer(dataset, edition)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["id", "label", "unit", "year", "segment", "value", "qualifier", "kind"])
    for ind in dataset.indicators.values():
        label = loc.text(ind.label)
        cells = [(y, "", v) for y, v in sorted(ind.values.items(), reverse=True)]
        for y, segs in sorted(ind.segments.items(), reverse=True):
            cells += [(y, s, v) for s, v in segs.items()]
        for year, segment, value in cells:
            number = "" if value.number is None else str(value.number)
            writer.writerow(
                [ind.id, label, ind.unit, year, segment, number, value.qualifier or "", value.kind]
            )
    return out.getvalue()


# ---------------------------------------------------------------- one edition


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
    from weasyprint.logger import LOGGER
    from weasyprint.urls import FatalURLFetchingError

    result = Result(job.edition, job.out)
    out = Path(job.out)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    collect = _Collect()
    LOGGER.addHandler(collect)
    propagate = LOGGER.propagate
    LOGGER.propagate = False
    start = time.monotonic()
    say(f"pdf {job.edition}: started")
    try:
        fetcher = make_fetcher(Path(job.root))
        html = HTML(string=job.html, base_url=job.html_path, url_fetcher=fetcher)
        document = html.render(pdf_variant=job.variant)
        result.pages = len(document.pages)
        result.layout_s = time.monotonic() - start
        say(f"pdf {job.edition}: laid out {result.pages} pages ({result.layout_s:.1f} s)")
        problems = _fatal(collect.records) + _overflows(document)
        if not problems:
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
            out.parent.mkdir(parents=True, exist_ok=True)
            with warnings.catch_warnings():
                # WeasyPrint 70 leaves its sRGB profile file open when it writes PDF/A.
                warnings.simplefilter("ignore", ResourceWarning)
                document.write_pdf(tmp, pdf_variant=job.variant, attachments=attachments)
            problems = _fatal(collect.records)
            if not problems and job.variant == finish.FINISHED_VARIANT:  # hook: UA-1 + A-3
                finish.finish_pdf(tmp, Path(job.html_path).parent)
        if problems:
            result.error = "\n".join(f"{job.edition}: {p}" for p in dict.fromkeys(problems))
            return result
        os.replace(tmp, out)
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
        tmp.unlink(missing_ok=True)
    result.warnings = [r.getMessage() for r in collect.records if not _is_fatal(r)]
    return result


# ---------------------------------------------------------------- all editions


def _stamp(doc: PrintDocument, job: Job) -> str:
    """Hash everything the PDF depends on (to skip editions that are up to date)."""
    import weasyprint

    h = hashlib.sha256()
    for part in (weasyprint.__version__, job.variant, job.html):
        h.update(part.encode("utf-8") + b"\0")
    files = sorted(doc.template_dir.glob("*"))
    files += sorted(
        {
            Path(doc.path.parent, m).resolve()
            for m in re.findall(r'<img[^>]*\ssrc="([^"]+)"', job.html)
            if not m.startswith("data:")
        }
    )
    if job.attachment:
        files.append(Path(job.attachment))
    files += finish.finish_inputs(doc.path.parent)  # hook: the finishing inputs
    for f in files:
        if f.is_file():
            h.update(str(f).encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


#: The data set the preparing processes work on (inherited when they fork).
_PREPARING: dict[str, Any] = {}


def _prepare(edition: str) -> tuple[str, PrintDocument | None, str | None, list[Problem]]:
    """Render (when asked) and assemble one edition; report problems instead of raising.

    Runs in a forked process: the data set comes from :data:`_PREPARING`.
    """
    root, dataset, render = _PREPARING["root"], _PREPARING["dataset"], _PREPARING["render"]
    try:
        if render:
            from esgpress.render.write import render_edition

            render_edition(root, dataset, edition)
        return edition, assemble(root, dataset, edition), None, []
    except EsgError as exc:
        return edition, None, None if exc.problems else exc.format_message(), list(exc.problems)


def _prepare_all(
    root: Path, dataset: Dataset, editions: Sequence[str], render: bool
) -> list[tuple[str, PrintDocument | None, str | None, list[Problem]]]:
    """Prepare the editions, one forked process each when there are several.

    Rendering and assembling take a few seconds per edition before any layout
    can start; side by side they take the time of the slowest one.
    """
    _PREPARING.update(root=root, dataset=dataset, render=render)
    try:
        if len(editions) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_prepare(e) for e in editions]
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(len(editions), mp_context=context) as pool:
            prepared = pool.map(_prepare, editions)  # submitted now
            # While the editions render: the layout workers fork from this
            # process, so they start with WeasyPrint already imported.
            import weasyprint  # noqa: F401

            return list(prepared)
    finally:
        _PREPARING.clear()


def build_print_htmls(
    root: Path, dataset: Dataset, editions: Sequence[str], render: bool = False
) -> dict[str, PrintDocument]:
    """Assemble every edition's print HTML, reporting the problems of all editions at once.

    With ``render``, each edition is rendered first (as ``esgpress render``
    does; skipped when its render is up to date).
    """
    docs: dict[str, PrintDocument] = {}
    problems: list[Problem] = []
    messages: list[str] = []
    for edition, doc, message, found in _prepare_all(root, dataset, editions, render):
        if doc is not None:
            docs[edition] = doc
        if message:
            messages.append(message)
        problems += [p for p in found if p not in problems]
    if messages:
        raise EsgError("\n".join(dict.fromkeys([*messages, *map(str, problems)])))
    if problems:
        raise EsgError(problems)
    for doc in docs.values():
        write_print_html(doc)
        for warning in doc.warnings:
            say(f"warning: {warning}")
    return docs


def build_pdfs(
    root: Path,
    dataset: Dataset,
    editions: Sequence[str] = EDITIONS,
    variant: str = "pdf/ua-1",
    force: bool = False,
    render: bool = False,
) -> dict[str, Path]:
    """Build the PDFs of ``editions`` from the render; return their paths by edition.

    With ``render``, the editions are rendered first (side by side). Editions
    whose inputs have not changed since their PDF was written are skipped
    unless ``force`` is true. The PDFs are written into a staging copy of
    ``dist/`` that replaces it only when every edition succeeded: on any
    failure :class:`EsgError` carries the problems of every failed edition and
    ``dist/`` is left exactly as it was. Holds the project lock.
    """
    if variant not in VARIANTS:
        raise EsgError(f"unknown PDF variant '{variant}'; choose one of {', '.join(VARIANTS)}")
    unknown = [e for e in editions if e not in EDITIONS]
    if unknown:
        raise EsgError(f"unknown edition '{unknown[0]}'; choose one of {', '.join(EDITIONS)}")
    root = root.resolve()
    with project_lock(root, "esgpress pdf"):
        return _build_pdfs(root, dataset, editions, variant, force, render)


def _build_pdfs(
    root: Path,
    dataset: Dataset,
    editions: Sequence[str],
    variant: str,
    force: bool,
    render: bool,
) -> dict[str, Path]:
    docs = build_print_htmls(root, dataset, editions, render=render)
    jobs: list[Job] = []
    stamps: dict[str, tuple[Path, str]] = {}
    paths: dict[str, Path] = {}
    for edition, doc in docs.items():
        attachment = None
        if variant == "pdf/a-3b":
            csv_path = doc.path.parent / "kpis.csv"
            csv_path.write_text(kpi_csv(dataset, edition), encoding="utf-8")
            attachment = str(csv_path)
        else:  # hook: KPI exports and page numbering for pdf/finish.py
            finish.write_finish_inputs(doc.path.parent, dataset, edition, doc.html)
        out = finish.variant_path(pdf_path(root, dataset, edition), variant)
        paths[edition] = out
        job = Job(str(root), edition, str(doc.path), doc.html, str(out), variant, attachment)
        stamp_file, stamp = doc.path.parent / "pdf.stamp", _stamp(doc, job)
        if (
            not force
            and out.is_file()
            and stamp_file.is_file()
            and stamp_file.read_text() == f"{stamp} {out}"
        ):
            say(f"pdf {edition}: up to date ({out.relative_to(root)})")
            continue
        stamp_file.unlink(missing_ok=True)
        stamps[edition] = (stamp_file, f"{stamp} {out}")
        jobs.append(job)
    if not jobs:
        return paths
    # The PDFs are one release: lay them out into a staging copy of dist/ and swap
    # it in only if every edition succeeded, so dist/ never mixes two builds.
    with replaced_dir(root / "dist", keep_files=True) as staging:
        for job in jobs:
            job.out = str(staging / Path(job.out).name)
        results = _run(jobs)
        errors = []
        for result in results:
            for warning in result.warnings:
                say(f"warning: {result.edition}: {warning}")
            if result.error:
                errors.append(result.error)
        if errors:
            raise EsgError("\n".join([*errors, "dist/ is unchanged: no PDF was replaced"]))
    for stamp_file, text in stamps.values():
        stamp_file.write_text(text)
    return paths


def _run(jobs: list[Job]) -> list[Result]:
    """Lay out the jobs, one process per edition when there is more than one.

    One process per edition even on a two-core machine: with two workers the
    third edition starts only when one of the first two ends and one core
    idles while it runs; three processes share both cores to the end. Each
    layout holds a few hundred megabytes, so three at once are affordable.
    Each process runs exactly one edition (a pool may hand a worker a second
    one, which would then inherit the first one's niceness).
    """
    if len(jobs) <= 1:
        return [print_edition(job) for job in jobs]
    # More editions than cores share the cores evenly, so the largest edition
    # used to finish last, alone, with a core idle. One step of niceness for
    # the others (a quarter less CPU while all run) ends them closer together.
    largest = max(jobs, key=lambda j: len(j.html))
    for job in jobs:
        job.nice = 0 if job is largest or len(jobs) <= (os.cpu_count() or 1) else 1
    # Forked (not spawned: Python 3.14's default), so WeasyPrint is imported once.
    forks = "fork" in multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if forks else None)
    workers = []
    for job in jobs:
        receive, send = context.Pipe(duplex=False)
        process = context.Process(target=_worker, args=(job, send), name=f"pdf {job.edition}")
        process.start()
        send.close()  # the child's end: EOF here once the child is gone
        workers.append((job, process, receive))
    results = []
    for job, process, receive in workers:
        try:
            results.append(receive.recv())
        except EOFError:  # the worker died without a word (killed, out of memory)
            process.join()
            results.append(
                Result(
                    job.edition,
                    job.out,
                    error=f"{job.edition}: the PDF worker ended unexpectedly "
                    f"(exit code {process.exitcode})",
                )
            )
        finally:
            receive.close()
    for _job, process, _receive in workers:
        process.join()
    return results


def _worker(job: Job, send: Any) -> None:
    """Body of one edition's process: lay out, send the result back, end."""
    send.send(_print_edition_and_exit(job))
    send.close()
