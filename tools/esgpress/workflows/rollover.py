"""``esgpress new-year``: roll the project forward to the next reporting year.

Only ``data/report.yaml`` changes: ``year``, the reporting ``period``, the
``comparison_years`` (the old report year comes first, the oldest drops off
so the tables keep their width), the year in the ``title`` and the running
``print.header`` texts, the ``edition`` count, and the ``published`` and
``board_approval`` dates (moved on one year as placeholders to confirm).
Chapters and tables need no edit: they take their years from the report
(``kpi()`` defaults to the report year, tables to ``report.years``, the
landing page's tiles to the report year against the first comparison year),
and a figure not yet collected prints as not reported until it is imported.

The file is patched in place like an import (:mod:`esgpress.data.yamledit`), so its
comments, quoting and layout survive, then loaded again before it is written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import EsgError, Problems
from esgpress.core.files import write_atomic
from esgpress.data.yamledit import Edit, add_entry, apply_edits, get, replace_value
from esgpress.data.yamlio import parse_text
from esgpress.workflows.kpifile import encode_preserving, read_preserving


@dataclass
class Rollover:
    """What ``new-year`` changed, one line per setting, and what to check by hand."""

    changes: list[str] = field(default_factory=list)
    to_check: list[str] = field(default_factory=list)


def _shift(d: date, years: int) -> date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _scalars(node: Node | None) -> list[ScalarNode]:
    """Return every scalar under a node (texts in all languages, nested headers)."""
    if isinstance(node, ScalarNode):
        return [node]
    if isinstance(node, MappingNode):
        return [s for _k, v in node.value for s in _scalars(v)]
    if isinstance(node, SequenceNode):
        return [s for v in node.value for s in _scalars(v)]
    return []


def plan_rollover(text: str, new_year: int) -> tuple[str, Rollover]:
    """Return the patched text of ``data/report.yaml`` for ``new_year`` and what changed."""
    problems = Problems()
    root = parse_text(text, "data/report.yaml", problems)
    problems.raise_if_errors()
    year_entry = get(root, "year")
    if year_entry is None or not isinstance(year_entry[1], ScalarNode):
        raise EsgError("data/report.yaml: no 'year' to roll forward")
    old = int(year_entry[1].value)
    if new_year != old + 1:
        raise EsgError(
            f"data/report.yaml: the report year is {old}; new-year moves one year at a time "
            f"(esgpress new-year {old + 1})"
        )
    out = Rollover()
    edits: list[Edit] = [replace_value(*year_entry, str(new_year), text)]
    out.changes.append(f"year: {old} → {new_year}")

    comparison = get(root, "comparison_years")
    if comparison is not None and isinstance(comparison[1], SequenceNode) and comparison[1].value:
        items = comparison[1].value
        before = [int(n.value) for n in items]
        after = [old, *before[:-1]]
        edits += [
            Edit(n.start_mark.index, n.end_mark.index, str(y))
            for n, y in zip(items, after, strict=True)
        ]
        out.changes.append(f"comparison_years: {before} → {after}")
    elif isinstance(root, MappingNode):
        edits.append(add_entry(root, "comparison_years", f"[{old}]", text, year_entry[0]))
        out.changes.append(f"comparison_years: [] → [{old}]")

    dates = [("period", k) for k in ("start", "end")] + [
        (k, None) for k in ("published", "board_approval")
    ]
    for key, sub in dates:
        entry = get(root, key)
        if entry is not None and sub is not None:
            entry = get(entry[1], sub)
        if entry is None or not isinstance(entry[1], ScalarNode):
            continue
        try:
            d = date.fromisoformat(entry[1].value)
        except ValueError:
            continue
        edits.append(replace_value(*entry, _shift(d, 1).isoformat(), text))
        name = f"{key}.{sub}" if sub else key
        out.changes.append(f"{name}: {d} → {_shift(d, 1)}")
        if sub is None:
            out.to_check.append(f"{name} is now {_shift(d, 1)}: a placeholder; set the real date")

    edition = get(root, "edition")
    if edition is not None and isinstance(edition[1], ScalarNode) and edition[1].value.isdigit():
        n = int(edition[1].value)
        edits.append(replace_value(*edition, str(n + 1), text))
        out.changes.append(f"edition: {n} → {n + 1}")
        out.to_check.append(f"edition is now {n + 1}: a comment beside it may need the new count")

    pattern = re.compile(rf"(?<!\d){old}(?!\d)")
    title = get(root, "title")
    printed = get(root, "print")
    header = get(printed[1], "header") if printed else None
    texts = _scalars(title[1] if title else None) + _scalars(header[1] if header else None)
    for node in texts:
        start, end = node.start_mark.index, node.end_mark.index
        source = text[start:end]
        if pattern.search(source):
            new = pattern.sub(str(new_year), source)
            edits.append(Edit(start, end, new))
            shown = " ".join(node.value.split())
            out.changes.append(f"{shown!r} → {pattern.sub(str(new_year), shown)!r}")
    return apply_edits(text, edits), out


def new_year(root: Path, year: int, dry_run: bool = False) -> Rollover:
    """Roll ``root`` forward to ``year``; the report must load before and after.

    Under the project lock: a build running meanwhile would print figures of
    two years in one release.
    """
    from esgpress.core.files import project_lock

    with project_lock(root, "esgpress new-year"):
        return _new_year(root, year, dry_run)


def _new_year(root: Path, year: int, dry_run: bool) -> Rollover:
    from esgpress.data.loader import load_project

    load_project(root)
    path = root / "data" / "report.yaml"
    text, bom, crlf = read_preserving(path)
    new_text, out = plan_rollover(text, year)
    if dry_run:
        return out
    old_bytes = path.read_bytes()
    write_atomic(path, encode_preserving(new_text, bom, crlf))
    try:
        load_project(root)
    except EsgError:
        write_atomic(path, old_bytes)
        raise
    return out
