"""Edition-aware texts: which string of a :class:`~esgpress.data.model.Text` an edition prints.

zh-Hans prints the ``zh`` source; zh-Hant prints an explicit ``zh-Hant``
override or the ``zh`` source converted by the project's converter (OpenCC
plus the glossary); en prints ``en``. Conversions are cached: labels repeat
across tables, charts and exports (per :class:`Localizer`), and the live preview
converts the same chapters on every save (process-wide, by the one rule of
:class:`~esgpress.core.fingerprints.Remembered`).
"""

from __future__ import annotations

import hashlib
from functools import cached_property

from esgpress.core.fingerprints import Remembered, cache_path, enabled
from esgpress.core.sealed import kept_or_made
from esgpress.data.load_style import DEFAULTS
from esgpress.data.loader import loaded_root
from esgpress.data.model import Dataset, Text, Unit
from esgpress.data.units import resolve
from esgpress.editions.converter import Converter
from esgpress.editions.formatting import UnitDisplay
from esgpress.editions.glossary import Glossary
from esgpress.editions.house import Style
from esgpress.editions.wordlevel import dataset_words, segmenter_for

#: Words the toolkit prints itself (table headers, legends, callout labels).
UI: dict[str, dict[str, str]] = {
    "indicator": {"zh": "指标", "en": "Indicator"},
    "unit": {"zh": "单位", "en": "Unit"},
    "year": {"zh": "年度", "en": "Year"},
    "total": {"zh": "总量", "en": "Total"},
    "of_which": {"zh": "其中：", "en": "of which: "},
    "case": {"zh": "案例", "en": "Case study"},
    "reasonable": {"zh": "合理保证", "en": "reasonable assurance"},
    "limited": {"zh": "有限保证", "en": "limited assurance"},
    "restated": {"zh": "重述数据", "en": "restated figure"},
    "series_break": {
        "zh": "统计口径变更，不宜与此前年度比较",
        "en": "new basis: not comparable with earlier years",
    },
    "assured_by": {"zh": "鉴证", "en": "assured"},
    "area": {"zh": "领域", "en": "Area"},
    "target": {"zh": "目标", "en": "Target"},
    "progress": {"zh": "本年度完成情况", "en": "Progress this year"},
    "next": {"zh": "下一年度目标", "en": "Next year"},
    "code": {"zh": "指标编号", "en": "Code"},
    "disclosure": {"zh": "披露内容", "en": "Disclosure"},
    "location": {"zh": "章节及页码", "en": "Section and page"},
    "not_disclosed": {"zh": "本报告未披露", "en": "Not disclosed in this report"},
    "notes": {"zh": "注释", "en": "Notes"},
    "year_suffix": {"zh": "年", "en": ""},
}

#: Characters of a Chinese scale word at the start of a unit (百万台, 千万元).
SCALE_CHARS = "十百千万亿萬億"

MARKS = {"reasonable": "◆", "limited": "◇", "restated": "*", "series_break": "‡"}


#: The converter of the current glossary (one scope): the preview re-renders on
#: every save, and compiling the glossary's match tables each time is not free.
_CONVERTERS: Remembered[Converter] = Remembered()
#: Converted chapter sources, one per chapter (the scope the caller names),
#: replaced when the glossary or the chapter's text changes: unchanged chapters skip OpenCC.
_CONVERTED: Remembered[str] = Remembered()


def _fingerprint(*parts: object) -> str:
    return hashlib.sha256(repr(parts).encode()).hexdigest()


def lang_of(edition: str) -> str:
    """Return the source language an edition is written from (zh-Hant is converted from zh)."""
    return "en" if edition == "en" else "zh"


