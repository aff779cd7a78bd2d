"""Read published-number tables (CSV or XLSX), one row per printed number.

Input contract (issue 3): columns ``source_id``, ``table_id``, ``year``,
``category`` are required; ``count``, ``percent``, ``base``, ``parent``,
``place``, ``level``, ``group``, ``quote``, ``url`` are optional. Every cell is
checked and *every* problem of every file is reported at once in one
:class:`helpers.errors.InputError`, naming file, row (as a spreadsheet shows
it: the header is row 1) and column.

An XLSX workbook is read from its visible sheets only (:mod:`.workbook`); a
hidden sheet that holds a table is listed in ``table.attrs["hidden_sheets"]``
(``{"file", "sheet"}`` each) and reported by the audit as a warning.

Encodings of a CSV are detected and reported (``encodings`` in
``table.attrs``): UTF-8 with a byte-order mark, UTF-16 (with or without a
mark), UTF-8, then Windows-1258 (what Excel on a Vietnamese Windows saves;
its separate tone marks are recomposed to NFC). A file none of these decodes
is refused with the row and column of the first undecodable byte.
"""

from __future__ import annotations

import csv
import difflib
import io
import re
import unicodedata
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

import pandas as pd

from helpers.errors import InputError, Problem
from helpers.paths import shown
from helpers.published.printed import PrintedNumberError, parse_printed
from helpers.published.workbook import xlsx_sheets
from helpers.tabular import restore

REQUIRED_COLUMNS = ("source_id", "table_id", "year", "category")
OPTIONAL_COLUMNS = ("count", "percent", "base", "parent", "place", "level", "group", "quote", "url", "note",
                    # written by extract-published beside the contract (offsets of the quote, how sure); not checked
                    "start", "end", "confidence", "reason")
INPUT_COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Columns of the table returned by :func:`read_published` (fixed, in this order).
PUBLISHED_COLUMNS = [
    "source_id", "table_id", "year", "category", "count_printed", "count", "percent_printed", "percent",
    "percent_decimals", "qualifier", "base", "parent", "place", "level", "group", "quote", "url", "file",
    "row", "rating_code", "rating_common", "is_total", "cumulative",
]

ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 (có BOM / with BOM)",
    "utf-8": "UTF-8",
    "utf-16": "UTF-16 (có BOM / with BOM)",
    "utf-16-le": "UTF-16 LE (không BOM / without BOM)",
    "utf-16-be": "UTF-16 BE (không BOM / without BOM)",
    "cp1258": "Windows-1258",
    "xlsx": "XLSX (Unicode)",
}

#: Words that make a label a table total ("tổng số", "total", "… được đánh giá").
TOTAL_PATTERNS = (
    r"^(tong|tong so|tong cong|total|all|tat ca|toan bo|so luong|so)\b",
    r"\bduoc (danh gia|xep loai|phan loai)\b",
    r"^(number|count) of\b",
)
#: A bare unit noun ("tổ chức đảng", "tổ chức cơ sở Đảng trực thuộc") without a rating word is a total too.
UNIT_NOUN = r"^(to chuc|party organi[sz]ations?\b)"
RATING_WORDS = r"(tsvm|htxsnv|httnv|htnv|khtnv|trong sach|hoan thanh|yeu kem|tieu bieu|vi pham|tien tien|xuat sac)"

_YEAR = re.compile(r"^\d{4}$")


