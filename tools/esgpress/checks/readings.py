"""The zh-Hant edition checked against two independent references, at the source line.

- ``reading``: where the whole-text and the word-by-word conversions of a
  chapter disagree (docs/conversion.md, "Two readings"), one of them is
  wrong and a glossary phrase has to settle it;
- ``usage``: where the edition prints a word otherwise than the publisher's
  current usage (the glossary's ``usage`` list: 週報, 複盤, 盡早), which
  both readings can miss because OpenCC reads the word wrongly on its own.
"""

from __future__ import annotations

from esgpress.core.errors import Problem
from esgpress.render.renderer import Renderer


def reading_problems(renderer: Renderer, display: str, simplified: str) -> list[Problem]:
    """Both checks on one chapter source (Simplified), as ``esgpress check`` reports them."""
    from esgpress.editions.wordlevel import dataset_words, departures, disagreements, segmenter_for

    converter = renderer.loc.converter
    words = segmenter_for(tuple(dataset_words(renderer.dataset)))
    out = [
        Problem(
            display,
            d.line,
            d.col,
            f"the zh-Hant readings of '{d.source}' disagree: whole text '{d.whole}', "
            f"word by word '{d.word}'; settle it with the data/glossary.yaml phrase "
            f"'{d.entry}'",
            "warning",
            "reading",
        )
        for d in disagreements(converter, words, simplified)
    ]
    usage = {e.source: e for e in renderer.dataset.glossary if e.section == "usage"}
    forms = {source: entry.target for source, entry in usage.items()}
    for d in departures(converter, words, simplified, forms):
        out.append(
            Problem(
                display,
                d.line,
                d.col,
                f"the zh-Hant edition prints '{d.source}' as '{d.printed}', but the "
                f"publisher writes '{d.usage}' (data/glossary.yaml:{usage[d.source].line}, "
                f"usage); settle it with the data/glossary.yaml phrase '{d.source}: {d.usage}'",
                "warning",
                "usage",
            )
        )
    return out
