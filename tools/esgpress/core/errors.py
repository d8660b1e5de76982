"""User-facing problems and the one exception type that carries them.

Every mistake a writer or data owner can make is reported as a :class:`Problem`
with a file, a 1-based line and column, and a sentence that says what is wrong
and what would be right. Code collects problems for a whole run and raises a
single :class:`EsgError` at the end (the MkDocs "collect, then abort once"
habit), so one run shows every mistake instead of the first.

``EsgError`` derives from :class:`click.ClickException`, so the CLI prints the
messages and exits with status 1 without a traceback.
"""

from __future__ import annotations

import errno
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import click

Severity = Literal["error", "warning", "acknowledged", "info"]


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, located in a file.

    ``line`` and ``col`` are 1-based; 0 means "the whole file" or "unknown".
    """

    path: str
    line: int
    col: int
    message: str
    severity: Severity = "error"
    code: str = ""

    def __str__(self) -> str:
        loc = self.path
        if self.line:
            loc += f":{self.line}"
            if self.col:
                loc += f":{self.col}"
        prefix = "" if self.severity == "error" else f"{self.severity}: "
        return f"{loc}: {prefix}{self.message}"

    def to_json(self) -> dict[str, object]:
        """Plain dict for ``--format json``."""
        return asdict(self)


@dataclass
class Problems:
    """An ordered collection of problems gathered during one run."""

    items: list[Problem] = field(default_factory=list)

    def add(
        self,
        path: str | Path,
        line: int,
        col: int,
        message: str,
        severity: Severity = "error",
        code: str = "",
    ) -> None:
        """Record a problem; positions are 1-based."""
        self.items.append(Problem(str(path), line, col, message, severity, code))

    def extend(self, other: Iterable[Problem]) -> None:
        """Append problems found elsewhere."""
        self.items.extend(other)

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        """Problems that stop a build."""
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """Problems that stop a build only under ``--strict``."""
        return [p for p in self.items if p.severity == "warning"]

    def raise_if_errors(self) -> None:
        """Abort once, with every error collected so far."""
        if self.errors:
            raise EsgError(self.errors)


class EsgError(click.ClickException):
    """One or more user errors; printed without a traceback, exit status 1."""

    def __init__(self, problems: Iterable[Problem] | str) -> None:
        if isinstance(problems, str):
            self.problems: list[Problem] = []
            message = problems
        else:
            self.problems = list(problems)
            message = "\n".join(capped_lines(self.problems))
        super().__init__(message)

    def format_message(self) -> str:
        return self.message

    def show(self, file: object = None) -> None:
        """Print the problems as they are, without click's ``Error:`` prefix."""
        click.echo(self.format_message(), err=True)
        if self.problems:
            n = len(self.problems)
            click.echo(f"{n} error{'s' if n != 1 else ''}.", err=True)

    def to_json(self) -> str:
        """Serialise the problems as a JSON array, so editors and CI can read them."""
        return json.dumps([p.to_json() for p in self.problems], ensure_ascii=False, indent=2)


#: Messages of one kind printed before the rest are summed up in one line.
MAX_PER_KIND = 50

#: What varies between messages of one kind: quoted names, cells, figures.
_VARIES = re.compile(r"'[^']*'|\"[^\"]*\"|\b[A-Z]+\d+\b|\d[\d,.]*")


def kind_of(problem: Problem) -> tuple[str, str]:
    """Return the kind of a problem: its code, else its message with names and figures blanked.

    "unknown indicator 'x.1'" and "unknown indicator 'x.2'" are one kind; the
    severity is part of it, so a warning never hides an error.
    """
    return problem.severity, problem.code or _VARIES.sub("…", problem.message)


def capped_lines(problems: Iterable[Problem], limit: int = MAX_PER_KIND) -> list[str]:
    """Return the problems as printed lines, at most ``limit`` of each kind.

    A workbook of 40,000 rows that all name an unknown indicator would print
    40,000 lines and bury every other message: the first ``limit`` of a kind
    are printed, then one line "… and 39,950 more like this" where the last
    of the kind would have been. ``--format json`` and the error count keep
    every problem.
    """
    items = list(problems)
    counts: dict[tuple[str, str], int] = {}
    for p in items:
        counts[kind_of(p)] = counts.get(kind_of(p), 0) + 1
    seen: dict[tuple[str, str], int] = {}
    lines: list[str] = []
    for p in items:
        kind = kind_of(p)
        seen[kind] = seen.get(kind, 0) + 1
        if seen[kind] <= limit:
            lines.append(str(p))
        if seen[kind] == counts[kind] and counts[kind] > limit:
            lines.append(f"… and {counts[kind] - limit:,} more like this ({_short(p.message)})")
    return lines


def _short(message: str) -> str:
    return message if len(message) <= 80 else message[:77] + "..."


def suggest(word: str, known: Iterable[str], n: int = 3) -> list[str]:
    """Return up to ``n`` known names closest to ``word`` (for "did you mean")."""
    import difflib

    return difflib.get_close_matches(word, list(known), n=n, cutoff=0.6)


def did_you_mean(word: str, known: Iterable[str]) -> str:
    """Return a ``" (did you mean x?)"`` suffix for a message, or ``""`` if nothing is close.

    An empty string lets callers append the result unconditionally.
    """
    close = suggest(word, known)
    if not close:
        return ""
    if len(close) == 1:
        return f" (did you mean {close[0]}?)"
    return " (did you mean " + ", ".join(close[:-1]) + f" or {close[-1]}?)"


def os_error_message(exc: OSError) -> str:
    """Word an operating-system error (at the command line's boundary): the path and the reason."""
    where = f"{exc.filename}" + (f" → {exc.filename2}" if exc.filename2 else "")
    reason = (exc.strerror or str(exc)) + _HINTS.get(exc.errno or 0, "")
    return f"{where}: {reason}" if exc.filename else f"cannot complete the command: {reason}"


#: What to do about the operating-system errors a user can fix.
_HINTS = {
    errno.ENOSPC: "; free some space on that disk and run the command again",
    errno.EDQUOT: "; free some space on that disk and run the command again",
    errno.EROFS: "; that disk is mounted read-only: build a copy of the project on a writable disk",
    errno.EACCES: "; you may not write or read there: check the folder's permissions",
}