def _fold(text: str) -> str:
    """Lower case, no diacritics, single spaces (for pattern matching only)."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[\"'“”‘’«»]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=65536)
def normalise_category(text: str) -> str:
    """The key a category is compared by (NFC, lower case, quotes and spaces cleaned)."""
    try:
        from helpers.cleaning.labels import normalise_text

        return normalise_text(text)
    except ImportError:  # pragma: no cover - the labels module is part of the package
        return re.sub(r"\s+", " ", unicodedata.normalize("NFC", str(text)).lower()).strip(" \"'“”")


@lru_cache(maxsize=65536)
def is_total_label(category: str) -> bool:
    """Whether a printed category states the table's total.

    True for total words (``tổng``, ``tổng số``, ``total``, ``số lượng …``,
    ``… được đánh giá``) and for a bare unit noun without a rating word
    (``tổ chức đảng làm điểm``, ``tổ chức cơ sở Đảng trực thuộc``).

    Examples
    --------
    >>> is_total_label("tổng số tổ chức cơ sở đảng được đánh giá"), is_total_label("hoàn thành nhiệm vụ")
    (True, False)
    """
    folded = _fold(category)
    if re.search(RATING_WORDS, folded):
        return False
    return any(re.search(p, folded) for p in TOTAL_PATTERNS) or bool(re.search(UNIT_NOUN, folded))


_RATING_TRIMS = (
    (re.compile(r"^(đạt chuẩn|đạt|xếp loại|được xếp loại|được đánh giá)\s+", re.I), ""),
    (re.compile(r"\s+(cấp tỉnh|cấp huyện|cấp trên cơ sở|cấp cơ sở)$", re.I), ""),
)


def rating_of(category: str, year: int | None, unit: str = "organisation"):
    """The :class:`helpers.cleaning.labels.LabelMatch` of a printed category, or None.

    The label is tried as printed, then without a leading ``đạt``/``đạt chuẩn``
    and a trailing ``cấp tỉnh``/``cấp trên cơ sở`` ("TSVM tiêu biểu cấp tỉnh" →
    TSVM tiêu biểu).
    """
    from helpers.cleaning.labels import match_label

    match = match_label(category, year, unit)
    text = unicodedata.normalize("NFC", category).strip()
    for pattern, repl in _RATING_TRIMS:
        if match is not None:
            break
        text = pattern.sub(repl, text).strip()
        match = match_label(text, year, unit)
    return match


def _unit_of(level: str | None) -> str:
    folded = _fold(level or "")
    return "member" if folded.startswith("dang vien") or folded.startswith("party member") else "organisation"


# --- decoding -----------------------------------------------------------------------------------------------

def _has_controls(text: str) -> bool:
    return any(unicodedata.category(ch) == "Cc" and ch not in "\t\r\n" for ch in text)


_VIETNAMESE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323", "\u0302", "\u0306", "\u031b"}
_PUNCTUATION = set("–—“”‘’…•°·«»§€\u00a0")


def _plausible_vietnamese(text: str) -> bool:
    """Whether every non-ASCII character is a Vietnamese letter or common punctuation.

    Windows-1258 decodes almost any byte sequence, so a file in another code
    page (Shift-JIS, KOI8-R, …) would otherwise be read as mojibake.
    """
    for ch in set(text):
        if ord(ch) < 128 or ch in _PUNCTUATION or ch in "đĐ":
            continue
        decomposed = unicodedata.normalize("NFD", ch)
        if not (decomposed[0].isascii() and decomposed[0].isalpha()
                and all(m in _VIETNAMESE_MARKS for m in decomposed[1:]) and len(decomposed) > 1):
            return False
    return True


def decode_bytes(data: bytes, file: str) -> tuple[str, str]:
    """Decode a CSV file's bytes; returns ``(text, encoding)``.

    Raises
    ------
    InputError
        When no supported encoding decodes the file; the problem names the row
        and column of the first byte UTF-8 cannot decode.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = []
        sample = data[:4000]
        if len(sample) >= 4 and sample.count(0) >= len(sample) // 4:
            odd_zeros = sample[1::2].count(0)
            even_zeros = sample[0::2].count(0)
            candidates.append("utf-16-le" if odd_zeros >= even_zeros else "utf-16-be")
        candidates += ["utf-8", "cp1258"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _has_controls(text):
            continue
        if encoding == "cp1258":
            text = unicodedata.normalize("NFC", text)
            if not _plausible_vietnamese(text):
                continue
        return text, encoding
    # Where does it break? Report the first byte UTF-8 cannot read, by row and column.
    try:
        data.decode("utf-8")
        position = next((i for i, b in enumerate(data) if b < 32 and b not in (9, 10, 13)), 0)
    except UnicodeDecodeError as error:
        position = error.start
    line_start = data.rfind(b"\n", 0, position) + 1
    row = data.count(b"\n", 0, position) + 1
    header = data.split(b"\n", 1)[0].decode("ascii", errors="replace").strip().lstrip("\ufeff")
    names = [h.strip().lower() for h in re.split(r"[,;\t]", header)]
    column_index = len(re.findall(rb"[,;\t]", data[line_start:position]))
    column = names[column_index] if column_index < len(names) else None
    problem = Problem(
        file=file, row=row, column=column, value=f"byte 0x{data[position]:02X}",
        rule="the file cannot be decoded as UTF-8, UTF-16 or Windows-1258: save it again as "
             "'CSV UTF-8' (tệp không đọc được bằng UTF-8, UTF-16 hay Windows-1258: hãy lưu lại dạng CSV UTF-8)",
    )
    raise InputError([problem], f"cannot read {file}")


def _sniff_delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if any(counts.values()) else ","


# --- raw rows ------------------------------------------------------------------------------------------------

def _csv_records(path: Path, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]], str]:
    text, encoding = decode_bytes(path.read_bytes(), str(path))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    rows = list(reader)
    if not rows:
        problems.append(Problem(file=str(path), rule="the file is empty (no header row)"))
        return [], [], encoding
    header = rows[0]
    records = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(cell.strip() for cell in r)]
    return header, records, encoding


