"""A second, independent conversion: word by word, to catch phrases that straddle two words.

The leak check used to compare the zh-Hant text with ``to_hant(to_hans(text))``,
which repeats the converter's own mistakes. OpenCC matches its longest phrase
wherever the characters meet, even across a word boundary: 用水|表现 becomes
用水錶現 (水表 "water meter"), 设有|采购 becomes 設有采購 (有采). Converting each
word on its own cannot make that mistake, so where the two readings disagree
one of them is wrong and a glossary entry should settle it.

Words come from jieba (a private :class:`jieba.Tokenizer`, never the global
one the site search configures) with a user dictionary of the glossary's
phrases and the data set's labels. jieba keeps some rare compounds whole that
OpenCC reads differently (相冲突, jieba frequency 3, but 相冲 is an OpenCC
phrase), so a word much rarer than its two-character tail or head is split
there (相|冲突).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from esgpress.data.model import Dataset, Text
from esgpress.data.scripts import HAN
from esgpress.editions.converter import Converter
from esgpress.editions.glossary import Glossary

#: A jieba word this many times rarer than a part of it is split at that part.
SPLIT_RATIO = 100
#: Frequency given to user-dictionary words: common enough to win over jieba's own splits.
USER_FREQ = 100_000


@dataclass(frozen=True, order=True)
class Disagreement:
    """A place where the whole-text and the word-by-word readings differ.

    Attributes:
        line: 1-based line of the source.
        col: 1-based column of the first differing character.
        source: the Simplified word (with a one-character neighbour) around it.
        whole: what the whole-text conversion prints for ``source``.
        word: what the word-by-word conversion prints for ``source``.

    """

    line: int
    col: int
    source: str
    whole: str
    word: str

    @property
    def entry(self) -> str:
        """The glossary line that would settle it (the word reading; edit if that is wrong)."""
        return f"{self.source}: {self.word}"


class Segmenter:
    """Splits Simplified text into words for the word-level reading."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        """Build a private jieba tokenizer with ``words`` as its user dictionary."""
        import jieba

        jieba.setLogLevel(logging.WARNING)
        self.user = frozenset(w for w in words if len(w) > 1 and HAN.search(w))
        self.tokenizer = jieba.Tokenizer()
        self.tokenizer.initialize()
        for word in sorted(self.user):
            self.tokenizer.add_word(word, USER_FREQ)

    def __call__(self, text: str) -> Iterator[str]:
        """Yield the words of ``text`` (non-Han runs pass through as they are)."""
        for word in self.tokenizer.cut(text, HMM=False):
            yield from self._split(word)

    def _split(self, word: str) -> Iterator[str]:
        """Split a rare three-or-more-character compound at a much commoner part."""
        freq = self.tokenizer.FREQ
        if len(word) < 3 or word in self.user:
            yield word
            return
        own = freq.get(word, 0)
        head, tail = freq.get(word[:-1], 0), freq.get(word[1:], 0)
        if tail >= head and tail > SPLIT_RATIO * own:
            yield from (word[0], word[1:])
        elif head > SPLIT_RATIO * own:
            yield from (word[:-1], word[-1])
        else:
            yield word


def glossary_words(glossary: Glossary) -> list[str]:
    """Return the glossary's share of the user dictionary: protected terms, phrase sources."""
    return [*glossary.protected, *(source for source, _ in glossary.phrases)]


def dataset_words(dataset: Dataset) -> list[str]:
    """Return the user dictionary of a data set: glossary terms, phrases and usage words, labels."""
    words = [e.source for e in dataset.glossary if e.section in ("phrases", "protected", "usage")]
    texts: list[Text | None] = [g.label for g in dataset.groups.values()]
    texts += [i.label for i in dataset.indicators.values()]
    words += [t.zh for t in texts if t is not None and t.zh and len(t.zh) <= 12]
    return words


@functools.lru_cache(maxsize=4)
def segmenter_for(words: tuple[str, ...]) -> Segmenter:
    """One segmenter per user dictionary and process (jieba's start-up reads a cache)."""
    return Segmenter(words)


def disagreements(converter: Converter, segmenter: Segmenter, text: str) -> list[Disagreement]:
    """Compare ``converter.to_hant(text)`` with the word-by-word reading, line by line.

    Both readings keep the source's length (OpenCC maps character for
    character here), so positions are the source's; a line whose readings
    differ in length is skipped rather than guessed at.
    """
    whole = converter.to_hant_with(text, None).split("\n")
    word = converter.to_hant_with(text, segmenter).split("\n")
    out: list[Disagreement] = []
    for number, (src, a, b) in enumerate(zip(text.split("\n"), whole, word, strict=True), 1):
        if a == b or not len(src) == len(a) == len(b):
            continue
        out.extend(_line(number, src, a, b, segmenter))
    return out


def _line(
    number: int, src: str, whole: str, word: str, segmenter: Segmenter
) -> Iterator[Disagreement]:
    """Report each differing word of one line once, with its neighbour if it is one character."""
    spans, pos = [], 0
    for token in segmenter(src):
        spans.append((pos, pos + len(token)))
        pos += len(token)
    reported: set[tuple[int, int]] = set()
    for index, (start, end) in enumerate(spans):
        if whole[start:end] == word[start:end]:
            continue
        if end - start == 1:  # 列明|了: a particle alone is no glossary entry
            if index > 0 and HAN.search(src[spans[index - 1][0]]):
                start = spans[index - 1][0]
            elif index + 1 < len(spans):
                end = spans[index + 1][1]
        if (start, end) in reported:
            continue
        reported.add((start, end))
        first = next(i for i in range(start, end) if whole[i] != word[i])
        yield Disagreement(number, first + 1, src[start:end], whole[start:end], word[start:end])


@dataclass(frozen=True, order=True)
class Departure:
    """A word the zh-Hant edition prints otherwise than the publisher's usage (glossary ``usage``).

    Attributes:
        line: 1-based line of the source.
        col: 1-based column of the word.
        source: the Simplified word.
        printed: what the edition prints for it.
        usage: the form the publisher prints.

    """

    line: int
    col: int
    source: str
    printed: str
    usage: str


def departures(
    converter: Converter, segmenter: Segmenter, text: str, usage: dict[str, str]
) -> list[Departure]:
    """Find the words of ``usage`` (Simplified → publisher's form) the edition prints otherwise.

    Both readings can agree and still differ from the publisher: OpenCC
    writes 复盘 as 復盤 in any context, where the 2024 report prints 複盤.
    A word counts only where the segmenter puts word boundaries at both of
    its ends (周年 in 股东|周年|大会, not a 周 and 年 of two words).
    """
    if not usage:
        return []
    pattern = re.compile("|".join(map(re.escape, sorted(usage, key=len, reverse=True))))
    printed = converter.to_hant(text).split("\n")
    out: list[Departure] = []
    for number, (src, hant) in enumerate(zip(text.split("\n"), printed, strict=True), 1):
        if len(src) != len(hant) or not pattern.search(src):
            continue
        bounds, pos = {0}, 0
        for token in segmenter(src):
            pos += len(token)
            bounds.add(pos)
        for match in pattern.finditer(src):
            start, end = match.span()
            wanted = usage[match.group()]
            if start in bounds and end in bounds and hant[start:end] != wanted:
                out.append(Departure(number, start + 1, match.group(), hant[start:end], wanted))
    return out
