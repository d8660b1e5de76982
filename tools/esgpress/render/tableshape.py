"""How a KPI table is shaped: ``kpi_table``'s shaping arguments, checked, and the table's id.

Kept apart from :mod:`esgpress.render.tables` (which builds the HTML) so the
arguments a chapter passes are validated in one place and every table
layout reads one :class:`TableShape`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from esgpress.core.errors import did_you_mean
from esgpress.data.model import UNIT_PLACES, Dataset, Indicator
from esgpress.data.units import check_unit


@dataclass(frozen=True)
class TableShape:
    """How one table prints, beyond its rows and years (``kpi_table`` arguments).

    ``unit``: ``column``, ``cell``, ``label`` or ``none`` (default: the
    report's ``tables.unit``). ``column_notes``: footnote keys by year, called
    in that year's column header. ``years_as_rows`` turns the table;
    ``segments_as_rows`` makes it a matrix: one row per segment (a region),
    one column group per indicator, one column per year in each group.
    """

    unit: str | None = None
    column_notes: Mapping[int, tuple[str, ...]] = field(default_factory=dict)
    years_as_rows: bool = False
    #: Count-plus-share cells: each figure with its share of this indicator, ``33,427 (94.39%)``.
    share_of: str | None = None
    #: Display units of this table: a unit key printed as another (``tCO2e`` as ``t``).
    units: Mapping[str, str] = field(default_factory=dict)
    #: Matrix: segments (regions) as rows, indicator × year as columns.
    segments_as_rows: bool = False
    #: The matrix's corner header (地区, Region); empty when not given.
    row_title: str = ""


def table_anchor(what: object, sections: Mapping[str, object], chapter: str, used: set[str]) -> str:
    """Give a table an id of its own in the chapter (``tbl-env-energy``), for the content index.

    Ids never clash with a section key or with another table of the chapter.
    """
    name = what if isinstance(what, str) else "-".join(str(w) for w in what)  # type: ignore[attr-defined]
    base = "tbl-" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or chapter)
    anchor, n = base, 1
    while anchor in used or anchor in sections:
        n += 1
        anchor = f"{base}-{n}"
    used.add(anchor)
    return anchor


def table_segments(
    ds: Dataset,
    inds: Sequence[Indicator],
    years: Sequence[int],
    asked: object,
    every_year: bool = False,
) -> list[str]:
    """Pick the segment columns: those the first year has (default), none, or the ones asked.

    ``every_year`` (a matrix, whose rows are segments): those any of the years has.
    """
    if asked is None or asked is True:
        shown = years if every_year else years[:1]
        return [
            s for s in ds.segments if any(s in i.segments.get(y, {}) for i in inds for y in shown)
        ]
    if asked is False or not isinstance(asked, (list, tuple)):
        return []
    return [s for s in asked if s in ds.segments]


def table_shape(
    unit: str | None,
    column_notes: Sequence[Sequence[object]],
    years_as_rows: bool,
    share_of: str | None = None,
    ds: Dataset | None = None,
    units: Sequence[Sequence[str]] = (),
    segments_as_rows: bool = False,
    row_title: str = "",
) -> TableShape | str:
    """Check ``kpi_table``'s shaping arguments; a message (for the chapter) when one is wrong."""
    if share_of is not None and ds is not None and share_of not in ds.indicators:
        return (
            f"kpi_table(share_of={share_of!r}): unknown KPI{did_you_mean(share_of, ds.indicators)}"
        )
    if unit is not None and unit not in UNIT_PLACES:
        return f"kpi_table(unit={unit!r}): use one of {', '.join(UNIT_PLACES)}"
    notes: dict[int, tuple[str, ...]] = {}
    for pair in column_notes:
        if len(pair) != 2 or not isinstance(pair[0], int) or not isinstance(pair[1], str):
            return (
                f'column_notes: {pair!r} should be [year, "footnote key"], '
                'e.g. column_notes=[[2022, "restated_2022"]]'
            )
        notes[pair[0]] = (*notes.get(pair[0], ()), pair[1])
    shown: dict[str, str] = {}
    for pair in units:
        if len(pair) != 2 or not all(isinstance(u, str) for u in pair):
            return f'units: {pair!r} should be ["unit", "printed as"], e.g. units=[["tCO2e", "t"]]'
        problem = check_unit(pair[1], ds.units) if ds is not None else None
        if problem:
            return f"units: {problem}"
        shown[pair[0]] = pair[1]
    if years_as_rows and segments_as_rows:
        return "kpi_table: years_as_rows and segments_as_rows exclude each other; give one"
    return TableShape(
        unit, notes, years_as_rows, share_of, shown, segments_as_rows, str(row_title or "")
    )
