"""The rows of an export: one figure per row, in the edition's language, rounded as printed.

The table model every export format writes (:mod:`esgpress.workflows.export`)
and the data centre of the site lists; the collection workbook and the import
read the same headers, so an edited export reads back.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from esgpress.core.numbers import round_half_up

if TYPE_CHECKING:
    from esgpress.data.model import Dataset, Indicator, Value
    from esgpress.editions.i18n import Localizer

#: Column keys, in order (CSV header, JSON keys).
COLUMNS: tuple[str, ...] = (
    "id",
    "group",
    "topic",
    "label",
    "unit",
    "year",
    "segment",
    "value",
    "qualifier",
    "missing",
    "decimals",
    "hkex",
    "gri",
    "sasb",
    "assurance",
    "footnotes",
    "restated_from",
    "restatement_reason",
)

#: Column headers of the XLSX sheets: (Simplified, English); zh-Hant is converted.
HEADERS: dict[str, tuple[str, str]] = {
    "id": ("指标编号", "ID"),
    "group": ("类别", "Group"),
    "topic": ("议题", "Topic"),
    "label": ("指标", "Indicator"),
    "unit": ("单位", "Unit"),
    "year": ("年度", "Year"),
    "segment": ("分部", "Segment"),
    "value": ("数值", "Value"),
    "qualifier": ("限定词", "Qualifier"),
    "missing": ("缺失原因", "Missing"),
    "decimals": ("小数位", "Decimals"),
    "hkex": ("港交所", "HKEX"),
    "gri": ("GRI", "GRI"),
    "sasb": ("SASB", "SASB"),
    "assurance": ("鉴证", "Assurance"),
    "footnotes": ("附注", "Notes"),
    "restated_from": ("重述前数值", "Restated from"),
    "restatement_reason": ("重述原因", "Restatement reason"),
}

#: Names of the topics groups are filed under: (Simplified, English).
TOPICS: dict[str, tuple[str, str]] = {
    "environment": ("环境", "Environment"),
    "social": ("社会", "Social"),
    "governance": ("管治", "Governance"),
    "product": ("产品责任", "Product responsibility"),
    "supply_chain": ("供应链", "Supply chain"),
    "community": ("社区", "Community"),
    "finance": ("财务", "Finance"),
    "technology": ("科技", "Technology"),
}


@dataclass(frozen=True)
class Row:
    """One exported figure; ``value`` is rounded to ``decimals``."""

    id: str
    group: str
    topic: str
    label: str
    unit: str
    year: int
    segment: str
    value: Decimal | None
    qualifier: str
    missing: str
    decimals: int
    hkex: tuple[str, ...]
    gri: tuple[str, ...]
    sasb: tuple[str, ...]
    assurance: str
    footnotes: tuple[str, ...]
    topic_key: str
    restated_from: Decimal | None = None
    restatement_reason: str = ""


def topic_label(topic: str, loc: Localizer) -> str:
    """Return a topic's name in the edition (its key when we have no name for it)."""
    if topic not in TOPICS:
        return topic
    return loc.pick(*TOPICS[topic])


def all_years(dataset: Dataset) -> list[int]:
    """Every year that has a figure or a segment cell somewhere in the data, newest first."""
    years: set[int] = set()
    for ind in dataset.indicators.values():
        years.update(ind.values)
        years.update(ind.segments)
    return sorted(years, reverse=True)


#: Control characters: not allowed in XLSX cells (XML 1.0) and never meant in a label.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Remove control characters (a stray BEL from a folded YAML scalar, say)."""
    return CONTROL.sub("", text)


def footnote_texts(keys: tuple[str, ...], dataset: Dataset, loc: Localizer) -> list[str]:
    """Return the texts of the footnotes ``keys`` in the edition (unknown keys skipped)."""
    return [clean(loc.text(dataset.footnotes[k].text)) for k in keys if k in dataset.footnotes]


def figure_row(
    ind: Indicator,
    value: Value,
    year: int,
    segment: str,
    dataset: Dataset,
    loc: Localizer,
    group_notes: tuple[str, ...],
) -> Row:
    """Make the row of one figure: rounded as printed, texts in the edition, notes once each."""
    decimals = ind.decimals_for(value)
    number = None
    if value.is_number and value.number is not None:
        number = round_half_up(value.number, decimals)
    seg_label = (
        loc.text(dataset.segments[segment].label) if segment in dataset.segments else segment
    )
    notes: list[str] = []
    for text in footnote_texts((*group_notes, *ind.footnotes, *value.footnotes), dataset, loc):
        if text not in notes:
            notes.append(text)
    if value.kind == "pending" and value.pending is not None:
        notes.append(clean(loc.text(value.pending)))
    group = dataset.groups.get(ind.group)
    topic = group.topic if group else ""
    return Row(
        id=ind.id,
        group=clean(loc.text(group.label)) if group else ind.group,
        topic=clean(topic_label(topic, loc)),
        label=clean(loc.text(ind.label)),
        unit=clean(loc.unit_display(ind.unit).text),
        year=year,
        segment=clean(seg_label),
        value=number,
        qualifier=value.qualifier or "",
        missing="" if value.is_number else value.kind,
        decimals=decimals,
        hkex=ind.codes.get("hkex", ()),
        gri=ind.codes.get("gri", ()),
        sasb=ind.codes.get("sasb", ()),
        assurance=ind.assurance,
        footnotes=tuple(notes),
        topic_key=topic,
        restated_from=value.restated.previous if value.restated else None,
        restatement_reason=clean(value.restated.reason) if value.restated else "",
    )


def dataset_rows(dataset: Dataset, loc: Localizer, internal: bool = False) -> Iterator[Row]:
    """Yield every figure in report order: group, indicator, year (newest first), segment.

    ``internal`` indicators (denominators, check-only figures) are left out
    unless asked for: they were never published.
    """
    years = all_years(dataset)
    for group in dataset.groups.values():
        for kpi_id in group.indicators:
            ind = dataset.indicators[kpi_id]
            if ind.internal and not internal:
                continue
            for year in years:
                value = ind.values.get(year)
                if value is not None:
                    yield figure_row(ind, value, year, "", dataset, loc, group.footnotes)
                for seg in dataset.segments:
                    cell = ind.segments.get(year, {}).get(seg)
                    if cell is not None:
                        yield figure_row(ind, cell, year, seg, dataset, loc, group.footnotes)


def spreadsheet_number(value: Decimal | None, decimals: int) -> int | float | None:
    """Return a figure as a JSON or spreadsheet number: int at precision 0, else float."""
    if value is None:
        return None
    return int(value) if decimals == 0 and value == value.to_integral_value() else float(value)


def plain_row(row: Row) -> dict[str, object]:
    """Convert a row to JSON-ready values (numbers as int or float, lists kept)."""
    value = spreadsheet_number(row.value, row.decimals)
    return {
        "id": row.id,
        "group": row.group,
        "topic": row.topic,
        "label": row.label,
        "unit": row.unit,
        "year": row.year,
        "segment": row.segment or None,
        "value": value,
        "qualifier": row.qualifier or None,
        "missing": row.missing or None,
        "decimals": row.decimals,
        "hkex": list(row.hkex),
        "gri": list(row.gri),
        "sasb": list(row.sasb),
        "assurance": row.assurance,
        "footnotes": list(row.footnotes),
        "restated_from": spreadsheet_number(row.restated_from, row.decimals),
        "restatement_reason": row.restatement_reason or None,
    }
