"""Hardening (issue #9): how outputs are replaced.

Each test fails when the atomic, locked output folders (esgpress.core.files)
are removed: a failing, full-disk or killed build leaves site/ and dist/ as they
were, PDFs are swapped in as a set, and a second build stops with the lock message.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLE, append, copy_project
from esgpress.cli import main

REPO = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (to compare before and after a build)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def old_output(folder: Path) -> dict[str, bytes]:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text("<p>the published site</p>", encoding="utf-8")
    (folder / "sub" / "page.html").write_text("<p>a page</p>", encoding="utf-8")
    return tree(folder)


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name.startswith(f".{folder.name}."))


def build_site_of(project: Path, site: Path) -> None:
    from esgpress.site.build import build_site

    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=site)


def test_a_failing_chapter_leaves_site_unchanged(tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError

    project = copy_project("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    append(project / "content" / "en" / "people.md", '{{ kpi("no.such.kpi") }}\n')
    with pytest.raises(EsgError, match=r"unknown KPI 'no\.such\.kpi'"):
        build_site_of(project, site)
    assert tree(site) == before
    assert siblings(site) == []


def test_a_full_disk_halfway_through_the_site_leaves_site_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import mkdocs.utils

    from esgpress.core.errors import EsgError

    project = copy_project("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    real_write = mkdocs.utils.write_file
    written: list[str] = []

    def write_file(content: bytes, output_path: str) -> None:
        if len(written) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", output_path)
        real_write(content, output_path)
        written.append(output_path)

    monkeypatch.setattr(mkdocs.utils, "write_file", write_file)
    with pytest.raises(EsgError) as err:
        build_site_of(project, site)
    assert len(written) == 3 and all("/.site.new-" in w for w in written)
    message = err.value.format_message()
    assert message.startswith("cannot write site/: No space left on device (")
    assert message.endswith("); the previous site/ is unchanged")
    assert tree(site) == before
    assert siblings(site) == []


def test_a_killed_site_build_leaves_site_unchanged(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys

    from esgpress.core.files import recover

    project = copy_project("site", tmp_path / "p")
    site = tmp_path / "site"
    before = old_output(site)
    code = (
        "from pathlib import Path; from esgpress.site.build import build_site; "
        f"build_site(Path({str(project)!r}), config_file=Path({str(REPO / 'mkdocs.yml')!r}), "
        f"site_dir=Path({str(site)!r}))"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    proc = subprocess.Popen([sys.executable, "-c", code], env=env, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            staging = [p for p in tmp_path.glob(".site.new-*") if any(p.rglob("*.html"))]
            if staging:
                break
            time.sleep(0.02)
        assert proc.poll() is None, "the build ended before it could be killed"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert tree(site) == before
    assert siblings(site) == [f".site.new-{proc.pid}"]  # hidden, never served as site/
    recover(site)  # what the next build does first
    assert siblings(site) == []
    assert tree(site) == before


def test_a_build_killed_between_the_two_renames_is_recovered(tmp_path: Path) -> None:
    from esgpress.core.files import recover

    site = tmp_path / "site"
    before = old_output(tmp_path / ".site.old-12345")
    (tmp_path / ".site.new-12345").mkdir()
    recover(site)
    assert tree(site) == before
    assert siblings(site) == []


def pdf_project(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    project = copy_project("print", tmp_path / "p")
    dist = project / "dist"
    dist.mkdir()
    for edition in ("zh-Hant", "zh-Hans", "en"):
        (dist / f"printdemo-2024-{edition}.pdf").write_bytes(f"%PDF old {edition}".encode())
    (dist / "notes.txt").write_text("kept", encoding="utf-8")
    return project, tree(dist)


def test_pdfs_are_replaced_as_a_set_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        results = []
        for job in jobs:  # the first edition succeeds, the second fails halfway
            Path(job.out).write_bytes(b"%PDF new " + job.edition.encode())
            results.append(esgpress.pdf.build.Result(job.edition, job.out))
        results[1].error = f"{jobs[1].edition}: a glyph is missing"
        return results

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf"])
    assert res.exit_code == 1
    assert "zh-Hans: a glyph is missing\ndist/ is unchanged: no PDF was replaced" in res.output
    assert tree(project / "dist") == before
    assert siblings(project / "dist") == []
    assert not list((project / "build" / "print").glob("*/.pdf.fingerprint"))


def test_a_full_disk_while_writing_pdfs_leaves_dist_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        Path(jobs[0].out).write_bytes(b"%PDF half")
        raise OSError(errno.ENOSPC, "No space left on device", jobs[0].out)

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf"])
    assert res.exit_code == 1
    assert res.output.startswith("cannot write dist/: No space left on device (")
    assert "Traceback" not in res.output
    assert tree(project / "dist") == before
    assert siblings(project / "dist") == []


def test_a_successful_pdf_build_swaps_in_the_new_set_and_keeps_other_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import esgpress.pdf.build

    project, before = pdf_project(tmp_path)

    def run(jobs: list[esgpress.pdf.build.Job]) -> list[esgpress.pdf.build.Result]:
        for job in jobs:
            Path(job.out).write_bytes(b"%PDF new " + job.edition.encode())
        return [esgpress.pdf.build.Result(job.edition, job.out) for job in jobs]

    monkeypatch.setattr(esgpress.pdf.build, "_run", run)
    res = CliRunner().invoke(main, ["--project", str(project), "pdf", "--lang", "en"])
    assert res.exit_code == 0, res.output
    after = tree(project / "dist")
    assert after["printdemo-2024-en.pdf"] == b"%PDF new en"
    assert {k: v for k, v in after.items() if k != "printdemo-2024-en.pdf"} == {
        k: v for k, v in before.items() if k != "printdemo-2024-en.pdf"
    }
    assert siblings(project / "dist") == []


def test_a_second_build_stops_with_the_lock_message(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    project = copy_project("mini", tmp_path / "p")
    copy_project(SAMPLE, project, parts=("mkdocs.yml",))
    code = (
        "import sys, time; from pathlib import Path; from esgpress.core.files import project_lock\n"
        f"with project_lock(Path({str(project)!r}), 'esgpress pdf'):\n"
        "    print('locked', flush=True); sys.stdin.read()\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO / "tools")}
    holder = subprocess.Popen(
        [sys.executable, "-c", code], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"locked\n"
        for command in (["render"], ["pdf"], ["build"], ["build-all"]):
            res = CliRunner().invoke(main, ["--project", str(project), *command])
            assert res.exit_code == 1, command
            assert res.output.startswith(
                f"another esgpress build is running in this project (pid {holder.pid}, "
                "'esgpress pdf' started at "
            ), res.output
            assert res.output.rstrip().endswith(
                "wait for it to finish and run the command again. The lock (build/.lock) is "
                "released when that process ends, even if it is killed."
            )
        assert not (project / "build" / "render").exists()
    finally:
        holder.kill()
        holder.communicate()  # reap it and close the pipes
    # The kernel dropped the lock with the killed holder: the next render runs.
    res = CliRunner().invoke(main, ["--project", str(project), "render", "--lang", "en"])
    assert res.exit_code == 0, res.output
