"""Time and memory: what the bounded cases do (their times are in make bench).

* A 100 KB line of "[" in a chapter (regexes and Python-Markdown were
  quadratic in them: minutes) is refused at its line by ``check`` and by
  ``render``, which prints no Markdown.
* Thousands of ``kpi()`` calls in one chapter (Jinja's line lookup ran once
  per call: quadratic) render, and an error after them still names its line:
  the line tables built once per template give the same answer.

tools/bench_hostile.py times both (``bracket_line``, ``kpi_calls_40k``),
and the workbook cases (``zip_bomb``, ``tall_sheet``, ``bad_rows_40k``).
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import append, copy_project
from esgpress.cli import main

FLOOD = (
    "the paragraph holds 100,000 '[' (at most 200 are accepted: Markdown reads such text "
    "in quadratic time); split it, or write &#91;"
)


def test_a_line_of_100000_brackets_is_refused_at_its_line(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    chapter = project / "content" / "en" / "climate.md"
    line = append(chapter, "\n" + "[" * 100_000 + "\n")
    for command in (["check"], ["render", "--lang", "en", str(chapter)]):
        res = CliRunner().invoke(main, ["--project", str(project), *command])
        assert res.exit_code == 1, res.output
        assert f"content/en/climate.md:{line + 1}: {FLOOD}\n" in res.output
        assert "[[[[" not in res.output  # no Markdown printed, the flood not echoed
    assert not (project / "build" / "render" / "en" / "climate.md").exists()


def test_a_table_is_measured_cell_by_cell(tmp_path: Path) -> None:
    """A long linked table (a content index) is fine; one cell full of "[" is not.

    Python-Markdown reads each table cell as an inline text of its own, so the
    quadratic cost is per cell: 1,000 rows of links pass, a cell of 300 "[" is refused.
    """
    project = copy_project("mini", tmp_path / "p")
    chapter = project / "content" / "en" / "climate.md"
    rows = "".join(f"| [code {i}](#s{i}) | [page](#p{i}) |\n" for i in range(1_000))
    table = append(chapter, "\n| Code | Where |\n|---|---|\n" + rows) + 1
    render = ["--project", str(project), "render", "--lang", "en", str(chapter)]
    res = CliRunner().invoke(main, render)
    assert res.exit_code == 0, res.output[-500:]
    assert res.output.count("[code ") + res.output.count(">code ") >= 1_000
    append(chapter, "| " + "[" * 300 + " | x |\n")  # the table's last row
    res = CliRunner().invoke(main, render)
    assert res.exit_code == 1
    assert f"content/en/climate.md:{table}: the paragraph holds 300 '['" in res.output


def test_many_kpi_calls_render_and_an_error_after_them_names_its_line(tmp_path: Path) -> None:
    project = copy_project("mini", tmp_path / "p")
    chapter = project / "content" / "en" / "climate.md"
    first = append(chapter, '{{ kpi("env.energy.total") }}\n' * 3_000)
    res = CliRunner().invoke(
        main, ["--project", str(project), "render", "--lang", "en", str(chapter)]
    )
    assert res.exit_code == 0, res.output[-500:]
    assert res.output.count("300.00") >= 3_000
    append(chapter, '{{ kpi("env.energy.total", year=1900) }}\n')
    res = CliRunner().invoke(
        main, ["--project", str(project), "render", "--lang", "en", str(chapter)]
    )
    assert res.exit_code == 1
    assert res.output.startswith(
        f"content/en/climate.md:{first + 3_000}: year 1900 is outside the data (2021–2024)"
    )
