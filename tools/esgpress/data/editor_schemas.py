"""JSON Schemas of the data files, generated from the loader's own field tables.

An editor with a YAML language server (VS Code's YAML extension, say) then
flags a misspelt key or a missing required one while the file is typed, with
the same lists of keys ``esgpress check`` enforces: every ``properties`` and
``required`` below comes from a ``*_KEYS`` / ``*_REQUIRED`` table of the
``data/load_*.py`` module that reads the file, never from a second list.
The schemas only describe shapes (which keys, which are required, what kind
of value); the rules between values (sums, units, known ids) stay with
``esgpress check``.

``esgpress schemas --out schemas`` (``make schemas``) writes them; a test
fails when the shipped files differ from what this module generates.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from esgpress.core.files import write_atomic
from esgpress.data import (
    load_archive,
    load_indicators,
    load_kpis,
    load_report,
    load_topics,
    load_units,
)
from esgpress.data.load_glossary import SECTIONS as GLOSSARY_SECTIONS
from esgpress.data.model import (
    ASSURANCE_LEVELS,
    FRAMEWORKS,
    IRO_TAGS,
    MANAGEMENT_COLUMNS,
    PILLARS,
    QUALIFIERS,
    TEXT_LANGS,
)

Schema = dict[str, Any]

DRAFT = "https://json-schema.org/draft/2020-12/schema"

#: A piece of text: one string for every language, or one per language.
TEXT: Schema = {
    "anyOf": [
        {"type": "string"},
        {
            "type": "object",
            "properties": {lang: {"type": ["string", "null"]} for lang in TEXT_LANGS},
            "additionalProperties": False,
        },
    ]
}
STRINGS: Schema = {"type": "array", "items": {"type": "string"}}
#: A list of strings, or one string.
STRING_OR_LIST: Schema = {"anyOf": [{"type": "string"}, STRINGS]}
NUMBER: Schema = {"type": ["number", "string"]}
#: Framework codes by framework: ``{hkex: [A1.1], gri: [302-1]}``.
CODES: Schema = {
    "type": "object",
    "properties": {f: STRING_OR_LIST for f in FRAMEWORKS},
    "additionalProperties": False,
}
#: A discrepancy acknowledged with its reason (a string, or the loader's mapping).
ACKNOWLEDGE: Schema = {"type": ["string", "object"]}


def record(keys: Iterable[str], required: Iterable[str] = (), **known: Schema) -> Schema:
    """Describe an object with exactly ``keys`` (typed as in ``known``, else any value)."""
    schema: Schema = {
        "type": "object",
        "properties": {k: known.get(k, {}) for k in keys},
        "additionalProperties": False,
    }
    required = list(required)
    if required:
        schema["required"] = required
    return schema


def document(name: str, title: str, body: Schema) -> Schema:
    """Give a schema its header: dialect, id and the title editors show."""
    return {"$schema": DRAFT, "$id": f"{name}.schema.json", "title": title, **body}


def value_schema() -> Schema:
    """One year's figure: a number, a missing-value code, or the mapping of ``VALUE_KEYS``."""
    restated = record(load_indicators.RESTATED_KEYS, load_indicators.RESTATED_REQUIRED)
    mapping = record(
        load_indicators.VALUE_KEYS,
        qualifier={"enum": list(QUALIFIERS)},
        decimals={"type": "integer"},
        footnotes=STRING_OR_LIST,
        restated=restated,
        missing={"enum": ["not_reported", "not_applicable"]},
        note=TEXT,
    )
    return {"anyOf": [NUMBER, {"type": "null"}, mapping]}


