"""House style per edition (data/report.yaml `style:`), and the lints that keep sources to it."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from esgpress.checks.figures import chinese_number, english_number
from esgpress.checks.run import CheckResult, check_project
from esgpress.core.errors import EsgError
from esgpress.data.load_style import DEFAULTS
from esgpress.data.loader import load_project
from esgpress.data.model import EDITIONS, HouseStyle
from esgpress.editions.house import Style
from esgpress.editions.i18n import Localizer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample_check() -> CheckResult:
    """`esgpress check` of the sample, with the renders it made (the text every output prints)."""
    return check_project(REPO, record=True)


def test_the_sample_is_clean_for_every_style_lint(sample_check: CheckResult) -> None:
    codes = {"reading", "usage", "style-spacing", "figure-forms", "terminology", "script-leak"}
    assert [str(p) for p in sample_check.problems if p.code in codes] == []


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_figure_unit_pair_follows_the_editions_rule(
    sample_check: CheckResult, edition: str
) -> None:
    render = sample_check.renders[edition]
    style = render.renderer.loc.style
    text = "\n".join(ch.markdown for ch in render.chapters)
    assert list(style.breaks(text)) == []
    # the rule is really exercised: pairs exist, with the edition's gap
    gap = {"zh-Hant": "", "zh-Hans": " ", "en": " "}[edition]
    unit = {"zh-Hant": "噸", "zh-Hans": "吨", "en": "t"}[edition]
    assert f"209,714.77{gap}{unit}" in text


def test_breaks_finds_a_pair_off_the_rule() -> None:
    hant = Style(DEFAULTS["zh-Hant"], ["噸", "人"])
    assert list(hant.breaks("回收38,000 噸，員工43,688人")) == [(2, "38,000 噸", "38,000噸")]
    thin = Style(HouseStyle("en", "thin"), ["t"])
    assert thin.apply("38,000 t") == "38,000\u202ft"


def test_chinese_editions_quote_with_corner_brackets_and_english_keeps_curly(
    sample_check: CheckResult,
) -> None:
    for edition in ("zh-Hant", "zh-Hans"):
        text = "".join(ch.markdown for ch in sample_check.renders[edition].chapters)
        assert not re.search("[“”‘’]", text), edition
        assert "「—」表示" in text or "「—」表示".replace("表示", "表示") in text
    english = "".join(ch.markdown for ch in sample_check.renders["en"].chapters)
    assert "“" in english or '"' in english


def test_zh_hans_scales_with_yi_and_wan(sample_check: CheckResult) -> None:
    hans = "".join(ch.markdown for ch in sample_check.renders["zh-Hans"].chapters)
    hant = "".join(ch.markdown for ch in sample_check.renders["zh-Hant"].chapters)
    assert "月活跃用户达到 7.023 亿" in hans
    assert "月活躍用戶達到7.023億" in hant
    figures_in_millions = re.compile(r"\d[ \u202f]?百[万萬](?!元人民)")
    assert not figures_in_millions.search(hans)
    assert not figures_in_millions.search(hant)


def test_spacing_in_the_zh_hans_edition_follows_the_2023_report(sample_check: CheckResult) -> None:
    hans = "".join(ch.markdown for ch in sample_check.renders["zh-Hans"].chapters)
    assert "2024 年" in hans and "2024年" not in hans
    assert "ESG 治理" in hans or "ESG 战略" in hans


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("三万八千", 38000),
        ("五千", 5000),
        ("五万", 50000),
        ("十二", 12),
        ("两百", 200),
        ("三五", None),
    ],
)
def test_chinese_numbers(words: str, value: int | None) -> None:
    assert chinese_number(words) == value


def messages(root: Path, code: str) -> list[str]:
    return [str(p) for p in check_project(root).problems if p.code == code]


def test_hand_typed_spacing_is_reported_with_the_fix(mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n全年回收38吨废弃物，覆盖 12 人。\n", encoding="utf-8")
    line = text.count("\n") + 2
    assert messages(mini, "style-spacing") == [
        f"content/zh/climate.md:{line}:5: warning: '38吨' breaks the zh-Hans figure–unit rule "
        "(space); write '38 吨' (data/report.yaml style.zh-Hans.figure_unit)"
    ]


def test_a_figure_in_words_and_in_digits_is_reported(mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n目标为三万八千吨，即 38,000 吨。\n", encoding="utf-8")
    line = text.count("\n") + 2
    assert sorted(messages(mini, "figure-forms")) == [
        f"content/zh/climate.md:{line}:12: warning: '38,000 吨' is the figure written "
        "'三万八千吨' in content/zh/climate.md in the zh-Hans edition: write one figure "
        "one way (in digits, or with kpi())",
        f"content/zh/climate.md:{line}:12: warning: '38,000噸' is the figure written "
        "'三萬八千噸' in content/zh/climate.md in the zh-Hant edition: write one figure "
        "one way (in digits, or with kpi())",
    ]


def test_a_figure_with_and_without_a_scale_word_is_reported(mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n回收 3.8 万吨，即 38,000 吨。\n", encoding="utf-8")
    found = [m for m in messages(mini, "figure-forms") if "zh-Hans" in m]
    assert len(found) == 1 and "'38,000 吨' is the figure written '3.8万吨'" in found[0]


def test_english_terminology_is_checked_like_the_chinese_glossary(mini: Path) -> None:
    (mini / "data" / "glossary.yaml").write_text(
        textwrap.dedent(
            """\
            en:
              Chinese mainland: [Mainland China]
              tonnes: {after_figure: [t]}
            """
        ),
        encoding="utf-8",
    )
    chapter = mini / "content" / "en" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\nIn Mainland China we collected 38 t; tCO2e stays.\n", "utf-8")
    line = text.count("\n") + 2
    assert messages(mini, "terminology") == [
        f"content/en/climate.md:{line}:4: warning: 'Mainland China': the house term is "
        "'Chinese mainland' (data/glossary.yaml:2, en)",
        f"content/en/climate.md:{line}:35: warning: 't' after a figure: the house term is "
        "'tonnes' (data/glossary.yaml:3, en)",
    ]


def test_generated_english_figures_write_tonnes_in_prose_and_t_in_tables(
    sample_check: CheckResult,
) -> None:
    english = "".join(ch.markdown for ch in sample_check.renders["en"].chapters)
    assert "209,714.77 tonnes" not in english  # tCO2e is its own unit
    assert re.search(r"\d tonnes", english)
    assert not re.search(r"\d t(?![\w³])", english)
    assert '<td class="unit">t</td>' in english


def test_the_style_block_overrides_the_defaults_and_reports_mistakes(mini: Path) -> None:
    report = mini / "data" / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8")
        + "style:\n  zh-Hant: {figure_unit: thin}\n  en: {figure_unit: apart, quotes: '«»'}\n",
        encoding="utf-8",
    )
    with pytest.raises(EsgError) as info:
        load_project(mini)
    assert [str(p) for p in info.value.problems] == [
        f"data/report.yaml:{_line(report, 'en:')}:21: style.en.figure_unit 'apart' is not "
        "one of: together, thin, space",
        f"data/report.yaml:{_line(report, 'en:')}:36: style.en.quotes '«»' should be four marks: "
        "opening and closing double, then single (「」『』)",
    ]


def _line(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if line.strip().startswith(start))


def test_a_thin_space_edition_prints_kpi_figures_with_it(mini: Path) -> None:
    report = mini / "data" / "report.yaml"
    report.write_text(
        report.read_text(encoding="utf-8") + "style:\n  zh-Hant: {figure_unit: thin}\n", "utf-8"
    )
    dataset, problems = load_project(mini)
    assert not problems.errors
    loc = Localizer(dataset, "zh-Hant")
    assert loc.unit_display("MWh").gap == "\u202f"
    assert loc.style.apply("300.00 兆瓦時") == "300.00\u202f兆瓦時"


@pytest.mark.parametrize(
    ("edition", "expected"),
    [
        ("zh-Hans", "超 9.046 亿台"),
        ("zh-Hant", "超9.046億台"),
        ("en", "over 904.6 million devices"),
    ],
)
def test_a_million_unit_is_rescaled_to_the_editions_scale_words(
    edition: str, expected: str
) -> None:
    from esgpress.render.renderer import render_source

    dataset, _ = load_project(REPO)
    source = '{{ kpi("tech.connected_devices") }}'
    assert render_source(REPO, dataset, edition, source).strip() == expected


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("five thousand", 5000),
        ("Two hundred and ten", 210),
        ("thirty-eight thousand", 38000),
        ("three million", 3_000_000),
        ("twenty", None),
        ("thousand", None),
        ("three five hundred", None),
    ],
)
def test_english_numbers(words: str, value: int | None) -> None:
    assert english_number(words) == value


def test_an_english_figure_in_words_and_in_digits_is_reported(mini: Path) -> None:
    (mini / "data" / "glossary.yaml").write_text("en:\n  tonnes: {after_figure: [t]}\n", "utf-8")
    chapter = mini / "content" / "en" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(
        text + "\nWe recycled five thousand tonnes, that is 5,000 tonnes.\n"
        "The app reached 3.8 million users, or 3,800,000 users; 38 people and 38 people.\n",
        "utf-8",
    )
    line = text.count("\n") + 2
    assert messages(mini, "figure-forms") == [
        f"content/en/climate.md:{line}:43: warning: '5,000 tonnes' is the figure written "
        "'five thousand tonnes' in content/en/climate.md in the en edition: write one "
        "figure one way (in digits, or with kpi())",
        f"content/en/climate.md:{line + 1}:39: warning: '3,800,000 users' is the figure "
        "written '3.8 million users' in content/en/climate.md in the en edition: write one "
        "figure one way (in digits, or with kpi())",
    ]
