"""One guard against formula injection for every CSV and XLSX file the project writes.

A spreadsheet program reads a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as
a formula (OWASP, "CSV injection"). A label typed by a user can start so (``=HYPERLINK(...)``,
``-Yếu kém``), and it reaches panel.csv, cleaning_log.csv, published.csv, findings.csv, results.csv and the
export tables. Every such text cell is written with a leading ``'``, which spreadsheets show as text and do
not display. A text cell that already starts with ``'`` gets one more, so :func:`restore` gives back exactly
the text that was written. Numbers are never touched, and neither is a text that is only a number
(``-3``, ``-0,5``, ``-12.5%``): it cannot run as a formula, and a negative number stays a number.

CSV files are written in UTF-8 with a byte-order mark, so Excel opens the Vietnamese text correctly.

This module sits on the bottom floor: it imports nothing of the project but :mod:`helpers.paths`, and
pandas/pyarrow only inside the functions that need them.
"""

from __future__ import annotations

import re
from pathlib import Path

from helpers import paths

#: Characters that make a spreadsheet read a cell as a formula (OWASP) when they start it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The mark put before a guarded cell.
GUARD = "'"
#: A text that is only a number (sign, digits, one decimal separator, optional per cent): never a formula.
_NUMBER = r"[+-]?[0-9]+(?:[.,][0-9]+)*%?"
_NUMBER_RE = re.compile(_NUMBER)
#: What makes a text cell need the guard: a formula start, or the guard itself (kept reversible).
_NEEDS_GUARD = "^[=+\\-@\t\r']"
BOM = "\ufeff"


def neutralise(value):
    """``value`` guarded for a spreadsheet cell: a text starting with one of :data:`FORMULA_STARTS` (or with
    :data:`GUARD`) gets a leading :data:`GUARD`, unless it is only a number; anything else is returned as is."""
    if isinstance(value, str) and value[:1] in (*FORMULA_STARTS, GUARD) and not _NUMBER_RE.fullmatch(value):
        return GUARD + value
    return value


def restore(value):
    """The text :func:`neutralise` was given: one leading :data:`GUARD` removed."""
    if isinstance(value, str) and value.startswith(GUARD):
        return value[1:]
    return value


def _text_columns(frame) -> list:
    import pandas as pd

    return [c for c in frame.columns
            if pd.api.types.is_object_dtype(frame[c]) or pd.api.types.is_string_dtype(frame[c])
            or isinstance(frame[c].dtype, pd.CategoricalDtype)]


def neutralise_frame(frame):
    """A copy of a DataFrame with every text cell (and every column name) guarded by :func:`neutralise`."""
    import pandas as pd

    out = frame.copy()
    for column in _text_columns(out):
        series = out[column]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = [neutralise(c) for c in series.cat.categories]
            if categories != list(series.cat.categories):
                out[column] = series.cat.rename_categories(categories)
        else:
            out[column] = series.map(neutralise, na_action="ignore")
    out.columns = [neutralise(c) for c in out.columns]
    return out


def restore_frame(frame):
    """A DataFrame read back from a guarded CSV, with the guard removed from every text cell."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(restore, na_action="ignore")
    out.columns = [restore(c) for c in out.columns]
    return out


def neutralise_arrow(table):
    """A pyarrow Table with every string cell (dictionary-encoded too) and column name guarded, vectorised
    (a 1,000,000-row panel is guarded in its categories and string columns without a Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    def guard(array):
        if pa.types.is_dictionary(array.type):
            return pa.DictionaryArray.from_arrays(array.indices, guard(array.dictionary))
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            return array
        needs = pc.and_(pc.match_substring_regex(array, _NEEDS_GUARD),
                        pc.invert(pc.match_substring_regex(array, f"^{_NUMBER}$")))
        guarded = pc.binary_join_element_wise(pa.scalar(GUARD, array.type), array, pa.scalar("", array.type))
        return pc.if_else(needs, guarded, array)

    columns = [pa.chunked_array([guard(chunk) for chunk in column.chunks], type=None) if column.num_chunks
               else column for column in table.columns]
    return pa.Table.from_arrays(columns, names=[neutralise(n) for n in table.column_names])


def csv_bytes(frame, **options) -> bytes:
    """A DataFrame as guarded CSV bytes: UTF-8 with BOM, no index, ``\\r\\n`` line ends (RFC 4180: then a
    text holding a CR or LF is quoted, so it can never split a row); ``options`` go to
    :meth:`pandas.DataFrame.to_csv`."""
    options = {"index": False, "lineterminator": "\r\n", **options}
    return (BOM + neutralise_frame(frame).to_csv(**options)).encode("utf-8")


def write_csv(frame, path: str | Path, **options) -> Path:
    """Write a DataFrame to ``path`` as guarded CSV (:func:`csv_bytes`), atomically; returns ``path``."""
    path = Path(path)
    paths.write_atomic(path, csv_bytes(frame, **options))
    return path


def read_csv(path: str | Path, **options):
    """Read a CSV written by :func:`write_csv` (BOM or not) and remove the guards (:func:`restore_frame`)."""
    import pandas as pd

    return restore_frame(pd.read_csv(path, encoding="utf-8-sig", **options))
