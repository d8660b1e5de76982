"""Read indicators and their values from ``data/kpis.yaml``.

:class:`IndicatorReader` holds what reading one indicator needs (the report's
years, the unit catalogue, the segments) and collects the names an indicator
uses before they are known to exist (footnotes, other indicators), which
:class:`~esgpress.data.load_kpis.KpiLoader` checks once the whole file is read.

When ``report.yaml`` or ``units.yaml`` could not be loaded, the KPI file is
still read, so one run lists its problems too; only the checks that need the
missing file (years in range, known units) are skipped.
"""

from __future__ import annotations

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from esgpress.core.errors import Problems, did_you_mean
from esgpress.core.numbers import decimals_of
from esgpress.data import formulas
from esgpress.data.model import (
    ASSURANCE_LEVELS,
    FRAMEWORKS,
    QUALIFIERS,
    Formula,
    Indicator,
    Report,
    Restatement,
    Segment,
    Text,
    Unit,
    Value,
)
from esgpress.data.schema import Reader
from esgpress.data.units import check_unit
from esgpress.data.yamlio import NULL, Document, pos, tag_of

INDICATOR_KEYS = (
    "id",
    "label",
    "definition",
    "unit",
    "decimals",
    "codes",
    "assurance",
    "owner",
    "footnotes",
    "sum_of",
    "part_of",
    "derived",
    "published",
    "acknowledge",
    "values",
    "segments",
    "segments_additive",
    "under",
    "internal",
    "breaks",
    "note",
)
INDICATOR_REQUIRED = ("id", "label", "unit")
#: What a restatement may say.
RESTATED_KEYS = ("previous", "reason")
#: The reason is enough: the old figure may be unknown (a restatement found later).
RESTATED_REQUIRED = ("reason",)
VALUE_KEYS = (
    "value",
    "qualifier",
    "decimals",
    "footnotes",
    "restated",
    "missing",
    "pending",
    "note",
)


