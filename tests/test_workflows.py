"""The data round trip: export → edit in a spreadsheet → import, the template, new-year.

The tests run on tests/fixtures/workflows, a subset of the sample's data (the
energy table with segments, a restated workforce total, four owners) that
exercises every workflow in a fraction of the full sample's time.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner, Result

from conftest import ROOT, copy_project
from esgpress.cli import main
from esgpress.data.loader import load_project
from esgpress.data.yamledit import KpiText, NewCell, apply_edits, string_text


def run(project: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["--project", str(project), *args])


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A writable copy of the workflow fixture project."""
    return copy_project("workflows", tmp_path / "project")


@pytest.fixture(scope="module")
def export_en(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The English XLSX export of the fixture, made once through the CLI."""
    base = tmp_path_factory.mktemp("export")
    out = base / "kpis.xlsx"
    # a copy: export takes the project lock, which would leave build/.lock in the fixture
    project = copy_project("workflows", base / "project")
    result = run(project, "export", "--format", "xlsx", "--lang", "en", "--out", str(out))
    assert result.exit_code == 0, result.output
    return out.read_bytes()


def edit_export(
    data: bytes, dest: Path, edits: dict[tuple[str, str, int, str | None], object]
) -> Path:
    """Set cells of an export like a data owner: {(sheet, id, year, column header): value}.

    The column header ``None`` means the Value column.
    """
    wb = openpyxl.load_workbook(io.BytesIO(data))
    for (sheet, kpi_id, year, column), value in edits.items():
        ws = wb[sheet]
        header = [c.value for c in ws[1]]
        col = header.index(column or "Value")
        row = next(
            r
            for r in ws.iter_rows(min_row=2)
            if r[0].value == kpi_id
            and r[header.index("Year")].value == year
            and r[header.index("Segment")].value is None
        )
        row[col].value = value
    wb.save(dest)
    return dest


def comment_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip().startswith("#")]


# ---------------------------------------------------------------- the round trip


def test_edited_export_changes_exactly_that_value(project: Path, export_en: bytes, tmp_path: Path):
    kpis = project / "data" / "kpis.yaml"
    before = kpis.read_text(encoding="utf-8")
    book = edit_export(
        export_en,
        tmp_path / "edited.xlsx",
        {
            ("Environment", "env.energy.total", 2024, None): 444780.12,
            ("Environment", "env.energy.total", 2024, "Restatement reason"): (
                "Meter readings of two offices corrected"
            ),
        },
    )
    result = run(project, "import", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [
        "data/kpis.yaml: changed 1 figure",
        "  env.energy.total 2024: 444774.36 → 444780.12 "
        "(restated: Meter readings of two offices corrected)  [Environment!H2]",
    ]
    after = kpis.read_text(encoding="utf-8")
    old_lines, new_lines = before.splitlines(), after.splitlines()
    assert len(old_lines) == len(new_lines)
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    assert changed == [
        (
            "          2024: 444774.36",
            "          2024: {value: 444780.12, restated: {previous: 444774.36, "
            "reason: Meter readings of two offices corrected}}",
        )
    ]
    assert comment_lines(after) == comment_lines(before)
    dataset, _ = load_project(project)
    value = dataset.indicators["env.energy.total"].values[2024]
    assert value.number == Decimal("444780.12")
    assert value.restated is not None and value.restated.previous == Decimal("444774.36")
    # the restated figure is in the next export, and importing that export changes nothing
    again = run(
        project, "export", "--format", "xlsx", "--lang", "en", "--out", str(tmp_path / "b.xlsx")
    )
    assert again.exit_code == 0
    ws = openpyxl.load_workbook(tmp_path / "b.xlsx")["Environment"]
    header = [c.value for c in ws[1]]
    assert ws.cell(2, header.index("Restated from") + 1).value == pytest.approx(444774.36)
    assert run(project, "import", str(tmp_path / "b.xlsx")).stdout == (
        "nothing to change: the workbook agrees with data/kpis.yaml\n"
    )


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_importing_an_unchanged_export_changes_nothing(project: Path, tmp_path: Path, lang: str):
    book = tmp_path / f"{lang}.xlsx"
    assert (
        run(project, "export", "--format", "xlsx", "--lang", lang, "--out", str(book)).exit_code
        == 0
    )
    before = (project / "data" / "kpis.yaml").read_bytes()
    result = run(project, "import", str(book))
    assert result.exit_code == 0, result.output
    assert result.stdout == "nothing to change: the workbook agrees with data/kpis.yaml\n"
    assert (project / "data" / "kpis.yaml").read_bytes() == before


def test_published_year_needs_a_reason_and_keeps_the_old_figure(
    project: Path, export_en: bytes, tmp_path: Path
):
    kpis = project / "data" / "kpis.yaml"
    before = kpis.read_bytes()
    book = edit_export(
        export_en, tmp_path / "r.xlsx", {("Social", "soc.employees.new_hires", 2023, None): 7260}
    )
    result = run(project, "import", str(book))
    assert result.exit_code == 1
    assert result.stderr == (
        "Social!H6: soc.employees.new_hires 2023 was published as 7257; changing it is a "
        "restatement: give the reason in the 'Restatement reason' column\n1 error.\n"
    )
    assert kpis.read_bytes() == before
    book = edit_export(
        export_en,
        tmp_path / "r2.xlsx",
        {
            ("Social", "soc.employees.new_hires", 2023, None): 7260,
            (
                "Social",
                "soc.employees.new_hires",
                2023,
                "Restatement reason",
            ): "Late joiners: counted",
        },
    )
    assert run(project, "import", str(book)).exit_code == 0
    assert (
        "          2023: {value: 7260, restated: {previous: 7257, reason: 'Late joiners: counted'}}"
        in (kpis.read_text(encoding="utf-8").splitlines())
    )


def test_a_second_restatement_needs_a_new_reason(project: Path, export_en: bytes, tmp_path: Path):
    book = edit_export(
        export_en, tmp_path / "r.xlsx", {("Social", "soc.employees.total", 2022, None): 35970}
    )
    result = run(project, "import", str(book))
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "Social!H4: soc.employees.total 2022: the restatement reason is the one already "
        "recorded; say why the figure changes now\n"
    )


def test_any_bad_cell_means_nothing_is_written(project: Path, export_en: bytes, tmp_path: Path):
    kpis = project / "data" / "kpis.yaml"
    before = kpis.read_bytes()
    book = edit_export(
        export_en,
        tmp_path / "bad.xlsx",
        {
            ("Social", "soc.employees.new_hires", 2024, None): 14650,  # a good change
            ("Environment", "env.energy.total", 2024, None): "n/a",
            ("Environment", "env.energy.direct", 2024, None): "10,4052.68",
            ("Social", "soc.employees.total", 2024, None): 46426.5,
            ("Environment", "env.energy.total", 2023, "Unit"): "kWh",
        },
    )
    result = run(project, "import", str(book))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Environment!E5: the unit 'kWh' is not the unit of env.energy.total (MWh); "
        "give the figure in MWh",
        "Environment!H2: 'n/a' is not a number or a missing-value code "
        "(not_reported, not_applicable, pending)",
        "Environment!H7: '10,4052.68' is not a number or a missing-value code "
        "(not_reported, not_applicable, pending)",
        "Social!H2: 46426.5 has more decimal places than soc.employees.total prints (0); "
        "round the figure, or change 'decimals' in data/kpis.yaml first",
        "4 errors.",
    ]
    assert kpis.read_bytes() == before


def test_unknown_ids_duplicates_and_layouts_are_named_by_cell(project: Path, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Environment"
    ws.append(["ID", "Year", "Value"])
    ws.append(["env.energy.totl", 2024, 1])
    ws.append(["env.energy.direct", 2024, 1])
    ws.append(["env.energy.direct", 2024, 2])
    other = wb.create_sheet("Notes")
    other.append(["what", "ever"])
    wb.save(tmp_path / "w.xlsx")
    result = run(project, "import", str(tmp_path / "w.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "Environment!A2: unknown indicator 'env.energy.totl' "
        "(did you mean env.energy.total, env.energy.direct or env.energy.indirect?)",
        "Notes!A1: unknown sheet layout: the first row should name the columns, either ID, "
        "Year, Segment and Value (an export) or ID and one column per year (a collection "
        "workbook); found 'what', 'ever'",
        "Environment!C4: env.energy.direct 2024 is also given at Environment!C3; keep one of them",
        "3 errors.",
    ]


def test_dry_run_writes_nothing(project: Path, export_en: bytes, tmp_path: Path):
    before = (project / "data" / "kpis.yaml").read_bytes()
    book = edit_export(
        export_en, tmp_path / "d.xlsx", {("Social", "soc.employees.new_hires", 2024, None): 14650}
    )
    result = run(project, "import", str(book), "--dry-run")
    assert result.exit_code == 0
    assert result.stdout == (
        "data/kpis.yaml: would change 1 figure\n"
        "  soc.employees.new_hires 2024: 14648 → 14650  [Social!H5]\n"
    )
    assert "dry run: nothing written" in result.stderr
    assert (project / "data" / "kpis.yaml").read_bytes() == before


def test_spreadsheet_numbers_keep_the_indicators_precision(project: Path, tmp_path: Path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Environment"
    ws.append(["ID", "Year", "Value"])
    ws.append(["env.energy.direct.gasoline", 2024, 0.1 + 0.2])  # float noise
    ws.append(["env.energy.direct.diesel", 2024, "1,234.5"])  # typed as text, grouped
    ws.append(["env.energy.direct.natural_gas", 2024, 7])  # an integer cell, 2 decimals
    wb.save(tmp_path / "n.xlsx")
    result = run(project, "import", str(tmp_path / "n.xlsx"))
    assert result.exit_code == 0, result.output
    text = (project / "data" / "kpis.yaml").read_text(encoding="utf-8")
    assert "          2024: 0.30\n          2023: 6.26" in text
    assert "          2024: 1234.5\n          2023: 26.51" in text
    assert "          2024: 7.00\n          2023: 19385.80" in text


# ---------------------------------------------------------------- the collection template


def test_template_has_the_owners_rows_and_validation(project: Path, tmp_path: Path):
    out = tmp_path / "collect.xlsx"
    result = run(
        project,
        "template",
        "--year",
        "2024",
        "--owner",
        "quality",
        "--lang",
        "en",
        "--out",
        str(out),
    )
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Instructions", "Product responsibility"]
    ws = wb["Product responsibility"]
    header = [c.value for c in ws[1]]
    assert header == [
        "ID",
        "Indicator",
        "Unit",
        "Segment",
        "Owner",
        "Definition",
        2021,
        2022,
        2023,
        2024,
        "Restatement reason",
    ]
    assert ws.freeze_panes == "C2"
    ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    dataset, _ = load_project(project)
    assert ids == [i.id for i in dataset.indicators.values() if i.owner == "quality"]
    (dv,) = ws.data_validations.dataValidation
    assert dv.type == "custom" and str(dv.sqref) == f"G2:J{len(ids) + 1}"
    assert dv.formula1 == ('OR(ISNUMBER(G2),G2="not_reported",G2="not_applicable",G2="pending")')
    # returned as it is, it changes nothing
    assert run(project, "import", str(out)).stdout.startswith("nothing to change")


def test_template_refuses_a_year_not_rolled_to_and_unknown_owners(project: Path, tmp_path: Path):
    out = str(tmp_path / "c.xlsx")
    result = run(project, "template", "--year", "2025", "--out", out)
    assert result.exit_code == 1
    assert "run `esgpress new-year 2025` before collecting 2025 figures" in result.stderr
    result = run(project, "template", "--year", "2024", "--owner", "facility", "--out", out)
    assert (
        "no indicator has owner 'facility' (did you mean facilities or quality?)" in result.stderr
    )


# ---------------------------------------------------------------- new-year


def test_new_year_rolls_forward_and_the_report_still_renders(tmp_path: Path):
    from esgpress.checks.run import check_project
    from esgpress.render.write import render_all

    project = copy_project("workflows", tmp_path / "p")
    report = project / "data" / "report.yaml"
    before = report.read_text(encoding="utf-8")
    result = run(project, "new-year", "2025")
    assert result.exit_code == 0, result.output
    after = report.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ("year: 2024", "year: 2025"),
        ("comparison_years: [2023, 2022]", "comparison_years: [2024, 2023]"),
        (
            "period: {start: 2024-01-01, end: 2024-12-31}",
            "period: {start: 2025-01-01, end: 2025-12-31}",
        ),
        ("  zh: 2024年环境、社会及管治报告", "  zh: 2025年环境、社会及管治报告"),
        (
            "  en: 2024 Environmental, Social and Governance Report",
            "  en: 2025 Environmental, Social and Governance Report",
        ),
        ("published: 2025-04-30", "published: 2026-04-30"),
        ("board_approval: 2025-03-18", "board_approval: 2026-03-18"),
        (
            "edition: 7                       # the group's seventh ESG report",
            "edition: 8                       # the group's seventh ESG report",
        ),
        (
            "    recto: {zh: 2024年度报告, en: Annual Report 2024}",
            "    recto: {zh: 2025年度报告, en: Annual Report 2025}",
        ),
    ]
    assert comment_lines(after) == comment_lines(before)

    # check passes (strict) and lists what each owner still has to supply
    result = check_project(project)
    assert not result.failed(strict=True), [str(p) for p in result.problems.errors]
    missing = [p.message for p in result.problems if p.code == "missing"]
    assert missing[0] == (
        "2025 figures still missing for community (2): "
        "comm.donations.planned_5yr, comm.students_supported"
    )
    assert any(
        m.startswith("2025 figures still missing for facilities (9): env.energy.total,")
        for m in missing
    )

    # every chapter of every edition renders; the new year's figures print as not reported
    dataset, _ = load_project(project)
    assert dataset.report.years == (2025, 2024, 2023)
    folders = render_all(project, dataset)
    appendix = (folders["en"] / "appendix.md").read_text(encoding="utf-8")
    assert '<th class="year" scope="col">2025</th>' in appendix.replace("\n", "")
    row = appendix.split('data-kpi="env.energy.total"')[1].split("</tr>")[0]
    assert '<td class="missing not_reported">—</td><td class="num">444,774.36</td>' in row
    for edition, folder in folders.items():
        for md in folder.glob("*.md"):
            assert "⟦" not in md.read_text(encoding="utf-8"), (edition, md.name)

    # collect 2025 for one owner and import it
    out = tmp_path / "collect-2025.xlsx"
    assert (
        run(
            project,
            "template",
            "--year",
            "2025",
            "--owner",
            "facilities",
            "--lang",
            "en",
            "--out",
            str(out),
        ).exit_code
        == 0
    )
    wb = openpyxl.load_workbook(out)
    ws = wb["Environment"]
    assert [c.value for c in ws[1]][6:10] == [2022, 2023, 2024, 2025]
    assert ws["J2"].value is None and ws["I2"].value == pytest.approx(444774.36)
    ws["J2"] = 450000.5
    wb.save(out)
    result = run(project, "import", str(out))
    assert result.exit_code == 0, result.output
    assert "          2025: 450000.50\n          2024: 444774.36\n" in (
        project / "data" / "kpis.yaml"
    ).read_text(encoding="utf-8")

    # one year at a time
    result = run(project, "new-year", "2027")
    assert result.exit_code == 1
    assert "the report year is 2025; new-year moves one year at a time" in result.stderr


# ---------------------------------------------------------------- patching text


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("Meter corrected", "Meter corrected"),
        ("Typo: fixed", "'Typo: fixed'"),
        ("a, b", "'a, b'"),
        ("true", "'true'"),
        ("yes", "yes"),  # YAML 1.2: a string
        ("2024", "'2024'"),
        ("it's {odd}", "'it''s {odd}'"),
        ("two\nlines", "two lines"),
        ("统计口径调整", "统计口径调整"),
    ],
)
def test_strings_are_quoted_only_when_needed(value: str, written: str):
    assert string_text(value) == written


def test_a_block_restatement_is_replaced_in_place():
    text = (
        "groups:\n"
        "  - id: g\n"
        "    indicators:\n"
        "      - id: a\n"
        "        values:\n"
        "          2022:\n"
        "            value: 5   # typed\n"
        "            restated:\n"
        "              previous: 6\n"
        "              reason: >-\n"
        "                long\n"
        "                reason\n"
        "          2021: {value: 1, qualifier: plus}\n"
    )
    kpis = KpiText(text)
    edits = kpis.edits(
        [
            ("a", 2022, None, NewCell("number", Decimal(4), Decimal(5), "again")),
            ("a", 2021, None, NewCell("number", Decimal(2))),
            ("a", 2023, None, NewCell("not_applicable")),
        ]
    )
    assert apply_edits(text, edits).split("values:\n")[1] == (
        "          2023: {missing: not_applicable}\n"
        "          2022:\n"
        "            value: 4   # typed\n"
        "            restated: {previous: 5, reason: again}\n"
        "          2021: {value: 2, qualifier: plus}\n"
    )


@pytest.mark.parametrize("name", ["export", "template", "import", "new-year"])
def test_workflow_commands_have_help_with_an_example(name: str):
    command = main.commands[name]
    # Under click's \b, so the example is printed as written (not re-wrapped).
    assert command.help and "\b\n    Example:\n      esgpress " + name in command.help
    assert f"esgpress {name}" in (ROOT / "docs" / "data-workflows.md").read_text(encoding="utf-8")
