"""Load ``data/kpis.yaml``: segments, footnotes, groups of indicators, relations, targets.

Names used before they are defined (footnote keys, indicator ids in
``sum_of``, ``part_of``, formulas and relations) are collected while reading
and checked once the whole file is read, so their order in the file is free.
"""

from __future__ import annotations

from ruamel.yaml.nodes import Node, ScalarNode

from esgpress.core.errors import did_you_mean
from esgpress.data.load_derived import compute_derived, implied_relations
from esgpress.data.load_indicators import IndicatorReader, items_of
from esgpress.data.model import (
    FRAMEWORKS,
    Dataset,
    Footnote,
    Group,
    Indicator,
    Relation,
    Segment,
    SubHeading,
    Target,
    Text,
)
from esgpress.data.yamlio import pos

# The field tables of data/kpis.yaml: allowed keys, then the required ones.
# The JSON Schemas editors validate with are generated from them
# (:mod:`esgpress.data.editor_schemas`).
KPI_FILE_KEYS = ("segments", "footnotes", "groups", "relations", "targets")
KPI_FILE_REQUIRED = ("groups",)
SEGMENT_KEYS = ("label", "footnotes")
SEGMENT_REQUIRED = ("label",)
GROUP_KEYS = ("id", "label", "topic", "table", "footnotes", "subheadings", "indicators")
GROUP_REQUIRED = ("id", "label", "indicators")
RELATION_KEYS = (
    "total",
    "sum_of",
    "equals",
    "weights",
    "average_of",
    "ratio_of",
    "acknowledge",
    "note",
)
#: Which keys a relation needs depends on its kind; the loader says which are missing.
RELATION_REQUIRED: tuple[str, ...] = ()
TARGET_KEYS = ("id", "area", "scope", "codes", "target", "progress", "next", "status")
TARGET_REQUIRED = ("id", "area", "target", "progress")


