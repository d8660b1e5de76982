"""Paths: a chapter key or a chapter file cannot reach outside content/ or build/.

A chapter key names ``content/<lang>/<key>.md`` and ``build/render/<edition>/<key>.md``;
``../../../README`` would read a file of the project and write over another.
Keys are plain file names, checked where data/report.yaml lists them; a
chapter that is a symbolic link is refused (it would publish what it points
at). Every case: a located message, exit 1, nothing written.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from esgpress.cli import main

FIXTURES = Path(__file__).parent / "fixtures"
KEY_MESSAGE = (
    "should be a plain file name: lower-case letters, digits, '-' and '_' (at most 64), "
    "naming content/<lang>/<key>.md"
)


def run(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--project", str(project), *args])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(FIXTURES / "mini", dest)
    (tmp_path / "README.md").write_text("outside the project\n", encoding="utf-8")
    return dest


@pytest.mark.parametrize(
    "key",
    ["../../README", "/etc/passwd", "sub/climate", "Climate", "climate.md", "..", "a" * 65],
)
@pytest.mark.parametrize("command", [("check",), ("render",), ("render", "--lang", "en")])
def test_a_chapter_key_that_is_not_a_file_name_is_refused(
    project: Path, key: str, command: tuple[str, ...]
) -> None:
    report = project / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    assert "chapters: [climate]" in text
    report.write_text(text.replace("chapters: [climate]", f"chapters: [climate, '{key}']"))
    line = text[: text.index("chapters: [climate]")].count("\n") + 1
    before = snapshot(project.parent)
    code, output = run(project, *command)
    assert code == 1
    assert f"data/report.yaml:{line}:21: chapter key {key!r} {KEY_MESSAGE}" in output
    after = snapshot(project.parent)
    assert after == {**before, "project/data/report.yaml": after["project/data/report.yaml"]}


@pytest.mark.parametrize("target", ["/etc/passwd", "../zh/climate.md", "../../data/kpis.yaml"])
def test_a_chapter_that_is_a_symbolic_link_is_refused(project: Path, target: str) -> None:
    chapter = project / "content" / "en" / "climate.md"
    chapter.unlink()
    chapter.symlink_to(target)
    for command in (("check",), ("render", "--lang", "en")):
        code, output = run(project, *command)
        assert code == 1
        assert (
            "content/en/climate.md: the chapter is a symbolic link (or lies outside "
            "content/en/); keep the chapter file itself there"
        ) in output
        assert "root:" not in output
    assert not (project / "build" / "render" / "en").exists()
