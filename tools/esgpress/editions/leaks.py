"""Script leaks: Simplified characters in the zh-Hant edition, Traditional ones in zh-Hans.

``esgpress check`` reports each at its source line and column, with what the
converter writes there instead, so a writer can add the phrase to the
glossary (zh-Hant) or retype the character (zh-Hans).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from esgpress.data.scripts import is_simplified_only, is_traditional_only, script_diffs
from esgpress.editions.converter import Converter, Target
from esgpress.editions.glossary import Glossary


@dataclass(frozen=True, order=True)
class Leak:
    """A character of the wrong script, at a 1-based line and column.

    Attributes:
        line: 1-based line number.
        col: 1-based column, counted in characters.
        char: the offending character.
        suggestion: what the converter writes there in this context.

    """

    line: int
    col: int
    char: str
    suggestion: str

    def __str__(self) -> str:
        return f"{self.line}:{self.col}: {self.char} → {self.suggestion}"


def converter_leaks(converter: Converter, text: str, target: Target) -> list[Leak]:
    """Find characters of the wrong script with ``converter``; see :func:`find_script_leaks`."""
    if target == "zh-Hant":
        expected = converter.to_hant(converter.to_hans(text))
        found = script_diffs(text, expected, is_simplified_only, converter.to_hant)
    elif target == "zh-Hans":
        found = script_diffs(text, converter.to_hans(text), is_traditional_only, converter.to_hans)
    else:
        raise ValueError(f"target must be 'zh-Hant' or 'zh-Hans', not {target!r}")
    return [Leak(*leak) for leak in found]


def find_script_leaks(text: str, target: Target, glossary: Glossary | None = None) -> list[Leak]:
    """Report Simplified characters in zh-Hant text, or Traditional ones in zh-Hans.

    A character is a candidate when OpenCC's data says it belongs to the other
    script only. It is reported only if converting the text in context would
    change it, which spares characters that are valid in both scripts in that
    word (干 in 干涉, 里 in 公里). Protected terms, code, URLs, HTML and Jinja
    syntax are skipped, because conversion never touches them either.

    Args:
        text: the edition's text (Markdown with Jinja).
        target: the script the text should be in.
        glossary: the project glossary; ``None`` means OpenCC alone.

    Returns:
        The leaks in text order, with the suggested replacement.

    """
    return converter_leaks(_converter_for(glossary), text, target)


@functools.lru_cache(maxsize=8)
def _converter_for(glossary: Glossary | None) -> Converter:
    """Reuse converters across leak checks of many files.

    Outside the Remembered rule on purpose: keyed by the glossary's whole
    (frozen, hashable) content, so a changed glossary is a new key, and bounded
    at eight converters.
    """
    return Converter(glossary)
