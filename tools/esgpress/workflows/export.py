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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from esgpress.core.errors import EsgError
from esgpress.core.files import write_atomic
from esgpress.workflows.cellsafety import csv_text, set_text_cells
from esgpress.workflows.rows import (
    COLUMNS,
    HEADERS,
    TOPICS,
    Row,
    all_years,
    clean,
    dataset_rows,
    plain_row,
    spreadsheet_number,
    topic_label,
)
from esgpress.workflows.xlsx import EPOCH, fixed_zip, number_format, sheet_title

if TYPE_CHECKING:
    from esgpress.data.model import Dataset
    from esgpress.editions.i18n import Localizer

__all__ = [
    "COLUMNS",
    "FORMATS",
    "HEADERS",
    "TOPICS",
    "Format",
    "Row",
    "all_years",
    "clean",
    "dataset_rows",
    "default_export_path",
    "export_bytes",
    "export_dataset",
    "number_format",
    "topic_label",
]

Format = Literal["csv", "xlsx", "json"]
FORMATS: tuple[str, ...] = ("csv", "xlsx", "json")


def _csv(rows: list[Row]) -> bytes:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for r in rows:
        writer.writerow(
            csv_row(
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
        )
    return buf.getvalue().encode("utf-8-sig")


#: Columns that hold numbers: a negative figure stays a number, never a text.
NUMERIC = frozenset({"year", "value", "decimals", "restated_from"})


def csv_row(fields: list[object]) -> list[object]:
    """Neutralise the text fields of a CSV row (:func:`esgpress.workflows.cellsafety.csv_text`)."""
    return [f if c in NUMERIC else csv_text(f) for c, f in zip(COLUMNS, fields, strict=True)]


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
        "data": [plain_row(r) for r in rows],
    }
    return (json.dumps(doc, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


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
        ws = wb.create_sheet(sheet_title(topic_label(topic, loc), used))
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
                    spreadsheet_number(r.value, r.decimals),
                    r.qualifier or None,
                    r.missing or None,
                    r.decimals,
                    ", ".join(r.hkex) or None,
                    ", ".join(r.gri) or None,
                    ", ".join(r.sasb) or None,
                    r.assurance,
                    "\n".join(r.footnotes) or None,
                    spreadsheet_number(r.restated_from, r.decimals),
                    r.restatement_reason or None,
                ]
            )
            set_text_cells(ws[ws.max_row])
            ws.cell(row=ws.max_row, column=value_col).number_format = number_format(r.decimals)
            ws.cell(row=ws.max_row, column=restated_col).number_format = number_format(r.decimals)
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{ws.max_row}"
        for i, col in enumerate(COLUMNS, start=1):
            ws.column_dimensions[get_column_letter(i)].width = widths[col]
    if not wb.worksheets:
        ws = wb.create_sheet(sheet_title(loc.text(dataset.report.title) or "Data", used))
        ws.append(header)
        ws.freeze_panes = "A2"
    report = dataset.report
    stamp = datetime(*EPOCH)
    wb.properties.title = loc.text(report.title)
    wb.properties.creator = loc.text(report.company)
    wb.properties.created = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip(buf.getvalue(), stamp)


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


def default_export_path(root: Path, dataset: Dataset, edition: str, fmt: str) -> Path:
    """Return the file ``esgpress export`` writes without ``--out`` (in dist/)."""
    report = dataset.report
    return root / "dist" / f"{report.slug}-{report.year}-data-{edition}.{fmt}"


def export_dataset(dataset: Dataset, loc: Localizer, fmt: Format, out: Path) -> Path:
    """Write the data set in one edition's language to ``out`` as CSV, XLSX or JSON; return ``out``.

    The file is rewritten only when its bytes change.

    Example::

        loc = Localizer(dataset, "zh-Hant")
        export_dataset(dataset, loc, "xlsx", Path("build/xiaomi-esg-2024-zh-Hant.xlsx"))
    """
    write_atomic(out, export_bytes(dataset, loc, fmt), only_if_changed=True)
    return out
