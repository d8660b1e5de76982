"""The executive summary's PDFs: ``dist/<slug>-<year>-summary-<edition>.pdf``.

The summary is rendered with the report (:mod:`esgpress.render.summary`, into
``build/render/<edition>/summary/``), assembled with the print template
``templates/print/summary.html`` by the same code as the report
(:func:`esgpress.pdf.printhtml.assemble`) and laid out by the same workers,
tagged PDF/UA-1 and numbered from page 1. Like the report's PDFs, they are
written into a staging copy of ``dist/`` that replaces it only when every
edition succeeded, and an edition whose inputs have not changed is skipped.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from esgpress.core import fingerprints as cache
from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import replaced_dir
from esgpress.data.model import EDITIONS, Dataset
from esgpress.pdf import finish
from esgpress.pdf.build import PDF_FINGERPRINT, pdf_fingerprint
from esgpress.pdf.printhtml import TOOLKIT_TEMPLATES, assemble, template_dir, write_print_html
from esgpress.pdf.workers import Job, run_jobs, say
from esgpress.render.summary import SUMMARY_KEY, has_summary

#: The print template of the summary, in templates/print/.
SUMMARY_TEMPLATE = "summary.html"


def summary_pdf_path(root: Path, dataset: Dataset, edition: str) -> Path:
    """Where an edition's summary goes: ``dist/<slug>-<year>-summary-<edition>.pdf``."""
    report = dataset.report
    return root / "dist" / f"{report.slug}-{report.year}-summary-{edition}.pdf"


def build_summary_pdfs(
    root: Path,
    dataset: Dataset,
    editions: Sequence[str] = EDITIONS,
    force: bool = False,
    render: bool = True,
) -> dict[str, Path]:
    """Build the summary PDFs of ``editions``; return their paths by edition.

    Raises :class:`EsgError` when the project has no summary template
    (``content/zh/summary.md``) or an edition fails; ``dist/`` is then unchanged.
    """
    root = root.resolve()
    if not has_summary(root):
        raise EsgError(
            f"content/zh/{SUMMARY_KEY}.md: no summary template; write one to print the "
            "executive summary (docs/summary.md)"
        )
    # The project's templates/print/ overrides file by file; the toolkit has one too.
    if not any((d / SUMMARY_TEMPLATE).is_file() for d in (template_dir(root), TOOLKIT_TEMPLATES)):
        raise EsgError(f"{SUMMARY_TEMPLATE}: the summary's print template is missing")
    if render:
        from esgpress.render.write import render_edition

        for edition in editions:
            render_edition(root, dataset, edition)
    jobs: list[Job] = []
    fresh: dict[str, tuple[Path, str]] = {}
    paths: dict[str, Path] = {}
    problems = Problems()
    for edition in editions:
        try:
            doc = assemble(root, dataset, edition, part=SUMMARY_KEY, template=SUMMARY_TEMPLATE)
        except EsgError as exc:
            problems.extend(exc.problems) if exc.problems else problems.add(
                "", 0, 0, exc.format_message()
            )
            continue
        write_print_html(doc)
        folder = doc.path.parent
        finish.write_finish_inputs(folder, dataset, edition, doc.html, first_page=1)
        out = summary_pdf_path(root, dataset, edition)
        paths[edition] = out
        job = Job(str(root), edition, str(doc.path), doc.html, str(out), "pdf/ua-1")
        fingerprint = pdf_fingerprint(doc, job)
        if not force and out.is_file() and cache.is_fresh(folder, fingerprint, PDF_FINGERPRINT):
            say(f"summary {edition}: up to date ({out.relative_to(root)})")
            continue
        cache.forget(folder, PDF_FINGERPRINT)
        fresh[edition] = (folder, fingerprint)
        jobs.append(job)
    problems.raise_if_errors()
    if not jobs:
        return paths
    with replaced_dir(root / "dist", keep_files=True) as staging:
        for job in jobs:
            job.out = str(staging / Path(job.out).name)
        errors = [r.error for r in run_jobs(jobs) if r.error]
        if errors:
            raise EsgError("\n".join([*errors, "dist/ is unchanged: no PDF was replaced"]))
    for folder, fingerprint in fresh.values():
        cache.mark_fresh(folder, fingerprint, PDF_FINGERPRINT)
    return paths
