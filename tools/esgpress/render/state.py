"""What a render shares: the edition's state across chapters and one chapter's context.

Below the renderer and the chapter vocabulary, so both (and the content
index) can use these types without importing each other: the renderer creates
the state, the vocabulary records into it, the content index reads it.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from esgpress.core.errors import Problems
from esgpress.render.chapters import Chapter, Section

if TYPE_CHECKING:
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    from esgpress.data.model import Dataset
    from esgpress.editions.i18n import Localizer

#: What a chapter renders to where it cannot print a figure (the problem is recorded).
MARKER = "⟦?⟧"


def natural_key(code: str) -> list[object]:
    """Sort A1.2 before A1.10 and 305-1 before 305-10 (framework codes as readers expect)."""
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", code)]


@dataclass
class Note:
    """A footnote as numbered in one edition."""

    number: int
    key: str
    html: str
    chapter: str


@dataclass
class EditionState:
    """What one edition's render shares across its chapters."""

    edition: str
    sections: dict[str, Section] = field(default_factory=dict)
    notes: dict[str, Note] = field(default_factory=dict)
    chapter_notes: dict[str, list[int]] = field(default_factory=dict)
    disclosures: list[tuple[str, str, str, str]] = field(
        default_factory=list
    )  # fw, code, chapter, section
    kpis_used: dict[str, set[str]] = field(default_factory=dict)
    charts: list[dict[str, object]] = field(default_factory=list)
    #: Text printed byte for byte (an assurer's statement), held out of the house
    #: style's reach behind a comment token until the chapter is styled.
    verbatim: dict[str, str] = field(default_factory=dict)


def keep_verbatim(state: EditionState, html: str) -> str:
    """Hold ``html`` aside and return the token that stands for it.

    The house style (quotes, CJK–Latin spaces) runs over the rendered chapter;
    an HTML comment is shielded from it, so the token comes back unchanged
    and :func:`restore_verbatim` puts the text back after the style ran.
    """
    token = f"<!--esgpress:verbatim:{len(state.verbatim)}-->"
    state.verbatim[token] = html
    return token


def restore_verbatim(state: EditionState, markdown: str) -> str:
    """Put back every text :func:`keep_verbatim` held aside."""
    return VERBATIM.sub(lambda m: state.verbatim.get(m.group(0), m.group(0)), markdown)


VERBATIM = re.compile(r"<!--esgpress:verbatim:\d+-->")


@dataclass
class RenderedChapter:
    """One chapter's rendered Markdown and what it used."""

    key: str
    title: str
    markdown: str
    source: str


class EditionScope(Protocol):
    """What the chapter functions and the content index read of the edition being rendered.

    :class:`esgpress.render.renderer.Renderer` is one; naming only these
    attributes keeps the vocabulary below the renderer that calls it.
    """

    root: Path
    dataset: Dataset
    loc: Localizer
    state: EditionState
    env: ImmutableSandboxedEnvironment


class ChapterContext:
    """Per-chapter state the template functions need: file, current section, problems."""

    def __init__(self, chapter: Chapter, state: EditionState, problems: Problems) -> None:
        self.chapter = chapter
        self.state = state
        self.problems = problems
        self.section = chapter.key
        # Set while a template text from the data renders (a target's progress
        # text): its problems belong to the data file's line, and the figures it
        # cites to the chapter section that printed it.
        self.data_origin: tuple[str, int, str] | None = None

    def error(self, message: str) -> str:
        """Record a problem at the template line now executing; return a visible marker."""
        if self.data_origin is not None:
            path, line, _ = self.data_origin
            self.problems.add(path, line, 0, message)
        else:
            self.problems.add(self.chapter.display, template_line(), 0, message)
        return MARKER


def template_line() -> int:
    """Return the chapter line of the innermost template frame on the stack (0 if none).

    Jinja's ``get_corresponding_lineno`` parses the template's whole debug
    table on every call, which made a chapter of 40,000 ``kpi()`` calls take
    quadratic time; the table is parsed once per template here and searched
    by bisection.
    """
    frame = sys._getframe(1)
    while frame is not None:
        tmpl = frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            code_lines, source_lines = _line_table(tmpl)
            at = bisect.bisect_right(code_lines, _frame_line(frame))
            return source_lines[at - 1] if at else 1
        frame = frame.f_back  # type: ignore[assignment]
    return 0


#: Code object → (instruction offsets, their lines), built once per code object.
_CODE_LINES: dict[Any, tuple[list[int], list[int]]] = {}


def _frame_line(frame: Any) -> int:
    """Return ``frame.f_lineno`` in O(log n): CPython finds it by walking the line table.

    A chapter's template is one function with a statement per call, so the
    walk made 40,000 ``kpi()`` calls quadratic. The table is read once per
    code object (``co_lines``) and searched by the instruction offset.
    """
    code = frame.f_code
    table = _CODE_LINES.get(code)
    if table is None:
        if len(_CODE_LINES) > 256:
            _CODE_LINES.clear()
        rows = [(start, line) for start, _end, line in code.co_lines() if line is not None]
        table = ([r[0] for r in rows], [r[1] for r in rows])
        _CODE_LINES[code] = table
    starts, lines = table
    at = bisect.bisect_right(starts, frame.f_lasti)
    return lines[at - 1] if at else frame.f_lineno


def _line_table(tmpl: Any) -> tuple[list[int], list[int]]:
    """Return the template's (code lines, source lines) table, sorted, parsed once."""
    table = getattr(tmpl, "_esgpress_lines", None)
    if table is None:
        pairs = sorted((code, source) for source, code in tmpl.debug_info)
        table = ([c for c, _ in pairs], [s for _, s in pairs])
        tmpl._esgpress_lines = table
    return table
