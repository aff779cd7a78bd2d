"""Published-number tables in a workbook (XLSX): the visible sheets, as a person sees them.

A workbook is read sheet by sheet. Only *visible* sheets are read: a hidden
sheet is what the author chose not to show (an old draft, a lookup list), and
reading it in place of the visible one checks numbers nobody printed. A hidden
sheet whose first row holds the required columns is reported, by name, so the
reader can unhide it (the audit turns it into a ``hidden_sheet`` warning).

A cell keeps the number as it is displayed: a number formatted ``0.0%`` is
read as the text ``8.5%``, with the decimals of its format (the parser of
:mod:`.printed` then keeps them).
"""

from __future__ import annotations

import re
from fractions import Fraction
from pathlib import Path

from helpers.errors import Problem


def _folded_header(row: list[str]) -> list[str]:
    return [str(h).strip().lstrip("\ufeff").lower() for h in row]


def _excel_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        fmt = cell.number_format or "General"
        decimals = None
        match = re.search(r"0\.(0+)", fmt)
        if match:
            decimals = len(match.group(1))
        elif re.search(r"(^|[^.])0%?$", fmt):
            decimals = 0
        if "%" in fmt:
            number = Fraction(repr(float(value))) * 100
            digits = decimals if decimals is not None else 2
            return _plain(number, digits) + "%"
        if isinstance(value, int) or float(value).is_integer() and decimals in (None, 0):
            return str(int(value))
        number = Fraction(repr(float(value)))
        return _plain(number, decimals) if decimals is not None else repr(float(value))
    return str(value)


def _plain(number: Fraction, decimals: int) -> str:
    scaled = round(number * 10**decimals)
    text = str(scaled).rjust(decimals + 1, "0")
    return text[:-decimals] + "." + text[-decimals:] if decimals else text


def xlsx_sheets(path: Path, problems: list[Problem], required: tuple[str, ...]) -> tuple[list, list[str]]:
    """The tables of a workbook's visible sheets, and the names of hidden sheets that hold a table.

    Returns
    -------
    (sheets, hidden)
        ``sheets``: ``(title, header, records)`` per visible sheet whose first row
        holds a required column — or the first visible sheet when none does (so
        its missing columns are reported); ``records`` are ``(row number, cells)``
        with the row numbers a spreadsheet shows. ``hidden``: titles of hidden
        sheets whose first row holds every required column.
    """
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises several types for a broken file
        problems.append(Problem(file=str(path), rule=f"not a readable XLSX workbook ({type(error).__name__}: {error})"))
        return [], []
    tables, hidden, first_visible = [], [], None
    for sheet in book.worksheets:
        rows = [[_excel_text(c) for c in row] for row in sheet.iter_rows()]
        header = rows[0] if rows else []
        names = set(_folded_header(header))
        if sheet.sheet_state != "visible":
            if all(r in names for r in required):
                hidden.append(sheet.title)
            continue
        records = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(str(c).strip() for c in r)]
        if first_visible is None:
            first_visible = (sheet.title, header, records)
        if any(r in names for r in required):
            tables.append((sheet.title, header, records))
    if not tables and first_visible is not None:
        tables = [first_visible]
        if not first_visible[1]:
            problems.append(Problem(file=str(path), sheet=first_visible[0], rule="the sheet is empty (no header row)"))
            tables = []
    if first_visible is None:
        problems.append(Problem(file=str(path), rule="the workbook has no visible sheet"))
    return tables, hidden
