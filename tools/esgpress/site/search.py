"""One search scope per language, and the files Material fetches at each language root.

mkdocs-static-i18n merges every language's pages into one
``search/search_index.json`` ("search results can't be contextual to the
language", static-i18n #31/#33), so a reader of the Traditional edition
searching 溫室氣體 would also get Simplified and English hits. After the last
language is built we split that index: each language gets its own index at
its root (``/search/…`` for the root language, ``/en/search/…``), with
locations relative to that root, and the theme override
(``templates/site/main.html``) points Material's ``base`` at the language
root, so search loads only its own language. Each language then has fewer
documents to download and rank, and result counts are right.

Material also fetches ``sitemap.xml`` next to its base and next to each
``<link rel="alternate">`` (to keep readers on the same page when switching);
with ``page.html`` URLs every alternate sits at a language root, so a copy of
the (alternate-aware, cumulative) sitemap at each root answers those requests
instead of a 404 in the console.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from esgpress.core.files import write_atomic
from esgpress.site.crossscript import query_maps

#: Index settings per language family: Chinese text is segmented with jieba at
#: build time (tokens joined by U+200B), so the browser only splits on separators
#: and runs no English trimmer, stop-word filter or stemmer over Chinese words.
PIPELINES: dict[str, list[str]] = {"zh": [], "en": ["stopWordFilter"]}


def _prefix(locale: str, root: str) -> str:
    return "" if locale == root else f"{locale}/"


def partition(
    docs: list[dict[str, Any]], locales: list[str], root: str
) -> dict[str, list[dict[str, Any]]]:
    """Index entries by language, with locations made relative to the language root.

    >>> docs = [{"location": "climate.html"}, {"location": "en/climate.html#a"}]
    >>> partition(docs, ["zh-Hant", "en"], "zh-Hant")["en"]
    [{'location': 'climate.html#a'}]
    """
    prefixes = {loc: _prefix(loc, root) for loc in locales}
    out: dict[str, list[dict[str, Any]]] = {loc: [] for loc in locales}
    seen: dict[str, set[tuple[str, str]]] = {loc: set() for loc in locales}
    for doc in docs:
        location = str(doc.get("location", ""))
        loc = next((lo for lo, p in prefixes.items() if p and location.startswith(p)), root)
        rel = location[len(prefixes.get(loc, "")) :]
        if loc not in out:
            continue
        key = (rel, str(doc.get("title", "")))
        if key in seen[loc]:
            continue  # static-i18n keeps a copy of an entry per build; keep one
        seen[loc].add(key)
        out[loc].append({**doc, "location": rel})
    return out


def split_index(site: Path, locales: list[str], root: str) -> dict[str, int]:
    """Replace the merged index with one index per language; return entry counts."""
    merged_path = site / "search" / "search_index.json"
    if not merged_path.is_file():
        return {}
    merged = json.loads(merged_path.read_text(encoding="utf-8"))
    parts = partition(merged.get("docs", []), locales, root)
    counts = {}
    maps = query_maps(parts)  # cross-script queries (site/crossscript.py)
    for locale, docs in parts.items():
        config = dict(merged.get("config", {}))
        config["lang"] = ["en"]  # lunr's zh needs a JS jieba; Chinese is pre-segmented instead
        config["pipeline"] = PIPELINES["en" if locale == "en" else "zh"]
        if locale in maps:  # read by templates/site/assets/esgpress-search.js
            config["esgpress"] = maps[locale]
        path = site / _prefix(locale, root) / "search" / "search_index.json"
        data = json.dumps(
            {"config": config, "docs": docs}, ensure_ascii=False, separators=(",", ":")
        )
        write_atomic(path, data)
        counts[locale] = len(docs)
    return counts


def place_sitemaps(site: Path, locales: list[str], root: str) -> None:
    """Copy the site's sitemap to every language root (Material looks for it there)."""
    for name in ("sitemap.xml", "sitemap.xml.gz"):
        src = site / name
        if not src.is_file():
            continue
        for locale in locales:
            prefix = _prefix(locale, root)
            if prefix:
                write_atomic(site / prefix / name, src.read_bytes())


def copy_tree(src: Path, dst: Path) -> None:
    """Copy the files of ``src`` into ``dst`` (flat or nested), skipping identical ones."""
    for path in sorted(src.rglob("*")):
        if not path.is_file():
            continue
        write_atomic(dst / path.relative_to(src), path.read_bytes(), only_if_changed=True)
