"""Read unit-level rating files (CSV or XLSX) into raw text tables, with every problem named.

This is the file-reading half of :mod:`helpers.cleaning.panel`: it finds the text
encoding, the header row (even under a title block), maps the columns by name
and returns, per sheet, a table of the raw cell texts with the row number a
person sees in a spreadsheet program. Nothing is interpreted here beyond the
encoding; :mod:`helpers.cleaning.panel` cleans and validates the values.

This module holds what both formats share (the raw table, header detection, the cleaning
log rows), reads CSV files and dispatches by suffix (:func:`read_table_file`). The text
encoding of a CSV file is found by :mod:`helpers.cleaning.encoding`; workbooks are read by
:mod:`helpers.cleaning.xlsx` (XLSX cells are Unicode already, but a sheet typed with a
TCVN3/VNI font is detected and converted the same way; each converted cell is written to
the cleaning log).
"""

from __future__ import annotations

import csv
import io
import mmap
import re
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from helpers.cleaning.encoding import _SAMPLE_BYTES, _utf8_head, decode_bytes
from helpers.errors import Problem
from helpers.cleaning.labels import normalise_text

#: Columns of the cleaning log (one row per changed value).
LOG_COLUMNS = ["file", "sheet", "row", "column", "before", "after", "rule"]
HEADER_SEARCH_ROWS = 30
#: Every text column is read dictionary-encoded: each distinct text is then cleaned once, not once per row.
DICT = pa.dictionary(pa.int32(), pa.large_string())
#: Fields written out row by row as they were read (unless a cleaning step changes them): the fast CSV path
#: reads them as plain strings, keeps those in :attr:`RawTable.plain` (the output reuses pyarrow's buffers
#: instead of writing the texts out again) and dictionary-encodes them itself.
PLAIN_FIELDS = ("unit_id", "unit_name", "parent", "rating", "unit_type")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


@dataclass
class RawTable:
    """The raw texts of one sheet (or one CSV file), columns renamed to their canonical names.

    ``columns`` holds one pyarrow string array per mapped field ('' for an empty cell) and
    ``rows`` the row number a person sees. ``headers`` maps each canonical name to the
    header text in the file; ``sheet_year`` is the year read from the sheet name (or None).
    ``plain`` may hold, for some fields, the same texts as one large string per row (the
    buffers pyarrow read), so that an unchanged column is written out without a copy.
    """

    file: str
    sheet: str | None
    columns: dict[str, pa.Array]
    rows: np.ndarray
    headers: dict[str, str]
    encoding: str
    sheet_year: int | None = None
    log: list[pd.DataFrame] = field(default_factory=list)
    plain: dict[str, pa.Array | pa.ChunkedArray] = field(default_factory=dict)


def _norm_header(text) -> str:
    return normalise_text("" if text is None else str(text))


def _find_header(rows: list[list[str]], columns: dict[str, list[str]], required: set[str]):
    """Index of the first row holding every required header, and the canonical → position map."""
    wanted = {name: {_norm_header(a) for a in alts} for name, alts in columns.items()}
    best = (None, {}, -1)
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [_norm_header(c) for c in row]
        found = {}
        for name, alts in wanted.items():
            for j, cell in enumerate(cells):
                if cell in alts:
                    found[name] = j
                    break
        if required <= set(found):
            return i, found
        hits = len(set(found) & required)
        if hits > best[2]:
            best = (i, found, hits)
    return None, best


def _missing_column_problems(file, sheet, rows, columns, required, best) -> list[Problem]:
    i, found, _ = best
    seen = [str(c) for c in (rows[i] if i is not None and i < len(rows) else []) if str(c).strip()]
    problems = []
    for name in sorted(required - set(found)):
        problems.append(Problem(
            file=file, sheet=sheet, row=None if i is None else i + 1, column=name, value=" | ".join(columns[name]),
            rule=(f"required column '{name}' not found in the first {HEADER_SEARCH_ROWS} rows "
                  f"(headers seen: {', '.join(seen) or 'none'}); map it under panel.columns.{name}")))
    return problems


def sheet_year(name: str | None) -> int | None:
    """The year written in a sheet name ('SYNTHETIC 2016', 'Nam 2016') or None."""
    if not name:
        return None
    found = _YEAR_IN_NAME.findall(name)
    return int(found[0]) if len(found) == 1 else None


# --- CSV -------------------------------------------------------------------------------------------------------

def _sniff_delimiter(line: str) -> str:
    counts = {d: line.count(d) for d in (",", ";", "\t", "|")}
    return max(counts, key=counts.get) if max(counts.values()) > 0 else ","


