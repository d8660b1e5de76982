"""Figures still to collect for the report year, grouped by who supplies them.

After ``esgpress new-year`` every indicator lacks its new figure; ``esgpress
check`` lists them per owner (the ``owner`` field of ``data/kpis.yaml``), so
the sustainability team knows whom to chase. A value typed as not reported,
not applicable or pending counts as supplied: the owner has answered.
These are ``info`` findings: a draft with missing figures still builds, and
the figures print as not reported until they are imported.
"""

from __future__ import annotations

from collections.abc import Iterator

from esgpress.core.errors import Problem
from esgpress.data.model import Dataset


def missing_by_owner(dataset: Dataset) -> dict[str, list[str]]:
    """Return the indicators without a report-year figure, by owner ("" for no owner).

    Derived indicators are left out (they follow their inputs). An indicator
    whose total is in but whose segment figures of the latest earlier year
    have no report-year counterpart is listed as ``id (segments)``.
    """
    year = dataset.report.year
    out: dict[str, list[str]] = {}
    for ind in dataset.indicators.values():
        if ind.derived is not None:
            continue
        if year not in ind.values:
            out.setdefault(ind.owner or "", []).append(ind.id)
            continue
        earlier = [y for y in ind.segments if y < year]
        if earlier and not ind.segments.get(year):
            out.setdefault(ind.owner or "", []).append(f"{ind.id} (segments)")
    return dict(sorted(out.items()))


def check_missing(dataset: Dataset) -> Iterator[Problem]:
    """Yield one ``info`` finding per owner with figures still missing."""
    year = dataset.report.year
    for owner, ids in missing_by_owner(dataset).items():
        who = owner or "no owner"
        yield Problem(
            dataset.kpis_path,
            0,
            0,
            f"{year} figures still missing for {who} ({len(ids)}): {', '.join(ids)}",
            "info",
            "missing",
        )
