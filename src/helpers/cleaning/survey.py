"""Survey a folder of raw rating files: tables, header rows, sheets, and what each column holds.

Used by ``python -m helpers new-study`` (:mod:`helpers.study.draft`) to propose a study file from the
files alone. Every file of the folder is read with the same reader as the cleaning
(:func:`helpers.cleaning.read.read_table_file`); columns are then judged by their **content**, the
header text only breaking ties:

========== ===================================================================================
rating     the largest share of rows whose text is a known label (:func:`match_label`, or
           :func:`match_legacy_label` for a cell typed with a legacy font), at least half
year       whole numbers between 1990 and 2040, few distinct values; else the year in the
           sheet name (or the CSV file name)
unit_id    filled, unique within a year, shaped like a code (no spaces, a digit); a column of
           row numbers (1, 2, 3, …) is never an id. Two columns with equal evidence are refused.
unit_name  text of several words with many distinct values
unit_type  a few distinct values naming kinds of organisation ("Chi bộ cơ sở", "Đảng viên")
parent     text of several words with fewer distinct values than units ("Đảng bộ huyện …")
score      numbers from 0 to 100 (decimal comma accepted), not years
pilot      (a column of the panel) pilot flags only: x, có, 1, … and empty cells
========== ===================================================================================

A table without a rating column whose column holds ids of the panel is the pilot file; its year
columns are the start and end (the earlier one is the start), a column of a few texts the programme.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from helpers import paths
from helpers import scales as _scales
from helpers.cleaning.labels import closest_labels, match_label, match_legacy_label, normalise_text
from helpers.cleaning.legacy import CONVERTERS, detect_legacy
from helpers.cleaning.pilots import _FALSE as _FLAG_FALSE
from helpers.cleaning.pilots import _TRUE as _FLAG_TRUE
from helpers.cleaning import clean as _clean
from helpers.cleaning import identity as _identity
from helpers.cleaning.encoding import _SAMPLE_BYTES, decode_bytes
from helpers.cleaning.read import HEADER_SEARCH_ROWS, RawTable, _sniff_delimiter, read_table_file, sheet_year
from helpers.errors import InputError, Problem
from helpers.workbook import sheet_rows

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
#: More distinct unknown texts than this in the rating column: probably the wrong column.
MAX_UNKNOWN_LABELS = 50
#: A column with more distinct texts than this is sampled (its most frequent texts) to judge labels.
_LABEL_SAMPLE = 400
_YEAR_RE = re.compile(r"^\s*((?:19|20)\d\d)(?:\.0+)?\s*$")
_NUMBER_RE = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")
_ID_HINTS = ("mã", "ma ", "id", "code", "số hiệu", "so hieu", "ký hiệu")
_TYPE_WORDS = ("cơ sở", "co so", "đảng viên", "dang vien", "trực thuộc", "truc thuoc", "bộ phận", "loại hình")
_START_HINTS = ("bắt đầu", "bat dau", "từ năm", "start")
_END_HINTS = ("kết thúc", "ket thuc", "đến năm", "end")


@dataclass(frozen=True)
class Column:
    """What one column of one table holds (shares are of the table's rows)."""

    header: str
    position: int
    filled: float
    year_share: float
    number_share: float
    label_share: float
    code_share: float
    words: float
    distinct: int
    row_numbers: bool
    in_range_0_100: bool
    has_fraction: bool
    flag_only: bool
    unique_in_year: float = 0.0


@dataclass
class Table:
    """One sheet (or CSV file) of the folder: its header row, columns and the roles proposed for them."""

    file: str                 # path relative to data/raw/
    sheet: str | None
    header_row: int           # 1-based, as a spreadsheet program shows it
    n_rows: int
    sheet_year: int | None
    columns: dict[str, Column]
    data: dict[str, pa.DictionaryArray] = field(repr=False, default_factory=dict)
    raw: RawTable | None = field(repr=False, default=None)
    roles: dict[str, str] = field(default_factory=dict)     # role -> header
    years: np.ndarray | None = field(repr=False, default=None)

    @property
    def where(self) -> str:
        return self.file + (f", sheet '{self.sheet}'" if self.sheet else "")


@dataclass(frozen=True)
class LabelRow:
    """One distinct rating text: rows, and per year the level it maps to (None = unknown)."""

    text: str
    rows: int
    levels: dict            # year -> code or None
    rule: str               # 'exact', a LabelMatch rule, 'legacy_tcvn3_cell', … or 'unknown'
    closest: tuple = ()     # (similarity, label) pairs for an unknown label
    proposal: str | None = None     # a level code proposed for an unknown label (very close to one label)


@dataclass
class Survey:
    """Everything :func:`survey_folder` found."""

    folder: Path
    tables: list[Table]
    panel: list[Table]
    skipped: list[str]
    level: str
    years: list[int]
    labels: list[LabelRow]
    pilot_table: Table | None = None
    pilot_roles: dict = field(default_factory=dict)
    pilot_years: tuple[int | None, int | None] = (None, None)
    #: (old id, new id) of units whose id changes (same name and parent, consecutive years)
    id_changes: list = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


# --- reading ----------------------------------------------------------------------------------------------------

def _sample_rows(path: Path, file: str) -> dict[str | None, list[list[str]]]:
    """The first rows of each sheet (or of the CSV file) as texts, legacy fonts converted."""
    out: dict[str | None, list[list[str]]] = {}
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for name in book.sheetnames:
                out[name] = sheet_rows(book[name], max_row=HEADER_SEARCH_ROWS)
        finally:
            book.close()
    else:
        with open(path, "rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
        text, _, problems = decode_bytes(head, file, sample_only=True)
        if problems:
            return {}
        text = head.decode("utf-8", errors="ignore") if text is None else text
        lines = text.lstrip("\ufeff").splitlines()[:HEADER_SEARCH_ROWS]
        if not lines:
            return {}
        delimiter = _sniff_delimiter(next((l for l in lines if l.count(",") or l.count(";")), lines[0]))
        out[None] = list(csv.reader(lines, delimiter=delimiter))
    for key, rows in out.items():
        distinct = {c for row in rows for c in row if c and not c.isascii()}
        found = detect_legacy("\n".join(sorted(distinct)))
        if found.encoding:
            convert = CONVERTERS[found.encoding]
            out[key] = [[convert(c) for c in row] for row in rows]
    return out


def _is_number(text: str) -> bool:
    return bool(_NUMBER_RE.match(text))


def _header_row(rows: list[list[str]]) -> int | None:
    """The first row that fills at least 80 % of the widest row with distinct non-numeric texts."""
    counts = [sum(1 for c in row if c.strip()) for row in rows]
    width = max(counts, default=0)
    if width < 2:
        return None
    for i, row in enumerate(rows):
        cells = [c.strip() for c in row if c.strip()]
        if len(cells) >= max(2, 0.8 * width) and not any(_is_number(c) for c in cells) \
                and len({normalise_text(c) for c in cells}) == len(cells):
            return i
    return None


# --- column profiles --------------------------------------------------------------------------------------------

def _distinct(arr: pa.DictionaryArray) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(distinct texts, rows per text, per-row code)."""
    codes = arr.indices.to_numpy(zero_copy_only=False)
    values = arr.dictionary.to_pylist()
    return values, np.bincount(codes, minlength=len(values)), codes


def _share(flags, weights) -> float:
    """Weighted share (or mean, for counts) of ``flags`` over the distinct texts."""
    total = weights.sum()
    if not total:
        return 0.0
    flags = np.asarray(flags)
    return float((weights[flags].sum() if flags.dtype == bool else np.dot(flags, weights)) / total)


def _label_known(text: str) -> bool:
    return match_label(text) is not None or match_label(text, unit="member") is not None \
        or match_legacy_label(text).match is not None


def _mask(values: pa.Array) -> np.ndarray:
    return values.to_numpy(zero_copy_only=False).astype(bool)


def _profile(header: str, position: int, arr: pa.DictionaryArray) -> Column:
    """What a column holds, judged on its distinct texts (vectorised: a million-row id column has
    hundreds of thousands of them) weighted by their rows."""
    codes = arr.indices.to_numpy(zero_copy_only=False)
    counts = np.bincount(codes, minlength=len(arr.dictionary))
    stripped = pc.utf8_trim_whitespace(arr.dictionary.cast(pa.large_string()))
    filled_mask = _mask(pc.not_equal(stripped, ""))
    n = len(codes)
    weights = counts.astype(float)
    filled = _share(filled_mask, weights)
    fw = np.where(filled_mask, weights, 0.0)
    many = len(counts) > 10_000          # an id or a name: not a year, a score, a rating or a flag column
    years = (np.zeros(len(counts), bool) if len(counts) > 200 else
             _mask(pc.match_substring_regex(stripped, r"^(199\d|20[0-3]\d|2040)(\.0+)?$")))
    numbers = _mask(pc.match_substring_regex(stripped, r"^[+-]?\d+([.,]\d+)?$"))
    spaces = pc.count_substring(stripped, " ").to_numpy(zero_copy_only=False)
    code_like = (filled_mask & (spaces == 0)
                 & (pc.utf8_length(stripped).to_numpy(zero_copy_only=False) <= 24)
                 & _mask(pc.match_substring_regex(stripped, r"\d")))
    words = _share(np.where(filled_mask, spaces + 1, 0), fw) if fw.sum() else 0.0   # single spaces once stripped
    numeric = np.full(len(counts), np.nan)
    if numbers.any() and (not many or numbers.all()):
        where = np.flatnonzero(numbers)
        numeric[where] = pc.cast(pc.replace_substring(stripped.take(pa.array(where)), ",", "."),
                                 pa.float64()).to_numpy(zero_copy_only=False)
    order = np.argsort(-counts)
    sample = [] if many else order if len(counts) <= _LABEL_SAMPLE else order[:_LABEL_SAMPLE]
    label_flags = np.zeros(len(counts), dtype=bool)
    for k in sample:
        if filled_mask[k] and not numbers[k]:
            label_flags[k] = _label_known(stripped[int(k)].as_py())
    finite = np.isfinite(numeric)
    in_range = bool(np.nanmin(numeric) >= 0 and np.nanmax(numeric) <= 100) if finite.any() else False
    has_fraction = bool(np.any(finite & (numeric != np.round(numeric))))
    row_numbers = False
    if filled > 0.99 and not (filled_mask & ~numbers).any() and n > 1:
        row_numbers = bool(np.all(np.diff(numeric[codes]) == 1))
    flag_only = False
    if len(counts) <= 12 and 0 < filled < 0.9:         # pilot flags: a handful of distinct marks
        keys = [normalise_text(v) for v in stripped.to_pylist()]
        flag_only = all(k in _FLAG_TRUE or k in _FLAG_FALSE for k in keys) and any(k in _FLAG_TRUE for k in keys)
    return Column(header=header, position=position, filled=filled, year_share=_share(years, fw),
                  number_share=_share(numbers, fw), label_share=_share(label_flags, fw),
                  code_share=_share(code_like, fw), words=words, distinct=int(filled_mask.sum()),
                  row_numbers=row_numbers, in_range_0_100=in_range, has_fraction=has_fraction, flag_only=flag_only)


def _year_codes(table: Table) -> np.ndarray:
    """Year of every row (−1 when unreadable), from the year column or the sheet name."""
    header = table.roles.get("year")
    if header is None:
        return np.full(table.n_rows, table.sheet_year if table.sheet_year else -1, dtype=np.int64)
    values, _, codes = _distinct(table.data[header])
    parsed = np.array([int(float(v)) if _YEAR_RE.match(v) else -1 for v in values] + [-1], dtype=np.int64)
    return parsed[codes]


def _unique_in_year(arr: pa.DictionaryArray, years: np.ndarray) -> float:
    """Share of rows whose (value, year) is filled and appears once."""
    codes = arr.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    y = years - years.min() if len(years) else years
    pair = codes * (int(y.max()) + 1 if len(y) else 1) + y
    counts = np.bincount(pair)
    filled = _mask(pc.not_equal(pc.utf8_trim_whitespace(arr.dictionary.cast(pa.large_string())), ""))[codes]
    return float(((counts[pair] == 1) & filled).mean()) if len(pair) else 0.0


def _hint(header: str, hints) -> bool:
    key = normalise_text(header)
    return any(h in f"{key} " for h in hints)


# --- roles ------------------------------------------------------------------------------------------------------

def _assign_roles(table: Table, problems: list[Problem]) -> None:
    cols = table.columns
    free = dict(cols)

    def take(role: str, header: str) -> None:
        table.roles[role] = header
        free.pop(header, None)

    rating = max(free.values(), key=lambda c: (c.label_share, -c.position), default=None)
    if rating is None or rating.label_share < 0.5:
        return
    take("rating", rating.header)
    years = [c for c in free.values() if c.year_share >= 0.9 and c.distinct <= 60]
    if years:
        take("year", max(years, key=lambda c: (c.year_share, _hint(c.header, ("năm", "nam", "year")),
                                               c.distinct, -c.position)).header)
    table.years = _year_codes(table)
    rated = table.years[table.years >= 0]
    per_year = int(np.bincount(rated - rated.min()).max()) if len(rated) else table.n_rows
    ids = []
    for c in free.values():
        if c.filled < 0.9 or c.row_numbers or c.number_share > 0.99 and c.has_fraction:
            continue
        if c.distinct < 0.9 * per_year:
            continue                               # fewer distinct values than units in a year: not an id
        unique = _unique_in_year(table.data[c.header], table.years)
        if unique < 0.9:
            continue
        score = round(unique + c.code_share + (0.5 if _hint(c.header, _ID_HINTS) else 0.0), 6)
        ids.append((score, c))
    ids.sort(key=lambda t: (-t[0], t[1].position))
    if len(ids) >= 2 and ids[0][0] == ids[1][0]:
        problems.append(Problem(
            file=table.file, sheet=table.sheet, row=table.header_row, value=f"{ids[0][1].header} | {ids[1][1].header}",
            rule="two columns could be the unit id with equal evidence (both filled, unique within a year, "
                 "shaped alike); delete or rename one, or write the study file by hand"))
        return
    if ids:
        take("unit_id", ids[0][1].header)
    scores = [c for c in free.values() if c.number_share >= 0.9 and c.year_share < 0.5 and c.in_range_0_100
              and not c.row_numbers
              and (c.has_fraction or c.distinct > 10)]
    if scores:
        take("score", max(scores, key=lambda c: (c.number_share, -c.position)).header)
    flags = [c for c in free.values() if c.flag_only]
    if flags:
        take("pilot", flags[0].header)
    text = [c for c in free.values() if c.words >= 1.5 and c.number_share < 0.5]
    units = max(1, int(np.unique(table.data[table.roles["unit_id"]].indices.to_numpy(zero_copy_only=False)).size)
                if "unit_id" in table.roles else table.n_rows)
    types = [c for c in text if c.distinct <= 6 and _type_like(table.data[c.header])]
    if types:
        take("unit_type", min(types, key=lambda c: (c.distinct, c.position)).header)
        text = [c for c in text if c.header != table.roles["unit_type"]]
    # the unit name has the most distinct texts; the parent fewer than half the units
    text.sort(key=lambda c: (-c.distinct, c.position))
    parents = [c for c in text if 2 <= c.distinct <= 0.5 * units]
    parent = min(parents, key=lambda c: (not _hint(c.header, ("cấp trên", "cap tren", "trực thuộc")), c.position),
                 default=None)
    names = [c for c in text if c is not parent and (parent is None or c.distinct > parent.distinct)]
    if names:
        take("unit_name", names[0].header)
    if parent is not None and (names or parent.distinct < 0.5 * units):
        take("parent", parent.header)


def _type_like(arr: pa.DictionaryArray) -> bool:
    keys = [normalise_text(v) for v in arr.dictionary.to_pylist() if v.strip()]
    return bool(keys) and all(any(w in k for w in _TYPE_WORDS) or k in ("chi bộ", "đảng bộ", "chi bo", "dang bo")
                              for k in keys)


def _pilot_roles(table: Table, panel_ids: set[str]) -> tuple[dict, tuple]:
    """Roles of a pilot file's columns, and (first start year, last end year)."""
    best, best_share = None, 0.0
    for c in table.columns.values():
        values, counts, _ = _distinct(table.data[c.header])
        inside = [v.strip() in panel_ids for v in values]
        share = _share(inside, counts.astype(float))
        if share > best_share:
            best, best_share = c, share
    if best is None or best_share < 0.8:
        return {}, (None, None)
    roles = {"unit_id": best.header}
    years = [c for c in table.columns.values() if c.header != best.header and c.year_share >= 0.9]

    def median_year(c):
        values, counts, codes = _distinct(table.data[c.header])
        got = np.array([int(float(v)) if _YEAR_RE.match(v) else 0 for v in values])[codes]
        return float(np.median(got[got > 0])) if (got > 0).any() else 0.0

    def span(c, pick):
        values = [int(float(v)) for v in table.data[c.header].dictionary.to_pylist() if _YEAR_RE.match(v)]
        return pick(values) if values else None

    if years:
        starts = [c for c in years if _hint(c.header, _START_HINTS)]
        ends = [c for c in years if _hint(c.header, _END_HINTS)]
        ordered = sorted(years, key=lambda c: (median_year(c), c.position))
        start = starts[0] if starts else ordered[0]
        roles["start"] = start.header
        rest = [c for c in (ends or ordered) if c.header != start.header]
        if rest:
            roles["end"] = rest[-1].header
    programmes = [c for c in table.columns.values() if c.header not in roles.values() and c.number_share < 0.5
                  and 1 <= c.distinct <= 10]
    if programmes:
        roles["programme"] = programmes[0].header
    first = span(table.columns[roles["start"]], min) if "start" in roles else None
    last = span(table.columns[roles["end"]], max) if "end" in roles else None
    return roles, (first, last)


# --- labels -----------------------------------------------------------------------------------------------------

def _label_rows(panel: list[Table], level: str) -> list[LabelRow]:
    rows: dict[str, int] = {}
    years: dict[str, set] = {}
    for t in panel:
        values, counts, codes = _distinct(t.data[t.roles["rating"]])
        for k, v in enumerate(values):
            if v.strip() and counts[k]:
                rows[v] = rows.get(v, 0) + int(counts[k])
        yc = t.years
        pair = np.unique(codes.astype(np.int64) * 10000 + np.where(yc >= 0, yc, 0))
        for p in pair:
            v = values[p // 10000]
            if v.strip():
                years.setdefault(v, set()).add(int(p % 10000) or None)
    out = []
    for text in sorted(rows, key=lambda v: (-rows[v], v)):
        levels, rule = {}, "exact"
        for year in sorted(years[text], key=lambda y: (y is None, y)):
            m = match_label(text, year, level)
            step = None if m is None else m.rule
            if m is None:
                found = match_legacy_label(text, year, level)
                m = found.match
                step = None if m is None else f"legacy_{found.encoding}_cell"
            if m is None or m.cumulative:
                levels[year] = None
            elif year is not None and m.scale_id != _scales.scale_for(year, level).id:
                levels[year] = f"!{m.code}"          # a label of another scale: refused for this year
            else:
                levels[year] = m.code
            if m is not None and step != "exact":
                rule = step
        if all(code is None for code in levels.values()) and levels:
            near = tuple(closest_labels(text, n=3, unit=level, scores=True))
            proposal = None
            if near and near[0][0] >= 0.9 and (len(near) == 1 or near[0][0] - near[1][0] >= 0.05):
                match = match_label(near[0][1], next((y for y in levels if y), None), level)
                proposal = match.code if match else None
            out.append(LabelRow(text, rows[text], levels, "unknown", near, proposal))
        else:
            out.append(LabelRow(text, rows[text], levels, rule))
    return out


def _id_changes(panel: list[Table], years: list[int]) -> list[tuple[str, str]]:
    """Units whose id changes, found by the cleaning's own rule (:func:`helpers.cleaning.identity.check_id_changes`)."""
    fields = ("unit_id", "year", "unit_name", "parent")
    tables = []
    for t in panel:
        roles = {f: t.roles[f] for f in fields if f in t.roles}
        tables.append(RawTable(file=t.file, sheet=t.sheet, columns={f: t.data[h] for f, h in roles.items()},
                               rows=t.raw.rows, headers=roles, encoding=t.raw.encoding, sheet_year=t.sheet_year))
    scratch: list[Problem] = []
    st = _clean.stack_tables(tables, list(fields), scratch)
    if "unit_name" not in st.cols or not years:
        return []
    ids = _clean.clean_unit_ids(st, {})
    year_codes = _clean.parse_years(st, years[0], years[-1])
    uid, values = _clean._encode_arrow(ids, ids is st.cols["unit_id"])
    empty = pc.index(values, "").as_py()
    if empty >= 0:
        uid = np.where(uid == empty, -1, uid)
    found: list[tuple[str, str]] = []
    _identity.check_id_changes(st, ids, uid, year_codes, found_pairs=found)
    return found


# --- the survey -------------------------------------------------------------------------------------------------

def survey_folder(folder: str | Path) -> Survey:
    """Read every table of ``folder`` and propose columns, labels, years and the pilot file.

    Raises
    ------
    InputError
        When the folder holds no readable table, two columns could equally be the unit id, or the
        rating column has more than :data:`MAX_UNKNOWN_LABELS` distinct unknown texts (probably the
        wrong column); each problem names the file and sheet.
    """
    folder = Path(folder)
    if not folder.is_absolute():
        # as typed from the project root (the README's commands), else from the current folder
        folder = next((c.resolve() for c in (paths.ROOT / folder, Path.cwd() / folder) if c.is_dir()),
                      (paths.ROOT / folder).resolve())
    shown_folder = str(folder.relative_to(paths.ROOT)) if folder.is_relative_to(paths.ROOT) else str(folder)
    if not folder.is_dir():
        raise InputError([Problem(file=shown_folder, rule="no such folder")], "cannot survey the folder")
    problems: list[Problem] = []
    tables: list[Table] = []
    skipped: list[str] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = str(path.relative_to(paths.DATA_RAW)) if path.is_relative_to(paths.DATA_RAW) else str(path)
        if path.suffix.lower() not in TABLE_SUFFIXES or path.name.startswith((".", "~$")):
            skipped.append(rel)
            continue
        try:
            samples = _sample_rows(path, rel)
        except Exception as exc:        # noqa: BLE001 — any unreadable file is reported, not raised
            problems.append(Problem(file=rel, rule=f"cannot be read: {exc}"))
            continue
        if not samples:
            problems.append(Problem(file=rel, rule="no readable table: not text in a known encoding"))
        groups: dict[tuple, list] = {}
        for sheet, rows in samples.items():
            at = _header_row(rows)
            if at is None:
                problems.append(Problem(file=rel, sheet=sheet, rule=f"no header row in the first "
                                        f"{HEADER_SEARCH_ROWS} rows (a row of at least two column names)"))
                continue
            groups.setdefault(tuple(c.strip() for c in rows[at]), []).append((sheet, at))
        for headers, sheets in groups.items():
            # sheets sharing one header row are read together (a workbook is opened once per header row)
            raw = {f"c{j}": [h] for j, h in enumerate(headers) if h}
            found: list[Problem] = []
            names = [s for s, _ in sheets] if sheets[0][0] is not None else None
            read = read_table_file(path, rel, raw, set(raw), found, sheets=names)
            problems.extend(found)
            for t in read:
                at = next(a for s, a in sheets if s == t.sheet)
                columns = {headers[int(k[1:])]: _profile(headers[int(k[1:])], int(k[1:]), arr)
                           for k, arr in t.columns.items()}
                tables.append(Table(file=rel, sheet=t.sheet, header_row=at + 1, n_rows=len(t.rows),
                                    sheet_year=sheet_year(t.sheet if t.sheet is not None else path.stem),
                                    columns=columns, data={headers[int(k[1:])]: arr for k, arr in t.columns.items()},
                                    raw=t))
    if not tables:
        raise InputError(problems or [Problem(file=shown_folder, rule="the folder holds no .csv or .xlsx file")],
                         f"no readable table in {shown_folder}")
    role_problems: list[Problem] = []
    for t in tables:
        _assign_roles(t, role_problems)
    if role_problems:
        raise InputError(role_problems, "cannot tell which column is the unit id")
    panel = [t for t in tables if "rating" in t.roles]
    if not panel:
        raise InputError([Problem(file=t.file, sheet=t.sheet, rule="no column of rating labels (fewer than half "
                                  "the rows hold a known label)") for t in tables],
                         f"no table of ratings in {shown_folder}")
    missing = [Problem(file=t.file, sheet=t.sheet, row=t.header_row, column=role,
                       rule=f"no column looks like the {role.replace('_', ' ')}")
               for t in panel for role in ("unit_id",) if role not in t.roles]
    missing += [Problem(file=t.file, sheet=t.sheet, row=t.header_row, column="year",
                        rule="no year column and no year in the sheet or file name")
                for t in panel if (t.years < 0).all()]
    if missing:
        raise InputError(missing, "the rating tables lack a required column")
    level = "organisation"
    texts = {v for t in panel for v in t.data[t.roles["rating"]].dictionary.to_pylist() if v.strip()}
    org = sum(match_label(v) is not None for v in texts)
    member = sum(match_label(v, unit="member") is not None for v in texts)
    if member > org:
        level = "member"
    labels = _label_rows(panel, level)
    unknown = [r for r in labels if r.rule == "unknown"]
    if len(unknown) > MAX_UNKNOWN_LABELS:
        worst = max(panel, key=lambda t: sum(1 for v in t.data[t.roles["rating"]].dictionary.to_pylist()
                                             if v in {r.text for r in unknown}))
        raise InputError([Problem(file=worst.file, sheet=worst.sheet, row=worst.header_row,
                                  column=worst.roles["rating"], value=len(unknown),
                                  rule=f"{len(unknown)} distinct texts of this column are not known rating labels "
                                       f"(more than {MAX_UNKNOWN_LABELS}): it is probably not the rating column")],
                         "the rating column is probably the wrong one")
    years = sorted({int(y) for t in panel for y in np.unique(t.years) if y >= 0})
    survey = Survey(folder=folder, tables=tables, panel=panel, skipped=skipped, level=level, years=years,
                    labels=labels, problems=problems)
    survey.id_changes = _id_changes(panel, years)
    others = [t for t in tables if "rating" not in t.roles]
    ids = {v.strip() for t in panel for v in t.data[t.roles["unit_id"]].dictionary.to_pylist()} if others else set()
    for t in others:
        roles, span = _pilot_roles(t, ids)
        if roles and survey.pilot_table is None:
            survey.pilot_table, survey.pilot_roles, survey.pilot_years = t, roles, span
    return survey
