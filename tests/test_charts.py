"""SVG trend charts: deterministic, text kept as text, edition fonts, no invented zeros."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import copy_project
from esgpress.data.loader import load_project
from esgpress.editions.i18n import Localizer
from esgpress.render.charts import FONT_STACK, chart_series, render_chart
from esgpress.render.renderer import Renderer
from esgpress.render.write import write_charts

FIXTURE = Path(__file__).parent / "fixtures" / "site"
SVG = "{http://www.w3.org/2000/svg}"

BAR = {
    "slug": "ghg-bar",
    "ids": ["env.ghg.scope1", "env.ghg.scope2"],
    "kind": "bar",
    "years": [2022, 2023, 2024],
    "title": "GHG",
}
STACKED = {
    "slug": "energy-stacked",
    "ids": ["env.energy.total", "env.energy.direct", "env.energy.indirect", "env.renewable.share"],
    "kind": "stacked",
    "years": [2022, 2023, 2024],
    "title": "Energy",
}
LINE = {
    "slug": "share-line",
    "ids": ["env.renewable.share"],
    "kind": "line",
    "years": [2022, 2023, 2024],
    "title": "Renewable share",
}


@pytest.fixture(scope="module")
def dataset():
    ds, _ = load_project(FIXTURE)
    return ds


def texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


@pytest.mark.parametrize("spec", [BAR, STACKED, LINE], ids=lambda s: s["kind"])
@pytest.mark.parametrize("edition", ["zh-Hant", "zh-Hans", "en"])
def test_two_renders_are_byte_identical(dataset, spec, edition):
    loc = Localizer(dataset, edition)
    assert render_chart(spec, dataset, loc) == render_chart(
        spec, dataset, Localizer(dataset, edition)
    )


def test_written_files_are_identical_untouched_when_unchanged_and_pruned(tmp_path):
    project = copy_project("site", tmp_path / "project")
    ds, _ = load_project(project)
    renderer = Renderer(project, ds, "zh-Hant", Localizer(ds, "zh-Hant"))
    renderer.state.charts = [BAR, LINE]
    write_charts(renderer, tmp_path / "a")
    write_charts(renderer, tmp_path / "b")
    first = tmp_path / "a" / "ghg-bar.svg"
    assert first.read_bytes() == (tmp_path / "b" / "ghg-bar.svg").read_bytes()
    mtime = first.stat().st_mtime_ns
    renderer.state.charts = [BAR]  # the line chart was taken out of the chapter
    write_charts(renderer, tmp_path / "a")
    assert first.stat().st_mtime_ns == mtime
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["ghg-bar.svg"]


def test_no_dates_or_tool_banner_in_the_svg(dataset):
    svg = render_chart(BAR, dataset, Localizer(dataset, "en"))
    assert "<dc:date>" not in svg
    assert "Matplotlib" not in svg
    assert not re.search(r"20\d\d-\d\d-\d\dT", svg)


@pytest.mark.parametrize(
    ("edition", "labels", "face"),
    [
        ("zh-Hant", ["範圍一排放", "範圍二排放", "2024年"], "Noto Sans CJK HK"),
        ("zh-Hans", ["范围一排放", "范围二排放", "2024年"], "Noto Sans CJK SC"),
        ("en", ["Scope 1 emissions", "Scope 2 emissions", "2024"], "Noto Sans CJK SC"),
    ],
)
def test_text_stays_text_with_localized_labels_and_the_edition_font(dataset, edition, labels, face):
    svg = render_chart(BAR, dataset, Localizer(dataset, edition))
    found = texts(svg)
    for label in labels:  # Scope 1 is dwarfed by Scope 2: panels titled "label (unit)"
        assert any(t.startswith(label) for t in found), f"{label!r} not among {found}"
    assert "<path" in svg
    assert "glyph" not in svg  # no text converted to outlines
    families = set(re.findall(r"font-family: ([^;\"]+)", svg))
    assert families == {FONT_STACK[edition]}
    assert f"'{face}'" in FONT_STACK[edition]


def test_unit_and_figures_use_report_formatting(dataset):
    found = texts(render_chart(BAR, dataset, Localizer(dataset, "zh-Hant")))
    assert "（噸二氧化碳當量）" in found  # unit catalogue, Traditional, under the panel title
    assert "200,543.36" in found  # value label, printed precision
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", t) for t in found)  # grouped axis ticks


def test_missing_value_is_skipped_not_zero(dataset):
    # env.renewable.share has no 2022 figure: the line has a gap, never a 0.
    svg = render_chart(LINE, dataset, Localizer(dataset, "en"))
    found = texts(svg)
    assert "18.4" in found
    assert "0" not in found and "0.0" not in found


def test_stacked_chart_stacks_parts_and_prints_the_published_total(dataset):
    inds, total = chart_series("stacked", [dataset.indicators[i] for i in STACKED["ids"]])
    assert [i.id for i in inds] == [
        "env.energy.direct",
        "env.energy.indirect",
    ]  # no total, no % row
    assert total is not None and total.id == "env.energy.total"
    found = texts(render_chart(STACKED, dataset, Localizer(dataset, "en")))
    assert "444,774.36" in found
    assert "Share of renewable energy" not in found


def test_svg_is_accessible_and_tagged_with_the_language(dataset):
    svg = render_chart(BAR, dataset, Localizer(dataset, "zh-Hant"))
    root = ET.fromstring(svg)
    assert root.get("role") == "img"
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-Hant-HK"
    assert root.find(f"{SVG}title").text == "GHG"


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig (fc-list) is not installed")
def test_layout_fonts_are_installed():
    out = subprocess.run(
        ["fc-list", ":", "family"], capture_output=True, text=True, check=True
    ).stdout
    for face in ("Noto Sans CJK HK", "Noto Sans CJK SC"):
        assert face in out, f"{face} is missing: install fonts-noto-cjk"


# ---------------------------------------------------------------- issue 17: readable charts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def sample():
    ds, _ = load_project(ROOT)
    return ds


def data_colours(svg: str) -> set[str]:
    """The fills of the drawn shapes (bars, stacks, legend handles): not text, not the page."""
    root = ET.fromstring(svg)
    found = set()
    for path in root.iter(f"{SVG}path"):
        m = re.search(r"fill:\s*(#[0-9a-f]{6})", path.get("style", ""))
        if m and m.group(1) != "#ffffff":
            found.add(m.group(1))
    return found


@pytest.mark.parametrize(
    "spec",
    [
        {**BAR, "years": [2021, 2022, 2023, 2024]},
        {**STACKED, "years": [2021, 2022, 2023, 2024]},
    ],
    ids=["bar-4-years", "stacked"],
)
def test_chart_colours_read_on_white_and_stay_apart_in_greyscale(dataset, spec):
    """WCAG 1.4.11 (3:1 against the white page) and 1.5:1 luminance between any two colours."""
    from esgpress.render.brand import contrast_on_white, luminance_ratio

    colours = sorted(data_colours(render_chart(spec, dataset, Localizer(dataset, "en"))))
    assert len(colours) >= 2, colours
    for colour in colours:
        assert contrast_on_white(colour) >= 3.0, colour
    for i, a in enumerate(colours):
        for b in colours[i + 1 :]:
            assert luminance_ratio(a, b) >= 1.5, (a, b)


def test_the_brand_palette_is_used_only_when_it_passes(sample):
    from esgpress.render.chartstyle import series_colours, usable

    loc = Localizer(sample, "en")
    assert not usable(sample.report.brand.palette[:3])  # #cfcfcf is 1.6:1 on white
    colours = series_colours(loc, 3)
    assert colours == ["#f76600", "#757575", "#595959"]


def test_a_dwarfed_series_gets_its_own_axis(sample):
    """7,424.76 t of packaging is not drawn on the axis of 1,260,854.62 t of water."""
    spec = {
        "slug": "resources",
        "ids": ["env.water.withdrawal", "env.water.discharge", "env.packaging.total"],
        "kind": "bar",
        "years": [2022, 2023, 2024],
        "title": "Resources",
    }
    svg = render_chart(spec, sample, Localizer(sample, "en"))
    root = ET.fromstring(svg)
    axes = [g for g in root.iter(f"{SVG}g") if re.fullmatch(r"axes_\d+", g.get("id", ""))]
    assert len(axes) == 3
    ticks = []
    for ax in axes:
        ys = [
            "".join(t.itertext())
            for g in ax.iter(f"{SVG}g")
            if re.fullmatch(r"ytick_\d+", g.get("id", ""))
            for t in g.iter(f"{SVG}text")
        ]
        ticks.append(max(float(y.replace(",", "")) for y in ys))
    assert ticks[0] >= 1_200_000 and ticks[2] < 10_000  # packaging on its own scale
    titles = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    assert "Water withdrawal (t)" in titles and "materials used (t)" in titles


def test_a_comparable_pair_shares_one_axis(dataset):
    spec = {**BAR, "ids": ["env.ghg.scope2", "env.ghg.total"]}
    root = ET.fromstring(render_chart(spec, dataset, Localizer(dataset, "en")))
    axes = [g for g in root.iter(f"{SVG}g") if re.fullmatch(r"axes_\d+", g.get("id", ""))]
    assert len(axes) == 1


def test_chinese_labels_break_only_between_words(sample):
    """平均受訓小時數 never prints as 小/時數: every line ends at a word of the label."""
    from esgpress.editions.wordlevel import segmenter_for
    from esgpress.render.chartstyle import wrap_label

    assert wrap_label("中級管理層平均受訓小時數", "zh-Hant", 9, "中级管理层平均受训小时数") == (
        "中級管理層平均受訓\n小時數"
    )
    spec = {
        "slug": "hours",
        "ids": [
            "soc.training.avg_hours.overall",
            "soc.training.avg_hours.by_rank.senior_management",
            "soc.training.avg_hours.by_rank.middle_management",
            "soc.training.avg_hours.by_rank.general_staff",
        ],
        "kind": "bar",
        "years": [2022, 2023, 2024],
        "title": "hours",
    }
    for edition in ("zh-Hant", "zh-Hans"):
        loc = Localizer(sample, edition)
        found = texts(render_chart(spec, sample, loc))
        for ind_id in spec["ids"]:
            ind = sample.indicators[ind_id]
            ends, at = set(), 0
            for word in segmenter_for(())(ind.label.zh):
                at += len(word)
                ends.add(at)
            label = loc.shown(ind.label)
            first = max((t for t in found if t and label.startswith(t)), key=len)
            assert len(first) in ends, (edition, label, first)  # the line ends at a word
            if len(first) < len(label):  # and the rest is the next line
                assert label[len(first) :] in found, (edition, label)
        assert "小時數" in found or "小时数" in found


@pytest.mark.parametrize(
    ("edition", "alt"),
    [
        (
            "en",
            "Scope 1 emissions, 2022–2024: 1,287.40; 4,122.16; 18,931.20 tCO2e",
        ),
        ("zh-Hans", "范围一排放，2022–2024 年：1,287.40；4,122.16；18,931.20 吨二氧化碳当量"),
        ("zh-Hant", "範圍一排放，2022–2024年：1,287.40；4,122.16；18,931.20噸二氧化碳當量"),
    ],
)
def test_alt_text_states_the_figures(dataset, edition, alt):
    from esgpress.render.chartalt import chart_alt

    loc = Localizer(dataset, edition)
    title = loc.text(dataset.indicators["env.ghg.scope1"].label)
    spec = {**BAR, "ids": ["env.ghg.scope1"], "title": title}
    assert chart_alt(spec, dataset, loc) == alt
    svg = ET.fromstring(render_chart(spec, dataset, loc))
    assert svg.get("aria-label") == alt
    assert svg.find(f"{SVG}desc").text == alt


def test_the_chart_figure_carries_the_alt_text_and_the_same_svg_for_site_and_print(sample):
    from esgpress.render.renderer import render_source

    out = render_source(
        ROOT, sample, "en", '{{ chart(["env.ghg.scope1", "env.ghg.scope2"], title="GHG") }}'
    )
    m = re.search(r'<img src="(charts/[^"]+\.svg)" alt="([^"]+)">', out)
    assert m is not None
    assert m.group(2).startswith("GHG, 2022–2024: Scope 1 GHG emissions: 7,122.60; ")
    assert "Scope 2 GHG emissions: 78,620.01; 104,470.04; 178,419.13 tCO2e" in m.group(2)