# --- validation ----------------------------------------------------------------------------------------------

def _parse_file(path: Path, problems: list[Problem], hidden: list | None = None) -> tuple[list[dict], str | None]:
    file = shown(path)  # relative to the project root: the same bytes wherever the project lies
    if not path.exists():
        problems.append(Problem(file=file, rule="the file does not exist"))
        return [], None
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        sheets, hidden_titles = xlsx_sheets(path, problems, REQUIRED_COLUMNS)
        if hidden is not None:
            hidden.extend({"file": file, "sheet": title} for title in hidden_titles)
        encoding = "xlsx"
    elif path.suffix.lower() in (".csv", ".txt", ".tsv"):
        try:
            header, records, encoding = _csv_records(path, problems)
        except InputError as error:
            problems.extend(error.problems)
            return [], None
        sheets = [(None, header, records)] if header else []
    else:
        problems.append(Problem(file=file, rule=f"unsupported file type {path.suffix!r} (expected .csv or .xlsx)"))
        return [], None
    out = []
    for sheet, header, records in sheets:
        out.extend(_parse_sheet(file, sheet, header, records, problems))
    return out, encoding


def _parse_sheet(file: str, sheet, header, records, problems: list[Problem]) -> list[dict]:
    names = [str(h).strip().lstrip("\ufeff").lower() for h in header]
    before = len(problems)
    for required in REQUIRED_COLUMNS:
        if required not in names:
            close = difflib.get_close_matches(required, names, n=1)
            hint = f" (is '{close[0]}' meant?)" if close else ""
            problems.append(Problem(file=file, sheet=sheet, row=1, column=required,
                                    rule=f"required column '{required}' is missing{hint}; "
                                         f"required: {', '.join(REQUIRED_COLUMNS)}"))
    for name in names:
        if name and name not in INPUT_COLUMNS:
            close = difflib.get_close_matches(name, INPUT_COLUMNS, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(file=file, sheet=sheet, row=1, column=name,
                                    rule=f"unknown column{hint} (known: {', '.join(INPUT_COLUMNS)})"))
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    for name in duplicated:
        problems.append(Problem(file=file, sheet=sheet, row=1, column=name, rule="the column appears more than once"))
    if len(problems) > before:
        return []
    out = []
    for row_number, cells in records:
        raw = {name: (str(cells[i]).strip() if i < len(cells) and cells[i] is not None else "")
               for i, name in enumerate(names) if name}
        out.append(_parse_row(raw, file, sheet, row_number, problems))
    return out


