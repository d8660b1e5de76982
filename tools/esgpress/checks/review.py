"""What changed in the Chinese source since an English chapter was reviewed.

``esgpress mark-reviewed`` keeps a copy of the Chinese source under
``.esgpress/reviewed/`` named by its hash and records the hash in the English
chapter's front matter (:mod:`esgpress.workflows.review`); this module compares
that copy with the source as it is now, for ``esgpress diff-source``.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from esgpress.checks.lint import front_value
from esgpress.core.errors import EsgError
from esgpress.render.chapters import Chapter, read_chapter_file


def source_diff(root: Path, file: str) -> str:
    """Return a unified diff of ``content/zh/<key>.md`` since ``file`` was reviewed ("" if none).

    Raises :class:`EsgError` when the English chapter was never reviewed or
    the reviewed copy is missing.
    """
    key = Path(file).stem
    if not (root / "content" / "en" / f"{key}.md").is_file():
        raise EsgError(
            f"{file}: not an English chapter of this project "
            f"(no content/en/{key}.md); give a file of content/en/"
        )
    en = Chapter.read(root, "en", key)
    digest = front_value(en.front, "source_hash")
    if digest is None:
        raise EsgError(f"{file}: never reviewed; run `esgpress mark-reviewed {file}` first")
    stored = root / ".esgpress" / "reviewed" / f"{key}.{digest}.md"
    if not stored.is_file():
        raise EsgError(
            f"{file}: the reviewed copy {stored.relative_to(root)} is missing; "
            "review the chapter again"
        )
    old = stored.read_text(encoding="utf-8").splitlines(keepends=True)
    source = root / "content" / "zh" / f"{key}.md"
    if not source.is_file():
        raise EsgError(f"{file}: its Chinese source content/zh/{key}.md is missing")
    # As the build reads it: a source saved as GBK or Big5 is a located message.
    new = read_chapter_file(source, f"content/zh/{key}.md").splitlines(keepends=True)
    diff = difflib.unified_diff(
        old, new, f"content/zh/{key}.md (reviewed)", f"content/zh/{key}.md (now)"
    )
    return "".join(diff)
