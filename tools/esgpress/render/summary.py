"""The executive summary: a short report of its own, rendered from the same data.

The summary's template is ``content/zh/summary.md`` (and ``content/en/summary.md``),
a chapter like the others but not listed in ``data/report.yaml``: it is
rendered on its own, with its own note numbering, into
``build/render/<edition>/summary/`` next to the report it summarises, and
printed as ``dist/<slug>-<year>-summary-<edition>.pdf``
(:mod:`esgpress.pdf.summary`) and as the site's summary page. Its figures come
from the same ``kpi()`` calls and its tiles from ``data/topics.yaml``, so the
summary cannot print a figure the report does not hold (docs/summary.md).
"""

from __future__ import annotations

from pathlib import Path

from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.renderer import RenderedChapter, Renderer

#: The summary template's name in content/zh/ and content/en/.
SUMMARY_KEY = "summary"


def has_summary(root: Path) -> bool:
    """Whether the project has a summary template (the Chinese one decides)."""
    return (root / "content" / "zh" / f"{SUMMARY_KEY}.md").is_file()


def summary_dir(render_dir: Path) -> Path:
    """Where an edition's summary render goes, inside the edition's render folder."""
    return render_dir / SUMMARY_KEY


def render_summary(
    root: Path, dataset: Dataset, edition: str, loc: Localizer | None = None
) -> tuple[Renderer, list[RenderedChapter]]:
    """Render the summary of one edition; raise one EsgError with every problem."""
    renderer = Renderer(root, dataset, edition, loc)
    return renderer, renderer.render_all([SUMMARY_KEY])
