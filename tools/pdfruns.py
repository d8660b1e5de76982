"""Text runs of a PDF page as drawn: text, size and position, read with pikepdf (qpdf, in C++).

``tools/printcheck.py`` needs every text run of every page with its size and
where it starts. pypdf's ``extract_text`` visitor gave them, but parses
content streams in pure Python: about half a second a page for the sample's
CJK pages, so a minute and a half of every test run went to reading three
PDFs. qpdf parses the same streams in a few milliseconds.

A *run* here is what one text object (``BT`` … ``ET``) draws from one text
position (``Tm`` or ``Td``): WeasyPrint opens a text object for each text box
it draws, switching fonts inside it only for fallback (CJK and Latin glyphs of
one line), so a run is one box's text, whatever its fonts. Strings are decoded
with each font's ``ToUnicode`` map (WeasyPrint writes Identity-H Type0 fonts
with one). Form XObjects are followed, with their matrix.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pikepdf

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)

_BFCHAR = re.compile(rb"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(rb"beginbfrange(.*?)endbfrange", re.S)
_HEX = re.compile(rb"<([0-9A-Fa-f]*)>")


@dataclass
class Run:
    """One text run as drawn: size in pt, position in PDF points (origin bottom left)."""

    size: float
    x: float
    y: float
    text: str


def multiply(m: Matrix, n: Matrix) -> Matrix:
    """Return ``m × n`` (PDF row-vector convention: apply ``m``, then ``n``)."""
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + b * c2,
        a * b2 + b * d2,
        c * a2 + d * c2,
        c * b2 + d * d2,
        e * a2 + f * c2 + e2,
        e * b2 + f * d2 + f2,
    )


def _utf16(hexdigits: bytes) -> str:
    return bytes.fromhex(hexdigits.decode()).decode("utf-16-be", errors="replace")


def to_unicode(font: Any) -> dict[int, str]:
    """Read a font's ``ToUnicode`` CMap: character code → text (bfchar and bfrange)."""
    if "/ToUnicode" not in font:
        return {}
    data = font.ToUnicode.read_bytes()
    out: dict[int, str] = {}
    for block in _BFCHAR.findall(data):
        codes = _HEX.findall(block)
        for src, dst in zip(codes[::2], codes[1::2], strict=False):
            out[int(src, 16)] = _utf16(dst)
    for block in _BFRANGE.findall(data):
        for line in block.splitlines():
            codes = _HEX.findall(line)
            if len(codes) < 3:
                continue
            low, high = int(codes[0], 16), int(codes[1], 16)
            if b"[" in line:  # one destination per code
                for offset, dst in enumerate(codes[2:]):
                    out[low + offset] = _utf16(dst)
            else:
                start = int(codes[2], 16)
                for offset in range(high - low + 1):
                    out[low + offset] = chr(start + offset)
    return out


class _Fonts:
    """Decoders of a resource dictionary's fonts, built once per font object."""

    def __init__(self) -> None:
        self._maps: dict[tuple[int, int], tuple[dict[int, str], int]] = {}

    def decoder(self, font: Any) -> tuple[dict[int, str], int]:
        key = font.objgen
        if key not in self._maps:
            two = str(font.get("/Subtype")) == "/Type0"
            self._maps[key] = (to_unicode(font), 2 if two else 1)
        return self._maps[key]


def _decode(raw: bytes, cmap: dict[int, str], width: int) -> str:
    codes = (
        [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw) - 1, 2)]
        if width == 2
        else list(raw)
    )
    return "".join(cmap.get(code, chr(code) if width == 1 else "") for code in codes)


def page_runs(page: pikepdf.Page) -> list[Run]:
    """Every text run of ``page``, in drawing order (reading order for WeasyPrint's PDFs)."""
    runs: list[Run] = []
    _walk(page.obj, page.Resources, IDENTITY, runs, _Fonts(), depth=0)
    return runs


def _walk(
    stream: Any, resources: Any, ctm: Matrix, runs: list[Run], fonts: _Fonts, depth: int
) -> None:
    stack: list[Matrix] = []
    tm = lm = IDENTITY
    size = 0.0
    cmap: dict[int, str] = {}
    width = 2
    current: Run | None = None
    font_dict = resources.get("/Font", {}) if resources is not None else {}
    xobjects = resources.get("/XObject", {}) if resources is not None else {}

    def start() -> Run:
        scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (ctm[0] ** 2 + ctm[1] ** 2) ** 0.5
        x = tm[4] * ctm[0] + tm[5] * ctm[2] + ctm[4]
        y = tm[4] * ctm[1] + tm[5] * ctm[3] + ctm[5]
        return Run(round(size * scale, 1), round(x, 1), round(y, 1), "")

    def flush() -> None:
        nonlocal current
        if current is not None and current.text.strip():
            runs.append(current)
        current = None

    for operands, operator in pikepdf.parse_content_stream(stream):
        op = str(operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q":
            ctm = stack.pop() if stack else ctm
        elif op == "cm":
            ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
        elif op == "BT":
            tm = lm = IDENTITY
        elif op == "ET":
            flush()
        elif op == "Tf":
            font = font_dict.get(str(operands[0]))
            size = float(operands[1])
            cmap, width = fonts.decoder(font) if font is not None else ({}, 2)
        elif op == "Tm":
            flush()
            tm = lm = tuple(float(v) for v in operands)  # type: ignore[assignment]
        elif op in ("Td", "TD"):
            flush()
            tx, ty = float(operands[0]), float(operands[1])
            lm = multiply((1.0, 0.0, 0.0, 1.0, tx, ty), lm)
            tm = lm
        elif op in ("Tj", "TJ", "'", '"'):
            if current is None:
                current = start()
            items = operands[-1] if op == "TJ" else [operands[-1]]
            for item in items:
                if isinstance(item, pikepdf.String):
                    current.text += _decode(bytes(item), cmap, width)
        elif op == "Do" and depth < 8:
            xobject = xobjects.get(str(operands[0]))
            if xobject is not None and str(xobject.get("/Subtype")) == "/Form":
                matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                inner = multiply(matrix, ctm)  # type: ignore[arg-type]
                _walk(xobject, xobject.get("/Resources", resources), inner, runs, fonts, depth + 1)
    flush()


def pdf_runs(pdf: Path) -> list[list[Run]]:
    """Return the runs of every page of ``pdf``."""
    with pikepdf.open(pdf) as doc:
        return [page_runs(page) for page in doc.pages]
