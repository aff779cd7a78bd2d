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
The columns are profiled and given these roles by :mod:`helpers.cleaning.column_roles`; this module
reads the folder, matches the labels, finds id changes and puts the survey together.
"""

from __future__ import annotations

import csv
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from helpers import paths
from helpers import scales as _scales
from helpers.cleaning.labels import closest_labels, match_label, match_legacy_label, normalise_text
from helpers.cleaning.legacy import CONVERTERS, detect_legacy
from helpers.cleaning import clean as _clean
from helpers.cleaning import identity as _identity
from helpers.cleaning.column_roles import Table, _assign_roles, _distinct, _pilot_roles, _profile
from helpers.cleaning.encoding import _SAMPLE_BYTES, decode_bytes
from helpers.cleaning.read import HEADER_SEARCH_ROWS, RawTable, _sniff_delimiter, read_table_file, sheet_year
from helpers.errors import InputError, Problem
from helpers.workbook import sheet_rows

TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm")
#: More distinct unknown texts than this in the rating column: probably the wrong column.
MAX_UNKNOWN_LABELS = 50
_NUMBER_RE = re.compile(r"^\s*[+-]?\d+(?:[.,]\d+)?\s*$")


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
        pair = _clean.unique_small(codes.astype(np.int64) * 10000 + np.where(yc >= 0, yc, 0), len(values) * 10000)
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

def _warm_up_labels() -> None:
    """Read the rating scales and build the label index (in the helper thread, while pyarrow reads)."""
    try:
        match_label("HTNV")
    except Exception:        # noqa: BLE001 — the same error is raised again where the labels are matched
        pass


def _read_folder(folder: Path, pool: ThreadPoolExecutor) -> tuple[list[Table], list[str], list[Problem]]:
    """Every table of the folder with its column profiles, the files skipped and the problems met.

    As in the cleaning, the helper thread of ``pool`` counts the lines of a large CSV while pyarrow reads it.
    """
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
            read = read_table_file(path, rel, raw, set(raw), found, sheets=names, pool=pool)
            problems.extend(found)
            for t in read:
                at = next(a for s, a in sheets if s == t.sheet)
                columns = {headers[int(k[1:])]: _profile(headers[int(k[1:])], int(k[1:]), arr)
                           for k, arr in t.columns.items()}
                tables.append(Table(file=rel, sheet=t.sheet, header_row=at + 1, n_rows=len(t.rows),
                                    sheet_year=sheet_year(t.sheet if t.sheet is not None else path.stem),
                                    columns=columns, data={headers[int(k[1:])]: arr for k, arr in t.columns.items()},
                                    raw=t))
    return tables, skipped, problems


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
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="survey") as pool:
        pool.submit(_warm_up_labels)
        tables, skipped, problems = _read_folder(folder, pool)
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
    years = sorted({int(y) for t in panel for y in _clean.unique_small(t.years[t.years >= 0])})
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
