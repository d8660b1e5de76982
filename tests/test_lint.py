"""Chapter lints: typed figures, parity, stale translations."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from conftest import copy_project, edit, save_as_windows
from esgpress.checks.run import check_project
from esgpress.cli import main


def messages(root: Path, code: str) -> list[str]:
    return [str(p) for p in check_project(root).problems if p.code == code]


def test_typed_figures_are_flagged_but_codes_are_not(mini: Path) -> None:
    ch = mini / "content" / "zh" / "climate.md"
    ch.write_text(
        ch.read_text(encoding="utf-8")
        + (
            "\n我们节约了1,234.5吨，符合ISO 14064与GB 31241-2022。比例为1.18。"
            "<!-- esgpress: allow 1.18 -->\n"
        ),
        encoding="utf-8",
    )
    assert messages(mini, "typed-number") == [
        "content/zh/climate.md:13:6: warning: typed figure '1,234.5': "
        'use kpi("…") so the number comes from the data '
        "(or allow it with <!-- esgpress: allow 1,234.5 -->)"
    ]


def test_parity_warns_naming_both_files(mini: Path) -> None:
    ch = mini / "content" / "en" / "climate.md"
    edit(ch, ' Segment A used {{ kpi("env.energy.total", segment="a") }}.', "")
    edit(ch, 'energy per revenue was {{ kpi("env.intensity.energy_per_revenue") }}', "energy fell")
    assert messages(mini, "parity") == [
        "content/en/climate.md: warning: cites no 'env.intensity.energy_per_revenue', "
        "which content/zh/climate.md cites: the editions would state different facts"
    ]


def test_stale_translation_and_diff_source(mini: Path) -> None:
    runner = CliRunner()
    en = mini / "content" / "en" / "climate.md"
    res = runner.invoke(main, ["--project", str(mini), "mark-reviewed", str(en)])
    assert res.exit_code == 0, res.output
    assert messages(mini, "stale") == []
    zh = mini / "content" / "zh" / "climate.md"
    edit(zh, "工厂完成照明改造", "工厂完成照明与空调改造")
    assert len(messages(mini, "stale")) == 1
    res = runner.invoke(main, ["--project", str(mini), "diff-source", str(en)])
    assert "-工厂完成照明改造" in res.output and "+工厂完成照明与空调改造" in res.output


def test_a_source_saved_with_windows_line_ends_is_not_stale_once_reviewed(mini: Path) -> None:
    """mark-reviewed hashes the source as check reads it (CRLF and BOM normalised)."""
    zh = mini / "content" / "zh" / "climate.md"
    save_as_windows(zh)
    en = mini / "content" / "en" / "climate.md"
    res = CliRunner().invoke(main, ["--project", str(mini), "mark-reviewed", str(en)])
    assert res.exit_code == 0, res.output
    assert messages(mini, "stale") == []


def test_mark_reviewed_takes_english_chapters_only(mini: Path) -> None:
    zh = mini / "content" / "zh" / "climate.md"
    en = mini / "content" / "en" / "climate.md"
    before = zh.read_bytes(), en.read_bytes()
    res = CliRunner().invoke(main, ["--project", str(mini), "mark-reviewed", str(en), str(zh)])
    assert res.exit_code == 1
    assert res.output.splitlines()[0] == (
        f"{zh}: mark-reviewed takes English chapters (content/en/<chapter>.md), "
        "which are reviewed against their Chinese source"
    )
    assert (zh.read_bytes(), en.read_bytes()) == before  # nothing written, not even the good one


def test_full_width_figures_are_flagged_as_typed(mini: Path) -> None:
    ch = mini / "content" / "zh" / "climate.md"
    ch.write_text(
        ch.read_text(encoding="utf-8") + "\n全年节约１，２３４．５吨，另有３．６万吨。\n",
        encoding="utf-8",
    )
    assert messages(mini, "typed-number") == [
        "content/zh/climate.md:13:5: warning: typed figure '１，２３４．５': "
        'use kpi("…") so the number comes from the data '
        "(or allow it with <!-- esgpress: allow １，２３４．５ -->)",
        "content/zh/climate.md:13:16: warning: typed figure '３．６': "
        'use kpi("…") so the number comes from the data '
        "(or allow it with <!-- esgpress: allow ３．６ -->)",
    ]


def test_traditional_characters_typed_in_the_simplified_source_are_flagged(mini: Path) -> None:
    ch = mini / "content" / "zh" / "climate.md"
    text = ch.read_text(encoding="utf-8")
    ch.write_text(text + "\n环境與发展，公里与干涉不算。\n", encoding="utf-8")
    line = text.count("\n") + 2
    assert messages(mini, "script-leak") == [
        f"content/zh/climate.md:{line}:3: warning: Traditional character '與' in the "
        "Simplified source (should be '与'; the zh-Hans edition prints it as typed)"
    ]


def test_the_checks_write_nothing_and_hand_their_renders_back(tmp_path: Path) -> None:
    """The check stage never writes: build-all writes the checks' renders (render/write.py)."""
    from esgpress.data.model import EDITIONS

    project = copy_project("print", tmp_path / "project")
    result = check_project(project, record=True)
    assert not result.problems.errors
    assert sorted(result.renders) == sorted(EDITIONS)
    assert not (project / "build").exists()
