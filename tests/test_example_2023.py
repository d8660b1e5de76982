"""The 2023 report reproduced (examples/2023): every published figure, cell by cell.

examples/2023 is a second project in the repository: the KPI section of
Xiaomi's 2023 ESG report written in the project's format, shaped with the
engine's general table features only (sub-heading rows, four year columns,
``-`` for a missing year, a pending text, units in a column, in the cells or
in the labels, turned tables). tests/fixtures/2023-printed.yaml holds every
figure of that section as printed (349 cells of 95 rows). The test builds
the zh-Hans PDF and the site and finds each printed string in its own cell:
in the site's HTML by indicator and year, in the PDF text at the end of the
row's line, row after row in the order the tables print them.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = REPO / "examples" / "2023"
ORACLE = Path(__file__).parent / "fixtures" / "2023-printed.yaml"

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def printed_figures() -> dict[str, dict[int, str]]:
    """The oracle: indicator id → year → the string the 2023 report printed."""
    data = YAML(typ="safe").load(ORACLE.read_text(encoding="utf-8"))
    return {k: {int(y): str(s) for y, s in v.items()} for k, v in data.items()}


@dataclass
class Table:
    """One KPI table of the HTML: its rows, each a key and its value cells in order."""

    years: list[int] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)  # turned tables: indicator per column
    rows: list[tuple[str, list[str]]] = field(default_factory=list)
    #: The note numbers called in each row's value cells (the PDF text prints them as digits).
    notes: list[list[str]] = field(default_factory=list)


class TableReader(HTMLParser):
    """Read every ``table.kpi-table``: year headers, rows and cell texts (notes left out)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[Table] = []
        self.row_key: str | None = None
        self.cells: list[str] = []
        self.text: list[str] | None = None
        self.kind = ""
        self.skip = 0
        self.note: list[str] = []
        self.cell_notes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        cls = a.get("class") or ""
        if tag == "table" and "kpi-table" in cls:
            self.tables.append(Table())
        elif tag == "tr" and self.tables:
            year = a.get("data-year")
            self.row_key = a.get("data-kpi") or (f"year:{year}" if year else None)
            self.cells, self.cell_notes = [], []
        elif tag in ("td", "th") and self.tables:
            self.text, self.kind, self.note = [], cls, []
            if tag == "th" and a.get("data-kpi"):
                self.tables[-1].columns.append(a["data-kpi"] or "")
        elif tag == "sup" or (tag == "span" and "restated-mark" in cls):
            self.skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("sup", "span") and self.skip:
            self.skip -= 1
        elif tag in ("td", "th") and self.text is not None:
            text = "".join(self.text).strip()
            if tag == "th" and "year" in self.kind and self.row_key is None and text.isdigit():
                self.tables[-1].years.append(int(text))
            elif tag == "td" and "unit" not in self.kind:
                self.cells.append(text)
                self.cell_notes.append("".join(self.note))
            self.text = None
        elif tag == "tr" and self.row_key is not None:
            self.tables[-1].rows.append((self.row_key, self.cells))
            self.tables[-1].notes.append(self.cell_notes)
            self.row_key = None

    def handle_data(self, data: str) -> None:
        if self.text is not None and not self.skip:
            self.text.append(data)
        elif self.text is not None and data.strip().isdigit():
            self.note.append(data.strip())


def read_tables(html: str) -> list[Table]:
    reader = TableReader()
    reader.feed(html)
    return reader.tables


def cells_by_figure(tables: list[Table]) -> dict[tuple[str, int], str]:
    """Each cell of the HTML tables keyed by (indicator, year)."""
    out: dict[tuple[str, int], str] = {}
    for t in tables:
        for key, cells in t.rows:
            if key.startswith("year:"):
                year = int(key[5:])
                out.update({(kpi, year): c for kpi, c in zip(t.columns, cells, strict=True)})
            else:
                out.update({(key, y): c for y, c in zip(t.years, cells, strict=True)})
    return out


