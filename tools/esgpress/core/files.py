"""Write outputs atomically: single files, whole folders, one build at a time.

Every file the package writes goes through :func:`write_atomic` (a temporary
file in the same folder, flushed to disk, renamed over the target), so a
reader or a killed build never sees half a file. It can skip files whose bytes
have not changed, so unchanged pages keep their timestamps and the live
preview does not loop on its own output.

The published site and PDFs are a legal document: a reader must never get a
half-written site or a PDF set mixing this year's Traditional edition with
last run's Simplified one. So ``site/`` and ``dist/`` are built into a staging
folder beside them (same file system, so renames are atomic) and swapped in
only when the whole build succeeded; a failure, an exception, a full disk or a
killed process leaves the previous folder exactly as it was.

The swap is two renames (current → ``.name.old-<pid>``, staging → current). A
process killed between the two leaves no ``site/`` but a complete
``.site.old-<pid>``; the next build puts it back before it starts
(:func:`recover`), and removes staging folders left by killed builds.

:func:`project_lock` serialises the commands that write ``build/``, ``site/``
and ``dist/``: a second build in the same project stops at once with a message
instead of interleaving its files with the first. The lock is an ``flock`` on
``build/.lock``; the kernel releases it when the holding process ends, however
it ends, so it cannot go stale. It is re-entrant within one process
(``build-all`` runs ``pdf`` and ``build``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from esgpress.core.errors import EsgError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows has no flock; builds are then unlocked
    fcntl = None  # type: ignore[assignment]

LOCK_FILE = "build/.lock"

_held: dict[Path, int] = {}  # lock file → nesting depth, for this process
_lock_fds: set[int] = set()  # descriptors of the locks this process holds


def close_inherited_locks() -> None:
    """In a forked child: close the parent's lock descriptors, so only the parent holds the lock.

    ``flock`` belongs to the open file description, which a fork shares: a
    PDF worker that kept the descriptor would keep the project locked after
    its parent was killed. Closing (not unlocking) the child's copy leaves
    the parent's lock in place.
    """
    for fd in list(_lock_fds):
        with contextlib.suppress(OSError):
            os.close(fd)
    _lock_fds.clear()
    _held.clear()


@contextlib.contextmanager
def project_lock(root: Path, command: str) -> Iterator[None]:
    """Hold the project's build lock for ``command``; refuse at once if another process has it."""
    path = (root / LOCK_FILE).resolve()
    if path in _held or fcntl is None:
        _held[path] = _held.get(path, 0) + 1
        try:
            yield
        finally:
            _held[path] -= 1
            if not _held[path]:
                del _held[path]
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode("utf-8", "replace").strip() or "unknown process"
            raise EsgError(
                f"another esgpress build is running in this project ({holder}); "
                "wait for it to finish and run the command again. The lock "
                f"({LOCK_FILE}) is released when that process ends, even if it is killed."
            ) from None
        started = time.strftime("%Y-%m-%d %H:%M:%S")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, '{command}' started at {started}\n".encode(), 0)
        _held[path] = 1
        _lock_fds.add(fd)
        try:
            yield
        finally:
            del _held[path]
            _lock_fds.discard(fd)
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: str | bytes, *, only_if_changed: bool = False) -> bool:
    """Replace ``path`` with ``data`` (a str as UTF-8) in one rename; return True if written.

    The data goes to a temporary file beside ``path`` (same file system, so the
    rename is atomic), is flushed to disk, and replaces ``path`` whole: a crash
    or a full disk leaves either the old file or the new one, never half of
    one. An existing file keeps its permissions. With ``only_if_changed``, a
    file that already holds ``data`` is left alone (and False returned).
    Parent folders are created.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if only_if_changed and path.is_file() and path.read_bytes() == raw:
        return False
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # name the file asked for, not the temporary one
        raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
            f.flush()
            os.fsync(f.fileno())
        mode = path.stat().st_mode & 0o777 if path.is_file() else 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:  # a full disk fails in write(), which names no file
        Path(tmp).unlink(missing_ok=True)
        if exc.filename in (None, tmp):
            raise type(exc)(exc.errno, exc.strerror, str(path)) from exc
        raise
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_cache(path: Path, data: bytes) -> bool:
    """Replace a cache file with ``data`` in one rename; False (never an error) if it fails.

    Unlike :func:`write_atomic` nothing is flushed to disk: a cache need not
    survive a crash (its readers check what they read), and a build must not
    fail because its build folder is read-only or full.
    """
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        return False
    return True


def create_private(path: Path, data: bytes) -> None:
    """Create ``path`` readable by its owner only, unless it exists (a secret, made once).

    ``O_EXCL``: of two processes creating it at once, one writes it and the
    other leaves it alone (it may read it half-written; callers check).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)


