"""Load the report's standing components: material topics, ratings and awards, assurance.

``data/topics.yaml`` holds the material topics (pillar, IRO tags, SDGs, rank
or materiality scores, the indicators that measure each one, the management
texts and the executive summary's tile figures); ``data/ratings.yaml`` the
ESG ratings and awards; the ``assurance:`` block of ``data/report.yaml`` the
facts of the independent assurance statement. Both files are optional: a
project without them simply has no materiality matrix, tiles or ratings.

Everything a tile or table names is checked here against the KPIs, so
``esgpress check`` reports an unknown indicator at ``data/topics.yaml:line:col``
before any edition renders. Texts stay templates: they are rendered per
edition by the chapter functions (:mod:`esgpress.render.components`).
"""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal
from pathlib import Path

from ruamel.yaml.nodes import Node, ScalarNode

from esgpress.core.errors import Problems, did_you_mean
from esgpress.data.model import (
    IRO_TAGS,
    MANAGEMENT_COLUMNS,
    PILLARS,
    Assurance,
    Components,
    Rating,
    Text,
    TileFigure,
    Topic,
)
from esgpress.data.schema import Reader
from esgpress.data.yamlio import Document, pos, read_document

TOPICS_PATH = "data/topics.yaml"
RATINGS_PATH = "data/ratings.yaml"

#: How the materiality scores of ``topics.yaml`` came about (``scores:``).
SCORE_KINDS = ("published", "illustrative", "none")
TOPIC_KEYS = (
    "id",
    "label",
    "pillar",
    "iro",
    "sdgs",
    "rank",
    "impact",
    "financial",
    "indicators",
    "management",
    "tile",
)
TOPIC_REQUIRED = ("id", "label", "pillar")
#: The top level of ``topics.yaml`` and of ``ratings.yaml`` (also the JSON Schemas').
TOPICS_FILE_KEYS = ("scores", "scores_note", "topics")
TOPICS_FILE_REQUIRED = ("topics",)
RATINGS_FILE_KEYS = ("ratings", "awards")
FIGURE_KEYS = ("label", "kpi", "compact", "change_from", "rating")
RATING_KEYS = ("id", "agency", "rating", "year", "scale", "previous")
RATING_REQUIRED = ("id", "agency", "rating", "year")
ASSURANCE_KEYS = ("provider", "standard", "level", "date", "signatory", "statement", "note")
ASSURANCE_REQUIRED = ("provider", "standard")
#: Assurance standards the statement may name (others are a warning, not refused).
STANDARDS = ("AA1000AS v3", "ISAE 3000", "ISAE 3410")
#: Materiality scores are on a scale from 0 to this.
SCORE_MAX = Decimal(5)


def load_components(
    root: Path, report_doc: Document, kpis: Collection[str], problems: Problems
) -> Components:
    """Read topics, ratings and assurance; unknown KPI ids and ratings are problems."""
    ratings = _load_ratings(root, problems)
    topics, scores, note = _load_topics(root, kpis, {r.id for r in ratings}, problems)
    return Components(
        topics=topics,
        scores=scores,
        scores_note=note,
        ratings=ratings,
        assurance=_load_assurance(root, report_doc, problems),
    )


def _optional(root: Path, rel: str, problems: Problems) -> Document | None:
    return read_document(root / rel, rel, problems) if (root / rel).is_file() else None


def _load_ratings(root: Path, problems: Problems) -> tuple[Rating, ...]:
    doc = _optional(root, RATINGS_PATH, problems)
    if doc is None or doc.root is None:
        return ()
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the ratings file") or {}
    r.keys(entries, "the ratings file", RATINGS_FILE_KEYS)
    out: list[Rating] = []
    for kind in RATINGS_FILE_KEYS:
        nodes = r.sequence(entries[kind][1], kind) if kind in entries else None
        for node in nodes or []:
            item = r.mapping(node, f"an entry of {kind}") or {}
            r.keys(item, f"an entry of {kind}", RATING_KEYS, RATING_REQUIRED, node)

            def get(key: str, item: dict[str, tuple[ScalarNode, Node]] = item) -> Node | None:
                return item[key][1] if key in item else None

            rid, agency = r.string(get("id"), f"{kind}.id"), r.text(get("agency"), f"{kind}.agency")
            grade, year_node = r.text(get("rating"), f"{kind}.rating"), get("year")
            year = r.year(year_node, f"{kind}.year") if year_node is not None else None
            if rid and agency and grade and year:
                if any(o.id == rid for o in out):
                    r.error(get("id"), f"{kind} id '{rid}' is used twice")
                out.append(
                    Rating(
                        rid,
                        kind[:-1],
                        agency,
                        grade,
                        year,
                        pos(node)[0],
                        r.text(get("scale"), f"{kind}.scale"),
                        r.string(get("previous"), f"{kind}.previous"),
                    )
                )
    return tuple(out)


