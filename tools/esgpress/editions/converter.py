"""Simplified ⇄ Traditional conversion for the zh-Hans and zh-Hant editions.

Writers author one Chinese source in Simplified characters; the Hong Kong
Traditional edition is derived from it. OpenCC does the bulk of the work, but
its output is not the company's house style out of the box, and it makes a
handful of well-known cross-word mistakes. The converter wraps OpenCC with
three layers that come from the project glossary (``data/glossary.yaml``,
loaded with the data set):

1. **Protected terms** are copied verbatim into every edition (the company
   writes its own name with a Simplified character even in Traditional text).
2. **Phrases** are Simplified → Traditional fixes that win over OpenCC.
3. **Characters** are single-character house-style overrides applied to
   OpenCC's output (for example its Taiwan glyph 汙 becomes the HK glyph 污).

Protected terms and phrases are swapped for private-use placeholder
characters before OpenCC runs (longest match first), so OpenCC can neither
alter them nor glue them to a neighbouring word, and are put back afterwards
(:class:`~esgpress.data.scripts.PlainConverter`). The same placeholder trick
shields everything that is not prose (:mod:`esgpress.editions.shield`).

The module does no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Literal

from esgpress.data.scripts import FROZEN, HANS_CONFIG, HANT_CONFIG, PlainConverter, unmask
from esgpress.editions.glossary import Glossary, load_glossary
from esgpress.editions.shield import Segment, convert_quotes, mask, segments

__all__ = ["HANS_CONFIG", "HANT_CONFIG", "Converter", "Target"]

Target = Literal["zh-Hant", "zh-Hans"]

#: 注 as the label that opens a note (注：, 注1：, **注：**, > 注：) is 註 in the
#: HK house style (the 2024 report: 註：); 注 elsewhere (关注, 注册) is a
#: different word and stays.
NOTE_LABEL = re.compile(r"(?m)(?<![^\s>*\-])注(?=\**\s*\d*\s*[：:])")


class Converter:
    """Converts between the Simplified source and the Traditional edition.

    Build one per glossary and reuse it: the OpenCC objects are shared
    module-wide and the glossary's match table is compiled here, once.
    """

    def __init__(
        self,
        glossary: Glossary | None = None,
        words: Callable[[str], Iterable[str]] | None = None,
        traditional_source: bool = False,
    ) -> None:
        """Compile the glossary into match tables.

        Args:
            glossary: the project glossary; ``None`` means OpenCC alone.
            words: a segmenter (:class:`~esgpress.editions.wordlevel.Segmenter`).
                With one, :meth:`to_hant` converts word by word, so no OpenCC
                phrase straddles two words (用水|表现 stays 用水表現, not
                用水錶現); docs/conversion.md measures both readings.
            traditional_source: the project writes its Chinese in Traditional
                (``source_script: traditional``): :meth:`to_hans` then applies
                the glossary's phrases backwards, so the zh-Hans edition
                gets the Simplified form each phrase was defined from.

        """
        self.glossary = glossary or Glossary()
        self.words = words
        self.plain = PlainConverter(
            self.glossary.protected,
            self.glossary.phrase_map,
            [(char, rule.target, rule.exceptions) for char, rule in self.glossary.characters],
            reverse_phrases=traditional_source,
        )

    @classmethod
    def default(cls, path: Path | None = None) -> Converter:
        """Build a converter from the glossary file ``path``, or plain OpenCC without one.

        A project's converter comes from its data set (``Dataset.glossary``);
        this serves a file on its own. An explicit ``path`` must exist: a typo
        should not silently drop the rules.

        Raises:
            EsgError: the glossary is missing (explicit path) or invalid.

        """
        return cls(load_glossary(path)) if path is not None else cls(Glossary())

    def to_hant(self, text: str) -> str:
        """Convert Simplified source text to the HK Traditional house style.

        Curly quotes around Chinese become corner quotes (see
        :func:`~esgpress.editions.shield.corner_quotes`); shielded spans come
        back byte-identical. Word by word when the converter has a segmenter.
        """
        return self.to_hant_with(text, self.words)

    def to_hant_with(self, text: str, words: Callable[[str], Iterable[str]] | None) -> str:
        """Convert with the given segmenter, or the whole text at once (``None``).

        The leak check compares the two readings
        (:func:`~esgpress.editions.wordlevel.disagreements`).
        """
        return self._convert(
            convert_quotes(segments(text)),
            lambda prose: NOTE_LABEL.sub("註", self.plain.hant(prose, words)),
        )

    def to_hans(self, text: str) -> str:
        """Convert Traditional text to Simplified, keeping protected terms.

        Punctuation is left alone. With a Simplified source this direction
        serves the leak checks, the measurement and ``esgpress convert --to
        zh-Hans``; with a Traditional source it makes the zh-Hans edition.
        """
        return self._convert(segments(text), self.plain.hans)

    @staticmethod
    def _convert(parts: Sequence[Segment], core: Callable[[str], str]) -> str:
        """Run ``core`` on the prose and literals, with shielded spans masked."""
        masked, frozen = mask(parts, ["text", "literal"])
        return unmask(core(masked), FROZEN, frozen)