def _read_arrow(body: bytes | Path, header_at: int, delimiter: str, names: list[str], positions: dict,
                plain: frozenset = frozenset()) -> pa.Table:
    """The mapped columns of a UTF-8 CSV body as strings ('' for empty), read by pyarrow.

    Every column is dictionary-encoded, except the headers in ``plain``: large strings.
    """
    return pacsv.read_csv(
        str(body) if isinstance(body, Path) else io.BytesIO(body),
        read_options=pacsv.ReadOptions(skip_rows=header_at, use_threads=True),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.large_string() if n in plain else DICT for n in names},
            strings_can_be_null=False,
            include_columns=[names[j] for j in positions.values()]),
    )


def _count_newlines(path: Path) -> tuple[int, bool]:
    """Number of ``\\n`` bytes in a file and whether it ends with one, without reading it into memory."""
    with open(path, "rb") as fh:
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            data = np.frombuffer(mm, dtype=np.uint8)
            step = 1 << 20
            count = sum(int(np.count_nonzero(data[i:i + step] == 10)) for i in range(0, len(data), step))
            ends = bool(len(data)) and data[-1] == 10
            del data
    return count, ends


def read_csv(path: Path, file: str, columns: dict[str, list[str]], required: set[str],
             problems: list[Problem], pool: Executor | None = None, plain: bool = True) -> list[RawTable]:
    """Read one CSV file of a panel or of pilot assignments (see :class:`RawTable`).

    A large UTF-8 file is read by pyarrow straight from disk (never held whole in
    memory as bytes); anything else (a small file, UTF-16, a legacy 8-bit
    encoding, a file pyarrow refuses) goes through :func:`_read_csv_bytes`, which
    gives the same result. The fields of :data:`PLAIN_FIELDS` are read as plain strings
    (kept in :attr:`RawTable.plain`) and dictionary-encoded here; with ``plain=False`` (nothing will be
    written out: a dry run) every column is read dictionary-encoded, the same dictionaries at a lower cost.
    With a ``pool`` the lines are counted in it while pyarrow reads, then it encodes every other plain column.
    """
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
    except OSError:
        return _read_csv_bytes(path, file, columns, required, problems)
    encoding = _utf8_head(head, size) if size > _SAMPLE_BYTES else None
    if encoding is None:
        return _read_csv_bytes(path, file, columns, required, problems)
    head_text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    lines = head_text.splitlines()
    if not lines or not any(line.strip() for line in lines):
        return _read_csv_bytes(path, file, columns, required, problems)
    delimiter = _sniff_delimiter(next((l for l in lines[:HEADER_SEARCH_ROWS] if l.count(",") or l.count(";")),
                                      lines[0]))
    rows = list(csv.reader(lines[:HEADER_SEARCH_ROWS], delimiter=delimiter))
    header_at, best = _find_header(rows, columns, required)
    if header_at is None:
        return _read_csv_bytes(path, file, columns, required, problems)
    names = rows[header_at]
    positions = best
    # a header mapped to plain fields only (a header shared with another field stays a dictionary)
    plain_names = {names[j] for name, j in positions.items() if name in PLAIN_FIELDS} if plain else set()
    plain_names -= {names[j] for name, j in positions.items() if name not in PLAIN_FIELDS}
    # the lines are counted in the helper thread while pyarrow reads (an unused count costs one pass)
    counted = pool.submit(_count_newlines, path) if pool is not None else None
    try:
        table = _read_arrow(path, header_at, delimiter, names, positions, frozenset(plain_names))
    except pa.ArrowInvalid:
        return _read_csv_bytes(path, file, columns, required, problems)
    if table.num_rows == 0:
        return _read_csv_bytes(path, file, columns, required, problems)
    plain = {name: table.column(names[j]) for name, j in positions.items() if names[j] in plain_names}
    # every other plain column is encoded in the helper thread (or here, when it has not started it)
    encoded = {name: pool.submit(_encode_plain, plain[name]) for name in list(plain)[1::2]} if pool else {}
    cols = {}
    for name, j in positions.items():
        if name not in plain:
            cols[name] = _one_dictionary(table.column(names[j]))
        elif name in encoded and not encoded[name].cancel():
            cols[name] = encoded[name].result()
        else:
            cols[name] = _encode_plain(plain[name])
    # counted here instead when the helper thread has not started yet
    newlines, ends = counted.result() if counted is not None and not counted.cancel() else _count_newlines(path)
    if newlines - (0 if ends else -1) == header_at + 1 + table.num_rows and not _maybe_blank_rows(cols):
        rows_seen = np.arange(table.num_rows, dtype=np.int64) + header_at + 2    # one line per row
    else:
        rows_seen, keep = _csv_records(path.read_bytes(), header_at, delimiter, table.num_rows)
        cols, plain, rows_seen = _kept_rows(keep, cols, plain, rows_seen)
        if not len(rows_seen):
            problems.append(_empty_table(file, header_at))
            return []
    return [RawTable(file=file, sheet=None, columns=cols, rows=rows_seen,
                     headers={name: names[j] for name, j in positions.items()}, encoding=encoding, plain=plain)]


