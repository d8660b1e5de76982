"""Checks of published figures that were computed from other rounded figures.

A weighted average of printed rates, or two intensities over different
denominators, can only be redone from the printed (rounded) inputs. Each
printed figure stands for an interval (± half a unit of its last printed
place); a check fails only when no choice of true values inside those
intervals reproduces what was printed, so rounding never raises an alarm
and a real mismatch still does.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from itertools import product

from esgpress.core.numbers import half_unit, round_half_up
from esgpress.data.model import Dataset, Relation

Interval = tuple[Decimal, Decimal]


def printed_interval(dataset: Dataset, kpi_id: str, year: int) -> Interval | None:
    """Return the interval a printed figure stands for; ``None`` if the year has no figure.

    Exact counts (``count: true`` units printed without decimals) are points.
    """
    ind = dataset.indicators.get(kpi_id)
    value = ind.values.get(year) if ind else None
    if ind is None or value is None or value.number is None:
        return None
    decimals = ind.decimals_for(value)
    shown = round_half_up(value.number, decimals)
    unit = dataset.units.get(ind.unit)
    if unit is not None and unit.count and decimals == 0:
        return shown, shown
    h = half_unit(decimals)
    return shown - h, shown + h


def weighted_average(rates: list[Interval], weights: list[Interval]) -> Interval | None:
    """Return the range of Σ rate·weight / Σ weight over all rates and weights in their intervals.

    The average grows with every rate, so the rates' bounds give its bounds;
    over the weights it is extreme at a corner of their box, and a check has
    few parts, so every corner is tried.
    """
    lows, highs = [], []
    for corner in product(*weights):
        total = sum(corner, Decimal(0))
        if total <= 0:
            continue
        lows.append(sum((r[0] * w for r, w in zip(rates, corner, strict=True)), Decimal(0)) / total)
        highs.append(
            sum((r[1] * w for r, w in zip(rates, corner, strict=True)), Decimal(0)) / total
        )
    if not lows:
        return None
    return min(lows), max(highs)


def _overlap(a: Interval, b: Interval) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _years(dataset: Dataset, rel: Relation) -> list[int]:
    ind = dataset.indicators.get(rel.total)
    return sorted(ind.values, reverse=True) if ind else []


def interval_mismatches(dataset: Dataset, rel: Relation) -> Iterator[tuple[int, str]]:
    """Yield (year, message) for every year the relation cannot hold within rounding."""
    for year in _years(dataset, rel):
        if rel.kind == "weighted":
            yield from _weighted(dataset, rel, year)
        elif rel.kind == "ratio":
            yield from _ratio(dataset, rel, year)


def _fmt(i: Interval, d: int = 2) -> str:
    return f"{round_half_up(i[0], d):,.{d}f}–{round_half_up(i[1], d):,.{d}f}"


def _weighted(dataset: Dataset, rel: Relation, year: int) -> Iterator[tuple[int, str]]:
    total = printed_interval(dataset, rel.total, year)
    rates = [printed_interval(dataset, p, year) for p in rel.parts]
    weights = [printed_interval(dataset, w, year) for w in rel.weights]
    if total is None or None in rates or None in weights:
        return
    avg = weighted_average([r for r in rates if r], [w for w in weights if w])
    if avg is None or _overlap(avg, total):
        return
    shown = round_half_up((total[0] + total[1]) / 2, 6).normalize()
    yield (
        year,
        f"{year}: the average of {', '.join(rel.parts)} weighted by {', '.join(rel.weights)} "
        f"lies in {_fmt(avg)}, but '{rel.total}' is {shown:f}",
    )


def _ratio(dataset: Dataset, rel: Relation, year: int) -> Iterator[tuple[int, str]]:
    """``a/x`` and ``a/y`` printed: their ratio implies ``y/x``, which the data gives too."""
    per_x = printed_interval(dataset, rel.total, year)
    per_y, x, y = (printed_interval(dataset, k, year) for k in rel.parts)
    if per_x is None or per_y is None or x is None or y is None:
        return
    if per_y[0] <= 0 or x[0] <= 0:
        return
    implied = (per_x[0] / per_y[1], per_x[1] / per_y[0])
    actual = (y[0] / x[1], y[1] / x[0])
    if _overlap(implied, actual):
        return
    yield (
        year,
        f"{year}: '{rel.total}' / '{rel.parts[0]}' implies '{rel.parts[2]}' / '{rel.parts[1]}' "
        f"in {_fmt(implied, 4)}, but the data gives {_fmt(actual, 4)}",
    )
