"""Every spreadsheet we write goes through here, so none of them can carry a live formula.

A cell written from user data that begins with `=`, `+`, `-`, `@`, a tab or a carriage return
would be taken by Excel or LibreOffice as a formula (or, from CSV, as a DDE command). Such text is
stored as a string cell, so it shows exactly as typed and is never evaluated. Headers are bold and
frozen, columns get a width, so the sheet prints without cut headings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _text_cell(ws, value: str):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    return cell


def cell(ws, value):
    """One value as a cell that can never be a formula."""
    if value is None or isinstance(value, bool | int | float | dt.date | dt.datetime):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return _text_cell(ws, text)
    return text


def add_sheet(wb, title: str, header: Sequence[str], widths: Sequence[int] | None = None):
    """A write-only sheet with a bold, frozen header row and column widths (in characters)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title=str(title)[:31])
    ws.freeze_panes = "A2"
    for i, text in enumerate(header, start=1):
        width = widths[i - 1] if widths and i <= len(widths) else max(10, min(40, len(text) + 4))
        ws.column_dimensions[get_column_letter(i)].width = width
    bold = Font(bold=True)
    head = []
    for text in header:
        c = WriteOnlyCell(ws, value=str(text))
        c.data_type = "s"
        c.font = bold
        head.append(c)
    ws.append(head)
    return ws


def add_row(ws, values: Iterable) -> None:
    ws.append([cell(ws, v) for v in values])


def put_cell(ws, row: int, col: int, value, *, bold: bool = False, number: str | None = None):
    """One cell of a formatted (not write-only) sheet, for exports laid out for printing;
    text that looks like a formula stays text, like everything written here."""
    from decimal import Decimal

    from openpyxl.styles import Alignment, Font

    c = ws.cell(row=row, column=col)
    if isinstance(value, Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    c.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        c.data_type = "s"
    if bold:
        c.font = Font(bold=True)
    if number:
        c.number_format = number
    c.alignment = Alignment(wrap_text=isinstance(value, str), vertical="top")
    return c


def print_setup(ws, *, title_row: int) -> None:
    """A4 landscape, one page wide, grid lines, the heading row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = True
    ws.freeze_panes = f"A{title_row + 1}"
    ws.print_title_rows = f"{title_row}:{title_row}"
