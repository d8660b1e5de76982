"""Workbooks that are not what they claim: refused before openpyxl inflates them.

A text file renamed .xlsx, a zip bomb renamed .xlsx (2 MB that unpack to
gigabytes) and a sheet of 200,000 rows: each ends with a message naming the
file, exit 1, data/kpis.yaml unchanged, and no traceback. The check reads
only the zip's directory and each sheet's first bytes; ``make bench`` times
it on the bomb (tools/bench_hostile.py).
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from esgpress.cli import main

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(ROOT / "data", dest / "data")
    return dest


def zip_bomb(path: Path, megabytes: int = 20) -> Path:
    """A valid workbook whose first sheet is padded with blanks (deflates ~1000:1)."""
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "2024"])
    wb.save(path)
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf,
        zf.open("xl/worksheets/padding.xml", "w") as f,
    ):
        for _ in range(megabytes):
            f.write(b" " * 1_000_000)
    return path


def tall_sheet(path: Path, rows: int) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["ID", "2024"])
    wb.save(path)
    sheet = (
        '<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        f'spreadsheetml/2006/main"><dimension ref="A1:B{rows}"/><sheetData/></worksheet>'
    )
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr("xl/worksheets/sheet9.xml", sheet)
    return path


def refused(project: Path, book: Path) -> str:
    before = (project / "data" / "kpis.yaml").read_bytes()
    result = CliRunner().invoke(main, ["--project", str(project), "import", str(book)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (project / "data" / "kpis.yaml").read_bytes() == before
    return result.output


def test_a_text_file_renamed_xlsx(project: Path, tmp_path: Path) -> None:
    book = tmp_path / "figures.xlsx"
    book.write_text("ID,2024\nsoc.employees.total,5\n", encoding="utf-8")
    out = refused(project, book)
    assert out.startswith(f"{book}: not an XLSX workbook (an .xlsx file is a zip archive;")
    assert out.rstrip().endswith("save it from Excel or LibreOffice as .xlsx")


def test_a_zip_bomb_renamed_xlsx(project: Path, tmp_path: Path) -> None:
    book = zip_bomb(tmp_path / "bomb.xlsx")
    assert book.stat().st_size < 200_000
    out = refused(project, book)
    assert f"{book}: the part xl/worksheets/padding.xml unpacks " in out
    assert "times its packed size (a zip bomb, not a sheet); refused before reading" in out


def test_a_sheet_of_too_many_rows(project: Path, tmp_path: Path) -> None:
    book = tall_sheet(tmp_path / "tall.xlsx", 200_000)
    assert (
        f"{book}: a sheet (xl/worksheets/sheet9.xml) has 200,000 rows "
        "(at most 50,000 are accepted); split the workbook"
    ) in refused(project, book)
