"""Benchmark the report build: where the time goes, as ratios measured in one run.

``make bench`` runs this script. Every measured step runs in its own child
process, so its wall time, CPU time (user + system of the whole process tree)
and peak memory (the largest resident set of any process in the tree, from
``os.wait4``) are its own. Absolute times on a shared machine are noise; the
ratios compare steps of the same run:

- **R_pdf**: wall time of ``esgpress pdf --force`` (three editions, every
  cache ignored) ÷ the sum of the three layout floors, where a layout floor is
  WeasyPrint's own ``HTML(...).render()`` of one edition's print HTML in a
  single process. Goal: at most 0.7. Two more lines put it in proportion:
  the same step when the chapters are already rendered (``--no-render``),
  and the *print bound*: the three editions laid out and written side by
  side with nothing else to do (:func:`print_bound`).
- **preview**: seconds from saving ``content/zh/climate.md`` to the rebuilt
  page being served by ``esgpress serve --lang zh-Hant``, for the sample and
  for the largest synthetic report. Goal: at most 1 s, and flat.
- **R_full**: the same PDF step ÷ the sum of WeasyPrint's own ``write_pdf()``
  of the three print HTML files, each in a fresh process, one after the
  other (:mod:`bench_proof`). Goal: at most 0.6.
- **proof** and **rebuild**: ``esgpress pdf --proof climate`` (as a command
  and in the ``--watch`` process after a save) and ``esgpress pdf`` after a
  one-sentence edit of ``content/zh/climate.md``. Goals: 3 s and 8 s.
- **scaling**: the same pipeline on synthetic reports of 1x, 4x and 10x the
  sample's chapters (:func:`make_synthetic`). Goal: 10x content in at most
  11x the time; peak memory of a PDF process under 1.0 GB.

Everything runs on copies under ``build/bench/<n>x/``; the project itself is
never modified. The table is printed and the numbers (with the machine's
facts) are written to ``build/bench.json``; ``--docs`` also rewrites the
table in ``docs/performance.md``.

Usage::

    python tools/bench.py [--project DIR] [--scales 1,4,10] [--repeat 2] [--no-preview] [--docs]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

EDITIONS = ("zh-Hant", "zh-Hans", "en")
#: Chapters that are copied to make a bigger report (the index and appendix summarise, once).
SKIP_COPY = ("index", "appendix")
HEADING_KEY = re.compile(r"(^#{1,6}\s.*?\{#)([A-Za-z0-9_.\-]+)(\}\s*$)", re.M)
#: Top-level folders of the project that a benchmark copy leaves out (outputs, tooling).
LEAVE_OUT = frozenset({"build", "dist", "site", ".git", ".venv", "tests", ".pytest_cache"})
GOALS = {
    "r_pdf": 0.7,
    "r_full": 0.6,
    "proof_s": 3.0,
    "rebuild_s": 8.0,
    "preview_s": 1.0,
    "scaling_10x": 11.0,
    "pdf_peak_mb": 1024,
}
MARKER = "BENCHMARKER"


# ---------------------------------------------------------------- measuring


@dataclass
class Phase:
    """One measured child process."""

    name: str
    wall_s: float
    cpu_s: float
    peak_mb: float
    pages: int = 0
    output_mb: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


def run(
    name: str, argv: list[str], cwd: Path, env: dict[str, str] | None = None
) -> tuple[Phase, str]:
    """Run ``argv`` as a child, wait with ``os.wait4``; return its phase and its stderr text."""
    log = cwd / "build" / "bench-logs" / f"{re.sub(r'[^A-Za-z0-9]+', '-', name)}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "w+", encoding="utf-8") as out:
        start = time.perf_counter()
        child = subprocess.Popen(
            argv, cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=out
        )
        _pid, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read()
    if child.returncode != 0:
        raise SystemExit(
            f"bench: {name} failed (exit {child.returncode}); see {log}\n{text[-3000:]}"
        )
    return Phase(name, wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024), text


def esgpress(root: Path, *args: str) -> list[str]:
    """Build the command line of an esgpress command on the project at ``root``."""
    return [sys.executable, "-m", "esgpress", "--project", str(root), *args]


def pages_of(log: str) -> dict[str, int]:
    """Pages per edition, from the PDF step's progress lines."""
    return {e: int(n) for e, n in re.findall(r"pdf (\S+): laid out (\d+) pages", log)}