@dataclass
class Built:
    site_html: str
    print_html: str
    pdf_text: str
    data_html: str
    pdf: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    from esgpress.pipeline import print_editions
    from esgpress.site.build import build_site

    base = tmp_path_factory.mktemp("example-2023")
    project = base / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("build", "dist", "site"))
    pdf = print_editions(project, ["zh-Hans"])["zh-Hans"]
    build_site(project, config_file=REPO / "mkdocs.yml", site_dir=base / "site")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    yield Built(
        (base / "site" / "zh-Hans" / "performance.html").read_text(encoding="utf-8"),
        (project / "build" / "render" / "zh-Hans" / "performance.md").read_text(encoding="utf-8"),
        text,
        (base / "site" / "zh-Hans" / "data.html").read_text(encoding="utf-8"),
        pdf,
    )


def test_every_printed_figure_is_in_its_site_cell(built: Built) -> None:
    want = printed_figures()
    got = cells_by_figure(read_tables(built.site_html))
    wrong = [
        f"{kpi} {year}: want {text!r}, site has {got.get((kpi, year))!r}"
        for kpi, years in want.items()
        for year, text in years.items()
        if got.get((kpi, year)) != text
    ]
    assert sum(len(v) for v in want.values()) == 349
    assert wrong == []


def test_every_printed_figure_is_in_its_pdf_cell(built: Built) -> None:
    """Row by row in print order, the line of each row ends with its cells, exactly."""
    want = printed_figures()
    lines = built.pdf_text.splitlines()
    at, found, wrong, tight = 0, 0, [], []
    for table in read_tables(built.print_html):
        for (key, _cells), notes in zip(table.rows, table.notes, strict=True):
            if key.startswith("year:"):
                year = int(key[5:])
                expected = [want[k][year] for k in table.columns if k in want]
                label = str(year)
            elif key in want:
                expected = [want[key][y] for y in table.years if y in want[key]]
                label = key
            else:
                continue
            # A note called in a cell (19.42 with its note) follows the figure after a
            # small space, so the text reads "19.42 15", never "19.4215".
            expected = [e + (f" {n}" if n else "") for e, n in zip(expected, notes, strict=False)]
            for i in range(at, len(lines)):
                tokens = re.split(r"\s{2,}", lines[i].strip())
                if tokens[-len(expected) :] == expected and len(tokens) > len(expected):
                    at, found = i + 1, found + len(expected)
                    break
                # pdftotext puts one space between columns it finds close together
                # (a wide pending text next to 10,075,225.54): then the row's end must
                # still read as exactly these cells, in this order.
                line = " ".join(lines[i].split())
                if line.endswith(" " + " ".join(expected)):
                    at, found = i + 1, found + len(expected)
                    tight.append(label)
                    break
            else:
                wrong.append(f"{label}: no line after line {at} ends with {expected}")
    assert wrong == []
    assert found == 349
    assert tight == ["env.ghg.scope3"]  # the only row whose columns pdftotext runs together


def test_footnotes_on_headings_labels_values_and_subheadings(built: Built) -> None:
    html = built.site_html
    # Heading notes come first, then label, sub-heading and single-value notes, in reading order.
    order = re.findall(r'data-note="([a-z_]+)"', html)
    first = list(dict.fromkeys(order))
    assert first[:5] == ["kpi_scope", "assured", "energy_method", "ghg_method", "water_source"]
    assert "india_excluded" in first and "qimingxing" in first and "air_new" in first
    assert '<th class="label" scope="row">CO<sub>2</sub></th>' in html
    assert 'data-subheading="air"' in html


def test_every_note_is_on_the_page_of_its_call_in_the_pdf(built: Built) -> None:
    """Read back from the PDF: 19 calls, 19 notes, each on its call's page.

    Note 19's text begins with a figure ("2023 年度…"): the reader of
    tools/printcheck.py once took that figure for a number and lost the note.
    """
    from printcheck import footnote_facts

    facts = footnote_facts(built.pdf)
    assert (facts.markers, facts.notes, facts.distinct_numbers) == (19, 19, 19)
    assert facts.markers_without_note == facts.notes_before_marker == facts.glued == 0
    assert facts.note_sequence_breaks == facts.marker_sequence_breaks == 0


