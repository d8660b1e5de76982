"""House style per edition: spacing, scale words, quote marks, the slash in units.

The rules are data (``style:`` in ``data/report.yaml``, read into
:class:`~esgpress.data.model.HouseStyle`) and are applied in one place,
:meth:`Style.apply`, to every edition's rendered Markdown (chapter prose,
kpi() figures, tables, notes, the content index: what the site and the PDF
both print) and by :class:`~esgpress.editions.i18n.Localizer` to the units it
hands to the formatters (charts, site tiles). Code, HTML tags, links and
attribute lists are shielded as in the conversion
(:mod:`esgpress.editions.shield`), so only prose changes.

>>> from esgpress.data.model import HouseStyle
>>> hans = Style(HouseStyle("zh-Hans", "space", "space"), ["吨"])
>>> hans.apply("回收38,000吨，即Xiaomi SU7")
'回收 38,000 吨，即 Xiaomi SU7'
>>> hant = Style(HouseStyle("zh-Hant", "together", "together", quotes="「」『』"), ["噸"])
>>> hant.apply("“其他” 12 噸")
'「其他」 12噸'
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from esgpress.data.model import HouseStyle
from esgpress.data.scripts import FROZEN, unmask
from esgpress.editions.shield import mask, segments

#: What each figure–unit rule puts between a figure and its unit. "thin" is
#: U+202F NARROW NO-BREAK SPACE: thin, and the unit never wraps to a new line.
GAPS = {"together": "", "thin": "\u202f", "space": " "}

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_SPACES = "[ \u2009\u202f]"
#: A figure: digits with grouping commas and a decimal part, not inside a word or code.
FIGURE = r"(?<![A-Za-z0-9_.,/#:\-])\d+(?:,\d{3})*(?:\.\d+)?"
_HAN_THEN_LATIN = re.compile(rf"([{_HAN}])(?:{_SPACES}?)(?=[A-Za-z0-9])")
_LATIN_THEN_HAN = re.compile(rf"(?<=[A-Za-z0-9])(?:{_SPACES}?)([{_HAN}])")
_HAN_SPACE_LATIN = re.compile(rf"([{_HAN}]){_SPACES}(?=[A-Za-z0-9])")
_LATIN_SPACE_HAN = re.compile(rf"(?<=[A-Za-z0-9]){_SPACES}([{_HAN}])")
_DOUBLE = re.compile("“([^“”\n]*)”")
_SINGLE = re.compile("‘([^‘’\n]*)’")


class Style:
    """One edition's house style, compiled for the unit words that edition prints."""

    def __init__(
        self, rules: HouseStyle, units: Iterable[str], terms: Mapping[str, str] | None = None
    ) -> None:
        """Compile the figure–unit pattern for ``units`` (display texts) and the scale words.

        ``terms`` maps a unit variant to the term prose writes after a figure
        (the glossary's English ``after_figure`` entries: t → tonnes).
        """
        self.rules = rules
        self.terms = dict(terms or {})
        self.term = (
            re.compile(
                rf"({FIGURE})({_SPACES})("
                + "|".join(map(re.escape, sorted(self.terms, key=len, reverse=True)))
                + r")(?![\w³²])"
            )
            if self.terms
            else None
        )
        self.gap = GAPS[rules.figure_unit]
        words = sorted({u for u in (*units, *rules.scale) if u and u[0] not in "%:/"}, key=len)
        #: The unit words the edition prints, shortest first.
        self.units = tuple(words)
        alternatives = "|".join(re.escape(w) for w in reversed(words))
        latin_end = r"(?![A-Za-z])"
        self.pair = (
            re.compile(rf"({FIGURE}){_SPACES}?({alternatives}){latin_end}") if words else None
        )

    def unit_text(self, text: str) -> str:
        """Write a unit's display with the edition's slash: 兆瓦時/人 or 兆瓦时 / 人.

        The spaces already around a slash are replaced too, so a unit declared
        whole as ``兆瓦时 / 人`` is not spaced twice. This is the one place a
        slash is chosen (``style.<edition>.unit_slash``).
        """
        return re.sub(r"\s*/\s*", lambda _m: self.rules.unit_slash, text) if "/" in text else text

    def figure(self, number: str, unit: str) -> str:
        """Join a printed figure and its unit the edition's way."""
        return f"{number}{self.gap}{unit}"

    def apply(self, text: str) -> str:
        """Apply quotes, CJK–Latin spacing and figure–unit spacing to the prose of ``text``."""
        parts = segments(text)
        masked, frozen = mask(parts, ["text", "literal"])
        return unmask(self.prose(masked), FROZEN, frozen)

    def prose(self, text: str) -> str:
        """Apply the rules to plain prose (no Markdown or HTML syntax left in it)."""
        if self.rules.edition != "en":
            marks = self.rules.quotes
            opening, closing, inner_open, inner_close = marks[0], marks[1], marks[2], marks[3]
            text = _DOUBLE.sub(lambda m: opening + m.group(1) + closing, text)
            text = _SINGLE.sub(lambda m: inner_open + m.group(1) + inner_close, text)
            if self.rules.cjk_latin == "space":
                text = _HAN_THEN_LATIN.sub(r"\1 ", text)
                text = _LATIN_THEN_HAN.sub(r" \1", text)
            else:
                text = _HAN_SPACE_LATIN.sub(r"\1", text)
                text = _LATIN_SPACE_HAN.sub(r"\1", text)
        if self.pair is not None:
            text = self.pair.sub(lambda m: self.figure(m.group(1), m.group(2)), text)
        if self.term is not None:
            text = self.term.sub(lambda m: m.group(1) + m.group(2) + self.terms[m.group(3)], text)
        return text

    def breaks(self, text: str) -> Iterable[tuple[int, str, str]]:
        """Yield (offset, as written, as the rule writes it) for each pair off the rule."""
        if self.pair is None:
            return
        for match in self.pair.finditer(text):
            if match.start() == 0 or text[match.start() - 1] == "\n":
                continue  # "17 人均指標…": a note or list number opening a line, no figure
            wanted = self.figure(match.group(1), match.group(2))
            if match.group() != wanted:
                yield match.start(), match.group(), wanted