def _maybe_blank_rows(cols: dict[str, pa.DictionaryArray]) -> bool:
    """Whether a row may have every cell empty: decided on the distinct values of a column (the unit ids
    first: an empty or blank id is rare), so a file without one costs nothing per row. One column that is
    never blank is enough to say no."""
    order = sorted(cols, key=lambda name: name != "unit_id")
    return all(bool(pc.any(pc.equal(pc.utf8_trim_whitespace(cols[name].dictionary), "")).as_py())
               for name in order) if order else True


def _one_dictionary(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """One dictionary array from the chunks pyarrow read (one dictionary for every chunk)."""
    if column.num_chunks == 1:
        return column.chunk(0)
    return column.unify_dictionaries().combine_chunks()


def _encode_plain(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """One dictionary array (values in order of first appearance, like the merged dictionaries of a
    dictionary read) from the chunks of a large-string column."""
    enc = pc.dictionary_encode(column)
    if isinstance(enc, pa.Array):
        return enc
    if enc.num_chunks == 1:
        return enc.chunk(0)
    last = enc.chunk(enc.num_chunks - 1).dictionary
    # the chunks share one dictionary (the kernel's table of every value seen): only the indices are joined
    if all(len(c.dictionary) == len(last) for c in enc.chunks):
        return pa.DictionaryArray.from_arrays(pa.concat_arrays([c.indices for c in enc.chunks]), last)
    return enc.unify_dictionaries().combine_chunks()


def _read_csv_bytes(path: Path, file: str, columns: dict[str, list[str]], required: set[str],
                    problems: list[Problem]) -> list[RawTable]:
    """:func:`read_csv` for any file: read whole, encoding decided, converted when needed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(file=file, rule=f"cannot read the file: {exc.strerror}"))
        return []
    text, encoding, found = decode_bytes(data, file, sample_only=True)
    if found:
        problems.extend(found)
        return []
    if text is not None:
        body = text.encode("utf-8")
        head_text = text[:_SAMPLE_BYTES]
    else:
        body = data
        head_text = data[:_SAMPLE_BYTES].decode("utf-8", errors="ignore").lstrip("\ufeff")
    lines = head_text.splitlines()
    if not lines or not any(line.strip() for line in lines):
        problems.append(Problem(file=file, rule="empty file: no header row and no data"))
        return []
    delimiter = _sniff_delimiter(next((l for l in lines[:HEADER_SEARCH_ROWS] if l.count(",") or l.count(";")),
                                      lines[0]))
    rows = list(csv.reader(lines[:HEADER_SEARCH_ROWS], delimiter=delimiter))
    header_at, best = _find_header(rows, columns, required)
    if header_at is None:
        problems.extend(_missing_column_problems(file, None, rows, columns, required, best))
        return []
    names = rows[header_at]
    positions = best
    try:
        table = _read_arrow(body, header_at, delimiter, names, positions)
    except pa.ArrowInvalid as exc:
        if text is not None or "UTF8" not in str(exc).upper().replace("-", ""):
            problems.append(Problem(file=file, row=header_at + 1,
                                    rule=f"cannot parse the CSV file: {str(exc).splitlines()[0]}"))
            return []
        # not UTF-8 after the first 64 KiB: decide the encoding on the whole file
        text, encoding, found = decode_bytes(data, file)
        if found:
            problems.extend(found)
            return []
        body = text.encode("utf-8") if text is not None else data
        try:
            table = _read_arrow(body, header_at, delimiter, names, positions)
        except pa.ArrowInvalid as exc2:
            problems.append(Problem(file=file, row=header_at + 1,
                                    rule=f"cannot parse the CSV file: {str(exc2).splitlines()[0]}"))
            return []
    if table.num_rows == 0:
        problems.append(_empty_table(file, header_at))
        return []
    cols = {name: _one_dictionary(table.column(names[j])) for name, j in positions.items()}
    rows_seen, keep = _csv_records(body, header_at, delimiter, table.num_rows)
    cols, _, rows_seen = _kept_rows(keep, cols, {}, rows_seen)
    if not len(rows_seen):
        problems.append(_empty_table(file, header_at))
        return []
    out = RawTable(file=file, sheet=None, columns=cols, rows=rows_seen,
                   headers={name: names[j] for name, j in positions.items()}, encoding=encoding)
    if encoding in ("tcvn3", "vni"):
        # log every value the conversion changed: compare with the same file read as Latin-1
        raw = read_csv_as_latin1(data, header_at, delimiter, list(positions.values()))
        for name, j in positions.items():
            before = raw[j] if keep is None else raw[j][keep]
            after = cols[name].cast(pa.large_string()).to_numpy(zero_copy_only=False)
            changed = before != after
            if changed.any():
                out.log.append(_log_frame(file, None, rows_seen[changed], names[j],
                                          before[changed], after[changed], f"legacy_{encoding}"))
    return [out]


def read_csv_as_latin1(data: bytes, header_at: int, delimiter: str, positions: list[int]) -> dict[int, np.ndarray]:
    """The same CSV read as Latin-1 text (what a reader without the legacy font sees), for the cleaning log.

    The legacy conversions change no ASCII character, so delimiters, quotes and line
    breaks are where they were: columns are taken by position.
    """
    table = pacsv.read_csv(
        io.BytesIO(data.decode("latin-1").encode("utf-8")),
        read_options=pacsv.ReadOptions(skip_rows=header_at),
        parse_options=pacsv.ParseOptions(delimiter=delimiter),
        convert_options=pacsv.ConvertOptions(strings_can_be_null=False),
    )
    return {j: np.asarray(table.column(j).cast(pa.large_string()).to_pylist(), dtype=object) for j in positions}


def _csv_records(body: bytes, header_at: int, delimiter: str, n: int) -> tuple[np.ndarray, np.ndarray | None]:
    """The line number of each of the ``n`` data rows pyarrow read, and which rows to keep.

    pyarrow skips empty lines, and a quoted value may span lines, so the rows are
    numbered from the records of Python's csv module (the line each record starts
    on). A row whose every cell is empty or spaces (",,,," lines, which spreadsheet
    programs write after the data) is not kept, as in a workbook. When the csv
    module finds another number of rows than pyarrow, the rows keep their plain
    numbering and all are kept (``None``).
    """
    reader = csv.reader(io.StringIO(body.decode("utf-8", errors="replace"), newline=""), delimiter=delimiter)
    lines, blank = [], []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if start > header_at + 1 and record:          # below the header; an empty line is no row
                lines.append(start)
                blank.append(not any(cell.strip() for cell in record))
    except csv.Error:
        lines = []
    if len(lines) != n:
        return np.arange(n, dtype=np.int64) + header_at + 2, None
    return np.asarray(lines, dtype=np.int64), ~np.asarray(blank, dtype=bool)


def _empty_table(file: str, header_at: int) -> Problem:
    return Problem(file=file, row=header_at + 1, rule="empty table: a header row but no data rows")


def _kept_rows(keep: np.ndarray | None, cols: dict, plain: dict, rows: np.ndarray) -> tuple[dict, dict, np.ndarray]:
    """The columns, plain columns and row numbers of the rows ``keep`` marks (all of them when it is None)."""
    if keep is None or keep.all():
        return cols, plain, rows
    mask = pa.array(keep)
    return ({name: col.filter(mask) for name, col in cols.items()},
            {name: col.filter(mask) for name, col in plain.items()}, rows[keep])


def _log_frame(file, sheet, rows, column, before, after, rule) -> pd.DataFrame:
    n = len(rows)
    return pd.DataFrame({"file": [file] * n, "sheet": [sheet] * n, "row": np.asarray(rows, dtype=np.int64),
                         "column": [column] * n, "before": list(before), "after": list(after), "rule": [rule] * n},
                        columns=LOG_COLUMNS)


def read_table_file(path: Path, file: str, columns: dict[str, list[str]], required: set[str],
                    problems: list[Problem], sheets: list[str] | None = None,
                    year_from_sheet: bool = False, pool: Executor | None = None, plain: bool = True) -> list[RawTable]:
    """Read a CSV or XLSX file by its suffix; an unknown suffix is a problem (``pool``, ``plain``: see
    :func:`read_csv`)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        tables = read_csv(path, file, columns, required, problems, pool=pool, plain=plain)
        if year_from_sheet:
            for t in tables:
                t.sheet_year = sheet_year(path.stem)
        return tables
    if suffix in (".xlsx", ".xlsm"):
        from helpers.cleaning.xlsx import read_xlsx  # here, not at the top: xlsx imports this module

        return read_xlsx(path, file, columns, required, problems, sheets, year_from_sheet)
    problems.append(Problem(file=file, value=suffix, rule="unsupported file type; use .csv or .xlsx"))
    return []
