"""``esgpress mark-reviewed``: record that an English chapter was checked against its source.

The translation-freshness check (:mod:`esgpress.checks.lint`) compares the
``source_hash`` an English chapter records with the hash of its Chinese
source; this workflow writes that hash (and keeps a copy of the reviewed
source for ``esgpress diff-source``). It lives here, not with the checks,
because the check stage never writes.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from esgpress.checks.lint import front_value, source_hash
from esgpress.core.errors import EsgError
from esgpress.core.files import write_atomic
from esgpress.render.renderer import FRONT_MATTER, Chapter, read_chapter_file


def not_an_english_chapter(root: Path, path: Path) -> str | None:
    """Say why ``path`` cannot be marked reviewed (None when it can).

    Only English chapters are reviewed against a Chinese source; marking the
    Chinese file itself would write review metadata into the source.
    """
    english = (root / "content" / "en").resolve()
    resolved = path.resolve()
    if resolved.parent != english or resolved.suffix != ".md":
        return (
            f"{path}: mark-reviewed takes English chapters (content/en/<chapter>.md), "
            "which are reviewed against their Chinese source"
        )
    return None


def mark_reviewed(root: Path, en_path: Path) -> str:
    """Record the current Chinese source hash in an English chapter's front matter."""
    key = en_path.stem
    # Read as the checks read them (UTF-8 checked, BOM and CRLF normalised),
    # so the hash recorded here is the one _freshness compares.
    try:
        zh = Chapter.read(root, "zh", key).text
    except FileNotFoundError:
        missing = f"content/zh/{key}.md"
        raise EsgError(f"{en_path}: no Chinese source {missing} to review against") from None
    text = read_chapter_file(en_path, str(en_path))
    digest = source_hash(zh)
    match = FRONT_MATTER.match(text)
    if match:
        front = match.group(1) or ""
        if front_value(front, "source_hash") is not None:
            front = re.sub(r"^source_hash:.*$", f"source_hash: {digest}", front, flags=re.M)
        else:
            front += f"source_hash: {digest}\n"
        text = f"---\n{front}---\n" + text[match.end() :]
    else:
        text = f"---\nsource_hash: {digest}\n---\n" + text
    write_atomic(en_path, text)
    # Keep a copy of the reviewed source so diff-source can show what changed since.
    write_atomic(root / ".esgpress" / "reviewed" / f"{key}.{digest}.md", zh)
    return digest


def mark_chapters_reviewed(root: Path, files: tuple[str, ...]) -> Iterator[tuple[str, str]]:
    """Mark English chapters reviewed against their Chinese source; yield (file, source hash).

    Nothing is marked unless every file is an English chapter: raises
    :class:`EsgError` naming each one that is not, before the first yield.
    Each file is marked as it is yielded, so a caller reports them one by one.
    """
    wrong = [m for m in (not_an_english_chapter(root, Path(f)) for f in files) if m]
    if wrong:
        raise EsgError("\n".join(wrong))
    for f in files:
        yield f, mark_reviewed(root, Path(f))
