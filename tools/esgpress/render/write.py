"""The render step: every edition's chapters into ``build/render/<edition>/``.

This is the single render both outputs read: the site copies the Markdown
into its docs folder and the print edition converts the same Markdown to
HTML. ``manifest.json`` records what the render found (chapter titles,
sections, numbered notes, charts, KPIs used) for the site, the PDF and the
checks.

The checks render every edition too, but never write: they hand their renders
back (:class:`FinishedRender`), and ``build-all`` writes them here with
:func:`write_renders`, so ``make report`` renders each edition once. Every
file goes through :func:`esgpress.core.files.write_atomic`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from esgpress.core import fingerprints as cache
from esgpress.core.console import say
from esgpress.core.files import write_atomic
from esgpress.core.sealed import kept_or_made
from esgpress.data.loader import loaded_root
from esgpress.data.model import Dataset
from esgpress.editions.i18n import Localizer
from esgpress.render.renderer import RenderedChapter, Renderer


def render_edition(
    root: Path, dataset: Dataset, edition: str, out_dir: Path | None = None, warm: bool = False
) -> Path:
    """Render all chapters of ``edition`` and write them with a manifest; return the folder.

    Skipped when the folder already holds the render of the same inputs
    (:func:`esgpress.core.fingerprints.render_fingerprint`): ``dataset`` must be the one
    loaded from ``root``'s data, as every caller does. ``warm`` renders even
    then, to fill this process's memory of the chapters (the live preview's
    first build, so the first save replays all but the saved chapter).
    """
    out = out_dir or render_dir(root, edition)
    fingerprint = cache.render_fingerprint(root, edition)
    if not warm and cache.is_fresh(out, fingerprint) and (out / "manifest.json").is_file():
        return out
    renderer = Renderer(root, dataset, edition, Localizer(dataset, edition))
    return write_render(renderer, renderer.render_all(), out, fingerprint)


@dataclass
class FinishedRender:
    """An edition rendered in memory (by the checks), with the fingerprint of its inputs.

    The fingerprint is taken before rendering, so a file edited meanwhile makes
    the written render stale rather than wrongly fresh.
    """

    renderer: Renderer
    chapters: list[RenderedChapter]
    fingerprint: str


def render_dir(root: Path, edition: str) -> Path:
    """Where an edition's render goes: ``build/render/<edition>/``."""
    return root / "build" / "render" / edition


def write_renders(root: Path, renders: Mapping[str, FinishedRender]) -> dict[str, Path]:
    """Write renders made elsewhere (the checks') to ``build/render/``; return their folders."""
    return {
        edition: write_render(r.renderer, r.chapters, render_dir(root, edition), r.fingerprint)
        for edition, r in renders.items()
    }


