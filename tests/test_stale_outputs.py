"""A project folder reused for the next report year publishes the next year only.

The sample (a copy) is built for its year, rolled forward with ``new-year``
and built again: ``dist/`` and ``site/`` must then hold the new year's files
only, and the build says what it removed. The PDF layout is replaced by a
stand-in that writes a placeholder file (the ``_run`` seam of
:mod:`esgpress.pdf.build`): what is under test is which files survive, not
WeasyPrint; the site is built for real.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import esgpress.pdf.build
from esgpress.cli import main
from esgpress.pdf.workers import Job, Result

ROOT = Path(__file__).resolve().parent.parent


def fake_layout(jobs: list[Job]) -> list[Result]:
    for job in jobs:
        Path(job.out).write_bytes(b"%PDF-1.7 placeholder for " + job.edition.encode())
    return [Result(job.edition, job.out, pages=1) for job in jobs]


def year_files(folder: Path) -> set[str]:
    """The report years named by the files under ``folder`` (e.g. xiaomi-esg-2024-en.pdf).

    The project's own earlier reports (``archive:``, published under
    ``files/library/``) are meant to stay and are not counted.
    """
    years = set()
    for path in folder.rglob("*"):
        if path.is_file() and "library" not in path.relative_to(folder).parts:
            years |= set(re.findall(r"-(20\d\d)-", path.name))
    return years


@pytest.mark.slow
def test_new_year_publishes_only_the_new_year(tmp_path, monkeypatch):
    project = tmp_path / "sample"
    project.mkdir()
    for name in ("content", "data", "templates", "mkdocs.yml"):
        src = ROOT / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, project / name)
    monkeypatch.setattr(esgpress.pdf.build, "_run", fake_layout)
    runner = CliRunner()

    # Year one has a chapter that year two drops.
    report = project / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    assert "appendix, index]" in text
    report.write_text(text.replace("appendix, index]", "appendix, extra, index]"), "utf-8")
    (project / "content" / "zh" / "extra.md").write_text("# 附录二\n\n本章只在一年。\n", "utf-8")
    (project / "content" / "en" / "extra.md").write_text("# Annex 2\n\nOne year only.\n", "utf-8")
    first = runner.invoke(main, ["build-all", "--no-strict", "--project", str(project)])
    assert first.exit_code == 0, first.output
    assert {p.name for p in (project / "dist").iterdir()} == {
        f"xiaomi-esg-2024-{part}{e}.pdf"
        for part in ("", "summary-")
        for e in ("zh-Hant", "zh-Hans", "en")
    }
    assert "2024" in year_files(project / "site")
    assert (project / "build" / "render" / "en" / "extra.md").is_file()
    assert list((project / "site").rglob("extra.html"))
    # Last year's data export beside the PDFs goes; a note of the user's stays.
    (project / "dist" / "xiaomi-esg-2024-data-en.csv").write_text("old", "utf-8")
    (project / "dist" / "notes.txt").write_text("kept", "utf-8")
    report.write_text(text, "utf-8")
    for lang in ("zh", "en"):
        (project / "content" / lang / "extra.md").unlink()

    rolled = runner.invoke(main, ["new-year", "2025", "--project", str(project)])
    assert rolled.exit_code == 0, rolled.output
    second = runner.invoke(main, ["build-all", "--no-strict", "--project", str(project)])
    assert second.exit_code == 0, second.output

    assert {p.name for p in (project / "dist").iterdir()} == {
        f"xiaomi-esg-2025-{part}{e}.pdf"
        for part in ("", "summary-")
        for e in ("zh-Hant", "zh-Hans", "en")
    } | {"notes.txt"}
    assert year_files(project / "dist") == {"2025"}
    assert year_files(project / "site") == {"2025"}
    published = {p.name for p in (project / "site" / "files").iterdir()}
    assert published >= {f"xiaomi-esg-2025-{e}.pdf" for e in ("zh-Hant", "zh-Hans", "en")} | {
        f"xiaomi-esg-2025-data-{e}.{fmt}"
        for e in ("zh-Hant", "zh-Hans", "en")
        for fmt in ("csv", "json", "xlsx")
    }
    assert all("2025" in name for name in published - {"library"})  # library: the archive
    for edition in ("zh-Hant", "zh-Hans", "en"):
        assert not (project / "build" / "render" / edition / "extra.md").exists()
    assert not list((project / "site").rglob("extra.html"))
    said = second.stderr
    assert "removed dist/xiaomi-esg-2024-en.pdf (not produced by this build" in said
    assert "removed dist/xiaomi-esg-2024-data-en.csv (not produced by this build" in said
    assert "removed site files/xiaomi-esg-2024-data-en.csv (not produced by this build" in said
    assert "removed render/en/extra.md (no longer a chapter)" in said
