"""`--project DIR` from another folder writes the same bytes as running inside DIR (issue 14).

The project root is passed explicitly through every stage; nothing is read from
the current folder or from where the toolkit is installed. Each command runs
twice in a fresh copy of a small project, as a real process: once inside the
project (the root found from the current folder), once from a decoy project
whose glossary would change the zh-Hant text if it leaked in. Every file the
project holds afterwards is compared byte for byte, and the decoy must be
left untouched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLE, copy_project

#: Read from the current folder, this glossary would print 示例集团 (not 示例集團)
#: in the zh-Hant edition of the project under test, which has no glossary.
DECOY_GLOSSARY = "protected:\n  - 示例集团\n"

#: Command lines, and the fixture each runs on: the print fixture, except for the
#: site (its chapters' images are for the print edition only).
COMMANDS = {
    "render": ("print", ["render"]),
    "export": ("print", ["export", "--format", "xlsx", "--lang", "zh-Hant"]),
    "template": (
        "print",
        ["template", "--year", "2024", "--lang", "zh-Hant", "--out", "{root}/c.xlsx"],
    ),
    "pdf": ("print", ["pdf"]),
    "build": ("site", ["build"]),
}


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def fresh_project(fixture: str, dest: Path) -> Path:
    """A fixture project with the sample's site configuration, in ``dest`` (emptied first)."""
    if dest.exists():
        shutil.rmtree(dest)
    project = copy_project(fixture, dest)
    copy_project(SAMPLE, project, parts=("mkdocs.yml", "templates", "data/jieba_user_dict.txt"))
    return project


def esgpress(cwd: Path, *args: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "tools")}
    run = subprocess.run(
        [sys.executable, "-m", "esgpress", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, f"esgpress {' '.join(args)} in {cwd}:\n{run.stdout}{run.stderr}"


@pytest.mark.slow
@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_project_option_gives_the_same_bytes_as_running_inside(
    command: str, tmp_path: Path
) -> None:
    decoy = copy_project("mini", tmp_path / "decoy")
    (decoy / "data" / "glossary.yaml").write_text(DECOY_GLOSSARY, encoding="utf-8")
    decoy_before = snapshot(decoy)
    fixture, command_line = COMMANDS[command]
    project = fresh_project(fixture, tmp_path / "project")
    sources = snapshot(project)
    args = [a.format(root=project) for a in command_line]

    esgpress(project, *args)
    inside = snapshot(project)

    project = fresh_project(fixture, tmp_path / "project")
    esgpress(decoy, "--project", str(project), *args)
    outside = snapshot(project)

    written = sorted(set(inside) - set(sources))
    assert written, f"esgpress {command} wrote nothing"
    assert sorted(outside) == sorted(inside)
    assert [name for name in sorted(inside) if inside[name] != outside[name]] == []
    assert snapshot(decoy) == decoy_before