def write_render(
    renderer: Renderer,
    chapters: list[RenderedChapter],
    out: Path,
    fingerprint: str,
    summary: bool = True,
) -> Path:
    """Write a finished render (chapters, charts, manifest) and its fingerprint; return ``out``.

    Also writes the renders the checks made (:func:`write_renders`). With
    ``summary`` and a summary template in the project, the executive summary
    is rendered and written into ``out/summary/`` (:mod:`esgpress.render.summary`).
    """
    out.mkdir(parents=True, exist_ok=True)
    cache.forget(out)
    from esgpress.render.summary import has_summary, render_summary, summary_dir

    if summary and has_summary(renderer.root):
        s_renderer, s_chapters = render_summary(
            renderer.root, renderer.dataset, renderer.edition, renderer.loc
        )
        write_render(s_renderer, s_chapters, summary_dir(out), fingerprint, summary=False)
    for ch in chapters:
        write_atomic(out / f"{ch.key}.md", ch.markdown)
    # A chapter removed from the report must not live on in the render.
    current = {f"{ch.key}.md" for ch in chapters}
    for stale in sorted(out.glob("*.md")):
        if stale.name not in current:
            stale.unlink()
            say(f"removed {out.parent.name}/{out.name}/{stale.name} (no longer a chapter)")
    write_charts(renderer, out / "charts")
    manifest = {
        "edition": renderer.edition,
        "chapters": [{"key": c.key, "title": c.title, "source": c.source} for c in chapters],
        "sections": [vars(s) for s in renderer.state.sections.values()],
        "notes": [vars(n) for n in sorted(renderer.state.notes.values(), key=lambda n: n.number)],
        "charts": renderer.state.charts,
        "kpis_used": {k: sorted(v) for k, v in renderer.state.kpis_used.items()},
        "texts": edition_texts(renderer.dataset, renderer.loc),
    }
    write_atomic(out / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    cache.mark_fresh(out, fingerprint)
    return out


def edition_texts(dataset: Dataset, loc: Localizer) -> dict[str, str]:
    """Return the data texts an edition prints outside its chapters: names, heads, notice.

    Kept in the render's manifest, so the print step reads them as the render
    converted them: a zh-Hant proof of an unchanged render builds no converter
    (jieba's dictionary alone takes two seconds to load).
    """
    report, settings = dataset.report, dataset.report.print
    notice = report.sample_notice if report.sample else None
    sources = {
        "title": report.title,
        "company": report.company,
        "verso": settings.verso or report.company,
        "recto": settings.recto or report.title,
        "sample_notice": notice,
    }
    root = loaded_root(dataset) if cache.enabled() and loc.edition != "en" else None
    path = cache.cache_path(root, "converted", loc.edition, "texts") if root else None
    # Kept on disk, as the chapter sources are: a render whose chapters are all
    # unchanged then builds no converter at all.
    key = cache.digest((loc.edition, loc.glossary_fingerprint, repr(sources))) if path else ""
    return kept_or_made(
        path, key, lambda: {name: loc.text(text) for name, text in sources.items()}, dict
    )


def charts_key(root: Path, edition: str) -> str:
    """Hash what every chart of an edition depends on besides its spec: data/, toolkit, matplotlib.

    Computed once per render: hashing data/ and asking importlib for
    matplotlib's version for each chart was most of a cached render's chart time.
    """
    from importlib.metadata import version

    root = root.resolve()
    return cache.digest(
        ("charts", edition, version("matplotlib")), cache.project_files(root, "data"), base=root
    )


def chart_fingerprint(key: str, spec: dict[str, object]) -> str:
    """Fingerprint of one chart: its spec and the edition's :func:`charts_key`."""
    return cache.digest((key, json.dumps(spec, sort_keys=True, default=str)))


def write_charts(renderer: Renderer, out: Path) -> None:
    """Write ``out/<slug>.svg`` for the edition's charts, drawing only the ones not cached.

    Drawn SVGs are kept in ``build/cache/charts/`` by :func:`chart_fingerprint`:
    matplotlib (imported only when a chart must be drawn) takes most of a
    render's time otherwise. A file is rewritten only when its bytes change, and
    the SVGs of charts the edition no longer has are removed.
    """
    store = renderer.root / "build" / "cache" / "charts"
    out.mkdir(parents=True, exist_ok=True)
    first: dict[str, dict[str, object]] = {}
    for spec in renderer.state.charts:  # a chart drawn twice is the same file
        first.setdefault(str(spec["slug"]), spec)
    key = charts_key(renderer.root, renderer.edition) if first else ""
    for slug, spec in first.items():
        cached = store / f"{chart_fingerprint(key, spec)}.svg"
        if cache.enabled() and cached.is_file():
            svg = cached.read_bytes()
        else:
            svg = _draw(spec, renderer).encode("utf-8")
            write_atomic(cached, svg)
        write_atomic(out / f"{slug}.svg", svg, only_if_changed=True)
    # Charts an earlier render drew and this one does not: the site publishes
    # every SVG of the folder.
    for stale in out.glob("*.svg"):
        if stale.stem not in first:
            stale.unlink()


def _draw(spec: dict[str, object], renderer: Renderer) -> str:
    """Draw one chart: the materiality matrix (:mod:`esgpress.render.materiality`) or a trend."""
    if spec.get("kind") == "matrix":
        from esgpress.render.materiality import matrix_svg

        topics = renderer.dataset.components.topics
        return matrix_svg(topics, renderer.loc, str(spec["title"]))
    from esgpress.render.charts import render_chart

    return render_chart(spec, renderer.dataset, renderer.loc)


def render_all(
    root: Path, dataset: Dataset, editions: tuple[str, ...] | None = None
) -> dict[str, Path]:
    """Render every edition (default: the project's); return their folders."""
    chosen = dataset.report.editions if editions is None else editions
    return {e: render_edition(root, dataset, e) for e in chosen}
