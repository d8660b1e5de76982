"""Change values in a data file by patching its text, so nothing else moves.

Why not load and dump with ruamel.yaml's round-trip mode? Because a dump is a
re-serialisation, not an edit: on the sample ``data/kpis.yaml`` it re-indents
every block sequence under ``groups:`` and shifts the column of end-of-line
comments, whatever ``indent()``, ``width`` and ``preserve_quotes`` are set to.
A data owner's import must show up in ``git diff`` as the changed figures and
nothing else, and reviewers must be able to trust that.

So we use ruamel.yaml for what it is exact at, *locating*: the composed node
tree (:func:`esgpress.data.yamlio.parse_text`) gives each scalar's start and end
offset in the text. An :class:`Edit` replaces one such span (or inserts at one
offset), and :func:`apply_edits` splices the edits into the original text.
Comments, quoting, key order, folded strings and blank lines are untouched by
construction, because they are never re-emitted. The price is that every new
shape (a scalar turning into ``{value: ..., restated: ...}``, a new year key)
is written here by hand; :mod:`esgpress.workflows.importer` therefore re-loads the
patched text and compares every cell with what it meant to write before the
file is replaced.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from esgpress.core.errors import Problems
from esgpress.data.yamlio import STR, parse_text, tag_of


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``text[start:end]`` with ``new`` (``start == end`` inserts)."""

    start: int
    end: int
    new: str


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Splice non-overlapping edits into ``text``; raise ``ValueError`` if two overlap.

    Insertions at the same offset are kept in the order given (two new
    segments appended to one flow mapping, say).
    """
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for a, b in itertools.pairwise(ordered):
        if b.start < a.end or (a.start == b.start and a.end != a.start):
            raise ValueError(f"overlapping edits at offsets {a.start} and {b.start}")
    out, last = [], 0
    for e in ordered:
        out.append(text[last : e.start])
        out.append(e.new)
        last = e.end
    out.append(text[last:])
    return "".join(out)


# ---------------------------------------------------------------- writing scalars


def number_text(value: Decimal) -> str:
    """Write a decimal as the data files do: plain digits, no exponent, no grouping."""
    return format(value, "f")


_PLAIN_SAFE = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^:#,\[\]{}\n]*")


def string_text(value: str) -> str:
    """Write a string so YAML reads it back as exactly that string, in flow or block context.

    Plain when that is unambiguous (no flow indicators, not a number, bool or
    null look-alike), single-quoted otherwise. Line breaks become spaces: a
    reason or note is one sentence.
    """
    value = " ".join(value.split())
    if value and _PLAIN_SAFE.fullmatch(value) and value == value.strip():
        probe = Problems()
        root = parse_text(f"k: {{v: {value}}}\n", "<probe>", probe)
        if not probe.errors and isinstance(root, MappingNode):
            inner = root.value[0][1]
            if isinstance(inner, MappingNode):
                node = inner.value[0][1]
                if isinstance(node, ScalarNode) and tag_of(node) == STR and node.value == value:
                    return value
    return "'" + value.replace("'", "''") + "'"


# ---------------------------------------------------------------- finding nodes


def get(mapping: Node | None, key: str) -> tuple[ScalarNode, Node] | None:
    """Return the (key node, value node) of ``key`` in a mapping node, or ``None``."""
    if not isinstance(mapping, MappingNode):
        return None
    for k, v in mapping.value:
        if isinstance(k, ScalarNode) and k.value == key:
            return k, v
    return None


def is_flow(node: Node) -> bool:
    """Tell whether a node is written inline: a scalar or a ``{...}``/``[...]`` collection."""
    if isinstance(node, ScalarNode):
        return True
    return bool(getattr(node, "flow_style", False))


def content_end(node: Node, text: str) -> int:
    """Return the offset just after the last character of a node's own text."""
    if isinstance(node, (MappingNode, SequenceNode)) and not is_flow(node) and node.value:
        last = node.value[-1]
        return content_end(last[1] if isinstance(last, tuple) else last, text)
    end: int = node.end_mark.index
    while end > node.start_mark.index and text[end - 1] in " \t\n":
        end -= 1
    return end


