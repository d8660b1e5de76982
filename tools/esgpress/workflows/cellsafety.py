"""Spreadsheet cells that cannot run: formula injection, out and in.

A label, footnote or restatement reason that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return is read by Excel, LibreOffice and Google
Sheets as a formula when the file is opened (``=HYPERLINK(...)``, DDE
``=cmd|' /C calc'!A0``). Following the OWASP guidance on CSV injection,
every text the project writes into a spreadsheet goes through here:

* CSV: such a field is prefixed with ``'``, which spreadsheets show as a text
  marker and never evaluate (:func:`csv_text`);
* XLSX: such a cell is stored with the string type, so the file holds no
  formula at all (:func:`set_text_cells`).

On the way in, :func:`formula_cells` names every cell of a workbook that holds
a formula: the import refuses them (a figure must be typed, and a text must
not be a formula that goes on into data/kpis.yaml and out again).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: First characters a spreadsheet reads as the start of a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """Whether a text would be read as a formula by a spreadsheet."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def csv_text(value: Any) -> Any:
    """Return a CSV field that a spreadsheet reads as text (``'`` before a formula start)."""
    return "'" + value if is_formula_like(value) else value


def set_text_cells(cells: Iterable[Any]) -> None:
    """Store every formula-like string of ``cells`` (openpyxl cells) as plain text."""
    for cell in cells:
        if is_formula_like(cell.value):
            cell.data_type = "s"


def formula_cells(workbook: Path) -> list[tuple[str, int, int, str]]:
    """Return (sheet, column, row, formula) of every formula in an XLSX workbook."""
    from openpyxl import load_workbook

    wb = load_workbook(workbook, read_only=True, data_only=False)
    try:
        return [
            (ws.title, cell.column, cell.row, str(cell.value))
            for ws in wb.worksheets
            for row in ws.iter_rows()
            for cell in row
            if getattr(cell, "data_type", None) == "f"
        ]
    finally:
        wb.close()
