"""The print edition: three paginated PDFs laid out by WeasyPrint.

:func:`build_pdfs` assembles each edition's print HTML from the render
(:mod:`esgpress.pdf.printhtml`), writes it to ``build/print/<edition>/report.html``
and lays the editions out in parallel worker processes, one per edition
(:mod:`esgpress.pdf.workers`), which may read files of the project only
(:mod:`esgpress.pdf.fetcher`). The PDFs are written into a staging copy of
``dist/`` that replaces ``dist/`` only when every edition is complete and clean
(:mod:`esgpress.core.files`), so a failed or killed build leaves the previous
PDFs as they were, and the three editions in ``dist/`` always come from the
same build.

An edition whose inputs have not changed since its PDF was written is skipped:
its content fingerprint (:func:`pdf_fingerprint`, :mod:`esgpress.core.fingerprints`)
is recorded in ``build/print/<edition>/.pdf.fingerprint``. The PDF/A-3b
variant attaches the KPI data as the data centre's CSV export
(:mod:`esgpress.workflows.export`: rounded as the tables print it).
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from esgpress.core import fingerprints as cache
from esgpress.core.errors import EsgError, Problem
from esgpress.core.files import (
    close_inherited_locks,
    project_lock,
    recover,
    remove_stale,
    replaced_dir,
    write_atomic,
)
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.pdf import finish
from esgpress.pdf.fonts import require_fonts
from esgpress.pdf.printhtml import FONTS, PrintDocument, assemble, write_print_html
from esgpress.pdf.workers import Job, Result, die_with_parent, run_jobs, say

#: PDF variants the command offers: tagged PDF/UA-1 (default, accessible) or
#: PDF/A-3b (archival, with the KPI data attached as CSV).
VARIANTS: tuple[str, ...] = ("pdf/ua-1", "pdf/a-3b")

#: Page flows (docs/print.md): "screen" (default, offered on the site) starts
#: chapters on the next page with no blank pages; "print" on a right-hand page.
LAYOUTS: tuple[str, ...] = ("screen", "print")

#: Where an edition's print folder records the fingerprint of its PDF's inputs.
PDF_FINGERPRINT = ".pdf.fingerprint"

__all__ = ["LAYOUTS", "VARIANTS", "Job", "Result", "build_pdfs", "build_print_htmls", "pdf_path"]


def pdf_path(root: Path, dataset: Dataset, edition: str, layout: str = "screen") -> Path:
    """Where an edition's PDF goes: ``dist/<slug>-<year>-<edition>.pdf`` (``-print.pdf``)."""
    suffix = "" if layout == "screen" else f"-{layout}"
    return root / "dist" / f"{dataset.report.slug}-{dataset.report.year}-{edition}{suffix}.pdf"


def with_layout(html: str, layout: str) -> str:
    """Return the print HTML for ``layout``: the print one has ``layout-print`` on ``<html>``.

    print.css starts the contents and the chapters on a right-hand page under
    that class; the screen PDF is laid out from the HTML as written.
    """
    if layout == "screen":
        return html
    return re.sub(r'(<html\b[^>]*\bclass=")', rf"\1layout-{layout} ", html, count=1)


def kpi_csv(dataset: Dataset, loc: Localizer) -> bytes:
    """Return the PDF/A-3b attachment: the data centre's CSV export in the edition's language.

    One exporter for both (:func:`esgpress.workflows.export.export_bytes`), so
    the attached figures are rounded as the tables print them.
    """
    from esgpress.workflows.export import export_bytes

    return export_bytes(dataset, loc, "csv")


def pdf_fingerprint(doc: PrintDocument, job: Job) -> str:
    """Fingerprint everything the PDF depends on (to skip editions that are up to date).

    The print HTML, the variant, the output name, WeasyPrint's version, the
    print templates, the images the HTML links and the attachment; plus the
    toolkit, as every fingerprint (:func:`esgpress.core.fingerprints.digest`).
    """
    import weasyprint

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
    files += finish.finish_inputs(doc.path.parent)  # the finishing step's inputs
    parts = ("pdf", weasyprint.__version__, job.variant, Path(job.out).name, job.html)
    return cache.digest(parts, [f for f in files if f.is_file()])


