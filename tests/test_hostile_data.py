"""Data text and data relations that would print something other than the facts.

Bidi controls (Trojan Source) and control characters, typed or written as
YAML escapes; ``sum_of`` naming the indicator itself; a derived formula
dividing by zero; a unit factor that overflows. Each: ``esgpress check``
exits 1 with the file, line and column of the cause.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from esgpress.cli import main

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


def edit(path: Path, old: str, new: str) -> int:
    """Replace ``old`` once; return the 1-based line it was on."""
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def check(project: Path) -> str:
    result = CliRunner().invoke(main, ["--project", str(project), "check"])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.output


CHAR_MESSAGE = (
    "is not allowed in a data text (typed, or written as an escape such as \\e or \\0); delete it"
)


@pytest.mark.parametrize(
    ("typed", "what"),
    [
        ('"Total \\e[31m energy"', "control character U+001B"),
        ('"Total \\0 energy"', "control character U+0000"),
        ('"Total \\x85 energy"', "control character U+0085"),
        ('"Total \\u202e energy"', "bidirectional control U+202E"),
        ('"Total \\u2066 energy"', "bidirectional control U+2066"),
        ("Total \u202e energy", "bidirectional control U+202E"),  # typed, not escaped
        ("Total \u200f energy", "bidirectional control U+200F"),
    ],
)
def test_control_and_bidi_characters_are_refused(mini: Path, typed: str, what: str) -> None:
    kpis = mini / "data" / "kpis.yaml"
    line = edit(kpis, "en: Total energy}", f"en: {typed}}}")
    col = kpis.read_text(encoding="utf-8").splitlines()[line - 1].index("en: ") + 5
    assert f"data/kpis.yaml:{line}:{col}: the {what} {CHAR_MESSAGE}" in check(mini)


def test_sum_of_naming_the_indicator_itself_is_an_error(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    line = edit(
        kpis,
        "sum_of: [env.energy.direct, env.energy.indirect]",
        "sum_of: [env.energy.total, env.energy.direct]",
    )
    assert (
        f"data/kpis.yaml:{line}:18: indicator 'env.energy.total'.sum_of names the indicator "
        "itself; list its parts"
    ) in check(mini)


def test_division_by_zero_in_a_formula_is_an_error_at_its_line(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    edit(kpis, "values: {2024: 1000.00, 2023: 800.00", "values: {2024: 0, 2023: 800.00")
    text = kpis.read_text(encoding="utf-8")
    line = text[: text.index("derived: env.energy.total / fin.revenue")].count("\n") + 1
    assert (
        f"data/kpis.yaml:{line}:18: indicator 'env.intensity.energy_per_revenue' 2024: "
        "the formula divides by zero (env.energy.total / fin.revenue); "
        "check the inputs of that year"
    ) in check(mini)


@pytest.mark.parametrize("factor", ["1e999999", "1e-999999", "0", "-10"])
def test_a_unit_factor_out_of_bounds_is_refused(mini: Path, factor: str) -> None:
    units = mini / "data" / "units.yaml"
    line = edit(units, "factor: 1000000}", f"factor: {factor}}}")
    out = check(mini)
    assert f"data/units.yaml:{line}:" in out
    assert "'RMB million'.factor should be from 1e-12 to 1e12" in out
    assert "Overflow" not in out and "cannot render" not in out
