"""Rendered chapters per edition against golden files, and the render's guarantees."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from conftest import SAMPLE, copy_project, edit
from esgpress.cli import main
from esgpress.data.loader import load_project
from esgpress.render.write import render_edition

GOLDEN = Path(__file__).parent / "golden"
EDITIONS = ("zh-Hant", "zh-Hans", "en")


def assert_golden(got: str, golden: Path, update: bool) -> None:
    """Compare a render with its golden file (or rewrite it with --update-golden)."""
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    want = golden.read_text(encoding="utf-8")
    assert got == want, "".join(
        difflib.unified_diff(want.splitlines(True), got.splitlines(True), "golden", "got")
    )


@pytest.mark.parametrize("edition", EDITIONS)
def test_rendered_chapter_matches_golden(edition: str, mini: Path, update_golden: bool) -> None:
    dataset, _ = load_project(mini)
    out = render_edition(mini, dataset, edition)
    got = (out / "climate.md").read_text(encoding="utf-8")
    golden = GOLDEN / edition / "climate.md"
    assert_golden(got, golden, update_golden)


@pytest.fixture(scope="module")
def sample_render(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every chapter of the sample report, rendered once per edition."""
    dataset, _ = load_project(SAMPLE)
    out = tmp_path_factory.mktemp("sample-render")
    return {e: render_edition(SAMPLE, dataset, e, out / e) for e in EDITIONS}


SAMPLE_CHAPTERS = sorted(p.stem for p in (SAMPLE / "content" / "zh").glob("*.md"))


@pytest.mark.parametrize("chapter", SAMPLE_CHAPTERS)
@pytest.mark.parametrize("edition", EDITIONS)
def test_sample_chapter_matches_golden(
    edition: str, chapter: str, sample_render: dict[str, Path], update_golden: bool
) -> None:
    """The sample's chapters as rendered: a change in any figure, word or markup shows here.

    The executive summary (content/zh/summary.md) renders into its own folder.
    """
    folder = sample_render[edition] / ("summary" if chapter == "summary" else "")
    got = (folder / f"{chapter}.md").read_text(encoding="utf-8")
    golden = GOLDEN / "sample" / edition / f"{chapter}.md"
    assert_golden(got, golden, update_golden)


def test_render_from_stdin_per_edition(mini: Path) -> None:
    runner = CliRunner()
    out = {}
    for edition in EDITIONS:
        res = runner.invoke(
            main,
            ["--project", str(mini), "render", "--lang", edition, "-"],
            input='{{ kpi("env.energy.total") }}',
        )
        assert res.exit_code == 0, res.output
        out[edition] = res.output
    assert out == {"zh-Hant": "300.00兆瓦時", "zh-Hans": "300.00 兆瓦时", "en": "300.00 MWh"}


def test_unknown_kpi_names_file_line_and_suggestion(mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    chapter.write_text(
        chapter.read_text(encoding="utf-8") + '\n\n{{ kpi("env.energy.totl") }}\n', encoding="utf-8"
    )
    res = CliRunner().invoke(main, ["--project", str(mini), "check"])
    assert res.exit_code == 1
    assert (
        "content/zh/climate.md:14: unknown KPI 'env.energy.totl' "
        "(did you mean env.energy.total, env.energy.direct or env.energy.indirect?)"
    ) in res.output


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ config }}",
        "{{ self }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ kpi.__globals__ }}",
        "{{ range(10) }}",
    ],
)
def test_sandbox_refuses_internals(source: str, mini: Path) -> None:
    res = CliRunner().invoke(
        main, ["--project", str(mini), "render", "--lang", "zh-Hans", "-"], input=f"x\n{source}\n"
    )
    assert res.exit_code == 1
    assert res.output.startswith("<stdin>:2: ")
    assert "Traceback" not in res.output


def test_footnotes_number_through_the_edition(mini: Path) -> None:
    dataset, _ = load_project(mini)
    out = render_edition(mini, dataset, "en")
    text = (out / "climate.md").read_text(encoding="utf-8")
    # the prose call and the segment column header: two calls, two numbers, one note each
    assert '<li id="fn-1" value="1" data-note="seg">Segment scope note.</li>' in text
    assert '<li id="fn-2" value="2" data-note="seg">Segment scope note.</li>' in text
    assert text.count('href="#fn-1"') == 1 and text.count('href="#fn-2"') == 1


def test_data_text_is_escaped(mini: Path) -> None:
    kpis = mini / "data" / "kpis.yaml"
    edit(kpis, "en: Total energy}", "en: Total <script>alert(1)</script>}")
    dataset, _ = load_project(mini)
    text = (render_edition(mini, dataset, "en") / "climate.md").read_text(encoding="utf-8")
    assert "<script>" not in text
    assert "Total &lt;script&gt;alert(1)&lt;/script&gt;" in text