def _run(jobs: list[Job]) -> list[Result]:
    """Lay the jobs out (:func:`esgpress.pdf.workers.run_jobs`); the seam the tests replace."""
    return run_jobs(jobs)


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

            say(f"pdf {edition}: rendering")

            render_edition(root, dataset, edition)
        doc = assemble(root, dataset, edition)
        if _PREPARING.get("finish_inputs"):  # here, side by side, not one by one in the parent
            finish.write_finish_inputs(doc.path.parent, dataset, edition, doc.html)
        return edition, doc, None, []
    except EsgError as exc:
        return edition, None, None if exc.problems else exc.format_message(), list(exc.problems)


def _preparer(parent: int) -> None:
    """Start a preparing process as the layout workers start: gone with its parent, no lock.

    Forked while ``esgpress pdf`` holds the project lock: without this, a
    ``kill -9`` during the render left the three preparing processes waiting
    for work that never came, holding the lock, so every later command was
    refused until someone killed them by hand.
    """
    die_with_parent(parent)
    close_inherited_locks()


def _prepare_all(
    root: Path, dataset: Dataset, editions: Sequence[str], render: bool, finish_inputs: bool
) -> list[tuple[str, PrintDocument | None, str | None, list[Problem]]]:
    """Prepare the editions, one forked process each when there are several.

    Rendering, assembling and writing the finishing step's inputs (the KPI
    exports) take a few seconds per edition before any layout can start;
    side by side they take the time of the slowest one.
    """
    _PREPARING.update(root=root, dataset=dataset, render=render, finish_inputs=finish_inputs)
    try:
        if len(editions) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            return [_prepare(e) for e in editions]
        context = multiprocessing.get_context("fork")
        with concurrent.futures.ProcessPoolExecutor(
            len(editions), mp_context=context, initializer=_preparer, initargs=(os.getpid(),)
        ) as pool:
            prepared = pool.map(_prepare, editions)  # submitted now
            # While the editions render: the layout workers fork from this
            # process, so they start with WeasyPrint already imported.
            import weasyprint  # noqa: F401

            return list(prepared)
    finally:
        _PREPARING.clear()


def build_print_htmls(
    root: Path,
    dataset: Dataset,
    editions: Sequence[str],
    render: bool = False,
    finish_inputs: bool = False,
) -> dict[str, PrintDocument]:
    """Assemble every edition's print HTML, reporting the problems of all editions at once.

    With ``render``, each edition is rendered first (as ``esgpress render``
    does; skipped when its render is up to date). With ``finish_inputs``,
    the finishing step's inputs are written too (:func:`finish.write_finish_inputs`).
    """
    docs: dict[str, PrintDocument] = {}
    problems: list[Problem] = []
    messages: list[str] = []
    prepared = _prepare_all(root, dataset, editions, render, finish_inputs)
    for edition, doc, message, found in prepared:
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
    editions: Sequence[str] | None = None,
    variant: str = "pdf/ua-1",
    force: bool = False,
    render: bool = False,
    layout: str = "screen",
) -> dict[str, Path]:
    """Build the PDFs of ``editions`` from the render; return their paths by edition.

    ``layout`` "print" builds the recto-chapter PDFs (``<name>-print.pdf``)
    instead of the default screen ones; each leaves the other's files alone.

    With ``render``, the editions are rendered first (side by side). Editions
    whose inputs have not changed since their PDF was written are skipped
    unless ``force`` is true. The PDFs are written into a staging copy of
    ``dist/`` that replaces it only when every edition succeeded: on any
    failure :class:`EsgError` carries the problems of every failed edition and
    ``dist/`` is left exactly as it was. Holds the project lock. Stops first,
    with one message, when an edition's fonts are missing
    (:func:`esgpress.pdf.fonts.require_fonts`).
    """
    if variant not in VARIANTS:
        raise EsgError(f"unknown PDF variant '{variant}'; choose one of {', '.join(VARIANTS)}")
    if layout not in LAYOUTS:
        raise EsgError(f"unknown page layout '{layout}'; choose one of {', '.join(LAYOUTS)}")
    known = dataset.report.editions
    editions = known if editions is None else editions
    unknown = [e for e in editions if e not in known]
    if unknown:
        raise EsgError(
            f"unknown edition '{unknown[0]}'; this project publishes {', '.join(known)} "
            "(editions: in data/report.yaml)"
        )
    # Before anything is rendered or laid out: without the fonts WeasyPrint
    # floods the terminal with .notdef warnings, or Pango crashes (exit 139).
    stacks = {e: dataset.report.brand.font(e) or FONTS[e] for e in editions}
    for finding in require_fonts(stacks, editions):
        if not finding.ok:
            say(f"warning: {finding.what}: {finding.detail}")
    root = root.resolve()
    with project_lock(root, "esgpress pdf"):
        recover(root / "dist")  # what a killed build left, even when every PDF is up to date
        paths = _build_pdfs(root, dataset, editions, variant, force, render, layout)
        for name in remove_stale(root / "dist", dist_names(dataset), DIST_KINDS):
            say(f"removed dist/{name} (not produced by this build: another year or edition)")
        return paths


