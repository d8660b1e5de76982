"""Messages are capped per kind: thousands of one mistake do not bury the others.

A collection workbook of 10,000 rows naming unknown indicators, and a chapter
with 10,000 calls of an unknown KPI: each prints the first
``MAX_PER_KIND`` (50) messages of the kind, then "… and 9,950 more like this",
and still counts every error and exits 1. A message of another kind is printed
after them in full. (How long a 40,000-row workbook takes is timed by
``make bench``: tools/bench_hostile.py, ``bad_rows_40k``.)
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from conftest import append, copy_project
from esgpress.cli import main
from esgpress.core.errors import MAX_PER_KIND, Problem, capped_lines


def test_capped_lines_keep_order_and_count_the_rest() -> None:
    items = [Problem(f"Data!A{n}", 0, 0, f"unknown indicator 'x.{n}'") for n in range(2, 200)]
    items.insert(3, Problem("data/kpis.yaml", 4, 1, "another kind"))
    lines = capped_lines(items)
    assert len(lines) == MAX_PER_KIND + 2
    assert lines[3] == "data/kpis.yaml:4:1: another kind"
    assert lines[-2] == f"Data!A{MAX_PER_KIND + 1}: unknown indicator 'x.{MAX_PER_KIND + 1}'"
    assert lines[-1] == "… and 148 more like this (unknown indicator 'x.199')"


def test_import_of_10000_bad_rows_prints_50_and_a_count(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    book = tmp_path / "bad.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["ID", "2024"])
    for n in range(10_000):
        ws.append([f"no.such.kpi{n}", n])
    wb.save(book)
    before = (project / "data" / "kpis.yaml").read_bytes()
    res = CliRunner().invoke(main, ["--project", str(project), "import", str(book)])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == "Data!A2: unknown indicator 'no.such.kpi0'"
    assert lines[49] == "Data!A51: unknown indicator 'no.such.kpi49'"
    assert lines[50] == "… and 9,950 more like this (unknown indicator 'no.such.kpi9999')"
    assert lines[51:] == ["10000 errors."]
    assert (project / "data" / "kpis.yaml").read_bytes() == before


def test_check_of_10000_identical_errors_prints_50_and_a_count(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    chapter = project / "content" / "en" / "climate.md"
    unknown_kpis = '{{ kpi("no.such.kpi") }}\n' * 10_000
    first = append(chapter, unknown_kpis + '{{ kpi("env.energy.total", year=1900) }}\n')
    res = CliRunner().invoke(main, ["--project", str(project), "check"])
    assert res.exit_code == 1
    out = res.output
    unknown = [line for line in out.splitlines() if line.endswith(": unknown KPI 'no.such.kpi'")]
    assert len(unknown) == MAX_PER_KIND
    assert unknown[0] == f"content/en/climate.md:{first}: unknown KPI 'no.such.kpi'"
    assert "… and 9,950 more like this (unknown KPI 'no.such.kpi')\n" in out
    assert (
        f"content/en/climate.md:{first + 10_000}: year 1900 is outside the data (2021–2024)\n"
    ) in out
    assert "10001 errors" in out
    # --format json keeps every problem, for editors and CI.
    res = CliRunner().invoke(main, ["--project", str(project), "check", "--format", "json"])
    problems = json.loads(res.output)["problems"]
    assert sum(p["message"] == "unknown KPI 'no.such.kpi'" for p in problems) == 10_000


def test_build_all_streams_at_most_50_of_a_kind(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    append(project / "content" / "en" / "climate.md", '{{ kpi("no.such.kpi") }}\n' * 10_000)
    res = CliRunner().invoke(main, ["--project", str(project), "build-all"])
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert sum(line.endswith(": unknown KPI 'no.such.kpi'") for line in lines) == MAX_PER_KIND
    assert (
        "… and more like this (unknown KPI 'no.such.kpi'); "
        "esgpress check --format json lists every one"
    ) in lines
    assert "10000 errors" in res.output
