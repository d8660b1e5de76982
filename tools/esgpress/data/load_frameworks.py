"""Read and validate ``data/frameworks.yaml``: the catalogues the content index lists.

Read by the data loader with the other data files, so ``esgpress check``
reports a broken catalogue as ``data/frameworks.yaml:L:C`` in the same run as
the chapter problems, instead of a render failing halfway through the
content index (issue 14). The file is optional: without it the index lists
only the codes the chapters disclose.
"""

from __future__ import annotations

import functools
from pathlib import Path

from esgpress.core.errors import Problems
from esgpress.core.resources import toolkit_path
from esgpress.data.model import FrameworkCode, Text
from esgpress.data.schema import Reader
from esgpress.data.yamlio import pos, read_document

#: Where a project keeps its framework catalogues, as problems name it.
FRAMEWORKS_PATH = "data/frameworks.yaml"


def load_frameworks(root: Path, problems: Problems) -> dict[str, tuple[FrameworkCode, ...]]:
    """Every framework's codes in index order: the project's catalogue, else the toolkit's.

    Problems are added to ``problems``; valid codes are kept.
    """
    path, display = root / FRAMEWORKS_PATH, FRAMEWORKS_PATH
    if not path.is_file():  # the toolkit's catalogues (HKEX incl. Part D, GRI, IFRS S2)
        catalogues, found = _toolkit_frameworks()
        problems.extend(found)
        return dict(catalogues)
    return read_frameworks(path, display, problems)


@functools.cache
def _toolkit_frameworks() -> tuple[dict[str, tuple[FrameworkCode, ...]], Problems]:
    """Read the toolkit's catalogues once per process (package data does not change)."""
    found = Problems()
    catalogues = read_frameworks(toolkit_path("frameworks.yaml"), "esgpress:frameworks.yaml", found)
    return catalogues, found


def read_frameworks(
    path: Path, display: str, problems: Problems
) -> dict[str, tuple[FrameworkCode, ...]]:
    """Read one catalogue file, adding every problem (named ``display``) to ``problems``."""
    # A collection of its own: yamlio stops parsing when its collection already
    # has errors, and an earlier file's mistake must not hide this file's.
    mine = Problems()
    doc = read_document(path, display, mine)
    r = Reader(doc.path, mine)
    out: dict[str, tuple[FrameworkCode, ...]] = {}
    for framework, (_key, codes) in (r.mapping(doc.root, "the framework catalogue") or {}).items():
        entries = []
        for code, (key, node) in (r.mapping(codes, framework) or {}).items():
            title = r.text(node, f"{framework}.{code}")
            entries.append(FrameworkCode(code, title or Text(), *pos(key)))
        out[framework] = tuple(entries)
    problems.extend(mine)
    return out