class IndicatorReader:
    """Reads indicators of one KPI file; one instance per load."""

    #: The qualifier names a value may carry (the loader sets the ones in force).
    qualifiers: tuple[str, ...] = QUALIFIERS

    def __init__(
        self,
        doc: Document,
        report: Report | None,
        units: dict[str, Unit] | None,
        problems: Problems,
    ) -> None:
        self.doc = doc
        self.r = Reader(doc.path, problems)
        self.problems = problems
        self.report = report
        self.units = units
        self.segments: dict[str, Segment] = {}
        self.footnote_refs: list[tuple[str, Node]] = []
        self.id_refs: list[tuple[str, Node, str]] = []

    def footnote_list(self, entry: tuple[ScalarNode, Node] | None) -> tuple[str, ...]:
        """Read a ``footnotes:`` entry; its keys are checked once every footnote is known."""
        if entry is None:
            return ()
        node = entry[1]
        keys = self.r.strings(node, "footnotes")
        items = node.value if not isinstance(node, ScalarNode) else [node]
        for key, item in zip(keys, items, strict=False):
            self.footnote_refs.append((key, item))
        return keys

    def indicator(self, node: Node, group: str) -> Indicator | None:
        """Read one indicator of group ``group``; ``None`` when it has no usable id."""
        r = self.r
        e = r.mapping(node, "an indicator")
        if e is None:
            return None
        kid = r.string(e["id"][1], "indicator id") if "id" in e else None
        what = f"indicator '{kid}'" if kid else "an indicator"
        r.keys(e, what, INDICATOR_KEYS, INDICATOR_REQUIRED, node)
        if kid is None:
            return None
        if "values" not in e and "derived" not in e:
            r.error(node, f"{what} needs 'values' or 'derived'")

        unit_node = e["unit"][1] if "unit" in e else None
        # unit: '' is a figure with no unit (a count of sites, a ratio): it prints none.
        unitless = False
        if isinstance(unit_node, ScalarNode):
            unitless = unit_node.value == "" and tag_of(unit_node) != NULL
        unit = "" if unitless else r.string(unit_node, f"{what}.unit") if unit_node else None
        if unit and self.units is not None:
            message = check_unit(unit, self.units)
            if message:
                r.error(e["unit"][1], f"{what}: {message}")
        values = self._year_values(e["values"][1], what) if "values" in e else {}
        decimals = (
            r.integer(e["decimals"][1], f"{what}.decimals", 0, 6) if "decimals" in e else None
        )
        if decimals is None:
            typed = [decimals_of(v.number) for v in values.values() if v.number is not None]
            decimals = max(typed, default=0)
        codes: dict[str, tuple[str, ...]] = {}
        if "codes" in e:
            cmap = r.mapping(e["codes"][1], f"{what}.codes") or {}
            r.keys(cmap, f"{what}.codes", FRAMEWORKS)
            codes = {
                k: r.strings(v, f"{what}.codes.{k}")
                for k, (_kn, v) in cmap.items()
                if k in FRAMEWORKS
            }
        derived = self._formula(e["derived"][1], what) if "derived" in e else None
        if derived is not None and values:
            r.error(
                e["values"][1],
                f"{what} is derived: remove 'values' (put printed figures under 'published')",
            )
        sum_of = r.strings(e["sum_of"][1], f"{what}.sum_of") if "sum_of" in e else ()
        for ref, item in zip(sum_of, items_of(e.get("sum_of")), strict=False):
            if ref == kid:
                r.error(item, f"{what}.sum_of names the indicator itself; list its parts")
                continue
            self.id_refs.append((ref, item, f"{what}.sum_of"))
        part_of = r.string(e["part_of"][1], f"{what}.part_of") if "part_of" in e else None
        if part_of:
            self.id_refs.append((part_of, e["part_of"][1], f"{what}.part_of"))
        segments = self._segment_values(e["segments"][1], what) if "segments" in e else {}
        acknowledge = self.acknowledge(e.get("acknowledge"), what)
        return Indicator(
            id=kid,
            group=group,
            label=(r.text(e["label"][1], f"{what}.label") if "label" in e else None)
            or Text(same=kid),
            unit=unit or "",
            decimals=decimals,
            line=pos(node)[0],
            col=pos(node)[1],
            definition=r.text(e["definition"][1], f"{what}.definition")
            if "definition" in e
            else None,
            codes=codes,
            assurance=r.choice(e["assurance"][1], f"{what}.assurance", ASSURANCE_LEVELS) or "none"
            if "assurance" in e
            else "none",
            owner=r.string(e["owner"][1], f"{what}.owner") if "owner" in e else None,
            footnotes=self.footnote_list(e.get("footnotes")),
            sum_of=sum_of,
            part_of=part_of,
            derived=derived,
            published=self._year_values(e["published"][1], f"{what}.published")
            if "published" in e
            else {},
            acknowledge=acknowledge,
            values=values,
            segments=segments,
            segments_additive=r.boolean(e["segments_additive"][1], f"{what}.segments_additive")
            is not False
            if "segments_additive" in e
            else True,
            positions={k: pos(v) for k, (_kn, v) in e.items()},
            under=r.strings(e["under"][1], f"{what}.under") if "under" in e else (),
            breaks=self._breaks(e["breaks"][1], what) if "breaks" in e else {},
            internal=r.boolean(e["internal"][1], f"{what}.internal") is True
            if "internal" in e
            else False,
        )

    def _breaks(self, node: Node, what: str) -> dict[int, str]:
        """Read ``breaks: {2022: reason}``: the first year of a new basis and why."""
        out: dict[int, str] = {}
        for knode, vnode in (self.r.mapping(node, f"{what}.breaks") or {}).values():
            year = self._year_key(knode, f"{what}.breaks")
            reason = self.r.string(vnode, f"{what}.breaks")
            if year is not None and reason:
                out[year] = reason
        return out

    def _formula(self, node: Node, what: str) -> Formula | None:
        source = self.r.string(node, f"{what}.derived")
        if source is None:
            return None
        try:
            _tree, refs = formulas.parse(source)
        except formulas.FormulaError as exc:
            line, col = pos(node)
            self.problems.add(self.doc.path, line, col + exc.offset, f"{what}: {exc}")
            return None
        for ref, _year in refs:
            self.id_refs.append((ref, node, f"the formula of {what}"))
        return Formula(source, refs, *pos(node))

    def acknowledge(self, entry: tuple[ScalarNode, Node] | None, what: str) -> dict[str, str]:
        if entry is None:
            return {}
        out: dict[str, str] = {}
        for key, (knode, value) in (self.r.mapping(entry[1], f"{what}.acknowledge") or {}).items():
            year, _, seg = key.partition("/")
            if not year.isdigit():
                self.r.error(
                    knode,
                    f"{what}.acknowledge: key '{key}' should be a year (2023) "
                    "or year/segment (2024/ev_innovation)",
                )
                continue
            if seg and seg not in self.segments:
                self.r.error(
                    knode,
                    f"{what}.acknowledge: unknown segment "
                    f"'{seg}'{did_you_mean(seg, self.segments)}",
                )
            reason = self.r.string(value, f"{what}.acknowledge.{key}")
            if reason:
                out[key] = reason
        return out

    def _year_values(self, node: Node, what: str) -> dict[int, Value]:
        out: dict[int, Value] = {}
        for knode, vnode in (self.r.mapping(node, f"{what} values") or {}).values():
            year = self._year_key(knode, what)
            if year is None:
                continue
            value = self._value(vnode, f"{what} {year}")
            if value is not None:
                out[year] = value
        return out

    def _segment_values(self, node: Node, what: str) -> dict[int, dict[str, Value]]:
        out: dict[int, dict[str, Value]] = {}
        for key, (knode, ynode) in (self.r.mapping(node, f"{what}.segments") or {}).items():
            year = self._year_key(knode, f"{what}.segments")
            if year is None:
                continue
            cells: dict[str, Value] = {}
            for seg, (snode, vnode) in (
                self.r.mapping(ynode, f"{what}.segments.{key}") or {}
            ).items():
                if seg not in self.segments:
                    self.r.error(
                        snode, f"{what}: unknown segment '{seg}'{did_you_mean(seg, self.segments)}"
                    )
                    continue
                value = self._value(vnode, f"{what} {year} {seg}")
                if value is not None:
                    cells[seg] = value
            out[year] = cells
        return out

    def _year_key(self, knode: ScalarNode, what: str) -> int | None:
        year = self.r.year(knode, f"{what}: year")
        if year is None:
            return None
        rep = self.report
        if rep is None:  # report.yaml did not load: the range is unknown
            return year
        if year > rep.year:
            self.r.error(
                knode, f"{what}: year {year} is after the report year {rep.year} (data/report.yaml)"
            )
            return None
        if year < rep.data_from:
            self.r.error(
                knode, f"{what}: year {year} is before data_from {rep.data_from} (data/report.yaml)"
            )
            return None
        return year

    def _value(self, node: Node, what: str) -> Value | None:
        r = self.r
        line, col = pos(node)
        if isinstance(node, ScalarNode):
            if tag_of(node) == NULL:
                return Value("not_reported", line=line, col=col)
            number = r.decimal(node, what)
            return Value("number", number, line=line, col=col) if number is not None else None
        e = r.mapping(node, what)
        if e is None:
            return None
        r.keys(e, what, VALUE_KEYS)
        footnotes = self.footnote_list(e.get("footnotes"))
        decimals = (
            r.integer(e["decimals"][1], f"{what}.decimals", 0, 6) if "decimals" in e else None
        )
        if "pending" in e:
            text = r.text(e["pending"][1], f"{what}.pending")
            return Value("pending", pending=text, footnotes=footnotes, line=line, col=col)
        if "missing" in e:
            kind = r.choice(e["missing"][1], f"{what}.missing", ("not_reported", "not_applicable"))
            return Value(kind or "not_reported", footnotes=footnotes, line=line, col=col)  # type: ignore[arg-type]
        if "value" not in e:
            r.error(node, f"{what} needs 'value', 'missing' or 'pending'")
            return None
        vnode = e["value"][1]
        if isinstance(vnode, ScalarNode) and tag_of(vnode) == NULL:
            return Value("not_reported", footnotes=footnotes, line=line, col=col)
        number = r.decimal(vnode, what)
        if number is None:
            return None
        qualifier = (
            r.choice(e["qualifier"][1], f"{what}.qualifier", self.qualifiers)
            if "qualifier" in e
            else None
        )
        restated = None
        if "restated" in e:
            rs = r.mapping(e["restated"][1], f"{what}.restated") or {}
            # The old figure may be unknown (a restatement found later): the reason is enough.
            r.keys(rs, f"{what}.restated", RESTATED_KEYS, RESTATED_REQUIRED, e["restated"][1])
            prev = (
                r.decimal(rs["previous"][1], f"{what}.restated.previous")
                if "previous" in rs
                else None
            )
            reason = (
                r.string(rs["reason"][1], f"{what}.restated.reason") if "reason" in rs else None
            )
            if reason and (prev is not None or "previous" not in rs):
                restated = Restatement(prev, reason)
        return Value("number", number, qualifier, decimals, None, footnotes, restated, line, col)


def items_of(entry: tuple[ScalarNode, Node] | None) -> list[Node]:
    """Return the nodes of a one-or-list entry, to locate each of its strings."""
    if entry is None:
        return []
    node = entry[1]
    return (
        [node]
        if isinstance(node, ScalarNode)
        else list(node.value)
        if not isinstance(node, MappingNode)
        else []
    )
