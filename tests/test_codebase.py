"""The code base stays clean as `make lint` checks it: ruff rules and formatting, mypy --strict."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUFF = Path(sys.executable).with_name("ruff")
PACKAGE = "tools/esgpress"


def test_ruff_check_is_clean() -> None:
    run = subprocess.run(
        [str(RUFF), "check", "--no-cache", "tools", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_ruff_format_is_clean() -> None:
    run = subprocess.run(
        [str(RUFF), "format", "--check", "--no-cache", "tools", "tests"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_mypy_strict_is_clean() -> None:
    """The package type-checks under ``mypy --strict`` (pyproject.toml [tool.mypy])."""
    run = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr


def test_doctests_are_collected_package_wide() -> None:
    """`make test` runs the docstring examples of every module, never the CLI entry point."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", PACKAGE],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    files = {line.split("::")[0] for line in run.stdout.splitlines() if "::" in line}
    with_examples = ("core/numbers", "editions/formatting", "site/chapters", "site/config")
    assert files >= {f"{PACKAGE}/{name}.py" for name in (*with_examples, "site/search")}
    assert f"{PACKAGE}/__main__.py" not in files
