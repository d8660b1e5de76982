"""The JSON Schemas of data/*.yaml: current, generated from the loader's tables, and valid.

``schemas/*.schema.json`` are shipped for editors (docs/data-format.md); they
must be what :mod:`esgpress.data.editor_schemas` generates now (``make schemas``
rewrites them), accept the sample's and the fixtures' data, and reject what
the loader rejects as an unknown or missing key.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from ruamel.yaml import YAML

from esgpress.data import load_kpis, load_report, load_units
from esgpress.data.editor_schemas import schema_text, schemas

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "schemas"
DATA_DIRS = [ROOT / "data", *sorted((ROOT / "tests" / "fixtures").glob("*/data"))]


def as_json(value: Any) -> Any:
    """YAML as a YAML language server sees it: string keys, dates as text."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def load(path: Path) -> Any:
    return as_json(YAML(typ="safe").load(path.read_text(encoding="utf-8")))


def errors(name: str, data: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator(schemas()[f"{name}.schema.json"])
    return [e.message for e in validator.iter_errors(data)]


def test_shipped_schemas_are_current():
    generated = schemas()
    assert sorted(p.name for p in SHIPPED.glob("*.json")) == sorted(generated)
    for name, schema in generated.items():
        assert (SHIPPED / name).read_text(encoding="utf-8") == schema_text(schema), (
            f"schemas/{name} is stale: run `make schemas`"
        )


def test_schemas_are_valid_json_schema():
    for schema in schemas().values():
        jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize(
    "path",
    [
        p
        for d in DATA_DIRS
        for p in sorted(d.glob("*.yaml"))
        if (ROOT / "schemas" / f"{p.stem}.schema.json").is_file()
    ],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_project_data_validates(path):
    assert errors(path.stem, load(path)) == []


def test_keys_come_from_the_loader_tables():
    kpis, report, units = (schemas()[f"{n}.schema.json"] for n in ("kpis", "report", "units"))
    assert list(report["properties"]) == list(load_report.REPORT_KEYS)
    assert report["required"] == list(load_report.REPORT_REQUIRED)
    assert list(kpis["properties"]) == list(load_kpis.KPI_FILE_KEYS)
    group = kpis["properties"]["groups"]["items"]
    assert list(group["properties"]) == list(load_kpis.GROUP_KEYS)
    assert list(units["additionalProperties"]["properties"]) == list(load_units.UNIT_KEYS)


def test_topics_and_ratings_schemas_come_from_the_loader_tables():
    from esgpress.data import load_topics

    topics, ratings = (schemas()[f"{n}.schema.json"] for n in ("topics", "ratings"))
    assert list(topics["properties"]) == list(load_topics.TOPICS_FILE_KEYS)
    topic = topics["properties"]["topics"]["items"]
    assert list(topic["properties"]) == list(load_topics.TOPIC_KEYS)
    assert topic["required"] == list(load_topics.TOPIC_REQUIRED)
    assert list(topic["properties"]["tile"]["items"]["properties"]) == list(load_topics.FIGURE_KEYS)
    entry = ratings["properties"]["ratings"]["items"]
    assert list(entry["properties"]) == list(load_topics.RATING_KEYS)
    assert entry["required"] == list(load_topics.RATING_REQUIRED)


def test_topics_and_ratings_mistakes_are_flagged():
    topics = load(ROOT / "data" / "topics.yaml")
    first = topics["topics"][0]
    first["pilar"] = first.pop("pillar")
    first["sdgs"] = [18]
    first["tile"][0]["kpis"] = first["tile"][0].pop("kpi")
    assert sorted(errors("topics", topics)) == [
        "'pillar' is a required property",
        "18 is greater than the maximum of 17",
        "Additional properties are not allowed ('kpis' was unexpected)",
        "Additional properties are not allowed ('pilar' was unexpected)",
    ]
    ratings = load(ROOT / "data" / "ratings.yaml")
    del ratings["ratings"][0]["year"]
    ratings["awards"][0]["agency_name"] = "x"
    assert sorted(errors("ratings", ratings)) == [
        "'year' is a required property",
        "Additional properties are not allowed ('agency_name' was unexpected)",
    ]


def test_misspelt_and_missing_keys_are_flagged():
    report = load(ROOT / "data" / "report.yaml")
    report["yaer"] = report.pop("year")
    assert sorted(errors("report", report)) == [
        "'year' is a required property",
        "Additional properties are not allowed ('yaer' was unexpected)",
    ]
    units = {"MWh": {"zh": "兆瓦时", "en": "MWh", "facter": 1}}
    assert errors("units", units) == [
        "Additional properties are not allowed ('facter' was unexpected)"
    ]
