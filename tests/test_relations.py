"""Relations hold within rounding, fail beyond it, and can be acknowledged."""

from __future__ import annotations

from pathlib import Path

from esgpress.checks.run import check_data
from esgpress.data.loader import load_project


def test_mini_project_is_clean_but_lists_acknowledged(mini: Path) -> None:
    result = check_data(mini)
    assert [p.severity for p in result.problems] == ["acknowledged"]
    (p,) = list(result.problems)
    assert p.message.startswith(
        "2022: env.energy.direct + env.energy.indirect = 90.00, but 'env.energy.total' is 100.00 "
        "(difference -10.00)"
    )


def test_rounding_difference_is_not_reported(mini: Path) -> None:
    # 2024: 100.00 + 200.01 = 300.01 vs 300.00: within two half-units of rounding.
    messages = [p.message for p in check_data(mini).problems]
    assert not any(m.startswith("2024") for m in messages)


def test_unacknowledged_discrepancy_is_a_warning(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace("2023: 150.00", "2023: 160.00"), encoding="utf-8"
    )
    warnings = [str(p) for p in check_data(mini).problems.warnings]
    assert warnings == [
        "data/kpis.yaml:26:17: warning: 2023: direct + indirect = 210.00, "
        "but 'env.energy.total' is 200.00 (difference +10.00)"
    ]


def test_counts_must_add_up_exactly(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8")
        + """\
  - id: soc
    label: {zh: 员工, en: People}
    indicators:
      - id: soc.total
        label: {zh: 总数, en: Total}
        unit: persons
        sum_of: [soc.a, soc.b]
        values: {2024: 100}
      - id: soc.a
        label: {zh: 甲, en: A}
        unit: persons
        values: {2024: 60}
      - id: soc.b
        label: {zh: 乙, en: B}
        unit: persons
        values: {2024: 41}
""",
        encoding="utf-8",
    )
    warnings = [p.message for p in check_data(mini).problems.warnings]
    assert warnings == ["2024: a + b = 101, but 'soc.total' is 100 (difference +1)"]


def test_derived_values_are_exact_decimals(mini: Path) -> None:
    dataset, _ = load_project(mini)
    cell = dataset.indicators["env.intensity.energy_per_revenue"].values[2023]
    assert str(cell.number) == "0.25"
    assert dataset.indicators["fin.revenue"].values[2024].number is not None
    assert str(dataset.indicators["fin.revenue"].values[2024].number) == "1000.00"


def test_folded_texts_carry_no_fold_markers(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(
            "seg: {zh: 分部口径说明。, en: Segment scope note.}",
            "seg:\n    zh: 分部口径说明。\n    en: >-\n      Segment scope\n      note.",
        ),
        encoding="utf-8",
    )
    dataset, _ = load_project(mini)
    assert dataset.footnotes["seg"].text.en == "Segment scope note."
