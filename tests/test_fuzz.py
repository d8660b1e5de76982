"""Fuzzing (issue #9): the number formatter and the data loader never fail with a traceback.

Arbitrary Decimals (huge and tiny exponents, negative zero, NaN, infinities),
every edition and precisions 0–6 go through the formatters; arbitrary YAML
documents and mutations of the fixture's ``data/kpis.yaml`` go through the
loader. The only exception allowed out is :class:`~esgpress.core.errors.EsgError`
(the toolkit's own, which the CLI prints as messages). The examples and the
time per example are bounded (profile ``esgpress-fuzz``) so the module adds
a few seconds to ``make test``; ``HYPOTHESIS_PROFILE=esgpress-fuzz-long`` runs
many more.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import copy_project
from esgpress.core.errors import EsgError
from esgpress.data.loader import load_project
from esgpress.data.model import QUALIFIERS
from esgpress.editions.formatting import (
    MAX_EXPONENT,
    UnitDisplay,
    format_change,
    format_compact,
    format_number,
    format_quantity,
)

settings.register_profile(
    "esgpress-fuzz",
    max_examples=150,
    deadline=1000,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "esgpress-fuzz-long", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
FUZZ = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "esgpress-fuzz"))

EDITIONS = st.sampled_from(["zh-Hant", "zh-Hans", "en"])
DECIMALS = st.one_of(
    st.decimals(allow_nan=True, allow_infinity=True),
    st.decimals(min_value=-(10**30), max_value=10**30, places=6),
    st.builds(
        lambda digits, exp, neg: Decimal((neg, tuple(int(d) for d in str(digits)), exp)),
        st.integers(0, 10**40),
        st.integers(-400, 400),
        st.integers(0, 1),
    ),
    st.sampled_from([Decimal("-0"), Decimal("-0.000"), Decimal("NaN"), Decimal("-Infinity")]),
)
PRECISION = st.integers(0, 6)
UNITS = st.sampled_from(
    [
        None,
        UnitDisplay("MWh"),
        UnitDisplay("RMB", before=True),
        UnitDisplay("个", space=True),
        UnitDisplay("RMB 100 million", factor=Decimal(10**8), base=UnitDisplay("RMB", before=True)),
    ]
)


@FUZZ
@given(value=DECIMALS, decimals=PRECISION, edition=EDITIONS)
def test_format_number_prints_or_refuses(value: Decimal, decimals: int, edition: str) -> None:
    try:
        text = format_number(value, decimals, edition)
    except EsgError:
        assert not value.is_finite() or (value and value.adjusted() >= MAX_EXPONENT)
        return
    assert isinstance(text, str) and text
    assert "E" not in text and "e" not in text  # never scientific notation in a report


@FUZZ
@given(value=DECIMALS, decimals=PRECISION, edition=EDITIONS, full=PRECISION)
def test_format_compact_prints_or_refuses(
    value: Decimal, decimals: int, edition: str, full: int
) -> None:
    try:
        text = format_compact(value, edition, decimals, full)
    except EsgError:
        return
    assert isinstance(text, str) and text


@FUZZ
@given(
    value=DECIMALS,
    decimals=PRECISION,
    unit=UNITS,
    edition=EDITIONS,
    qualifier=st.sampled_from([None, *QUALIFIERS]),
    compact=st.booleans(),
)
def test_format_quantity_prints_or_refuses(
    value: Decimal,
    decimals: int,
    unit: UnitDisplay | None,
    edition: str,
    qualifier: str | None,
    compact: bool,
) -> None:
    try:
        text = format_quantity(value, decimals, unit, edition, qualifier=qualifier, compact=compact)
    except EsgError:
        return
    assert isinstance(text, str) and text


@FUZZ
@given(
    old=DECIMALS,
    new=DECIMALS,
    edition=EDITIONS,
    decimals=PRECISION,
    points=st.booleans(),
    signed=st.booleans(),
)
def test_format_change_prints_or_refuses(
    old: Decimal, new: Decimal, edition: str, decimals: int, points: bool, signed: bool
) -> None:
    try:
        text = format_change(old, new, edition, decimals=decimals, points=points, signed=signed)
    except EsgError:
        return
    assert isinstance(text, str) and text


# ---------------------------------------------------------------- the loader


MINI = Path(__file__).parent / "fixtures" / "mini"
KPIS = (MINI / "data" / "kpis.yaml").read_text(encoding="utf-8")

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.sampled_from(
        [
            "1,234.5",
            "10,4052.68",
            ".nan",
            "-.inf",
            "~",
            "2024-13-01",
            "0x1F",
            "1e400",
            "*a",
            "&a x",
            "!!python/object:os.system",
            "'",
            '"',
            "{",
            "- x",
            "\t",
        ]
    ),
    st.text(max_size=12),
)
KEYS = st.one_of(
    st.sampled_from(
        [
            "groups",
            "id",
            "label",
            "unit",
            "values",
            "indicators",
            "footnotes",
            "segments",
            "zh",
            "en",
            "2024",
            "2023",
            "derived",
            "relations",
            "decimals",
            "qualifier",
        ]
    ),
    st.text(min_size=1, max_size=8),
)
TREES = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(KEYS, children, max_size=4)
    ),
    max_leaves=25,
)


def to_yaml(node: object, indent: int = 0) -> str:
    """Block-style YAML of a tree, with scalars written as raw text (so they may be broken)."""
    pad = " " * indent
    if isinstance(node, dict):
        if not node:
            return pad + "{}\n"
        out = ""
        for key, value in node.items():
            if isinstance(value, (dict, list)) and value:
                out += f"{pad}{key}:\n" + to_yaml(value, indent + 2)
            else:
                out += f"{pad}{key}: {to_yaml(value).strip()}\n"
        return out
    if isinstance(node, list):
        if not node:
            return pad + "[]\n"
        return "".join(f"{pad}- {to_yaml(item, indent + 2).lstrip()}" for item in node)
    if node is None:
        return "null\n"
    if isinstance(node, bool):
        return "true\n" if node else "false\n"
    return f"{node}\n"


@contextmanager
def project() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield copy_project("mini", Path(tmp) / "mini")


def loads_or_refuses(root: Path) -> None:
    try:
        load_project(root)
    except EsgError as exc:
        assert exc.problems, "an EsgError from the loader must carry located problems"
        for problem in exc.problems:
            assert problem.path.startswith("data/")


@FUZZ
@given(tree=TREES, name=st.sampled_from(["kpis.yaml", "report.yaml", "units.yaml"]))
def test_loader_survives_arbitrary_documents(tree: object, name: str) -> None:
    with project() as root:
        (root / "data" / name).write_text(to_yaml(tree), encoding="utf-8")
        loads_or_refuses(root)


MUTATIONS = st.sampled_from(["delete", "duplicate", "indent", "dedent", "replace", "insert"])


@FUZZ
@given(
    edits=st.lists(
        st.tuples(
            MUTATIONS, st.integers(0, 10**6), st.sampled_from(list(" :-[]{},'\"#&*!|>\t0.x"))
        ),
        min_size=1,
        max_size=4,
    )
)
def test_loader_survives_mutations_of_a_real_file(edits: list[tuple[str, int, str]]) -> None:
    lines = KPIS.split("\n")
    for kind, where, char in edits:
        i = where % len(lines)
        line = lines[i]
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, line)
        elif kind == "indent":
            lines[i] = "  " + line
        elif kind == "dedent":
            lines[i] = line[2:] if line.startswith("  ") else line
        elif kind == "replace" and line:
            j = where % len(line)
            lines[i] = line[:j] + char + line[j + 1 :]
        elif kind == "insert":
            j = where % (len(line) + 1)
            lines[i] = line[:j] + char + line[j:]
        if not lines:
            lines = [""]
    with project() as root:
        (root / "data" / "kpis.yaml").write_text("\n".join(lines), encoding="utf-8")
        loads_or_refuses(root)