def _parse_row(raw: dict, file: str, sheet, row: int, problems: list[Problem]) -> dict:
    def bad(column, value, rule):
        problems.append(Problem(file=file, sheet=sheet, row=row, column=column, value=value, rule=rule))

    # a cell written by the project's formula-injection guard ('=…', '- 34 …') is read as the text it guards
    record = {c: restore(raw.get(c, "")) for c in INPUT_COLUMNS}
    for column in ("source_id", "table_id", "category"):
        if not record[column]:
            bad(column, record[column], f"'{column}' must not be empty")
    year = None
    if record["year"]:
        text = record["year"].removesuffix(".0")
        if _YEAR.match(text) and 1900 <= int(text) <= 2100:
            year = int(text)
        else:
            bad("year", record["year"], "'year' must be a four-digit year such as 2013")
    else:
        bad("year", "", "'year' must not be empty")
    count = percent = base = None
    if record["count"]:
        try:
            count = parse_printed(record["count"], "count")
        except PrintedNumberError as error:
            bad("count", record["count"], f"'count' must be a whole number as printed: {error}")
    if record["percent"]:
        try:
            percent = parse_printed(record["percent"], "percent")
        except PrintedNumberError as error:
            bad("percent", record["percent"], f"'percent' must be a percentage from 0 to 100: {error}")
    if record["base"]:
        # A base of 0 or below is read and reported by the checks on its row (check 'base_positive'):
        # the rest of the file stays checkable.
        text = record["base"].strip()
        negative = text[:1] in ("-", "−")
        try:
            base = parse_printed(text[1:] if negative else text, "count")
            if negative:
                base = replace(base, value=-base.value, text=text)
        except PrintedNumberError as error:
            bad("base", record["base"], f"'base' must be a whole number as printed: {error}")
    record.update(_year=year, _count=count, _percent=percent, _base=base, _row=row, _file=file)
    return record


def _as_paths(paths) -> list[Path]:
    if isinstance(paths, (str, Path)):
        return [Path(paths)]
    return [Path(p) for p in paths]


def read_published(paths: str | Path | Iterable[str | Path]) -> pd.DataFrame:
    """Read one or more published-number files into one checked table.

    Parameters
    ----------
    paths : path or sequence of paths
        CSV (UTF-8 with/without BOM, UTF-16, Windows-1258) or XLSX files
        following the input contract (see module notes).

    Returns
    -------
    pandas.DataFrame
        One row per printed number with columns :data:`PUBLISHED_COLUMNS`:
        source_id, table_id, category, parent, place, level, group, quote, url,
        file (str, relative to the project root when inside it); year, count, base, percent_decimals, row (Int64);
        count_printed, percent_printed (str, exactly as printed, None when
        absent); percent (:class:`fractions.Fraction` on the 0–100 scale, or
        None); qualifier (code from ``printed.QUALIFIERS`` or None; that of the
        percentage, else that of the count); rating_code, rating_common (from
        :func:`helpers.cleaning.labels.match_label`, None when the label is not a
        rating); is_total, cumulative (bool).
        ``table.attrs["encodings"]`` maps each file to the encoding it was read in.
        No files give an empty table with these columns (a study without
        published numbers).

    Raises
    ------
    InputError
        Listing every problem of every file (file, row, column, value, rule):
        a missing required column, a non-numeric count, a percentage over 100,
        a parent that is not a category of its table, a table spread over two
        years, an undecodable file.

    Examples
    --------
    >>> from helpers.paths import raw_path
    >>> table = read_published([raw_path("published/004-trang-dinh.csv")])
    >>> table.loc[table.table_id == "td-2017", "percent_printed"].dropna().iloc[0]
    '54,85%'
    """
    files = _as_paths(paths)
    problems: list[Problem] = []
    records: list[dict] = []
    encodings: dict[str, str] = {}
    hidden: list[dict] = []
    for path in files:
        rows, encoding = _parse_file(path, problems, hidden)
        if encoding:
            encodings[shown(path)] = encoding
        records.extend(rows)
    _check_tables(records, problems)
    if problems:
        raise InputError(problems, f"{len(files)} published-number file(s) cannot be read")
    table = _to_frame(records)
    table.attrs["encodings"] = encodings
    table.attrs["hidden_sheets"] = hidden
    return table


