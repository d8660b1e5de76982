"""The report's own words, as a jieba user dictionary for the Chinese search indexes.

Material segments Chinese with jieba at build time. jieba's dictionary is
Simplified: on Traditional text it knows few words and its HMM glues unknown
characters into "new words" (兼職員工 → 兼 / 職員工, 30歲員工 → 歲員工), so a
search for 員工 missed most of its occurrences in the zh-Hant edition.

The fix is a dictionary of the terms this report uses, in both scripts, built
from the data rather than typed by hand: every KPI, group and segment label,
every framework code title and the glossary's terms. Each Simplified label
is cut by jieba (which segments Simplified well) and the Traditional label is
cut at the same places; every word of two or more ideographs goes into the
dictionary in both forms. jieba then keeps 員工 whole wherever it occurs.

:func:`write_terms` writes the list beside the generated docs
(``build/site-docs/.jieba-terms.txt``); the MkDocs plugin loads it after the
hand-kept ``data/jieba_user_dict.txt``.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from esgpress.core.files import write_atomic
from esgpress.data.model import Dataset, Text
from esgpress.editions.i18n import Localizer

#: A word worth a dictionary entry: two or more ideographs and nothing else.
WORD = re.compile("^[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}$")
#: Glossary phrases longer than this are sentence fixes, not terms.
MAX_TERM = 6
#: File name beside the generated docs (a dot file: MkDocs does not publish it).
TERMS_FILE = ".jieba-terms.txt"


def _label_texts(dataset: Dataset) -> Iterator[Text]:
    """Every data label a reader can search for: KPIs, groups, segments, framework codes."""
    for indicator in dataset.indicators.values():
        yield indicator.label
    for group in dataset.groups.values():
        yield group.label
    for segment in dataset.segments.values():
        yield segment.label
    for codes in dataset.frameworks.values():
        for code in codes:
            yield code.title


@functools.cache
def _tokenizer() -> Any:
    """Make a jieba tokenizer of our own: words loaded for indexing must not change the cut."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def _cut(text: str) -> list[str]:
    """Jieba's words of ``text`` (accurate mode, no HMM guesses), default dictionary only."""
    return [w for w in _tokenizer().cut(text, HMM=False) if w]


def aligned_words(hans: str, hant: str) -> Iterator[tuple[str, str]]:
    """Cut the Simplified text and the Traditional one at the same places.

    OpenCC converts character by character here, so a label and its
    conversion have the same length; a pair that differs in length (a
    glossary phrase of another length) gives its Simplified words only.

    >>> list(aligned_words("全职员工人数", "全職員工人數"))
    [('全职', '全職'), ('员工', '員工'), ('人数', '人數')]
    """
    at = 0
    for word in _cut(hans):
        trad = hant[at : at + len(word)] if len(hans) == len(hant) else word
        at += len(word)
        yield word, trad


def report_terms(dataset: Dataset) -> list[str]:
    """List the report's words in both scripts, sorted, each once."""
    hans, hant = Localizer(dataset, "zh-Hans"), Localizer(dataset, "zh-Hant")
    terms: set[str] = set()
    for text in _label_texts(dataset):
        for simp, trad in aligned_words(hans.text(text), hant.text(text)):
            terms.update(w for w in (simp, trad) if WORD.match(w))
    for entry in dataset.glossary:
        if entry.section in ("protected", "phrases"):
            terms.update(
                w for w in (entry.source, entry.target) if WORD.match(w) and len(w) <= MAX_TERM
            )
    return sorted(terms)


def write_terms(dataset: Dataset, docs_dir: Path) -> Path:
    """Write the dictionary (one word a line: jieba suggests each frequency) and return its path."""
    path = docs_dir / TERMS_FILE
    write_atomic(path, "".join(f"{w}\n" for w in report_terms(dataset)), only_if_changed=True)
    return path
