"""Failures of the machine and absurd input end with a message, never a traceback.

* A read-only project, a read-only ``data/``, and ``build/`` on a full disk
  are *real*: the command runs in a child process inside a private mount
  namespace (``unshare -rm``, which needs no root) where the project is
  bind-mounted read-only or ``build/`` is a 16 KB tmpfs. The kernel then
  answers ``EROFS`` and ``ENOSPC`` from the very calls esgpress makes, so
  the test exercises its real code path, which ``chmod -w`` cannot do when
  the tests run as root (root writes through permissions) and a patched
  ``open`` would only imitate. Where user namespaces are not allowed the
  tests are skipped.
* An ordered list nested 3,000 deep in a chapter (a RecursionError in the
  sanitiser's check and in the PDF) is refused at its line, and so are
  quotes nested 3,000 deep in Markdown (``> > > …``: Markdown itself stops
  near 300 levels, still too deep for WeasyPrint).
* A text file renamed .xlsx and a 10**30 number cell are in
  test_hostile_workbooks.py and test_hostile_import.py.

Each case: exact message, exit 1, no traceback, and the project's files
(data/, content/, dist/) byte-identical.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import append, copy_project
from esgpress.cli import main

REPO = Path(__file__).resolve().parent.parent
TOOLS = REPO / "tools"


def namespaces_work() -> bool:
    try:
        done = subprocess.run(["unshare", "-rm", "true"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


needs_namespaces = pytest.mark.skipif(
    not namespaces_work(), reason="no user and mount namespaces (unshare -rm) here"
)


def files(project: Path, *parts: str) -> dict[str, bytes]:
    out = {}
    for part in parts:
        for p in sorted((project / part).rglob("*")):
            if p.is_file():
                out[str(p.relative_to(project))] = p.read_bytes()
    return out


def esgpress_mounted(project: Path, mount: str, *args: str) -> tuple[int, str]:
    """Run ``esgpress`` in a mount namespace prepared by the shell command ``mount``."""
    command = shlex.join([sys.executable, "-m", "esgpress", "--project", str(project), *args])
    path = os.pathsep.join([str(TOOLS), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "PYTHONPATH": path}
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", f"{mount} && exec {command}"],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        cwd=project,
    )
    output = done.stdout + done.stderr
    assert "Traceback" not in output, output
    lines = [line for line in output.splitlines() if not line.startswith("in force")]
    return done.returncode, "\n".join(lines)


def read_only(folder: Path) -> str:
    f = shlex.quote(str(folder))
    return f"mount --bind {f} {f} && mount -o remount,ro,bind {f}"


def full_disk(folder: Path) -> str:
    folder.mkdir(exist_ok=True)
    return f"mount -t tmpfs -o size=16k tmpfs {shlex.quote(str(folder))}"


ROFS = (
    "Read-only file system; that disk is mounted read-only: build a copy of the project "
    "on a writable disk"
)
NOSPC = "No space left on device; free some space on that disk and run the command again"


@needs_namespaces
@pytest.mark.parametrize(
    "command", [["render", "--lang", "en"], ["pdf"], ["build"], ["new-year", "2025"]]
)
def test_a_read_only_project_is_a_message(tmp_path: Path, command: list[str]) -> None:
    project = copy_project("print", tmp_path / "p")
    if command == ["build"]:  # a project with a site
        shutil.copy(REPO / "mkdocs.yml", project / "mkdocs.yml")
        shutil.copytree(REPO / "templates", project / "templates")
    before = files(project, "data", "content")
    code, output = esgpress_mounted(project, read_only(project), *command)
    assert code == 1
    assert output == f"{project}/build: {ROFS}"  # the lock, first of all
    assert files(project, "data", "content") == before


@needs_namespaces
def test_a_read_only_data_folder_is_a_message_for_new_year(tmp_path: Path) -> None:
    project = copy_project("print", tmp_path / "p")
    before = files(project, "data")
    code, output = esgpress_mounted(project, read_only(project / "data"), "new-year", "2025")
    assert code == 1
    assert output == f"{project}/data/report.yaml: {ROFS}"
    assert files(project, "data") == before


@needs_namespaces
@pytest.mark.parametrize("command", [["render", "--lang", "en"], ["pdf"]])
def test_build_on_a_full_disk_is_a_message(tmp_path: Path, command: list[str]) -> None:
    project = copy_project("print", tmp_path / "p")
    (project / "dist").mkdir()
    (project / "dist" / "earlier.pdf").write_bytes(b"%PDF-1.7 the published set\n")
    before = files(project, "data", "content", "dist")
    code, output = esgpress_mounted(project, full_disk(project / "build"), *command)
    assert code == 1
    # pdf renders the editions side by side: whichever fails first is named, at the
    # chapter the disk filled up on (the caches in build/cache take their share first,
    # and a cache that does not fit is skipped without a word)
    editions = "en" if "en" in command else "zh-Hant|zh-Hans|en"
    lines = [ln for ln in output.splitlines() if ln and not ln.endswith(": rendering")]
    assert len(lines) == 1
    assert re.fullmatch(
        f"{re.escape(str(project))}/build/render/({editions})/[a-z]+\\.md: {re.escape(NOSPC)}",
        lines[0],
    ), lines
    assert files(project, "data", "content", "dist") == before
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".")) == []


DEEP_LIST = "<ol><li>" * 3000 + "x" + "</li></ol>" * 3000 + "\n"
TOO_DEEP = (
    "the chapter's HTML nests elements more than 100 deep (here <ol>); "
    "a report never needs that many levels: flatten it"
)


def test_an_ordered_list_nested_3000_deep_is_refused_at_its_line(tmp_path: Path) -> None:
    project = copy_project("print", tmp_path / "p")
    (project / "dist").mkdir()
    (project / "dist" / "earlier.pdf").write_bytes(b"%PDF-1.7 the published set\n")
    line = append(project / "content" / "en" / "climate.md", "\n" + DEEP_LIST)
    before = files(project, "data", "content", "dist")
    for command in (["check"], ["render", "--lang", "en"], ["pdf"]):
        res = CliRunner().invoke(main, ["--project", str(project), *command])
        assert res.exit_code == 1, (command, res.output)
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        assert f"content/en/climate.md:{line + 1}: {TOO_DEEP}\n" in res.output
    assert files(project, "data", "content", "dist") == before


def test_quotes_nested_3000_deep_by_markdown_are_refused_at_their_line(tmp_path: Path) -> None:
    """Markdown stops near 300 levels of ``>``: still a RecursionError in WeasyPrint."""
    project = copy_project("print", tmp_path / "p")
    line = append(project / "content" / "en" / "climate.md", "\n" + "> " * 3000 + "x\n")
    for command in (["check"], ["pdf", "--lang", "en"]):
        res = CliRunner().invoke(main, ["--project", str(project), *command])
        assert res.exit_code == 1, (command, res.output)
        assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
        assert (
            f"content/en/climate.md:{line + 1}: the chapter's HTML nests elements more than "
            "100 deep (here <p>); a report never needs that many levels: flatten it\n"
        ) in res.output
    assert not (project / "dist").exists()


def test_lists_left_open_and_ordinary_nesting_are_not_refused(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    siblings = "<ul>" + "<li>item" * 300 + "</ul>\n\n" + "<p>para" * 300 + "\n"
    nested = "<div>" * 90 + "deep enough" + "</div>" * 90 + "\n"
    append(project / "content" / "en" / "climate.md", "\n" + siblings + "\n" + nested)
    res = CliRunner().invoke(main, ["--project", str(project), "check"])
    assert "nests elements" not in res.output
