"""Relations hold within rounding, fail beyond it, and can be acknowledged."""

from __future__ import annotations

from pathlib import Path

from conftest import edit
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
    edit(kpis, "2023: 150.00", "2023: 160.00")
    warnings = [str(p) for p in check_data(mini).problems.warnings]
    assert warnings == [
        "data/kpis.yaml:26:17: warning: 2023: env.energy.direct + env.energy.indirect = 210.00, "
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
    assert warnings == ["2024: soc.a + soc.b = 101, but 'soc.total' is 100 (difference +1)"]


def test_derived_values_are_exact_decimals(mini: Path) -> None:
    dataset, _ = load_project(mini)
    cell = dataset.indicators["env.intensity.energy_per_revenue"].values[2023]
    assert str(cell.number) == "0.25"
    assert dataset.indicators["fin.revenue"].values[2024].number is not None
    assert str(dataset.indicators["fin.revenue"].values[2024].number) == "1000.00"


def test_folded_texts_carry_no_fold_markers(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    edit(
        kpis,
        "seg: {zh: 分部口径说明。, en: Segment scope note.}",
        "seg:\n    zh: 分部口径说明。\n    en: >-\n      Segment scope\n      note.",
    )
    dataset, _ = load_project(mini)
    assert dataset.footnotes["seg"].text.en == "Segment scope note."


# ---- sums to a number, weighted averages and ratios (interval arithmetic)

RATES = """
  - id: soc.turnover
    label: {zh: 流失率, en: Turnover}
    indicators:
      - id: soc.turnover.rate
        label: {zh: 流失率, en: Turnover}
        unit: '%'
        decimals: 2
        values: {2024: TOTAL, 2023: 12.82}
      - id: soc.turnover.young
        label: {zh: 青年, en: Young}
        unit: '%'
        decimals: 2
        values: {2024: 16.10, 2023: 15.11}
      - id: soc.turnover.old
        label: {zh: 年长, en: Old}
        unit: '%'
        decimals: 2
        values: {2024: 9.57, 2023: 11.06}
      - id: soc.share.young
        label: {zh: 青年占比, en: Young share}
        unit: '%'
        decimals: 2
        internal: true
        values: {2024: 35.76, 2023: 43.69}
      - id: soc.share.old
        label: {zh: 年长占比, en: Old share}
        unit: '%'
        decimals: 2
        internal: true
        values: {2024: 64.24, 2023: 56.31}
"""
WEIGHTED = """
relations:
  - total: soc.turnover.rate
    average_of: [soc.turnover.young, soc.turnover.old]
    weights: [soc.share.young, soc.share.old]
  - equals: 100
    sum_of: [soc.share.young, soc.share.old]
"""


def with_rates(mini: Path, total: str, relations: str = WEIGHTED) -> list[str]:
    kpis = mini / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8").replace("groups:\n", "groups:\n" + RATES, 1)
    kpis.write_text(text.replace("TOTAL", total) + relations, encoding="utf-8")
    return [f"{p.severity}: {p.message}" for p in check_data(mini).problems if p.code == "relation"]


def test_weighted_average_within_rounding_passes(mini: Path) -> None:
    # 16.10 × 35.76% + 9.57 × 64.24% = 11.905…; both 11.90 and 11.91 are what rounding allows.
    assert not [m for m in with_rates(mini, "11.91") if "soc.turnover.rate" in m]
    assert not [m for m in with_rates(mini, "11.90") if "soc.turnover.rate" in m]


def test_weighted_average_real_mismatch_is_a_warning(mini: Path) -> None:
    (message,) = [m for m in with_rates(mini, "11.98") if "soc.turnover.rate" in m]
    assert message == (
        "warning: 2024: the average of soc.turnover.young, soc.turnover.old weighted by "
        "soc.share.young, soc.share.old lies in 11.90–11.91, but 'soc.turnover.rate' is 11.98"
    )


def test_shares_must_add_up_to_100(mini: Path) -> None:
    relations = WEIGHTED.replace(
        "sum_of: [soc.share.young, soc.share.old]", "sum_of: [soc.share.young]"
    )
    found = [m for m in with_rates(mini, "11.91", relations) if "should be 100" in m]
    assert found == [
        "warning: 2024: soc.share.young = 35.76, but should be 100 (difference -64.24)",
        "warning: 2023: soc.share.young = 43.69, but should be 100 (difference -56.31)",
    ]


def test_ratio_of_two_intensities_flags_only_the_inconsistent_year(mini: Path) -> None:
    relations = """
relations:
  - ratio_of: [soc.turnover.young, soc.turnover.old, soc.share.young, soc.share.old]
"""
    # young/old must equal old-share/young-share. 2023: 14.25/11.06 = 1.2884 and
    # 56.31/43.69 = 1.2888 agree within rounding; 2024: 16.10/9.57 = 1.682 vs 1.796 do not.
    RATES_2023 = RATES.replace("2023: 15.11", "2023: 14.25")
    kpis = mini / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8").replace("groups:\n", "groups:\n" + RATES_2023, 1)
    kpis.write_text(text.replace("TOTAL", "11.91") + relations, encoding="utf-8")
    found = [p.message for p in check_data(mini).problems.warnings]
    assert found == [
        "2024: 'soc.turnover.young' / 'soc.turnover.old' implies 'soc.share.old' / "
        "'soc.share.young' in 1.6809–1.6837, but the data gives 1.7960–1.7968"
    ]


def test_internal_indicators_stay_out_of_exports_and_group_tables(mini: Path) -> None:
    from esgpress.data.loader import load_project
    from esgpress.editions.i18n import Localizer
    from esgpress.workflows.rows import dataset_rows

    with_rates(mini, "11.91")
    dataset, _ = load_project(mini)
    loc = Localizer(dataset, "en")
    ids = {r.id for r in dataset_rows(dataset, loc)}
    assert "soc.turnover.rate" in ids and "soc.share.young" not in ids
    assert "soc.share.young" in {r.id for r in dataset_rows(dataset, loc, internal=True)}


def test_acknowledged_derived_figure_passes_strict_and_prints_as_published(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8").replace(
        "published: {2024: 0.30, 2023: 0.25}",
        "published: {2024: 0.31, 2023: 0.25}\n"
        "        acknowledge:\n          2024: Printed on last year's revenue.",
    )
    kpis.write_text(text, encoding="utf-8")
    result = check_data(mini)
    (p,) = [p for p in result.problems if "energy_per_revenue" in p.message]
    assert p.severity == "acknowledged" and p.message.endswith(
        "reason: Printed on last year's revenue."
    )
    assert not result.failed(strict=True)
    from esgpress.data.loader import load_project

    dataset, _ = load_project(mini)
    value = dataset.indicators["env.intensity.energy_per_revenue"].values[2024]
    assert str(value.number) == "0.31"


def test_restatement_without_the_old_figure(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8").replace(
        "values: {2024: 100.00, 2023: 50.00, 2022: 40.00}",
        "values: {2024: 100.00, 2023: {value: 50.00, restated: {reason: Boundary widened}}, "
        "2022: 40.00}",
    )
    kpis.write_text(text, encoding="utf-8")
    infos = [p.message for p in check_data(mini).problems if p.code == "restatement"]
    assert infos == [
        "indicator 'env.energy.direct' 2023 restated (earlier figure not on file) to 50.00: "
        "Boundary widened"
    ]


def test_unit_aliases_are_accepted(mini: Path) -> None:
    units = mini / "data" / "units.yaml"
    units.write_text(
        units.read_text(encoding="utf-8").replace(
            "t: {zh: 吨, en: t}", "t: {zh: 吨, en: t, aliases: [tonnes]}"
        ),
        encoding="utf-8",
    )
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(
            "unit: MWh\n        values: {2024: 100.00",
            "unit: tonnes\n        values: {2024: 100.00",
        ),
        encoding="utf-8",
    )
    assert not check_data(mini).problems.errors


def test_relation_warnings_print_whole_indicator_ids(mini: Path) -> None:
    """Ids as long as a real breakdown's are printed whole: each can be searched in kpis.yaml."""
    kpis = mini / "data" / "kpis.yaml"
    long_id = "env.energy.indirect.purchased_electricity_and_heat_of_all_sites"
    edit(kpis, "env.energy.indirect", long_id)
    edit(kpis, "2023: 150.00", "2023: 160.00")
    warnings = [p.message for p in check_data(mini).problems.warnings]
    assert warnings == [
        f"2023: env.energy.direct + {long_id} = 210.00, "
        "but 'env.energy.total' is 200.00 (difference +10.00)"
    ]