def size_mb(path: Path) -> float:
    """Size of a file, or of every file under a folder, in MB."""
    if path.is_file():
        return path.stat().st_size / 2**20
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


FLOOR = """
import json, sys, time
from weasyprint import HTML
start = time.perf_counter()
document = HTML(filename=sys.argv[1]).render()
print(json.dumps({"render_s": time.perf_counter() - start, "pages": len(document.pages)}))
"""


def layout_floor(root: Path, edition: str) -> Phase:
    """WeasyPrint's own render of an edition's print HTML, alone in one process."""
    html = root / "build" / "print" / edition / "report.html"
    phase, text = run(f"floor {edition}", [sys.executable, "-c", FLOOR, str(html)], root)
    found = json.loads(text.strip().splitlines()[-1])
    phase.pages = int(found["pages"])
    phase.extra["render_s"] = float(found["render_s"])
    return phase


PRINT_BOUND = """
import gc, json, os, sys, tempfile, time
from weasyprint import HTML
start = time.perf_counter()
children = []
for html in sys.argv[1:]:
    pid = os.fork()
    if pid == 0:
        gc.disable()  # as the PDF workers do
        document = HTML(filename=html).render(pdf_variant="pdf/ua-1")
        with tempfile.TemporaryFile() as out:
            document.write_pdf(out, pdf_variant="pdf/ua-1")
        os._exit(0)
    children.append(pid)
for pid in children:
    os.waitpid(pid, 0)
print(json.dumps({"wall_s": time.perf_counter() - start}))
"""


def print_bound(root: Path) -> Phase:
    """Lay out *and write* the three editions side by side, and nothing else.

    What ``esgpress pdf`` would take if rendering, assembling, loading the
    data and starting up cost nothing: forked from one process that has
    imported WeasyPrint, one child per edition parses, lays out and writes its
    print HTML with the collector off, as the PDF workers do.
    """
    htmls = [str(root / "build" / "print" / e / "report.html") for e in EDITIONS]
    phase, text = run("print bound", [sys.executable, "-c", PRINT_BOUND, *htmls], root)
    phase.extra["wall_s"] = float(json.loads(text.strip().splitlines()[-1])["wall_s"])
    return phase


# ---------------------------------------------------------------- synthetic reports


def make_synthetic(source: Path, dest: Path, copies: int) -> list[str]:
    """Copy the project to ``dest`` with every chapter present ``copies`` times; return the list.

    Each copy ``<key>-c<i>`` gets fresh section keys (``{#key}`` → ``{#key-c<i>}``);
    cross-references keep pointing at the original sections, which still exist.
    The English copies are marked reviewed against their Chinese copies, so the
    synthetic report checks as clean as the sample.
    """
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from esgpress.workflows.review import mark_reviewed

    if dest.exists():
        shutil.rmtree(dest)
    top = source.resolve()
    shutil.copytree(
        source,
        dest,
        ignore=lambda folder, names: [
            n
            for n in names
            if (n in LEAVE_OUT and Path(folder).resolve() == top) or n == "__pycache__"
        ],
    )
    report = dest / "data" / "report.yaml"
    text = report.read_text(encoding="utf-8")
    match = re.search(r"^chapters: \[(.*)\]$", text, re.M)
    if match is None:
        raise SystemExit(f"bench: {report} has no one-line 'chapters: [...]' list")
    chapters = [c.strip() for c in match.group(1).split(",")]
    listed: list[str] = []
    for key in chapters:
        listed.append(key)
        if key in SKIP_COPY:
            continue
        for i in range(2, copies + 1):
            new = f"{key}-c{i}"
            for lang in ("zh", "en"):
                body = (dest / "content" / lang / f"{key}.md").read_text(encoding="utf-8")
                body = HEADING_KEY.sub(rf"\g<1>\g<2>-c{i}\g<3>", body)
                (dest / "content" / lang / f"{new}.md").write_text(body, encoding="utf-8")
            listed.append(new)
    text = text[: match.start()] + f"chapters: [{', '.join(listed)}]" + text[match.end() :]
    report.write_text(text, encoding="utf-8")
    for key in listed:
        if "-c" in key:
            mark_reviewed(dest, dest / "content" / "en" / f"{key}.md")
    return listed


