"""The print edition's measurements for ``tools/bench.py`` (issue 22): floor, proof, rebuild.

- :func:`write_floor`: WeasyPrint's own ``HTML(filename=…).write_pdf()`` of
  one edition's print HTML in a fresh process; R_full divides the wall time
  of ``esgpress pdf --force`` (every cache off) by the sum of the three.
- :func:`proof_times`: ``esgpress pdf --proof climate --lang zh-Hant`` as a
  command (with its render fresh, and after a one-sentence edit of the
  chapter), and the watcher's time from saving the chapter to the new proof
  on disk (``--watch``, one warm process).
- :func:`rebuild_after_edit`: ``esgpress pdf`` (caches on) after a
  one-sentence edit of ``content/zh/climate.md``: the two Chinese editions
  are laid out again, the English one is up to date.

Every edit is undone before the function returns.
"""

from __future__ import annotations

import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import Phase, esgpress, run

#: The chapter and edition the proof and rebuild measurements edit and print.
CHAPTER, EDITION = "climate", "zh-Hant"
#: A sentence the edits add to the chapter (one sentence, as a writer's correction).
SENTENCE = "这是基准测试加入的一句话。"

WRITE_FLOOR = """
import json, sys, tempfile, time
from weasyprint import HTML
start = time.perf_counter()
with tempfile.TemporaryFile() as out:
    HTML(filename=sys.argv[1]).write_pdf(out)
print(json.dumps({"write_pdf_s": time.perf_counter() - start}))
"""


def write_floor(root: Path, edition: str) -> Phase:
    """WeasyPrint's own ``write_pdf()`` of an edition's print HTML, alone in a fresh process."""
    html = root / "build" / "print" / edition / "report.html"
    phase, text = run(
        f"write floor {edition}", [sys.executable, "-c", WRITE_FLOOR, str(html)], root
    )
    phase.extra["write_pdf_s"] = float(json.loads(text.strip().splitlines()[-1])["write_pdf_s"])
    return phase


def _edit(chapter: Path, original: str, n: int) -> None:
    """Add the sentence (numbered, so every edit is new) to the chapter's first paragraph."""
    lines = original.split("\n")
    index = next(i for i, line in enumerate(lines) if line and not line.startswith("#"))
    lines[index] += SENTENCE.replace("一句话", f"第{n}句话")
    chapter.write_text("\n".join(lines), encoding="utf-8")


def proof_times(root: Path, saves: int = 3) -> dict[str, Any]:
    """Time the proof of one chapter: as a command, and in the watcher after a save."""
    chapter = root / "content" / "zh" / f"{CHAPTER}.md"
    original = chapter.read_text(encoding="utf-8")
    argv = esgpress(root, "pdf", "--proof", CHAPTER, "--lang", EDITION)
    try:
        fresh, _ = run("proof, render fresh", argv, root)
        _edit(chapter, original, 0)
        edited, _ = run("proof after a one-sentence edit", argv, root)
        watch = _watch_latency(root, chapter, original, saves)
    finally:
        chapter.write_text(original, encoding="utf-8")
    return {
        "command_fresh_s": fresh.wall_s,
        "command_edited_s": edited.wall_s,
        "command_edited_cpu_s": edited.cpu_s,
        "watch_trials_s": watch,
        "watch_median_s": statistics.median(watch),
    }


def _watch_latency(root: Path, chapter: Path, original: str, saves: int) -> list[float]:
    pdf = root / "build" / "proof" / EDITION / f"{CHAPTER}.pdf"
    log = root / "build" / "bench-logs" / "proof-watch.log"
    with open(log, "w", encoding="utf-8") as out:
        watcher = subprocess.Popen(
            [*esgpress(root, "pdf", "--proof", CHAPTER, "--lang", EDITION, "--watch")],
            cwd=root,
            stdout=out,
            stderr=out,
        )
        times = []
        try:
            _wait_for(lambda: log.read_text(encoding="utf-8").count(f"{pdf.name}") >= 1, log)
            for n in range(1, saves + 1):
                time.sleep(1.0)
                before = pdf.stat().st_mtime_ns
                saved = time.perf_counter()
                _edit(chapter, original, n)
                _wait_for(lambda b=before: pdf.stat().st_mtime_ns != b, log)  # type: ignore[misc]
                times.append(time.perf_counter() - saved)
        finally:
            watcher.send_signal(signal.SIGINT)
            try:
                watcher.wait(timeout=20)
            except subprocess.TimeoutExpired:
                watcher.kill()
                watcher.wait()
    return times


def _wait_for(done: Any, log: Path, timeout: float = 300) -> None:
    start = time.perf_counter()
    while not done():
        if time.perf_counter() - start > timeout:
            raise SystemExit(f"bench: the proof watcher did not answer; see {log}")
        time.sleep(0.02)


def rebuild_after_edit(root: Path) -> Phase:
    """``esgpress pdf`` after a one-sentence edit in one Chinese chapter (caches on)."""
    chapter = root / "content" / "zh" / f"{CHAPTER}.md"
    original = chapter.read_text(encoding="utf-8")
    run("pdf before the edit", esgpress(root, "pdf"), root)  # everything up to date
    try:
        _edit(chapter, original, 99)
        phase, _ = run("pdf after a one-sentence edit", esgpress(root, "pdf"), root)
    finally:
        chapter.write_text(original, encoding="utf-8")
    return phase
