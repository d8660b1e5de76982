"""The broken-data corpus: each file yields its exact message at its exact place.

Each ``tests/fixtures/bad/*.yaml`` replaces ``data/kpis.yaml`` of the minimal
project; its first line says ``# expect: <message>``. The test fails if the
message changes, moves, or another error appears.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from esgpress.checks.run import check_data

BAD = sorted((Path(__file__).parent / "fixtures" / "bad").glob("*.yaml"))


def expected(path: Path) -> str:
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8")
    assert first.startswith("# expect: "), f"{path.name} has no '# expect:' line"
    return first.removeprefix("# expect: ")


@pytest.mark.parametrize("bad", BAD, ids=lambda p: p.name)
def test_bad_file_reports_exact_message(bad: Path, mini: Path) -> None:
    shutil.copy(bad, mini / "data" / "kpis.yaml")
    result = check_data(mini)
    errors = [str(p) for p in result.problems.errors]
    assert errors == [expected(bad)]


def test_corpus_is_large_enough() -> None:
    assert len(BAD) >= 15


def test_every_error_of_a_run_is_reported(mini: Path) -> None:
    text = (Path(__file__).parent / "fixtures" / "bad" / "unknown-unit.yaml").read_text(
        encoding="utf-8"
    )
    text = text.replace("values: {2024: 1.00}", "values: {2024: n/a}\n        decimal: 2")
    (mini / "data" / "kpis.yaml").write_text(text, encoding="utf-8")
    errors = [str(p) for p in check_data(mini).problems.errors]
    assert len(errors) == 3
    assert any("unknown unit 'MWH'" in e for e in errors)
    assert any("'n/a' is not a number" in e for e in errors)
    assert any("unknown key 'decimal'" in e for e in errors)
