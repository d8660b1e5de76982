"""Markdown → HTML, one extension set for the site and the print edition.

The render step writes Markdown with HTML blocks (KPI tables, footnote calls,
case callouts with ``markdown="1"``). Both outputs must read it the same way,
so the extension list and its settings live here: the PDF converts with
:func:`markdown_to_html`, and the site passes :data:`EXTENSIONS` and
:func:`extension_configs` to MkDocs.

Headings keep their ``{#key}`` ids (``attr_list``); other headings get ids
from a Unicode slug (``pymdownx.slugs.slugify(case="lower")``), so a Chinese
heading gets a Chinese id instead of an empty one.
"""

from __future__ import annotations

from typing import Any

import markdown
from pymdownx.slugs import slugify

#: Python-Markdown extensions: the ``markdown_extensions`` of ``mkdocs.yml``, in
#: its order (tests/test_pdf.py checks that the two lists stay the same).
EXTENSIONS: tuple[str, ...] = (
    "toc",
    "attr_list",
    "md_in_html",
    "tables",
    "abbr",
    "pymdownx.betterem",
    "smarty",
)


def extension_configs() -> dict[str, dict[str, Any]]:
    """Return the settings of :data:`EXTENSIONS` (a new dict: callers may extend it)."""
    return {"toc": {"slugify": slugify(case="lower")}}


def make_converter() -> markdown.Markdown:
    """Make a converter with the shared extension set (``reset()`` it between documents)."""
    return markdown.Markdown(extensions=list(EXTENSIONS), extension_configs=extension_configs())


def markdown_to_html(text: str, converter: markdown.Markdown | None = None) -> str:
    """Convert one rendered chapter to an HTML fragment."""
    md = converter or make_converter()
    md.reset()
    html: str = md.convert(text)
    return html