# ---------------------------------------------------------------- preview


def free_port() -> int:
    """Find a TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def fetch(url: str) -> str | None:
    """Fetch the page at ``url``; None while the server is not answering."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8"))
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def preview_latency(root: Path, trials: int = 5, start_timeout: float = 600) -> dict[str, Any]:
    """Seconds from saving a chapter to ``esgpress serve`` serving the rebuilt page."""
    port = free_port()
    log = root / "build" / "bench-logs" / "serve.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    chapter = root / "content" / "zh" / "climate.md"
    original = chapter.read_bytes()
    url = f"http://127.0.0.1:{port}/climate.html"
    with open(log, "w", encoding="utf-8") as out:
        start = time.perf_counter()
        server = subprocess.Popen(
            esgpress(root, "serve", "--lang", "zh-Hant", "--dev-addr", f"127.0.0.1:{port}"),
            cwd=root,
            stdout=out,
            stderr=out,
        )
        try:
            while fetch(url) is None:
                if server.poll() is not None or time.perf_counter() - start > start_timeout:
                    raise SystemExit(f"bench: esgpress serve did not start; see {log}")
                time.sleep(0.1)
            first = time.perf_counter() - start
            times = []
            for i in range(trials):
                time.sleep(1.5)  # let the watcher settle after the previous build
                marker = f"{MARKER}{i}x{os.getpid()}"
                saved = time.perf_counter()
                chapter.write_bytes(original + f"\n{marker}\n".encode())
                while True:
                    page = fetch(url)
                    if page is not None and marker in page:
                        break
                    if time.perf_counter() - saved > 120:
                        raise SystemExit(f"bench: the change never showed; see {log}")
                    time.sleep(0.02)
                times.append(time.perf_counter() - saved)
        finally:
            chapter.write_bytes(original)
            server.send_signal(signal.SIGINT)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    return {"first_build_s": first, "trials_s": times, "median_s": statistics.median(times)}


# ---------------------------------------------------------------- the runs


def pipeline(root: Path, label: str) -> dict[str, Phase]:
    """Build one project phase by phase, every cache ignored where it matters."""
    no_cache = {"ESGPRESS_NO_CACHE": "1"}
    phases: dict[str, Phase] = {}
    phases["check"], _ = run(
        f"{label} data load and check", esgpress(root, "check", "--data-only"), root
    )
    phases["render"], _ = run(f"{label} render", esgpress(root, "render"), root, no_cache)
    phases["site"], _ = run(f"{label} site", esgpress(root, "build"), root)
    phases["site"].output_mb = size_mb(root / "site")
    phases["pdf"], text = run(f"{label} pdf", esgpress(root, "pdf", "--force"), root, no_cache)
    pages = pages_of(text)
    phases["pdf"].pages = sum(pages.values())
    phases["pdf"].output_mb = size_mb(root / "dist")
    phases["pdf"].extra["pages"] = pages
    return phases


def machine() -> dict[str, Any]:
    """Facts about the machine and the tools, for the record."""
    import importlib.metadata as md

    cpu = ""
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    ram = 0.0
    with open("/proc/meminfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                ram = int(line.split()[1]) / 2**20
    versions: dict[str, str | None] = {}
    for dist in ("weasyprint", "mkdocs", "mkdocs-material", "mkdocs-static-i18n", "jieba"):
        try:
            versions[dist] = md.version(dist)
        except md.PackageNotFoundError:
            versions[dist] = None
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram, 1),
        "load_average_at_start": os.getloadavg(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "date": time.strftime("%Y-%m-%d %H:%M:%S %Z"),
    }


