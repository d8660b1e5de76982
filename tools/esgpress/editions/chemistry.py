"""Subscripts in labels and units: ``CO~2~`` prints CO<sub>2</sub> (site, PDF) or CO₂ (plain text).

Chemical formulas are marked by the writer, never guessed: ``PM2.5`` and
``ISO 14001`` have digits that are not subscripts. The mark is the one
Pandoc and pymdownx use, a subscript between single tildes.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

_SUB = re.compile(r"~([0-9A-Za-z+\-]{1,6})~")
_DIGITS = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")


def rich(text: str) -> Markup:
    """Escape ``text`` for HTML and turn ``~2~`` marks into ``<sub>2</sub>``."""
    return Markup(_SUB.sub(lambda m: f"<sub>{m.group(1)}</sub>", escape(text)))


def plain(text: str) -> str:
    """Write subscripts as Unicode subscript digits (CO₂), for exports and alt text."""
    return _SUB.sub(lambda m: m.group(1).translate(_DIGITS), text)
