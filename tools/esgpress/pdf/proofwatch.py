"""The proof watcher: ``esgpress pdf --proof climate --watch`` lays the chapter out again on save.

One process stays up between saves, so a save costs only what changed: the
data set is read again only when a file under ``data/`` changed, the render
replays every chapter whose text and starting state are unchanged from the
process's memory (:meth:`esgpress.render.renderer.Renderer.render_memo`),
WeasyPrint is imported once, and only the proofed chapter is laid out
(:func:`esgpress.pdf.proof.build_proof`). The watcher polls the project's
sources (``content/``, ``data/``, ``templates/``) every tenth of a second;
a build that fails reports its message and the watcher waits for the next
save.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from esgpress.core.errors import EsgError
from esgpress.core.files import project_lock
from esgpress.data.loader import load_project
from esgpress.data.model import Dataset
from esgpress.pdf.proof import Proof, build_proof

#: The folders whose files a proof depends on.
WATCHED = ("content", "data", "templates")

#: Seconds between two looks at the sources, and of quiet before a build starts.
POLL_SECONDS = 0.1
QUIET_SECONDS = 0.05

#: What the watcher reports after each build: the proof, or the message that stopped it.
Report = Callable[[Proof | None, str | None], None]


def snapshot(root: Path) -> dict[Path, tuple[int, int]]:
    """Modification time and size of every watched file (a save changes one or both)."""
    found = {}
    for folder in WATCHED:
        for path in (root / folder).rglob("*"):
            try:
                stat = path.stat()
            except OSError:  # removed while we looked
                continue
            if path.is_file():
                found[path] = (stat.st_mtime_ns, stat.st_size)
    return found


def _data_changed(
    root: Path, before: dict[Path, tuple[int, int]], after: dict[Path, tuple[int, int]]
) -> bool:
    data = root / "data"
    paths = before.keys() | after.keys()
    return any(before.get(p) != after.get(p) for p in paths if p.is_relative_to(data))


def watch_proof(
    root: Path,
    chapter: str,
    edition: str | None,
    report: Report,
    stop: threading.Event,
) -> None:
    """Build the proof now and after every change to the sources, until ``stop`` is set."""
    root = root.resolve()
    dataset: Dataset | None = None
    seen: dict[Path, tuple[int, int]] = {}
    first = True
    while not stop.is_set():
        now = snapshot(root)
        if now == seen:
            stop.wait(POLL_SECONDS)
            continue
        if not first:  # let the editor finish writing
            time.sleep(QUIET_SECONDS)
            now = snapshot(root)
        if dataset is None or _data_changed(root, seen, now):
            dataset = None
        seen = now
        try:
            if dataset is None:
                dataset, _ = load_project(root)
            with project_lock(root, "esgpress pdf --proof --watch"):
                proof = build_proof(
                    root, dataset, chapter, edition or dataset.report.default_edition, warm=first
                )
            report(proof, None)
        except EsgError as exc:
            dataset = None  # read the data again next time: the error may be in it
            report(None, exc.format_message())
        first = False
