"""One figure written two ways in one edition (``figure-forms``).

Readers take two forms for two figures: 三万八千吨 and 38,000吨, 3.8万吨 and
38,000吨, "five thousand tonnes" and "5,000 t", "3.8 million" and
"3,800,000". A figure is read with its unit (the edition's unit words, and
the glossary's English after-figure variants count as their preferred term:
t is tonnes), so 38,000 吨 and 38,000 人 are two figures. Without a unit only
large figures are compared (1,000 or more, or written with a scale word), so
a year or a count in a list is not matched to an unrelated one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from esgpress.core.errors import Problem
from esgpress.editions.house import FIGURE

_DIGITS = dict(
    zip("零〇一二两兩三四五六七八九", (0, 0, 1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True)
)
_SMALL = {"十": 10, "百": 100, "千": 1000}
_LARGE = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
#: A number in Chinese words: at least two characters, so 一次 or 三个 stay words.
WORDS = re.compile(
    r"[零〇一二两兩三四五六七八九十百千]+[万萬亿億]?(?:[零〇一二两兩三四五六七八九十百千]+)?"
)
SCALES = {
    "万": Decimal(10**4),
    "萬": Decimal(10**4),
    "亿": Decimal(10**8),
    "億": Decimal(10**8),
    "million": Decimal(10**6),
    "billion": Decimal(10**9),
}
_ONES = "zero one two three four five six seven eight nine ten eleven twelve thirteen"
_TEENS = "fourteen fifteen sixteen seventeen eighteen nineteen"
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety"
_EN_SMALL = {word: value for value, word in enumerate(f"{_ONES} {_TEENS}".split())}
_EN_SMALL |= {word: 10 * (i + 2) for i, word in enumerate(_TENS.split())}
_EN_LARGE = {"thousand": 10**3, "million": 10**6, "billion": 10**9}
_EN_WORD = "|".join([*_EN_SMALL, "hundred", *_EN_LARGE])
#: A number in English words with a magnitude in it (five thousand, two hundred and ten).
ENGLISH_WORDS = re.compile(
    rf"(?<![\w-])(?:(?:{_EN_WORD})(?:[ -]|\sand\s)+)*(?:{_EN_WORD})(?![\w-])", re.I
)
_GAP = r"[ \u2009\u202f]?"
#: Spans that are not prose in a chapter or a render (as :mod:`esgpress.checks.lint` skips).
SKIP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}|\{#[\w.\-]+\}|`[^`]*`|\]\([^)]*\)|<[^>]+>|<!--.*?-->", re.S
)


def masked(text: str) -> str:
    """Blank out what is not prose, keeping every line and column."""
    return SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def chinese_number(text: str) -> int | None:
    """Read a number written in Chinese words (三万八千 → 38000); ``None`` if it is not one.

    >>> chinese_number("三万八千"), chinese_number("五千"), chinese_number("十二")
    (38000, 5000, 12)
    """
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            if digit is not None:
                return None  # 三五 is a range, not a number
            digit = _DIGITS[char]
        elif char in _SMALL:
            section += (1 if digit is None else digit) * _SMALL[char]
            digit = None
        elif char in _LARGE:
            total += (section + (digit or 0)) * _LARGE[char]
            section, digit = 0, None
        else:
            return None
    return total + section + (digit or 0)


def english_number(text: str) -> int | None:
    """Read a number in English words with a magnitude (five thousand → 5000), else ``None``.

    >>> english_number("five thousand"), english_number("Two hundred and ten")
    (5000, 210)
    >>> english_number("twenty") is None, english_number("three five") is None
    (True, True)
    """
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if not any(w == "hundred" or w in _EN_LARGE for w in words) or words[0] not in _EN_SMALL:
        return None  # "one", "twenty": counting words; "thousands of": no figure
    total, current, last = 0, 0, ""
    for word in words:
        if word in _EN_SMALL:
            if last in _EN_SMALL and not (_EN_SMALL[last] >= 20 and _EN_SMALL[word] < 10):
                return None  # "three five" is a list
            current += _EN_SMALL[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            total += (current or 1) * _EN_LARGE[word]
            current = 0
        last = word
    return total + current


@dataclass(frozen=True, order=True)
class _Figure:
    offset: int
    written: str
    number: str  # the figure without its unit, as written (3.8万, five thousand)
    value: Decimal
    unit: str


def _patterns(units: list[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Digits with an optional scale word and unit; number words with an optional unit."""
    scale = "(?:" + "|".join(SCALES) + ")(?![A-Za-z])"
    unit = "(?:" + "|".join(map(re.escape, units)) + ")(?![A-Za-z])" if units else "(?!)"
    digits = re.compile(
        rf"(?P<num>{FIGURE})(?:{_GAP}(?P<s1>{scale}){_GAP}(?P<u1>{unit})"
        rf"|{_GAP}(?P<u2>{unit})|{_GAP}(?P<s3>{scale}))?"
    )
    spelled = re.compile(
        rf"(?P<num>{WORDS.pattern}|{ENGLISH_WORDS.pattern})(?:{_GAP}(?P<u>{unit}))?", re.I
    )
    return digits, spelled


