"""Published-number tables in a workbook (XLSX): the visible sheets, as a person sees them.

A workbook is read sheet by sheet. Only *visible* sheets are read: a hidden
sheet is what the author chose not to show (an old draft, a lookup list), and
reading it in place of the visible one checks numbers nobody printed. A hidden
sheet whose first row holds the required columns is reported, by name, so the
reader can unhide it (the audit turns it into a ``hidden_sheet`` warning).

A cell keeps the number as it is displayed: a number formatted ``0.0%`` is
read as the text ``8.5%``, with the decimals of its format (the parser of
:mod:`.printed` then keeps them). Sheets and cells are read by :mod:`helpers.workbook`,
as the panel reader reads them; the policy for hidden sheets is this module's.
"""

from __future__ import annotations

from pathlib import Path

from helpers.errors import Problem
from helpers.workbook import shown_text, sheet_rows, sheet_states


def _folded_header(row: list[str]) -> list[str]:
    return [str(h).strip().lstrip("\ufeff").lower() for h in row]


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
    for state in sheet_states(book):
        if state.chart:
            continue
        rows = sheet_rows(book[state.title], shown_text, cells=True)
        header = rows[0] if rows else []
        names = set(_folded_header(header))
        if not state.visible:
            if all(r in names for r in required):
                hidden.append(state.title)
            continue
        records = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(str(c).strip() for c in r)]
        if first_visible is None:
            first_visible = (state.title, header, records)
        if any(r in names for r in required):
            tables.append((state.title, header, records))
    if not tables and first_visible is not None:
        tables = [first_visible]
        if not first_visible[1]:
            problems.append(Problem(file=str(path), sheet=first_visible[0], rule="the sheet is empty (no header row)"))
            tables = []
    if first_visible is None:
        problems.append(Problem(file=str(path), rule="the workbook has no visible sheet"))
    return tables, hidden
