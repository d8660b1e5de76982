"""One writer at a time, and no process left behind by a killed PDF build.

* ``import``, ``new-year``, ``export`` and ``mark-reviewed`` take the project
  lock as the builds do: run during a build, they stop at once with the lock
  message and change nothing (before, an import during a build made the PDF
  and the site of one release print different figures).
* ``kill -9`` of ``esgpress pdf`` at four moments told by its own progress
  (the lock just taken; an edition rendering; the layout workers started; an
  edition laid out, its PDF being written and finished): no process of its
  process group lives on (the preparing processes and the layout workers die
  with it by the parent-death signal), none keeps the lock (they close their
  inherited copy), so the next command runs at once and dist/ is unchanged;
  the next PDF build removes the staging folders the killed ones left.
  Processes are read from /proc (psutil is not a dependency).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from esgpress.cli import main

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
LOCKED = "another esgpress build is running in this project (pid "


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def hold_lock(project: Path) -> subprocess.Popen[bytes]:
    code = (
        "import sys; from pathlib import Path; from esgpress.core.files import project_lock\n"
        f"with project_lock(Path({str(project)!r}), 'esgpress pdf'):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
    return holder


def test_data_commands_wait_for_no_build(tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(FIXTURES / "mini", project)
    book = tmp_path / "edited.xlsx"
    runner = CliRunner()
    export = ["export", "--format", "xlsx", "--lang", "en", "--out", str(book)]
    assert runner.invoke(main, ["--project", str(project), *export]).exit_code == 0
    data = snapshot(project / "data")
    holder = hold_lock(project)
    try:
        for command in (
            ["import", str(book)],
            ["new-year", "2025"],
            export,
            ["mark-reviewed", str(project / "content" / "en" / "climate.md")],
        ):
            res = runner.invoke(main, ["--project", str(project), *command])
            assert res.exit_code == 1, (command, res.output)
            assert res.output.startswith(f"{LOCKED}{holder.pid}, 'esgpress pdf'"), res.output
        assert snapshot(project / "data") == data
    finally:
        holder.kill()
        holder.communicate()
    res = runner.invoke(main, ["--project", str(project), "new-year", "2025", "--dry-run"])
    assert res.exit_code == 0, res.output


def group_alive(group: int) -> list[str]:
    """Live (not zombie) processes of the process group ``group``, read from /proc."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            out.append(f"{entry.name} {cmdline[:80]}")
    return out


@pytest.fixture(scope="module")
def print_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The print fixture with a published dist/ (one earlier build)."""
    project = tmp_path_factory.mktemp("kill") / "print"
    shutil.copytree(FIXTURES / "print", project)
    (project / "dist").mkdir()
    (project / "dist" / "earlier.pdf").write_bytes(b"%PDF-1.7 the published set\n")
    return project


def holds_the_lock(project: Path, pid: int) -> bool:
    lock = project / "build" / ".lock"
    return lock.is_file() and lock.read_text(errors="replace").startswith(f"pid {pid},")


#: When to kill, told by the command's own progress: the lock taken (just after
#: start), an edition rendering, the layout workers started, an edition laid out
#: (its PDF being written and finished while the others lay out).
MOMENTS = {
    "just after start": None,
    "during render": ": rendering",
    "during layout": ": started",
    "during finish": ": laid out",
}


@pytest.mark.slow
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_kill_9_of_pdf_leaves_no_process_and_no_lock(print_project: Path, moment: str) -> None:
    project = print_project
    dist = snapshot(project / "dist")
    env = {**os.environ, "ESGPRESS_NO_CACHE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "esgpress", "--project", str(project), "pdf"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
        start_new_session=True,  # its own process group: every process it starts is in it
    )
    assert proc.stderr is not None
    wanted = MOMENTS[moment]
    seen = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and proc.poll() is None:
        if wanted is None:
            if holds_the_lock(project, proc.pid):
                break
            time.sleep(0.01)
            continue
        line = proc.stderr.readline().decode()
        seen.append(line)
        if wanted in line:
            break
    assert proc.poll() is None, f"the build ended before {moment}: {''.join(seen)}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    end = time.monotonic() + 5
    while group_alive(proc.pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert group_alive(proc.pid) == []
    # The next command runs at once: nothing holds the lock.
    res = CliRunner().invoke(main, ["--project", str(project), "render", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert snapshot(project / "dist") == dist


@pytest.mark.slow
def test_the_next_pdf_build_clears_what_killed_ones_left(print_project: Path) -> None:
    """After the kills above: the next PDF build runs, removes their staging folders, publishes."""
    project = print_project
    (project / ".dist.new-999999").mkdir(exist_ok=True)  # as a killed build leaves it
    res = CliRunner().invoke(main, ["--project", str(project), "pdf"])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in project.iterdir() if p.name.startswith(".dist.")) == []
    assert len(list((project / "dist").glob("*.pdf"))) == 3