def _load_topics(
    root: Path, kpis: Collection[str], ratings: Collection[str], problems: Problems
) -> tuple[tuple[Topic, ...], str, Text | None]:
    doc = _optional(root, TOPICS_PATH, problems)
    if doc is None or doc.root is None:
        return (), "none", None
    r = Reader(doc.path, problems)
    entries = r.mapping(doc.root, "the topics file") or {}
    r.keys(entries, "the topics file", TOPICS_FILE_KEYS, TOPICS_FILE_REQUIRED, doc.root)
    scores = "none"
    if "scores" in entries:
        scores = r.choice(entries["scores"][1], "scores", SCORE_KINDS) or "none"
    note = r.text(entries["scores_note"][1], "scores_note") if "scores_note" in entries else None
    if scores == "illustrative" and note is None:
        r.error(
            entries["scores"][1],
            "illustrative scores need a scores_note saying they are not the company's own",
        )
    topics: list[Topic] = []
    ranks: dict[int, str] = {}
    nodes = r.sequence(entries["topics"][1], "topics") if "topics" in entries else None
    for node in nodes or []:
        topic = _topic(r, node, scores, kpis, ratings)
        if topic is None:
            continue
        if any(t.id == topic.id for t in topics):
            r.error(node, f"topic id '{topic.id}' is used twice")
        if topic.rank is not None:
            if topic.rank in ranks:
                r.error(node, f"topic '{topic.id}' has rank {topic.rank}, as '{ranks[topic.rank]}'")
            ranks[topic.rank] = topic.id
        topics.append(topic)
    return tuple(topics), scores, note


def _kpi_ids(r: Reader, node: Node | None, what: str, kpis: Collection[str]) -> tuple[str, ...]:
    ids = r.strings(node, what)
    for kpi_id in ids:
        if kpi_id not in kpis:
            r.error(node, f"{what}: unknown KPI '{kpi_id}'{did_you_mean(kpi_id, kpis)}")
    return tuple(i for i in ids if i in kpis)


def _topic(
    r: Reader, node: Node, scores: str, kpis: Collection[str], ratings: Collection[str]
) -> Topic | None:
    item = r.mapping(node, "a topic")
    if item is None:
        return None
    r.keys(item, "a topic", TOPIC_KEYS, TOPIC_REQUIRED, node)

    def get(key: str) -> Node | None:
        return item[key][1] if key in item else None

    tid, label = r.string(get("id"), "topic id"), r.text(get("label"), "topic label")
    pillar = r.choice(get("pillar"), "pillar", PILLARS)
    if tid is None or label is None or pillar is None:
        return None
    iro = r.strings(get("iro"), f"topic '{tid}' iro")
    for tag in iro:
        if tag not in IRO_TAGS:
            r.error(get("iro"), f"IRO tag '{tag}' is not one of: {', '.join(IRO_TAGS)}")
    sdgs = tuple(
        n
        for n in (
            r.integer(s, f"topic '{tid}' sdgs", 1, 17)
            for s in r.sequence(get("sdgs"), "sdgs") or []
        )
        if n is not None
    )
    rank = r.integer(get("rank"), f"topic '{tid}' rank", 1, 999) if get("rank") else None
    impact = financial = None
    if scores != "none":
        impact = _score(r, get("impact"), f"topic '{tid}' impact", node)
        financial = _score(r, get("financial"), f"topic '{tid}' financial", node)
    elif rank is None:
        r.error(node, f"topic '{tid}' needs a rank when the file gives no scores")
    management: dict[str, Text] = {}
    texts = r.mapping(get("management"), f"topic '{tid}' management") or {}
    r.keys(texts, f"topic '{tid}' management", MANAGEMENT_COLUMNS)
    for column in MANAGEMENT_COLUMNS:
        if column in texts:
            text = r.text(texts[column][1], f"topic '{tid}' management.{column}")
            if text is not None:
                management[column] = text
    tile = None
    if get("tile") is not None:
        figures = [_figure(r, f, tid, kpis, ratings) for f in r.sequence(get("tile"), "tile") or []]
        tile = tuple(f for f in figures if f is not None)
        if len(tile) > 3:
            r.error(get("tile"), f"topic '{tid}' has {len(tile)} tile figures; a tile holds three")
            tile = tile[:3]
    return Topic(
        id=tid,
        label=label,
        pillar=pillar,
        line=pos(node)[0],
        iro=tuple(t for t in iro if t in IRO_TAGS),
        sdgs=sdgs,
        rank=rank,
        impact=impact,
        financial=financial,
        indicators=_kpi_ids(r, get("indicators"), f"topic '{tid}' indicators", kpis),
        management=management,
        tile=tile,
    )


