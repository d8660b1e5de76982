"""Caches never change the output: byte-identical builds with, without and with a warm cache.

The build runs on the print fixture as ``esgpress build-all`` runs it (the
checks record the render, the PDF step reuses it), for one edition's PDF to
stay fast. Also: the synthetic reports of ``make bench`` check clean.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from conftest import copy_project
from esgpress.checks.run import check_project
from esgpress.core import fingerprints as cache
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS
from esgpress.render.renderer import Renderer
from esgpress.render.write import render_edition, write_renders

FIXTURE = Path(__file__).parent / "fixtures" / "print"
BENCH = Path(__file__).resolve().parent.parent / "tools" / "bench.py"


def outputs(root: Path) -> dict[str, bytes]:
    """Every file the build wrote (build/ and dist/), by relative path, minus stamps and caches."""
    found = {}
    caches = root / "build" / "cache"
    for folder in ("build", "dist"):
        for path in sorted((root / folder).rglob("*")):
            if path.is_relative_to(caches):
                continue
            if path.is_file() and not path.name.endswith(cache.FINGERPRINT_FILE):
                found[str(path.relative_to(root))] = path.read_bytes()
    return found


def build(root: Path, force: bool = False) -> dict[str, bytes]:
    """What `esgpress build-all` does before the site: check, write its renders, render, en PDF."""
    from esgpress.pdf.build import build_pdfs

    result = check_project(root, record=True)
    assert not result.failed(strict=True), [str(p) for p in result.problems]
    write_renders(root, result.renders)
    dataset, _ = load_project(root)
    for edition in EDITIONS:
        render_edition(root, dataset, edition)
    build_pdfs(root, dataset, ("en",), force=force)
    return outputs(root)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project("print", tmp_path / "project")


@pytest.fixture
def no_render(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Count the renders that really happen (the cache skips the others)."""
    calls: list[str] = []
    original = Renderer.render_all

    def counted(self: Renderer, keys: list[str] | None = None) -> object:
        calls.append(self.edition)
        return original(self, keys)

    monkeypatch.setattr(Renderer, "render_all", counted)
    yield calls


def test_outputs_are_identical_with_without_and_with_a_warm_cache(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_render: list[str]
) -> None:
    other = copy_project("print", tmp_path / "other")
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    uncached = build(other)
    assert no_render == [*EDITIONS, *EDITIONS]  # the checks and the build both render

    monkeypatch.delenv(cache.NO_CACHE_ENV)
    no_render.clear()
    cold = build(project)
    assert no_render == list(EDITIONS)  # the build reused the checks' render
    no_render.clear()
    warm = build(project, force=True)
    assert no_render == list(EDITIONS)  # only the checks render; the PDF is laid out again

    assert [k for k in cold if k.startswith("dist/")] == ["dist/printdemo-2024-en.pdf"]
    assert "build/print/en/report.html" in cold
    assert sorted(cold) == sorted(uncached) == sorted(warm)
    for name in cold:
        assert cold[name] == uncached[name], f"{name} differs without the cache"
        assert warm[name] == cold[name], f"{name} differs with a warm cache"


def test_a_changed_chapter_or_data_file_renders_again(project: Path, no_render: list[str]) -> None:
    dataset, _ = load_project(project)
    out = render_edition(project, dataset, "en")
    before = (out / "climate.md").read_text(encoding="utf-8")
    render_edition(project, dataset, "en")
    assert no_render == ["en"]

    chapter = project / "content" / "en" / "climate.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nA new closing line.\n", "utf-8")
    render_edition(project, dataset, "en")
    assert no_render == ["en", "en"]
    assert (out / "climate.md").read_text(encoding="utf-8").startswith(before.rstrip("\n")[:200])
    assert "A new closing line." in (out / "climate.md").read_text(encoding="utf-8")

    units = project / "data" / "units.yaml"
    units.write_text(units.read_text(encoding="utf-8") + "\n# a comment\n", "utf-8")
    render_edition(project, dataset, "en")
    assert no_render == ["en", "en", "en"]


def test_no_cache_always_renders(
    project: Path, monkeypatch: pytest.MonkeyPatch, no_render: list[str]
) -> None:
    dataset, _ = load_project(project)
    render_edition(project, dataset, "zh-Hans")
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    render_edition(project, dataset, "zh-Hans")
    assert no_render == ["zh-Hans", "zh-Hans"]


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_synthetic_report_has_fresh_keys_and_checks_clean(tmp_path: Path) -> None:
    bench = load_bench()
    dest = tmp_path / "3x"
    listed = bench.make_synthetic(FIXTURE, dest, 3)
    assert listed == [
        "about",
        "about-c2",
        "about-c3",
        "climate",
        "climate-c2",
        "climate-c3",
        "people",
        "people-c2",
        "people-c3",
        "index",
    ]
    copy = (dest / "content" / "zh" / "climate-c3.md").read_text(encoding="utf-8")
    assert "{#climate-c3}" in copy and "{#climate.mitigation-c3}" in copy
    assert "{#climate.mitigation}" not in copy
    result = check_project(dest)
    assert [str(p) for p in result.problems if p.severity in ("error", "warning")] == []
    dataset, _ = load_project(dest)
    manifest = render_edition(dest, dataset, "en") / "manifest.json"
    text = manifest.read_text(encoding="utf-8")
    assert '"key": "people-c3"' in text


def rendered_files(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != cache.FINGERPRINT_FILE
    }