def test_heading_titles_fill_in_report_facts(mini: Path) -> None:
    zh = mini / "content" / "zh" / "climate.md"
    zh.write_text(
        zh.read_text(encoding="utf-8")
        + (
            "\n## {{ report_year() }}年要点 {#climate.highlights}\n\n"
            "{{ xref('climate.highlights') }}\n"
        ),
        encoding="utf-8",
    )
    dataset, problems = load_project(mini)
    assert not problems.errors
    out = render_edition(mini, dataset, "zh-Hant", mini / "out")
    manifest = (out / "manifest.json").read_text(encoding="utf-8")
    assert '"title": "2024年要點"' in manifest
    assert "[2024年要點](climate.md#climate.highlights)" in (out / "climate.md").read_text(
        encoding="utf-8"
    )


def test_heading_with_a_figure_is_refused(mini: Path) -> None:
    zh = mini / "content" / "zh" / "climate.md"
    zh.write_text(
        zh.read_text(encoding="utf-8") + '\n## 能耗{{ kpi("env.energy.total") }} {#climate.x}\n',
        encoding="utf-8",
    )
    res = CliRunner().invoke(main, ["--project", str(mini), "render", "--lang", "zh-Hans", str(zh)])
    assert res.exit_code == 1
    assert (
        "content/zh/climate.md:13: heading 'climate.x': 'kpi' is undefined; a heading can use "
        "only report_year(), company(), report_title(), footnote() and disclosure()"
    ) in res.output


def targets_table_after_edit(tmp_path: Path, old: str, new: str, target: str) -> tuple[Result, int]:
    """Edit a target text of the print fixture, render targets_table(); return result and line.

    The line is where ``- id: <target>`` stands in data/kpis.yaml.
    """
    project = copy_project("print", tmp_path / "print")
    kpis = project / "data" / "kpis.yaml"
    text = kpis.read_text(encoding="utf-8")
    edit(kpis, old, new, 1)
    line = next(n for n, t in enumerate(text.splitlines(), 1) if f"- id: {target}" in t)
    res = CliRunner().invoke(
        main,
        ["--project", str(project), "render", "--lang", "zh-Hans", "-"],
        input="{{ targets_table() }}",
    )
    return res, line


def test_a_bad_target_text_is_reported_at_its_data_line(tmp_path: Path) -> None:
    res, line = targets_table_after_edit(
        tmp_path, 'kpi("env.ghg.scope1")', 'kpi("env.ghg.scop1")', "ghg.own"
    )
    assert res.exit_code == 1
    assert (
        f"data/kpis.yaml:{line}: unknown KPI 'env.ghg.scop1' (did you mean env.ghg.scope1"
    ) in res.output


def test_a_segment_without_a_figure_is_a_missing_cell(mini: Path) -> None:
    res = CliRunner().invoke(
        main,
        ["--project", str(mini), "render", "--lang", "en", "-"],
        input='{{ kpi_table("env.energy", years=[2024]) }}',
    )
    assert res.exit_code == 0, res.output
    row = next(line for line in res.output.splitlines() if 'data-kpi="env.energy.direct"' in line)
    assert row.endswith(
        '<td class="num">100.00</td><td class="missing not_reported">—</td>'
        '<td class="missing not_reported">—</td></tr>'
    ), row


def test_a_target_text_is_held_to_the_chapter_language(tmp_path: Path) -> None:
    res, line = targets_table_after_edit(
        tmp_path,
        "next: {zh: 扩大绿电采购,",
        "next: {zh: '{% for i in [1] %}{{ targets_table() }}{% endfor %}',",
        "energy.renewable",
    )
    assert res.exit_code == 1
    assert (
        f"data/kpis.yaml:{line}: target 'energy.renewable': a chapter cannot use {{% for %}} loops"
    ) in res.output
    assert "RecursionError" not in res.output


class Recorder:
    """A BuildReporter that keeps what the pipeline reports."""

    def __init__(self) -> None:
        self.events: list[tuple[str, str]] = []

    def problem(self, problem: object) -> None:
        self.events.append(("problem", str(problem)))

    def checked(self, summary: str) -> None:
        self.events.append(("checked", summary))

    def pdf_written(self, path: Path) -> None:
        self.events.append(("pdf", str(path)))

    def site_built(self, summary: str) -> None:
        self.events.append(("site", summary))


def test_a_failed_check_stops_the_pipeline_before_any_output(mini: Path) -> None:
    from esgpress.pipeline import build_all

    chapter = mini / "content" / "zh" / "climate.md"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n{{ kpi("no.such") }}\n', "utf-8")
    recorder = Recorder()
    assert build_all(mini, True, recorder) is False
    kinds = [kind for kind, _ in recorder.events]
    assert kinds[-1] == "checked" and "problem" in kinds
    assert any(
        "content/zh/climate.md" in text for kind, text in recorder.events if kind == "problem"
    )
    assert not (mini / "dist").exists() and not (mini / "site").exists()


def test_find_root_walks_up_from_the_folder_given(mini: Path) -> None:
    from esgpress.core.errors import EsgError
    from esgpress.pipeline import find_root

    assert find_root(mini / "content" / "zh") == mini.resolve()
    with pytest.raises(EsgError, match="no esgpress project here"):
        find_root(mini.parent)