def _score(r: Reader, node: Node | None, what: str, anchor: Node) -> Decimal | None:
    if node is None:
        r.error(anchor, f"{what}: a score from 0 to {SCORE_MAX} is needed (the file has scores)")
        return None
    value = r.decimal(node, what)
    if value is not None and not Decimal(0) <= value <= SCORE_MAX:
        r.error(node, f"{what} should be from 0 to {SCORE_MAX}, not {value}")
        return None
    return value


def _figure(
    r: Reader, node: Node, tid: str, kpis: Collection[str], ratings: Collection[str]
) -> TileFigure | None:
    what = f"topic '{tid}' tile figure"
    item = r.mapping(node, what)
    if item is None:
        return None
    r.keys(item, what, FIGURE_KEYS, (), node)

    def get(key: str) -> Node | None:
        return item[key][1] if key in item else None

    label = r.text(get("label"), f"{what} label")
    ids = _kpi_ids(r, get("kpi"), f"{what} kpi", kpis)
    rating = r.string(get("rating"), f"{what} rating")
    if rating is not None and rating not in ratings:
        r.error(get("rating"), f"unknown rating '{rating}'{did_you_mean(rating, ratings)}")
        rating = None
    if ids and rating:
        r.error(node, f"{what}: give a kpi or a rating, not both")
    if len(ids) > 2:
        r.error(get("kpi"), f"{what}: a composite cell holds two figures, not {len(ids)}")
    change_node = get("change_from")
    change = r.year(change_node, f"{what} change_from") if change_node is not None else None
    compact = bool(r.boolean(get("compact"), f"{what} compact")) if get("compact") else False
    if label is None and len(ids) != 1:
        r.error(node, f"{what} needs a label (only a single KPI lends its own)")
        return None
    line, col = pos(node)
    return TileFigure(label, line, col, ids[:2], compact, change, rating)


def _load_assurance(root: Path, doc: Document, problems: Problems) -> Assurance | None:
    r = Reader(doc.path, problems)
    top = r.mapping(doc.root, "the report file") if doc.root is not None else None
    if not top or "assurance" not in top:
        return None
    node = top["assurance"][1]
    item = r.mapping(node, "assurance") or {}
    r.keys(item, "assurance", ASSURANCE_KEYS, ASSURANCE_REQUIRED, node)

    def get(key: str) -> Node | None:
        return item[key][1] if key in item else None

    provider = r.text(get("provider"), "assurance.provider")
    standard = r.string(get("standard"), "assurance.standard")
    if standard is not None and standard not in STANDARDS:
        r.error(
            get("standard"),
            f"assurance.standard '{standard}' is none of {', '.join(STANDARDS)}",
            "warning",
        )
    statement = r.string(get("statement"), "assurance.statement")
    if statement is not None and not (root / "data" / statement).is_file():
        r.error(get("statement"), f"assurance.statement: no file data/{statement}")
        statement = None
    if provider is None or standard is None:
        return None
    return Assurance(
        provider=provider,
        standard=standard,
        level=r.text(get("level"), "assurance.level"),
        date=r.date(get("date"), "assurance.date"),
        signatory=r.text(get("signatory"), "assurance.signatory"),
        statement=statement,
        note=r.text(get("note"), "assurance.note"),
    )