def _figures(text: str, digits: re.Pattern[str], spelled: re.Pattern[str]) -> list[_Figure]:
    found = []
    for m in digits.finditer(text):
        scale = m["s1"] or m["s3"] or ""
        value = Decimal(m["num"].replace(",", "")) * SCALES.get(scale.lower(), Decimal(1))
        if not (m["u1"] or m["u2"]) and not scale and value < 1000:
            continue  # a small bare number: a count, a list item
        number = m["num"] + scale
        found.append(_Figure(m.start(), m.group(), number, value, m["u1"] or m["u2"] or ""))
    for m in spelled.finditer(text):
        raw = m["num"]
        words = chinese_number(raw) if WORDS.fullmatch(raw) else english_number(raw)
        if words is not None and len(raw) > 1 and (m["u"] or words >= 1000):
            found.append(_Figure(m.start(), m.group(), raw, Decimal(words), m["u"] or ""))
    return found


def _compact(text: str) -> str:
    """Name a Chinese figure without gaps between figure, scale and unit (3.8万吨)."""
    return text if re.search("[A-Za-z]{2}", text) else re.sub("[ \u2009\u202f]", "", text)


def figure_forms(
    texts: Iterable[tuple[str, str]],
    units: Iterable[str],
    edition: str,
    terms: Mapping[str, str] | None = None,
) -> list[Problem]:
    """One figure written in two forms in one edition's texts ((display, text) pairs).

    The second form met is reported, naming the first. ``terms`` maps a unit
    variant to its preferred term (t → tonnes) so both count as one unit.
    """
    aliases = dict(terms or {})
    names = {
        u
        for u in (*units, *aliases, *aliases.values())
        if u and u[0] not in "%:/" and u not in SCALES
    }
    digits, spelled = _patterns(sorted(names, key=len, reverse=True))
    first: dict[tuple[Decimal, str], tuple[str, str, str]] = {}
    out: list[Problem] = []
    for display, raw in texts:
        text = masked(raw)
        for fig in sorted(_figures(text, digits, spelled)):
            key = (fig.value.normalize(), aliases.get(fig.unit, fig.unit))
            form = re.sub(r"[ \u2009\u202f]", "", fig.number).lower()
            if key not in first:
                first[key] = (form, _compact(fig.written), display)
                continue
            other_form, other, where = first[key]
            if form != other_form:
                line = text.count("\n", 0, fig.offset) + 1
                col = fig.offset - (text.rfind("\n", 0, fig.offset) + 1) + 1
                out.append(
                    Problem(
                        display,
                        line,
                        col,
                        f"'{fig.written}' is the figure written '{other}' in {where} "
                        f"in the {edition} edition: write one figure one way "
                        "(in digits, or with kpi())",
                        "warning",
                        "figure-forms",
                    )
                )
    return out
