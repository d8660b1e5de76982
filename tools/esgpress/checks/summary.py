"""Checks of the executive summary (docs/summary.md).

The summary template renders in every edition (unknown KPIs, topics or
functions are reported at ``content/<lang>/summary.md:line``), holds no
typed figure (the same lint as the chapters) and agrees with its tiles and
the report's text (:mod:`esgpress.checks.tiles`).
"""

from __future__ import annotations

from pathlib import Path

from esgpress.checks.lint import typed_numbers
from esgpress.checks.tiles import check_tiles
from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.data.model import Dataset
from esgpress.render.renderer import Chapter, source_dir
from esgpress.render.summary import SUMMARY_KEY, has_summary, render_summary


def check_summary(root: Path, dataset: Dataset) -> list[Problem]:
    """Render the summary in every edition, lint its sources, compare tiles with the body."""
    problems = Problems()
    if has_summary(root):
        for lang in ("zh", "en"):
            if not (root / "content" / lang / f"{SUMMARY_KEY}.md").is_file():
                problems.add(
                    f"content/{lang}/{SUMMARY_KEY}.md",
                    0,
                    0,
                    f"the summary has no {lang} template; write content/{lang}/{SUMMARY_KEY}.md",
                )
        if problems.errors:
            return list(problems)
        seen: set[str] = set()
        for edition in dataset.report.editions:
            try:
                render_summary(root, dataset, edition)
            except EsgError as exc:
                for p in exc.problems:  # zh-Hant renders the zh source: report once
                    if str(p) not in seen:
                        seen.add(str(p))
                        problems.extend([p])
        for lang in ("zh", "en"):
            edition = "en" if lang == "en" else "zh-Hans"
            problems.extend(typed_numbers(Chapter.read(root, source_dir(edition), SUMMARY_KEY)))
    problems.extend(check_tiles(root, dataset))
    return list(problems)
