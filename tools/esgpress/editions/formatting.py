"""Locale-aware number formatting: a pure function of (value, precision, unit, edition).

Babel formats the digits (grouping and decimal signs per CLDR); esgpress adds
what CLDR lacks for report prose: half-up rounding as reports print, Chinese
large-number units for both scripts (Babel's ``zh_Hant_HK`` compact format
prints English-style "1.08B"), English "million"/"billion", qualifiers
(42,000+, 超, 逾, over), missing-value texts and unit placement.

Nothing here reads files or global state: the caller passes the unit's display
for the edition as a :class:`UnitDisplay`, and the qualifier words of its data
set (``qualifiers=``); without them the toolkit's defaults are used
(``resources/qualifiers.yaml``, package data read once per process).

>>> fmt = lambda v, d, e, **k: format_quantity(Decimal(v), d, UnitDisplay("MWh"), e, **k)
>>> fmt("444774.36", 2, "en")
'444,774.36 MWh'
>>> format_compact(Decimal("1079000000"), "zh-Hant")
'10.79億'
>>> format_compact(Decimal("146000"), "en")
'146,000'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel import Locale
from babel.numbers import format_decimal

from esgpress.core.errors import EsgError
from esgpress.core.numbers import divide, round_half_up
from esgpress.data.load_qualifiers import toolkit_qualifiers
from esgpress.data.model import Qualifier

#: Figures at or above 10**MAX_EXPONENT are refused: no ESG figure comes near a
#: sextillion, and beyond Decimal's 28 digits rounding would fail anyway.
MAX_EXPONENT = 21


class NotPrintable(EsgError, ArithmeticError):
    """A figure the formatters refuse: not finite, or absurdly large.

    An :class:`EsgError` (a message, never a traceback) that is still an
    ``ArithmeticError``, which is what the render catches to locate it.
    """


class ChangeFromZero(NotPrintable, ZeroDivisionError):
    """A percentage change from zero, which has no value."""


def printable(value: Decimal) -> Decimal:
    """Return ``value`` if the formatters can print it; raise :class:`NotPrintable` if not."""
    if not value.is_finite():
        raise NotPrintable(f"cannot print {value}: it is not a finite number")
    if value and value.adjusted() >= MAX_EXPONENT:
        raise NotPrintable(
            f"cannot print {value}: figures of 10^{MAX_EXPONENT} or more are refused"
        )
    return value


BABEL_LOCALES = {"zh-Hant": "zh_Hant_HK", "zh-Hans": "zh_Hans_CN", "en": "en"}

#: Texts the toolkit itself prints for missing values and words, per edition.
WORDS: dict[str, dict[str, str]] = {
    "not_reported": {"zh-Hant": "—", "zh-Hans": "—", "en": "—"},
    "not_applicable": {"zh-Hant": "不適用", "zh-Hans": "不适用", "en": "n/a"},
    "up": {"zh-Hant": "增長", "zh-Hans": "增长", "en": "up"},
    "down": {"zh-Hant": "下降", "zh-Hans": "下降", "en": "down"},
    "pp_up": {"zh-Hant": "上升", "zh-Hans": "上升", "en": "up"},
    "unchanged": {"zh-Hant": "持平", "zh-Hans": "持平", "en": "unchanged"},
    "pp": {"zh-Hant": "個百分點", "zh-Hans": "个百分点", "en": " percentage points"},
    "pp_one": {"zh-Hant": "個百分點", "zh-Hans": "个百分点", "en": " percentage point"},
}


#: Chinese large-number units (value, Simplified, Traditional), largest first.
_ZH_UNITS = (
    (Decimal(10) ** 12, "万亿", "兆"),
    (Decimal(10) ** 8, "亿", "億"),
    (Decimal(10) ** 4, "万", "萬"),
)
_EN_UNITS = (
    (Decimal(10) ** 12, "trillion"),
    (Decimal(10) ** 9, "billion"),
    (Decimal(10) ** 6, "million"),
)


@dataclass(frozen=True)
class UnitDisplay:
    """How a unit prints in one edition (already localised by the caller)."""

    text: str
    one: str | None = None
    space: bool = True
    before: bool = False
    factor: Decimal | None = None
    base: UnitDisplay | None = None
    #: What separates figure and unit when ``space`` (the edition's house style).
    gap: str = " "


# Process-wide, outside the Remembered rule: keyed by the edition name alone (three
# values) and the Babel locale data never changes while the process runs.
@cache
def _locale(edition: str) -> Locale:
    return Locale.parse(BABEL_LOCALES[edition])


def is_chinese(edition: str) -> bool:
    """Tell whether an edition is one of the two Chinese ones (zh-Hans, zh-Hant).

    Both script variants share number words (万, 亿), unit placement and
    punctuation, so formatting branches on the language, not the script.
    """
    return edition.startswith("zh")


def format_number(value: Decimal, decimals: int, edition: str) -> str:
    """Group and round a number for an edition, half-up, with exactly ``decimals`` places.

    >>> format_number(Decimal("0.125"), 2, "zh-Hans")
    '0.13'
    >>> format_number(Decimal("-1234.5"), 0, "en")
    '-1,235'
    """
    rounded = round_half_up(printable(value), decimals)
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0.00"
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(
        rounded, format=pattern, locale=_locale(edition), decimal_quantization=True
    )


def _strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_compact(value: Decimal, edition: str, decimals: int = 2, full_decimals: int = 0) -> str:
    """Large numbers in the words each language uses: 10.79亿 / 10.79億 / 1.08 billion.

    Chinese uses 万 (10⁴) and 亿 (10⁸); English uses million and billion and
    prints smaller numbers in full (146,000), as English report prose does.

    >>> format_compact(Decimal("146000"), "zh-Hans")
    '14.6万'
    >>> format_compact(Decimal("1079000000"), "en")
    '1.08 billion'
    """
    magnitude = abs(printable(value))
    if is_chinese(edition):
        for size, hans, hant in _ZH_UNITS:
            if magnitude >= size:
                digits = _strip_zeros(format_number(divide(value, size), decimals, edition))
                return digits + (hant if edition == "zh-Hant" else hans)
    else:
        for size, word in _EN_UNITS:
            if magnitude >= size:
                digits = _strip_zeros(format_number(divide(value, size), decimals, edition))
                return f"{digits} {word}"
    return format_number(value, full_decimals, edition)


def attach_unit(
    number: str, unit: UnitDisplay | None, edition: str, plural_one: bool = False
) -> str:
    """Put the unit text before or after a formatted number, with or without a space."""
    if unit is None or not unit.text:
        return number
    text = unit.one if plural_one and unit.one else unit.text
    if unit.before and not is_chinese(edition):
        return f"{text} {number}"
    return f"{number}{unit.gap if unit.space else ''}{text}"


def qualifier_table(table: Mapping[str, Qualifier] | None = None) -> Mapping[str, Qualifier]:
    """Return ``table`` (a data set's qualifiers), or the toolkit's when it is empty or ``None``."""
    return table or toolkit_qualifiers()


def qualify(
    number: str,
    qualifier: str | None,
    edition: str,
    table: Mapping[str, Qualifier] | None = None,
) -> str:
    """Add a qualifier to a formatted number (42,000+, 超1,000, over 1,000, 50 or more).

    The words come from ``table`` (``Dataset.qualifiers``: the toolkit's
    resources/qualifiers.yaml, extended by data/qualifiers.yaml).
    """
    if not qualifier:
        return number
    words = qualifier_table(table)[qualifier]
    word = words.word(edition)
    return number + word if words.suffix else word + number


def format_quantity(
    value: Decimal,
    decimals: int,
    unit: UnitDisplay | None,
    edition: str,
    *,
    qualifier: str | None = None,
    compact: bool = False,
    with_unit: bool = True,
    compact_decimals: int = 2,
    qualifiers: Mapping[str, Qualifier] | None = None,
) -> str:
    """Format a figure as prose prints it: qualifier, digits, unit.

    With ``compact``, a unit that is a multiple of a base unit is rescaled first
    (241 亿元 → RMB 24.1 billion), since unit rescaling is a locale feature.

    >>> rmb = UnitDisplay("RMB", before=True)
    >>> yi = UnitDisplay("RMB 100 million", factor=Decimal(10**8), base=rmb)
    >>> format_quantity(Decimal(241), 0, yi, "en", compact=True)
    'RMB 24.1 billion'
    >>> ge = UnitDisplay("个", space=True)
    >>> format_quantity(Decimal(42000), 0, ge, "zh-Hans", qualifier="plus")
    '42,000+ 个'
    """
    shown_unit = unit if with_unit else None
    printable(value)
    if edition == "en" and no_english_scale(unit):
        # "about 40 10,000 kWh" reads as nonsense: English says 400,000 kWh.
        compact = True
    if compact:
        if unit is not None and unit.factor is not None and unit.base is not None:
            value = value * unit.factor
            # Digits the rescale moved left of the point are not decimals any more
            # (6.5 万千瓦时 is 65,000 kWh, not 65,000.0 kWh).
            decimals = max(0, decimals - unit.factor.adjusted())
            shown_unit = unit.base if with_unit else None
        digits = format_compact(value, edition, compact_decimals, full_decimals=decimals)
        if is_chinese(edition) and shown_unit is not None and digits[-1:] in "万亿萬億兆":
            shown_unit = UnitDisplay(shown_unit.text, space=False)
    else:
        digits = format_number(value, decimals, edition)
    table = qualifier_table(qualifiers)
    if (qualifier != "plus" and qualifier and table[qualifier].suffix) or (
        shown_unit is not None
        and shown_unit.before
        and not is_chinese(edition)
        and qualifier != "plus"
    ):
        # "over RMB 1.7 billion", not "RMB over 1.7 billion": the qualifier leads the
        # phrase; a closing one follows the unit (50人以上, 50 persons or more).
        return qualify(
            attach_unit(digits, shown_unit, edition, value == 1), qualifier, edition, table
        )
    return attach_unit(qualify(digits, qualifier, edition, table), shown_unit, edition, value == 1)


def no_english_scale(unit: UnitDisplay | None) -> bool:
    """Tell whether a unit is a multiple English has no word for (万 = 10⁴, 亿 = 10⁸)."""
    if unit is None or unit.factor is None or unit.base is None or unit.factor <= 0:
        return False
    exponent = unit.factor.adjusted()
    return Decimal(10) ** exponent == unit.factor and exponent % 3 != 0


def missing_text(kind: str, edition: str, pending: str | None = None) -> str:
    """Return what a missing value prints: —, 不适用 / n/a, or the data's pending text.

    A gap is printed as a word, never as an empty cell, so readers can tell
    "not reported" from "not applicable" from "still pending".
    """
    if kind == "pending" and pending:
        return pending
    return WORDS["not_applicable" if kind == "not_applicable" else "not_reported"][edition]


def format_change(
    old: Decimal,
    new: Decimal,
    edition: str,
    *,
    decimals: int = 2,
    points: bool = False,
    signed: bool = False,
) -> str:
    """Year-on-year change as words (增长12.3% / up 12.3%) or signed (+12.3%).

    ``points`` reports the difference of two percentages in percentage points.

    >>> format_change(Decimal(100), Decimal("110.5"), "zh-Hant")
    '增長10.50%'
    >>> format_change(Decimal("98.13"), Decimal("98.74"), "en", points=True)
    'up 0.61 percentage points'
    """
    printable(old)
    printable(new)
    if points:
        delta = new - old
    else:
        if old == 0:
            raise ChangeFromZero("change from zero")
        delta = divide((new - old) * 100, abs(old))
    rounded = round_half_up(printable(delta), decimals)
    magnitude = format_number(abs(rounded), decimals, edition)
    if points:
        suffix = WORDS["pp_one" if abs(rounded) == 1 else "pp"][edition]
        amount = magnitude + suffix
    else:
        amount = magnitude + "%"
    if signed:
        sign = "+" if rounded > 0 else "-" if rounded < 0 else "±"
        return sign + amount
    if rounded == 0:
        return WORDS["unchanged"][edition]
    word = WORDS["pp_up" if points and rounded > 0 else "up" if rounded > 0 else "down"][edition]
    return f"{word} {amount}" if edition == "en" else word + amount
