"""Chapter source files: reading them, their front matter and their headings.

The lowest part of the render stage: what a chapter file *is*, before any
edition renders it. The renderer, the checks and the CLI read chapters through
here, so every reader applies the same encoding rules, size limit and
front-matter handling.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from esgpress.core.errors import EsgError, Problem, Problems
from esgpress.data.yamlio import read_text

FRONT_MATTER = re.compile(r"\A---\n(.*?\n)?---\n", re.S)

#: Largest chapter file accepted. A long real chapter is about 40 kB; a
#: megabyte-sized one is a paste gone wrong (an embedded image, a whole
#: document), and would only make every render slow.
MAX_CHAPTER_BYTES = 2_000_000
HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*\{#([A-Za-z0-9_.\-]+)\}\s*$", re.M)


def source_dir(edition: str) -> str:
    """Return the content folder a chapter of ``edition`` is written in."""
    return "en" if edition == "en" else "zh"


@dataclass
class Section:
    """A heading with a stable key, as found in a chapter source."""

    key: str
    title: str
    level: int
    chapter: str
    line: int


def read_chapter_file(path: Path, display: str) -> str:
    """Read a chapter file as the build does: UTF-8 (else a located error), size limit, LF.

    A BOM and Windows line ends are accepted; raises :class:`EsgError`
    (a missing file included) with the file, line and column.
    """
    problems = Problems()
    text = read_text(path, display, problems, MAX_CHAPTER_BYTES, "chapter files")
    if text is None:
        raise EsgError(problems)
    return text


@dataclass
class Chapter:
    """A chapter source file of one language."""

    key: str
    path: Path
    display: str
    text: str
    body: str
    front: str

    @classmethod
    def read(cls, root: Path, lang_dir: str, key: str) -> Chapter:
        """Read ``content/<lang_dir>/<key>.md``; front matter becomes blank lines.

        Raises :class:`FileNotFoundError` for a missing file (callers word
        that themselves) and :class:`EsgError` for a file that is not UTF-8
        (a Chinese chapter saved as GBK or Big5, with the line and column of
        the first bad byte) or over :data:`MAX_CHAPTER_BYTES`. A BOM and
        Windows line ends are accepted.
        """
        path = root / "content" / lang_dir / f"{key}.md"
        display = f"content/{lang_dir}/{key}.md"
        if not path.is_file():
            raise FileNotFoundError(path)
        folder = (root / "content" / lang_dir).resolve()
        if path.is_symlink() or not path.resolve().is_relative_to(folder):
            # A link would publish whatever it points at (/etc/passwd, a private note).
            raise EsgError(
                [
                    Problem(
                        display,
                        0,
                        0,
                        "the chapter is a symbolic link (or lies outside "
                        f"content/{lang_dir}/); keep the chapter file itself there",
                    )
                ]
            )
        text = read_chapter_file(path, display)
        match = FRONT_MATTER.match(text)
        front = match.group(1) or "" if match else ""
        body = text
        if match:
            body = "\n" * match.group(0).count("\n") + text[match.end() :]
        return cls(key, path, display, text, body, front)


def scan_sections(chapter: Chapter, text: str) -> list[Section]:
    """Headings with ``{#key}`` in a chapter source, for cross-references and the TOC."""
    out = []
    for m in HEADING.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        out.append(Section(m.group(3), m.group(2).strip(), len(m.group(1)), chapter.key, line))
    return out
