"""Issue #16, points 1–14, each on real output: the site's HTML and the PDF's text.

tests/fixtures/shapes is a small project with one table of every shape the
data format offers (docs/writing-chapters.md, "Shaping a table as your report
prints it"). The module builds its zh-Hans and English PDFs once (one
``print_editions`` call), its site once, its export and its ``check --strict``
output once, and every test below reads those outputs: the site page's HTML
cell by cell, and ``pdftotext -layout`` lines, where a table row is one line
whose columns are separated by two or more spaces.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import copy_project
from esgpress.cli import main

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@dataclass
class Built:
    """What the fixture project's build printed: site pages, PDF texts, check, export."""

    site: dict[str, str]  # edition → the chapter's site page
    pdf: dict[str, str]  # edition → pdftotext -layout of the PDF
    charts: dict[str, str]  # edition → the chapter's chart SVGs, joined
    check: str
    check_code: int
    export: str
    downloads: str  # every data file the site offers, joined


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from esgpress.pipeline import print_editions
    from esgpress.site.build import build_site

    base = tmp_path_factory.mktemp("shapes")
    project = copy_project("shapes", base / "project")
    pdfs = print_editions(project, ["zh-Hans", "en"])
    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=base / "site")
    pdf = {
        e: subprocess.run(
            ["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True, check=True
        ).stdout
        for e, p in pdfs.items()
    }
    site = {
        e: (base / "site" / e / "tables.html").read_text(encoding="utf-8")
        for e in ("zh-Hans", "en")
    }
    charts = {
        e: "".join(
            p.read_text(encoding="utf-8")
            for p in sorted((project / "build" / "render" / e / "charts").glob("*.svg"))
        )
        for e in ("zh-Hans", "en")
    }
    runner = CliRunner()
    check = runner.invoke(main, ["check", "--strict", "--project", str(project)])
    out = base / "data.json"
    exported = runner.invoke(
        main,
        [
            "export",
            "--format",
            "json",
            "--lang",
            "en",
            "--out",
            str(out),
            "--project",
            str(project),
        ],
    )
    assert exported.exit_code == 0, exported.output
    downloads = "".join(
        p.read_text(encoding="utf-8", errors="replace")
        for p in (base / "site").rglob("*")
        if p.suffix in (".csv", ".json") and "search" not in p.name
    )
    yield Built(site, pdf, charts, check.output, check.exit_code, out.read_text("utf-8"), downloads)


# ---- reading the outputs


def text_of(html: str) -> str:
    """Visible text of a cell: tags gone, footnote calls and marks kept as their digits/signs."""
    return unescape(re.sub(r"<[^>]+>", "", html)).strip()


def row(html: str, attr: str, first: int = 0) -> list[str]:
    """Texts of the cells (label first) of the ``first``-th table row carrying ``attr``."""
    rows = re.findall(rf"<tr [^>]*{re.escape(attr)}[^>]*>(.*?)</tr>", html, re.S)
    return [text_of(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", rows[first], re.S)]


def row_classes(html: str) -> list[tuple[str, str]]:
    """(class, data-kpi or data-subheading) of every body row, in order."""
    return re.findall(r'<tr class="([^"]+)" data-(?:kpi|subheading)="([^"]+)"', html)


def line(text: str, *cells: str) -> str:
    """The PDF text line whose columns (2+ spaces apart) contain ``cells`` in this order."""
    for candidate in text.splitlines():
        columns = [c for c in re.split(r"\s{2,}", candidate.strip()) if c]
        at = 0
        for c in columns:
            if at < len(cells) and c == cells[at]:
                at += 1
        if at == len(cells):
            return candidate
    raise AssertionError(f"no PDF line with the columns {cells}")


def columns(text: str, *cells: str) -> list[str]:
    return [c for c in re.split(r"\s{2,}", line(text, *cells).strip()) if c]


def exact_line(text: str, *cells: str) -> bool:
    """Whether some PDF text line has exactly these columns."""
    return any(
        [c for c in re.split(r"\s{2,}", s.strip()) if c] == list(cells) for s in text.splitlines()
    )


def indent(text: str, label: str) -> int:
    """How far a row's label is indented in the PDF text (spaces before it)."""
    found = re.search(rf"^( *){re.escape(label)}", text, re.M)
    assert found, label
    return len(found.group(1))


# ---- 1. where the unit goes


def test_1_unit_column_cell_label_and_none(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    assert row(html, 'data-kpi="env.energy.total"')[:3] == ["能源消耗总量", "兆瓦时", "300.00"]
    assert row(html, 'data-kpi="soc.turnover.rate"') == ["员工流失率", "11.91%", "12.82%", "-"]
    assert row(html, 'data-kpi="env.energy.total"', 1) == [
        "能源消耗总量（兆瓦时）",
        "300.00",
        "100.00",
    ]
    # A row whose indicator has no unit (unit: '') prints none, in its unit cell and label.
    assert row(html, 'data-kpi="env.energy.sites"')[:3] == ["纳入统计的厂区数", "", "4"]
    assert columns(pdf, "能源消耗总量", "兆瓦时", "300.00")[:3] == [
        "能源消耗总量",
        "兆瓦时",
        "300.00",
    ]
    assert columns(pdf, "员工流失率", "11.91%") == ["员工流失率", "11.91%", "12.82%", "-"]
    assert columns(pdf, "能源消耗总量（兆瓦时）") == ["能源消耗总量（兆瓦时）", "300.00", "100.00"]
    assert columns(pdf, "纳入统计的厂区数") == ["纳入统计的厂区数", "4", "-", "-", "3", "3", "-"]
    assert columns(built.pdf["en"], "Total energy (MWh)") == [
        "Total energy (MWh)",
        "300.00",
        "100.00",
    ]


# ---- 2. count-plus-share cells


def test_2_count_plus_share_cells(built: Built) -> None:
    # 33,427 of 35,414 is 94.389…%: 94.39%; the parts' shares are rounded one by one.
    html = built.site["zh-Hans"]
    assert row(html, 'data-kpi="soc.employees.full_time"', 1)[2] == "33,427 (94.39%)"
    assert row(html, 'data-kpi="soc.employees.part_time"', 1)[2] == "1,987 (5.61%)"
    assert columns(built.pdf["zh-Hans"], "全职员工", "人", "33,427 (94.39%)")
    assert columns(built.pdf["en"], "Full-time employees", "persons", "33,427 (94.39%)")


# ---- 3. row groups and indentation that follows the data


def test_3_subheadings_and_indentation_follow_the_data(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    energy = html[html.index('id="tbl-env-energy"') :]
    assert row_classes(energy)[:5] == [
        ("level-0", "env.energy.total"),
        ("subheading level-0", "by_source"),
        ("level-1", "env.energy.direct"),
        ("level-1", "env.energy.indirect"),
        ("level-2 of-which", "env.energy.renewable"),
    ]
    people = html[html.index('id="tbl-soc-people"') :]
    # The parts sit under the total they split, and new hires (listed between) after them.
    assert row_classes(people)[:4] == [
        ("level-0", "soc.employees.total"),
        ("level-1", "soc.employees.full_time"),
        ("level-1", "soc.employees.part_time"),
        ("level-0", "soc.employees.new_hires"),
    ]
    assert indent(pdf, "员工总数") < indent(pdf, "全职员工") == indent(pdf, "兼职员工及实习生")
    assert indent(pdf, "新进员工数") == indent(pdf, "员工总数")
    lines = [s.strip().split("  ")[0] for s in pdf.splitlines() if s.strip()]
    at = lines.index("员工总数")
    assert lines[at : at + 4] == ["员工总数", "全职员工", "兼职员工及实习生", "新进员工数"]
    assert indent(pdf, "按来源划分") < indent(pdf, "直接能源") < indent(pdf, "其中：可再生能源")


# ---- 4. orientation: years as rows, and matrix tables


def test_4_years_as_rows(built: Built) -> None:
    html = built.site["zh-Hans"]
    assert row(html, 'data-year="2023"') == ["2023", "1", "95"]
    assert "因工亡故人数（人）" in html
    assert columns(built.pdf["zh-Hans"], "2023", "1", "95") == ["2023", "1", "95"]
    assert columns(built.pdf["en"], "2022", "0", "101") == ["2022", "0", "101"]


def test_4_matrix_region_by_year_by_metric(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    assert re.search(
        r'<th class="label group" scope="colgroup" colspan="3" '
        r'data-kpi="soc.complaints.received">收到投诉（件）</th>',
        html,
    )
    assert row(html, 'data-segment=""') == ["总量", "1,500", "1,400", "-", "98.5%", "97.9%", "-"]
    assert row(html, 'data-segment="cn"') == [
        "中国内地",
        "1,000",
        "900",
        "-",
        "99.1%",
        "98.0%",
        "-",
    ]
    assert row(html, 'data-segment="intl"') == [
        "海外地区10",
        "500",
        "500",
        "-",
        "97.3%",
        "待披露",
        "-",
    ]
    assert columns(pdf, "收到投诉（件）", "投诉解决率（%）") == [
        "收到投诉（件）",
        "投诉解决率（%）",
    ]
    assert columns(pdf, "地区", "2024") == ["地区", "2024", "2023", "2022", "2024", "2023", "2022"]
    assert columns(pdf, "中国内地", "1,000") == [
        "中国内地",
        "1,000",
        "900",
        "-",
        "99.1%",
        "98.0%",
        "-",
    ]
    assert columns(pdf, "海外地区 10", "500") == [
        "海外地区 10",
        "500",
        "500",
        "-",
        "97.3%",
        "待披露",
        "-",
    ]
    en = built.pdf["en"]
    assert columns(en, "Overseas 10", "500")[-3:] == ["97.3%", "To be disclosed", "-"]
    assert columns(en, "Region", "2024")[0] == "Region"


# ---- 5. footnotes on a heading, table, column, row, cell, segment and sub-heading


ORDER = [
    "heading_note",  # the chapter heading
    "energy_table",  # the whole table (group footnotes, in the caption)
    "restated_2023",  # one year's column
    "seg",  # a segment column
    "direct_method",  # a row
    "one_value",  # a single value
    "seg",  # the segment note called again in the next table: a number of its own
    "air_note",  # a sub-heading
    "air_note",  # the same sub-heading note in the next table
    "intl_scope",  # a matrix row (segment)
]


def test_5_footnotes_numbered_once_continuously_identical_in_site_and_print(built: Built) -> None:
    for edition in ("zh-Hans", "en"):
        html = built.site[edition]
        calls = re.findall(r'<a href="#fn-(\d+)" data-note="([a-z_0-9]+)"', html)
        first = list(dict.fromkeys(calls))
        assert [k for _n, k in first] == ORDER
        assert [int(n) for n, _k in first] == list(range(1, 11))
        # One number, one printed note: a note called again in another table gets the
        # next number (printed again there), never a number used before.
        assert len({n for n, k in calls if k == "seg"}) == 2
    for edition in ("zh-Hans", "en"):
        # The PDF prints the same notes, with the same numbers, as the site.
        site_notes = [
            (int(n), text_of(t))
            for n, t in re.findall(
                r'<li id="fn-(\d+)"[^>]*>(.*?)</li>', built.site[edition].replace("\n", " ")
            )
        ]
        assert len(site_notes) == 10
        for n, t in site_notes:
            assert re.search(rf"^{n}\s+{re.escape(t)}$", built.pdf[edition], re.M), (n, t)
    pdf = built.pdf["zh-Hans"]
    assert re.search(r"^表格\s+1$", pdf, re.M)  # the heading's call
    # The caption carries the table's call and the calls of its head (year, segment),
    # so a head repeated on the next page repeats no number.
    assert re.search(r"^能源 2,3,4$", pdf, re.M)
    assert columns(pdf, "指标", "单位", "总量", "甲分部", "乙分部", "2023")
    assert columns(pdf, "直接能源 5", "兆瓦时", "100.00")
    assert columns(pdf, "间接能源", "兆瓦时", "200.01", "-", "-", "150.00", "50.00 6")
    assert re.search(r"^\s*温室气体 8$", pdf, re.M)


# ---- 6. years and segments per table


def test_6_year_sets_and_segment_columns_per_table(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    heads = re.findall(r'<th class="year[^"]*"[^>]*>(\d{4})', html)
    assert heads[:4] == ["2024", "2023", "2022", "2021"]  # four columns
    one = html[html.index('id="tbl-env-ghg-co2"') :].split("</table>")[0]
    assert re.findall(r'<th class="year[^"]*"[^>]*>(\d{4})', one) == ["2024"]  # one column
    only_a = html[html.index('id="tbl-env-energy-total"') :].split("</table>")[0]
    assert "甲分部" in only_a and "乙分部" not in only_a
    assert exact_line(pdf, "指标", "总量", "甲分部")  # no 乙分部 column
    assert columns(pdf, "能源消耗总量", "兆瓦时", "300.00")[-3:] == ["200.00", "90.00", "80.00"]
    assert columns(pdf, "CO2 排放", "吨") == ["CO2 排放", "吨", "1,234.56"]


# ---- 7. display units per table, one slash setting, chemical subscripts


def test_7_display_unit_per_table(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    assert row(html, 'data-kpi="env.ghg.co2"')[1] == "吨二氧化碳当量"
    assert row(html, 'data-kpi="env.ghg.co2"', 1)[1] == "吨"
    assert columns(pdf, "CO2 排放", "吨二氧化碳当量", "1,234.56")
    assert columns(pdf, "CO2 排放", "吨", "1,234.56")


def test_7_composed_units_take_the_editions_slash_in_tables_prose_and_charts(
    built: Built,
) -> None:
    """style.zh-Hans.unit_slash ' / ' and style.en.unit_slash '╱': one setting, every output."""
    zh, en = built.site["zh-Hans"], built.site["en"]
    assert row(zh, 'data-kpi="env.intensity.energy_per_person"')[1] == "兆瓦时 / 人"
    assert row(en, 'data-kpi="env.intensity.energy_per_person"')[1] == "MWh╱persons"
    assert "单位营收能源消耗为 0.31 兆瓦时 / 百万元人民币。" in text_of(zh)
    assert "Energy per revenue was 0.31 MWh╱RMB million." in text_of(en)
    assert "兆瓦时 / 人" in built.charts["zh-Hans"] and "MWh╱persons" in built.charts["en"]
    assert columns(built.pdf["zh-Hans"], "人均能源消耗", "兆瓦时 / 人", "0.0085")
    assert columns(built.pdf["en"], "Energy per floor area", "MWh╱m²", "0.30")
    assert "Energy per revenue was 0.31 MWh╱RMB million." in built.pdf["en"]
    assert re.search(r"^\s+MWh╱persons$", built.pdf["en"], re.M)  # the chart's axis title


def test_7_chemical_subscripts_in_labels_and_units(built: Built) -> None:
    assert '<th class="label" scope="row">CO<sub>2</sub> 排放</th>' in built.site["zh-Hans"]
    assert '<td class="unit">tCO<sub>2</sub>e</td>' in built.site["en"]
    # In the PDF the subscript is a smaller glyph on the line: pdftotext reads CO2, CH4.
    assert columns(built.pdf["en"], "CH4 emissions", "tCO2e", "<0.01", "0.00")


# ---- 8. English scale words


def test_8_english_scale_words_in_tables_and_prose(built: Built) -> None:
    en, pdf = built.site["en"], built.pdf["en"]
    assert row(en, 'data-kpi="fin.rd"') == ["R&D expenditure", "RMB billion", "24.1", "19.2"]
    assert row(en, 'data-kpi="env.pv"', 1) == ["Solar generation", "million kWh", "0.40", "0.30"]
    assert "Our solar generation was 400,000 kWh and R&D expenditure RMB 24.1 billion." in (
        text_of(en)
    )
    assert columns(pdf, "R&D expenditure", "RMB billion", "24.1", "19.2")
    assert "Our solar generation was 400,000 kWh and R&D expenditure RMB 24.1 billion." in pdf
    assert columns(built.pdf["zh-Hans"], "研发投入", "亿元", "241", "192")


# ---- 9. rounds to zero is not zero


def test_9_rounds_to_zero_is_marked_and_true_zero_stays(built: Built) -> None:
    html = built.site["zh-Hans"]
    assert row(html, 'data-kpi="env.ghg.ch4"')[2:] == ["<0.01", "0.00", "-"]
    assert row(html, 'data-kpi="soc.turnover.tiny"')[1:] == ["<0.01%", "0.00%", "-"]
    assert columns(built.pdf["zh-Hans"], "CH4 排放", "吨二氧化碳当量")[2:] == ["<0.01", "0.00", "-"]
    assert columns(built.pdf["zh-Hans"], "高管流失率")[1:] == ["<0.01%", "0.00%", "-"]
    assert columns(built.pdf["en"], "Turnover of executives")[1:] == ["<0.01%", "0.00%", "-"]


# ---- 10–12. acknowledged derived figures, interval checks, ratio consistency


def test_10_acknowledged_derived_figure_passes_strict_and_prints_as_published(
    built: Built,
) -> None:
    assert built.check_code == 0, built.check
    assert (
        "data/kpis.yaml:105:27: acknowledged: indicator 'env.intensity.energy_per_revenue' 2024: "
        "published 0.31 but env.energy.total / fin.revenue = 0.300000, which prints 0.30; "
        "reason: Printed on last year's revenue."
    ) in built.check
    assert row(built.site["zh-Hans"], 'data-kpi="env.intensity.energy_per_revenue"')[2] == "0.31"
    assert columns(built.pdf["zh-Hans"], "单位营收能源消耗", "兆瓦时 / 百万元人民币")[2] == "0.31"


def test_11_weighted_average_of_rounded_rates_raises_no_false_alarm(built: Built) -> None:
    # 2024: 16.10 × 35.76% + 9.57 × 64.24% = 11.905…, printed 11.91; 2023: 12.818…, 12.82.
    assert "soc.turnover.rate" not in built.check
    assert built.check.rstrip().endswith("2 acknowledged, 1 info.")
    assert row(built.site["zh-Hans"], 'data-kpi="soc.turnover.rate"')[1:3] == ["11.91%", "12.82%"]
    assert columns(built.pdf["zh-Hans"], "员工流失率", "11.91%", "12.82%")


def test_12_ratio_consistency_flags_only_the_year_rounding_cannot_explain(built: Built) -> None:
    found = [m for m in built.check.splitlines() if "implies" in m]
    assert found == [
        "data/kpis.yaml:219:5: acknowledged: 2023: 'env.intensity.energy_per_area' / "
        "'env.intensity.energy_per_person' implies 'soc.employees.total' / 'env.area' in "
        "48.5149–51.5152, but the data gives 39.9750–40.0250; reason: The 2023 floor area "
        "was measured on another basis."
    ]
    assert columns(built.pdf["en"], "Energy per employee", "MWh╱persons", "0.0085", "0.0050")
    assert row(built.site["en"], 'data-kpi="env.intensity.energy_per_area"')[1:4] == [
        "MWh╱m²",
        "0.30",
        "0.25",
    ]


# ---- 13. internal indicators


def test_13_internal_indicators_stay_out_of_tables_downloads_and_exports(built: Built) -> None:
    for internal, zh_label in (
        ("fin.revenue", "收入"),
        ("env.area", "建筑面积"),
        ("soc.share.young", "30 岁以下员工占比"),
    ):
        assert f'data-kpi="{internal}"' not in built.site["zh-Hans"]
        assert internal not in built.export and internal not in built.downloads
        assert zh_label not in built.pdf["zh-Hans"].replace("营收", "")
    # The published figures of the same groups are exported and printed.
    assert "env.intensity.energy_per_area" in built.export
    assert "soc.turnover.young" in json.dumps(json.loads(built.export))


# ---- 14. restatement with no earlier figure, and a series break


def test_14_restatement_without_old_figure_and_series_break(built: Built) -> None:
    html, pdf = built.site["zh-Hans"], built.pdf["zh-Hans"]
    assert row(html, 'data-kpi="env.energy.direct"')[5] == "50.00*"
    assert (
        '<td class="num series-break">10.00<span class="break-mark" '
        'title="New plant included from 2023">‡</span></td>'
    ) in html
    assert (
        "data/kpis.yaml:54:38: info: indicator 'env.energy.direct' 2023 restated "
        "(earlier figure not on file) to 50.00: Fuel factors corrected"
    ) in built.check
    assert columns(pdf, "直接能源 5", "兆瓦时", "100.00", "-", "-", "50.00 *")
    assert columns(pdf, "其中：可再生能源", "兆瓦时", "20.00", "-", "-", "10.00‡")
    assert re.search(r"^\* 重述数据\s+‡ 统计口径变更，不宜与此前年度比较$", pdf, re.M)
    assert re.search(r"^\* restated figure\s+‡ new basis: not comparable", built.pdf["en"], re.M)


# ---- the content index points at the page holding the table


def test_content_index_points_at_the_page_of_the_table(built: Built) -> None:
    """B6.2's table starts a page after its section heading: the index gives the table's page.

    Pages are numbered from the cover (page 1), so page n is the PDF's n-th page.
    """
    labels = {
        "zh-Hans": ("能源消耗总量", "员工总数", "中国内地"),
        "en": ("Total energy", "Total workforce", "Mainland China"),
    }
    for edition, section in (("zh-Hans", "客户"), ("en", "Customers")):
        text = built.pdf[edition]
        pages = text.split("\f")
        contents = next(p for p in pages if re.search(rf"^\s*{section}\s*\.{{3,}}", p, re.M))
        toc = dict(re.findall(r"^\s*(\S[^.\n]*?)\s*\.{3,}\s*(\d+)\s*$", contents, re.M))
        index = {
            code: int(n)
            for code, n in re.findall(r"^(A2\.1|B1\.1|B6\.2)\s.*?\.{3,}\s*(\d+)\s*$", text, re.M)
        }
        start = int(toc[section])  # the section's heading; its table starts on the next page
        assert index["B6.2"] == start + 1, (index, start)
        assert section in pages[start - 1] and labels[edition][2] not in pages[start - 1]
        for code, label, figure in zip(
            ("A2.1", "B1.1", "B6.2"), labels[edition], ("300.00", "35,414", "1,000"), strict=True
        ):
            page = pages[index[code] - 1]
            assert label in page and figure in page, f"{code}: page {index[code]}"
