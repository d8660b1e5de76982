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
    assert "範圍二排放（噸二氧化碳當量）" in found  # unit catalogue, Traditional
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
