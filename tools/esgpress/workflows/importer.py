"""``esgpress import``: merge figures from a spreadsheet into ``data/kpis.yaml``.

Two kinds of workbook are accepted, recognised by their header row, in any of
the three editions' languages:

- a **collection workbook** (``esgpress template``): one row per indicator
  (and segment), one column per year;
- an **XLSX export** (``esgpress export --format xlsx``): one row per figure
  with ``ID``, ``Year``, ``Segment`` and ``Value`` columns.

A cell holds a number or one of :data:`MISSING_CODES`; a blank cell changes
nothing. Every cell is validated before anything is written and every bad
cell is reported as ``Sheet!D12: ...``; one bad cell means nothing is written.
Changing a figure of a published year (before the report year) needs a
restatement reason in the row's reason column and is recorded as
``restated: {previous, reason}``; a reason given for the report year is
recorded the same way.

The file is patched in place (:mod:`esgpress.data.yamledit`), loaded again from the
patched text and compared cell by cell with what the import meant to write;
only then is it written, atomically (a temporary file renamed over the old).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING, Any

from esgpress.core.errors import EsgError, Problem, Problems, did_you_mean
from esgpress.core.files import write_atomic
from esgpress.core.numbers import NumberSyntaxError, decimals_of, parse_decimal, round_half_up
from esgpress.data.yamledit import EditError, KpiText, NewCell, apply_edits, number_text
from esgpress.workflows.export import HEADERS

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

_YEAR = re.compile(r"\d{4}")


@dataclass(frozen=True)
class Change:
    """One cell the import changes, with the workbook cell it came from."""

    kpi_id: str
    year: int
    segment: str | None
    old: Value | None
    new: NewCell
    ref: str

    def describe(self) -> str:
        """Say what changes, as the summary prints it: ``id 2024: old → new``."""
        where = f"{self.kpi_id} {self.year}" + (f" {self.segment}" if self.segment else "")
        line = f"{where}: {_show_old(self.old)} → {_show_new(self.new)}"
        if self.new.reason is not None:
            line += f" (restated: {self.new.reason})"
        return f"{line}  [{self.ref}]"


@dataclass
class ImportResult:
    """What an import changed (or would change, in a dry run)."""

    changes: list[Change] = field(default_factory=list)
    written: bool = False
    findings: list[Problem] = field(default_factory=list)


def _show_old(value: Value | None) -> str:
    if value is None:
        return "(none)"
    if value.is_number and value.number is not None:
        return number_text(value.number)
    return value.kind


def _show_new(cell: NewCell) -> str:
    return number_text(cell.number) if cell.number is not None else cell.kind


def cell_ref(sheet: str, column: int, row: int) -> str:
    """Name a cell as a spreadsheet does: ``Environment!D12``, ``'Supply chain'!D12``."""
    from openpyxl.utils import get_column_letter

    name = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(column)}{row}"


# ---------------------------------------------------------------- reading the workbook


@dataclass(frozen=True)
class _Entry:
    """One filled figure cell of the workbook, not yet validated."""

    ref: str
    kpi_id: str
    year: int
    segment: str | None
    raw: Any
    reason: str | None


class _Names:
    """Header, segment and unit texts of every edition, mapped back to keys."""

    def __init__(self, dataset: Dataset, root: Path) -> None:
        from esgpress.data.model import EDITIONS
        from esgpress.editions.i18n import Localizer

        self.dataset = dataset
        self.locs = [Localizer(dataset, e, root=root) for e in EDITIONS]
        self.headers: dict[str, str] = {}
        for key, pair in IMPORT_HEADERS.items():
            self.headers[_norm(key)] = key
            for loc in self.locs:
                self.headers[_norm(loc.pick(*pair))] = key
        self.segments: dict[str, str] = {}
        for sid, seg in dataset.segments.items():
            self.segments[_norm(sid)] = sid
            for loc in self.locs:
                self.segments[_norm(loc.text(seg.label))] = sid
        self.instructions = {
            _norm(loc.pick(*pair)) for pair in INSTRUCTION_SHEETS for loc in self.locs
        }
        self._units: dict[str, set[str]] = {}

    def units(self, key: str) -> set[str]:
        """Every text that names a unit: its key and its display in each edition."""
        if key not in self._units:
            self._units[key] = {_norm(key)} | {
                _norm(loc.unit_display(key).text) for loc in self.locs
            }
        return self._units[key]


def _norm(text: object) -> str:
    return " ".join(str(text).split()).casefold()


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ws: Worksheet, names: _Names, problems: Problems) -> Iterator[_Entry]:
    title = ws.title
    rows = ws.iter_rows(values_only=True)
    header = next(rows, ())
    cols: dict[str, int] = {}
    years: dict[int, int] = {}
    for i, h in enumerate(header, start=1):
        if _blank(h):
            continue
        key = names.headers.get(_norm(h))
        if isinstance(h, int) or (isinstance(h, str) and _YEAR.fullmatch(h.strip())):
            years[int(h)] = i
        elif key is not None:
            if key in cols:
                problems.add(cell_ref(title, i, 1), 0, 0, f"the column {h!r} appears twice")
            cols[key] = i
    long = "year" in cols and "value" in cols
    if "id" not in cols or not (long or years):
        if _norm(title) in names.instructions:
            return
        found = ", ".join(repr(h) for h in header if not _blank(h)) or "nothing"
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
        if _blank(kpi_id):
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
        if not _blank(unit) and _norm(unit) not in names.units(ind.unit):
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
        if not _blank(seg_text):
            segment = names.segments.get(_norm(seg_text))
            if segment is None:
                problems.add(
                    cell_ref(title, cols["segment"], r),
                    0,
                    0,
                    f"unknown segment {seg_text!r}{did_you_mean(str(seg_text), ds.segments)}",
                )
                continue
        reason = at("restatement_reason")
        reason = None if _blank(reason) else " ".join(str(reason).split())
        if long:
            year_cell = at("year")
            year = _year(year_cell)
            if year is None:
                problems.add(cell_ref(title, cols["year"], r), 0, 0, f"{year_cell!r} is not a year")
                continue
            raw = at("value")
            ref = cell_ref(title, cols["value"], r)
            if _blank(raw) and not _blank(at("missing")):
                raw, ref = at("missing"), cell_ref(title, cols["missing"], r)
            yield _Entry(ref, kpi_id, year, segment, raw, reason)
        else:
            for year, i in years.items():
                raw = row[i - 1] if i <= len(row) else None
                yield _Entry(cell_ref(title, i, r), kpi_id, year, segment, raw, reason)


def _year(cell: object) -> int | None:
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int):
        return cell
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, str) and _YEAR.fullmatch(cell.strip()):
        return int(cell)
    return None


# ---------------------------------------------------------------- one cell


class _BadCell(ValueError):
    pass


def parse_cell(raw: object, ind: Indicator, old: Value | None) -> NewCell | None:
    """Read a figure cell: ``None`` for a blank, else the number or missing-value code.

    Spreadsheet numbers are binary floats: ``repr`` gives the shortest
    decimal that round-trips, which is then rounded to the indicator's
    precision, so ``0.1 + 0.2`` noise never reaches the data file. Digits
    beyond the precision that are not noise are refused rather than rounded
    away. Text is read as typed (``7122.60`` keeps its two places); grouped
    thousands (``1,234.5``) are accepted when the grouping is regular.
    """
    decimals = ind.decimals if old is None or old.decimals is None else old.decimals
    if _blank(raw):
        return None
    if isinstance(raw, (bool, datetime, date)):
        raise _BadCell(f"{raw!r} is not a number or a missing-value code")
    if isinstance(raw, (int, float)):
        try:
            exact = Decimal(repr(raw))
        except InvalidOperation:
            raise _BadCell(f"{raw!r} is not a finite number") from None
        if not exact.is_finite():
            raise _BadCell(f"{raw!r} is not a finite number")
        number = round_half_up(exact, decimals)
        if round_half_up(exact, decimals + 6) != number:
            raise _BadCell(_too_precise(exact, ind, decimals))
        return NewCell("number", number)
    text = str(raw).strip()
    if text.casefold() in MISSING_CODES:
        return NewCell(text.casefold())
    try:
        number = parse_decimal(text)
    except NumberSyntaxError:
        grouped = re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", text)
        if grouped is None:
            codes = ", ".join(MISSING_CODES)
            raise _BadCell(f"{text!r} is not a number or a missing-value code ({codes})") from None
        number = Decimal(text.replace(",", ""))
    if decimals_of(number) > decimals:
        raise _BadCell(_too_precise(number, ind, decimals))
    return NewCell("number", number)


def _too_precise(number: Decimal, ind: Indicator, decimals: int) -> str:
    return (
        f"{number_text(number)} has more decimal places than {ind.id} prints ({decimals}); "
        "round the figure, or change 'decimals' in data/kpis.yaml first"
    )


def _same(old: Value | None, new: NewCell, ind: Indicator) -> bool:
    if old is None:
        return False
    if new.kind != "number" or not old.is_number or old.number is None:
        return new.kind == old.kind
    assert new.number is not None
    return new.number in (old.number, round_half_up(old.number, ind.decimals_for(old)))


# ---------------------------------------------------------------- planning


def plan_changes(dataset: Dataset, root: Path, workbook: Path) -> list[Change]:
    """Read and validate a workbook against the data set; raise one EsgError for every bad cell."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        wb = load_workbook(workbook, data_only=True, read_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise EsgError(f"{workbook}: cannot read the workbook ({exc})") from None
    problems = Problems()
    names = _Names(dataset, root)
    report = dataset.report
    seen: dict[tuple[str, int, str | None], str] = {}
    changes: list[Change] = []
    try:
        entries = [e for ws in wb.worksheets for e in _read_sheet(ws, names, problems)]
    finally:
        wb.close()
    for e in entries:
        ind = dataset.indicators[e.kpi_id]
        old = ind.value(e.year, e.segment)
        try:
            new = parse_cell(e.raw, ind, old)
        except _BadCell as exc:
            problems.add(e.ref, 0, 0, str(exc))
            continue
        if new is None:
            continue
        key = (e.kpi_id, e.year, e.segment)
        if key in seen:
            what = f"{e.kpi_id} {e.year}" + (f" {e.segment}" if e.segment else "")
            problems.add(e.ref, 0, 0, f"{what} is also given at {seen[key]}; keep one of them")
            continue
        seen[key] = e.ref
        if e.year > report.year:
            problems.add(
                e.ref,
                0,
                0,
                f"{e.year} is after the report year {report.year} (data/report.yaml); "
                f"run `esgpress new-year {e.year}` first",
            )
            continue
        if e.year < report.data_from:
            problems.add(
                e.ref, 0, 0, f"{e.year} is before data_from {report.data_from} (data/report.yaml)"
            )
            continue
        if e.segment is not None and e.segment not in dataset.segments:
            continue
        if _same(old, new, ind):
            continue
        if ind.derived is not None:
            problems.add(
                e.ref,
                0,
                0,
                f"{e.kpi_id} is computed ({ind.derived.source}); change its inputs instead",
            )
            continue
        published = e.year < report.year
        if published and (old is None or not old.is_number or new.kind != "number"):
            problems.add(
                e.ref,
                0,
                0,
                f"{e.kpi_id} {e.year} was published as {_show_old(old)}; an import can only "
                "restate a published figure with another figure (edit data/kpis.yaml for this)",
            )
            continue
        reason = e.reason
        if published and reason is None:
            problems.add(
                e.ref,
                0,
                0,
                f"{e.kpi_id} {e.year} was published as {_show_old(old)}; changing it is a "
                "restatement: give the reason in the 'Restatement reason' column",
            )
            continue
        restated = old.restated if old is not None else None
        if reason is not None and restated is not None and _norm(reason) == _norm(restated.reason):
            problems.add(
                e.ref,
                0,
                0,
                f"{e.kpi_id} {e.year}: the restatement reason is the one already recorded; "
                "say why the figure changes now",
            )
            continue
        if reason is not None and new.kind == "number" and old is not None and old.is_number:
            new = NewCell("number", new.number, old.number, reason)
        changes.append(Change(e.kpi_id, e.year, e.segment, old, new, e.ref))
    problems.raise_if_errors()
    return changes


