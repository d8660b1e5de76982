"""The render step: every edition's chapters into ``build/render/<edition>/``.

This is the single render both outputs read: the site copies the Markdown
into its docs folder and the print edition converts the same Markdown to
HTML. ``manifest.json`` records what the render found (chapter titles,
sections, numbered notes, charts, KPIs used) for the site, the PDF and the
checks.
"""

from __future__ import annotations

import json
from pathlib import Path

from esgpress.i18n import Localizer
from esgpress.model import EDITIONS, Dataset
from esgpress.render import Renderer


def render_edition(root: Path, dataset: Dataset, edition: str, out_dir: Path | None = None) -> Path:
    """Render all chapters of ``edition`` and write them with a manifest; return the folder."""
    out = out_dir or root / "build" / "render" / edition
    renderer = Renderer(root, dataset, edition, Localizer(dataset, edition, root=root))
    chapters = renderer.render_all()
    out.mkdir(parents=True, exist_ok=True)
    for ch in chapters:
        (out / f"{ch.key}.md").write_text(ch.markdown, encoding="utf-8")
    charts_dir = out / "charts"
    if renderer.state.charts:
        from esgpress.charts import write_charts

        write_charts(renderer.state.charts, dataset, renderer.loc, charts_dir)
    manifest = {
        "edition": edition,
        "chapters": [{"key": c.key, "title": c.title, "source": c.source} for c in chapters],
        "sections": [vars(s) for s in renderer.state.sections.values()],
        "notes": [vars(n) for n in sorted(renderer.state.notes.values(), key=lambda n: n.number)],
        "charts": renderer.state.charts,
        "kpis_used": {k: sorted(v) for k, v in renderer.state.kpis_used.items()},
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return out


def render_all(
    root: Path, dataset: Dataset, editions: tuple[str, ...] = EDITIONS
) -> dict[str, Path]:
    """Render every edition; return their folders."""
    return {e: render_edition(root, dataset, e) for e in editions}
