"""One writer at a time, and no process left behind by a killed PDF build.

* ``import``, ``new-year``, ``export`` and ``mark-reviewed`` take the project
  lock as the builds do: run during a build, they stop at once with the lock
  message and change nothing (before, an import during a build made the PDF
  and the site of one release print different figures).
* ``kill -9`` of ``esgpress pdf`` while its layout workers run: the workers
  die with it (parent-death signal), none keeps the lock (they close their
  inherited copy), so the next command runs at once; the staging folder the
  killed build left is removed by the next PDF build, and dist/ is unchanged.
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


def children_of(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (read from /proc)."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture(scope="module")
def print_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The print fixture with a published dist/ (one earlier build)."""
    project = tmp_path_factory.mktemp("kill") / "print"
    shutil.copytree(FIXTURES / "print", project)
    (project / "dist").mkdir()
    (project / "dist" / "earlier.pdf").write_bytes(b"%PDF-1.7 the published set\n")
    return project


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["workers started", "first layout done"])
def test_kill_9_of_pdf_leaves_no_process_and_no_lock(print_project: Path, moment: str) -> None:
    project = print_project
    dist = snapshot(project / "dist")
    env = {**os.environ, "ESGPRESS_NO_CACHE": "1"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "esgpress", "--project", str(project), "pdf"],
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stderr is not None
    wanted = "started" if moment == "workers started" else "laid out"
    seen = []
    workers: list[int] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        line = proc.stderr.readline().decode()
        seen.append(line)
        if not line:
            break
        if wanted in line:
            workers = children_of(proc.pid)
            if len(workers) >= 2:
                break
    assert len(workers) >= 2, "".join(seen)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    end = time.monotonic() + 5
    while any(alive(w) for w in workers) and time.monotonic() < end:
        time.sleep(0.05)
    assert [w for w in workers if alive(w)] == []
    staging = list(project.glob(".dist.new-*"))
    # The next command runs at once: no worker holds the lock.
    res = CliRunner().invoke(main, ["--project", str(project), "render", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert snapshot(project / "dist") == dist
    if staging:  # the next PDF build clears what the killed one left
        from esgpress.core.files import project_lock, recover

        with project_lock(project, "test"):
            recover(project / "dist")
        assert list(project.glob(".dist.new-*")) == []
