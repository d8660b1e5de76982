"""Check declared relations and derived figures, as a reviewer would by hand.

A relation "holds" when the difference between the printed total and the sum
of the printed parts is within what rounding can explain: half a unit of the
last printed place for every rounded term. Counts (persons, suppliers) are
exact and must add up exactly. A relation that does not hold is a warning
with both numbers and the difference; one acknowledged in the data is listed
as ``acknowledged`` with its reason. A derived figure that does not
reproduce its published value is an error: the report would print a number
its own data does not give.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from esgpress.checks.intervals import interval_mismatches
from esgpress.core.errors import Problem
from esgpress.core.numbers import half_unit, round_half_up
from esgpress.data.model import Dataset, Indicator, Relation, Value


@dataclass(frozen=True)
class Cell:
    """One printed figure taking part in a check."""

    indicator: Indicator
    value: Value
    decimals: int

    @property
    def number(self) -> Decimal:
        """The figure as printed (rounded half-up to its precision)."""
        assert self.value.number is not None
        return round_half_up(self.value.number, self.decimals)


def _fmt(n: Decimal, decimals: int) -> str:
    return f"{round_half_up(n, decimals):,.{decimals}f}"


def _cell(dataset: Dataset, kpi_id: str, year: int, segment: str | None) -> Cell | None:
    ind = dataset.indicators.get(kpi_id)
    if ind is None:
        return None
    value = ind.value(year, segment)
    if value is None or not value.is_number:
        return None
    return Cell(ind, value, ind.decimals_for(value))


def _tolerance(dataset: Dataset, cells: list[Cell]) -> Decimal:
    total = Decimal(0)
    for cell in cells:
        unit = dataset.units.get(cell.indicator.unit)
        exact = unit is not None and unit.count and cell.decimals == 0
        if not exact:
            total += half_unit(cell.decimals)
    return total


def check_relations(dataset: Dataset) -> Iterator[Problem]:
    """Yield a warning (or acknowledged note) for every relation that does not hold."""
    for rel in dataset.relations:
        if rel.kind == "segments":
            yield from _check_segments(dataset, rel)
            continue
        if rel.kind in ("weighted", "ratio"):
            for year, message in interval_mismatches(dataset, rel):
                yield problem(dataset, rel, year, None, message)
            continue
        if rel.constant is not None:
            yield from _check_constant(dataset, rel)
            continue
        total_ind = dataset.indicators.get(rel.total)
        if total_ind is None:
            continue
        for year in sorted(total_ind.values, reverse=True):
            yield from _check_one(dataset, rel, year, None)
        for year, cells in sorted(total_ind.segments.items(), reverse=True):
            for segment in cells:
                yield from _check_one(dataset, rel, year, segment)


def _check_segments(dataset: Dataset, rel: Relation) -> Iterator[Problem]:
    ind = dataset.indicators[rel.total]
    for year, cells in sorted(ind.segments.items(), reverse=True):
        total = _cell(dataset, ind.id, year, None)
        parts = [Cell(ind, v, ind.decimals_for(v)) for v in cells.values() if v.is_number]
        if total is None or len(parts) != len(cells) or len(parts) < 2:
            continue
        yield from _compare(dataset, rel, year, None, total, parts, "the segments")


def _check_one(
    dataset: Dataset, rel: Relation, year: int, segment: str | None
) -> Iterator[Problem]:
    total = _cell(dataset, rel.total, year, segment)
    if total is None:
        return
    parts = [_cell(dataset, p, year, segment) for p in rel.parts]
    if any(p is None for p in parts):
        return  # a part not reported this year: nothing to add up
    present = [p for p in parts if p is not None]
    if rel.kind == "part":
        part = present[0]
        if part.number > total.number + _tolerance(dataset, [total, part]):
            yield problem(
                dataset,
                rel,
                year,
                segment,
                f"'{part.indicator.id}' ({_fmt(part.number, part.decimals)}) is larger than "
                f"'{rel.total}' ({_fmt(total.number, total.decimals)}), of which it is a part",
            )
        return
    # Whole ids: a shortened id cannot be searched for in kpis.yaml.
    names = " + ".join(p.indicator.id for p in present)
    yield from _compare(dataset, rel, year, segment, total, present, names)


def _check_constant(dataset: Dataset, rel: Relation) -> Iterator[Problem]:
    """Parts that add up to a fixed number (shares to 100), in every year all are printed."""
    assert rel.constant is not None
    years: set[int] = set()
    for p in rel.parts:
        if p in dataset.indicators:
            years |= set(dataset.indicators[p].values)
    for year in sorted(years, reverse=True):
        parts = [_cell(dataset, p, year, None) for p in rel.parts]
        present = [p for p in parts if p is not None]
        if len(present) != len(parts):
            continue
        computed = sum((p.number for p in present), Decimal(0))
        diff = computed - rel.constant
        if abs(diff) <= _tolerance(dataset, present):
            continue
        d = max(c.decimals for c in present)
        names = " + ".join(p.indicator.id for p in present)
        yield problem(
            dataset,
            rel,
            year,
            None,
            f"{year}: {names} = {_fmt(computed, d)}, but should be {rel.constant} "
            f"(difference {'+' if diff > 0 else '-'}{_fmt(abs(diff), d)})",
        )


def _compare(
    dataset: Dataset,
    rel: Relation,
    year: int,
    segment: str | None,
    total: Cell,
    parts: list[Cell],
    names: str,
) -> Iterator[Problem]:
    computed = sum((p.number for p in parts), Decimal(0))
    diff = computed - total.number
    if abs(diff) <= _tolerance(dataset, [total, *parts]):
        return
    d = max(c.decimals for c in [total, *parts])
    where = f"{year}" + (f" {segment}" if segment else "")
    yield problem(
        dataset,
        rel,
        year,
        segment,
        f"{where}: {names} = {_fmt(computed, d)}, but '{rel.total}' is {_fmt(total.number, d)} "
        f"(difference {'+' if diff > 0 else '-'}{_fmt(abs(diff), d)})",
    )


def problem(
    dataset: Dataset, rel: Relation, year: int, segment: str | None, message: str
) -> Problem:
    key = f"{year}/{segment}" if segment else str(year)
    reason = rel.acknowledge.get(key)
    if reason:
        return Problem(
            dataset.kpis_path,
            rel.line,
            rel.col,
            f"{message}; reason: {reason}",
            "acknowledged",
            "relation",
        )
    return Problem(dataset.kpis_path, rel.line, rel.col, message, "warning", "relation")


def check_derived(dataset: Dataset) -> Iterator[Problem]:
    """Check that derived figures reproduce their published values after rounding.

    A formula that no longer matches what was printed means either the formula
    or an input changed, and a reader comparing reports would notice.
    """
    for ind in dataset.indicators.values():
        if ind.derived is None:
            continue
        for year, printed in sorted(ind.published.items(), reverse=True):
            if not printed.is_number or printed.number is None:
                continue
            cell = ind.values.get(year)
            decimals = ind.decimals_for(printed)
            if cell is None or cell.number is None:
                yield Problem(
                    dataset.kpis_path,
                    printed.line,
                    printed.col,
                    f"indicator '{ind.id}' {year}: published {printed.number} but the formula "
                    f"{ind.derived.source!r} has no value (an input is missing)",
                )
                continue
            result = ind.computed.get(year, cell.number)
            computed = round_half_up(result, decimals)
            if computed != round_half_up(printed.number, decimals):
                message = (
                    f"indicator '{ind.id}' {year}: published {printed.number} but "
                    f"{ind.derived.source} = {result:.{decimals + 4}f}, "
                    f"which prints {computed}"
                )
                reason = ind.acknowledge.get(str(year))
                if reason:
                    yield Problem(
                        dataset.kpis_path,
                        printed.line,
                        printed.col,
                        f"{message}; reason: {reason}",
                        "acknowledged",
                        "derived",
                    )
                else:
                    yield Problem(dataset.kpis_path, printed.line, printed.col, message)


def check_restatements(dataset: Dataset) -> Iterator[Problem]:
    """List restated figures, so a reviewer sees every change to a published year."""
    for ind in dataset.indicators.values():
        for year, value in sorted(ind.values.items()):
            if value.restated is not None:
                yield Problem(
                    dataset.kpis_path,
                    value.line,
                    value.col,
                    f"indicator '{ind.id}' {year} restated "
                    + (
                        f"from {value.restated.previous} "
                        if value.restated.previous is not None
                        else "(earlier figure not on file) "
                    )
                    + f"to {value.number}: {value.restated.reason}",
                    "info",
                    "restatement",
                )
