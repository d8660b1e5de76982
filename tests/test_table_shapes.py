"""Table shapes and English scales on the sample report, read from the rendered HTML."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from esgpress.data.loader import load_project
from esgpress.data.model import Dataset
from esgpress.render.renderer import render_source

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample() -> Dataset:
    dataset, problems = load_project(ROOT)
    assert not problems.errors
    return dataset


def render(dataset: Dataset, edition: str, source: str) -> str:
    return render_source(ROOT, dataset, edition, source)


def rows(html: str) -> list[tuple[str, str]]:
    """(level class, indicator id) of each row, in order."""
    return re.findall(r'<tr class="(level-\d)[^"]*" data-kpi="([^"]+)"', html)


def test_parts_follow_the_total_they_split(sample: Dataset) -> None:
    """The sample's full-time and part-time rows sit under 员工总数, not under 新进员工数."""
    html = render(sample, "zh-Hans", '{{ kpi_table("soc.employment") }}')
    ids = [i for _level, i in rows(html)]
    assert ids[:4] == [
        "soc.employees.total",
        "soc.employees.by_type.full_time",
        "soc.employees.by_type.part_time_and_interns",
        "soc.employees.new_hires",
    ]
    assert rows(html)[1][0] == "level-1" and rows(html)[3][0] == "level-0"


def test_english_tables_use_english_scales(sample: Dataset) -> None:
    html = render(sample, "en", '{{ kpi_table(["prod.rd_expenditure"]) }}')
    assert '<td class="unit">RMB billion</td><td class="num">24.1</td>' in html
    zh = render(sample, "zh-Hans", '{{ kpi_table(["prod.rd_expenditure"]) }}')
    assert '<td class="unit">亿元</td><td class="num">241</td>' in zh


def test_english_prose_uses_english_scales(sample: Dataset) -> None:
    assert render(sample, "en", '{{ kpi("prod.rd_expenditure") }}') == "RMB 24.1 billion"
    assert render(sample, "zh-Hans", '{{ kpi("prod.rd_expenditure") }}') == "241 亿元"
    assert (
        render(sample, "en", '{{ kpi("env.ev_factory.pv_generation") }}')
        == "about 16.4 million kWh"
    )


def test_unit_in_cell_and_turned_table(sample: Dataset) -> None:
    html = render(
        sample,
        "en",
        '{{ kpi_table(["soc.turnover.rate"], years=[2024], segments=False, unit="cell") }}',
    )
    assert '<th class="unit"' not in html and '<td class="num">10.75%</td>' in html
    turned = render(
        sample,
        "zh-Hans",
        '{{ kpi_table(["soc.employees.total"], years=[2024, 2023], years_as_rows=True, '
        'unit="label", column_notes=[[2023, "workforce_scope"]]) }}',
    )
    assert "员工总数（人）" in turned
    assert re.search(
        r'<tr class="year-row" data-year="2023"><th class="year" scope="row">2023<sup', turned
    )
    assert '<td class="num">35,116</td>' in turned


def test_bad_shaping_arguments_are_chapter_errors(sample: Dataset) -> None:
    from esgpress.core.errors import EsgError

    with pytest.raises(EsgError, match=r"kpi_table\(unit='cells'\): use one of column, cell"):
        render(sample, "en", '{{ kpi_table(["soc.turnover.rate"], unit="cells") }}')
    with pytest.raises(EsgError) as caught:
        render(
            sample,
            "en",
            '{{ kpi_table(["env.ghg.scope1"], years_as_rows=True, segments_as_rows=True) }}',
        )
    assert [p.message for p in caught.value.problems] == [
        "kpi_table: years_as_rows and segments_as_rows exclude each other; give one"
    ]


def test_rounds_to_zero_is_marked_and_true_zero_stays(mini: Path) -> None:
    report = mini / "data" / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + 'tables: {rounds_to_zero: less_than, not_reported: "-", unit_slash: " / "}\n',
        encoding="utf-8",
    )
    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(
            "values: {2024: 100.00, 2023: 50.00, 2022: 40.00}",
            "values: {2024: 0.003, 2023: 0, 2022: ~}\n        decimals: 2",
        ),
        encoding="utf-8",
    )
    dataset, problems = load_project(mini)
    assert not problems.errors
    html = render_source(
        mini,
        dataset,
        "zh-Hans",
        '{{ kpi_table(["env.energy.direct", "env.intensity.energy_per_revenue"]) }}',
    )
    assert (
        '<td class="num">&lt;0.01</td><td class="num">0.00</td>'
        '<td class="missing not_reported">-</td>' in html
    )
    assert '<td class="unit">兆瓦时 / 百万元人民币</td>' in html


def test_count_plus_share_cells(sample: Dataset) -> None:
    html = render(
        sample,
        "en",
        '{{ kpi_table(["soc.employees.by_type.full_time", "soc.employees.by_gender.female"], '
        'share_of="soc.employees.by_type.full_time", segments=False) }}',
    )
    # 10,342 of 33,627 full-time employees is 30.7550…%: half-up, 30.76%.
    assert '<td class="num">10,342 (30.76%)</td>' in html
    assert '<td class="num">33,627</td>' in html  # the base row prints no share of itself


