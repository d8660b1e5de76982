"""What rendering one chapter adds to the edition state, so an unchanged chapter can be replayed.

The live preview renders a whole edition on every save (footnote numbers and
cross-references run through all chapters). A chapter whose text and starting
state are unchanged is replayed from memory instead: :class:`ChapterDelta`
records what its render added to the :class:`~esgpress.render.state.EditionState`
and applies it again. The memory itself lives with the renderer.

The same memo is also kept on disk, sealed (:mod:`esgpress.core.sealed`), in
``build/cache/chapters/<edition>/<chapter>``, so a new process (``esgpress pdf
--proof`` after an edit) renders only the edited chapter and replays the rest.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from esgpress.core.sealed import keep, kept
from esgpress.data.model import Dataset
from esgpress.render.state import EditionState, Note, RenderedChapter


@dataclass(frozen=True)
class ChapterDelta:
    """What rendering one chapter added to the edition state."""

    notes: tuple[Note, ...]
    chapter_notes: tuple[int, ...]
    disclosures: tuple[tuple[str, str, str, str], ...]
    kpis_used: frozenset[str]
    charts: tuple[dict[str, object], ...]

    @staticmethod
    def mark(state: EditionState) -> tuple[int, int, int]:
        """Sizes of the growing parts of the state before a chapter renders."""
        return len(state.notes), len(state.disclosures), len(state.charts)

    @classmethod
    def since(cls, mark: tuple[int, int, int], state: EditionState, chapter: str) -> ChapterDelta:
        """Collect the additions of the chapter just rendered."""
        notes, disclosures, charts = mark
        return cls(
            tuple(copy.copy(n) for n in list(state.notes.values())[notes:]),
            tuple(state.chapter_notes.get(chapter, [])),
            tuple(state.disclosures[disclosures:]),
            frozenset(state.kpis_used.get(chapter, set())),
            tuple(copy.deepcopy(state.charts[charts:])),
        )

    def apply(self, state: EditionState, chapter: str) -> None:
        """Make the same additions again (a memoised chapter)."""
        for note in self.notes:
            state.notes[str(note.number)] = copy.copy(note)
        state.chapter_notes[chapter] = list(self.chapter_notes)
        state.disclosures.extend(self.disclosures)
        state.kpis_used[chapter] = set(self.kpis_used)
        state.charts.extend(copy.deepcopy(list(self.charts)))

    def __reduce__(self) -> tuple[Callable[..., ChapterDelta], tuple[object, ...]]:
        """Pickle the KPI names sorted: a kept chapter's bytes must not depend on the hash seed."""
        kpis = tuple(sorted(self.kpis_used))
        return (_delta, (self.notes, self.chapter_notes, self.disclosures, kpis, self.charts))

    def digest(self) -> str:
        """Hash the additions stably (sets sorted)."""
        parts = (
            [tuple(vars(n).values()) for n in self.notes],
            self.chapter_notes,
            self.disclosures,
            sorted(self.kpis_used),
            json.dumps(self.charts, sort_keys=True, default=str),
        )
        return hashlib.sha256(repr(parts).encode()).hexdigest()


def _delta(
    notes: tuple[Note, ...],
    chapter_notes: tuple[int, ...],
    disclosures: tuple[tuple[str, str, str, str], ...],
    kpis_used: tuple[str, ...],
    charts: tuple[dict[str, object], ...],
) -> ChapterDelta:
    """Rebuild a pickled :class:`ChapterDelta` (see its ``__reduce__``)."""
    return ChapterDelta(notes, chapter_notes, disclosures, frozenset(kpis_used), charts)


@dataclass(frozen=True)
class ChapterMemo:
    """A chapter's render, what it added to the state, and the chain hash after it."""

    rendered: RenderedChapter
    delta: ChapterDelta
    next_chain: str
    dataset: Dataset


def keep_chapter(path: Path, key: str, memo: ChapterMemo) -> None:
    """Keep a chapter's memo on disk under ``key`` (its data set stays behind)."""
    keep(path, key, (memo.rendered, memo.delta, memo.next_chain))


def kept_chapter(path: Path, key: str, dataset: Dataset) -> ChapterMemo | None:
    """Return the memo kept in ``path`` for ``key``, attached to ``dataset`` (``None``: none)."""
    value = kept(path, key)
    if not isinstance(value, tuple) or len(value) != 3:
        return None
    rendered, delta, next_chain = value
    if not isinstance(rendered, RenderedChapter) or not isinstance(delta, ChapterDelta):
        return None
    return ChapterMemo(rendered, delta, str(next_chain), dataset)
