"""What each column of a surveyed table holds, judged by its content: a profile per column, then roles.

:func:`_profile` measures one column (filled share, years, numbers, known rating labels, codes,
words, distinct values); :func:`_assign_roles` proposes the rating, year, unit_id, unit_name,
unit_type, parent and score columns of a panel table and :func:`_pilot_roles` the columns of the
pilot file, as described in :mod:`helpers.cleaning.survey`, which uses them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from helpers.cleaning.labels import match_label, match_legacy_label, normalise_text
from helpers.cleaning.pilots import _FALSE as _FLAG_FALSE
from helpers.cleaning.pilots import _TRUE as _FLAG_TRUE
from helpers.cleaning.read import RawTable
from helpers.errors import Problem

#: A column with more distinct texts than this is sampled (its most frequent texts) to judge labels.
_LABEL_SAMPLE = 400
_YEAR_RE = re.compile(r"^\s*((?:19|20)\d\d)(?:\.0+)?\s*$")
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
    if not len(years):
        return 0.0
    codes = arr.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    y = years - years.min()
    width = int(y.max()) + 1
    counts = np.bincount(codes * width + y, minlength=len(arr.dictionary) * width).reshape(-1, width)
    filled = _mask(pc.not_equal(pc.utf8_trim_whitespace(arr.dictionary.cast(pa.large_string())), ""))
    # a (value, year) seen once is one row: the rows counted on the pairs, not looked up row by row
    return int(np.count_nonzero(counts[filled] == 1)) / len(codes)


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
    units = max(1, int(np.count_nonzero(np.bincount(table.data[table.roles["unit_id"]].indices.to_numpy(
        zero_copy_only=False)))) if "unit_id" in table.roles else table.n_rows)
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
