"""The whole build as library calls: check → render once → print edition → site.

``esgpress build-all`` (what ``make report`` runs) is :func:`build_all`; the
single-stage commands (``pdf``, ``build``) call the same stage functions, so
a stage behaves the same whether it runs alone or in the pipeline. The check
renders every edition once and records the render (``record=True``); the PDF
and the site then find ``build/render/<edition>/`` fresh and reuse it.

Nothing here prints: :func:`build_all` tells a :class:`BuildReporter` what
happened, and the command line words it. Nothing here reads the current
folder either: the project root is always passed in.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from esgpress.core.errors import EsgError, Problem
from esgpress.core.files import project_lock

if TYPE_CHECKING:
    from esgpress.checks.run import CheckResult
    from esgpress.pdf.proof import Proof
    from esgpress.site.build import BuildReport


class BuildReporter(Protocol):
    """Receives what :func:`build_all` does, in order, for a front end to show."""

    def problem(self, problem: Problem) -> None:
        """Show a finding of the check that is an error or a warning."""

    def checked(self, summary: str) -> None:
        """Show the check's closing line (counts by severity)."""

    def pdf_written(self, path: Path) -> None:
        """Show that one PDF of the print edition is in place."""

    def site_built(self, summary: str) -> None:
        """Show that the site is built; ``summary`` says where and how long it took."""


def find_root(start: Path) -> Path:
    """Find the project root: ``start`` or the nearest folder above it with ``data/report.yaml``."""
    here = start.resolve()
    for folder in (here, *here.parents):
        if (folder / "data" / "report.yaml").is_file():
            return folder
    raise EsgError(
        f"no esgpress project here: no data/report.yaml in {here} or above; "
        "run the command inside a project or pass --project"
    )


def check_and_render(root: Path) -> CheckResult:
    """Check data and chapters, then write the render each edition's check made.

    The checks only hand their renders back (the check stage writes nothing);
    writing them here means ``build-all`` renders every edition once.
    """
    from esgpress.checks.run import check_project
    from esgpress.render.write import write_renders

    result = check_project(root, record=True)
    if not result.failed(strict=False):
        write_renders(root, result.renders)
    return result


def print_editions(
    root: Path,
    editions: Sequence[str] | None = None,
    variant: str = "pdf/ua-1",
    force: bool = False,
    render: bool = True,
    layout: str = "screen",
) -> dict[str, Path]:
    """Build the PDFs of ``editions`` (default: the project's) into dist/; return them by edition.

    ``layout`` "print" builds the recto-chapter PDFs (``…-print.pdf``) instead.

    ``render`` renders the chapters first (skipped when the render on disk
    is fresh); without it, build/render is printed as it is.
    """
    from esgpress.data.loader import load_project
    from esgpress.pdf.build import build_pdfs

    dataset, _ = load_project(root)
    with project_lock(root, "esgpress pdf"):
        return build_pdfs(
            root, dataset, editions, variant=variant, force=force, render=render, layout=layout
        )


def proof_chapter(root: Path, chapter: str, edition: str | None = None) -> Proof:
    """Lay out one chapter as a proof (docs/print.md): build/proof/<edition>/<chapter>.pdf.

    ``edition`` defaults to the project's default edition.
    """
    from esgpress.data.loader import load_project
    from esgpress.pdf.proof import build_proof

    dataset, _ = load_project(root)
    with project_lock(root, "esgpress pdf --proof"):
        return build_proof(root, dataset, chapter, edition or dataset.report.default_edition)


def watch_proof_chapter(
    root: Path,
    chapter: str,
    edition: str | None,
    report: Callable[[Proof | None, str | None], None],
    stop: threading.Event,
) -> None:
    """Build the proof of ``chapter`` now and again on every save, until ``stop`` is set."""
    from esgpress.pdf.proofwatch import watch_proof

    watch_proof(root, chapter, edition, report, stop)


def print_summaries(
    root: Path,
    editions: Sequence[str] | None = None,
    force: bool = False,
    render: bool = True,
) -> dict[str, Path]:
    """Build the executive summary PDFs of ``editions`` (default: all; docs/summary.md)."""
    from esgpress.data.loader import load_project
    from esgpress.pdf.summary import build_summary_pdfs

    dataset, _ = load_project(root)
    chosen = dataset.report.editions if editions is None else editions
    with project_lock(root, "esgpress pdf"):
        return build_summary_pdfs(root, dataset, chosen, force=force, render=render)


def publish_site(root: Path, site_dir: Path | None = None) -> BuildReport:
    """Render the editions (when not fresh) and build the microsite into site/ or ``site_dir``."""
    from esgpress.site.build import build_site

    return build_site(root, site_dir=site_dir)


def build_all(root: Path, strict: bool, reporter: BuildReporter) -> bool:
    """Check, then print every edition, then build the site; return False if the check fails.

    With ``strict``, unacknowledged warnings fail the check too. A failed
    check stops the build before anything is written to dist/ or site/.
    """
    from esgpress.checks.run import summary

    with project_lock(root, "esgpress build-all"):
        result = check_and_render(root)
        for p in result.problems:
            if p.severity in ("error", "warning"):
                reporter.problem(p)
        reporter.checked(summary(list(result.problems)))
        if result.failed(strict):
            return False
        for path in print_editions(root).values():
            reporter.pdf_written(path)
        from esgpress.render.summary import has_summary

        if has_summary(root):
            for path in print_summaries(root).values():
                reporter.pdf_written(path)
        reporter.site_built(publish_site(root).summary())
    return True
