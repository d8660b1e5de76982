"""docs/security.md names only tests that exist, and each bench case it names is timed.

Every guarantee on the page names its tests as ``tests/<file>.py::<test>``:
a renamed or deleted test must take the claim with it. Bench cases named
after ``*Bench:*`` must be bounded in tools/bench_hostile.py.
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGE = REPO / "docs" / "security.md"
NAMED = re.compile(r"`tests/(test_\w+\.py)::(test_\w+)`")


def test_every_named_test_exists() -> None:
    text = PAGE.read_text(encoding="utf-8")
    named = NAMED.findall(text)
    assert len(named) >= 40  # the page backs its claims
    missing = []
    for file, test in named:
        path = REPO / "tests" / file
        tree = ast.parse(path.read_text(encoding="utf-8")) if path.is_file() else None
        defined = (
            {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)} if tree else set()
        )
        if test not in defined:
            missing.append(f"{file}::{test}")
    assert missing == []
    # every test reference on the page is written out in full
    assert "`::" not in text


def test_every_named_bench_case_is_bounded() -> None:
    sys.path.insert(0, str(REPO / "tools"))
    try:
        from bench_hostile import BOUNDS
    finally:
        sys.path.remove(str(REPO / "tools"))
    text = PAGE.read_text(encoding="utf-8")
    named = set()
    for line in re.findall(r"\*Bench:\*([^\n]*(?:\n[^\n*][^\n]*)*)", text):
        named |= set(re.findall(r"`(\w+)`", line))
    assert named and named <= set(BOUNDS), named - set(BOUNDS)
