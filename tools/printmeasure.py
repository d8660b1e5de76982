"""Measure the page flow and line quality of the print edition's PDFs (docs/print.md).

Reads a PDF as a reader sees it: ``pdftotext -bbox-layout`` (poppler) for the
lines and their boxes, and the tagged structure (pikepdf) for table rows. It
counts, per PDF:

* blank pages (no text outside the running head) and near-empty pages
  (1 to 5 lines of text), telling apart the last page of a chapter;
* table fragments with fewer than two body rows on a page, in tables that
  run over more than one page (a one-row table on one page is fine);
* Chinese body lines that end one character width or more short of the
  right edge of their column, last lines of paragraphs left out ("ragged");
* adjacent full-width punctuation pairs (」） 。」) set at two full widths
  ("uncompressed"): found by the advance widths of the line's characters;
* English lines ending in a hyphen, the longest run of such lines, and breaks
  with fewer than three letters before or after the hyphen.

Usage::

    python tools/printmeasure.py dist/*.pdf           # a table of counts
    python tools/printmeasure.py --json dist/x.pdf    # every finding, as JSON

The tests (tests/test_print_flow.py) import :func:`measure` so the numbers in
docs/print.md and the assertions come from the same code.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import asdict, dataclass, field
from pathlib import Path

#: Body text size of the print edition (print.css: html { font-size: 10pt }).
BODY_PT = 10.0
#: Lines above this y (pt from the top) are the running head.
HEAD_ZONE = 62.0
#: Line box height / font size: Noto Sans CJK (1.16 + 0.288), Noto Sans (1.069 + 0.293).
CJK_RATIO, LATIN_RATIO = 1.448, 1.362
CJK_CHAR = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")
#: Full-width punctuation that has a blank half (the pairs that should be compressed).
OPENING = "「『（《〈【〔“‘"
CLOSING = "」』）》〉】〕”’。，、；：！？"
PUNCT = OPENING + CLOSING
XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass
class Line:
    """One line of text as pdftotext reports it (points, origin top-left)."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    starts: list[float] = field(default_factory=list)  # x where each word starts

    @property
    def size(self) -> float:
        """The font size, from the height of the line box and the script of the line."""
        ratio = CJK_RATIO if CJK_CHAR.search(self.text) else LATIN_RATIO
        return (self.y1 - self.y0) / ratio

    def is_body(self) -> bool:
        """Body text: 10pt, below the running head."""
        return self.y0 > HEAD_ZONE and abs(self.size - BODY_PT) < 0.4


@dataclass
class Page:
    """A page: its index (0-based), its lines in reading order."""

    index: int
    lines: list[Line]
    width: float = 595.3
    height: float = 841.9

    def content(self) -> list[Line]:
        """Lines of the page outside the running head."""
        return [ln for ln in self.lines if ln.y0 > HEAD_ZONE]

    def starts_chapter(self) -> bool:
        """Whether a chapter title (24pt) is on the page."""
        return any(ln.size > 20 for ln in self.content())


@dataclass
class Counts:
    """The findings for one PDF (counts first, then where)."""

    file: str
    pages: int
    blank: list[int] = field(default_factory=list)
    near_empty: list[int] = field(default_factory=list)
    near_empty_chapter_end: list[int] = field(default_factory=list)
    short_fragments: list[str] = field(default_factory=list)
    body_lines: int = 0
    ragged: list[str] = field(default_factory=list)
    main_lines: int = 0  # non-final lines of the main column
    flush: int = 0  # of which end within 1pt of the right margin
    worst_ragged: float = 0.0
    pairs: int = 0
    uncompressed: list[str] = field(default_factory=list)
    hyphenated: int = 0  # hyphenation breaks (the text's own hyphens left out)
    hyphen_run: int = 0
    short_breaks: list[str] = field(default_factory=list)
    chapter_pages: list[int] = field(default_factory=list)

    def summary(self) -> dict[str, object]:
        """Return the numbers docs/print.md reports."""
        return {
            "pages": self.pages,
            "blank": len(self.blank),
            "near-empty": len(self.near_empty),
            "of which chapter ends": len(self.near_empty_chapter_end),
            "table fragments < 2 rows": len(self.short_fragments),
            "ragged": len(self.ragged),
            "ragged %": round(100 * len(self.ragged) / max(self.body_lines, 1), 1),
            "worst ragged (chars)": round(self.worst_ragged, 1),
            "flush %": round(100 * self.flush / max(self.main_lines, 1), 1),
            "punct pairs": self.pairs,
            "uncompressed": len(self.uncompressed),
            "hyphenated": self.hyphenated,
            "longest hyphen run": self.hyphen_run,
            "breaks < 3 chars": len(self.short_breaks),
        }


