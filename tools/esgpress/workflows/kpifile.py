"""Rewriting data/kpis.yaml in place: read it, write it back as it was encoded, atomically.

The import and the new-year rollover both patch the file a person edits, so
both keep its byte-order mark and line ends, and replace it in one rename.
"""

from __future__ import annotations

from pathlib import Path


def read_preserving(path: Path) -> tuple[str, bool, bool]:
    """Read a UTF-8 file as text with LF line ends; also say whether it had a BOM and CRLFs."""
    raw = path.read_bytes().decode("utf-8")
    bom = raw.startswith("\ufeff")
    crlf = "\r\n" in raw
    return raw.removeprefix("\ufeff").replace("\r\n", "\n"), bom, crlf


def encode_preserving(text: str, bom: bool, crlf: bool) -> bytes:
    """Encode text as the file it came from was: with its BOM and CRLFs if it had them."""
    if crlf:
        text = text.replace("\n", "\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")
