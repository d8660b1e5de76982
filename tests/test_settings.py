"""``esgpress check`` validates report.yaml's ``print:`` and ``site:`` blocks (issue 14).

They used to travel past the loader as raw YAML nodes and be validated only by
the PDF and site builds, so ``check --strict`` passed a file those builds then
refused. Each case runs the real command on a copy of the mini fixture and
asserts the exact located message and the exit status.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import edit
from esgpress.cli import main
from esgpress.core.errors import Problems
from esgpress.data.loader import load_dataset
from esgpress.data.model import PrintSettings, SiteSettings, Text

#: Valid settings appended to the mini fixture's report.yaml; each case spoils one line.
SETTINGS = """\
print:
  first_page: 3
  header:
    verso: {zh: 示例集团, en: Example Group}
site:
  url: https://esg.example.com/
  headline: [env.energy.total, fin.revenue]
"""


def check(project: Path) -> tuple[int, list[str]]:
    """Run ``esgpress check --strict`` on ``project``; return the exit code and output lines."""
    result = CliRunner().invoke(main, ["--project", str(project), "check", "--strict"])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    # The "in force:" lines (which toolkit files the project uses) are tested below.
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("in force: ")]
    return result.exit_code, lines


def with_settings(project: Path, old: str = "", new: str = "") -> int:
    """Append :data:`SETTINGS` to report.yaml with ``old`` replaced; return the changed line."""
    report = project / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    settings = SETTINGS.replace(old, new) if old else SETTINGS
    report.write_text(text + settings, encoding="utf-8")
    lines = (text + settings).splitlines()
    return next((n for n, line in enumerate(lines, 1) if new and new in line), 0)


def test_valid_settings_are_typed_in_the_model(mini: Path) -> None:
    with_settings(mini)
    problems = Problems()
    dataset = load_dataset(mini, problems)
    assert dataset is not None and not problems.errors
    assert dataset.report.print == PrintSettings(3, Text(zh="示例集团", en="Example Group"), None)
    assert dataset.report.site == SiteSettings(
        ("env.energy.total", "fin.revenue"), "https://esg.example.com/"
    )
    assert check(mini)[0] == 0


def test_no_settings_give_the_defaults(mini: Path) -> None:
    problems = Problems()
    dataset = load_dataset(mini, problems)
    assert dataset is not None
    assert (dataset.report.print, dataset.report.site) == (PrintSettings(), SiteSettings())
    assert dataset.report.sample_notice is None


@pytest.mark.parametrize(
    ("old", "new", "col", "message"),
    [
        (
            "  header:",
            "  headr:",
            3,
            "unknown key 'headr' in print (did you mean header?)",
        ),
        (
            "first_page: 3",
            "first_page: zero",
            15,
            "print.first_page should be a whole number from 1 to 99999, not 'zero'",
        ),
        (
            "headline: [env.energy.total, fin.revenue]",
            "headline: [env.energy.total, fin.revenu]",
            32,
            "site.headline: unknown KPI 'fin.revenu' (did you mean fin.revenue?)",
        ),
        (
            "url: https://esg.example.com/",
            "url: ftp://x",
            8,
            "site.url should be an absolute address (https://…), not 'ftp://x'",
        ),
    ],
    ids=["unknown-print-key", "first-page-not-integer", "unknown-headline-kpi", "ftp-url"],
)
def test_check_strict_fails_on_bad_settings(
    mini: Path, old: str, new: str, col: int, message: str
) -> None:
    line = with_settings(mini, old, new)
    code, output = check(mini)
    assert code == 1
    assert output[:-1] == [f"data/report.yaml:{line}:{col}: {message}"]
    assert output[-1] == "1 error."


def test_too_many_headlines_warn_and_fail_strict(mini: Path) -> None:
    line = with_settings(
        mini,
        "headline: [env.energy.total, fin.revenue]",
        "headline: [" + ", ".join(["fin.revenue"] * 9) + "]",
    )
    code, output = check(mini)
    assert code == 1
    assert (
        f"data/report.yaml:{line}:13: warning: site.headline lists 9 KPIs; "
        "the landing page shows at most 8"
    ) in output


def test_a_bad_sample_notice_is_a_data_error(mini: Path) -> None:
    report = mini / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8") + "sample_notice: {zh: 示例}\n"
    report.write_text(text, encoding="utf-8")
    code, output = check(mini)
    line = len(text.splitlines())
    assert code == 1
    assert output[0] == (
        f"data/report.yaml:{line}:16: sample_notice has no 'en' text; write one for every edition"
    )


def test_a_syntax_error_is_reported_once_and_other_files_are_still_checked(mini: Path) -> None:
    report = mini / "data" / "report.yaml"
    edit(report, "year: 2024", "year: [2024")
    kpis = mini / "data" / "kpis.yaml"
    edit(kpis, "decimals: 2\n", "decimals: two\n", 1)
    problems = Problems()
    assert load_dataset(mini, problems) is None
    by_file = {
        name: [str(p) for p in problems.errors if p.path == f"data/{name}.yaml"]
        for name in ("report", "units", "kpis")
    }
    assert len(by_file["report"]) == 1
    assert by_file["report"][0].startswith("data/report.yaml:")
    assert "YAML syntax error" in by_file["report"][0]
    assert by_file["units"] == []
    assert by_file["kpis"] == [
        "data/kpis.yaml:16:19: indicator 'fin.revenue'.decimals should be a whole number "
        "from 0 to 6, not 'two'"
    ]
    code, output = check(mini)
    assert code == 1
    assert output[-1] == "2 errors."
    assert not any("the file is empty" in line for line in output)