class KpiLoader(IndicatorReader):
    """Builds the data set from ``kpis.yaml``; one instance per load.

    With no report or no unit catalogue (their file did not load) the file is
    still read and its problems recorded, but no data set is returned.
    """

    #: The indicators read, by id, once :meth:`load` has read the groups (for
    #: checks of other files that name KPIs, such as ``site.headline``).
    indicators: dict[str, Indicator] | None = None

    def load(self) -> Dataset | None:
        """Read the whole file; ``None`` when it cannot make a data set (problems say why)."""
        r = self.r
        top = r.mapping(self.doc.root, "the KPI file")
        if top is None:
            return None
        r.keys(top, "the KPI file", KPI_FILE_KEYS, KPI_FILE_REQUIRED, self.doc.root)
        self.segments = self._segments(top["segments"][1]) if "segments" in top else {}
        footnotes = self._footnotes(top["footnotes"][1]) if "footnotes" in top else {}
        groups, indicators = self._groups(top["groups"][1]) if "groups" in top else ({}, {})
        self.indicators = indicators
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
        if self.report is None or self.units is None:
            return None
        relations = implied_relations(indicators) + relations
        indicators = compute_derived(indicators, self.report, self.problems, self.doc.path)
        return Dataset(
            report=self.report,
            units=self.units,
            segments=self.segments,
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
            self.r.keys(entries, f"segment '{key}'", SEGMENT_KEYS, SEGMENT_REQUIRED, value)
            label = (
                self.r.text(entries["label"][1], f"segment '{key}'.label")
                if "label" in entries
                else None
            )
            notes = self.footnote_list(entries.get("footnotes"))
            out[key] = Segment(key, label or Text(same=key), notes, pos(knode)[0])
        return out

    def _footnotes(self, node: Node) -> dict[str, Footnote]:
        out: dict[str, Footnote] = {}
        for key, (knode, value) in (self.r.mapping(node, "footnotes") or {}).items():
            text = self.r.text(value, f"footnote '{key}'")
            if text is not None:
                out[key] = Footnote(key, text, *pos(knode))
        return out

    def _groups(self, node: Node) -> tuple[dict[str, Group], dict[str, Indicator]]:
        groups: dict[str, Group] = {}
        indicators: dict[str, Indicator] = {}
        first_seen: dict[str, int] = {}
        for gnode in self.r.sequence(node, "groups") or []:
            g = self.r.mapping(gnode, "a group")
            if g is None:
                continue
            self.r.keys(g, "a group", GROUP_KEYS, GROUP_REQUIRED, gnode)
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
            subheadings = self._subheadings(g["subheadings"][1], gid) if "subheadings" in g else {}
            ids: list[str] = []
            members = (
                self.r.sequence(g["indicators"][1], f"group '{gid}'.indicators")
                if "indicators" in g
                else None
            )
            for inode in members or []:
                ind = self.indicator(inode, gid)
                if ind is None:
                    continue
                if ind.id in first_seen:
                    self.r.error(
                        inode, f"duplicate id '{ind.id}' (first on line {first_seen[ind.id]})"
                    )
                    continue
                first_seen[ind.id] = ind.line
                for key in ind.under:
                    if key in subheadings:
                        continue
                    if "." in key:  # an indicator id: the row sits below that row
                        self.id_refs.append((key, inode, f"indicator '{ind.id}'.under"))
                        continue
                    self.r.error(
                        inode,
                        f"indicator '{ind.id}'.under: unknown sub-heading '{key}' of group "
                        f"'{gid}'{did_you_mean(key, subheadings)}",
                    )
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
                footnotes=self.footnote_list(g.get("footnotes")),
                subheadings=subheadings,
            )
        return groups, indicators

    def _subheadings(self, node: Node, gid: str) -> dict[str, SubHeading]:
        """Read a group's sub-heading rows: a text, or ``{label: ..., footnotes: [...]}``."""
        out: dict[str, SubHeading] = {}
        for key, (_knode, value) in (
            self.r.mapping(node, f"group '{gid}'.subheadings") or {}
        ).items():
            what = f"group '{gid}'.subheadings.{key}"
            entries = self.r.mapping(value, what) if not isinstance(value, ScalarNode) else None
            if entries is not None and "label" in entries:
                self.r.keys(entries, what, ("label", "footnotes"), ("label",), value)
                label = self.r.text(entries["label"][1], f"{what}.label")
                notes = self.footnote_list(entries.get("footnotes"))
            else:
                label, notes = self.r.text(value, what), ()
            out[key] = SubHeading(key, label or Text(same=key), notes)
        return out

    # ---- relations and targets

    def _relations(self, node: Node, indicators: dict[str, Indicator]) -> list[Relation]:
        """Read ``relations:``: sums, sums to a number (shares to 100), weighted averages, ratios.

        Each is checked with the rounding of its printed figures
        (:mod:`esgpress.checks.relations`).
        """
        out: list[Relation] = []
        for rnode in self.r.sequence(node, "relations") or []:
            e = self.r.mapping(rnode, "a relation")
            if e is None:
                continue
            self.r.keys(e, "a relation", RELATION_KEYS, RELATION_REQUIRED, rnode)
            total = self.r.string(e["total"][1], "relation total") if "total" in e else None
            if total:
                self.id_refs.append((total, e["total"][1], "a relation"))
            refs: dict[str, tuple[str, ...]] = {}
            for key in ("sum_of", "weights", "average_of", "ratio_of"):
                if key in e:
                    refs[key] = self.r.strings(e[key][1], f"relation {key}")
                    for ref, item in zip(refs[key], items_of(e.get(key)), strict=False):
                        self.id_refs.append((ref, item, "a relation"))
            constant = self.r.decimal(e["equals"][1], "relation equals") if "equals" in e else None
            label = total or "+".join(refs.get("sum_of", ())) or "a relation"
            ack = self.acknowledge(e.get("acknowledge"), f"the relation for '{label}'")
            if "average_of" in refs:
                parts, weights = refs["average_of"], refs.get("weights", ())
                if not total or len(weights) != len(parts):
                    self.r.error(
                        rnode,
                        "a weighted average needs 'total', 'average_of' and as many 'weights' "
                        "as parts (average_of: [rate_a, rate_b], weights: [share_a, share_b])",
                    )
                    continue
                out.append(Relation(total, parts, *pos(rnode), ack, "weighted", weights))
            elif "ratio_of" in refs:
                pair = refs["ratio_of"]
                if len(pair) != 4:
                    self.r.error(
                        rnode,
                        "ratio_of names four indicators: two intensities with the same "
                        "numerator, then their two denominators",
                    )
                    continue
                out.append(Relation(pair[0], pair[1:], *pos(rnode), ack, "ratio"))
            elif "sum_of" in refs and (total or constant is not None):
                out.append(
                    Relation(total or "", refs["sum_of"], *pos(rnode), ack, constant=constant)
                )
            else:
                self.r.error(
                    rnode,
                    "a relation needs 'total' (or 'equals: 100') with 'sum_of', "
                    "or 'total' with 'average_of' and 'weights', or 'ratio_of'",
                )
        return out

    def _targets(self, node: Node) -> list[Target]:
        out: list[Target] = []
        seen: set[str] = set()
        for tnode in self.r.sequence(node, "targets") or []:
            e = self.r.mapping(tnode, "a target")
            if e is None:
                continue
            misplaced = sorted({"sum_of", "total", "average_of", "equals", "ratio_of"} & e.keys())
            if misplaced:
                self.r.error(
                    tnode,
                    f"this entry of targets: is a relation (it has {', '.join(misplaced)}); "
                    "move it under relations:",
                )
                continue
            self.r.keys(e, "a target", TARGET_KEYS, TARGET_REQUIRED, tnode)
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
