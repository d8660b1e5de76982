"""What ``kpis.yaml`` implies beyond what it states: derived figures and implied relations.

Run once the whole KPI file is read, since a formula or a ``sum_of`` may name
an indicator defined further down.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from esgpress.core.errors import Problems
from esgpress.data import formulas
from esgpress.data.model import Indicator, Relation, Report, Value


def implied_relations(indicators: dict[str, Indicator]) -> list[Relation]:
    """Relations an indicator declares on itself: ``sum_of``, ``part_of``, additive segments."""
    out: list[Relation] = []
    for ind in indicators.values():
        if ind.sum_of:
            line, col = ind.positions.get("sum_of", (ind.line, ind.col))
            out.append(Relation(ind.id, ind.sum_of, line, col, ind.acknowledge))
        if ind.part_of and ind.part_of in indicators:
            line, col = ind.positions.get("part_of", (ind.line, ind.col))
            out.append(Relation(ind.part_of, (ind.id,), line, col, ind.acknowledge, kind="part"))
        if ind.segments and ind.segments_additive:
            line, col = ind.positions.get("segments", (ind.line, ind.col))
            out.append(Relation(ind.id, (), line, col, ind.acknowledge, kind="segments"))
    return out


def compute_derived(
    indicators: dict[str, Indicator], report: Report, problems: Problems, path: str
) -> dict[str, Indicator]:
    """Compute derived indicators in dependency order; cycles are reported at ``path``."""
    done: dict[str, Indicator] = {k: v for k, v in indicators.items() if v.derived is None}
    pending = {k: v for k, v in indicators.items() if v.derived is not None}
    while pending:
        ready = [
            k
            for k, v in pending.items()
            if v.derived is not None and all(ref not in pending for ref, _y in v.derived.refs)
        ]
        if not ready:
            for k, v in pending.items():
                assert v.derived is not None
                cycle = ", ".join(r for r, _ in v.derived.refs if r in pending)
                problems.add(
                    path,
                    v.derived.line,
                    v.derived.col,
                    f"indicator '{k}': its formula depends on itself through {cycle}",
                )
                done[k] = v
            break
        for k in ready:
            done[k] = _derive(pending.pop(k), done, report, problems, path)
    return {k: done[k] for k in indicators}


def _derive(
    ind: Indicator, known: dict[str, Indicator], report: Report, problems: Problems, path: str
) -> Indicator:
    assert ind.derived is not None
    tree, _refs = formulas.parse(ind.derived.source)
    # A formula over fixed years only (cumulative progress) has one value, for the
    # latest year it names: after `new-year` it stays a figure of the year it was for.
    fixed_only = all(y is not None for _r, y in ind.derived.refs)
    latest = max((y for _r, y in ind.derived.refs if y is not None), default=None)
    years = (
        (min(latest or report.year, report.year),)
        if fixed_only
        else range(report.data_from, report.year + 1)
    )
    values: dict[int, Value] = {}
    computed: dict[int, Decimal] = {}
    for year in years:

        def lookup(ref: str, fixed: int | None, year: int = year) -> Decimal | None:
            src = known.get(ref)
            cell = src.values.get(fixed or year) if src else None
            return cell.number if cell is not None and cell.is_number else None

        try:
            result = formulas.evaluate(tree, lookup)
        except formulas.FormulaError as exc:
            problems.add(
                path,
                ind.derived.line,
                ind.derived.col,
                f"indicator '{ind.id}' {year}: {exc.args[0]} ({ind.derived.source}); "
                "check the inputs of that year",
            )
            continue
        printed = ind.published.get(year)
        if result is not None and printed is not None and str(year) in ind.acknowledge:
            # An acknowledged published figure: the report printed it, so tables do too;
            # the check still compares it with the formula and lists the difference.
            values[year] = printed
            computed[year] = result
        elif result is not None:
            # The published figure's own precision and notes carry over to the cell
            # (a rate printed 0.0045% one year and 0.00% the others).
            values[year] = Value(
                "number",
                result,
                decimals=printed.decimals if printed else None,
                footnotes=printed.footnotes if printed else (),
                line=ind.derived.line,
                col=ind.derived.col,
            )
        elif year in ind.published:
            values[year] = Value("not_reported", line=ind.derived.line, col=ind.derived.col)
    return replace(ind, values=values, computed=computed)