#: What a build or ``esgpress export`` writes into ``dist/``: the only kinds of
#: file a build removes from there (a user's notes beside the PDFs stay).
DIST_KINDS = (".pdf", ".csv", ".xlsx", ".json")


def dist_names(dataset: Dataset) -> set[str]:
    """Names ``dist/`` may hold for this report: its editions' PDFs and default data exports.

    Anything else there (the PDFs of another report year, say) is removed
    after a print build, so a folder reused for a new year never ships the
    old one.
    """
    from esgpress.workflows.export import default_export_path

    editions = dataset.report.editions
    paths = [pdf_path(Path(), dataset, e, layout) for e in editions for layout in LAYOUTS]
    names = {p.name for p in paths}
    names |= {finish.variant_path(p, "pdf/a-3b").name for p in paths}
    report = dataset.report  # the executive summary's PDFs (pdf/summary.py) stay too
    names |= {f"{report.slug}-{report.year}-summary-{e}.pdf" for e in editions}
    names |= {
        default_export_path(Path(), dataset, e, fmt).name
        for e in editions
        for fmt in ("csv", "xlsx", "json")
    }
    return names


def _build_pdfs(
    root: Path,
    dataset: Dataset,
    editions: Sequence[str],
    variant: str,
    force: bool,
    render: bool,
    layout: str = "screen",
) -> dict[str, Path]:
    finishing = variant == finish.FINISHED_VARIANT
    docs = build_print_htmls(root, dataset, editions, render=render, finish_inputs=finishing)
    stamp = PDF_FINGERPRINT if layout == "screen" else f".pdf-{layout}.fingerprint"
    jobs: list[Job] = []
    fingerprints: dict[str, tuple[Path, str]] = {}
    paths: dict[str, Path] = {}
    for edition, doc in docs.items():
        attachment = None
        if variant == "pdf/a-3b":
            csv_path = doc.path.parent / "kpis.csv"
            loc = Localizer(dataset, edition)
            write_atomic(csv_path, kpi_csv(dataset, loc), only_if_changed=True)
            attachment = str(csv_path)
        out = finish.variant_path(pdf_path(root, dataset, edition, layout), variant)
        paths[edition] = out
        html = with_layout(doc.html, layout)
        job = Job(str(root), edition, str(doc.path), html, str(out), variant, attachment)
        job.page_map = layout == "screen"
        folder, fingerprint = doc.path.parent, pdf_fingerprint(doc, job)
        if not force and out.is_file() and cache.is_fresh(folder, fingerprint, stamp):
            say(f"pdf {edition}: up to date ({out.relative_to(root)})")
            continue
        cache.forget(folder, stamp)
        fingerprints[edition] = (folder, fingerprint)
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
    for folder, fingerprint in fingerprints.values():
        cache.mark_fresh(folder, fingerprint, stamp)
    return paths
