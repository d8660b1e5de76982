"""The converter's view of the glossary: protected terms, phrases, character overrides.

The entries are read and validated once, by the data loader
(:mod:`esgpress.data.load_glossary`), into the :class:`~esgpress.data.model.Dataset`;
this module groups them the way :class:`~esgpress.editions.converter.Converter`
applies them. :func:`load_glossary` reads a glossary file outside a project
(``esgpress convert`` run elsewhere, the measurement script, tests).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from esgpress.core.errors import EsgError, Problems
from esgpress.data.load_glossary import read_glossary
from esgpress.data.model import GlossaryEntry


@dataclass(frozen=True)
class CharRule:
    """A house-style override for one character of OpenCC's Traditional output.

    Attributes:
        target: the character the house style writes instead.
        exceptions: Simplified phrases whose OpenCC rendering keeps the
            original character (词汇 stays 詞彙 although 彙 becomes 匯).

    """

    target: str
    exceptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Glossary:
    """The project's conversion rules, grouped for the converter.

    Tuples rather than dicts keep the object hashable, so converters built
    from the same glossary can be cached.

    Attributes:
        protected: terms copied verbatim into every edition.
        phrases: (Simplified, Traditional) pairs that override OpenCC.
        characters: (OpenCC output character, rule) pairs.
        source: the file the glossary came from, if any.

    """

    protected: tuple[str, ...] = ()
    phrases: tuple[tuple[str, str], ...] = ()
    characters: tuple[tuple[str, CharRule], ...] = ()
    source: Path | None = field(default=None, compare=False)

    @classmethod
    def from_entries(cls, entries: Iterable[GlossaryEntry], source: Path | None = None) -> Glossary:
        """Group the loader's entries by section, keeping their order."""
        rows = list(entries)
        return cls(
            tuple(e.source for e in rows if e.section == "protected"),
            tuple((e.source, e.target) for e in rows if e.section == "phrases"),
            tuple(
                (e.source, CharRule(e.target, e.exceptions))
                for e in rows
                if e.section == "characters"
            ),
            source,
        )

    @property
    def phrase_map(self) -> dict[str, str]:
        """The phrases as a Simplified → Traditional dict."""
        return dict(self.phrases)

    @property
    def character_map(self) -> dict[str, CharRule]:
        """The character overrides as a dict keyed by OpenCC's output character."""
        return dict(self.characters)


def load_glossary(path: Path, display: str | None = None) -> Glossary:
    """Read and validate a glossary file, raising with every problem at once.

    A project's glossary comes with its data set (``Dataset.glossary``); this
    is for a file on its own.

    Args:
        path: the YAML file.
        display: how problems name the file (default: ``path`` as given).

    Raises:
        EsgError: the file cannot be read, is not valid YAML, uses aliases,
            or has entries that break the rules in docs/conversion.md.

    """
    problems = Problems()
    entries = read_glossary(path, display or str(path), problems)
    if problems.errors:
        raise EsgError(sorted(problems.errors))
    return Glossary.from_entries(entries, path)