def line_end(text: str, offset: int) -> int:
    """Return the offset of the line break that ends the line holding ``offset``."""
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl


def line_start(text: str, offset: int) -> int:
    """Return the offset of the first character of the line holding ``offset``."""
    return text.rfind("\n", 0, offset) + 1


def replace_value(key: ScalarNode, value: Node, new: str, text: str) -> Edit:
    """Replace the value of a mapping entry with ``new`` (flow or scalar text).

    A scalar or flow value is replaced in place. A block value (an indented
    mapping under its key) is replaced from just after the key's colon to the
    end of its last line, so ``2022:`` + block becomes ``2022: new``.
    """
    if is_flow(value):
        start, end = value.start_mark.index, value.end_mark.index
        if start == end:  # an empty (null) value: `2023:` with nothing after it
            return Edit(start, end, " " + new if text[start - 1] == ":" else new)
        return Edit(start, content_end(value, text), new)
    colon = text.index(":", key.end_mark.index)
    return Edit(colon + 1, content_end(value, text), " " + new)


def add_entry(mapping: Node, key: str, new: str, text: str, before: ScalarNode | None) -> Edit:
    """Add ``key: new`` to a mapping, before the entry keyed ``before`` or at the end."""
    if is_flow(mapping):
        if before is not None:
            return Edit(before.start_mark.index, before.start_mark.index, f"{key}: {new}, ")
        if not mapping.value:
            at = mapping.start_mark.index + 1
            return Edit(at, at, f"{key}: {new}")
        at = content_end(mapping.value[-1][1], text)
        return Edit(at, at, f", {key}: {new}")
    first = mapping.value[0][0]
    indent = " " * first.start_mark.column
    if before is not None:
        at = line_start(text, before.start_mark.index)
        return Edit(at, at, f"{indent}{key}: {new}\n")
    at = line_end(text, content_end(mapping.value[-1][1], text))
    return Edit(at, at, f"\n{indent}{key}: {new}")


# ---------------------------------------------------------------- kpis.yaml cells


class EditError(ValueError):
    """The file's shape does not allow this edit; the message says what to do by hand."""


@dataclass(frozen=True)
class NewCell:
    """What an import writes into one cell of ``data/kpis.yaml``."""

    kind: str  # "number", "not_reported", "not_applicable" or "pending"
    number: Decimal | None = None
    previous: Decimal | None = None  # set with ``reason``: a restatement
    reason: str | None = None

    def text(self) -> str:
        """Write the cell as flow YAML, for a new entry or a cell whose shape changes."""
        if self.kind == "number":
            assert self.number is not None
            if self.reason is None:
                return number_text(self.number)
            return f"{{value: {number_text(self.number)}, restated: {self.restated_text()}}}"
        if self.kind == "not_reported":
            return "~"
        if self.kind == "not_applicable":
            return "{missing: not_applicable}"
        return "{pending: {zh: 待披露, en: To be disclosed}}"

    def restated_text(self) -> str:
        """Write the ``{previous: ..., reason: ...}`` record of a restatement."""
        assert self.previous is not None and self.reason is not None
        return f"{{previous: {number_text(self.previous)}, reason: {string_text(self.reason)}}}"


def _year_of(key: Node) -> int | None:
    value = key.value if isinstance(key, ScalarNode) else None
    return int(value) if isinstance(value, str) and value.isdigit() else None


