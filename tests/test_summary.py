"""The standing components and the executive summary, on a copy of the sample project.

- the materiality matrix: no two labels (and no label and dot) meet, measured
  again from the written SVG, in all three editions; a ranked list where the
  data has no scores;
- the loader: unknown KPIs and ratings in data/topics.yaml, with file:line:col;
- one record, no drift: a planted qualifier conflict (超 vs 近), unit conflict
  (人 vs 人次) and an unsupported tile figure, with file:line of both places;
- the summary holds no typed figure: rendered with every figure function
  blanked out, no digit is left but the report year and SDG goal numbers;
- the summary PDFs (dist/<slug>-<year>-summary-<edition>.pdf, at most 12
  pages, tiles as text) and the site's summary page.
"""

from __future__ import annotations

import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from esgpress.checks.run import check_project
from esgpress.checks.summary import check_summary
from esgpress.core.errors import EsgError
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS, Topic
from esgpress.editions.i18n import Localizer
from esgpress.render import vocabulary
from esgpress.render.materiality import (
    BOTTOM,
    DOT,
    LEFT,
    RIGHT,
    TOP,
    matrix_svg,
    overlaps,
    text_box,
)
from esgpress.render.renderer import render_source
from esgpress.render.summary import render_summary

ROOT = Path(__file__).resolve().parent.parent
SVG = "{http://www.w3.org/2000/svg}"


