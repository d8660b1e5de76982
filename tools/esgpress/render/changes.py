"""Why a year-on-year change cannot be printed: a missing figure or a series break.

``change()`` compares two printed figures; the reasons it refuses are data
facts a writer can act on, so the messages name the indicator, the year and
what to do.
"""

from __future__ import annotations

from esgpress.data.model import Indicator


def change_problem(ind: Indicator, a: int, b: int) -> str | None:
    """Return why ``ind`` cannot be compared between years ``a`` and ``b``, or ``None``."""
    call = f"change({ind.id!r}, {a}, {b})"
    gaps = [str(y) for y in (a, b) if ind.values.get(y) is None or ind.values[y].number is None]
    if gaps:
        return (
            f"{call}: '{ind.id}' has no figure for {' and '.join(gaps)} in data/kpis.yaml; "
            "add it under values, or compare years that have figures"
        )
    low, high = sorted((a, b))
    for year, reason in sorted(ind.breaks.items()):
        if low < year <= high:
            return (
                f"{call}: the series of '{ind.id}' breaks in {year} ({reason}); "
                "compare years on one side of the break"
            )
    return None
