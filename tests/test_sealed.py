"""Caches kept between runs: sealed files, the loaded data set and the chapter renders on disk.

A project folder is untrusted input; its ``build/cache`` travels with it. These
tests plant a forged cache file and check it is never unpickled, and check
that the data set and chapter caches are used exactly when their inputs are
unchanged (docs/performance.md, "Caches").
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from conftest import SAMPLE, copy_project, edit
from esgpress.core import fingerprints as cache
from esgpress.core.errors import EsgError
from esgpress.core.sealed import KEY_DIR_ENV, MAGIC, key_path, read_sealed, write_sealed


@pytest.fixture(autouse=True)
def own_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test seals with a key of its own, outside the project."""
    monkeypatch.setenv(KEY_DIR_ENV, str(tmp_path / "key"))


class Planted:
    """Unpickling this touches a file: proof that a forged cache would run code."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


def test_a_sealed_value_reads_back_and_the_key_is_private(tmp_path: Path) -> None:
    path = tmp_path / "build" / "cache" / "value"
    assert write_sealed(path, {"figure": "1,234.5", "years": (2023, 2024)})
    assert read_sealed(path) == {"figure": "1,234.5", "years": (2023, 2024)}
    assert key_path().stat().st_mode & 0o777 == 0o600
    assert not str(key_path()).startswith(str(path.parent))


@pytest.mark.parametrize(
    "forge",
    ["no seal at all", "a seal made with another key", "a torn file"],
)
def test_a_forged_or_torn_cache_file_is_never_unpickled(tmp_path: Path, forge: str) -> None:
    marker = tmp_path / "code-ran"
    path = tmp_path / "build" / "cache" / "dataset"
    path.parent.mkdir(parents=True)
    body = pickle.dumps(Planted(marker))
    if forge == "no seal at all":
        path.write_bytes(body)
    elif forge == "a seal made with another key":
        path.write_bytes(MAGIC + b"\x00" * 32 + body)
    else:
        assert write_sealed(path, Planted(marker)) and not marker.exists()
        path.write_bytes(path.read_bytes()[:-3])
    assert read_sealed(path) is None
    assert not marker.exists()


def test_another_users_key_cannot_read_this_users_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "value"
    write_sealed(path, [1, 2, 3])
    monkeypatch.setenv(KEY_DIR_ENV, str(tmp_path / "other-key"))
    assert read_sealed(path) is None


# ---------------------------------------------------------------- the data set


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The sample's sources, in a project that has been built before (it has a build/ folder)."""
    root = copy_project(SAMPLE, tmp_path / "project", parts=("data", "content"))
    (root / "build").mkdir()
    return root


