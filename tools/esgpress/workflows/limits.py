"""Limits a workbook must meet before anything reads it.

An ``.xlsx`` is a zip of XML files. openpyxl inflates whatever the zip holds,
so a 2 MB "zip bomb" renamed ``.xlsx`` took 2.2 GB of memory, and a
200,000-row sheet ran for minutes. The zip's central directory states every
member's size without inflating anything; this check reads only that (and
each sheet's ``<dimension>`` element, which states its used range).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from esgpress.core.errors import EsgError

#: The inflated size of all members together; the sample's export is about 1 MB.
MAX_UNPACKED_BYTES = 200_000_000
#: Members of the zip (sheets, styles, relations...).
MAX_MEMBERS = 2_000
#: Inflated ÷ packed size of one member beyond which it is a bomb, not a sheet.
MAX_RATIO = 200
#: Rows of one sheet: a data set has a few thousand figures.
MAX_ROWS = 50_000

DIMENSION = re.compile(rb"<(?:\w+:)?dimension\s+ref=\"[A-Z]+\d+(?::[A-Z]+(\d+))?\"")


def check_workbook_file(path: Path) -> None:
    """Raise :class:`EsgError` unless ``path`` is a workbook of sane size; inflate nothing big."""
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise EsgError(
            f"{path}: not an XLSX workbook (an .xlsx file is a zip archive; this one is not); "
            "save it from Excel or LibreOffice as .xlsx"
        ) from None
    with zf:
        members = zf.infolist()
        if len(members) > MAX_MEMBERS:
            raise EsgError(f"{path}: the workbook has {len(members):,} parts; refused")
        total = sum(m.file_size for m in members)
        if total > MAX_UNPACKED_BYTES:
            raise EsgError(
                f"{path}: the workbook unpacks to {total:,} bytes "
                f"(at most {MAX_UNPACKED_BYTES:,} are accepted); refused before reading"
            )
        for m in members:
            ratio = m.file_size // max(m.compress_size, 1)
            if m.file_size > 1_000_000 and ratio > MAX_RATIO:
                raise EsgError(
                    f"{path}: the part {m.filename} unpacks {ratio:,} times its packed size "
                    "(a zip bomb, not a sheet); refused before reading"
                )
            if m.filename.startswith("xl/worksheets/") and m.filename.endswith(".xml"):
                with zf.open(m) as f:
                    head = f.read(4096)
                found = DIMENSION.search(head)
                rows = int(found.group(1)) if found and found.group(1) else 0
                if rows > MAX_ROWS:
                    raise EsgError(
                        f"{path}: a sheet ({m.filename}) has {rows:,} rows "
                        f"(at most {MAX_ROWS:,} are accepted); split the workbook"
                    )
