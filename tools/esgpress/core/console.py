"""How much the command line says on stderr: ``-q`` (errors and warnings only), ``-v`` (more).

The library reports progress (a PDF laid out, a stale file removed) with
:func:`say` and warnings with :func:`warn`; the command line sets the level
once (:func:`set_verbosity`). A forked PDF worker inherits the level. What a
command *returns* (a path, a report) is not progress and is always printed.
"""

from __future__ import annotations

import sys

QUIET, NORMAL, VERBOSE = -1, 0, 1

_level = NORMAL


def set_verbosity(level: int) -> None:
    """Set the level: :data:`QUIET`, :data:`NORMAL` or :data:`VERBOSE`."""
    global _level
    _level = max(QUIET, min(VERBOSE, level))


def verbosity() -> int:
    """Return the current level."""
    return _level


def say(message: str, level: int = NORMAL) -> None:
    """Print progress to stderr when the level is at least ``level`` (one line, flushed)."""
    if _level >= level:
        print(message, file=sys.stderr, flush=True)


def warn(message: str) -> None:
    """Print a warning to stderr: shown even with ``-q``."""
    print(message, file=sys.stderr, flush=True)
