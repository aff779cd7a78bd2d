"""One way to read a workbook (XLSX): its sheets with their visibility, its cells as texts, its unsaved formulas.

Two callers read workbooks: the panel reader (:mod:`helpers.cleaning.xlsx`) and check-published
(:mod:`helpers.published.workbook`). Each keeps its own policy — what to do with a hidden sheet, which
sheets hold a table — and reads the workbook through this module, so a sheet is *hidden* and a cell is
*read* the same way in both.

Cells are read as texts in one of two ways:

- :func:`value_text`, the stored value (``2016.0`` stays ``'2016.0'``, so the cleaning step sees, and
  logs, a number stored with decimals);
- :func:`shown_text`, the number as the sheet displays it (a cell formatted ``0.0%`` holding 0.085
  is ``'8.5%'``), for numbers a person read off the sheet.

This module sits on the bottom floor: it imports nothing of the project, and openpyxl only inside the
functions that need it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable


@dataclass(frozen=True)
class SheetState:
    """A sheet of a workbook: its title, whether a person sees it (``hidden`` and ``veryHidden`` are not)
    and whether it is a chart sheet (a chart, no cells)."""

    title: str
    visible: bool
    chart: bool = False


def sheet_states(book) -> list[SheetState]:
    """Every sheet of an open workbook (chart sheets too), in workbook order, with its visibility."""
    from openpyxl.chartsheet import Chartsheet

    return [SheetState(name, book[name].sheet_state == "visible", isinstance(book[name], Chartsheet))
            for name in book.sheetnames]


def value_text(value) -> str:
    """A cell's stored value as text: '' for an empty cell, 'true'/'false', a whole float kept as '2016.0'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return repr(value)            # '2016.0': cleaned (and logged) as a number stored as text
    return str(value)


def shown_text(cell) -> str:
    """A cell as the sheet shows it: a number with the decimals of its format (``0.0%`` → '8.5%')."""
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
            return _fixed(number, digits) + "%"
        if isinstance(value, int) or float(value).is_integer() and decimals in (None, 0):
            return str(int(value))
        number = Fraction(repr(float(value)))
        return _fixed(number, decimals) if decimals is not None else repr(float(value))
    return str(value)


def _fixed(number: Fraction, decimals: int) -> str:
    scaled = round(number * 10**decimals)
    text = str(scaled).rjust(decimals + 1, "0")
    return text[:-decimals] + "." + text[-decimals:] if decimals else text


def sheet_rows(ws, text: Callable = value_text, cells: bool = False, max_row: int | None = None) -> list[list[str]]:
    """Every row of a sheet as texts (up to ``max_row``).

    ``text`` turns a cell value (or, with ``cells``, a cell object: :func:`shown_text`) into text. A sheet
    of a workbook opened read-only is read to its real end, never to the size its writer declared.
    """
    if max_row is None and hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    return [[text(c) for c in row] for row in ws.iter_rows(max_row=max_row, values_only=not cells)]


def formula_workbook(path):
    """The workbook with its formulas (not their saved values), to ask :func:`unsaved_formula` about cells."""
    import openpyxl

    return openpyxl.load_workbook(path, data_only=False)


def unsaved_formula(ws, row: int, column: int) -> str | None:
    """The formula of a cell (1-based ``row`` and ``column`` of a :func:`formula_workbook` sheet), or None.

    Asked about a cell whose saved value is empty, a formula means the workbook was saved by a program
    that did not calculate it.
    """
    cell = ws.cell(row=row, column=column)
    if cell.data_type != "f":
        return None
    return str(getattr(cell.value, "text", cell.value))  # an array formula keeps its text in .text
