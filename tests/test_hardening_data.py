"""Hardening (issue #9): hostile and unusual data files.

Each test fails when the YAML reader's refusals (esgpress.data.yamlio) are
removed: aliases, deep nesting and huge documents stop fast with a located
error; BOM and CRLF files load as plain ones; non-finite numbers are refused.
How fast they stop is timed by ``make bench`` (tools/bench_hostile.py,
``yaml_*`` cases), not here.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import save_as_windows

FIXTURES = Path(__file__).parent / "fixtures"


LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi", strict=True)
)
HAZARDS = {
    "billion-laughs": (
        LAUGHS,
        "2:8: alias '*a' is not allowed in data files; write the value out where it is used",
    ),
    "deep-brackets": (
        "x: " + "[" * 4_000 + "]" * 4_000 + "\n",  # ruamel.yaml alone: 20 s
        "1:68: more than 64 nested brackets; data files nest only a few levels",
    ),
    "deep-indent": (
        "".join(" " * i + f"k{i}:\n" for i in range(0, 400, 2)),
        "82:1: the line is indented 162 spaces; data files nest only a few levels "
        "(at most 160 spaces of indentation are accepted)",
    ),
    "long-line": (
        "title: " + "x" * 20_000 + "\n",
        "1:1: the line is 20,007 characters long; data files have short lines "
        "(at most 10,000 characters are accepted)",
    ),
    "too-big": (
        "# padding\n" * 200_000,
        "the file is 2,000,000 bytes; data files over 1,000,000 bytes are refused",
    ),
    "control-char": (
        "a: 1\nb: x\x00y\n",
        "2:5: the control character U+0000 is not allowed in YAML; delete it",
    ),
    "not-utf8": (
        "a: 1\nb: caf\udce9\n",
        "2:7: the file is not UTF-8 (byte 0xe9); save it as UTF-8",
    ),
}


def write_raw(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8", "surrogateescape"))


@pytest.mark.parametrize("name", ["kpis.yaml", "report.yaml", "units.yaml"])
@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_hostile_yaml_stops_fast_with_a_located_error(name: str, hazard: str, mini: Path) -> None:
    from esgpress.checks.run import check_data

    text, message = HAZARDS[hazard]
    write_raw(mini / "data" / name, text)
    errors = [str(p) for p in check_data(mini).problems.errors]
    where = f"data/{name}:" if message[0].isdigit() else f"data/{name}: "
    assert errors[0] == where + message


@pytest.mark.parametrize("hazard", sorted(HAZARDS))
def test_hostile_glossary_stops_fast_with_a_located_error(hazard: str, tmp_path: Path) -> None:
    from esgpress.core.errors import EsgError
    from esgpress.editions.glossary import load_glossary

    text, message = HAZARDS[hazard]
    path = tmp_path / "glossary.yaml"
    write_raw(path, text)
    with pytest.raises(EsgError) as err:
        load_glossary(path)
    first = err.value.format_message().splitlines()[0]
    # The glossary is read by the same guarded reader as the other data files.
    where = f"{path}:" if message[0].isdigit() else f"{path}: "
    assert first == where + message


def test_bom_and_crlf_load_the_same_dataset(mini: Path) -> None:
    from esgpress.data.loader import load_project

    plain, _ = load_project(mini)
    for name in ("kpis.yaml", "report.yaml", "units.yaml"):
        path = mini / "data" / name
        save_as_windows(path)
    dressed, problems = load_project(mini)
    assert not problems.errors
    assert dressed == plain


@pytest.mark.parametrize(
    ("typed", "col"),
    [(".inf", 17), ("-.inf", 17), (".Inf", 17), (".NaN", 17), (".NAN", 17), ("+.INF", 17)],
)
def test_non_finite_numbers_are_refused(typed: str, col: int, mini: Path) -> None:
    from esgpress.checks.run import check_data

    bad = (FIXTURES / "bad" / "nan.yaml").read_text(encoding="utf-8").replace(".nan", typed)
    (mini / "data" / "kpis.yaml").write_text(bad, encoding="utf-8")
    errors = [str(p) for p in check_data(mini).problems.errors]
    assert errors == [
        f"data/kpis.yaml:10:{col}: indicator 'env.energy.total' 2024: '{typed}' is not a finite "
        "number; write a figure or a missing value"
    ]