def _read_umask() -> int:
    """Return the process's umask (read by setting it and putting it back: once, at import)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: New files get the permissions ``open()`` would give them (mkstemp makes them 0600).
_UMASK = _read_umask()


def _staging(target: Path, kind: str) -> Path:
    return target.parent / f".{target.name}.{kind}-{os.getpid()}"


def recover(target: Path) -> None:
    """Undo what a killed build left beside ``target``: restore a moved-away copy, drop staging.

    Call it with the project lock held, so no live build owns those folders.
    """
    parent = target.parent
    if not parent.is_dir():
        return
    olds = sorted(parent.glob(f".{target.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if olds and not target.exists():
        os.rename(olds.pop(), target)
    for leftover in [*olds, *parent.glob(f".{target.name}.new-*")]:
        shutil.rmtree(leftover, ignore_errors=True)


@contextlib.contextmanager
def replaced_dir(target: Path, *, keep_files: bool = False) -> Iterator[Path]:
    """Yield an empty staging folder; when the block succeeds, it becomes ``target``.

    With ``keep_files``, the staging folder starts with a copy of ``target``'s
    files, so a build that rewrites some of them keeps the rest. (A copy, not
    hard links: a writer that rewrote a linked file in place would change the
    published one.) If the block raises, the staging folder is removed and ``target`` is
    untouched; an :class:`OSError` (a full disk, say) becomes an
    :class:`EsgError` that says so.
    """
    recover(target)
    staging = _staging(target, "new")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        staging.mkdir(parents=True)
        if keep_files and target.is_dir():
            shutil.copytree(target, staging, dirs_exist_ok=True)
        yield staging
        swap_in(staging, target)
    except OSError as exc:
        raise EsgError(
            f"cannot write {target.name}/: {exc.strerror or exc} "
            f"({exc.filename or staging}); the previous {target.name}/ is unchanged"
        ) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Put the complete folder ``staging`` in place of ``target`` and delete the old one."""
    old = _staging(target, "old")
    if target.exists():
        os.rename(target, old)
    try:
        os.rename(staging, target)
    except OSError:
        if old.exists():
            os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def remove_stale(folder: Path, keep: set[str], kinds: tuple[str, ...] | None = None) -> list[str]:
    """Delete the entries of ``folder`` whose names are not in ``keep``; return their names.

    For output folders (``dist/``, the site's downloads) reused from an
    earlier build, for another report year say: a file the current build did
    not produce must not be published. Dot entries (the staging folders of
    :func:`replaced_dir`, the lock) are left alone. With ``kinds`` (file
    suffixes such as ``".pdf"``), only files of those kinds are removed: a
    folder the user also keeps notes in loses only what a build could have
    written there.
    """
    if not folder.is_dir():
        return []
    removed = []
    for entry in sorted(folder.iterdir()):
        if entry.name.startswith(".") or entry.name in keep:
            continue
        if kinds is not None and not (entry.is_file() and entry.name.endswith(kinds)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
        removed.append(entry.name)
    return removed


def require_folder(file: str, option: str) -> None:
    """Refuse a file to write whose folder does not exist: a typo must not create folders."""
    folder = Path(file).parent
    if not folder.is_dir():
        what = f"{folder} is a file, not a folder" if folder.exists() else f"no folder {folder}"
        raise EsgError(f"{option} {file}: {what}; create the folder first or choose another path")