def read_pages(pdf: Path) -> list[Page]:
    """Lines of every page, from ``pdftotext -bbox-layout``."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout
    root = ET.fromstring(out)
    pages = []
    for index, page in enumerate(root.iter(f"{XHTML}page")):
        lines = []
        for line in page.iter(f"{XHTML}line"):
            boxes = list(line.iter(f"{XHTML}word"))
            words = [w.text or "" for w in boxes]
            x0, y0, x1, y1 = (float(line.get(k, "0")) for k in ("xMin", "yMin", "xMax", "yMax"))
            starts = [float(w.get("xMin", "0")) for w in boxes]
            lines.append(Line(x0, y0, x1, y1, " ".join(words), starts))
        lines.sort(key=lambda ln: (round(ln.y0), ln.x0))
        size = (float(page.get("width", "595.3")), float(page.get("height", "841.9")))
        pages.append(Page(index, lines, *size))
    return pages


# ---------------------------------------------------------------- pages


def _page_flow(pages: list[Page], counts: Counts) -> None:
    counts.chapter_pages = [p.index for p in pages if p.starts_chapter()]
    starts = set(counts.chapter_pages)
    for page in pages[1:]:  # the cover has no running head and few lines, by design
        lines = page.content()
        if not lines:
            counts.blank.append(page.index + 1)
        elif len(lines) <= 5:
            counts.near_empty.append(page.index + 1)
            if page.index + 1 in starts or page.index + 1 == len(pages):
                counts.near_empty_chapter_end.append(page.index + 1)


# ---------------------------------------------------------------- tables


def _tables(pdf: Path) -> list[tuple[int, int, int, int]]:
    """Every tagged table fragment: (page, body rows, head rows, head cells), in order."""
    import pikepdf

    found: list[tuple[int, int, int, int]] = []
    with pikepdf.open(pdf) as doc:
        numbers = {p.obj.objgen: i for i, p in enumerate(doc.pages)}
        tree = doc.Root.get("/StructTreeRoot")
        if tree is None:
            return found

        def kids(el: pikepdf.Object) -> list[pikepdf.Object]:
            k = el.get("/K") if isinstance(el, pikepdf.Dictionary) else None
            if isinstance(k, pikepdf.Array):
                return [c for c in k if isinstance(c, pikepdf.Dictionary)]
            return [k] if isinstance(k, pikepdf.Dictionary) else []

        def page_of(el: pikepdf.Object, inherited: int) -> int:
            pg = el.get("/Pg")
            return numbers.get(pg.objgen, inherited) if pg is not None else inherited

        def rows(el: pikepdf.Object, part: str, page: int, acc: dict[str, object]) -> None:
            for child in kids(el):
                tag = str(child.get("/S", ""))
                where = page_of(child, page)
                if tag == "/TR":
                    per_page = acc.setdefault(part, {})
                    assert isinstance(per_page, dict)
                    per_page[where] = per_page.get(where, 0) + 1
                    if part == "head":
                        cells = acc.setdefault("cells", {})
                        assert isinstance(cells, dict)
                        cells[where] = cells.get(where, 0) + len(kids(child))
                elif tag in ("/THead", "/TBody", "/TFoot"):
                    rows(child, "head" if tag == "/THead" else "body", where, acc)
                elif tag != "/Caption":
                    rows(child, part, where, acc)

        def walk(el: pikepdf.Object, page: int) -> None:
            for child in kids(el):
                where = page_of(child, page)
                if str(child.get("/S", "")) == "/Table":
                    acc: dict[str, object] = {}
                    rows(child, "body", where, acc)
                    body = acc.get("body", {})
                    head = acc.get("head", {})
                    cells = acc.get("cells", {})
                    assert isinstance(body, dict) and isinstance(head, dict)
                    assert isinstance(cells, dict)
                    for p in sorted(set(body) | set(head)):
                        found.append((p, body.get(p, 0), head.get(p, 0), cells.get(p, 0)))
                else:
                    walk(child, where)

        walk(tree, 0)
    return found


def _table_fragments(pdf: Path, pages: list[Page], counts: Counts) -> None:
    """Fragments with < 2 body rows of tables that continue over a page break.

    WeasyPrint tags each page's part of a table as a table of its own. Two
    parts are one table when one is the last table on its page, the other the
    first on the next page, and they have the same head (rows and cells).
    """
    frags = _tables(pdf)
    for i, (page, body, head, cells) in enumerate(frags):
        prev = frags[i - 1] if i else None
        nxt = frags[i + 1] if i + 1 < len(frags) else None
        joined_before = prev is not None and prev[0] == page - 1 and prev[2:] == (head, cells)
        joined_after = nxt is not None and nxt[0] == page + 1 and nxt[2:] == (head, cells)
        if (joined_before or joined_after) and body < 2:
            counts.short_fragments.append(f"p{page + 1}: {body} body row(s)")


# ---------------------------------------------------------------- lines


def _paragraph_lines(page: Page) -> list[tuple[Line, bool]]:
    """Body lines with whether each is followed by another line of its paragraph."""
    body = [ln for ln in page.content() if ln.is_body()]
    out = []
    for i, ln in enumerate(body):
        nxt = body[i + 1] if i + 1 < len(body) else None
        pitch = (nxt.y0 - ln.y0) if nxt else 0.0
        continued = (
            nxt is not None
            and 1.45 * BODY_PT < pitch < 1.95 * BODY_PT
            and abs(nxt.x0 - ln.x0) < 12  # a list item's first line starts further left
            and ln.x1 > nxt.x0
        )
        out.append((ln, continued))
    return out


def _advance(ch: str) -> float:
    """Advance width of a character in ems, for the uncompressed-pair count."""
    if CJK_CHAR.search(ch) or ch in PUNCT or ch in "　—…·":  # full-width in the CJK face
        return 1.0
    widths = _latin_widths()
    return widths.get(ch, 0.55)


_WIDTHS: dict[str, float] = {}


def _latin_widths() -> dict[str, float]:
    if not _WIDTHS:
        try:
            from fontTools.ttLib import TTFont

            with TTFont("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf") as font:
                upem = font["head"].unitsPerEm
                hmtx, cmap = font["hmtx"], font.getBestCmap()
                for code, glyph in cmap.items():
                    if code < 0x250:
                        _WIDTHS[chr(code)] = hmtx[glyph][0] / upem
        except Exception:
            _WIDTHS[" "] = 0.26
    return _WIDTHS


def _measure_width(pages: list[Page]) -> float:
    """Width of the text block: from the left edge of the body to the right running head.

    On a right-hand page the running head ends at the right margin; the body
    text starts at the left one. The widest such span of the document.
    """
    widths = []
    for page in pages:
        body = [ln for ln in page.content() if ln.is_body()]
        head = [ln for ln in page.lines if ln.y0 <= HEAD_ZONE]
        if body and head and re.fullmatch(r"\d+", head[-1].text.split()[-1]):
            widths.append(max(ln.x1 for ln in head) - min(ln.x0 for ln in body))
    if not widths:
        return 0.0
    rounded = [round(w) for w in widths]  # the usual one (a landscape page differs)
    usual = max(set(rounded), key=rounded.count)
    return max(w for w in widths if round(w) == usual)


def _chinese_lines(pages: list[Page], counts: Counts) -> None:
    """Ragged and flush lines, punctuation pairs.

    A line of the main column is measured against the text block's right
    edge (its left edge plus the measure); a line in a box or list against
    the longest line of its column on the page. "Flush": a non-final line of
    the main column that ends within 1pt of the margin.
    """
    width = _measure_width(pages)
    for page in pages:
        if page.width > page.height:
            continue  # a landscape page: its own measure
        lines = _paragraph_lines(page)
        columns: dict[int, float] = {}
        for ln, _ in lines:  # the right edge of each column: its longest line
            key = round(ln.x0 / 3)
            columns[key] = max(columns.get(key, 0.0), ln.x1)
        left = min((ln.x0 for ln, _ in lines), default=0.0)
        for ln, continued in lines:
            if not CJK_CHAR.search(ln.text):
                continue
            counts.body_lines += 1
            text = ln.text.replace(" ", "")
            for a, b in itertools.pairwise(text):
                if a in PUNCT and b in PUNCT and (a in CLOSING or b in OPENING):
                    counts.pairs += 1
            _pairs_set_full(ln, counts, page.index)
            if not continued:
                continue
            key = round(ln.x0 / 3)
            main = abs(ln.x0 - left) < 1
            right = left + width if main and width else columns[key]
            short = (right - ln.x1) / BODY_PT
            if main:
                counts.main_lines += 1
                counts.flush += short * BODY_PT < 1.0
            if short >= 1.0 - 0.05:
                counts.ragged.append(f"p{page.index + 1}: {short:.1f} {ln.text[-12:]}")
                counts.worst_ragged = max(counts.worst_ragged, short)


def _pairs_set_full(ln: Line, counts: Counts, index: int) -> None:
    """Pairs in the line that take two full widths (the line is as wide as its characters)."""
    text, x0 = ln.text, ln.x0
    words = text.split(" ")
    if len(words) > 1 and len(ln.starts) == len(words) and len(words[0]) == 1:
        text, x0 = text[2:], ln.starts[1]  # a list marker, set apart from the text
    pairs = [
        i
        for i, (a, b) in enumerate(itertools.pairwise(text))
        if a in PUNCT and b in PUNCT and (a in CLOSING or b in OPENING)
    ]
    if not pairs:
        return
    natural = sum(_advance(ch) for ch in text) * BODY_PT
    saved = max(0.0, natural - (ln.x1 - x0))
    compressed = round(saved / (BODY_PT / 2))
    for i in pairs[compressed:]:
        counts.uncompressed.append(f"p{index + 1}: {text[max(0, i - 4) : i + 4]}")


def _english_lines(pages: list[Page], counts: Counts, source: str = "") -> None:
    """Hyphenated line ends: a break the layout made, not a hyphen of the text.

    A line ending in ``sub-`` followed by ``sidiaries`` is a hyphenation; one
    ending in ``anti-`` followed by ``money`` is the text's own hyphen when
    ``anti-money`` is in ``source`` (the print HTML's text) or printed
    elsewhere in the document within a line. Runs count both, as a reader
    sees them.
    """
    words = {w for p in pages for ln in p.content() for w in ln.text.split()}
    words |= set(source.split())
    run = 0
    for page in pages:
        for ln, continued in _paragraph_lines(page):
            text = ln.text.rstrip()
            if not (continued and re.search(r"[A-Za-z]-$", text)):
                run = 0
                continue
            run += 1
            counts.hyphen_run = max(counts.hyphen_run, run)
            before = re.search(r"([A-Za-z]+)-$", text)
            nxt = _next_line(page, ln)
            after = re.match(r"[A-Za-z]+", nxt.text if nxt else "")
            b, a = (before.group(1) if before else ""), (after.group(0) if after else "")
            if any(f"{b}-{a}" in w for w in words):
                continue  # the text's own hyphen
            counts.hyphenated += 1
            if len(b) < 3 or len(a) < 3:
                counts.short_breaks.append(f"p{page.index + 1}: {b}-{a}")


def _next_line(page: Page, ln: Line) -> Line | None:
    body = [x for x in page.content() if x.is_body()]
    i = body.index(ln)
    return body[i + 1] if i + 1 < len(body) else None


# ---------------------------------------------------------------- entry


EDITION = re.compile(r"-(zh-Hant|zh-Hans|en)(?:-print)?$")


def edition_of(pdf: Path) -> str:
    """Return the edition a PDF's name ends with (``…-2024-en-print.pdf`` → ``en``)."""
    match = EDITION.search(pdf.stem)
    return match.group(1) if match else ""


def source_text(pdf: Path, root: Path | None = None) -> str:
    """Text of the edition's print HTML (build/print/<edition>/report.html), if there is one."""
    root = root or pdf.resolve().parent.parent
    html = root / "build" / "print" / edition_of(pdf) / "report.html"
    if not html.is_file():
        return ""
    return re.sub(r"<[^>]*>", " ", html.read_text(encoding="utf-8"))


def measure(pdf: Path, source: str | None = None) -> Counts:
    """Every count for one PDF (see the module docstring).

    ``source``: the print HTML's text, to tell the text's own hyphens from
    hyphenation (default: read from the project the PDF is in, if built).
    """
    pages = read_pages(pdf)
    counts = Counts(pdf.name, len(pages))
    _page_flow(pages, counts)
    _table_fragments(pdf, pages, counts)
    if edition_of(pdf) == "en":
        _english_lines(pages, counts, source_text(pdf) if source is None else source)
    else:
        _chinese_lines(pages, counts)
    return counts


def main(argv: list[str]) -> int:
    """Print a table of the counts (or, with ``--json``, every finding)."""
    as_json = "--json" in argv
    files = [Path(a) for a in argv if a != "--json"]
    root = Path.cwd() if (Path.cwd() / "build" / "print").is_dir() else None
    results = [measure(f, source_text(f, root)) for f in files]
    if as_json:
        print(json.dumps([asdict(r) | {"summary": r.summary()} for r in results], indent=1))
        return 0
    keys = list(results[0].summary()) if results else []
    print("| count | " + " | ".join(r.file for r in results) + " |")
    print("| --- |" + " --- |" * len(results))
    for key in keys:
        print(f"| {key} | " + " | ".join(str(r.summary()[key]) for r in results) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
