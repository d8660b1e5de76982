"""The rows of a KPI table: their order, their sub-heading rows and their indentation.

Indentation follows the data. A part (``sum_of``) or an "of which" row
(``part_of``) is indented under its whole and is moved to follow it, so a
row is never shown under a neighbour it does not belong to (the sample's
full-time and part-time rows split the total workforce, not the new hires
listed between them). Sub-heading rows (``under:`` keys of the group's
``subheadings``) open a block; the rows of the block are indented one step
per sub-heading, and a row may also name an indicator of the table in
``under`` to sit below it without being one of its parts (a share within a
level: 男性 under 高级管理层).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from esgpress.data.model import Dataset, Indicator, SubHeading


@dataclass(frozen=True)
class Row:
    """One row: an indicator's figures, or a sub-heading (``heading`` set, no figures)."""

    level: int
    indicator: Indicator | None = None
    heading: SubHeading | None = None


def _parents(block: Sequence[Indicator]) -> dict[str, str]:
    ids = {i.id for i in block}
    parent: dict[str, str] = {}
    for ind in block:
        for part in ind.sum_of:
            if part in ids:
                parent.setdefault(part, ind.id)
        if ind.part_of in ids:
            parent.setdefault(ind.id, ind.part_of)
    # A cycle (bad data, reported by the checks) must not hide rows.
    for child in list(parent):
        node, seen = child, set()
        while node in parent:
            if node in seen:
                parent.pop(child)
                break
            seen.add(node)
            node = parent[node]
    return parent


def _ordered(block: Sequence[Indicator]) -> list[tuple[Indicator, int]]:
    """Order the block's rows with each part right after its whole; give their depth."""
    parent = _parents(block)
    children: dict[str, list[Indicator]] = {}
    for ind in block:
        if ind.id in parent:
            children.setdefault(parent[ind.id], []).append(ind)
    out: list[tuple[Indicator, int]] = []

    def walk(ind: Indicator, depth: int) -> None:
        out.append((ind, depth))
        for child in children.get(ind.id, []):
            walk(child, depth + 1)

    for ind in block:
        if ind.id not in parent:
            walk(ind, 0)
    return out


def table_rows(indicators: Sequence[Indicator], dataset: Dataset) -> list[Row]:
    """Lay out the rows of a table of ``indicators`` (in the order given)."""
    blocks: list[list[Indicator]] = []
    for ind in indicators:
        if blocks and blocks[-1][0].under == ind.under and blocks[-1][0].group == ind.group:
            blocks[-1].append(ind)
        else:
            blocks.append([ind])
    rows: list[Row] = []
    levels: dict[str, int] = {}
    open_path: tuple[tuple[str, str], ...] = ()
    for block in blocks:
        first = block[0]
        group = dataset.groups.get(first.group)
        headings = group.subheadings if group else {}
        path = tuple((first.group, key) for key in first.under)
        common = 0
        while common < min(len(path), len(open_path)) and path[common] == open_path[common]:
            common += 1
        # Walk the path: a sub-heading is one step deeper than what precedes it,
        # an indicator of the table puts the block one step below that indicator.
        base = 0
        for depth, (_g, key) in enumerate(path):
            if key in levels:
                base = levels[key] + 1
            elif key in headings:
                if depth >= common:
                    rows.append(Row(base, heading=headings[key]))
                base += 1
        open_path = path
        for ind, depth in _ordered(block):
            levels[ind.id] = base + depth
            rows.append(Row(base + depth, indicator=ind))
    return rows