def kpis_schema() -> Schema:
    """``data/kpis.yaml``."""
    values = {"type": "object", "additionalProperties": {"$ref": "#/$defs/value"}}
    indicator = record(
        load_indicators.INDICATOR_KEYS,
        load_indicators.INDICATOR_REQUIRED,
        id={"type": "string"},
        label=TEXT,
        definition=TEXT,
        unit={"type": "string"},
        decimals={"type": "integer"},
        codes=CODES,
        assurance={"enum": list(ASSURANCE_LEVELS)},
        owner={"type": "string"},
        footnotes=STRING_OR_LIST,
        sum_of=STRINGS,
        part_of={"type": "string"},
        acknowledge=ACKNOWLEDGE,
        values=values,
        segments={"type": "object", "additionalProperties": values},
        segments_additive={"type": "boolean"},
        note=TEXT,
    )
    group = record(
        load_kpis.GROUP_KEYS,
        load_kpis.GROUP_REQUIRED,
        id={"type": "string"},
        label=TEXT,
        topic={"type": "string"},
        footnotes=STRING_OR_LIST,
        indicators={"type": "array", "items": {"$ref": "#/$defs/indicator"}},
    )
    body = record(
        load_kpis.KPI_FILE_KEYS,
        load_kpis.KPI_FILE_REQUIRED,
        segments={
            "type": "object",
            "additionalProperties": record(
                load_kpis.SEGMENT_KEYS,
                load_kpis.SEGMENT_REQUIRED,
                label=TEXT,
                footnotes=STRING_OR_LIST,
            ),
        },
        footnotes={"type": "object", "additionalProperties": TEXT},
        groups={"type": "array", "items": group},
        relations={
            "type": "array",
            "items": record(
                load_kpis.RELATION_KEYS,
                load_kpis.RELATION_REQUIRED,
                total={"type": "string"},
                sum_of=STRINGS,
                acknowledge=ACKNOWLEDGE,
                note=TEXT,
            ),
        },
        targets={
            "type": "array",
            "items": record(
                load_kpis.TARGET_KEYS,
                load_kpis.TARGET_REQUIRED,
                id={"type": "string"},
                area=TEXT,
                scope=TEXT,
                codes=CODES,
                target=TEXT,
                progress=TEXT,
                next=TEXT,
                status={"type": "string"},
            ),
        },
    )
    body["$defs"] = {"indicator": indicator, "value": value_schema()}
    return document("kpis", "esgpress data/kpis.yaml", body)


def report_schema() -> Schema:
    """``data/report.yaml``."""
    header = record(load_report.HEADER_KEYS, verso=TEXT, recto=TEXT)
    body = record(
        load_report.REPORT_KEYS,
        load_report.REPORT_REQUIRED,
        slug={"type": "string"},
        year={"type": "integer"},
        comparison_years={"type": "array", "items": {"type": "integer"}},
        company=TEXT,
        title=TEXT,
        edition={"type": "integer"},
        chapters=STRINGS,
        sample={"type": "boolean"},
        sample_notice=TEXT,
        print=record(load_report.PRINT_KEYS, header=header),
        site=record(load_report.SITE_KEYS, headline=STRINGS, url={"type": "string"}),
        assurance=record(
            load_topics.ASSURANCE_KEYS,
            load_topics.ASSURANCE_REQUIRED,
            provider=TEXT,
            standard={"type": "string"},
            level=TEXT,
            date={"type": "string"},
            signatory=TEXT,
            statement={"type": "string"},
            note=TEXT,
        ),
        **publication_schemas(),
    )
    return document("report", "esgpress data/report.yaml", body)


def topics_schema() -> Schema:
    """``data/topics.yaml``: the material topics, their scores, management texts and tiles."""
    score = {"type": ["number", "string"]}
    figure = record(
        load_topics.FIGURE_KEYS,
        label=TEXT,
        kpi=STRING_OR_LIST,
        compact={"type": "boolean"},
        change_from={"type": "integer"},
        rating={"type": "string"},
    )
    topic = record(
        load_topics.TOPIC_KEYS,
        load_topics.TOPIC_REQUIRED,
        id={"type": "string"},
        label=TEXT,
        pillar={"enum": list(PILLARS)},
        iro={"type": "array", "items": {"enum": list(IRO_TAGS)}},
        sdgs={"type": "array", "items": {"type": "integer", "minimum": 1, "maximum": 17}},
        rank={"type": "integer", "minimum": 1},
        impact=score,
        financial=score,
        indicators=STRINGS,
        management=record(MANAGEMENT_COLUMNS, **dict.fromkeys(MANAGEMENT_COLUMNS, TEXT)),
        tile={"type": "array", "maxItems": 3, "items": figure},
    )
    body = record(
        load_topics.TOPICS_FILE_KEYS,
        load_topics.TOPICS_FILE_REQUIRED,
        scores={"enum": list(load_topics.SCORE_KINDS)},
        scores_note=TEXT,
        topics={"type": "array", "items": topic},
    )
    return document("topics", "esgpress data/topics.yaml", body)


