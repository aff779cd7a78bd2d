"""Read unit-level rating files (CSV or XLSX) into raw text tables, with every problem named.

This is the file-reading half of :mod:`helpers.cleaning.panel`: it finds the text
encoding, the header row (even under a title block), maps the columns by name
and returns, per sheet, a table of the raw cell texts with the row number a
person sees in a spreadsheet program. Nothing is interpreted here beyond the
encoding; :mod:`helpers.cleaning.panel` cleans and validates the values.

Encodings (CSV)
---------------
UTF-8 (with or without BOM), UTF-16 (BOM, or NUL bytes in every other place),
then for 8-bit files the best of Windows-1258, TCVN3 (ABC) and VNI, judged by the
share of valid Vietnamese syllables (:func:`helpers.cleaning.legacy.plausibility`). A file
none of them reads plausibly is refused ("undecodable encoding"). XLSX cells are
Unicode already, but a sheet typed with a TCVN3/VNI font is detected and
converted the same way; each converted cell is written to the cleaning log.
"""

from __future__ import annotations

import csv
import io
import mmap
import re
import unicodedata
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from helpers.cleaning import legacy
from helpers.errors import Problem
from helpers.cleaning.labels import normalise_text
from helpers.workbook import formula_workbook, sheet_rows, sheet_states, unsaved_formula

#: Columns of the cleaning log (one row per changed value).
LOG_COLUMNS = ["file", "sheet", "row", "column", "before", "after", "rule"]
HEADER_SEARCH_ROWS = 30
_SAMPLE_BYTES = 1 << 16
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


# --- encodings -------------------------------------------------------------------------------------------------

def decode_bytes(data: bytes, file: str, sample_only: bool = False) -> tuple[str | None, str, list[Problem]]:
    """Find the encoding of a text file; return (text or None when already UTF-8, encoding name, problems).

    The text is returned only when it had to be converted (UTF-16, 8-bit); a UTF-8
    file is left to pyarrow as bytes, which is faster. With ``sample_only`` only the
    first 64 KiB are checked for UTF-8 (the caller lets pyarrow check the rest).
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return None, "utf-8-sig", []
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError as exc:
            return None, "utf-16", [Problem(file=file, value=repr(data[exc.start:exc.start + 8]),
                                            rule=f"undecodable encoding: not valid UTF-16 at byte {exc.start}")]
    sample = data[:_SAMPLE_BYTES]
    if len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4 and sample[0::2].count(0) == 0:
        try:
            return data.decode("utf-16-le"), "utf-16-le", []
        except UnicodeDecodeError:
            pass
    if len(sample) >= 4 and sample[0::2].count(0) > len(sample) // 4 and sample[1::2].count(0) == 0:
        try:
            return data.decode("utf-16-be"), "utf-16-be", []
        except UnicodeDecodeError:
            pass
    try:
        if sample_only:
            # the rest is checked by pyarrow while reading (it refuses invalid UTF-8); a cut character at the
            # end of the sample is not an error
            try:
                sample.decode("utf-8")
            except UnicodeDecodeError as exc:
                if exc.start < len(sample) - 4 or len(sample) == len(data):
                    raise
        else:
            data.decode("utf-8")
        return None, "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if b"\x00" in sample:
        return None, "unknown", [Problem(file=file, value=repr(data[first_bad:first_bad + 8]),
                                         rule="undecodable encoding: binary data (NUL bytes); save the file as CSV UTF-8")]
    candidates = []
    latin = data.decode("latin-1")
    try:
        text = data.decode("cp1258")
        text = unicodedata.normalize("NFC", text)
        candidates.append((legacy.plausibility(text), "windows-1258", text))
    except UnicodeDecodeError:
        pass
    for name, convert in legacy.CONVERTERS.items():
        text = convert(latin)
        candidates.append((legacy.plausibility(text), name, text))
    candidates.sort(key=lambda c: -c[0])
    score, name, text = candidates[0]
    if score < 0.8 or (len(candidates) > 1 and candidates[1][0] == score and score < 1.0):
        return None, "unknown", [Problem(
            file=file, value=repr(data[first_bad:first_bad + 8]),
            rule=(f"undecodable encoding: not UTF-8 (bad byte at {first_bad}) and neither Windows-1258, TCVN3 nor "
                  f"VNI gives Vietnamese text (best: {name}, {score:.0%} valid words); save it as CSV UTF-8"))]
    return text, name, []


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


def _utf8_head(head: bytes, size: int) -> str | None:
    """'utf-8' / 'utf-8-sig' when :func:`decode_bytes` (``sample_only``) would find UTF-8 from the first bytes
    alone; None when it needs the whole file (UTF-16, NUL bytes, an 8-bit legacy encoding)."""
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None
    if len(head) >= 4 and ((head[1::2].count(0) > len(head) // 4 and head[0::2].count(0) == 0) or
                           (head[0::2].count(0) > len(head) // 4 and head[1::2].count(0) == 0)):
        return None
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4 or len(head) == size:
            return None
    return "utf-8"


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
             problems: list[Problem], pool: Executor | None = None) -> list[RawTable]:
    """Read one CSV file of a panel or of pilot assignments (see :class:`RawTable`).

    A large UTF-8 file is read by pyarrow straight from disk (never held whole in
    memory as bytes); anything else (a small file, UTF-16, a legacy 8-bit
    encoding, a file pyarrow refuses) goes through :func:`_read_csv_bytes`, which
    gives the same result. The fields of :data:`PLAIN_FIELDS` are read as plain strings
    (kept in :attr:`RawTable.plain`) and dictionary-encoded here. With a ``pool`` the
    lines are counted in it while pyarrow reads, then it encodes every other plain column.
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
    plain_names = {names[j] for name, j in positions.items() if name in PLAIN_FIELDS}
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


# --- XLSX ------------------------------------------------------------------------------------------------------

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


def read_table_file(path: Path, file: str, columns: dict[str, list[str]], required: set[str],
                    problems: list[Problem], sheets: list[str] | None = None,
                    year_from_sheet: bool = False, pool: Executor | None = None) -> list[RawTable]:
    """Read a CSV or XLSX file by its suffix; an unknown suffix is a problem (``pool``: see :func:`read_csv`)."""
    suffix = path.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        tables = read_csv(path, file, columns, required, problems, pool=pool)
        if year_from_sheet:
            for t in tables:
                t.sheet_year = sheet_year(path.stem)
        return tables
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, file, columns, required, problems, sheets, year_from_sheet)
    problems.append(Problem(file=file, value=suffix, rule="unsupported file type; use .csv or .xlsx"))
    return []
