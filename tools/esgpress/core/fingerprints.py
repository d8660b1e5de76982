"""Fingerprints of a build's inputs, so unchanged work is not done twice.

A writer rebuilds the report many times a day, and one ``make report`` used
to render every edition three times (for the checks, the PDFs and the site).
A step that writes derived files records the fingerprint of its inputs next
to them; the next step (or the next run) that finds the same fingerprint
reuses the files instead of producing them again.

A fingerprint hashes the *contents* of the inputs (never timestamps), plus
the toolkit's own source, so a change to the code invalidates every cache.
This is the one change-detection scheme of the build: renders
(``build/render/<edition>/.fingerprint``), chart SVGs (``build/cache/charts/``,
named by fingerprint), PDFs (``build/print/<edition>/.pdf.fingerprint``), the
MkDocs build of ``site/`` (``build/site-docs/.site.fingerprint``) and the live
preview's re-render all compare fingerprints made by :func:`digest`.
Caches never change what is built: the output is byte for byte the same with
a warm cache, an empty one, or with caching switched off by setting
``ESGPRESS_NO_CACHE=1`` in the environment (``tests/test_cache.py``).
"""

from __future__ import annotations

import functools
import hashlib
import os
from collections.abc import Callable, Hashable, Iterable
from pathlib import Path
from typing import Generic, TypeVar

import esgpress
from esgpress.core.files import write_atomic

#: Environment variable that switches every cache off (any non-empty value but ``0``).
NO_CACHE_ENV = "ESGPRESS_NO_CACHE"

#: Name of the file a cached step writes its fingerprint to, inside its output folder.
FINGERPRINT_FILE = ".fingerprint"

PACKAGE_DIR = Path(esgpress.__file__).resolve().parent

T = TypeVar("T")


def enabled() -> bool:
    """Whether caches may be used in this run (``ESGPRESS_NO_CACHE`` unset, empty or ``0``)."""
    return os.environ.get(NO_CACHE_ENV, "") in ("", "0")


def project_files(root: Path, folder: str) -> list[Path]:
    """Every file under ``root/folder``, sorted (none if it does not exist)."""
    return _files(root / folder)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


@functools.cache
def toolkit_digest() -> str:
    """Hash the toolkit's version and every file of the package (code and templates).

    Computed once per process: the package does not change while it runs.
    """
    h = hashlib.sha256(f"esgpress {esgpress.__version__}\0".encode())
    for path in _files(PACKAGE_DIR):
        h.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def digest(
    parts: Iterable[str | bytes], files: Iterable[Path] = (), base: Path | None = None
) -> str:
    """Hash the toolkit, some labelled values and the contents of some files.

    File names enter the hash relative to ``base`` (when given), so a copied
    project has the same fingerprints as the original.
    """
    h = hashlib.sha256(toolkit_digest().encode() + b"\0")
    for part in parts:
        h.update((part.encode() if isinstance(part, str) else part) + b"\0")
    for path in files:
        name = str(path.relative_to(base)) if base is not None else str(path)
        data = path.read_bytes() if path.is_file() else b"<missing>"
        h.update(name.encode() + b"\0" + data + b"\0")
    return h.hexdigest()


def data_fingerprint(root: Path) -> str:
    """Fingerprint of ``data/`` (and the toolkit that reads it)."""
    root = root.resolve()
    return digest(("data",), _files(root / "data"), base=root)


def render_fingerprint(root: Path, edition: str) -> str:
    """Fingerprint of everything an edition's render reads: data/, content/ and the toolkit."""
    root = root.resolve()
    files = _files(root / "data") + _files(root / "content")
    return digest(("render", edition), files, base=root)


def resources_fingerprint(root: Path) -> str:
    """Hash what a chapter may read of content/ besides its own text: images and their links.

    Chapter sources (``content/<lang>/*.md``) are left out: each chapter's memo
    is keyed by its own text. Whether a file is a symbolic link, and to what,
    is part of the hash (a link out of content/ is refused when rendering).
    """
    parts: list[str] = ["resources"]
    files: list[Path] = []
    folder = root / "content"
    for path in sorted(folder.rglob("*")) if folder.is_dir() else []:
        rel = path.relative_to(folder)
        if len(rel.parts) == 2 and rel.suffix == ".md":
            continue
        link = os.readlink(path) if path.is_symlink() else ""
        parts.append(f"{rel.as_posix()}\0{link}")
        if path.is_file():
            files.append(path)
    return digest(parts, files, base=root)


def cache_path(root: Path, *parts: str) -> Path | None:
    """Where a cache kept between runs lives, ``build/cache/<parts>``; None if never built.

    A project without a ``build/`` folder (a fixture checked in place, a
    fresh clone being checked) gets no cache files: checking it writes nothing.
    """
    build = root / "build"
    return build.joinpath("cache", *parts) if build.is_dir() else None


def is_fresh(folder: Path, fingerprint: str, name: str = FINGERPRINT_FILE) -> bool:
    """Whether ``folder`` holds the output of a step whose inputs had ``fingerprint``.

    ``name`` tells apart two steps that record their fingerprints in one folder
    (the print HTML's folder also records the PDF laid out from it).
    """
    if not enabled():
        return False
    stamp = folder / name
    return stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint


def mark_fresh(folder: Path, fingerprint: str, name: str = FINGERPRINT_FILE) -> None:
    """Record that ``folder`` now holds the output for ``fingerprint`` (written last)."""
    write_atomic(folder / name, fingerprint)


def forget(folder: Path, name: str = FINGERPRINT_FILE) -> None:
    """Drop the fingerprint of ``folder`` before its output is rewritten."""
    (folder / name).unlink(missing_ok=True)


class Remembered(Generic[T]):
    """Values kept in this process's memory, one per scope, while their fingerprint holds.

    The process-wide memories of the build (the live preview's data set, its
    data downloads, the zh-Hant converter and converted chapter sources, the
    memoised chapter renders) follow this one rule instead of each its own: a value is
    reused only for the same content fingerprint, a new fingerprint replaces the
    scope's value (so memory stays bounded by the number of scopes), and
    ``ESGPRESS_NO_CACHE`` switches reuse off.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, tuple[str, T]] = {}

    def get(
        self,
        scope: Hashable,
        fingerprint: str,
        make: Callable[[], T],
        still_valid: Callable[[T], bool] | None = None,
    ) -> T:
        """Return the scope's value for ``fingerprint``, making (and keeping) it when needed.

        ``still_valid`` can refuse a kept value (its files were deleted, say).
        """
        held = self.peek(scope, fingerprint, still_valid)
        if held is not None:
            return held
        value = make()
        self.keep(scope, fingerprint, value)
        return value

    def peek(
        self, scope: Hashable, fingerprint: str, still_valid: Callable[[T], bool] | None = None
    ) -> T | None:
        """Return the scope's value if it was kept for ``fingerprint`` (and caching is on)."""
        held = self._values.get(scope)
        if (
            enabled()
            and held is not None
            and held[0] == fingerprint
            and (still_valid is None or still_valid(held[1]))
        ):
            return held[1]
        return None

    def keep(self, scope: Hashable, fingerprint: str, value: T) -> None:
        """Keep ``value`` as the scope's value for ``fingerprint``, replacing the old one.

        For a caller that decides after making a value whether it may be reused
        (a chapter that reported a problem is not kept).
        """
        self._values[scope] = (fingerprint, value)

    def __len__(self) -> int:
        """How many scopes hold a value."""
        return len(self._values)

    def clear(self) -> None:
        """Forget every value (tests)."""
        self._values.clear()
