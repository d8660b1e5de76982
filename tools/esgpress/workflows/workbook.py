"""``esgpress template``: the collection workbook a data owner fills in.

One sheet per topic, one row per indicator the owner supplies (derived
indicators are computed, so they are left out) and one more row per segment
where the indicator has segment figures. The last years' figures stand beside
an empty column for the year being collected, with the unit and definition,
so the owner can see at a glance whether a new figure is plausible. Every
year cell carries data validation: a number, or one of the missing-value
codes of :data:`esgpress.workflows.importer.MISSING_CODES`.

The workbook goes back in unchanged in shape: ``esgpress import`` reads it by
its header row (:mod:`esgpress.workflows.importer`).
"""

from __future__ import annotations

import io
from datetime import datetime
from typing import TYPE_CHECKING

from esgpress.core.errors import EsgError, did_you_mean
from esgpress.core.numbers import round_half_up
from esgpress.workflows.cellsafety import set_text_cells
from esgpress.workflows.rows import clean, topic_label
from esgpress.workflows.sheets import IMPORT_HEADERS, INSTRUCTION_SHEETS, MISSING_CODES
from esgpress.workflows.xlsx import EPOCH, fixed_zip, number_format, sheet_title

if TYPE_CHECKING:
    from esgpress.data.model import Dataset, Indicator, Value
    from esgpress.editions.i18n import Localizer

#: Column headers (Simplified, English) before the year columns.
HEADERS: dict[str, tuple[str, str]] = {
    "id": IMPORT_HEADERS["id"],
    "label": ("指标", "Indicator"),
    "unit": IMPORT_HEADERS["unit"],
    "segment": IMPORT_HEADERS["segment"],
    "owner": ("负责部门", "Owner"),
    "definition": ("定义", "Definition"),
}
REASON = IMPORT_HEADERS["restatement_reason"]
WIDTHS = {"id": 34, "label": 36, "unit": 14, "segment": 20, "owner": 14, "definition": 50}

#: How many earlier years are shown for reference.
REFERENCE_YEARS = 3

INSTRUCTIONS: tuple[tuple[str, str], ...] = (
    ("{year}年数据收集表：{company}", "Data collection for {year}: {company}"),
    (
        "请在“{year}”列填写本部门负责的各项指标数值，单位以“单位”列为准。",
        "Fill in the {year} column for each indicator your team supplies, in the unit shown.",
    ),
    (
        "只填数字，不要加千位分隔符或单位；无法提供的数值请填写以下代码之一：{codes}。",
        "Type numbers only, without units; where there is no figure, type one of: {codes}.",
    ),
    (
        "往年数值仅供参考。若需更正已发布的往年数值，请同时在“重述原因”列说明原因。",
        "Earlier years are for reference. To correct a published figure, change it and say "
        "why in the Restatement reason column.",
    ),
    (
        "请勿修改表头、指标编号及工作表名称；填好后交回可持续发展团队导入。",
        "Keep the header row, the IDs and the sheet names as they are; send the file back to "
        "the sustainability team for import.",
    ),
)


def owners(dataset: Dataset) -> list[str]:
    """Return every owner named in the data, sorted."""
    return sorted({i.owner for i in dataset.indicators.values() if i.owner})


def _cell_value(ind: Indicator, value: Value | None) -> object:
    """Return what a year cell shows: the figure at its precision, a missing code, or blank."""
    if value is None:
        return None
    if value.is_number and value.number is not None:
        number = round_half_up(value.number, ind.decimals_for(value))
        return int(number) if ind.decimals_for(value) == 0 else float(number)
    return value.kind


