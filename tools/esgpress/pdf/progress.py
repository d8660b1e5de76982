"""What the reader sees while the editions are laid out (a minute and more for a real report).

On a terminal, one status line redrawn in place: pages laid out so far per
edition and the time elapsed. Elsewhere (a log file, CI), the plain lines the
workers report, one per step, so logs stay readable. WeasyPrint announces
each page it lays out on its progress logger; :class:`PageCounter` turns
those records into page numbers.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable, Iterable
from typing import TextIO

from esgpress.core import console

#: The message WeasyPrint's progress logger logs for each page laid out.
PAGE_STEP = "Step 5 - Creating layout - Page"
#: Seconds between two redraws of the status line.
REDRAW_EVERY = 0.2


class PageCounter(logging.Handler):
    """Calls ``on_page(number)`` for each page WeasyPrint lays out (its progress logger)."""

    def __init__(self, on_page: Callable[[int], None]) -> None:
        super().__init__(logging.INFO)
        self.on_page = on_page

    def emit(self, record: logging.LogRecord) -> None:
        if str(record.msg).startswith(PAGE_STEP) and record.args:
            self.on_page(int(record.args[0]))  # type: ignore[index, call-overload]


class LayoutProgress:
    """Shows the layout of some editions: a live status line on a terminal, plain lines else.

    ``live`` defaults to whether ``stream`` is a terminal (and not ``-q``).
    """

    def __init__(
        self, editions: Iterable[str], stream: TextIO | None = None, live: bool | None = None
    ) -> None:
        self.stream = stream if stream is not None else sys.stderr
        if live is None:
            live = self.stream.isatty() and console.verbosity() >= console.NORMAL
        self.live = live
        self.pages = dict.fromkeys(editions, 0)
        self.start = time.monotonic()
        self._drawn_at = 0.0
        self._shown = False

    def status(self) -> str:
        """Return the status line: pages laid out per edition and the time elapsed."""
        parts = " · ".join(f"{e} {n} p" for e, n in self.pages.items())
        return f"laying out: {parts} · {time.monotonic() - self.start:.0f} s"

    def page(self, edition: str, number: int) -> None:
        """Record that ``edition`` has laid out page ``number``."""
        self.pages[edition] = max(self.pages.get(edition, 0), number)
        self.tick()

    def tick(self) -> None:
        """Redraw the status line (on a terminal, at most every :data:`REDRAW_EVERY` s)."""
        now = time.monotonic()
        if self.live and now - self._drawn_at >= REDRAW_EVERY:
            self._draw()
            self._drawn_at = now

    def line(self, text: str, warning: bool = False) -> None:
        """Print a whole line (above the status line on a terminal)."""
        if not self.live:
            (console.warn if warning else console.say)(text)
            return
        self._clear()
        self.stream.write(text + "\n")
        self._draw()

    def close(self) -> None:
        """Remove the status line."""
        if self.live:
            self._clear()
            self.stream.flush()

    def _draw(self) -> None:
        self.stream.write("\r\x1b[K" + self.status())
        self.stream.flush()
        self._shown = True

    def _clear(self) -> None:
        if self._shown:
            self.stream.write("\r\x1b[K")
            self._shown = False