def test_the_data_set_is_loaded_once_while_data_is_unchanged(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from esgpress.data import loader

    first, warnings = loader.load_project(project)
    calls: list[Path] = []
    real = loader.load_dataset
    monkeypatch.setattr(loader, "load_dataset", lambda root, p: calls.append(root) or real(root, p))
    again, again_warnings = loader.load_project(project)
    assert calls == [] and again == first and loader.as_loaded(again)
    assert [str(w) for w in again_warnings] == [str(w) for w in warnings]
    # One changed byte in data/ loads the files again.
    kpis = project / "data" / "kpis.yaml"
    kpis.write_text(kpis.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    loader.load_project(project)
    assert calls == [project]
    # Caches off: always loaded.
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    loader.load_project(project)
    assert calls == [project, project]


def test_a_kept_data_set_whose_file_outside_data_is_gone_is_loaded_again(project: Path) -> None:
    """A policy file outside data/ is not in data/'s fingerprint: it is checked on reuse."""
    from esgpress.data.loader import load_project

    name = "SAMPLE-placeholder-supplier-code-of-conduct.pdf"
    (project / "files").mkdir()
    (project / "data" / "policies" / name).rename(project / "files" / name)
    edit(project / "data" / "report.yaml", f"data/policies/{name}", f"files/{name}")
    load_project(project)
    (project / "files" / name).unlink()
    with pytest.raises(EsgError) as raised:
        load_project(project)
    assert f"no file 'files/{name}' in the project folder" in str(raised.value)


def test_a_data_set_with_errors_is_never_kept(project: Path) -> None:
    from esgpress.data.loader import load_project

    report = project / "data" / "report.yaml"
    report.write_text(report.read_text(encoding="utf-8") + "\nyear: [\n", encoding="utf-8")
    for _ in range(2):  # the second run reports the error again, from the files
        with pytest.raises(EsgError):
            load_project(project)
    assert not (project / "build" / "cache" / "dataset").exists()


# ---------------------------------------------------------------- chapters on disk


def test_a_new_process_renders_only_the_edited_chapter(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The chapter renders kept in build/cache/chapters serve the next process.

    The process memory is cleared (as in a new process); after a one-sentence
    edit only the edited chapter is templated, and the render is the same as
    one with every cache off.
    """
    from esgpress.data.loader import load_project
    from esgpress.render import renderer
    from esgpress.render.write import render_edition

    dataset, _ = load_project(project)
    render_edition(project, dataset, "zh-Hant")
    climate = project / "content" / "zh" / "climate.md"
    climate.write_text(
        climate.read_text(encoding="utf-8").replace("\n\n", "\n\n这是新加的一句话。", 1), "utf-8"
    )
    renderer._CHAPTERS.clear()
    rendered: list[str] = []
    real = renderer.Renderer.render_chapter

    def spy(self: renderer.Renderer, chapter: renderer.Chapter, *args: object) -> object:
        rendered.append(chapter.key)
        return real(self, chapter, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(renderer.Renderer, "render_chapter", spy)
    dataset, _ = load_project(project)
    kept = render_edition(project, dataset, "zh-Hant")
    assert rendered == ["climate"]
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    fresh = render_edition(project, dataset, "zh-Hant", tmp_path / "fresh")
    assert _files(kept) == _files(fresh)


def test_a_data_set_changed_in_memory_is_never_served_from_disk(project: Path) -> None:
    from dataclasses import replace

    from esgpress.data.loader import as_loaded, load_project
    from esgpress.render.renderer import Renderer

    dataset, _ = load_project(project)
    changed = replace(dataset)
    assert as_loaded(dataset) and not as_loaded(changed)
    Renderer(project, changed, "en").render_all()
    assert not (project / "build" / "cache" / "chapters").exists()


def _files(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != cache.FINGERPRINT_FILE
    }


def test_the_chapter_key_covers_images_and_their_links_but_not_chapter_texts(
    project: Path, tmp_path: Path
) -> None:
    """An image added or re-linked under content/ renders every chapter again; an edit does not."""
    from esgpress.core.fingerprints import resources_fingerprint

    before = resources_fingerprint(project)
    (project / "content" / "zh" / "about.md").write_text("# 关于\n", encoding="utf-8")
    assert resources_fingerprint(project) == before
    images = project / "content" / "zh" / "images"
    images.mkdir()
    (images / "chart.png").write_bytes(b"\x89PNG one")
    added = resources_fingerprint(project)
    assert added != before
    (tmp_path / "outside.png").write_bytes(b"\x89PNG one")
    (images / "chart.png").unlink()
    (images / "chart.png").symlink_to(tmp_path / "outside.png")
    assert resources_fingerprint(project) not in (before, added)


def test_a_new_process_converts_no_unchanged_chapter_and_builds_no_converter(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """zh-Hant after a render: converted sources come from build/cache/converted.

    The memories of the process are cleared (as in a new process); with no
    chapter changed, the zh-Hant render and its print assembly never build the
    converter (jieba's dictionary takes seconds to load). After an edit, only
    the edited chapter is converted.
    """
    from esgpress.data.loader import load_project
    from esgpress.editions import converter as converter_module
    from esgpress.editions import i18n
    from esgpress.pdf.printhtml import assemble
    from esgpress.render import renderer
    from esgpress.render.write import render_edition

    def forget() -> None:
        renderer._CHAPTERS.clear()
        i18n._CONVERTED.clear()
        i18n._CONVERTERS.clear()

    forget()  # earlier tests of this process converted the same chapters
    dataset, _ = load_project(project)
    render_edition(project, dataset, "zh-Hant")
    converted: list[str] = []
    real = converter_module.Converter.to_hant

    def spy(self: converter_module.Converter, text: str) -> str:
        converted.append(text)
        return real(self, text)

    monkeypatch.setattr(converter_module.Converter, "to_hant", spy)
    segmenter_for = i18n.segmenter_for
    monkeypatch.setattr(i18n, "segmenter_for", lambda words: pytest.fail("converter built"))
    # An English edit makes the zh-Hant render stale; its chapters are all unchanged.
    about = project / "content" / "en" / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\nOne more sentence.\n", "utf-8")
    forget()
    dataset, _ = load_project(project)
    render_edition(project, dataset, "zh-Hant")
    assemble(project, dataset, "zh-Hant")
    assert converted == []
    monkeypatch.setattr(i18n, "segmenter_for", segmenter_for)  # not undo(): the key stays
    climate = project / "content" / "zh" / "climate.md"
    climate.write_text(climate.read_text(encoding="utf-8") + "\n再加一句。\n", "utf-8")
    forget()
    dataset, _ = load_project(project)
    render_edition(project, dataset, "zh-Hant")
    # The edited chapter is the one source converted; the rest are its data labels.
    chapters = [text for text in converted if text.startswith("#")]
    assert len(chapters) == 1 and chapters[0].endswith("再加一句。\n")


def test_checking_a_project_never_built_writes_nothing(tmp_path: Path) -> None:
    """No build/ folder, no cache: `esgpress check` of a fresh clone or a fixture writes nothing."""
    from esgpress.checks.run import check_project

    project = copy_project("print", tmp_path / "project")
    before = sorted(p.relative_to(project) for p in project.rglob("*"))
    for _ in range(2):
        result = check_project(project)
        assert not result.problems.errors
    assert sorted(p.relative_to(project) for p in project.rglob("*")) == before