class KpiText:
    """The text of ``data/kpis.yaml`` with its indicators located, ready for cell edits."""

    def __init__(self, text: str, path: str = "data/kpis.yaml") -> None:
        problems = Problems()
        self.text = text
        self.root = parse_text(text, path, problems)
        problems.raise_if_errors()
        self.indicators: dict[str, MappingNode] = {}
        groups = get(self.root, "groups")
        for group in groups[1].value if groups and isinstance(groups[1], SequenceNode) else []:
            inds = get(group, "indicators")
            for node in inds[1].value if inds and isinstance(inds[1], SequenceNode) else []:
                kid = get(node, "id")
                if kid and isinstance(kid[1], ScalarNode) and isinstance(node, MappingNode):
                    self.indicators[kid[1].value] = node

    def edits(self, cells: list[tuple[str, int, str | None, NewCell]]) -> list[Edit]:
        """Return the edits for many cells; new segment cells of one year share one entry."""
        out: list[Edit] = []
        new_years: dict[tuple[str, int], list[tuple[str, NewCell]]] = {}
        for kpi_id, year, segment, cell in cells:
            if segment is not None and self._segment_year(kpi_id, year) is None:
                new_years.setdefault((kpi_id, year), []).append((segment, cell))
            else:
                out.extend(self.cell_edits(kpi_id, year, segment, cell))
        for (kpi_id, year), segs in new_years.items():
            body = ", ".join(f"{seg}: {cell.text()}" for seg, cell in segs)
            segments = get(self.indicators[kpi_id], "segments")
            if segments is None or not isinstance(segments[1], MappingNode):
                raise EditError(
                    f"indicator '{kpi_id}' has no segment figures; add a 'segments' entry for "
                    f"{year} by hand first"
                )
            out.append(self._insert(segments[1], str(year), f"{{{body}}}", True))
        return out

    def _segment_year(self, kpi_id: str, year: int) -> Node | None:
        segments = get(self.indicators[kpi_id], "segments")
        if segments is None or not isinstance(segments[1], MappingNode):
            return None
        return next((v for k, v in segments[1].value if _year_of(k) == year), None)

    def cell_edits(self, kpi_id: str, year: int, segment: str | None, cell: NewCell) -> list[Edit]:
        """Return the edits that make one cell (a year, or a year's segment) hold ``cell``."""
        ind = self.indicators[kpi_id]
        if segment is None:
            values = get(ind, "values")
            if values is None or not isinstance(values[1], MappingNode):
                raise EditError(f"indicator '{kpi_id}' has no 'values' mapping to add {year} to")
            return self._set(values[1], str(year), cell, years=True)
        segments = get(ind, "segments")
        if segments is None or not isinstance(segments[1], MappingNode):
            raise EditError(
                f"indicator '{kpi_id}' has no segment figures; add a 'segments' entry for "
                f"{year} by hand first"
            )
        by_year = next((e for e in segments[1].value if _year_of(e[0]) == year), None)
        if by_year is None:
            return [self._insert(segments[1], str(year), f"{{{segment}: {cell.text()}}}", True)]
        if not isinstance(by_year[1], MappingNode):
            raise EditError(f"indicator '{kpi_id}' segments {year} is not a mapping")
        return self._set(by_year[1], segment, cell, years=False)

    def _insert(self, mapping: MappingNode, key: str, new: str, years: bool) -> Edit:
        """Add an entry; a year goes before the first older year (years run newest first)."""
        before = None
        if years:
            before = next((k for k, _v in mapping.value if (_year_of(k) or 0) < int(key)), None)
        return add_entry(mapping, key, new, self.text, before)

    def _set(self, mapping: MappingNode, key: str, cell: NewCell, years: bool) -> list[Edit]:
        text = self.text
        entry = next(
            (e for e in mapping.value if isinstance(e[0], ScalarNode) and e[0].value == key), None
        )
        if entry is None:
            return [self._insert(mapping, key, cell.text(), years)]
        k, v = entry
        inner = get(v, "value") if isinstance(v, MappingNode) else None
        if cell.kind != "number" or inner is None:
            return [replace_value(k, v, cell.text(), text)]
        assert cell.number is not None
        edits = [replace_value(inner[0], inner[1], number_text(cell.number), text)]
        if cell.reason is not None:
            old = get(v, "restated")
            if old is not None:
                edits.append(replace_value(old[0], old[1], cell.restated_text(), text))
            else:
                edits.append(add_entry(v, "restated", cell.restated_text(), text, None))
        return edits
