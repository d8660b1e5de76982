"""``esgpress check``: everything a reviewer checks by hand, in one run.

Collects, in order: data-file errors (schema, references, units, years),
derived figures that do not reproduce their published values, relations that
do not add up (warnings, or acknowledged), restatements (info), figures
still missing for the report year, by owner (info) and chapter
problems (unknown KPIs, hand-typed figures, script leaks, edition parity).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from esgpress.checks.missing import check_missing
from esgpress.checks.relations import check_derived, check_relations, check_restatements
from esgpress.core.errors import Problem, Problems
from esgpress.data.load_frameworks import FRAMEWORKS_PATH
from esgpress.data.load_glossary import GLOSSARY_PATH
from esgpress.data.loader import load_checked
from esgpress.data.model import Dataset
from esgpress.render.write import FinishedRender

#: Files whose problems leave the rest checkable: the loader keeps their valid
#: entries, and a broken catalogue or glossary must not hide chapter problems.
SIDE_FILES = (FRAMEWORKS_PATH, GLOSSARY_PATH)


@dataclass
class CheckResult:
    """All findings of one check run, the data set if it loaded, and (when asked) the renders."""

    problems: Problems = field(default_factory=Problems)
    dataset: Dataset | None = None
    #: Editions the chapter checks rendered cleanly, by edition (with ``record``):
    #: the caller writes them (:func:`esgpress.render.write.write_renders`).
    renders: dict[str, FinishedRender] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        """Whether the run should exit non-zero."""
        return bool(self.problems.errors) or (strict and bool(self.problems.warnings))


def check_data(root: Path) -> CheckResult:
    """Load and check ``data/``; never raises for user mistakes."""
    result = CheckResult()
    result.dataset = load_checked(root, result.problems)
    if result.dataset is not None and not _blocking(result.problems):
        result.problems.extend(check_derived(result.dataset))
        result.problems.extend(check_relations(result.dataset))
        result.problems.extend(check_restatements(result.dataset))
        result.problems.extend(check_missing(result.dataset))
    return result


def check_project(root: Path, content: bool = True, record: bool = False) -> CheckResult:
    """Check the data and, when it loads, the chapters of every edition.

    With ``record``, the renders the chapter checks make are kept in
    ``result.renders`` for the build steps that follow; the checks write
    nothing, the caller writes them (:func:`esgpress.render.write.write_renders`).
    """
    result = check_data(root)
    if content and result.dataset is not None and not _blocking(result.problems):
        from esgpress.checks.lint import check_content

        renders = result.renders if record else None
        result.problems.extend(check_content(root, result.dataset, renders))
        from esgpress.checks.summary import check_summary

        result.problems.extend(check_summary(root, result.dataset))
    return result


def _blocking(problems: Problems) -> bool:
    """Whether errors make the data set unfit for the checks that follow loading."""
    return any(p.path not in SIDE_FILES for p in problems.errors)


def summary(problems: list[Problem]) -> str:
    """One closing line: counts by severity."""
    counts: dict[str, int] = {}
    for p in problems:
        counts[p.severity] = counts.get(p.severity, 0) + 1
    order = ("error", "warning", "acknowledged", "info")
    parts = [
        f"{counts[s]} {s}{'s' if counts[s] != 1 and s in ('error', 'warning') else ''}"
        for s in order
        if counts.get(s)
    ]
    return ", ".join(parts) if parts else "no problems"