def test_series_break_is_marked_and_change_refuses_to_cross_it(mini: Path) -> None:
    from esgpress.core.errors import EsgError

    kpis = mini / "data" / "kpis.yaml"
    kpis.write_text(
        kpis.read_text(encoding="utf-8").replace(
            "values: {2024: 100.00, 2023: 50.00, 2022: 40.00}",
            "values: {2024: 100.00, 2023: 50.00, 2022: 40.00}\n"
            "        breaks: {2023: EV plant included from 2023}",
        ),
        encoding="utf-8",
    )
    dataset, problems = load_project(mini)
    assert not problems.errors
    html = render_source(mini, dataset, "en", '{{ kpi_table(["env.energy.direct"]) }}')
    assert (
        '<td class="num series-break">50.00<span class="break-mark" '
        'title="EV plant included from 2023">‡</span></td>' in html
    )
    assert "‡ new basis: not comparable with earlier years" in html
    assert render_source(mini, dataset, "en", '{{ change("env.energy.direct", 2023, 2024) }}')
    with pytest.raises(EsgError, match=r"the series of 'env.energy.direct' breaks in 2023"):
        render_source(mini, dataset, "en", '{{ change("env.energy.direct", 2022, 2024) }}')


def test_change_names_the_missing_year(sample: Dataset) -> None:
    from esgpress.core.errors import EsgError

    with pytest.raises(EsgError) as caught:
        render(sample, "en", '{{ change("env.ghg.scope3", 2023, 2024) }}')
    assert [p.message for p in caught.value.problems] == [
        "change('env.ghg.scope3', 2023, 2024): 'env.ghg.scope3' has no figure for 2024 in "
        "data/kpis.yaml; add it under values, or compare years that have figures"
    ]


def test_display_unit_per_table(sample: Dataset) -> None:
    one = render(sample, "zh-Hant", '{{ kpi_table(["env.ghg.scope1"], segments=False) }}')
    other = render(
        sample,
        "zh-Hant",
        '{{ kpi_table(["env.ghg.scope1"], units=[["tCO2e", "t"]], segments=False) }}',
    )
    assert '<td class="unit">噸二氧化碳當量</td><td class="num">31,295.64</td>' in one
    assert '<td class="unit">噸</td><td class="num">31,295.64</td>' in other


def test_one_slash_setting_with_tables_unit_slash_as_its_alias(mini: Path) -> None:
    """style.<edition>.unit_slash is the setting; tables.unit_slash sets every edition without one.

    Tables and kpi() take it from the same place (charts too: tests/test_table_points.py).
    """
    report = mini / "data" / "report.yaml"
    base = report.read_text(encoding="utf-8")
    source = (
        '{{ kpi_table(["env.intensity.energy_per_revenue"]) }} '
        '{{ kpi("env.intensity.energy_per_revenue") }}'
    )

    def unit_texts(extra: str, edition: str) -> list[str]:
        report.write_text(base + extra, encoding="utf-8")
        dataset, problems = load_project(mini)
        assert not problems.errors
        html = render_source(mini, dataset, edition, source)
        return re.findall(r"兆瓦[时時][^<\d]*百万元人民币|MWh[^<\d]*RMB million", html)

    # The older key still loads unchanged and reaches every edition.
    old = 'tables: {unit_slash: "╱"}\n'
    assert unit_texts(old, "zh-Hans") == ["兆瓦时╱百万元人民币"] * 2
    assert unit_texts(old, "en") == ["MWh╱RMB million"] * 2
    # An edition's own style wins over it.
    both = old + 'style: {en: {unit_slash: " / "}}\n'
    assert unit_texts(both, "en") == ["MWh / RMB million"] * 2
    assert unit_texts(both, "zh-Hans") == ["兆瓦时╱百万元人民币"] * 2
    # Nothing set: the house defaults (zh-Hans spaced, English tight).
    assert unit_texts("", "zh-Hans") == ["兆瓦时 / 百万元人民币"] * 2
    assert unit_texts("", "en") == ["MWh/RMB million"] * 2


def test_unit_place_as_a_report_style(mini: Path) -> None:
    """tables.unit sets every table's unit place; kpi_table(unit=...) still overrides one."""
    report = mini / "data" / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8") + "tables: {unit: label}\n", encoding="utf-8"
    )
    dataset, problems = load_project(mini)
    assert not problems.errors
    source = '{{ kpi_table(["env.energy.direct"], years=[2024]) }}'
    html = render_source(mini, dataset, "zh-Hans", source)
    assert (
        '<th class="label" scope="row">直接能源（兆瓦时）</th><td class="num">100.00</td>' in html
    )
    assert '<th class="unit"' not in html
    one = source.replace("years=[2024]", 'years=[2024], unit="cell"')
    html = render_source(mini, dataset, "en", one)
    assert '<th class="label" scope="row">Direct energy</th><td class="num">100.00 MWh</td>' in html
