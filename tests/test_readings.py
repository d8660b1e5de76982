"""The second reading: word-by-word conversion, and what `check` reports where it disagrees.

Each case of issue 20 is reverted (its glossary phrase removed) and the check
must find it again at the sample's real source line, with both readings and
the entry that settles it.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from esgpress.checks.run import check_project
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
