"""House-style lints: figure–unit spacing typed by hand, and one figure written two ways.

The house style (``style:`` in data/report.yaml, :mod:`esgpress.editions.house`)
is applied to every edition as it renders, so the editions always follow it;
these lints keep the sources tidy and catch what no rule can rewrite:

- ``style-spacing``: a figure and its unit typed in a chapter against the rule
  of the edition that prints the source as typed (content/zh → zh-Hans,
  content/en → en), with the fix;
- ``figure-forms``: one figure written in two forms in one edition: in
  words and in digits (三万八千吨 and 38,000吨), or with and without a scale
  word (38,000吨 and 3.8万吨). Readers take two forms for two figures.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from esgpress.core.errors import Problem
from esgpress.data.model import GlossaryEntry
from esgpress.editions.house import FIGURE, Style
from esgpress.render.chapters import Chapter

#: Spans that are not prose in a chapter source (as :mod:`esgpress.checks.lint` skips them).
SKIP = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{##.*?##\}|\{#[\w.\-]+\}|`[^`]*`|\]\([^)]*\)|<[^>]+>|<!--.*?-->", re.S
)
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


def _masked(text: str) -> str:
    return SKIP.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def spacing_problems(chapter: Chapter, style: Style, edition: str) -> list[Problem]:
    """Figure–unit pairs typed in ``chapter`` against ``style`` (the edition that prints it)."""
    text = _masked(chapter.body)
    out = []
    for offset, written, wanted in style.breaks(text):
        line, col = _position(text, offset)
        out.append(
            Problem(
                chapter.display,
                line,
                col,
                f"'{written}' breaks the {edition} figure–unit rule "
                f"({style.rules.figure_unit}); write '{wanted}' "
                f"(data/report.yaml style.{edition}.figure_unit)",
                "warning",
                "style-spacing",
            )
        )
    return out


def figure_forms(
    texts: Iterable[tuple[str, str]], units: Iterable[str], edition: str
) -> list[Problem]:
    """One figure written in two forms in one edition's texts ((display, text) pairs).

    A figure is a value with its unit: digits (38,000吨), digits with a scale
    word (3.8万吨), or Chinese number words (三万八千吨). The second form met
    is reported, naming the first.
    """
    words = sorted({u for u in units if u and u[0] not in "%:/"}, key=len, reverse=True)
    if not words:
        return []
    unit = "(?P<unit>" + "|".join(map(re.escape, words)) + ")(?![A-Za-z])"
    scale = "(?P<scale>" + "|".join(SCALES) + ")?"
    digits = re.compile(rf"(?P<num>{FIGURE})[ \u2009\u202f]?{scale}[ \u2009\u202f]?{unit}")
    spelled = re.compile(rf"(?P<num>{WORDS.pattern}){unit}")
    first: dict[tuple[Decimal, str], tuple[str, str, int, int]] = {}
    out: list[Problem] = []
    for display, raw in texts:
        text = _masked(raw)
        found = []
        for match in digits.finditer(text):
            value = Decimal(match["num"].replace(",", "")) * SCALES.get(match["scale"] or "", 1)
            found.append((match.start(), match.group(), value, match["unit"], bool(match["scale"])))
        for match in spelled.finditer(text):
            number = chinese_number(match["num"])
            if number is not None and len(match["num"]) > 1:
                found.append((match.start(), match.group(), Decimal(number), match["unit"], True))
        for offset, written, value, unit_word, _ in sorted(found):
            key = (value.normalize(), unit_word)
            line, col = _position(text, offset)
            form = re.sub(r"[ \u2009\u202f]", "", written)
            if key not in first:
                first[key] = (form, display, line, col)
                continue
            other, where, _, _ = first[key]
            if form != other:
                out.append(
                    Problem(
                        display,
                        line,
                        col,
                        f"'{written}' is the figure written '{other}' in {where} "
                        f"in the {edition} edition: write one figure one way "
                        "(in digits, or with kpi())",
                        "warning",
                        "figure-forms",
                    )
                )
    return out


def terminology(
    display: str, text: str, entries: Iterable[GlossaryEntry], *, figures_too: bool = True
) -> list[Problem]:
    """English variants the glossary's ``en`` section flags, with the preferred term.

    ``figures_too=False`` skips the after-figure variants (rendered text,
    where the house style has already written them the preferred way).
    """
    masked = _masked(text)
    out = []
    for entry in entries:
        if entry.section != "en" or (entry.after_figure and not figures_too):
            continue
        variant = re.escape(entry.source)
        if entry.after_figure:
            pattern = rf"(?:{FIGURE})[ \u2009\u202f](?P<v>{variant})(?![\w³²])"
        else:
            pattern = rf"(?<![\w-])(?P<v>{variant})(?![\w-])"
        for match in re.finditer(pattern, masked):
            line, col = _position(masked, match.start("v"))
            where = " after a figure" if entry.after_figure else ""
            out.append(
                Problem(
                    display,
                    line,
                    col,
                    f"'{match['v']}'{where}: the house term is '{entry.target}' "
                    f"(data/glossary.yaml:{entry.line}, en)",
                    "warning",
                    "terminology",
                )
            )
    return out
