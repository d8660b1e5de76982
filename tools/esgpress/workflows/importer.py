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

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.core.files import write_atomic
from esgpress.data.yamledit import EditError, KpiText, NewCell, apply_edits
from esgpress.workflows.cellsafety import formula_cells
from esgpress.workflows.kpifile import encode_preserving, read_preserving
from esgpress.workflows.limits import check_workbook_file
from esgpress.workflows.sheets import (
    IMPORT_HEADERS,
    INSTRUCTION_SHEETS,
    MISSING_CODES,
    BadCell,
    SheetNames,
    norm,
    parse_cell,
    read_sheet,
    same_figure,
    show_new,
    show_old,
)
from esgpress.workflows.xlsx import cell_ref

if TYPE_CHECKING:
    from esgpress.data.model import Dataset, Value

__all__ = [
    "IMPORT_HEADERS",
    "INSTRUCTION_SHEETS",
    "MISSING_CODES",
    "Change",
    "ImportResult",
    "cell_ref",
    "import_workbook",
    "parse_cell",
    "patched_text",
    "plan_changes",
    "verify",
    "write_atomic",
]


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
        line = f"{where}: {show_old(self.old)} → {show_new(self.new)}"
        if self.new.reason is not None:
            line += f" (restated: {self.new.reason})"
        return f"{line}  [{self.ref}]"


@dataclass
class ImportResult:
    """What an import changed (or would change, in a dry run)."""

    changes: list[Change] = field(default_factory=list)
    written: bool = False
    findings: list[Problem] = field(default_factory=list)


# ---------------------------------------------------------------- planning


def plan_changes(dataset: Dataset, root: Path, workbook: Path) -> list[Change]:
    """Read and validate a workbook against the data set; raise one EsgError for every bad cell."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_workbook_file(workbook)
    try:
        wb = load_workbook(workbook, data_only=True, read_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise EsgError(f"{workbook}: cannot read the workbook ({exc})") from None
    problems = Problems()
    for sheet, column, row, formula in formula_cells(workbook):
        problems.add(
            cell_ref(sheet, column, row),
            0,
            0,
            f"the cell holds a formula ({formula[:40]}); type the figure or text itself: "
            "formulas are not imported",
        )
    names = SheetNames(dataset, root)
    report = dataset.report
    seen: dict[tuple[str, int, str | None], str] = {}
    changes: list[Change] = []
    try:
        entries = [e for ws in wb.worksheets for e in read_sheet(ws, names, problems)]
    finally:
        wb.close()
    for e in entries:
        ind = dataset.indicators[e.kpi_id]
        old = ind.value(e.year, e.segment)
        try:
            unit = dataset.units.get(ind.unit)
            new = parse_cell(e.raw, ind, old, count=unit is not None and unit.count)
        except BadCell as exc:
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
        if same_figure(old, new, ind):
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
                f"{e.kpi_id} {e.year} was published as {show_old(old)}; an import can only "
                "restate a published figure with another figure (edit data/kpis.yaml for this)",
            )
            continue
        reason = e.reason
        if published and reason is None:
            problems.add(
                e.ref,
                0,
                0,
                f"{e.kpi_id} {e.year} was published as {show_old(old)}; changing it is a "
                "restatement: give the reason in the 'Restatement reason' column",
            )
            continue
        restated = old.restated if old is not None else None
        if reason is not None and restated is not None and norm(reason) == norm(restated.reason):
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


#: Beyond this many changes, a failed patch is not retried cell by cell.
BLAME_LIMIT = 200


def blame(
    root: Path, before: Dataset, text: str, changes: list[Change], wrong: list[Problem]
) -> list[Problem]:
    """Restate the problems of a patched file at the workbook cells that caused them.

    The patched data/kpis.yaml exists only in memory, so its line numbers
    help nobody: each change is applied alone, and the problems it causes
    are given at its cell (``Environment!D12``). Problems no single change
    causes are returned as they are.
    """
    if len(changes) > BLAME_LIMIT:
        return wrong
    out: list[Problem] = []
    for change in changes:
        for p in verify(root, before, patched_text(text, [change]), [change]):
            message = f"{p.message} (in data/kpis.yaml once {change.kpi_id} {change.year} is set)"
            out.append(Problem(change.ref, 0, 0, message))
    return out or wrong


def import_workbook(root: Path, workbook: Path, dry_run: bool = False) -> ImportResult:
    """Merge a filled workbook into ``root/data/kpis.yaml``; see the module docstring."""
    from esgpress.core.files import project_lock

    with project_lock(root, "esgpress import"):
        return _import_workbook(root, workbook, dry_run)


def _import_workbook(root: Path, workbook: Path, dry_run: bool) -> ImportResult:
    """Run the import under the project lock (a build cannot read half of it)."""
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
    text, bom, crlf = read_preserving(path)
    new_text = patched_text(text, changes)
    wrong = verify(root, dataset, new_text, changes)
    if wrong:
        raise EsgError(blame(root, dataset, text, changes, wrong))
    if dry_run:
        return result
    old_bytes = path.read_bytes()
    write_atomic(path, encode_preserving(new_text, bom, crlf))
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
