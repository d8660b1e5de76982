"""The sample data set: the published 2024 figures, with their real discrepancies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import SAMPLE, copy_project
from esgpress.checks.run import check_data

ROOT = Path(__file__).resolve().parent.parent

# Whole indicator ids, so a reader can search kpis.yaml for each one.
EXPECTED = [
    "2024: env.materials.metals.aluminium.amount + env.materials.metals.steel_iron.amount + "
    "env.materials.metals.copper.amount + env.materials.metals.other.amount = 169,671.74, "
    "but 'env.materials.metals.total.amount' is 169,005.07 (difference +666.67)",
    "2022: env.energy.direct.natural_gas + env.energy.direct.gasoline + "
    "env.energy.direct.diesel = 5,180.97, "
    "but 'env.energy.direct' is 5,190.84 (difference -9.87)",
    "2023: env.water.tap + env.water.reclaimed = 687,453.75, "
    "but 'env.water.withdrawal' is 683,906.94 (difference +3,546.81)",
]


@pytest.fixture(scope="module")
def sample_result():
    return check_data(ROOT)


def test_sample_data_has_no_errors(sample_result) -> None:
    assert sample_result.problems.errors == []
    assert sample_result.problems.warnings == []


@pytest.mark.parametrize("message", EXPECTED)
def test_real_published_discrepancies_are_found(sample_result, message: str) -> None:
    acknowledged = [p.message for p in sample_result.problems if p.severity == "acknowledged"]
    assert any(m.startswith(message) for m in acknowledged), acknowledged


def test_rank_by_gender_off_by_one(sample_result) -> None:
    acknowledged = [p.message for p in sample_result.problems if p.severity == "acknowledged"]
    ranks = [m for m in acknowledged if "by_gender" in m]
    assert len(ranks) == 4
    assert all(re.search(r"\(difference [+-]1\)", m) for m in ranks)


def test_without_acknowledgements_strict_fails(tmp_path: Path) -> None:
    dest = copy_project(SAMPLE, tmp_path / "p", parts=("data",))
    kpis = dest / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8")
    text = re.sub(r"\n(\s+)acknowledge:\n(?:\1  .*\n)+", "\n", text)
    kpis.write_text(text, encoding="utf-8")
    result = check_data(dest)
    assert result.problems.errors == []
    assert len(result.problems.warnings) == 7
    assert result.failed(strict=True) and not result.failed(strict=False)