def _check_tables(records: list[dict], problems: list[Problem]) -> None:
    """Problems that involve several rows: a table over two years, a parent that does not exist."""
    tables: dict[tuple, list[dict]] = {}
    for r in records:
        tables.setdefault((r["source_id"], r["table_id"]), []).append(r)
    for (source, table_id), rows in tables.items():
        years = sorted({r["_year"] for r in rows if r["_year"] is not None})
        if len(years) > 1:
            for r in rows[1:]:
                if r["_year"] != rows[0]["_year"]:
                    problems.append(Problem(file=r["_file"], row=r["_row"], column="year", value=r["year"],
                                            rule=f"table '{table_id}' has rows of several years ({years}); "
                                                 f"one table is one year"))
        categories = {normalise_category(r["category"]) for r in rows if r["category"]}
        for r in rows:
            if r["parent"] and normalise_category(r["parent"]) not in categories:
                problems.append(Problem(
                    file=r["_file"], row=r["_row"], column="parent", value=r["parent"],
                    rule=f"the parent is not a category of table '{table_id}' (source {source}); "
                         f"categories: {', '.join(sorted({x['category'] for x in rows}))}"))
            elif r["parent"] and normalise_category(r["parent"]) == normalise_category(r["category"]):
                problems.append(Problem(file=r["_file"], row=r["_row"], column="parent", value=r["parent"],
                                        rule="a category cannot be its own parent"))


def _to_frame(records: list[dict]) -> pd.DataFrame:
    rows = []
    for r in records:
        count, percent, base = r["_count"], r["_percent"], r["_base"]
        unit = _unit_of(r["level"])
        match = None if is_total_label(r["category"]) else rating_of(r["category"], r["_year"], unit)
        qualifier = (percent.qualifier if percent is not None and percent.qualifier else
                     count.qualifier if count is not None else None)
        rows.append({
            "source_id": r["source_id"], "table_id": r["table_id"], "year": r["_year"],
            "category": unicodedata.normalize("NFC", r["category"]),
            "count_printed": r["count"] or None, "count": None if count is None else int(count.value),
            "percent_printed": r["percent"] or None, "percent": None if percent is None else percent.value,
            "percent_decimals": None if percent is None else percent.decimals, "qualifier": qualifier,
            "base": None if base is None else int(base.value), "parent": r["parent"] or None,
            "place": r["place"] or None, "level": r["level"] or None, "group": r["group"] or None,
            "quote": r["quote"] or None, "url": r["url"] or None, "file": r["_file"], "row": r["_row"],
            "rating_code": None if match is None else match.code,
            "rating_common": None if match is None else match.common,
            "is_total": match is None and is_total_label(r["category"]),
            "cumulative": bool(match is not None and match.cumulative),
        })
    table = pd.DataFrame(rows, columns=PUBLISHED_COLUMNS)
    for column in ("year", "count", "percent_decimals", "base", "row"):
        table[column] = pd.array(table[column].tolist(), dtype="Int64")
    for column in ("percent",):
        table[column] = pd.Series([v for v in table[column]], dtype=object, index=table.index)
    table["is_total"] = table["is_total"].astype(bool)
    table["cumulative"] = table["cumulative"].astype(bool)
    return table


def read_published_frames(paths: Sequence[str | Path]) -> pd.DataFrame:
    """Alias of :func:`read_published` (kept for symmetry with other readers)."""
    return read_published(paths)
