"""XLSX plumbing shared by the export, the collection workbook and the import.

Sheet titles a spreadsheet accepts, number formats, cell names as a
spreadsheet shows them, and byte-identical files: a zip with fixed entry
times and document dates, so the same data gives the same bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

#: Fixed timestamp written into XLSX files (zip entries and document properties).
EPOCH = (1980, 1, 1, 0, 0, 0)

SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, used: set[str]) -> str:
    """Make ``name`` a sheet title a spreadsheet accepts (31 characters), unique in ``used``."""
    title = SHEET_FORBIDDEN.sub(" ", name).strip()[:31] or "Sheet"
    base, n = title, 2
    while title in used:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(title)
    return title


def number_format(decimals: int) -> str:
    """Return the spreadsheet number format of a precision: ``#,##0`` or ``#,##0.00``."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


CORE_DATES = re.compile(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(</dcterms:)")


def fixed_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with fixed entry times and document dates, for byte-identical rebuilds."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(2), content)
            fixed = zipfile.ZipInfo(info.filename, date_time=EPOCH)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, content)
    return out.getvalue()


def cell_ref(sheet: str, column: int, row: int) -> str:
    """Name a cell as a spreadsheet does: ``Environment!D12``, ``'Supply chain'!D12``."""
    from openpyxl.utils import get_column_letter

    name = sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(column)}{row}"
