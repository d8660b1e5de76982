"""The print edition's fonts: where the URL fetcher may read installed font files.

The print CSS sets Latin text in Noto Sans (Debian ``fonts-noto-core``) beside
the Noto Sans CJK face, through ``@font-face { src: local(...) }`` rules with a
``unicode-range`` (so CJK-context punctuation keeps the full-width CJK
glyphs). WeasyPrint resolves ``local()`` with fontconfig and then fetches the
font file through the project's URL fetcher, which reads project files only:
the installed font folders are added to what it may read, and nothing else
outside the project.
"""

from __future__ import annotations

from pathlib import Path

#: Debian's font folders (fontconfig's system font directories).
SYSTEM_FONT_FOLDERS: tuple[Path, ...] = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))

#: What a font file may be called (the fetcher serves nothing else from these folders).
FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


def is_system_font(path: Path) -> bool:
    """Tell whether ``path`` (resolved) is an installed font file the print edition may read."""
    return path.suffix.lower() in FONT_SUFFIXES and any(
        path.is_relative_to(folder.resolve()) for folder in SYSTEM_FONT_FOLDERS
    )