def test_check_strict_lists_exactly_the_published_discrepancies() -> None:
    from esgpress.checks.run import check_project

    result = check_project(EXAMPLE)
    findings = sorted(
        (p.severity, p.message.split(":")[0] if p.severity != "acknowledged" else p.message[:60])
        for p in result.problems
    )
    assert not result.failed(strict=True), [str(p) for p in result.problems]
    acknowledged = [p.message for p in result.problems if p.severity == "acknowledged"]
    assert len(acknowledged) == 7, findings
    expected = [
        "'env.water.withdrawal' is 683,906.94 (difference +3,546.81)",
        "'soc.workforce.total' is 35,997 (difference -20)",
        "'soc.workforce.total' is 33,415 (difference +2,000)",
        "lies in 10.96–10.97, but 'soc.turnover.rate' is 11.98",
        "lies in 98.11–98.12, but 'soc.training.pct_trained.total' is 98.13",
        "lies in 32.65–32.66, but 'soc.training.avg_hours.total' is 30.17",
        "indicator 'soc.ohs.fatality_rate' 2020: published 0.0045",
    ]
    for text in expected:
        assert any(text in m for m in acknowledged), text


def test_internal_denominators_are_not_published(built: Built) -> None:
    """Revenue and the derived weight are used by formulas and checks, printed nowhere."""
    for html in (built.site_html, built.data_html):
        assert 'data-kpi="fin.revenue"' not in html
        assert 'data-kpi="soc.workforce.share_region.outside_china"' not in html
    assert 'data-kpi="env.intensity.energy_per_revenue"' in built.data_html


def test_targets_table_as_the_2023_report_prints_it(built: Built) -> None:
    """The four areas, the report's own column headers, several targets in one cell, notes in
    the report's reading order (its notes 79, 80, 81 in the 2023 targets, 83 in the progress
    cell, 82 in the 2024 targets), and the targets' figures; in the site and in the PDF text."""
    html = built.site_html
    table = html[html.index('<table class="targets-table">') :].split("</table>")[0]
    heads = re.findall(r'<th scope="col">([^<]+)</th>', table)
    assert heads == ["领域", "2023 年目标", "本年度目标完成情况", "2024 年目标"]
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == [
        "能源",
        "温室气体",
        "水",
        "废弃物",
    ]
    ghg = table.split('<th scope="row">温室气体</th>')[1].split("</tr>")[0]
    cells = re.findall(r"<td>(.*?)</td>", ghg, re.S)
    assert [c.count("<li>") for c in cells] == [4, 0, 4]
    notes = re.findall(r'data-note="([a-z_]+)"', ghg)
    assert notes == [
        "main_business",
        "emissions_def",
        "base_year",
        "climate_page",
        "existing_business",
    ]
    text = re.sub(r"<[^>]+>", "", table)
    for figure in ("2.5%", "30%", "2%", "100%", "36.85%", "50,000 立方米", "38,000 吨", "44%"):
        assert figure in text, figure
    pdf = built.pdf_text
    assert re.search(r"^领域\s{2,}2023 年目标\s{2,}本年度目标完成情况\s{2,}2024 年目标$", pdf, re.M)
    for start in ("能源", "温室气体", "水", "废弃物"):
        assert re.search(rf"^{start}\s{{2,}}\S", pdf, re.M), start
    # Cells wrap within their column: pdftotext prints the columns' lines side by side.
    flat = re.sub(r"\s+", "", pdf)
    assert "36.85%，节水目标已达成。" in flat and "44%。" in flat
    assert "•2030年前，主营业务8排放量9降到" in flat  # the notes called in the cell: 8, 9
    assert "•2035年，自身运营100%" in flat


def test_certifications_table(built: Built) -> None:
    """The certifications and their scope: a Markdown table in the chapter, five standards."""
    html = built.site_html.replace("&nbsp;", " ").replace("\xa0", " ")
    pdf = built.pdf_text.replace("\xa0", " ")
    rows = re.findall(r"<tr>\s*<td>(ISO \d+)</td>\s*<td>([^<]+)</td>", html)
    assert [r[0] for r in rows] == ["ISO 37001", "ISO 27001", "ISO 14001", "ISO 45001", "ISO 50001"]
    assert rows[0][1] == "小米集团" and rows[2][1] == rows[3][1]
    for standard in ("ISO 37001", "ISO 27001"):
        # The standard stays on one line (ISO&nbsp;37001), its scope beside it.
        assert re.search(rf"^\s*{standard}\s+小米集团$", pdf, re.M)
    assert re.search(r"^\s*ISO 50001\s+手机及 IoT", pdf, re.M)