def bench(project: Path, scales: list[int], preview: bool, repeat: int = 2) -> dict[str, Any]:
    """Run every measurement; return the results as plain data."""
    result: dict[str, Any] = {"machine": machine(), "goals": GOALS}
    base = project / "build" / "bench"
    roots = {n: base / f"{n}x" for n in scales}
    for n, root in roots.items():
        print(f"bench: synthetic {n}x report in {root.relative_to(project)}", file=sys.stderr)
        make_synthetic(project, root, n)

    one = roots[min(scales)]
    cold, _ = run("build-all cold", esgpress(one, "build-all"), one)
    warm, _ = run("build-all warm", esgpress(one, "build-all"), one)
    per_pdf: dict[str, Phase] = {}
    for e in EDITIONS:
        per_pdf[e], text = run(f"pdf {e}", esgpress(one, "pdf", "--lang", e, "--force"), one)
        per_pdf[e].pages = pages_of(text).get(e, 0)
        per_pdf[e].output_mb = size_mb(next((one / "dist").glob(f"*-{e}.pdf")))
    # R_pdf: the PDF step and the floors alternate, and the fastest of each
    # counts, so a burst of load from other users hits both sides alike.
    pdf_runs: list[Phase] = []
    from_render_runs: list[Phase] = []
    bound_runs: list[Phase] = []
    floor_runs: dict[str, list[Phase]] = {e: [] for e in EDITIONS}
    write_runs: dict[str, list[Phase]] = {e: [] for e in EDITIONS}
    from bench_proof import proof_times, rebuild_after_edit, write_floor

    for i in range(repeat):
        pdf_all, _ = run(
            f"pdf --force {i + 1}", esgpress(one, "pdf", "--force"), one, {"ESGPRESS_NO_CACHE": "1"}
        )
        pdf_runs.append(pdf_all)
        from_render, _ = run(
            f"pdf --force --no-render {i + 1}",
            esgpress(one, "pdf", "--force", "--no-render"),
            one,
            {"ESGPRESS_NO_CACHE": "1"},
        )
        from_render_runs.append(from_render)
        for e in EDITIONS:
            floor_runs[e].append(layout_floor(one, e))
        for e in EDITIONS:  # R_full's floor: write_pdf(), fresh processes, one after the other
            write_runs[e].append(write_floor(one, e))
        bound_runs.append(print_bound(one))
    floors = {e: min(runs, key=lambda p: p.extra["render_s"]) for e, runs in floor_runs.items()}
    best_pdf = min(pdf_runs, key=lambda p: p.wall_s)
    best_from_render = min(from_render_runs, key=lambda p: p.wall_s)
    bound = min(bound_runs, key=lambda p: p.extra["wall_s"])
    floor_sum = sum(f.extra["render_s"] for f in floors.values())
    writes = {e: min(runs, key=lambda p: p.extra["write_pdf_s"]) for e, runs in write_runs.items()}
    write_sum = sum(w.extra["write_pdf_s"] for w in writes.values())
    result["r_full"] = {
        "pdf_force_wall_s": best_pdf.wall_s,
        "write_floor_sum_s": write_sum,
        "ratio": best_pdf.wall_s / write_sum,
        "write_floor_runs_s": {
            e: [p.extra["write_pdf_s"] for p in r] for e, r in write_runs.items()
        },
        "write_floor_peak_mb": {e: w.peak_mb for e, w in writes.items()},
    }
    result["proof"] = proof_times(one)
    result["rebuild"] = asdict(rebuild_after_edit(one))
    scaling = {n: pipeline(root, f"{n}x") for n, root in roots.items()}
    result["builds"] = {"cold": asdict(cold), "warm": asdict(warm)}
    result["pdf_per_edition"] = {e: asdict(p) for e, p in per_pdf.items()}
    result["layout_floor"] = {e: asdict(p) for e, p in floors.items()}
    result["r_pdf"] = {
        "pdf_force_wall_s": best_pdf.wall_s,
        "floor_sum_s": floor_sum,
        "ratio": best_pdf.wall_s / floor_sum,
        "repeats": repeat,
        "pdf_force_runs_s": [p.wall_s for p in pdf_runs],
        "floor_runs_s": {e: [p.extra["render_s"] for p in r] for e, r in floor_runs.items()},
        "from_render_wall_s": best_from_render.wall_s,
        "from_render_ratio": best_from_render.wall_s / floor_sum,
        "from_render_runs_s": [p.wall_s for p in from_render_runs],
        "print_bound_s": bound.extra["wall_s"],
        "print_bound_ratio": bound.extra["wall_s"] / floor_sum,
        "print_bound_runs_s": [p.extra["wall_s"] for p in bound_runs],
    }
    result["scaling"] = {}
    first = min(scales)
    base_total = sum(p.wall_s for p in scaling[first].values())
    for n, phases in scaling.items():
        total = sum(p.wall_s for p in phases.values())
        pages = phases["pdf"].pages
        result["scaling"][f"{n}x"] = {
            "phases": {k: asdict(p) for k, p in phases.items()},
            "total_wall_s": total,
            "time_ratio": total / base_total,
            "content_ratio": n / first,
            "pdf_s_per_page": phases["pdf"].wall_s / pages if pages else None,
            "pdf_peak_mb": phases["pdf"].peak_mb,
            "pages": pages,
        }
    if preview:
        result["preview"] = {f"{n}x": preview_latency(roots[n]) for n in (min(scales), max(scales))}
    return result