# ---------------------------------------------------------------- writing


def _read_text(path: Path) -> tuple[str, bool, bool]:
    raw = path.read_bytes().decode("utf-8")
    bom = raw.startswith("\ufeff")
    crlf = "\r\n" in raw
    return raw.removeprefix("\ufeff").replace("\r\n", "\n"), bom, crlf


def _encode(text: str, bom: bool, crlf: bool) -> bytes:
    if crlf:
        text = text.replace("\n", "\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


def patched_text(text: str, changes: list[Change]) -> str:
    """Return ``text`` with every change applied; raise EsgError if the file's shape forbids one."""
    kpis = KpiText(text)
    problems = Problems()
    for c in changes:
        try:
            kpis.cell_edits(c.kpi_id, c.year, c.segment, c.new)
        except EditError as exc:
            problems.add(c.ref, 0, 0, str(exc))
    problems.raise_if_errors()
    return apply_edits(text, kpis.edits([(c.kpi_id, c.year, c.segment, c.new) for c in changes]))


def verify(root: Path, before: Dataset, text: str, changes: list[Change]) -> list[Problem]:
    """Load the patched text and check it holds the changes and nothing else; return problems."""
    from esgpress.data.loader import load_dataset

    problems = Problems()
    after = load_dataset(root, problems, kpis_text=text)
    if after is None or problems.errors:
        return problems.errors or [
            Problem("data/kpis.yaml", 0, 0, "the patched file does not load")
        ]
    changed = {(c.kpi_id, c.year, c.segment): c for c in changes}
    wrong: list[Problem] = []
    for kid, ind in before.indicators.items():
        if ind.derived is not None:
            continue
        new_ind = after.indicators.get(kid)
        cells: dict[tuple[str, int, str | None], Value] = {
            (kid, y, None): v for y, v in ind.values.items()
        }
        cells |= {(kid, y, s): v for y, segs in ind.segments.items() for s, v in segs.items()}
        keys = set(cells) | {k for k in changed if k[0] == kid}
        for key in keys:
            got = new_ind.value(key[1], key[2]) if new_ind else None
            want = changed[key].new if key in changed else None
            if want is not None:
                ok = got is not None and got.kind == want.kind and got.number == want.number
                if got is not None and ok and want.reason is not None:
                    ok = got.restated is not None and got.restated.reason == want.reason
            else:
                old = cells[key]
                ok = got is not None and (got.kind, got.number, got.qualifier, got.restated) == (
                    old.kind,
                    old.number,
                    old.qualifier,
                    old.restated,
                )
            if not ok:
                where = f"{kid} {key[1]}" + (f" {key[2]}" if key[2] else "")
                wrong.append(
                    Problem(
                        "data/kpis.yaml",
                        0,
                        0,
                        f"internal error: after patching, {where} does not hold what the import "
                        "wrote; nothing was written (please report this)",
                    )
                )
    return wrong


def import_workbook(root: Path, workbook: Path, dry_run: bool = False) -> ImportResult:
    """Merge a filled workbook into ``root/data/kpis.yaml``; see the module docstring."""
    from esgpress.checks.run import check_data

    before_check = check_data(root)
    before_check.problems.raise_if_errors()
    dataset = before_check.dataset
    assert dataset is not None
    changes = plan_changes(dataset, root, workbook)
    result = ImportResult(changes)
    if not changes:
        return result
    path = root / "data" / "kpis.yaml"
    text, bom, crlf = _read_text(path)
    new_text = patched_text(text, changes)
    wrong = verify(root, dataset, new_text, changes)
    if wrong:
        raise EsgError(wrong)
    if dry_run:
        return result
    old_bytes = path.read_bytes()
    write_atomic(path, _encode(new_text, bom, crlf))
    after_check = check_data(root)
    if after_check.problems.errors and not before_check.problems.errors:
        write_atomic(path, old_bytes)
        raise EsgError(after_check.problems.errors)
    known = {p.message for p in before_check.problems}
    result.findings = [
        p
        for p in after_check.problems
        if p.severity in ("error", "warning") and p.message not in known
    ]
    result.written = True
    return result
