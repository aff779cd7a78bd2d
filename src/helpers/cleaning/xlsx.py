"""Read the sheets of an XLSX workbook into raw text tables, with every problem named.

One :class:`helpers.cleaning.read.RawTable` per sheet: the header row is found as for a
CSV file (:mod:`helpers.cleaning.read`), merged cells are read from the sheet's XML,
hidden sheets are reported, a sheet typed with a TCVN3/VNI font is converted to
Unicode (each converted cell written to the cleaning log), and a formula cell whose
value was never saved is named instead of being called missing.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pyarrow as pa

from helpers.cleaning import legacy
from helpers.cleaning.read import RawTable, _find_header, _log_frame, _missing_column_problems, sheet_year
from helpers.errors import Problem
from helpers.workbook import formula_workbook, sheet_rows, sheet_states, unsaved_formula


def read_xlsx(path: Path, file: str, columns: dict[str, list[str]], required: set[str], problems: list[Problem],
              sheets: list[str] | None = None, year_from_sheet: bool = False) -> list[RawTable]:
    """Read the sheets of one workbook (all, or those named in ``sheets``); one :class:`RawTable` per sheet."""
    import zipfile

    import openpyxl

    try:
        # read-only: cells are streamed (about a third faster than building every cell object); the merged
        # ranges, which only the normal mode parses, are read from the sheet's XML (_merged_ranges)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        problems.append(Problem(file=file, rule=f"cannot open the workbook: {exc}"))
        return []
    try:
        return _read_sheets(book, path, file, columns, required, problems, sheets, year_from_sheet)
    finally:
        book.close()


_MERGE_RE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"')


def _merged_ranges(book, ws) -> list:
    """The merged cell ranges of a sheet of a workbook opened read-only."""
    from openpyxl.worksheet.cell_range import CellRange

    xml = book._archive.read(ws._worksheet_path)
    return [CellRange(ref.decode("ascii")) for ref in _MERGE_RE.findall(xml)]


def _read_sheets(book, path: Path, file: str, columns, required, problems: list[Problem], sheets,
                 year_from_sheet) -> list[RawTable]:
    names = book.sheetnames
    if sheets:
        for name in sheets:
            if name not in names:
                problems.append(Problem(file=file, sheet=name,
                                        rule=f"no such sheet; sheets in the workbook: {', '.join(names)}"))
        names = [n for n in names if n in sheets]
    out = []
    # A hidden sheet (an old copy, a lookup list) is not data the user sees: it is read only when named.
    invisible = {s.title for s in sheet_states(book) if not s.visible}
    hidden = [n for n in names if not sheets and n in invisible]
    names = [n for n in names if n not in hidden]
    formulas = []  # the workbook with its formulas, opened only when a needed cell is empty
    for name in names:
        ws = book[name]
        grid = sheet_rows(ws)
        merged_ranges = _merged_ranges(book, ws)
        while grid and not any(c.strip() for c in grid[-1]):
            grid.pop()
        if not grid:
            problems.append(Problem(file=file, sheet=name, rule="empty sheet: no header row and no data"))
            continue
        # a sheet typed with a legacy font: convert every text cell, header included
        distinct = {c for row in grid for c in row if c and not c.isascii()}
        detection = legacy.detect_legacy("\n".join(sorted(distinct)))
        encoding = "unicode"
        log_rows = []
        if detection.encoding:
            encoding = detection.encoding
            convert = legacy.CONVERTERS[encoding]
            cache = {c: convert(c) for c in distinct}
            grid_before = grid
            grid = [[cache.get(c, c) for c in row] for row in grid_before]
        sheet_required = set(required)
        year_here = sheet_year(name) if year_from_sheet else None
        if year_from_sheet:
            sheet_required.discard("year")
            if year_here is None:
                problems.append(Problem(file=file, sheet=name, value=name,
                                        rule="year_from_sheet is set but the sheet name holds no single year (e.g. '2016')"))
        header_at, best = _find_header(grid, columns, sheet_required)
        if header_at is None:
            # merged cells in the most header-like row explain a missing column: say so first
            row = best[0]
            merged = [str(r) for r in merged_ranges
                      if row is not None and r.min_row <= row + 1 <= r.max_row and r.max_row > 1]
            if merged:
                problems.append(Problem(
                    file=file, sheet=name, row=row + 1, value=", ".join(merged),
                    rule="merged header cells: unmerge them and give every column its own header in one row"))
            problems.extend(_missing_column_problems(file, name, grid, columns, sheet_required, best))
            continue
        positions = best
        merged = [str(r) for r in merged_ranges if r.min_row <= header_at + 1 <= r.max_row]
        if merged:
            problems.append(Problem(
                file=file, sheet=name, row=header_at + 1, value=", ".join(merged),
                rule="merged header cells: unmerge them and give every column its own header in one row"))
            continue
        body = grid[header_at + 1:]
        rows = np.arange(len(body), dtype=np.int64) + header_at + 2
        keep = np.array([any(c.strip() for c in r) for r in body], dtype=bool)
        if not keep.any():
            problems.append(Problem(file=file, sheet=name, row=header_at + 1,
                                    rule="empty sheet: a header row but no data rows"))
            continue
        width = max(positions.values()) + 1
        _unsaved_formulas(path, file, name, body, keep, rows, positions, grid[header_at], formulas, problems)
        body = [r + [""] * (width - len(r)) for r, k in zip(body, keep) if k]
        cols = {c: pa.array([r[j] for r in body], type=pa.large_string()).dictionary_encode()
                for c, j in positions.items()}
        kept_rows = rows[keep]
        headers = {c: grid[header_at][j] for c, j in positions.items()}
        table = RawTable(file=file, sheet=name, columns=cols, rows=kept_rows, headers=headers, encoding=encoding,
                         sheet_year=year_here)
        if detection.encoding:
            before = grid_before[header_at + 1:]
            before = [r + [""] * (width - len(r)) for r, k in zip(before, keep) if k]
            for c, j in positions.items():
                b = np.array([r[j] for r in before], dtype=object)
                a = np.array([r[j] for r in body], dtype=object)
                changed = b != a
                if changed.any():
                    log_rows.append(_log_frame(file, name, kept_rows[changed], headers[c],
                                               b[changed], a[changed], f"legacy_{encoding}"))
            table.log.extend(log_rows)
        out.append(table)
    if hidden:
        note = _log_frame(file, None, [1] * len(hidden), "", hidden, ["not read"] * len(hidden),
                          "hidden_sheet_skipped")
        note["sheet"] = hidden
        if out:
            out[0].log.append(note)
        else:  # no visible sheet gave a table: the data may well be in the hidden ones
            problems.append(Problem(file=file, value=", ".join(hidden), rule=(
                "hidden sheets, not read; name them under panel.sheets to read them")))
    return out


def _unsaved_formulas(path, file, sheet, body, keep, rows, positions, header, formulas, problems) -> None:
    """Say so when an empty needed cell is a formula whose value was never saved (a workbook written by a
    program that does not calculate), and leave that row out, so it is not also called "missing".

    ``formulas`` caches the workbook opened with its formulas (a one-item list), opened only when some
    needed cell of a kept row is empty."""
    empty = [(i, c, j) for i, (r, k) in enumerate(zip(body, keep)) if k
             for c, j in positions.items() if j >= len(r) or not r[j].strip()]
    if not empty:
        return
    if not formulas:
        formulas.append(formula_workbook(path))
    ws = formulas[0][sheet]
    for i, column, j in empty:
        formula = unsaved_formula(ws, int(rows[i]), j + 1)
        if formula is not None:
            problems.append(Problem(
                file=file, sheet=sheet, row=int(rows[i]), column=header[j] if j < len(header) else column,
                value=formula, rule="a formula cell with no saved value (the workbook was saved without "
                "calculating it); open the file in a spreadsheet program, save it, and run again"))
            keep[i] = False