def template_bytes(dataset: Dataset, loc: Localizer, year: int, owner: str | None) -> bytes:
    """Build the collection workbook for ``year`` (and one owner, or everyone) as XLSX bytes."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    report = dataset.report
    if year > report.year:
        raise EsgError(
            f"the report year is {report.year} (data/report.yaml); run "
            f"`esgpress new-year {year}` before collecting {year} figures"
        )
    if owner is not None and owner not in owners(dataset):
        known = ", ".join(owners(dataset))
        raise EsgError(
            f"no indicator has owner '{owner}'{did_you_mean(owner, owners(dataset))}; "
            f"owners in data/kpis.yaml: {known}"
        )
    earlier = [y for y in range(year - REFERENCE_YEARS, year) if y >= report.data_from]
    years = [*earlier, year]
    keys = list(HEADERS)
    header = [loc.pick(*HEADERS[k]) for k in keys] + years + [loc.pick(*REASON)]
    first_year_col = len(keys) + 1
    new_col = first_year_col + len(earlier)

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    bold = Font(bold=True)
    grey = PatternFill("solid", fgColor="F2F2F2")
    yellow = PatternFill("solid", fgColor="FFF2CC")
    codes = ", ".join(MISSING_CODES)
    intro = wb.create_sheet(sheet_title(loc.pick(*INSTRUCTION_SHEETS[0]), used))
    for zh, en in INSTRUCTIONS:
        intro.append(
            [loc.pick(zh, en).format(year=year, company=loc.text(report.company), codes=codes)]
        )
    set_text_cells(cell for row in intro.iter_rows() for cell in row)
    intro["A1"].font = bold
    intro.column_dimensions["A"].width = 110

    by_topic: dict[str, list[list[object]]] = {}
    for group in dataset.groups.values():
        for kpi_id in group.indicators:
            ind = dataset.indicators[kpi_id]
            if ind.derived is not None or (owner is not None and ind.owner != owner):
                continue
            rows = by_topic.setdefault(group.topic, [])
            base = {
                "id": ind.id,
                "label": clean(loc.text(ind.label)),
                "unit": clean(loc.unit_display(ind.unit).text),
                "segment": None,
                "owner": ind.owner,
                "definition": clean(loc.text(ind.definition)) or None,
            }
            rows.append(
                [base[k] for k in keys] + [_cell_value(ind, ind.value(y)) for y in years] + [None]
            )
            for seg_id, seg in dataset.segments.items():
                if not any(seg_id in ind.segments.get(y, {}) for y in years):
                    continue
                seg_row = dict(base, segment=clean(loc.text(seg.label)), definition=None)
                rows.append(
                    [seg_row[k] for k in keys]
                    + [_cell_value(ind, ind.value(y, seg_id)) for y in years]
                    + [None]
                )
    if not by_topic:
        raise EsgError("no indicator to collect: every indicator is derived or has no owner")
    for topic, rows in by_topic.items():
        ws = wb.create_sheet(sheet_title(topic_label(topic, loc), used))
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
            cell.alignment = Alignment(vertical="center")
        for row in rows:
            ws.append(row)
            r = ws.max_row
            set_text_cells(ws[r])
            kpi = dataset.indicators[str(row[0])]
            for c in range(first_year_col, new_col + 1):
                cell = ws.cell(row=r, column=c)
                cell.number_format = number_format(kpi.decimals)
                cell.fill = yellow if c == new_col else grey
            ws.cell(row=r, column=keys.index("definition") + 1).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
        last = ws.max_row
        top = get_column_letter(first_year_col)
        dv = DataValidation(
            type="custom",
            formula1="OR(ISNUMBER({c}2),{codes})".format(
                c=top, codes=",".join(f'{top}2="{code}"' for code in MISSING_CODES)
            ),
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=loc.pick("数值无效", "Not a figure"),
            error=loc.pick(
                f"请填写数字或以下代码之一：{codes}", f"Type a number or one of: {codes}"
            ),
        )
        dv.add(f"{top}2:{get_column_letter(new_col)}{last}")
        ws.add_data_validation(dv)
        ws.freeze_panes = "C2"
        for i, k in enumerate(keys, start=1):
            ws.column_dimensions[get_column_letter(i)].width = WIDTHS[k]
        for c in range(first_year_col, new_col + 2):
            ws.column_dimensions[get_column_letter(c)].width = 14 if c <= new_col else 40
    stamp = datetime(*EPOCH)
    wb.properties.title = loc.pick(*INSTRUCTIONS[0]).format(
        year=year, company=loc.text(report.company)
    )
    wb.properties.creator = loc.text(report.company)
    wb.properties.created = stamp
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_zip(buf.getvalue(), stamp)
