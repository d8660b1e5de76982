"""House-style lints: figure–unit spacing typed by hand, and English terminology.

The house style (``style:`` in data/report.yaml, :mod:`esgpress.editions.house`)
is applied to every edition as it renders, so the editions always follow it;
these lints keep the sources tidy and catch what no rule can rewrite:

- ``style-spacing``: a figure and its unit typed in a chapter against the rule
  of the edition that prints the source as typed (content/zh → zh-Hans,
  content/en → en), with the fix;
- ``terminology``: the glossary's English variants (Mainland China).

One figure written two ways (``figure-forms``) is :mod:`esgpress.checks.figures`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from esgpress.checks.figures import masked
from esgpress.core.errors import Problem
from esgpress.data.model import GlossaryEntry
from esgpress.editions.house import FIGURE, Style
from esgpress.render.chapters import Chapter


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def spacing_problems(chapter: Chapter, style: Style, edition: str) -> list[Problem]:
    """Figure–unit pairs typed in ``chapter`` against ``style`` (the edition that prints it)."""
    text = masked(chapter.body)
    out = []
    for offset, written, wanted in style.breaks(text):
        line, col = _position(text, offset)
        out.append(
            Problem(
                chapter.display,
                line,
                col,
                f"'{written}' breaks the {edition} figure–unit rule "
                f"({style.rules.figure_unit}); write '{wanted}' "
                f"(data/report.yaml style.{edition}.figure_unit)",
                "warning",
                "style-spacing",
            )
        )
    return out


def terminology(
    display: str, text: str, entries: Iterable[GlossaryEntry], *, figures_too: bool = True
) -> list[Problem]:
    """English variants the glossary's ``en`` section flags, with the preferred term.

    ``figures_too=False`` skips the after-figure variants (rendered text,
    where the house style has already written them the preferred way).
    """
    blank = masked(text)
    out = []
    for entry in entries:
        if entry.section != "en" or (entry.after_figure and not figures_too):
            continue
        variant = re.escape(entry.source)
        if entry.after_figure:
            pattern = rf"(?:{FIGURE})[ \u2009\u202f](?P<v>{variant})(?![\w³²])"
        else:
            pattern = rf"(?<![\w-])(?P<v>{variant})(?![\w-])"
        for match in re.finditer(pattern, blank):
            line, col = _position(blank, match.start("v"))
            where = " after a figure" if entry.after_figure else ""
            out.append(
                Problem(
                    display,
                    line,
                    col,
                    f"'{match['v']}'{where}: the house term is '{entry.target}' "
                    f"(data/glossary.yaml:{entry.line}, en)",
                    "warning",
                    "terminology",
                )
            )
    return out
