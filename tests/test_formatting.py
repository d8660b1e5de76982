"""Formatting is a pure function of (value, precision, unit, edition)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from esgpress.core.errors import EsgError
from esgpress.core.numbers import round_half_up
from esgpress.data.load_qualifiers import toolkit_qualifiers
from esgpress.data.loader import load_project
from esgpress.editions.formatting import (
    UnitDisplay,
    format_change,
    format_compact,
    format_number,
    format_quantity,
    qualify,
)

EDITIONS = ("zh-Hant", "zh-Hans", "en")


@pytest.mark.parametrize(
    ("value", "edition", "expected"),
    [
        ("1079000000", "zh-Hans", "10.79亿"),
        ("1079000000", "zh-Hant", "10.79億"),
        ("1079000000", "en", "1.08 billion"),
        ("146000", "zh-Hans", "14.6万"),
        ("146000", "zh-Hant", "14.6萬"),
        ("146000", "en", "146,000"),
        ("702300000", "en", "702.3 million"),
        ("9999", "zh-Hans", "9,999"),
        ("-146000", "zh-Hans", "-14.6万"),
    ],
)
def test_compact(value: str, edition: str, expected: str) -> None:
    assert format_compact(Decimal(value), edition) == expected


@pytest.mark.parametrize(
    ("unit", "edition", "expected"),
    [
        (UnitDisplay("兆瓦时"), "zh-Hans", "444,774.36 兆瓦时"),
        (UnitDisplay("兆瓦時"), "zh-Hant", "444,774.36 兆瓦時"),
        (UnitDisplay("MWh"), "en", "444,774.36 MWh"),
    ],
)
def test_quantity_with_unit(unit: UnitDisplay, edition: str, expected: str) -> None:
    assert format_quantity(Decimal("444774.36"), 2, unit, edition) == expected


def test_zero_is_not_missing_and_never_negative() -> None:
    assert format_number(Decimal("0"), 2, "en") == "0.00"
    assert format_number(Decimal("-0.001"), 2, "en") == "0.00"


@pytest.mark.parametrize(
    ("qualifier", "edition", "expected"),
    [
        ("plus", "en", "42,000+"),
        ("over", "zh-Hans", "超42,000"),
        ("more_than", "zh-Hant", "逾42,000"),
        ("about", "zh-Hant", "約42,000"),
        ("over", "en", "over 42,000"),
        ("at_least", "zh-Hant", "不低於42,000"),
    ],
)
def test_qualifiers(qualifier: str, edition: str, expected: str) -> None:
    assert format_quantity(Decimal(42000), 0, None, edition, qualifier=qualifier) == expected


@pytest.mark.parametrize(
    ("edition", "unit", "expected"),
    [
        ("zh-Hant", UnitDisplay("人", gap=""), "50人以上"),
        ("zh-Hans", UnitDisplay("人"), "50 人以上"),
        ("en", UnitDisplay("persons"), "50 persons or more"),
    ],
)
def test_or_more_follows_the_unit(edition: str, unit: UnitDisplay, expected: str) -> None:
    assert format_quantity(Decimal(50), 0, unit, edition, qualifier="or_more") == expected


def test_qualifier_words_keep_their_meaning() -> None:
    """以上 and "or more" include the figure; 超 and "over" exclude it: one meaning per row."""
    words = toolkit_qualifiers()
    assert words["or_more"].includes and words["or_more"].en.strip() == "or more"
    assert words["or_more"].hans == "以上"
    assert not words["over"].includes and words["over"].hans == "超"
    assert words["over"].en.strip() == "over"
    for name, q in words.items():
        inclusive_en = q.en.strip() in ("or more", "at least")
        assert q.includes == inclusive_en, name


def test_person_singular_in_english() -> None:
    persons = UnitDisplay("persons", one="person")
    assert format_quantity(Decimal(1), 0, persons, "en") == "1 person"
    assert format_quantity(Decimal(2), 0, persons, "en") == "2 persons"


def test_change_words_and_points() -> None:
    assert format_change(Decimal(200), Decimal(100), "zh-Hans") == "下降50.00%"
    assert format_change(Decimal(100), Decimal(100), "en") == "unchanged"
    assert format_change(Decimal(100), Decimal("112.345"), "en", signed=True) == "+12.35%"
    assert (
        format_change(Decimal("98.13"), Decimal("98.74"), "zh-Hant", points=True)
        == "上升0.61個百分點"
    )


decimals_st = st.integers(min_value=0, max_value=4)
values_st = st.decimals(
    min_value=-(10**12), max_value=10**12, allow_nan=False, allow_infinity=False, places=6
)


@given(values_st, decimals_st)
def test_round_half_up_matches_decimal_semantics(value: Decimal, places: int) -> None:
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert round_half_up(value, places) == expected


@given(st.integers(min_value=-(10**6), max_value=10**6), decimals_st)
def test_half_is_always_rounded_away_from_zero(n: int, places: int) -> None:
    # n.5 at the last printed place must move away from zero, never to even.
    value = (Decimal(n) + Decimal("0.5") * (1 if n >= 0 else -1)).scaleb(-places)
    rounded = round_half_up(value, places)
    assert abs(rounded) > abs(value)


@given(values_st, decimals_st, st.sampled_from(EDITIONS))
def test_number_text_round_trips(value: Decimal, places: int, edition: str) -> None:
    text = format_number(value, places, edition)
    assert Decimal(text.replace(",", "")) == abs(round_half_up(value, places)) * (
        -1 if round_half_up(value, places) < 0 else 1
    )
    if places:
        assert len(text.rsplit(".", 1)[1]) == places


def test_qualifier_leads_a_currency_before_the_number() -> None:
    rmb = UnitDisplay("RMB", before=True)
    yi = UnitDisplay("RMB 100 million", factor=Decimal(10**8), base=rmb)
    assert (
        format_quantity(Decimal(17), 0, yi, "en", qualifier="over", compact=True)
        == "over RMB 1.7 billion"
    )
    yuan = UnitDisplay("元")
    yi_zh = UnitDisplay("亿元", factor=Decimal(10**8), base=yuan)
    assert (
        format_quantity(Decimal(17), 0, yi_zh, "zh-Hans", qualifier="over", compact=True)
        == "超17亿元"
    )


@pytest.mark.parametrize(
    ("qualifier", "expected", "inclusive"),
    [
        ("or_more", "50 persons or more", True),
        ("at_least", "at least 50 persons", True),
        ("over", "over 50 persons", False),
        ("more_than", "more than 50 persons", False),
        ("nearly", "nearly 50 persons", False),
        ("about", "about 50 persons", False),
        ("plus", "50+ persons", False),
    ],
)
def test_english_renders_inclusive_and_exclusive_qualifiers_apart(
    qualifier: str, expected: str, inclusive: bool
) -> None:
    """以上 (inclusive) reads "or more", never "over"/"more than" (exclusive)."""
    persons = UnitDisplay("persons")
    assert format_quantity(Decimal(50), 0, persons, "en", qualifier=qualifier) == expected
    assert toolkit_qualifiers()[qualifier].includes is inclusive
    words = expected.replace("50", "").replace("persons", "").strip()
    assert (words in ("or more", "at least")) is inclusive


def test_a_project_adds_and_changes_qualifier_words(mini: Path) -> None:
    (mini / "data" / "qualifiers.yaml").write_text(
        "or_more: {en: and above}\n"
        "up_to: {includes: true, zh-Hans: 最多, zh-Hant: 最多, en: up to}\n",
        encoding="utf-8",
    )
    dataset, _ = load_project(mini)
    table = dataset.qualifiers
    assert table["or_more"].includes and table["or_more"].hans == "以上"
    assert qualify("50", "or_more", "en", table) == "50 and above"
    assert qualify("50", "up_to", "zh-Hant", table) == "最多50"
    assert qualify("50", "up_to", "en", table) == "up to 50"
    assert qualify("50", "or_more", "en") == "50 or more"  # the toolkit's words


def test_qualifier_file_mistakes_are_reported_at_their_place(mini: Path) -> None:
    (mini / "data" / "qualifiers.yaml").write_text(
        "over: {includes: maybe}\n"
        "up_to: {zh-Hans: 最多, en: up to}\n"
        "Bad-Name: {includes: true}\n"
        "about: {position: middle, also: {fr: [environ]}}\n",
        encoding="utf-8",
    )
    with pytest.raises(EsgError) as info:
        load_project(mini)
    found = [str(p) for p in info.value.problems if p.path == "data/qualifiers.yaml"]
    assert found == [
        "data/qualifiers.yaml:1:18: over.includes should be true or false, not 'maybe'",
        "data/qualifiers.yaml:2:8: up_to needs 'includes'",
        "data/qualifiers.yaml:2:8: up_to needs 'zh-Hant'",
        "data/qualifiers.yaml:3:1: qualifier name 'Bad-Name' should be lower-case letters, "
        "digits and _",
        "data/qualifiers.yaml:4:19: about.position 'middle' is not one of: before, after",
        "data/qualifiers.yaml:4:34: unknown key 'fr' in about.also",
    ]


def test_a_kpi_may_carry_a_qualifier_the_project_added(mini: Path) -> None:
    from conftest import edit
    from esgpress.render.renderer import render_source

    kpis = mini / "data" / "kpis.yaml"
    edit(
        kpis,
        "values: {2024: 100.00, 2023: 50.00, 2022: 40.00}",
        "values: {2024: {value: 100.00, qualifier: up_to}, 2023: 50.00, 2022: 40.00}",
    )
    with pytest.raises(EsgError) as info:
        load_project(mini)
    assert "qualifier 'up_to' is not one of: plus, over" in str(info.value)
    (mini / "data" / "qualifiers.yaml").write_text(
        "up_to: {includes: true, zh-Hans: 最多, zh-Hant: 最多, en: up to}\n", encoding="utf-8"
    )
    dataset, _ = load_project(mini)
    source = '{{ kpi("env.energy.direct") }}'
    assert render_source(mini, dataset, "en", source).strip() == "up to 100.00 MWh"
    assert render_source(mini, dataset, "zh-Hant", source).strip() == "最多100.00兆瓦時"
