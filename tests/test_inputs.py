"""The glossary and the framework catalogue are inputs like any other data file.

``esgpress check`` reports their mistakes at ``data/<file>:L:C`` in the same
run as the chapter problems, and every command takes the glossary from the
project it is given, never from the folder it runs in (issue 14).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import copy_project
from esgpress.data.loader import load_project
from esgpress.editions.i18n import Localizer

FIXTURES = Path(__file__).resolve().parent / "fixtures"

#: A glossary-only rule: without it, OpenCC writes 示例集團 in the zh-Hant edition.
GLOSSARY = "protected:\n  - 示例集团\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the minimal fixture project, with a glossary."""
    dest = copy_project("mini", tmp_path / "project")
    (dest / "data" / "glossary.yaml").write_text(GLOSSARY, encoding="utf-8")
    return dest


def esgpress(*args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    """Run the command line in ``cwd`` as a user would."""
    env = {**os.environ, "ESGPRESS_NO_CACHE": "1"}
    return subprocess.run(
        [sys.executable, "-m", "esgpress", *args], cwd=cwd, capture_output=True, env=env
    )


def plant_chapter_error(root: Path) -> None:
    """Make content/zh/climate.md cite a KPI the data does not have."""
    chapter = root / "content" / "zh" / "climate.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + '\n{{ kpi("env.no_such_kpi") }}\n', encoding="utf-8"
    )


def test_bad_frameworks_file_does_not_hide_chapter_errors(project: Path) -> None:
    (project / "data" / "frameworks.yaml").write_text(
        "hkex:\n  A1: {zh: 排放物, en: Emissions}\n  A2: [资源使用]\n", encoding="utf-8"
    )
    plant_chapter_error(project)
    run = esgpress("check", "--strict", cwd=project)
    lines = (run.stdout + run.stderr).decode().splitlines()
    assert run.returncode == 1
    assert "data/frameworks.yaml:3:7: hkex.A2 should be a mapping (key: value), not a list" in lines
    assert any(
        line.startswith("content/zh/climate.md:") and "env.no_such_kpi" in line for line in lines
    ), lines


def test_bad_glossary_entry_is_located_in_the_project(project: Path) -> None:
    (project / "data" / "glossary.yaml").write_text(
        GLOSSARY + "phrases:\n  面積: 面積\n", encoding="utf-8"
    )
    plant_chapter_error(project)
    run = esgpress("check", "--strict", cwd=project)
    lines = (run.stdout + run.stderr).decode().splitlines()
    assert run.returncode == 1
    glossary = [line for line in lines if "glossary" in line and "面積" in line]
    assert glossary == [
        "data/glossary.yaml:4:3: phrase source '面積' is not Simplified Chinese "
        "(Simplified: '面积'); the source side is what writers type"
    ]
    assert any(line.startswith("content/zh/climate.md:") for line in lines), lines


def test_glossary_comes_from_the_project_not_the_folder(project: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "data").mkdir(parents=True)
    # A glossary in the current folder must not be picked up.
    (elsewhere / "data" / "glossary.yaml").write_text("phrases:\n  集团: 集团\n", encoding="utf-8")
    chapter = project / "content" / "zh" / "climate.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n示例集团\n", encoding="utf-8")
    args = ("--project", str(project), "render", "--lang", "zh-Hant", str(chapter))
    inside = esgpress(*args, cwd=project)
    outside = esgpress(*args, cwd=elsewhere)
    assert inside.returncode == 0, inside.stderr.decode()
    assert "示例集团".encode() in inside.stdout
    assert outside.stdout == inside.stdout


def test_localizer_needs_no_root_for_the_glossary(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The PDF cover and the site build a Localizer from the data set alone.
    monkeypatch.chdir(tmp_path)
    dataset, _ = load_project(project)
    assert Localizer(dataset, "zh-Hant").text(dataset.report.company) == "示例集团"
    bare, _ = load_project(FIXTURES / "mini")
    assert Localizer(bare, "zh-Hant").text(bare.report.company) == "示例集團"