def ratings_schema() -> Schema:
    """``data/ratings.yaml``: ESG ratings and awards (agency, rating, year, scale)."""
    entry = record(
        load_topics.RATING_KEYS,
        load_topics.RATING_REQUIRED,
        id={"type": "string"},
        agency=TEXT,
        rating=TEXT,
        year={"type": "integer"},
        scale=TEXT,
        previous=TEXT,
    )
    entries = {"type": "array", "items": entry}
    body = record(
        load_topics.RATINGS_FILE_KEYS, **dict.fromkeys(load_topics.RATINGS_FILE_KEYS, entries)
    )
    return document("ratings", "esgpress data/ratings.yaml", body)


def publication_schemas() -> dict[str, Schema]:
    """``archive``, ``policies`` and ``contact`` of ``data/report.yaml`` (load_archive.py)."""
    a = load_archive
    text = {"type": "string"}
    report = record(a.REPORT_FILE_KEYS, ("edition",), edition=text, file=text, url=text)
    data = record(a.DATA_FILE_KEYS, edition=text, file=text, url=text, title=TEXT)
    year = record(
        a.ARCHIVE_KEYS,
        a.ARCHIVE_REQUIRED,
        year={"type": "integer"},
        title=TEXT,
        reports={"type": "array", "items": report},
        data={"type": "array", "items": data},
    )
    policy = record(a.POLICY_KEYS, a.POLICY_REQUIRED, title=TEXT, file=text)
    return {
        "archive": {"type": "array", "items": year},
        "policies": {"type": "array", "items": policy},
        "contact": record(a.CONTACT_KEYS, email=text, url=text, address=TEXT, feedback=text),
    }


def units_schema() -> Schema:
    """``data/units.yaml``: one entry per unit symbol."""
    unit = record(
        load_units.UNIT_KEYS,
        load_units.UNIT_REQUIRED,
        **{lang: {"type": "string"} for lang in ("zh", "zh-Hant", "en", "en_one")},
        count={"type": "boolean"},
        space={"type": "boolean"},
        en_before={"type": "boolean"},
        base={"type": "string"},
        factor=NUMBER,
    )
    return document(
        "units", "esgpress data/units.yaml", {"type": "object", "additionalProperties": unit}
    )


def glossary_schema() -> Schema:
    """``data/glossary.yaml``: protected terms, phrases, characters, usage and English terms."""
    rule = {
        "anyOf": [
            {"type": "string"},
            {"type": "object", "properties": {"to": {"type": "string"}, "except": STRINGS}},
        ]
    }
    known = {s: {"type": "object", "additionalProperties": rule} for s in GLOSSARY_SECTIONS}
    known["protected"] = STRINGS
    known["usage"] = STRINGS  # the publisher's current forms (zh-Hant)
    # English terminology: preferred term → its variants, or {after_figure: [...]}
    variants = {
        "anyOf": [
            STRINGS,
            {
                "type": "object",
                "properties": {"after_figure": STRINGS},
                "additionalProperties": False,
            },
        ]
    }
    known["en"] = {"type": "object", "additionalProperties": variants}
    return document("glossary", "esgpress data/glossary.yaml", record(GLOSSARY_SECTIONS, **known))


def frameworks_schema() -> Schema:
    """``data/frameworks.yaml``: each framework's codes and their titles."""
    codes = {"type": "object", "additionalProperties": TEXT}
    body = {
        "type": "object",
        "properties": {f: codes for f in FRAMEWORKS},
        "additionalProperties": codes,
    }
    return document("frameworks", "esgpress data/frameworks.yaml", body)


def schemas() -> dict[str, Schema]:
    """Every schema by file name (``kpis.schema.json``, …)."""
    made = {
        "kpis": kpis_schema(),
        "report": report_schema(),
        "units": units_schema(),
        "glossary": glossary_schema(),
        "frameworks": frameworks_schema(),
        "topics": topics_schema(),
        "ratings": ratings_schema(),
    }
    return {f"{name}.schema.json": schema for name, schema in made.items()}


def schema_text(schema: Schema) -> str:
    """Serialise a schema as the shipped files are: sorted keys, two-space indent."""
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into ``folder`` (only the files whose text changed); return them."""
    written = []
    for name, schema in schemas().items():
        path = folder / name
        write_atomic(path, schema_text(schema), only_if_changed=True)
        written.append(path)
    return written
