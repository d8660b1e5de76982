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

from esgpress import cache
from esgpress.i18n import Localizer
from esgpress.model import EDITIONS, Dataset
from esgpress.render import RenderedChapter, Renderer


def render_edition(root: Path, dataset: Dataset, edition: str, out_dir: Path | None = None) -> Path:
    """Render all chapters of ``edition`` and write them with a manifest; return the folder.

    Skipped when the folder already holds the render of the same inputs
    (:func:`esgpress.cache.render_fingerprint`): ``dataset`` must be the one
    loaded from ``root``'s data, as every caller does.
    """
    out = out_dir or root / "build" / "render" / edition
    fingerprint = cache.render_fingerprint(root, edition)
    if cache.is_fresh(out, fingerprint) and (out / "manifest.json").is_file():
        return out
    renderer = Renderer(root, dataset, edition, Localizer(dataset, edition, root=root))
    return write_render(renderer, renderer.render_all(), out, fingerprint)


def write_render(
    renderer: Renderer, chapters: list[RenderedChapter], out: Path, fingerprint: str
) -> Path:
    """Write a finished render (chapters, charts, manifest) and its fingerprint; return ``out``.

    Also used by the checks (:func:`esgpress.lint.check_content`), which render
    every edition anyway, so ``make report`` renders each edition once.
    """
    dataset = renderer.dataset
    out.mkdir(parents=True, exist_ok=True)
    cache.forget(out)
    for ch in chapters:
        (out / f"{ch.key}.md").write_text(ch.markdown, encoding="utf-8")
    charts_dir = out / "charts"
    if renderer.state.charts:
        from esgpress.charts import write_charts

        write_charts(renderer.state.charts, dataset, renderer.loc, charts_dir)
    manifest = {
        "edition": renderer.edition,
        "chapters": [{"key": c.key, "title": c.title, "source": c.source} for c in chapters],
        "sections": [vars(s) for s in renderer.state.sections.values()],
        "notes": [vars(n) for n in sorted(renderer.state.notes.values(), key=lambda n: n.number)],
        "charts": renderer.state.charts,
        "kpis_used": {k: sorted(v) for k, v in renderer.state.kpis_used.items()},
    }
    (out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    cache.mark_fresh(out, fingerprint)
    return out


def render_all(
    root: Path, dataset: Dataset, editions: tuple[str, ...] = EDITIONS
) -> dict[str, Path]:
    """Render every edition; return their folders."""
    return {e: render_edition(root, dataset, e) for e in editions}
