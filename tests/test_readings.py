"""The second reading: word-by-word conversion, and what `check` reports where it disagrees.

Each case of issue 20 is reverted (its glossary phrase removed) and the check
must find it again at the sample's real source line, with both readings and
the entry that settles it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import SAMPLE, copy_project, edit
from esgpress.checks.run import check_project
from esgpress.core.errors import EsgError
from esgpress.data.loader import load_project
from esgpress.editions.converter import Converter
from esgpress.editions.glossary import Glossary
from esgpress.editions.wordlevel import (
    Disagreement,
    dataset_words,
    disagreements,
    segmenter_for,
)
from esgpress.render.renderer import Renderer

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def sample() -> tuple[Glossary, tuple[str, ...]]:
    dataset, _ = load_project(REPO)
    return Glossary.from_entries(dataset.glossary), tuple(dataset_words(dataset))


# (glossary phrase reverted, chapter, the disagreement check must report)
CASES = [
    ("表现", "climate", Disagreement(306, 7, "表现", "錶現", "表現")),
    ("冲突", "governance", Disagreement(175, 65, "冲突", "沖突", "衝突")),
    ("上游", "people", Disagreement(257, 78, "上游", "上遊", "上游")),
    ("列明", "people", Disagreement(235, 53, "列明了", "列明瞭", "列明了")),
    ("采购", "people", Disagreement(177, 9, "采购", "采購", "採購")),
    ("周报", "people", Disagreement(117, 148, "周报", "周報", "週報")),
    ("周年", "governance", Disagreement(123, 45, "周年", "周年", "週年")),
]


def without(glossary: Glossary, source: str) -> Glossary:
    phrases = tuple(p for p in glossary.phrases if p[0] != source)
    assert len(phrases) == len(glossary.phrases) - 1, f"{source} is not in the glossary"
    return replace(glossary, phrases=phrases)


@pytest.mark.parametrize(("entry", "chapter", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_reverted_fix_is_reported_where_the_readings_disagree(
    sample: tuple[Glossary, tuple[str, ...]], entry: str, chapter: str, expected: Disagreement
) -> None:
    glossary, words = sample
    text = (REPO / "content" / "zh" / f"{chapter}.md").read_text(encoding="utf-8")
    reverted = Converter(without(glossary, entry))
    assert disagreements(reverted, segmenter_for(words), text) == [expected]
    # with the entry in place, the two readings agree
    assert disagreements(Converter(glossary), segmenter_for(words), text) == []


def test_the_sample_reads_the_same_both_ways(sample: tuple[Glossary, tuple[str, ...]]) -> None:
    glossary, words = sample
    conv = Converter(glossary)
    for path in sorted((REPO / "content" / "zh").glob("*.md")):
        assert disagreements(conv, segmenter_for(words), path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("本年度用水表现良好", "本年度用水表現良好"),
        ("并与减排目标相冲突", "並與減排目標相衝突"),
        ("上游冶炼厂", "上游冶煉廠"),
        ("准则也列明了联系方式", "準則也列明了聯繫方式"),
        ("业务设有采购委员会", "業務設有採購委員會"),
        ("自动生成周报和月报", "自動生成週報和月報"),
        ("股东周年大会", "股東週年大會"),
        ("按季度复盘", "按季度複盤"),
        ("5·25心理健康周", "5·25心理健康週"),
        ("新业务尽早建立", "新業務盡早建立"),
        ("五周年学生发展分论坛", "五週年學生發展分論壇"),
    ],
)
def test_the_edition_converter_writes_the_publishers_forms(
    sample: tuple[Glossary, tuple[str, ...]], simplified: str, traditional: str
) -> None:
    glossary, words = sample
    assert Converter(glossary, segmenter_for(words)).to_hant(simplified) == traditional
    assert Converter(glossary).to_hant(simplified) == traditional


def test_without_the_glossary_the_word_reading_still_avoids_the_straddles(
    sample: tuple[Glossary, tuple[str, ...]],
) -> None:
    _, words = sample
    text = "用水表现；相冲突；识别出上游冶炼厂；列明了；设有采购委员会"
    assert Converter().to_hant(text) == "用水錶現；相沖突；識別出上遊冶煉廠；列明瞭；設有采購委員會"
    assert Converter(None, segmenter_for(words)).to_hant(text) == (
        "用水表現；相衝突；識別出上游冶煉廠；列明了；設有採購委員會"
    )


@pytest.mark.parametrize(
    ("simplified", "traditional"),
    [
        ("注：数据为估算值", "註：數據為估算值"),
        ("**注：** 数据", "**註：** 數據"),
        ("> 注1：范围", "> 註1：範圍"),
        ("- 注：x", "- 註：x"),
        ("关注：员工", "關注：員工"),
        ("他注：", "他注："),
        ("`注：`", "`注：`"),
    ],
)
def test_a_note_label_is_written_with_zhu(simplified: str, traditional: str) -> None:
    assert Converter().to_hant(simplified) == traditional


def test_check_reports_the_disagreement_with_file_line_and_entry(mini: Path) -> None:
    chapter = mini / "content" / "zh" / "climate.md"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text + "\n本年度用水表现良好。\n", encoding="utf-8")
    line = text.count("\n") + 2
    found = [str(p) for p in check_project(mini).problems if p.code == "reading"]
    assert found == [
        f"content/zh/climate.md:{line}:6: warning: the zh-Hant readings of '表现' disagree: "
        "whole text '錶現', word by word '表現'; settle it with the data/glossary.yaml "
        "phrase '表现: 表現'"
    ]


WRONG = [
    "用水錶現",
    "相沖突",
    "上遊冶",
    "列明瞭",
    "設有采購",
    "周報",
    "健康周",
    "股東周年",
    "復盤",
    "儘早",
]


def test_the_rendered_zh_hant_edition_has_none_of_the_wrong_forms() -> None:
    dataset, _ = load_project(REPO)
    chapters = Renderer(REPO, dataset, "zh-Hant").render_all()
    text = "".join(ch.markdown for ch in chapters)
    assert "用水表現" in text
    assert [w for w in WRONG if w in text] == []


# Issue 20's wrong characters, each with the glossary phrase that fixes it in
# the sample, and what `esgpress check` says on a copy without that phrase.
# Straddling phrases are seen by the two readings ("reading"); words OpenCC
# reads wrongly on their own by the publisher's usage list ("usage").
REVERTED = [
    (
        "表现",
        "climate.md:306:7",
        "reading",
        "'表现' disagree: whole text '錶現', word by word '表現'",
    ),
    (
        "冲突",
        "governance.md:175:65",
        "reading",
        "'冲突' disagree: whole text '沖突', word by word '衝突'",
    ),
    (
        "上游",
        "people.md:257:78",
        "reading",
        "'上游' disagree: whole text '上遊', word by word '上游'",
    ),
    (
        "列明",
        "people.md:235:53",
        "reading",
        "'列明了' disagree: whole text '列明瞭', word by word '列明了'",
    ),
    (
        "采购",
        "people.md:177:9",
        "reading",
        "'采购' disagree: whole text '采購', word by word '採購'",
    ),
    (
        "周报",
        "people.md:117:148",
        "reading",
        "'周报' disagree: whole text '周報', word by word '週報'",
    ),
    (
        "周年",
        "governance.md:123:45",
        "reading",
        "'周年' disagree: whole text '周年', word by word '週年'",
    ),
    (
        "心理健康周",
        "people.md:151:70",
        "usage",
        "'心理健康周' as '心理健康周', but the publisher writes '心理健康週'",
    ),
    ("复盘", "people.md:67:78", "usage", "'复盘' as '復盤', but the publisher writes '複盤'"),
    ("尽早", "board.md:11:112", "usage", "'尽早' as '儘早', but the publisher writes '盡早'"),
]
FIXES = {
    "表现": "表現",
    "冲突": "衝突",
    "上游": "上游",
    "列明": "列明了",
    "采购": "採購",
    "周报": "週報",
    "周年": "週年",
    "心理健康周": "心理健康週",
    "复盘": "複盤",
    "尽早": "盡早",
}


@pytest.fixture(scope="module")
def reverted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """`esgpress check` of a copy of the sample whose glossary lacks every fix of issue 20."""
    project = copy_project(
        SAMPLE, tmp_path_factory.mktemp("reverted"), parts=("data", "content", "templates")
    )
    glossary = project / "data" / "glossary.yaml"
    for source, _, _, _ in REVERTED:
        edit(glossary, re.search(rf"(?m)^  {source}:.*\n", glossary.read_text("utf-8"))[0], "")
    found = [str(p) for p in check_project(project).problems if p.code in ("reading", "usage")]
    return glossary, found


@pytest.mark.parametrize(("entry", "where", "code", "says"), REVERTED, ids=[c[0] for c in REVERTED])
def test_check_reports_each_wrong_form_when_its_fix_is_reverted(
    reverted: tuple[Path, list[str]], entry: str, where: str, code: str, says: str
) -> None:
    glossary, found = reverted
    fix = FIXES[entry]
    source = "列明了" if entry == "列明" else entry
    if code == "reading":
        expected = (
            f"content/zh/{where}: warning: the zh-Hant readings of {says}; settle it with "
            f"the data/glossary.yaml phrase '{source}: {fix}'"
        )
    else:
        lines = glossary.read_text("utf-8").splitlines()
        line = lines.index(f"  - {fix}") + 1
        expected = (
            f"content/zh/{where}: warning: the zh-Hant edition prints {says} "
            f"(data/glossary.yaml:{line}, usage); settle it with the data/glossary.yaml "
            f"phrase '{source}: {fix}'"
        )
    assert [m for m in found if m.startswith(f"content/zh/{where}:")] == [expected]


def test_nothing_else_is_reported_on_the_reverted_copy(reverted: tuple[Path, list[str]]) -> None:
    _, found = reverted
    assert len(found) == len(REVERTED)


def test_usage_forms_are_validated_with_file_line_and_column(mini: Path) -> None:
    (mini / "data" / "glossary.yaml").write_text(
        "usage:\n  - 週報\n  - 周报\n  - ESG\n  - 週報\n", encoding="utf-8"
    )
    with pytest.raises(EsgError) as info:
        load_project(mini)
    assert [str(p) for p in info.value.problems] == [
        "data/glossary.yaml:3:5: usage form '周报' has Simplified characters (报); "
        "list the Traditional form the publisher prints",
        "data/glossary.yaml:4:5: usage form 'ESG' contains no Chinese characters",
        "data/glossary.yaml:5:5: usage form '週報' is listed twice (first on line 2)",
    ]