class Localizer:
    """Texts, units and UI words for one edition of one data set."""

    def __init__(
        self,
        dataset: Dataset,
        edition: str,
        converter: Converter | None = None,
    ) -> None:
        """Prepare one edition's texts.

        Args:
            dataset: the data set, whose glossary (``Dataset.glossary``) the
                zh-Hant conversion applies, wherever the command runs from.
            edition: ``zh-Hant``, ``zh-Hans`` or ``en``.
            converter: a converter to use instead of the data set's glossary.

        """
        self.dataset = dataset
        self.edition = edition
        self._converter = converter
        self._converter_given = converter is not None
        self._cache: dict[str, str] = {}

    @cached_property
    def glossary_fingerprint(self) -> str:
        """Hash what the project's converter is made of, without making it.

        The word-level reading depends on the data's labels as well as the glossary.
        """
        return _fingerprint(self.dataset.glossary, self._words, self.traditional_source)

    @cached_property
    def _words(self) -> tuple[str, ...]:
        """The user dictionary of the word-level reading (glossary terms, data labels)."""
        return tuple(dataset_words(self.dataset))

    @cached_property
    def converter(self) -> Converter:
        """The zh-Hant converter, built on first use (jieba's dictionary takes seconds to load)."""
        if self._converter is None:
            key = self.dataset.glossary
            traditional = self.traditional_source
            self._converter = _CONVERTERS.get(
                "glossary",
                self.glossary_fingerprint,
                lambda: Converter(
                    Glossary.from_entries(key),
                    segmenter_for(self._words),
                    traditional_source=traditional,
                ),
            )
        return self._converter

    @property
    def traditional_source(self) -> bool:
        """True when the project's Chinese source is written in Traditional."""
        return self.dataset.report.source_script == "traditional"

    @property
    def source_edition(self) -> str:
        """The Chinese edition written in the source's own script."""
        return "zh-Hant" if self.traditional_source else "zh-Hans"

    def edition_source(self, source: str, scope: str | None = None) -> str:
        """Return a whole Chinese chapter source as this edition prints it.

        The edition in the source's own script prints it as written; the other
        is converted, and kept per ``scope`` (the chapter) for the live preview,
        and on disk (``build/cache/converted/``, sealed) for a data set as
        loaded from its project, so a new process converts only the chapters
        that changed (and builds no converter when none did). Without a scope,
        or with a converter handed in by the caller, the text is converted
        every time.
        """
        if self.edition == "en" or self.edition == self.source_edition:
            return source
        if self._converter_given or scope is None:
            return self._convert(source)
        fingerprint = _fingerprint(self.glossary_fingerprint, source)
        # Kept on disk too, so a new process converts only the chapters that changed.
        root = loaded_root(self.dataset) if enabled() else None
        name = _fingerprint(scope)[:24]
        path = cache_path(root, "converted", self.edition, name) if root else None
        return _CONVERTED.get(
            f"{self.edition}:{scope}",
            fingerprint,
            lambda: kept_or_made(path, fingerprint, lambda: self._convert(source), str),
        )

    def _convert(self, source: str) -> str:
        """Convert a whole chapter source to the other script (no memory)."""
        converter = self.converter
        return converter.to_hans(source) if self.traditional_source else converter.to_hant(source)

    def hant_source(self, simplified: str, scope: str | None = None) -> str:
        """Convert a whole Simplified chapter source for zh-Hant (see :meth:`edition_source`)."""
        return self.edition_source(simplified, scope)

    def hant(self, simplified: str) -> str:
        """Convert Simplified source text to the Traditional house style (cached)."""
        if simplified not in self._cache:
            self._cache[simplified] = self.converter.to_hant(simplified)
        return self._cache[simplified]

    def text(self, text: Text | None) -> str:
        """Return the string this edition prints for a multilingual text.

        zh-Hant uses its own text when the data has one and otherwise converts
        the Simplified source, so a hand-checked translation always wins.
        """
        if text is None:
            return ""
        if text.same is not None:
            return text.same
        if self.edition == "en":
            return text.en or ""
        if self.edition == "zh-Hant":
            if text.zh_hant:
                return text.zh_hant
            return (text.zh or "") if self.traditional_source else self.hant(text.zh or "")
        if self.traditional_source:
            return self.hans(text.zh or "")
        return text.zh or ""

    def shown(self, text: Text | None) -> str:
        """Return a data text as this edition prints it outside a chapter: with the house style.

        Chapters get the house style when they render (``Style.apply``);
        charts and the site's own pages print data texts directly, so they
        ask for them here and print the same spacing and quote marks.
        """
        return self.style.prose(self.text(text))

    def hans(self, traditional: str) -> str:
        """Convert Traditional source text for zh-Hans (a Traditional source; cached)."""
        key = "\0hans\0" + traditional
        if key not in self._cache:
            self._cache[key] = self.converter.to_hans(traditional)
        return self._cache[key]

    def pick(self, zh: str, en: str) -> str:
        """One of a (Simplified, English) pair of the toolkit's own words, for this edition."""
        return en if self.edition == "en" else self.zh(zh)

    def ui(self, key: str) -> str:
        """Return a word the toolkit prints itself (a UI label), in this edition."""
        return self.pick(UI[key]["zh"], UI[key]["en"])

    def zh(self, simplified: str) -> str:
        """Show a Simplified literal in this Chinese edition (converted for zh-Hant)."""
        return self.hant(simplified) if self.edition == "zh-Hant" else simplified

    def unit_display(self, key: str) -> UnitDisplay:
        """How a unit key prints in this edition (the house style's slash and figure gap).

        Composed units (``MWh/人``) are joined with ``/`` here and take the
        edition's ``style.<edition>.unit_slash`` in :meth:`Style.unit_text`: the
        one place tables, kpi() text, charts and tiles get their slash from.
        """
        unit = resolve(key, self.dataset.units)
        return self._display(unit)

    @cached_property
    def style(self) -> Style:
        """The edition's house style (``style:`` in data/report.yaml), for the units it prints."""
        rules = self.dataset.report.style.get(self.edition) or DEFAULTS[self.edition]
        words = [self._unit_text(u) for u in self.dataset.units.values() if u.space]
        terms = {}
        if self.edition == "en":
            words += [u.en_one for u in self.dataset.units.values() if u.space and u.en_one]
            terms = {e.source: e.target for e in self.dataset.glossary if e.after_figure}
        return Style(rules, words, terms)

    def rescaled(self, key: str, decimals: int) -> tuple[int, UnitDisplay] | None:
        """How to print a figure whose unit scales by a word the edition does not use.

        A Chinese edition scales with its own words (亿/万, 億/萬): a unit such
        as 百万 (10⁶) is rescaled, 702.3 百万 → 7.023亿 and 904.6 百万台 →
        9.046亿台, keeping every digit the data has. Returns the decimals for
        the scaled figure and the unit to print after the scale word, or
        ``None`` when the unit needs no rescaling.
        """
        unit = resolve(key, self.dataset.units)
        if self.edition == "en" or unit.factor is None:
            return None
        text = self._unit_text(unit)
        if any(text.startswith(word) for word in self.style.rules.scale):
            return None
        exponent = unit.factor.adjusted()
        if unit.factor != 10**exponent or not text or text[0] not in SCALE_CHARS:
            return None
        noun = self.style.unit_text(text.lstrip(SCALE_CHARS))
        base = UnitDisplay(noun, space=False)
        shown = UnitDisplay(text, None, True, False, unit.factor, base, self.style.gap)
        return decimals + max(0, 8 - exponent), shown

    def _unit_text(self, unit: Unit) -> str:
        if self.edition == "en":
            return unit.en
        if self.edition == "zh-Hant":
            return unit.zh_hant or self.hant(unit.zh)
        return unit.zh

    def _display(self, unit: Unit) -> UnitDisplay:
        base = None
        if unit.base is not None and unit.base in self.dataset.units:
            base = self._display(self.dataset.units[unit.base])
        text, gap = self.style.unit_text(self._unit_text(unit)), self.style.gap
        if self.edition == "en":
            one = self.style.unit_text(unit.en_one) if unit.en_one else None
            return UnitDisplay(text, one, unit.space, unit.en_before, unit.factor, base, gap)
        return UnitDisplay(text, None, unit.space, False, unit.factor, base, gap)
