"""Time bounds of hostile inputs, for ``make bench`` (tools/bench.py --hostile).

Each case is built in a copy of a test fixture under ``build/bench/hostile/``
and run as ``esgpress`` in a child process; the wall time must stay under the
case's bound. The unit tests (tests/test_hostile_*.py) check the messages and
the refusals; the times live here, where a slow shared machine is expected.

Cases: a 100 KB line of "[" in a chapter (was minutes: regexes and Markdown
quadratic in the number of "["), 40,000 ``kpi()`` calls in one chapter (was
quadratic: Jinja's line lookup per call), a 20 MB zip bomb renamed .xlsx (was
2.2 GB of memory), a sheet that claims 200,000 rows, a workbook of 40,000
bad rows (messages capped per kind), each hostile YAML file of
tests/test_hardening_data.py (aliases, deep brackets, deep indentation, long
lines, 2 MB: each refused in about a second) and a chapter whose constant
would be folded to gigabytes at compile time.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

#: Seconds each case may take on the shared two-core machine (wall time).
BOUNDS = {
    "bracket_line": 20.0,
    "kpi_calls_40k": 60.0,
    "zip_bomb": 20.0,
    "tall_sheet": 20.0,
    "bad_rows_40k": 120.0,
    "constant_fold": 10.0,
    **{f"yaml_{name}": 10.0 for name in ("laughs", "brackets", "indent", "long_line", "too_big")},
}

#: The hostile data files of tests/test_hardening_data.py, each refused by ``check``.
_PAIRS = zip("abcdefgh", "bcdefghi", strict=True)
YAML_HAZARDS = {
    "laughs": "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"{n}: &{n} [{', '.join([f'*{p}'] * 9)}]\n" for p, n in _PAIRS),
    "brackets": "x: " + "[" * 4_000 + "]" * 4_000 + "\n",
    "indent": "".join(" " * i + f"k{i}:\n" for i in range(0, 400, 2)),
    "long_line": "title: " + "x" * 20_000 + "\n",
    "too_big": "# padding\n" * 200_000,
}


@dataclass
class Case:
    """One timed case: the command's exit code and wall time against its bound."""

    name: str
    seconds: float
    exit_code: int
    bound: float
    expected: int = 1  # refused; 0 for a case that must complete

    @property
    def ok(self) -> bool:
        """Whether the case ended as expected within its bound."""
        return self.seconds <= self.bound and self.exit_code == self.expected


def _esgpress(root: Path, *args: str, timeout: float, stdin: str = "") -> tuple[int, float]:
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "esgpress", "--project", str(root), *args],
            capture_output=True,
            timeout=timeout,
            input=stdin.encode(),
        )
        code = done.returncode
    except subprocess.TimeoutExpired:
        code = -1
    return code, time.perf_counter() - start


def _copy(project: Path, fixture: str, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(project / "tests" / "fixtures" / fixture, dest)
    return dest


def _workbook(path: Path, member: str, data: bytes | None, megabytes: int = 0) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["ID", "2024"])
    wb.save(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open(member, "w") as f:
        if data is not None:
            f.write(data)
        for _ in range(megabytes):
            f.write(b" " * 1_000_000)
    return path


def hostile_cases(project: Path) -> list[Case]:
    """Run every case; return its time against its bound."""
    base = project / "build" / "bench" / "hostile"
    base.mkdir(parents=True, exist_ok=True)
    out = []

    root = _copy(project, "mini", base / "brackets")
    with open(root / "content" / "en" / "climate.md", "a", encoding="utf-8") as f:
        f.write("\n" + "[" * 100_000 + "\n")
    code, secs = _esgpress(root, "check", timeout=BOUNDS["bracket_line"] * 10)
    out.append(Case("bracket_line", secs, code, BOUNDS["bracket_line"]))

    root = _copy(project, "mini", base / "kpis")
    with open(root / "content" / "en" / "climate.md", "a", encoding="utf-8") as f:
        f.write("\n" + '{{ kpi("env.energy.total") }}\n' * 40_000)
    chapter = str(root / "content" / "en" / "climate.md")
    code, secs = _esgpress(
        root, "render", "--lang", "en", chapter, timeout=BOUNDS["kpi_calls_40k"] * 3
    )
    out.append(Case("kpi_calls_40k", secs, code, BOUNDS["kpi_calls_40k"], expected=0))

    root = _copy(project, "mini", base / "workbooks")
    bomb = _workbook(base / "bomb.xlsx", "xl/worksheets/padding.xml", None, megabytes=20)
    code, secs = _esgpress(root, "import", str(bomb), timeout=BOUNDS["zip_bomb"] * 10)
    out.append(Case("zip_bomb", secs, code, BOUNDS["zip_bomb"]))

    sheet = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><dimension ref="A1:B200000"/><sheetData/></worksheet>'
    )
    tall = _workbook(base / "tall.xlsx", "xl/worksheets/sheet9.xml", sheet)
    code, secs = _esgpress(root, "import", str(tall), timeout=BOUNDS["tall_sheet"] * 10)
    out.append(Case("tall_sheet", secs, code, BOUNDS["tall_sheet"]))

    book = _bad_rows(base / "bad_rows.xlsx", 40_000)
    code, secs = _esgpress(root, "import", str(book), timeout=BOUNDS["bad_rows_40k"] * 3)
    out.append(Case("bad_rows_40k", secs, code, BOUNDS["bad_rows_40k"]))

    source = "{{ 'a' * 10**10 }}{{ 9**9**9 }}\n"
    code, secs = _esgpress(
        root, "render", "--lang", "en", "-", timeout=BOUNDS["constant_fold"] * 10, stdin=source
    )
    out.append(Case("constant_fold", secs, code, BOUNDS["constant_fold"]))

    for name, text in YAML_HAZARDS.items():
        root = _copy(project, "mini", base / f"yaml-{name}")
        (root / "data" / "kpis.yaml").write_text(text, encoding="utf-8")
        code, secs = _esgpress(root, "check", timeout=BOUNDS[f"yaml_{name}"] * 10)
        out.append(Case(f"yaml_{name}", secs, code, BOUNDS[f"yaml_{name}"]))
    return out


def _bad_rows(path: Path, rows: int) -> Path:
    """Write a collection workbook of ``rows`` rows naming no indicator of the project."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Data")
    ws.append(["ID", "2024"])
    for n in range(rows):
        ws.append([f"no.such.kpi{n}", n])
    wb.save(path)
    return path


def report(cases: list[Case]) -> str:
    """Format the cases as a table: name, seconds, bound, exit code, verdict."""
    lines = ["| hostile case | seconds | bound | exit | |", "|---|---:|---:|---:|---|"]
    for c in cases:
        verdict = "ok" if c.ok else "FAILED"
        lines.append(f"| {c.name} | {c.seconds:.1f} | {c.bound:.0f} | {c.exit_code} | {verdict} |")
    return "\n".join(lines)