def sample_copy(dest: Path) -> Path:
    """A writable copy of the sample project (data, chapters, templates, site config)."""
    for name in ("data", "content", "templates"):
        shutil.copytree(ROOT / name, dest / name)
    shutil.copy(ROOT / "mkdocs.yml", dest / "mkdocs.yml")
    return dest


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_copy(tmp_path_factory.mktemp("sample"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def label_boxes(svg: str, edition: str) -> tuple[list[tuple[float, ...]], list[tuple[float, ...]]]:
    """Re-measure every label and dot of a written matrix SVG."""
    tree = ET.fromstring(svg)
    labels = []
    for text in tree.iter(f"{SVG}text"):
        if text.get("class") != "matrix-label":
            continue
        lines = [span.text or "" for span in text.iter(f"{SVG}tspan")]
        labels.append(
            text_box(
                lines,
                float(text.get("x", 0)),
                float(text.get("y", 0)),
                text.get("text-anchor", "start"),
                edition,
            )
        )
    dots = [
        (
            float(c.get("cx", 0)) - DOT,
            float(c.get("cy", 0)) - DOT,
            float(c.get("cx", 0)) + DOT,
            float(c.get("cy", 0)) + DOT,
        )
        for c in tree.iter(f"{SVG}circle")
        if c.get("data-topic")
    ]
    return labels, dots


@pytest.mark.parametrize("edition", EDITIONS)
def test_matrix_labels_never_overlap(edition: str) -> None:
    dataset, _ = load_project(ROOT)
    topics = dataset.components.topics
    svg = matrix_svg(topics, Localizer(dataset, edition), "matrix")
    labels, dots = label_boxes(svg, edition)
    assert len(labels) == len(dots) == 14
    for a, b in itertools.combinations(labels, 2):
        assert not overlaps(a, b), (a, b)
    for box in labels:
        assert box[0] >= LEFT and box[2] <= RIGHT and box[1] >= TOP and box[3] <= BOTTOM
        assert not any(overlaps(box, dot) for dot in dots), box


@pytest.mark.parametrize("edition", EDITIONS)
def test_matrix_of_crowded_topics_places_every_label_apart(edition: str) -> None:
    """Twenty topics packed into one corner: labels move out (with leaders) but never meet."""
    dataset, _ = load_project(ROOT)
    base = dataset.components.topics
    crowded = [
        replace(
            t,
            id=f"{t.id}{i}",
            impact=Decimal(4) + Decimal(k % 5) / 10,
            financial=Decimal(4) + Decimal(k // 5) / 10,
        )
        for k, (i, t) in enumerate(itertools.product(range(2), base[:10]))
    ]
    crowded += [replace(base[0], id="far", impact=Decimal(1), financial=Decimal(1))]
    svg = matrix_svg(crowded, Localizer(dataset, edition), "matrix")
    labels, _dots = label_boxes(svg, edition)
    assert len(labels) == len(crowded)
    for a, b in itertools.combinations(labels, 2):
        assert not overlaps(a, b)
    assert "<line " in svg  # some labels needed a leader line


def test_labels_that_find_no_room_become_a_numbered_key() -> None:
    """84 topics on top of each other: no traceback; the labels that cannot be
    placed print as numbers beside their dots and a numbered key under the plot."""
    dataset, _ = load_project(ROOT)
    base = dataset.components.topics
    crowded = [
        replace(t, id=f"{t.id}{i}", impact=Decimal(4), financial=Decimal(4), rank=None)
        for i, t in itertools.product(range(7), base[:12])
    ]
    loc = Localizer(dataset, "en")
    svg = matrix_svg(crowded, loc, "matrix")
    tree = ET.fromstring(svg)
    labels, _dots = label_boxes(svg, "en")
    assert len(labels) == len(crowded)
    for a, b in itertools.combinations(labels, 2):
        assert not overlaps(a, b)
    marks = {
        t.get("data-topic"): "".join(t.itertext())
        for t in tree.iter(f"{SVG}text")
        if t.get("class") == "matrix-label"
    }
    keys = [
        "".join(t.itertext()) for t in tree.iter(f"{SVG}text") if t.get("class") == "matrix-key"
    ]
    assert keys, "some labels should have needed the key"
    by_number = {v: k for k, v in marks.items()}
    for n, line in enumerate(keys, 1):
        number, name = line.split("  ", 1)
        assert number == str(n)
        topic = next(t for t in crowded if t.id == by_number[number])
        assert loc.text(topic.label) == name
    assert float(tree.get("height", "0")) > 450  # the key extends the drawing


def test_a_matrix_with_no_room_even_for_numbers_is_a_message(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A plot too small for even the key numbers: a message naming the topics, no traceback."""
    from esgpress.render import materiality

    dataset, _ = load_project(ROOT)
    monkeypatch.setattr(materiality, "RIGHT", materiality.LEFT + 60)
    monkeypatch.setattr(materiality, "BOTTOM", materiality.TOP + 60)
    with pytest.raises(EsgError, match=r"the materiality matrix has no room for the labels of '"):
        matrix_svg(dataset.components.topics, Localizer(dataset, "zh-Hans"), "matrix")


def test_the_matrix_is_written_for_site_and_print_and_says_the_scores_are_illustrative(
    sample: Path,
) -> None:
    dataset, _ = load_project(sample)
    out = render_source(sample, dataset, "zh-Hant", "{{ materiality_matrix() }}")
    assert out.startswith(
        '<figure class="chart matrix" markdown="0"><img src="charts/materiality-matrix.svg" '
        'alt="重要性議題矩陣">'
    )
    assert "矩陣中的議題位置為示意" in out


def test_without_scores_the_matrix_is_a_ranked_list(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(root / "data" / "topics.yaml", "scores: illustrative", "scores: none")
    dataset, _ = load_project(root)
    out = render_source(root, dataset, "en", "{{ materiality_matrix() }}")
    items = re.findall(r'<li value="(\d+)" data-topic="([a-z_]+)">', out)
    assert [int(v) for v, _ in items] == list(range(1, 15))
    assert items[0][1] == "product_quality"
    assert "<img" not in out


def test_topics_file_errors_have_positions(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(
        root / "data" / "topics.yaml",
        "kpi: soc.training.attendances,",
        "kpi: soc.training.atendances,",
    )
    edit(root / "data" / "topics.yaml", "rating: msci}", "rating: mcsi}")
    edit(root / "data" / "topics.yaml", "sdgs: [14, 15]", "sdgs: [14, 18]")
    messages = [str(p) for p in check_project(root, content=False).problems.errors]
    text = (root / "data" / "topics.yaml").read_text(encoding="utf-8").split("\n")
    line = next(i for i, s in enumerate(text, 1) if "soc.training.atendances" in s)
    col = text[line - 1].index("soc.training.atendances") + 1
    assert (
        f"data/topics.yaml:{line}:{col}: topic 'talent_care' tile figure kpi: unknown KPI "
        "'soc.training.atendances' (did you mean soc.training.attendances, "
        "soc.training.trained_share.overall or soc.training.avg_hours.by_gender.male?)"
    ) in messages
    assert any(m.endswith("unknown rating 'mcsi' (did you mean msci?)") for m in messages)
    assert any(
        "topic 'biodiversity' sdgs should be a whole number from 1 to 17, not '18'" in m
        for m in messages
    )


# ---------------------------------------------------------------- one record, no drift


def drift(root: Path, whole_check: bool = False) -> list[str]:
    """The tile findings of ``esgpress check``: its summary step alone, or the whole check."""
    if whole_check:
        problems = list(check_project(root).problems)
    else:
        problems = check_summary(root, load_project(root)[0])
    return [str(p) for p in problems if p.code.startswith("tile-")]


def topics_line(root: Path, needle: str) -> tuple[int, int]:
    lines = (root / "data" / "topics.yaml").read_text(encoding="utf-8").split("\n")
    line = next(i for i, s in enumerate(lines, 1) if needle in s)
    return line, lines[line - 1].index("{") + 1


def test_the_sample_has_no_drift(sample: Path) -> None:
    assert drift(sample) == []


def test_a_qualifier_conflict_names_both_places(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(
        root / "content" / "zh" / "summary.md",
        '- 全年培训{{ kpi("soc.training.attendances", compact=True) }}，',
        "- 全年培训近141.66万人次，",
    )
    line, col = topics_line(root, "kpi: soc.training.attendances")
    assert drift(root) == [
        "content/zh/summary.md:54:7: '近141.66万人次' contradicts the tile figure "
        f"'141.66万人次' of topic 'talent_care' (data/topics.yaml:{line}:{col}): "
        "qualifier 无修饰 vs 近; "
        'cite {{ kpi("soc.training.attendances") }} so both print one record'
    ]


def test_a_unit_conflict_names_both_places(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(
        root / "content" / "zh" / "summary.md",
        '- 全年培训{{ kpi("soc.training.attendances", compact=True) }}，',
        "- 全年培训141.66万人，",
    )
    line, col = topics_line(root, "kpi: soc.training.attendances")
    assert drift(root) == [
        "content/zh/summary.md:54:7: '141.66万人' contradicts the tile figure "
        f"'141.66万人次' of topic 'talent_care' (data/topics.yaml:{line}:{col}): "
        'unit 人次 vs 人; cite {{ kpi("soc.training.attendances") }} so both print one record'
    ]


def test_a_value_conflict_names_both_places(tmp_path: Path) -> None:
    """The body names the tile's fact (全年培训) in the tile's unit with another value."""
    root = sample_copy(tmp_path)
    edit(
        root / "content" / "zh" / "summary.md",
        '- 全年培训{{ kpi("soc.training.attendances", compact=True) }}，',
        "- 全年培训150万人次，",
    )
    line, col = topics_line(root, "kpi: soc.training.attendances")
    assert drift(root, whole_check=True) == [
        "content/zh/summary.md:54:7: '150万人次' contradicts the tile figure "
        f"'141.66万人次' of topic 'talent_care' (data/topics.yaml:{line}:{col}): "
        "value 141.66万 vs 150万 for '全年培训'; "
        'cite {{ kpi("soc.training.attendances") }} so both print one record'
    ]


def test_a_value_conflict_in_english_names_both_places(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(
        root / "content" / "en" / "summary.md",
        '- {{ kpi("soc.training.attendances", compact=True) }} of training',
        "- Training in the year: 1.5 million attendances of training",
    )
    line, col = topics_line(root, "kpi: soc.training.attendances")
    assert drift(root) == [
        "content/en/summary.md:54:25: '1.5 million attendances' contradicts the tile figure "
        f"'1.42 million attendances' of topic 'talent_care' (data/topics.yaml:{line}:{col}): "
        "value 1.42 million vs 1.5 million for 'training in the year'; "
        'cite {{ kpi("soc.training.attendances") }} so both print one record'
    ]


def test_over_against_nearly_and_persons_against_attendances_together(tmp_path: Path) -> None:
    """The published summary's own case: the tile says 超…人, the body 近…人次."""
    root = sample_copy(tmp_path)
    edit(
        root / "data" / "kpis.yaml",
        "values: {2024: 1416603}",
        "values: {2024: {value: 1416603, qualifier: over}}",
    )
    edit(
        root / "content" / "en" / "summary.md",
        '- {{ kpi("soc.training.attendances", compact=True) }} of training',
        "- nearly 1.42 million persons of training",
    )
    found = drift(root)
    assert len(found) == 1
    assert found[0].startswith(
        "content/en/summary.md:54:3: 'nearly 1.42 million persons' contradicts"
    )
    assert "qualifier over vs nearly; unit attendances vs persons" in found[0]


def test_a_tile_figure_the_body_never_cites_is_a_warning(tmp_path: Path) -> None:
    root = sample_copy(tmp_path)
    edit(
        root / "data" / "kpis.yaml",
        "      - id: comm.volunteer_hours\n",
        "      - id: comm.tile_only\n        label: {zh: 仅见于磁贴, en: Only on a tile}\n"
        "        unit: persons\n        decimals: 0\n        values: {2024: 5150}\n\n"
        "      - id: comm.volunteer_hours\n",
    )
    edit(root / "data" / "topics.yaml", "kpi: comm.volunteers}", "kpi: comm.tile_only}")
    line, col = topics_line(root, "kpi: comm.tile_only")
    assert drift(root) == [
        f"data/topics.yaml:{line}:{col}: warning: tile figure '5,150 人' (comm.tile_only) of topic "
        "'community': no support in the body (content/zh/: neither the chapters nor the summary "
        "cite it or print its value)",
        f"data/topics.yaml:{line}:{col}: warning: tile figure '5,150 persons' (comm.tile_only) of "
        "topic 'community': no support in the body (content/en/: neither the chapters nor the "
        "summary cite it or print its value)",
    ]


# ---------------------------------------------------------------- no typed figure


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_figure_of_the_summary_comes_from_the_data(
    sample: Path, edition: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Blank out every function that prints a figure: no digit may be left in the summary.

    What remains is the report year (headings), SDG goal numbers and the
    ratings table's years, which are data too (data/ratings.yaml).
    """
    dataset, _ = load_project(sample)
    for name in ("kpi", "change", "label", "report_year", "report_title"):
        monkeypatch.setattr(vocabulary.ChapterVocabulary, name, lambda self, *a, **k: "¤")
    monkeypatch.setattr(vocabulary.ChapterVocabulary, "_tile_figure", lambda self, fig: "¤")
    _renderer, (chapter,) = render_summary(sample, dataset, edition)
    text = re.sub(r'<span class="sdg[^"]*"[^>]*>\d+</span>', "", chapter.markdown)
    text = re.sub(r'<table class="ratings-table">.*?</table>', "", text, flags=re.S)
    text = re.sub(r"<[^>]+>|\{#[\w.\-]+\}", "", text)
    text = text.replace("MiLM2", "").replace("HyperOS 2", "")
    assert re.findall(r"\d+", text) == []
    assert text.count("¤") > 30


# ---------------------------------------------------------------- the outputs


@pytest.fixture(scope="module")
def summaries(sample: Path) -> dict[str, Path]:
    from esgpress.pdf.summary import build_summary_pdfs

    dataset, _ = load_project(sample)
    return build_summary_pdfs(sample, dataset)


def pdf_text(pdf: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_summary_pdfs_are_written_for_every_edition(
    sample: Path, summaries: dict[str, Path]
) -> None:
    assert {e: p.relative_to(sample).as_posix() for e, p in summaries.items()} == {
        e: f"dist/xiaomi-esg-2024-summary-{e}.pdf" for e in EDITIONS
    }
    for edition, pdf in summaries.items():
        pages = pdf_text(pdf).count("\f")
        assert 4 <= pages <= 12, (edition, pages)


@pytest.mark.parametrize(
    ("edition", "heading"),
    [("zh-Hant", "ESG評級與榮譽"), ("zh-Hans", "ESG 评级与荣誉"), ("en", "ESG ratings and awards")],
)
def test_summary_pages_are_full_and_the_ratings_keep_their_heading(
    summaries: dict[str, Path], edition: str, heading: str
) -> None:
    """No half-empty page between the cover and the last page; the ratings heading
    is on the page of the whole ratings table; every page is portrait."""
    import pikepdf

    pages = pdf_text(summaries[edition]).split("\f")[:-1]
    lines = [sum(1 for line in page.splitlines() if line.strip()) for page in pages]
    assert all(n >= 20 for n in lines[1:-1]), lines
    with_heading = [i for i, page in enumerate(pages) if heading in " ".join(page.split())]
    assert len(with_heading) == 1
    assert "DigiTwin" in pages[with_heading[0]] and "MSCI" in pages[with_heading[0]]
    with pikepdf.open(summaries[edition]) as pdf:
        for page in pdf.pages:
            box = [float(v) for v in page.mediabox]
            assert box[3] - box[1] > box[2] - box[0]  # portrait


@pytest.mark.parametrize(
    ("edition", "figures"),
    [
        ("zh-Hant", ["141.66萬人次", "241億元", "超30%/超40%", "↑ 56.41%", "三星 最高等級", "BBB"]),
        ("zh-Hans", ["141.66 万人次", "241 亿元", "19,698.15 吨", "超 130 万台", "9.1 分"]),
        ("en", ["1.42 million attendances", "RMB 24.1 billion", "over 30%/over 40%", "↑ 56.41%"]),
    ],
)
def test_tiles_print_their_figures_as_text(
    summaries: dict[str, Path], edition: str, figures: list[str]
) -> None:
    text = " ".join(pdf_text(summaries[edition]).split())
    for figure in figures:
        assert figure in text, figure


def test_the_site_has_a_summary_page_in_every_language(
    sample: Path, summaries: dict[str, Path]
) -> None:
    from esgpress.site.generate import render_and_generate
    from esgpress.site.paths import SitePaths

    paths = SitePaths.for_project(sample)
    render_and_generate(sample, paths)
    for edition in EDITIONS:
        page = (paths.docs_dir / edition / "summary.md").read_text(encoding="utf-8")
        assert '<div class="topic-map" markdown="0">' in page
        assert (paths.docs_dir / edition / "charts" / "materiality-matrix.svg").is_file()
        # the same SVG on the site and in print (the PDF reads build/render/<edition>/)
        for svg in (sample / "build" / "render" / edition / "charts").glob("*.svg"):
            site = paths.docs_dir / edition / "charts" / svg.name
            assert site.read_bytes() == svg.read_bytes(), svg.name
    meta = (paths.docs_dir / ".esgpress.json").read_text(encoding="utf-8")
    assert '"報告摘要": "summary.md"' in meta and '"Summary": "summary.md"' in meta


STATEMENT = (
    "致小米集团董事会：\n\n"
    '我们对2024年报告中的33项指标执行了鉴证工作，范围为“合理保证”与"有限保证"。\n\n'
    'In our opinion the 33 indicators are "fairly stated" -- it\'s 100% so.\n'
)


@pytest.fixture(scope="module")
def with_statement(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with an assurer's statement file, printed in the summary and the report."""
    root = sample_copy(tmp_path_factory.mktemp("statement"))
    (root / "data" / "assurance-statement.txt").write_text(STATEMENT, encoding="utf-8")
    edit(
        root / "data" / "report.yaml",
        "  standard: AA1000AS v3\n",
        "  standard: AA1000AS v3\n  statement: assurance-statement.txt\n",
    )
    chart = '{{ chart(["env.ghg.scope1", "env.ghg.scope2"], kind="stacked", title="GHG") }}'
    for lang in ("zh", "en"):
        path = root / "content" / lang / "summary.md"
        path.write_text(
            path.read_text(encoding="utf-8") + f"\n{{{{ assurance_statement() }}}}\n\n{chart}\n",
            encoding="utf-8",
        )
    return root


def verbatim_paragraphs() -> list[str]:
    return [p.strip() for p in STATEMENT.split("\n\n")]


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_assurers_statement_is_printed_verbatim_on_the_site(
    with_statement: Path, edition: str
) -> None:
    """No house style and no conversion: zh-Hant keeps “”, zh-Hans gets no added spaces."""
    from html import unescape

    from esgpress.site.generate import render_and_generate
    from esgpress.site.paths import SitePaths

    paths = SitePaths.for_project(with_statement)
    if not (paths.docs_dir / edition / "about.md").is_file():
        render_and_generate(with_statement, paths)
    page = (paths.docs_dir / edition / "about.md").read_text(encoding="utf-8")
    block = re.search(r'<div class="assurance-statement-text">(.*?)</div>', page, re.S)
    assert block is not None
    assert [unescape(p) for p in re.findall(r"<p>(.*?)</p>", block.group(1), re.S)] == (
        verbatim_paragraphs()
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_assurers_statement_is_printed_verbatim_in_the_pdf(
    with_statement: Path, edition: str
) -> None:
    from esgpress.pdf.summary import build_summary_pdfs

    dataset, _ = load_project(with_statement)
    pdf = build_summary_pdfs(with_statement, dataset, [edition])[edition]
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for paragraph in verbatim_paragraphs():
        assert re.sub(r"\s+", "", paragraph) in text, paragraph


def figure_alts(pdf: Path) -> list[str]:
    """The /Alt of every Figure structure element of a tagged PDF."""
    import pikepdf

    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure" and "/Alt" in node:
                found.append(str(node["/Alt"]))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                walk(kid)

    with pikepdf.open(pdf) as doc:
        walk(doc.Root.StructTreeRoot)
    return found


@pytest.mark.parametrize(
    ("edition", "alt"),
    [
        (
            "en",
            "GHG, 2022–2024: Scope 1 GHG emissions: 7,122.60; 12,252.52; 31,295.64 tCO2e. "
            "Scope 2 GHG emissions: 78,620.01; 104,470.04; 178,419.13 tCO2e",
        ),
        (
            "zh-Hant",
            "GHG，2022–2024年：GHG範圍1排放量：7,122.60；12,252.52；31,295.64噸二氧化碳當量。"
            "GHG範圍2排放量：78,620.01；104,470.04；178,419.13噸二氧化碳當量",
        ),
    ],
)
def test_a_charts_figure_alt_in_the_pdf_states_its_figures(
    with_statement: Path, edition: str, alt: str
) -> None:
    """PDF/UA 7.3: the Figure's alternate text says what the chart shows, in the edition."""
    from esgpress.pdf.summary import build_summary_pdfs

    dataset, _ = load_project(with_statement)
    pdf = build_summary_pdfs(with_statement, dataset, [edition])[edition]
    assert alt in figure_alts(pdf)


def test_topic_is_a_known_topic(sample: Path) -> None:
    dataset, _ = load_project(sample)
    with pytest.raises(Exception, match=r"unknown topic 'climat' \(did you mean climate\?\)"):
        render_source(sample, dataset, "en", '{% call topic("climat") %}x{% endcall %}')
    assert isinstance(dataset.components.topics[0], Topic)
