"""Edition-aware texts: which string of a :class:`~esgpress.data.model.Text` an edition prints.

zh-Hans prints the ``zh`` source; zh-Hant prints an explicit ``zh-Hant``
override or the ``zh`` source converted by the project's converter (OpenCC
plus the glossary); en prints ``en``. Conversions are cached: labels repeat
across tables, charts and exports.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from esgpress.data.model import Dataset, GlossaryEntry, Text, Unit
from esgpress.data.units import resolve
from esgpress.editions.converter import Converter
from esgpress.editions.formatting import UnitDisplay
from esgpress.editions.glossary import Glossary

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

MARKS = {"reasonable": "◆", "limited": "◇", "restated": "*", "series_break": "‡"}


#: Converters by glossary entries: the preview re-renders on every save, and
#: compiling the glossary's match tables each time is not free.
_CONVERTERS: dict[tuple[GlossaryEntry, ...], Converter] = {}
#: Converted chapter sources by (glossary entries, text): unchanged chapters skip OpenCC.
_CONVERTED: dict[tuple[tuple[GlossaryEntry, ...], str], str] = {}
CONVERTED_LIMIT = 512


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
        root: Path | None = None,
    ) -> None:
        """Prepare one edition's texts.

        Args:
            dataset: the data set, whose glossary (``Dataset.glossary``) the
                zh-Hant conversion applies, wherever the command runs from.
            edition: ``zh-Hant``, ``zh-Hans`` or ``en``.
            converter: a converter to use instead of the data set's glossary.
            root: the project root; kept for callers, the glossary no longer
                needs it.

        """
        self.dataset = dataset
        self.root = root
        self.edition = edition
        self._converter = converter
        self._cache: dict[str, str] = {}
        self._glossary_key: tuple[GlossaryEntry, ...] | None = None

    @cached_property
    def converter(self) -> Converter:
        """The zh-Hant converter, built on first use (OpenCC start-up is not free)."""
        if self._converter is None:
            key = self.dataset.glossary
            if key not in _CONVERTERS:
                _CONVERTERS.clear()  # one project per process, in practice
                _CONVERTERS[key] = Converter(Glossary.from_entries(key))
            self._converter = _CONVERTERS[key]
            self._glossary_key = key
        return self._converter

    def hant_source(self, simplified: str) -> str:
        """Convert a whole chapter source, once per text and process (the live preview)."""
        converter = self.converter
        if self._glossary_key is None:  # a converter handed in by the caller
            return converter.to_hant(simplified)
        key = (self._glossary_key, simplified)
        if key not in _CONVERTED:
            if len(_CONVERTED) >= CONVERTED_LIMIT:
                _CONVERTED.clear()
            _CONVERTED[key] = converter.to_hant(simplified)
        return _CONVERTED[key]

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
            return self.hant(text.zh or "")
        return text.zh or ""

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
        """How a unit key prints in this edition."""
        unit = resolve(key, self.dataset.units, self.dataset.report.tables.unit_slash)
        return self._display(unit)

    def _display(self, unit: Unit) -> UnitDisplay:
        base = None
        if unit.base is not None and unit.base in self.dataset.units:
            base = self._display(self.dataset.units[unit.base])
        if self.edition == "en":
            return UnitDisplay(unit.en, unit.en_one, unit.space, unit.en_before, unit.factor, base)
        text = unit.zh_hant if (self.edition == "zh-Hant" and unit.zh_hant) else unit.zh
        if self.edition == "zh-Hant" and not unit.zh_hant:
            text = self.hant(unit.zh)
        return UnitDisplay(text, None, unit.space, False, unit.factor, base)
