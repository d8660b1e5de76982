"""Where every anchor of an edition landed: the page map a full build leaves for the proofs.

A chapter proof (:mod:`esgpress.pdf.proof`) lays out one chapter alone, in
seconds, yet prints the page numbers of the whole document: the page its
chapter starts on and the pages of cross-references into other chapters.
Those come from the last full layout of the edition, which writes
``build/print/<edition>/pages.json``: the number of pages and, for every
element id, the index (from 0) of the first page it is on. Footnote
numbers need no record: the render numbers the notes through the edition,
and the print HTML carries them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from esgpress.core.files import write_atomic

#: The page map's file name, beside the edition's print HTML.
PAGES_NAME = "pages.json"


@dataclass(frozen=True)
class PageMap:
    """An edition's page count and the page index of each anchor, from its last full layout."""

    pages: int
    anchors: dict[str, int]


def page_map(document: Any) -> PageMap:
    """Read the page map off a laid-out WeasyPrint document (first page of each id)."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(document.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    return PageMap(len(document.pages), anchors)


def write_page_map(folder: Path, pages: PageMap) -> Path:
    """Write ``pages.json`` into ``folder`` (sorted, so the same layout gives the same bytes)."""
    data = {"pages": pages.pages, "anchors": dict(sorted(pages.anchors.items()))}
    path = folder / PAGES_NAME
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=0), only_if_changed=True)
    return path


def read_page_map(folder: Path) -> PageMap | None:
    """Return the page map in ``folder``, or None when no full layout has written one."""
    path = folder / PAGES_NAME
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return PageMap(int(raw["pages"]), {str(k): int(v) for k, v in raw["anchors"].items()})
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
