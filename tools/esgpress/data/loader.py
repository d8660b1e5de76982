"""Load ``data/`` into a :class:`~esgpress.data.model.Dataset`, collecting every problem.

The loader validates structure and references (unknown units, duplicate ids,
unknown footnote keys, formulas naming unknown ids, years outside the report's
range) and computes derived indicators. It never raises for a user mistake:
problems are collected and :func:`load_project` raises one
:class:`~esgpress.core.errors.EsgError` at the end.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from ruamel.yaml.nodes import MappingNode, Node, ScalarNode

from esgpress.core.errors import EsgError, Problems, did_you_mean
from esgpress.core.numbers import decimals_of
from esgpress.data import formulas
from esgpress.data.load_frameworks import load_frameworks
from esgpress.data.load_glossary import load_project_glossary
from esgpress.data.model import (
    ASSURANCE_LEVELS,
    FRAMEWORKS,
    QUALIFIERS,
    Dataset,
    Footnote,
    Formula,
    Group,
    Indicator,
    Relation,
    Report,
    Restatement,
    Segment,
    Target,
    Text,
    Unit,
    Value,
)
from esgpress.data.schema import Reader
from esgpress.data.units import check_unit
from esgpress.data.yamlio import NULL, Document, parse_text, pos, read_document, tag_of

REPORT_KEYS = (
    "slug",
    "year",
    "comparison_years",
    "data_from",
    "period",
    "currency",
    "company",
    "title",
    "published",
    "board_approval",
    "edition",
    "frameworks",
    "contact",
    "assurance",
    "print",
    "site",
    "chapters",
    "sample",
    "sample_notice",
)
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
    "note",
)
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


def load_dataset(root: Path, problems: Problems, kpis_text: str | None = None) -> Dataset | None:
    """Load ``root/data``; return ``None`` when a file cannot be read at all.

    ``kpis_text`` stands in for ``data/kpis.yaml``, so an import can load the
    file it is about to write before it writes it.
    """
    docs = {
        name: read_document(root / "data" / f"{name}.yaml", f"data/{name}.yaml", problems)
        for name in ("report", "units", "kpis")
        if name != "kpis" or kpis_text is None
    }
    if kpis_text is not None:
        kpis = parse_text(kpis_text, "data/kpis.yaml", problems)
        docs["kpis"] = Document("data/kpis.yaml", kpis, kpis_text.split("\n"))
    for doc in docs.values():
        if doc.root is None and not any(p.path == doc.path for p in problems.errors):
            problems.add(doc.path, 0, 0, "the file is empty")
    report = _load_report(docs["report"], problems)
    units = _load_units(docs["units"], problems)
    glossary = load_project_glossary(root, problems)
    frameworks = load_frameworks(root, problems)
    if report is None or units is None or docs["kpis"].root is None:
        return None
    dataset = _KpiLoader(docs["kpis"], report, units, problems).load()
    return replace(dataset, glossary=glossary, frameworks=frameworks) if dataset else None


def load_project(root: Path) -> tuple[Dataset, Problems]:
    """Load and validate; raise :class:`EsgError` if there is any error."""
    problems = Problems()
    dataset = load_dataset(root, problems)
    problems.raise_if_errors()
    if dataset is None:  # every path to None records a problem; this is a safety net
        raise EsgError("data/: the data set could not be loaded")
    return dataset, problems


# ---------------------------------------------------------------- report.yaml


def _load_report(doc: Document, problems: Problems) -> Report | None:
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the report file")
    if entries is None:
        if doc.root is None and not problems.errors:
            problems.add(doc.path, 0, 0, "the file is empty")
        return None
    r.keys(
        entries,
        "the report",
        REPORT_KEYS,
        ("slug", "year", "company", "title", "chapters"),
        doc.root,
    )

    def get(key: str) -> Node | None:
        return entries[key][1] if key in entries else None

    year_node, from_node = get("year"), get("data_from")
    year = r.year(year_node, "year") if year_node is not None else None
    comparison = tuple(
        y
        for y in (
            r.year(n, "comparison_years")
            for n in (r.sequence(get("comparison_years"), "comparison_years") or [])
        )
        if y
    )
    data_from = r.year(from_node, "data_from") if from_node is not None else None
    slug = r.string(get("slug"), "slug")
    company = r.text(get("company"), "company")
    title = r.text(get("title"), "title")
    chapters = r.strings(get("chapters"), "chapters")
    period = r.mapping(get("period"), "period") or {}
    if year is None or slug is None or company is None or title is None:
        return None
    for c in comparison:
        if c >= year:
            r.error(
                get("comparison_years"),
                f"comparison year {c} should be before the report year {year}",
            )
    extra = {k: v for k, v in entries.items() if k not in ("year", "slug")}
    return Report(
        slug=slug,
        year=year,
        comparison_years=comparison,
        data_from=data_from or min((year, *comparison)),
        company=company,
        title=title,
        chapters=chapters,
        currency=r.string(get("currency"), "currency") or "RMB",
        period_start=r.date(period["start"][1], "period.start") if "start" in period else None,
        period_end=r.date(period["end"][1], "period.end") if "end" in period else None,
        published=r.date(get("published"), "published"),
        board_approval=r.date(get("board_approval"), "board_approval"),
        sample=bool(r.boolean(get("sample"), "sample")) if get("sample") is not None else False,
        extra={"_nodes": extra},
    )


# ----------------------------------------------------------------- units.yaml

UNIT_KEYS = ("zh", "zh-Hant", "en", "en_one", "count", "space", "en_before", "base", "factor")


def _load_units(doc: Document, problems: Problems) -> dict[str, Unit] | None:
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the unit catalogue")
    if entries is None:
        return None
    units: dict[str, Unit] = {}
    for key, (_knode, node) in entries.items():
        u = r.mapping(node, f"unit '{key}'")
        if u is None:
            continue
        r.keys(u, f"unit '{key}'", UNIT_KEYS, ("zh", "en"), node)

        def s(name: str, u: dict[str, tuple[ScalarNode, Node]] = u, key: str = key) -> str | None:
            return r.string(u[name][1], f"unit '{key}'.{name}") if name in u else None

        def b(
            name: str, default: bool, u: dict[str, tuple[ScalarNode, Node]] = u, key: str = key
        ) -> bool:
            if name not in u:
                return default
            value = r.boolean(u[name][1], f"unit '{key}'.{name}")
            return default if value is None else value

        factor = r.decimal(u["factor"][1], f"unit '{key}'.factor") if "factor" in u else None
        units[key] = Unit(
            key=key,
            zh=s("zh") or key,
            en=s("en") or key,
            zh_hant=s("zh-Hant"),
            en_one=s("en_one"),
            count=b("count", False),
            space=b("space", True),
            en_before=b("en_before", False),
            base=s("base"),
            factor=factor,
        )
    for key, unit in units.items():
        if unit.base is not None and unit.base not in units:
            r.error(
                entries[key][1],
                f"unit '{key}' has base '{unit.base}', which is not in the catalogue",
            )
        if (unit.base is None) != (unit.factor is None):
            r.error(entries[key][1], f"unit '{key}' needs both 'base' and 'factor', or neither")
    return units


# ------------------------------------------------------------------ kpis.yaml


class _KpiLoader:
    """Builds the data set from ``kpis.yaml``; one instance per load."""

    def __init__(
        self, doc: Document, report: Report, units: dict[str, Unit], problems: Problems
    ) -> None:
        self.doc = doc
        self.r = Reader(doc.path, problems)
        self.problems = problems
        self.report = report
        self.units = units
        self.footnote_refs: list[tuple[str, Node]] = []
        self.id_refs: list[tuple[str, Node, str]] = []

    def load(self) -> Dataset | None:
        r = self.r
        top = r.mapping(self.doc.root, "the KPI file")
        if top is None:
            return None
        r.keys(
            top,
            "the KPI file",
            ("segments", "footnotes", "groups", "relations", "targets"),
            ("groups",),
            self.doc.root,
        )
        segments = self._segments(top["segments"][1]) if "segments" in top else {}
        self.segments = segments
        footnotes = self._footnotes(top["footnotes"][1]) if "footnotes" in top else {}
        groups, indicators = self._groups(top["groups"][1]) if "groups" in top else ({}, {})
        relations = self._relations(top["relations"][1], indicators) if "relations" in top else []
        targets = self._targets(top["targets"][1]) if "targets" in top else []
        for key, node in self.footnote_refs:
            if key not in footnotes:
                r.error(node, f"unknown footnote '{key}'{did_you_mean(key, footnotes)}")
        for ref, node, what in self.id_refs:
            if ref not in indicators:
                r.error(
                    node, f"{what} names unknown indicator '{ref}'{did_you_mean(ref, indicators)}"
                )
        relations = self._implied_relations(indicators) + relations
        indicators = self._compute_derived(indicators)
        return Dataset(
            report=self.report,
            units=self.units,
            segments=segments,
            footnotes=footnotes,
            groups=groups,
            indicators=indicators,
            relations=tuple(relations),
            targets=tuple(targets),
            kpis_path=self.doc.path,
        )

    # ---- top-level sections

    def _segments(self, node: Node) -> dict[str, Segment]:
        out: dict[str, Segment] = {}
        for key, (knode, value) in (self.r.mapping(node, "segments") or {}).items():
            entries = self.r.mapping(value, f"segment '{key}'") or {}
            self.r.keys(entries, f"segment '{key}'", ("label", "footnotes"), ("label",), value)
            label = (
                self.r.text(entries["label"][1], f"segment '{key}'.label")
                if "label" in entries
                else None
            )
            notes = self._footnote_list(entries.get("footnotes"))
            out[key] = Segment(key, label or Text(same=key), notes, pos(knode)[0])
        return out

    def _footnotes(self, node: Node) -> dict[str, Footnote]:
        out: dict[str, Footnote] = {}
        for key, (knode, value) in (self.r.mapping(node, "footnotes") or {}).items():
            text = self.r.text(value, f"footnote '{key}'")
            if text is not None:
                out[key] = Footnote(key, text, *pos(knode))
        return out

    def _footnote_list(self, entry: tuple[ScalarNode, Node] | None) -> tuple[str, ...]:
        if entry is None:
            return ()
        node = entry[1]
        keys = self.r.strings(node, "footnotes")
        items = node.value if not isinstance(node, ScalarNode) else [node]
        for key, item in zip(keys, items, strict=False):
            self.footnote_refs.append((key, item))
        return keys

    def _groups(self, node: Node) -> tuple[dict[str, Group], dict[str, Indicator]]:
        groups: dict[str, Group] = {}
        indicators: dict[str, Indicator] = {}
        first_seen: dict[str, int] = {}
        for gnode in self.r.sequence(node, "groups") or []:
            g = self.r.mapping(gnode, "a group")
            if g is None:
                continue
            self.r.keys(
                g,
                "a group",
                ("id", "label", "topic", "table", "footnotes", "indicators"),
                ("id", "label", "indicators"),
                gnode,
            )
            gid = self.r.string(g["id"][1], "group id") if "id" in g else None
            if gid is None:
                continue
            if gid in first_seen:
                self.r.error(
                    g["id"][1], f"duplicate group id '{gid}' (first on line {first_seen[gid]})"
                )
                continue
            first_seen[gid] = pos(g["id"][1])[0]
            label = self.r.text(g["label"][1], f"group '{gid}'.label") if "label" in g else None
            ids: list[str] = []
            members = (
                self.r.sequence(g["indicators"][1], f"group '{gid}'.indicators")
                if "indicators" in g
                else None
            )
            for inode in members or []:
                ind = self._indicator(inode, gid)
                if ind is None:
                    continue
                if ind.id in first_seen:
                    self.r.error(
                        inode, f"duplicate id '{ind.id}' (first on line {first_seen[ind.id]})"
                    )
                    continue
                first_seen[ind.id] = ind.line
                indicators[ind.id] = ind
                ids.append(ind.id)
            table = self.r.boolean(g["table"][1], f"group '{gid}'.table") if "table" in g else True
            groups[gid] = Group(
                id=gid,
                label=label or Text(same=gid),
                topic=(
                    self.r.string(g["topic"][1], f"group '{gid}'.topic") if "topic" in g else None
                )
                or gid.split(".")[0],
                indicators=tuple(ids),
                line=pos(gnode)[0],
                col=pos(gnode)[1],
                table=True if table is None else table,
                footnotes=self._footnote_list(g.get("footnotes")),
            )
        return groups, indicators

    # ---- one indicator

    def _indicator(self, node: Node, group: str) -> Indicator | None:
        r = self.r
        e = r.mapping(node, "an indicator")
        if e is None:
            return None
        kid = r.string(e["id"][1], "indicator id") if "id" in e else None
        what = f"indicator '{kid}'" if kid else "an indicator"
        r.keys(e, what, INDICATOR_KEYS, ("id", "label", "unit"), node)
        if kid is None:
            return None
        if "values" not in e and "derived" not in e:
            r.error(node, f"{what} needs 'values' or 'derived'")

        unit = r.string(e["unit"][1], f"{what}.unit") if "unit" in e else None
        if unit is not None:
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
        for ref, item in zip(sum_of, _items(e.get("sum_of")), strict=False):
            self.id_refs.append((ref, item, f"{what}.sum_of"))
        part_of = r.string(e["part_of"][1], f"{what}.part_of") if "part_of" in e else None
        if part_of:
            self.id_refs.append((part_of, e["part_of"][1], f"{what}.part_of"))
        segments = self._segment_values(e["segments"][1], what) if "segments" in e else {}
        acknowledge = self._acknowledge(e.get("acknowledge"), what)
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
            footnotes=self._footnote_list(e.get("footnotes")),
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
        )

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

    def _acknowledge(self, entry: tuple[ScalarNode, Node] | None, what: str) -> dict[str, str]:
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
        footnotes = self._footnote_list(e.get("footnotes"))
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
            r.choice(e["qualifier"][1], f"{what}.qualifier", QUALIFIERS)
            if "qualifier" in e
            else None
        )
        restated = None
        if "restated" in e:
            rs = r.mapping(e["restated"][1], f"{what}.restated") or {}
            r.keys(
                rs,
                f"{what}.restated",
                ("previous", "reason"),
                ("previous", "reason"),
                e["restated"][1],
            )
            prev = (
                r.decimal(rs["previous"][1], f"{what}.restated.previous")
                if "previous" in rs
                else None
            )
            reason = (
                r.string(rs["reason"][1], f"{what}.restated.reason") if "reason" in rs else None
            )
            if prev is not None and reason:
                restated = Restatement(prev, reason)
        return Value("number", number, qualifier, decimals, None, footnotes, restated, line, col)

    # ---- relations and targets

    def _relations(self, node: Node, indicators: dict[str, Indicator]) -> list[Relation]:
        out: list[Relation] = []
        for rnode in self.r.sequence(node, "relations") or []:
            e = self.r.mapping(rnode, "a relation")
            if e is None:
                continue
            self.r.keys(
                e,
                "a relation",
                ("total", "sum_of", "acknowledge", "note"),
                ("total", "sum_of"),
                rnode,
            )
            total = self.r.string(e["total"][1], "relation total") if "total" in e else None
            parts = self.r.strings(e["sum_of"][1], "relation sum_of") if "sum_of" in e else ()
            if total:
                self.id_refs.append((total, e["total"][1], "a relation"))
            for ref, item in zip(parts, _items(e.get("sum_of")), strict=False):
                self.id_refs.append((ref, item, "a relation"))
            if total and parts:
                ack = self._acknowledge(e.get("acknowledge"), f"the relation for '{total}'")
                out.append(Relation(total, parts, *pos(rnode), acknowledge=ack))
        return out

    def _implied_relations(self, indicators: dict[str, Indicator]) -> list[Relation]:
        out: list[Relation] = []
        for ind in indicators.values():
            if ind.sum_of:
                line, col = ind.positions.get("sum_of", (ind.line, ind.col))
                out.append(Relation(ind.id, ind.sum_of, line, col, ind.acknowledge))
            if ind.part_of and ind.part_of in indicators:
                line, col = ind.positions.get("part_of", (ind.line, ind.col))
                out.append(
                    Relation(ind.part_of, (ind.id,), line, col, ind.acknowledge, kind="part")
                )
            if ind.segments and ind.segments_additive:
                line, col = ind.positions.get("segments", (ind.line, ind.col))
                out.append(Relation(ind.id, (), line, col, ind.acknowledge, kind="segments"))
        return out

    def _targets(self, node: Node) -> list[Target]:
        out: list[Target] = []
        seen: set[str] = set()
        keys = ("id", "area", "scope", "codes", "target", "progress", "next", "status")
        for tnode in self.r.sequence(node, "targets") or []:
            e = self.r.mapping(tnode, "a target")
            if e is None:
                continue
            self.r.keys(e, "a target", keys, ("id", "area", "target", "progress"), tnode)
            tid = self.r.string(e["id"][1], "target id") if "id" in e else None
            if not tid:
                continue
            if tid in seen:
                self.r.error(e["id"][1], f"duplicate target id '{tid}'")
            seen.add(tid)
            what = f"target '{tid}'"

            def text(key: str, e: dict[str, tuple[ScalarNode, Node]] = e, what: str = what) -> Text:
                return (self.r.text(e[key][1], f"{what}.{key}") if key in e else None) or Text(
                    same=""
                )

            codes = {}
            if "codes" in e:
                cmap = self.r.mapping(e["codes"][1], f"{what}.codes") or {}
                self.r.keys(cmap, f"{what}.codes", FRAMEWORKS)
                codes = {
                    k: self.r.strings(v, f"{what}.codes.{k}")
                    for k, (_kn, v) in cmap.items()
                    if k in FRAMEWORKS
                }
            status = (
                self.r.choice(
                    e["status"][1],
                    f"{what}.status",
                    ("achieved", "on_track", "in_progress", "not_met"),
                )
                if "status" in e
                else None
            )
            out.append(
                Target(
                    id=tid,
                    area=text("area"),
                    target=text("target"),
                    progress=text("progress"),
                    next=text("next"),
                    status=status or "in_progress",
                    line=pos(tnode)[0],
                    codes=codes,
                    scope=self.r.text(e["scope"][1], f"{what}.scope") if "scope" in e else None,
                )
            )
        return out

    # ---- derived values

    def _compute_derived(self, indicators: dict[str, Indicator]) -> dict[str, Indicator]:
        """Compute derived indicators in dependency order (cycles are reported)."""
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
                    self.problems.add(
                        self.doc.path,
                        v.derived.line,
                        v.derived.col,
                        f"indicator '{k}': its formula depends on itself through {cycle}",
                    )
                    done[k] = v
                break
            for k in ready:
                done[k] = self._derive(pending.pop(k), done)
        return {k: done[k] for k in indicators}

    def _derive(self, ind: Indicator, known: dict[str, Indicator]) -> Indicator:
        assert ind.derived is not None
        tree, _refs = formulas.parse(ind.derived.source)
        # A formula over fixed years only (cumulative progress) has one value, for the
        # latest year it names: after `new-year` it stays a figure of the year it was for.
        fixed_only = all(y is not None for _r, y in ind.derived.refs)
        latest = max((y for _r, y in ind.derived.refs if y is not None), default=None)
        years = (
            (min(latest or self.report.year, self.report.year),)
            if fixed_only
            else range(self.report.data_from, self.report.year + 1)
        )
        values: dict[int, Value] = {}
        for year in years:

            def lookup(ref: str, fixed: int | None, year: int = year) -> Decimal | None:
                src = known.get(ref)
                cell = src.values.get(fixed or year) if src else None
                return cell.number if cell is not None and cell.is_number else None

            result = formulas.evaluate(tree, lookup)
            if result is not None:
                values[year] = Value("number", result, line=ind.derived.line, col=ind.derived.col)
            elif year in ind.published:
                values[year] = Value("not_reported", line=ind.derived.line, col=ind.derived.col)
        return replace(ind, values=values)


def _items(entry: tuple[ScalarNode, Node] | None) -> list[Node]:
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
