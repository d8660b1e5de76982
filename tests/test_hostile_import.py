"""Import validation: figures no report should print are refused at their cell.

Each case is a small collection workbook (ID and one column per year) or an
export layout, filled as a careless or hostile data owner would: a negative
head count, a 41-digit figure, a 10**30 number cell, two columns headed with
the same year, a text that would reach data/kpis.yaml with a bidi control.
Every case ends with ``Sheet!Cell: message``, exit 1, and data/kpis.yaml
unchanged.
"""

from __future__ import annotations

import shutil
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


def workbook(path: Path, rows: list[list[object]], title: str = "People") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def refused(project: Path, book: Path) -> str:
    before = (project / "data" / "kpis.yaml").read_bytes()
    result = CliRunner().invoke(main, ["--project", str(project), "import", str(book)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert (project / "data" / "kpis.yaml").read_bytes() == before
    return result.output


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (
            -5,
            "-5 is negative, but soc.employees.total counts persons; a count cannot be below zero",
        ),
        (
            "-5",
            "-5 is negative, but soc.employees.total counts persons; a count cannot be below zero",
        ),
        (
            "12345678901234567890123456789012345678901",
            "12345678901234567890123456789012345678901 is beyond any figure in persons "
            "(1,000,000,000,000,000 or more); check the cell for a slip",
        ),
        (
            10**30,
            "1000000000000000000000000000000 is beyond any figure in persons "
            "(1,000,000,000,000,000 or more); check the cell for a slip",
        ),
        (
            1e30,
            "1000000000000000000000000000000 is beyond any figure in persons "
            "(1,000,000,000,000,000 or more); check the cell for a slip",
        ),
    ],
)
def test_implausible_figures_are_refused_at_their_cell(
    project: Path, tmp_path: Path, cell: object, message: str
) -> None:
    book = workbook(tmp_path / "w.xlsx", [["ID", "2024"], ["soc.employees.total", cell]])
    assert f"People!B2: {message}" in refused(project, book)


def test_two_columns_with_the_same_year_are_refused(project: Path, tmp_path: Path) -> None:
    book = workbook(tmp_path / "w.xlsx", [["ID", "2024", "2024"], ["soc.employees.total", 1, 2]])
    out = refused(project, book)
    assert (
        "People!C1: the year 2024 heads two columns (also People!B1); "
        "keep one, or the figures of one would be lost"
    ) in out


def test_a_formula_without_a_cached_value_is_refused(project: Path, tmp_path: Path) -> None:
    """openpyxl saves formulas without a cached value: read as data, the cell is blank."""
    book = workbook(tmp_path / "w.xlsx", [["ID", "2024"], ["soc.employees.total", "=1000+1"]])
    assert (
        "People!B2: the cell holds a formula (=1000+1); type the figure or text itself: "
        "formulas are not imported"
    ) in refused(project, book)


def test_a_bidi_control_in_a_reason_is_named_at_the_workbook_cell(
    project: Path, tmp_path: Path
) -> None:
    book = workbook(
        tmp_path / "w.xlsx",
        [
            ["ID", "Year", "Value", "Restatement reason"],
            ["soc.employees.total", 2022, 35980, "corrected \u202eharmless"],
        ],
    )
    out = refused(project, book)
    assert "People!C2: the bidirectional control U+202E is not allowed in a data text" in out
    assert "once soc.employees.total 2022 is set" in out
    assert "data/kpis.yaml:" not in out  # no line of a file that exists only in memory
