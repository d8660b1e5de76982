"""Python objects kept on disk between runs, sealed so a project folder cannot forge them.

Some results are costly to make and cheap to keep: the loaded data set (1.5 s
for the sample, read by every command) and the rendered chapters (the proof
of one chapter would otherwise render the whole edition again). They are
Python objects, and :mod:`pickle` is the only faithful way to keep them, but
unpickling runs code named by the file. A project folder is untrusted input
(a report can arrive from anyone), and its ``build/`` folder travels with it,
so a planted ``build/cache/…`` file must never be unpickled.

Each file therefore carries an HMAC-SHA256 of its bytes under a key that lives
outside every project: ``$XDG_CACHE_HOME/esgpress/seal.key`` (or
``~/.cache/esgpress/seal.key``), 32 random bytes made on first use, readable
by its owner only. A file whose seal does not verify is ignored, as is any
file that cannot be read back: a cache miss, never an error.
``tests/test_sealed.py`` plants a forged file and checks it is not loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from esgpress.core.files import create_private, write_cache

#: Bytes every sealed file starts with (format version included).
MAGIC = b"esgpress-sealed-1\n"
#: Environment variable naming another folder for the key (tests, shared build users).
KEY_DIR_ENV = "ESGPRESS_KEY_DIR"

_DIGEST = hashlib.sha256().digest_size

T = TypeVar("T")


def key_path() -> Path:
    """Where this user's sealing key lives (outside every project)."""
    override = os.environ.get(KEY_DIR_ENV)
    if override:
        return Path(override) / "seal.key"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "esgpress" / "seal.key"


def _key() -> bytes | None:
    """Read the key, making it on first use; ``None`` when it cannot be had (no cache then)."""
    path = key_path()
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        create_private(path, secrets.token_bytes(32))
        key = path.read_bytes()
    except OSError:
        return None
    return key if len(key) == 32 else None


def write_sealed(path: Path, value: object) -> bool:
    """Pickle ``value`` to ``path`` with this user's seal; False when it could not be kept."""
    key = _key()
    if key is None:
        return False
    body = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    seal = hmac.new(key, body, hashlib.sha256).digest()
    return write_cache(path, MAGIC + seal + body)


def read_sealed(path: Path) -> object | None:
    """Return the object sealed in ``path``; ``None`` if missing, foreign, forged or unreadable."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    key = _key()
    if key is None:
        return None
    seal, body = data[len(MAGIC) : len(MAGIC) + _DIGEST], data[len(MAGIC) + _DIGEST :]
    if not hmac.compare_digest(seal, hmac.new(key, body, hashlib.sha256).digest()):
        return None
    try:
        value: object = pickle.loads(body)
    except Exception:  # a sealed file from an older toolkit whose classes changed: a miss
        return None
    return value


def keep(path: Path, fingerprint: str, value: object) -> bool:
    """Seal ``value`` in ``path`` under ``fingerprint`` (what it was made from)."""
    return write_sealed(path, (fingerprint, value))


def kept(path: Path, fingerprint: str) -> object | None:
    """Return the value :func:`keep` sealed in ``path`` for ``fingerprint``; ``None`` otherwise."""
    value = read_sealed(path)
    if not (isinstance(value, tuple) and len(value) == 2 and value[0] == fingerprint):
        return None
    held: object = value[1]
    return held


def kept_or_made(path: Path | None, fingerprint: str, make: Callable[[], T], kind: type[T]) -> T:
    """Return the ``kind`` kept in ``path`` for ``fingerprint``, or make it and keep it.

    ``path`` None (no build folder, caches off) makes it and keeps nothing.
    A kept value of another type (an older toolkit's) counts as a miss.
    """
    if path is not None:
        value = kept(path, fingerprint)
        if isinstance(value, kind):
            return value
    made = make()
    if path is not None:
        keep(path, fingerprint, made)
    return made