# ---------------------------------------------------------------- reporting


def table(r: dict[str, Any]) -> str:
    """Format the results as Markdown tables (printed and put in docs/performance.md)."""
    m = r["machine"]
    lines = [
        f"Machine: {m['nproc']} × {m['cpu']}, {m['ram_gb']} GB RAM, Python {m['python']}, "
        f"WeasyPrint {m['versions']['weasyprint']}; load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['load_average_at_start'])}; {m['date']}.",
        "",
        "| Step | Wall s | CPU s | Peak MB | Pages | Output MB |",
        "|---|--:|--:|--:|--:|--:|",
    ]

    def row(name: str, p: dict[str, Any]) -> None:
        pages = p["pages"] or ""
        size = f"{p['output_mb']:.1f}" if p["output_mb"] else ""
        cells = f"{p['wall_s']:.1f} | {p['cpu_s']:.1f} | {p['peak_mb']:.0f} | {pages} | {size}"
        lines.append(f"| {name} | {cells} |")

    row("`make report` (build-all), cold", r["builds"]["cold"])
    row("`make report` again, nothing changed", r["builds"]["warm"])
    for n, s in r["scaling"].items():
        labels = {
            "check": "data load and check",
            "render": "render, 3 editions",
            "site": "site",
            "pdf": "PDF, 3 editions, --force",
        }
        for key, label in labels.items():
            row(f"{n}: {label}", s["phases"][key])
    for e, p in r["pdf_per_edition"].items():
        row(f"PDF {e} alone", p)
    for e, p in r["layout_floor"].items():
        row(f"layout floor {e} (process; render() {p['extra']['render_s']:.1f} s)", p)
    g = r["goals"]
    rp = r["r_pdf"]
    lines += [
        "",
        "| Ratio | Measured | Goal |",
        "|---|--:|--:|",
        f"| R_pdf = PDF --force wall ÷ sum of layout floors, best of {rp['repeats']} "
        f"({rp['pdf_force_wall_s']:.1f} s ÷ {rp['floor_sum_s']:.1f} s) "
        f"| {rp['ratio']:.2f} | ≤ {g['r_pdf']} |",
        f"| the same with the chapters already rendered (`--no-render`: "
        f"{rp['from_render_wall_s']:.1f} s ÷ {rp['floor_sum_s']:.1f} s) "
        f"| {rp['from_render_ratio']:.2f} | |",
        f"| the same for layout *and writing* alone, three editions side by side, nothing "
        f"else (print bound, best of {rp['repeats']}: {rp['print_bound_s']:.1f} s ÷ "
        f"{rp['floor_sum_s']:.1f} s) | {rp['print_bound_ratio']:.2f} | |",
    ]
    rf, pr, rb = r["r_full"], r["proof"], r["rebuild"]
    watch = ", ".join(f"{t:.2f}" for t in pr["watch_trials_s"])
    lines += [
        f"| **R_full** = PDF --force wall ÷ sum of WeasyPrint's own write_pdf() in fresh "
        f"processes ({rf['pdf_force_wall_s']:.1f} s ÷ {rf['write_floor_sum_s']:.1f} s) "
        f"| {rf['ratio']:.2f} | ≤ {g['r_full']} |",
        f"| proof of one chapter, `--watch`: save → new proof, s (median of {watch}) "
        f"| {pr['watch_median_s']:.2f} | ≤ {g['proof_s']} |",
        f"| proof of one chapter as a command after a one-sentence edit, s "
        f"(render fresh: {pr['command_fresh_s']:.1f} s) "
        f"| {pr['command_edited_s']:.2f} | ≤ {g['proof_s']} |",
        f"| full rebuild (`esgpress pdf`) after a one-sentence edit in content/zh/climate.md, s "
        f"| {rb['wall_s']:.1f} | ≤ {g['rebuild_s']} |",
    ]
    for n, s in r["scaling"].items():
        lines.append(
            f"| {n} content: time ÷ 1x time ({s['pages']} PDF pages, "
            f"{s['pdf_s_per_page']:.3f} s/page, PDF peak {s['pdf_peak_mb']:.0f} MB) "
            f"| {s['time_ratio']:.2f} | ≤ {s['content_ratio'] * 1.1:.1f} |"
        )
    top = max(r["scaling"], key=lambda n: r["scaling"][n]["content_ratio"])
    lines.append(
        f"| peak memory of a PDF process at {top}, MB | {r['scaling'][top]['pdf_peak_mb']:.0f} "
        f"| < {g['pdf_peak_mb']} |"
    )
    for n, p in r.get("preview", {}).items():
        trials = ", ".join(f"{t:.2f}" for t in p["trials_s"])
        lines.append(
            f"| preview {n}: save → page served, s (median of {trials}) "
            f"| {p['median_s']:.2f} | ≤ {g['preview_s']} |"
        )
    return "\n".join(lines) + "\n"


BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"


def update_docs(doc: Path, text: str) -> None:
    """Replace the generated table in ``docs/performance.md`` (between the markers)."""
    page = doc.read_text(encoding="utf-8")
    if BEGIN not in page or END not in page:
        raise SystemExit(f"bench: {doc} has no {BEGIN} … {END} markers")
    head, rest = page.split(BEGIN, 1)
    _old, tail = rest.split(END, 1)
    doc.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--project", type=Path, default=Path(__file__).resolve().parent.parent)
    parser.add_argument("--scales", default="1,4,10", help="Comma-separated content multiples.")
    parser.add_argument("--no-preview", action="store_true", help="Skip the live-preview latency.")
    parser.add_argument("--docs", action="store_true", help="Also update docs/performance.md.")
    parser.add_argument(
        "--repeat", type=int, default=2, help="Runs of the PDF step and floors for R_pdf (best)."
    )
    parser.add_argument(
        "--hostile", action="store_true", help="Only time the hostile inputs (bench_hostile.py)."
    )
    args = parser.parse_args(argv)
    project = args.project.resolve()
    if args.hostile:
        from bench_hostile import hostile_cases, report

        cases = hostile_cases(project)
        print(report(cases))
        return 0 if all(c.ok for c in cases) else 1
    scales = sorted({int(s) for s in args.scales.split(",")})
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    started = time.perf_counter()
    result = bench(project, scales, preview=not args.no_preview, repeat=max(1, args.repeat))
    result["bench_wall_s"] = time.perf_counter() - started
    out = project / "build" / "bench.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    text = table(result)
    print(text)
    print(f"bench: {time.perf_counter() - started:.0f} s; wrote {out}", file=sys.stderr)
    if args.docs:
        update_docs(project / "docs" / "performance.md", text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
