"""The KPI data set as CSV, XLSX or JSON, in one edition's language.

One row per figure (indicator × year × segment) with the columns in
:data:`COLUMNS`. Labels, units, groups, topics and footnote texts are in the
edition's language; values are numbers rounded to the precision the report
prints (so a download never disagrees with a table), never strings with
thousands separators. Missing figures have an empty value and say why in
``missing`` (``not_reported``, ``not_applicable`` or ``pending``).

- **CSV**: UTF-8 with a byte-order mark (so Excel opens Chinese text
  correctly), the column keys as header, numbers without grouping.
- **XLSX**: one sheet per topic, the header frozen and in the edition's
  language, numbers stored as numbers with the indicator's precision as the
  number format (``#,##0.00``).
- **JSON**: ``{"report": {...}, "columns": [...], "data": [{...}, ...]}`` with
  numbers as JSON numbers and codes and footnotes as lists.

A restated figure carries the figure it replaces and the reason
(``restated_from``, ``restatement_reason``; GRI 2-4 asks for both), and the
XLSX export is also an input: ``esgpress import`` reads it back after a data
owner has edited it (:mod:`esgpress.workflows.importer`).

Output is deterministic: the same data gives the same bytes (the XLSX zip
carries fixed timestamps), so a rebuilt site does not change for nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from esgpress.core.errors import EsgError
from esgpress.core.numbers import round_half_up

if TYPE_CHECKING:
    from esgpress.data.model import Dataset, Indicator, Value
    from esgpress.editions.i18n import Localizer

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")

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

#: Fixed timestamp written into XLSX files (zip entries and document properties).
_EPOCH = (1980, 1, 1, 0, 0, 0)


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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """Remove control characters (a stray BEL from a folded YAML scalar, say)."""
    return _CONTROL.sub("", text)


def _footnotes(keys: tuple[str, ...], dataset: Dataset, loc: Localizer) -> list[str]:
    return [clean(loc.text(dataset.footnotes[k].text)) for k in keys if k in dataset.footnotes]


def _row(
    ind: Indicator,
    value: Value,
    year: int,
    segment: str,
    dataset: Dataset,
    loc: Localizer,
    group_notes: tuple[str, ...],
) -> Row:
    decimals = ind.decimals_for(value)
    number = None
    if value.is_number and value.number is not None:
        number = round_half_up(value.number, decimals)
    seg_label = (
        loc.text(dataset.segments[segment].label) if segment in dataset.segments else segment
    )
    notes: list[str] = []
    for text in _footnotes((*group_notes, *ind.footnotes, *value.footnotes), dataset, loc):
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


def dataset_rows(dataset: Dataset, loc: Localizer) -> Iterator[Row]:
    """Yield every figure in report order: group, indicator, year (newest first), segment."""
    years = all_years(dataset)
    for group in dataset.groups.values():
        for kpi_id in group.indicators:
            ind = dataset.indicators[kpi_id]
            for year in years:
                value = ind.values.get(year)
                if value is not None:
                    yield _row(ind, value, year, "", dataset, loc, group.footnotes)
                for seg in dataset.segments:
                    cell = ind.segments.get(year, {}).get(seg)
                    if cell is not None:
                        yield _row(ind, cell, year, seg, dataset, loc, group.footnotes)


def _number(value: Decimal | None, decimals: int) -> int | float | None:
    """Return a figure as a JSON or spreadsheet number: int at precision 0, else float."""
    if value is None:
        return None
    return int(value) if decimals == 0 and value == value.to_integral_value() else float(value)


def _plain(row: Row) -> dict[str, object]:
    """Convert a row to JSON-ready values (numbers as int or float, lists kept)."""
    value = _number(row.value, row.decimals)
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
        "restated_from": _number(row.restated_from, row.decimals),
        "restatement_reason": row.restatement_reason or None,
    }


def _csv(rows: list[Row]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            [
                r.id,
                r.group,
                r.topic,
                r.label,
                r.unit,
                r.year,
                r.segment,
                "" if r.value is None else format(r.value, "f"),
                r.qualifier,
                r.missing,
                r.decimals,
                "; ".join(r.hkex),
                "; ".join(r.gri),
                "; ".join(r.sasb),
                r.assurance,
                " | ".join(r.footnotes),
                "" if r.restated_from is None else format(r.restated_from, "f"),
                r.restatement_reason,
            ]
        )
    return buf.getvalue().encode("utf-8-sig")


def _json(rows: list[Row], dataset: Dataset, loc: Localizer) -> bytes:
    report = dataset.report
    doc = {
        "report": {
            "company": loc.text(report.company),
            "title": loc.text(report.title),
            "year": report.year,
            "edition": loc.edition,
        },
        "columns": list(COLUMNS),
        "data": [_plain(r) for r in rows],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_title(name: str, used: set[str]) -> str:
    title = _SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def number_format(decimals: int) -> str:
    """Return the spreadsheet number format of a precision: ``#,##0`` or ``#,##0.00``."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _xlsx(rows: list[Row], dataset: Dataset, loc: Localizer) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    wb.remove(wb.active)
    header = [loc.pick(*HEADERS[c]) for c in COLUMNS]
    by_topic: dict[str, list[Row]] = {}
    for r in rows:
        by_topic.setdefault(r.topic_key, []).append(r)
    used: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="F2F2F2")
    widths = {
        "id": 30,
        "group": 18,
        "topic": 12,
        "label": 40,
        "unit": 14,
        "year": 8,
        "segment": 18,
        "value": 16,
        "qualifier": 10,
        "missing": 14,
        "decimals": 8,
        "hkex": 10,
        "gri": 12,
        "sasb": 12,
        "assurance": 12,
        "footnotes": 60,
        "restated_from": 14,
        "restatement_reason": 40,
    }
    value_col = COLUMNS.index("value") + 1
    restated_col = COLUMNS.index("restated_from") + 1
    for topic, topic_rows in by_topic.items():
        ws = wb.create_sheet(_sheet_title(topic_label(topic, loc), used))
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
            cell.fill = fill
            cell.alignment = Alignment(vertical="center")
        for r in topic_rows:
            ws.append(
                [
                    r.id,
                    r.group,
                    r.topic,
                    r.label,
                    r.unit,
                    r.year,
                    r.segment or None,
                    _number(r.value, r.decimals),
                    r.qualifier or None,
                    r.missing or None,
                    r.decimals,
                    ", ".join(r.hkex) or None,
                    ", ".join(r.gri) or None,
                    ", ".join(r.sasb) or None,
                    r.assurance,
                    "\n".join(r.footnotes) or None,
                    _number(r.restated_from, r.decimals),
                    r.restatement_reason or None,
                ]
            )
            ws.cell(row=ws.max_row, column=value_col).number_format = number_format(r.decimals)
            ws.cell(row=ws.max_row, column=restated_col).number_format = number_format(r.decimals)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
        for i, col in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = widths[col]
    if not wb.worksheets:
        ws = wb.create_sheet(_sheet_title(loc.text(dataset.report.title) or "Data", used))
        ws.append(header)
        ws.freeze_panes = "A2"
    report = dataset.report
    stamp = datetime(*_EPOCH)
    wb.properties.title = loc.text(report.title)
    wb.properties.creator = loc.text(report.company)
    wb.properties.created = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return _fixed_zip(buf.getvalue(), stamp)


_CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def _fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with fixed entry times and document dates, for byte-identical rebuilds."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(2), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=_EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def export_bytes(dataset: Dataset, loc: Localizer, fmt: Format) -> bytes:
    """Return the data set in ``fmt`` as bytes."""
    if fmt not in FORMATS:
        raise EsgError(f"unknown export format '{fmt}'; choose one of {', '.join(FORMATS)}")
    rows = list(dataset_rows(dataset, loc))
    if fmt == "csv":
        return _csv(rows)
    if fmt == "json":
        return _json(rows, dataset, loc)
    return _xlsx(rows, dataset, loc)


def export_dataset(dataset: Dataset, loc: Localizer, fmt: Format, out: Path) -> Path:
    """Write the data set in one edition's language to ``out`` as CSV, XLSX or JSON; return ``out``.

    The file is rewritten only when its bytes change.

    Example::

        loc = Localizer(dataset, "zh-Hant")
        export_dataset(dataset, loc, "xlsx", Path("build/xiaomi-esg-2024-zh-Hant.xlsx"))
    """
    data = export_bytes(dataset, loc, fmt)
    out.parent.mkdir(parents=True, exist_ok=True)
    if not out.is_file() or out.read_bytes() != data:
        out.write_bytes(data)
    return out
