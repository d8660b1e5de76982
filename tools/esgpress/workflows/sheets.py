"""Reading a filled workbook: header texts of every edition, figure cells, one cell's value.

The import's first half (:mod:`esgpress.workflows.importer` plans and writes):
a collection workbook or an edited XLSX export is read into
:class:`SheetEntry` cells with the ``Sheet!D12`` each came from, and
:func:`parse_cell` turns a cell into the figure or missing-value code it
means, at the indicator's precision.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from esgpress.core.errors import Problems, did_you_mean
from esgpress.core.numbers import NumberSyntaxError, decimals_of, parse_decimal, round_half_up
from esgpress.data.yamledit import NewCell, number_text
from esgpress.workflows.rows import HEADERS
from esgpress.workflows.xlsx import cell_ref

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

    from esgpress.data.model import Dataset, Indicator, Value

#: What a cell may hold instead of a number: the kinds of missing value of the
#: data format (``~`` is ``not_reported``, ``{missing: not_applicable}``, ``{pending: ...}``).
MISSING_CODES: tuple[str, ...] = ("not_reported", "not_applicable", "pending")

#: Header texts (Simplified, English) of the columns the import reads: the
#: export's own headers, so an edited export and a collection workbook both read back.
IMPORT_HEADERS: dict[str, tuple[str, str]] = {
    key: HEADERS[key]
    for key in ("id", "year", "segment", "value", "missing", "unit", "restatement_reason")
}

#: Sheets of a collection workbook that hold instructions, not figures.
INSTRUCTION_SHEETS: tuple[tuple[str, str], ...] = (("填写说明", "Instructions"),)

YEAR = re.compile(r"\d{4}")


def show_old(value: Value | None) -> str:
    """Say what a cell held before the import: its figure, its missing kind or ``(none)``."""
    if value is None:
        return "(none)"
    if value.is_number and value.number is not None:
        return number_text(value.number)
    return value.kind


def show_new(cell: NewCell) -> str:
    """Say what the import writes into a cell: its figure or its missing kind."""
    return number_text(cell.number) if cell.number is not None else cell.kind


# ---------------------------------------------------------------- reading the workbook


@dataclass(frozen=True)
class SheetEntry:
    """One filled figure cell of the workbook, not yet validated."""

    ref: str
    kpi_id: str
    year: int
    segment: str | None
    raw: Any
    reason: str | None


class SheetNames:
    """Header, segment and unit texts of every edition, mapped back to keys."""

    def __init__(self, dataset: Dataset, root: Path) -> None:
        from esgpress.editions.i18n import Localizer

        self.dataset = dataset
        self.locs = [Localizer(dataset, e) for e in dataset.report.editions]
        self.headers: dict[str, str] = {}
        for key, pair in IMPORT_HEADERS.items():
            self.headers[norm(key)] = key
            for loc in self.locs:
                self.headers[norm(loc.pick(*pair))] = key
        self.segments: dict[str, str] = {}
        for sid, seg in dataset.segments.items():
            self.segments[norm(sid)] = sid
            for loc in self.locs:
                self.segments[norm(loc.text(seg.label))] = sid
        self.instructions = {
            norm(loc.pick(*pair)) for pair in INSTRUCTION_SHEETS for loc in self.locs
        }
        self._units: dict[str, set[str]] = {}

    def units(self, key: str) -> set[str]:
        """Every text that names a unit: its key and its display in each edition."""
        if key not in self._units:
            self._units[key] = {norm(key)} | {norm(loc.unit_display(key).text) for loc in self.locs}
        return self._units[key]


def norm(text: object) -> str:
    """Compare header and reason texts as a reader would: spaces collapsed, case folded."""
    return " ".join(str(text).split()).casefold()


def is_blank(value: object) -> bool:
    """Tell whether a cell changes nothing: empty, or only spaces."""
    return value is None or (isinstance(value, str) and not value.strip())


def read_sheet(ws: Worksheet, names: SheetNames, problems: Problems) -> Iterator[SheetEntry]:
    """Yield the filled figure cells of one sheet; bad headers and rows go to ``problems``."""
    title = ws.title
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    cols: dict[str, int] = {}
    years: dict[int, int] = {}
    for i, h in enumerate(header, start=1):
        if is_blank(h):
            continue
        key = names.headers.get(norm(h))
        if isinstance(h, int) or (isinstance(h, str) and YEAR.fullmatch(h.strip())):
            if int(h) in years:
                first = cell_ref(title, years[int(h)], 1)
                problems.add(
                    cell_ref(title, i, 1),
                    0,
                    0,
                    f"the year {int(h)} heads two columns (also {first}); "
                    "keep one, or the figures of one would be lost",
                )
                continue
            years[int(h)] = i
        elif key is not None:
            if key in cols:
                problems.add(cell_ref(title, i, 1), 0, 0, f"the column {h!r} appears twice")
            cols[key] = i
    long = "year" in cols and "value" in cols
    if "id" not in cols or not (long or years):
        if norm(title) in names.instructions:
            return
        found = ", ".join(repr(h) for h in header if not is_blank(h)) or "nothing"
        problems.add(
            cell_ref(title, 1, 1),
            0,
            0,
            "unknown sheet layout: the first row should name the columns, either ID, Year, "
            f"Segment and Value (an export) or ID and one column per year (a collection "
            f"workbook); found {found}",
        )
        return
    ds = names.dataset
    for r, row in enumerate(rows, start=2):

        def at(key: str, row: tuple[Any, ...] = row) -> Any:
            i = cols.get(key)
            return row[i - 1] if i is not None and i <= len(row) else None

        kpi_id = at("id")
        if is_blank(kpi_id):
            continue
        kpi_id = str(kpi_id).strip()
        if kpi_id not in ds.indicators:
            problems.add(
                cell_ref(title, cols["id"], r),
                0,
                0,
                f"unknown indicator '{kpi_id}'{did_you_mean(kpi_id, ds.indicators)}",
            )
            continue
        ind = ds.indicators[kpi_id]
        unit = at("unit")
        if not is_blank(unit) and norm(unit) not in names.units(ind.unit):
            problems.add(
                cell_ref(title, cols["unit"], r),
                0,
                0,
                f"the unit {unit!r} is not the unit of {kpi_id} ({ind.unit}); "
                f"give the figure in {ind.unit}",
            )
            continue
        segment = None
        seg_text = at("segment")
        if not is_blank(seg_text):
            segment = names.segments.get(norm(seg_text))
            if segment is None:
                problems.add(
                    cell_ref(title, cols["segment"], r),
                    0,
                    0,
                    f"unknown segment {seg_text!r}{did_you_mean(str(seg_text), ds.segments)}",
                )
                continue
        reason = at("restatement_reason")
        reason = None if is_blank(reason) else " ".join(str(reason).split())
        if long:
            year_cell = at("year")
            year = sheet_year(year_cell)
            if year is None:
                problems.add(cell_ref(title, cols["year"], r), 0, 0, f"{year_cell!r} is not a year")
                continue
            raw = at("value")
            ref = cell_ref(title, cols["value"], r)
            if is_blank(raw) and not is_blank(at("missing")):
                raw, ref = at("missing"), cell_ref(title, cols["missing"], r)
            yield SheetEntry(ref, kpi_id, year, segment, raw, reason)
        else:
            for year, i in years.items():
                raw = row[i - 1] if i <= len(row) else None
                yield SheetEntry(cell_ref(title, i, r), kpi_id, year, segment, raw, reason)


def sheet_year(cell: object) -> int | None:
    """Read a year from a header or year cell (2024, 2024.0, "2024"), else ``None``."""
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str) and YEAR.fullmatch(cell.strip()):
        return int(cell)
    return None


# ---------------------------------------------------------------- one cell


class BadCell(ValueError):
    """A cell that holds neither a figure at the precision nor a missing-value code."""


def parse_cell(
    raw: object, ind: Indicator, old: Value | None, count: bool = False
) -> NewCell | None:
    """Read a figure cell: ``None`` for a blank, else the number or missing-value code.

    Spreadsheet numbers are binary floats: ``repr`` gives the shortest
    decimal that round-trips, which is then rounded to the indicator's
    precision, so ``0.1 + 0.2`` noise never reaches the data file. Digits
    beyond the precision that are not noise are refused rather than rounded
    away. Text is read as typed (``7122.60`` keeps its two places); grouped
    thousands (``1,234.5``) are accepted when the grouping is regular.
    ``count`` (the unit is an exact count, ``count: true`` in units.yaml)
    refuses negative figures; every figure must stay below :data:`MAX_FIGURE`.
    """
    decimals = ind.decimals if old is None or old.decimals is None else old.decimals
    if is_blank(raw):
        return None
    if isinstance(raw, (bool, datetime, date)):
        raise BadCell(f"{raw!r} is not a number or a missing-value code")
    if isinstance(raw, (int, float)):
        try:
            exact = Decimal(repr(raw))
        except InvalidOperation:
            raise BadCell(f"{raw!r} is not a finite number") from None
        if not exact.is_finite():
            raise BadCell(f"{raw!r} is not a finite number")
        number = round_half_up(within_bounds(exact, ind, count), decimals)
        if round_half_up(exact, decimals + 6) != number:
            raise BadCell(too_precise(exact, ind, decimals))
        return NewCell("number", within_bounds(number, ind, count))
    text = str(raw).strip()
    if text.casefold() in MISSING_CODES:
        return NewCell(text.casefold())
    try:
        number = parse_decimal(text)
    except NumberSyntaxError:
        grouped = re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text)
        if grouped is None:
            codes = ", ".join(MISSING_CODES)
            raise BadCell(f"{text!r} is not a number or a missing-value code ({codes})") from None
        number = Decimal(text.replace(",", ""))
    within_bounds(number, ind, count)
    if decimals_of(number) > decimals:
        raise BadCell(too_precise(number, ind, decimals))
    return NewCell("number", number)


#: No figure of an ESG report reaches a thousand trillion in its unit: a larger
#: one is a typing slip (a pasted ID, a 41-digit number), not a fact to publish.
MAX_FIGURE = Decimal(10) ** 15


def within_bounds(number: Decimal, ind: Indicator, count: bool) -> Decimal:
    """Return ``number`` if it is a plausible figure of ``ind``; raise :class:`BadCell` if not."""
    if abs(number) >= MAX_FIGURE:
        raise BadCell(
            f"{number_text(number)} is beyond any figure in {ind.unit or 'this unit'} "
            "(1,000,000,000,000,000 or more); check the cell for a slip"
        )
    if count and number < 0:
        raise BadCell(
            f"{number_text(number)} is negative, but {ind.id} counts {ind.unit}; "
            "a count cannot be below zero"
        )
    return number


def too_precise(number: Decimal, ind: Indicator, decimals: int) -> str:
    """Word the refusal of a figure with more decimal places than the indicator prints."""
    return (
        f"{number_text(number)} has more decimal places than {ind.id} prints ({decimals}); "
        "round the figure, or change 'decimals' in data/kpis.yaml first"
    )


def same_figure(old: Value | None, new: NewCell, ind: Indicator) -> bool:
    """Whether a cell repeats the figure already in the data (as stored or as printed)."""
    if old is None:
        return False
    if new.kind != "number" or not old.is_number or old.number is None:
        return new.kind == old.kind
    assert new.number is not None
    return new.number in (old.number, round_half_up(old.number, ind.decimals_for(old)))
