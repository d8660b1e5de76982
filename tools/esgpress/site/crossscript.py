"""Character maps that let a Simplified query search the Traditional index, and the reverse.

Readers in Hong Kong type either script. The browser has no OpenCC, and the
site loads nothing from the network, so the build ships, inside each Chinese
search index (``config.esgpress``), a small map generated with OpenCC for the
characters that index contains:

- ``chars``: one query character → the character the index uses
  (员 → 員 in zh-Hant; 員 → 员 in zh-Hans). A character the index itself
  contains is never mapped (里 stays 里 in zh-Hant, where 里程 is a word);
- ``words``: for a Simplified character with several Traditional forms
  (发 → 發 or 髮), the index's own words that use it, keyed by their
  Simplified form, so 发展 finds 發展 by the word and not by a guess;
- ``longest``: the length of the longest key of ``words``.

The search worker (``templates/site/assets/esgpress-search.js``) converts
the query with these maps before segmenting it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from esgpress.data.scripts import cc, is_han

#: Markup inside the index text (Material keeps inline tags).
TAG = re.compile(r"<[^>]*>")
#: The index separator (mkdocs.yml: spaces, U+200B between jieba's words, CJK punctuation).
SEPARATOR = re.compile(r"[\s\u200b\u3000\-、。，．？！；]+")


def _texts(docs: Iterable[dict[str, Any]]) -> Iterable[str]:
    for doc in docs:
        for field in ("title", "text"):
            yield TAG.sub(" ", str(doc.get(field, "")))


def _chars(docs: list[dict[str, Any]]) -> Counter[str]:
    return Counter(c for text in _texts(docs) for c in text if is_han(c))


def _words(docs: list[dict[str, Any]]) -> set[str]:
    return {w for text in _texts(docs) for w in SEPARATOR.split(text) if len(w) > 1}


def to_traditional_map(hant_docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Map Simplified query characters (and ambiguous words) to the zh-Hant index's own.

    >>> m = to_traditional_map([{"title": "員工", "text": "發展\u200b頭髮"}])
    >>> m["chars"]["员"], m["words"]["发展"], m["words"]["头发"]
    ('員', '發展', '頭髮')
    """
    counts = _chars(hant_docs)
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    for char, n in counts.items():
        simp = cc("t2s", char)
        if simp != char and len(simp) == 1:
            forms[simp][char] += n
    chars = {
        simp: trads.most_common(1)[0][0]
        for simp, trads in sorted(forms.items())
        if simp not in counts  # the index uses this character itself: leave it alone
    }
    ambiguous = {
        c for simp, trads in forms.items() if len(trads) > 1 or simp in counts for c in trads
    }
    words = {}
    for word in sorted(_words(hant_docs)):
        if any(c in ambiguous for c in word):
            simp = cc("t2s", word)
            if simp != word and len(simp) == len(word):
                words[simp] = word
    return {"chars": chars, "words": words, "longest": max(map(len, words), default=0)}


def to_simplified_map(
    hans_docs: list[dict[str, Any]], hant_docs: list[dict[str, Any]]
) -> dict[str, Any]:
    """Map Traditional query characters (HK and Taiwan forms) to the zh-Hans index's own.

    >>> to_simplified_map([{"title": "员工", "text": ""}], [{"title": "員工", "text": ""}])
    {'chars': {'員': '员'}, 'words': {}, 'longest': 0}
    """
    own = _chars(hans_docs)
    chars: dict[str, str] = {}
    candidates = set(_chars(hant_docs)) | {
        t for s in own for t in (cc("s2hk", s), cc("s2t", s), cc("s2tw", s)) if len(t) == 1
    }
    for trad in sorted(candidates):
        simp = cc("t2s", trad)
        if simp != trad and len(simp) == 1 and trad not in own:
            chars[trad] = simp
    return {"chars": chars, "words": {}, "longest": 0}


def query_maps(parts: dict[str, list[dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Build the map of each Chinese edition present in ``parts`` (index entries by locale)."""
    hant, hans = parts.get("zh-Hant"), parts.get("zh-Hans")
    maps: dict[str, dict[str, Any]] = {}
    if hant is not None:
        maps["zh-Hant"] = to_traditional_map(hant)
    if hans is not None:
        maps["zh-Hans"] = to_simplified_map(hans, hant or [])
    return maps