@pytest.mark.parametrize("edition", ["zh-Hant", "en"])
def test_memoised_chapters_follow_changes_before_them(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edition: str
) -> None:
    """A new footnote in the first chapter renumbers the notes of the chapters after it."""
    dataset, _ = load_project(project)
    first = rendered_files(render_edition(project, dataset, edition))  # fills the chapter memo
    lang = "en" if edition == "en" else "zh"
    about = project / "content" / lang / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8") + '\nScope{{ footnote("workforce") }}.\n', "utf-8"
    )
    memoised = rendered_files(render_edition(project, dataset, edition))
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    fresh = rendered_files(render_edition(project, dataset, edition, tmp_path / "fresh"))
    assert memoised == fresh
    people = memoised["people.md"].decode("utf-8")
    # the call added to about.md takes a number: every note of people.md moves up one
    numbers = re.findall(r'data-note="workforce">(\d+)</a>', people)
    earlier = re.findall(r'data-note="workforce">(\d+)</a>', first["people.md"].decode("utf-8"))
    assert numbers and [int(n) for n in numbers] == [int(n) + 1 for n in earlier]


def test_an_edit_that_adds_no_note_renders_only_that_chapter(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dataset, _ = load_project(project)
    render_edition(project, dataset, "en")
    rendered: list[str] = []
    original = Renderer.render_chapter

    def counted(self: Renderer, chapter: object, text: str, problems: object) -> object:
        rendered.append(chapter.key)  # type: ignore[attr-defined]
        return original(self, chapter, text, problems)  # type: ignore[arg-type]

    monkeypatch.setattr(Renderer, "render_chapter", counted)
    climate = project / "content" / "en" / "climate.md"
    climate.write_text(climate.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    memoised = rendered_files(render_edition(project, dataset, "en"))
    assert rendered == ["climate"]
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    fresh = rendered_files(render_edition(project, dataset, "en", tmp_path / "fresh"))
    assert memoised == fresh


def test_the_process_memories_keep_one_value_per_chapter(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits replace a chapter's memoised render and converted source; they never pile up.

    The live preview renders on every save for hours: the memories follow the
    Remembered rule (core/fingerprints.py), one value per scope.
    """
    from esgpress.editions import i18n
    from esgpress.render import renderer

    renderer._CHAPTERS.clear()
    i18n._CONVERTED.clear()
    dataset, _ = load_project(project)
    chapters = len(dataset.report.chapters)
    climate = project / "content" / "zh" / "climate.md"
    for n in range(3):
        climate.write_text(climate.read_text(encoding="utf-8") + f"\n第{n}句。\n", "utf-8")
        render_edition(project, dataset, "zh-Hant")
        assert len(renderer._CHAPTERS) == chapters
        assert len(i18n._CONVERTED) == chapters
    # switched off, nothing is kept
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    renderer._CHAPTERS.clear()
    render_edition(project, dataset, "zh-Hant")
    assert len(renderer._CHAPTERS) == 0


# ---------------------------------------------------------------- PDFs and the site


def test_an_unchanged_pdf_is_skipped_by_its_fingerprint(
    project: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    """The PDF step skips an edition whose print HTML, templates and images are unchanged.

    The layout is replaced by a stand-in: this is about when it runs, not what it writes.
    """
    import esgpress.pdf.build as pdf

    laid_out: list[str] = []

    def run(jobs: list[pdf.Job]) -> list[pdf.Result]:
        for job in jobs:
            laid_out.append(job.edition)
            Path(job.out).write_bytes(b"%PDF stand-in " + job.edition.encode())
        return [pdf.Result(job.edition, job.out) for job in jobs]

    monkeypatch.setattr(pdf, "_run", run)
    from esgpress.pdf.printhtml import TOOLKIT_TEMPLATES

    shutil.copytree(TOOLKIT_TEMPLATES, project / "templates" / "print")  # the project's own
    dataset, _ = load_project(project)
    pdf.build_pdfs(project, dataset, ("en",), render=True)
    assert laid_out == ["en"]
    assert (project / "build" / "print" / "en" / pdf.PDF_FINGERPRINT).is_file()
    assert not list(project.glob("build/print/*/pdf.stamp"))  # the old scheme is gone

    pdf.build_pdfs(project, dataset, ("en",), render=True)
    assert laid_out == ["en"]
    assert "pdf en: up to date" in capfd.readouterr().err

    css = next((project / "templates" / "print").glob("*.css"))
    css.write_text(css.read_text(encoding="utf-8") + "\n/* a comment */\n", encoding="utf-8")
    pdf.build_pdfs(project, dataset, ("en",), render=True)
    assert laid_out == ["en", "en"]  # a print template changed

    pdf.build_pdfs(project, dataset, ("en",), variant="pdf/a-3b", render=True)
    assert laid_out == ["en", "en", "en"]  # another variant

    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    pdf.build_pdfs(project, dataset, ("en",), variant="pdf/a-3b", render=True)
    assert laid_out == ["en", "en", "en", "en"]  # ESGPRESS_NO_CACHE ignores every cache


@pytest.mark.slow
def test_a_second_site_build_skips_mkdocs_when_nothing_changed(tmp_path: Path) -> None:
    """MkDocs runs again only when what it reads, or site/ itself, changed."""
    from esgpress.site.build import build_site

    repo = Path(__file__).resolve().parent.parent
    root = copy_project("site", tmp_path / "p")
    site = tmp_path / "site"

    def build_once() -> bool:
        """Build the site; return whether MkDocs ran."""
        report = build_site(root, config_file=repo / "mkdocs.yml", site_dir=site)
        return "mkdocs" in report.timings

    def tree() -> dict[str, bytes]:
        return {str(p.relative_to(site)): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    assert build_once()
    first = tree()
    assert not build_once()  # nothing changed: site/ kept as it was
    assert tree() == first

    (site / "index.html").unlink()  # site/ changed by hand: built again
    assert build_once()
    assert tree() == first

    chapter = root / "content" / "en" / "about.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    assert build_once()
    assert tree() != first
