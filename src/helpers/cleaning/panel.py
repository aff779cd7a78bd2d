"""Clean and validate a unit-level rating panel described by a study file's ``panel:`` section.

One row per unit (party organisation or member) per year, read from CSV or XLSX
files (see :mod:`helpers.cleaning.read`), labels matched to the scale of their year
(:mod:`helpers.cleaning.labels`, :mod:`helpers.scales`), pilot assignments joined, every
problem listed at once, every changed value logged.

The ``panel:`` section
----------------------
::

    panel:
      level: organisation            # required: organisation | member — what one row rates
      years: [2014, 2021]            # required: first and last valid year (inclusive)
      files:                         # required: files under data/raw/ (.csv or .xlsx), read in this order
        - example-panel/ratings.xlsx
        - example-panel/ratings.csv
      sheets: [2014, 2015]           # optional: XLSX sheets to read (default: every visible sheet; a hidden
                                     #   sheet is read only when named here); or a mapping {file: [sheet, ...]}
      year_from_sheet: true          # optional: the year is in each XLSX sheet's name ('SYNTHETIC 2016');
                                     #   true = every workbook, or a list of files; a CSV always needs a year column
      columns:                       # required: field -> header text in the file, or a list of accepted headers
        unit_id: "Mã đơn vị"         #   required
        year: "Năm"                  #   required unless year_from_sheet covers the file
        rating: "Xếp loại"           #   required (from 2025 it may be empty when score is given)
        unit_name: "Tên tổ chức"     #   optional (needed to detect a unit that changes id)
        parent: "Đảng bộ cấp trên"   #   optional
        unit_type: "Loại hình"       #   optional (detects members and organisations mixed)
        score: "Điểm"                #   optional: 100-point score, decimal comma accepted
      labels:                        # optional: typed label -> level code or canonical label (unknown labels)
        "hoàn thàn tốt nhiệm vụ": HTTNV
      unit_ids:                      # optional: old id -> new id, for a unit that changed id
        "BT-0042": "BT-0542"
      pilots:                        # optional, one of two forms:
        file: example-panel/pilots.csv   # (a) a second file, one row per pilot unit
        columns: {unit_id: "Mã đơn vị", programme: "Chương trình", start: "Năm bắt đầu", end: "Năm kết thúc"}
        programme: "củng cố"         #     defaults for a missing programme/start/end column
        # column: "Làm điểm"         # (b) a panel column flagging pilot rows (x, có, 1, true, yes);
        #                            #     start/end default to the first/last flagged year
        selection: unknown           # how the pilots were chosen: unknown (default) | random |
                                     #   {on: rating, years: [2015], rule: "..."}; see helpers.inference.designs

Headers are matched after :func:`helpers.cleaning.labels.normalise_text` (case, spaces,
quotes and tone-mark style do not matter). Header rows are found in the first 30
rows, under any title block. A row whose every cell is empty (the ",,,," lines a
spreadsheet program writes after the data) is skipped, in CSV as in XLSX; rows keep
the line number a person sees, past empty lines and cells that span lines.

Validation rules (each problem names file, sheet, row, column, value and rule)
-----------------------------------------------------------------------------
missing required column; empty sheet; merged header cells; undecodable encoding;
blank unit id or rating; non-numeric year; year outside ``years``; duplicate
unit-year; unknown label (listed once per distinct text with its rows and the
closest known labels — map it under ``labels``); a cumulative label ("HTTNV trở
lên") rating one unit; a label of the wrong scale for its year (TSVM in 2019);
score not a number or outside 0–100; score band disagreeing with the rating
(100-point scales); members and organisations mixed (``unit_type`` values or
labels of the other unit's scale); **a unit that changes id** — decided as: two
different ids that share the same unit name and parent (compared in lower case,
NFC, spaces trimmed), where the last year of one id is immediately followed by the
first year of the other and their years do not overlap; pilot id absent from the
panel; pilot listed twice; pilot start/end not a year or start after end.

Cleaning log rules (column ``rule`` of cleaning_log.csv)
--------------------------------------------------------
``legacy_tcvn3``/``legacy_vni`` (cell of a sheet or file typed with a legacy font, converted),
``legacy_tcvn3_cell``/``legacy_vni_cell`` (one rating label typed with a legacy font inside a Unicode
sheet, known once converted; refused when the conversions give different levels),
``trim_spaces`` (unit id, name, parent, year, score), ``number_as_text``
(``2016.0`` → ``2016``), ``decimal_comma`` (``85,5`` → ``85.5``), ``study_unit_id``
(``unit_ids`` mapping), ``score_band`` (rating taken from the 2025 score band),
``pilot_flag``, and for ratings the :class:`helpers.cleaning.labels.LabelMatch` rule
(``unicode_nfc``, ``tone_marks``, ``case_spaces_quotes``, ``no_diacritics``,
``abbreviation``, ``variant`` joined by ``+``) or ``study_mapping``.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers.cleaning import clean as _clean
from helpers.cleaning import identity as _identity
from helpers.cleaning import pilots as _pilots
from helpers import paths
from helpers import scales as _scales
from helpers.errors import InputError, Problem
from helpers.study import model as _model
from helpers.cleaning.labels import match_label
from helpers.cleaning.panel_config import _as_list, _columns, _sheets, _year_from_sheet, check_panel_config
from helpers.cleaning.read import read_table_file

#: Columns of the processed panel (panel.parquet, panel.csv), in this order. In the DataFrame and the Parquet
#: file, scale, rating_code, rating_label and rating_common are categorical (``pd.read_parquet`` gives them back
#: so); the CSV holds the same texts.
PANEL_COLUMNS = ["unit_id", "unit_name", "unit_type", "parent", "year", "level", "scale", "rating_raw",
                 "rating_label", "rating_code", "rating_common", "rating_order", "score", "pilot", "programme",
                 "pilot_start", "pilot_end", "source_file", "source_sheet", "source_row"]
#: Columns of validation.csv: one row per check, with the number of rows it concerns.
VALIDATION_COLUMNS = ["check", "status", "n", "detail"]
SUMMARY_COLUMNS = ["year", "scale", "rating_order", "rating_code", "rating_label", "n_units", "n_pilot"]
#: Fields of ``panel.columns`` and keys of ``panel:``, as the study-file model declares them.
PANEL_FIELDS = tuple(_model.Columns.model_fields)
PANEL_KEYS = _model.fields(_model.Panel)
OUTPUT_FILES = ("panel.parquet", "panel.csv", "cleaning_log.csv", "validation.csv")
#: Seconds spent in each stage by the last :func:`clean_panel` call (printed by benchmarks/bench_cleaning.py).
LAST_TIMINGS: dict[str, float] = {}
_MEMBER_TYPES = {"đảng viên", "dang vien", "đv", "dv"}
_ORG_WORDS = ("chi bộ", "đảng bộ", "tccsđ", "tổ chức", "cbtt", "chi bo", "dang bo", "to chuc")


# --- results ---------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class CleaningResult:
    """The cleaned panel and its audit trail.

    Attributes
    ----------
    table : DataFrame
        One row per unit-year, columns :data:`PANEL_COLUMNS`; ``scale``, ``rating_code``,
        ``rating_label`` and ``rating_common`` are categorical (each distinct text stored once).
    log : DataFrame
        One row per changed value, columns ``file, sheet, row, column, before, after, rule``.
    validation : DataFrame
        One row per check, columns :data:`VALIDATION_COLUMNS`.
    files : dict
        Output name → path (empty when nothing was written).
    """

    table: pd.DataFrame
    log: pd.DataFrame
    validation: pd.DataFrame
    files: dict = field(default_factory=dict)

    def summary(self) -> pd.DataFrame:
        """Units per year and rating level (columns :data:`SUMMARY_COLUMNS`), pilots counted apart."""
        t = self.table
        grouped = t.groupby(["year", "scale", "rating_order", "rating_code", "rating_label"], observed=True)
        out = grouped.agg(n_units=("unit_id", "size"), n_pilot=("pilot", "sum")).reset_index()
        out["n_pilot"] = out["n_pilot"].astype("int64")
        return out[SUMMARY_COLUMNS].sort_values(["year", "rating_order", "rating_code"], ignore_index=True)

    def to_frame(self) -> pd.DataFrame:
        return self.summary()


# --- cleaning --------------------------------------------------------------------------------------------------

class _Laps:
    """Stage timer filling :data:`LAST_TIMINGS` (a few clock reads per call)."""

    def __init__(self):
        LAST_TIMINGS.clear()
        self.t = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        LAST_TIMINGS[stage] = LAST_TIMINGS.get(stage, 0.0) + now - self.t
        self.t = now


class _Job:
    """A call queued for the helper thread; :meth:`result` runs it in the calling thread instead when the
    helper has not started it yet (so a caller that would only wait shares the work)."""

    __slots__ = ("future", "fn", "args")

    def __init__(self, pool: ThreadPoolExecutor, fn, *args):
        self.future = pool.submit(fn, *args)
        self.fn, self.args = fn, args

    def result(self):
        if self.future.cancel():
            return self.fn(*self.args)
        return self.future.result()


def _warm_up(level: str, year: int) -> None:
    """Read the rating scales and build the label index (run in the background while the files are read)."""
    for call in (lambda: _scales.scale_for(year, level), lambda: match_label("HTNV", None, level)):
        try:
            call()
        except Exception:        # noqa: BLE001 — the same error is raised again where the scales are used
            pass


def clean_panel(panel: dict, study_file: str | Path = "study") -> CleaningResult:
    """Read, clean and validate the panel a ``panel:`` section describes; nothing is written.

    Raises
    ------
    InputError
        Listing every problem of the configuration or the files at once.

    Notes
    -----
    One helper thread runs work that needs no Python objects while the main thread
    checks: reading the scales file during the file read, counting lines, and
    writing out the per-row text columns of the result. Every result is the same
    as without it; :data:`LAST_TIMINGS` holds the time of each stage.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="clean_panel") as pool:
        return _clean_panel(panel, study_file, pool)


def read_panel_tables(panel: dict, problems: list[Problem], pool=None,
                      plain: bool = True) -> tuple[dict[str, list[str]], list]:
    """The field → accepted headers map (pilot flag column included) and the raw tables of every panel file
    (``pool``, ``plain``: see :func:`helpers.cleaning.read.read_csv`)."""
    columns = _columns(panel["columns"])
    pilots = panel.get("pilots") or {}
    if "column" in pilots:
        columns["pilot"] = _as_list(pilots["column"])
    tables = []
    for file in panel["files"]:
        required = {"unit_id", "rating"} | ({"year"} if not _year_from_sheet(panel, file) else set())
        yfs = _year_from_sheet(panel, file)
        if yfs and Path(file).suffix.lower() in (".csv", ".txt", ".tsv"):
            required.add("year")
        tables += read_table_file(paths.raw_path(file), _clean.shown(file), columns, required, problems,
                                  sheets=_sheets(panel, file), year_from_sheet=yfs, pool=pool, plain=plain)
    return columns, tables


def _clean_panel(panel: dict, study_file, pool: ThreadPoolExecutor) -> CleaningResult:
    lap = _Laps()
    problems = check_panel_config(panel, study_file)
    if problems:
        raise InputError(problems, f"the panel section of {study_file} has problems")
    level = panel["level"]
    y0, y1 = panel["years"]
    warm = pool.submit(_warm_up, level, y0)
    columns, tables = read_panel_tables(panel, problems, pool)
    pilots = panel.get("pilots") or {}
    if problems:
        raise InputError(problems, "the panel files cannot be read")
    lap("config+read")
    st = _clean.stack_tables(tables, list(columns), problems)
    n = st.n
    # the helper thread, in the order the results are needed: name keys, id codes, then the per-row text
    # columns of the result, while the main thread checks
    keys = {f: _Job(pool, _identity.text_keys, st.cols[f]) for f in ("unit_name", "parent") if f in st.cols}
    ids = _clean.clean_unit_ids(st, panel.get("unit_ids") or {})
    # ids unchanged by cleaning: their dictionary is the one read, which has no repeats
    id_codes = _Job(pool, _clean._encode_arrow, ids, ids is st.cols["unit_id"])
    later = {"unit_id": _Job(pool, _clean.row_texts, st, "unit_id", ids),
             "rating_raw": _Job(pool, _clean.row_texts, st, "rating", st.cols["rating"]),
             "level": _Job(pool, _clean.constant_text, level, n),
             "source_file": _Job(pool, st.per_table, [t.file for t in tables]),
             "source_sheet": _Job(pool, st.per_table, [t.sheet for t in tables])}
    lap("unit_ids")
    years = _clean.parse_years(st, y0, y1)
    scores = _clean.parse_scores(st) if "score" in st.cols else None
    lap("years+scores")
    warm.result()
    lap("wait_scales")
    rating = _clean.resolve_ratings(st, years, scores, level, panel.get("labels") or {})
    for name, values in rating["rows"].items():
        later[name] = _Job(pool, _categories, values, rating.get("inverse"))
    lap("ratings")
    uid, id_values = id_codes.result()
    empty_id = pc.index(id_values, "").as_py()
    if empty_id >= 0:
        uid = np.where(uid == empty_id, -1, uid)
    lap("id_codes")
    _identity.check_duplicates(st, uid, years)
    lap("duplicates")
    n_changes = _identity.check_id_changes(st, ids, uid, years, {f: job.result() for f, job in keys.items()})
    lap("id_changes")
    _identity.check_unit_types(st, level, _MEMBER_TYPES, _ORG_WORDS)
    for f in ("unit_name", "unit_type", "parent"):
        later[f] = (_Job(pool, _clean.row_texts, st, f, _clean.clean_text(st, f)) if f in st.cols else
                    _Job(pool, _clean.constant_text, "", n))
    if "file" in pilots:
        pilot_frame = _pilots.read_pilots(panel, set(id_values.to_pylist()), panel.get("unit_ids") or {}, problems)
    elif "column" in pilots:
        pilot_frame = _pilots.pilots_from_column(st, panel, ids, years)
    else:
        pilot_frame = pd.DataFrame(columns=["unit_id", "programme", "pilot_start", "pilot_end"])
    if problems:
        raise InputError(problems, f"the panel of {study_file} has {len(problems)} problems; nothing was written")
    if len(pilot_frame):
        # pilot position of every distinct id, then spread over the rows through the id codes
        at = pc.index_in(ids.dictionary, value_set=pa.array(pilot_frame["unit_id"].astype(str).tolist(),
                                                             type=pa.large_string()))
        where = pc.take(at, ids.indices)
        is_pilot = pc.is_valid(where).to_numpy(zero_copy_only=False)

        def pick(col, typ):
            # a unit that is not a pilot has a null position, hence a null value
            return pc.take(pa.array(pilot_frame[col].tolist(), type=typ, from_pandas=True), where)
    else:
        is_pilot = np.zeros(n, dtype=bool)

        def pick(col, typ):
            return pa.nulls(n, typ)

    lap("texts+pilots")
    log_arrow = pa.concat_tables(st.log) if st.log else _clean.LOG_SCHEMA.empty_table()
    if log_arrow.num_rows:
        # in the order of the files, then rows; the steps of one cell keep their order
        order = _log_order(st, log_arrow["row"].to_numpy(), np.concatenate(st.log_tids))
        if order is not None:
            log_arrow = log_arrow.take(order)
    log = log_arrow.to_pandas()
    lap("log")
    year_scale = _year_scales(rating["pair_year"], rating["pair_scale"])
    n_units = int(np.count_nonzero(np.bincount(uid[uid >= 0]))) if (uid >= 0).any() else 0
    # numbers straight from numpy (pandas takes the arrays without a copy), texts from arrow
    numbers = {"year": years.astype(np.int64, copy=False),
               "rating_order": rating["order"].astype(np.int64, copy=False),
               "score": scores if scores is not None else np.full(n, np.nan),
               "pilot": is_pilot,
               "source_row": st.rows.astype(np.int64, copy=True)}
    numbers = {c: a if a.flags.writeable else a.copy() for c, a in numbers.items()}
    for col in ("pilot_start", "pilot_end"):
        values = pick(col, pa.int64())
        numbers[col] = (pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, dtype=bool))
                        if values.null_count == n else pd.array(values.to_pandas(), dtype="Int64"))
    # the last queued first: what the helper thread has not started is done here meanwhile
    done = {c: later[c].result() for c in reversed(list(later))}
    texts = pa.table({c: done[c] if c in done else pick(c, pa.large_string())
                      for c in PANEL_COLUMNS if c not in numbers})
    lap("panel_arrow")
    texts = texts.to_pandas()
    table = pd.DataFrame({c: numbers[c] if c in numbers else texts[c] for c in PANEL_COLUMNS}, copy=False)
    lap("panel_pandas")
    validation = _validation(tables, table, log, n_changes, pilot_frame, year_scale, n_units)
    lap("validation")
    return CleaningResult(table=table, log=log, validation=validation)


def _categories(values: pa.Array, inverse: pa.Array | None) -> pa.DictionaryArray:
    """A rating column of the result as categories: each distinct text once, and each row's position among them.

    ``values`` holds one text per (label, year) pair and ``inverse`` the pair of every row, or ``values`` one
    text per row when ``inverse`` is None. No text is written out per row: the four rating columns of a
    million rows take 16 MB instead of about 100 MB, which a large panel feels in time as well as memory.
    """
    enc = pc.dictionary_encode(values)
    return enc if inverse is None else pa.DictionaryArray.from_arrays(pc.take(enc.indices, inverse), enc.dictionary)


def _log_order(st: _clean.Stack, rows: np.ndarray, tids: np.ndarray) -> np.ndarray | None:
    """Order of the log rows by (file, sheet, row), stable; None when the log is in that order already.

    A log row's file and sheet are those of its table, so the tables are ranked once
    (code-point order of the texts, which is the byte order of UTF-8) instead of every row.
    """
    keys = [(t.file, t.sheet or "") for t in st.tables]
    ranked = {key: k for k, key in enumerate(sorted(set(keys)))}
    rank = np.asarray([ranked[key] for key in keys], dtype=np.int64)[tids]
    if len(rows) < 2 or (np.all(rank[1:] >= rank[:-1]) and
                         np.all((rank[1:] > rank[:-1]) | (rows[1:] >= rows[:-1]))):
        return None
    return np.lexsort((np.arange(len(rows)), rows, rank))


def _year_scales(pair_year: np.ndarray, pair_scale) -> list[tuple[int, str | None]]:
    """(year, scale id) for every year of the panel, in year order.

    Every row of a year has the scale of that year (``scale_for(year, level)``), so the
    (label, year) pairs suffice; a year whose pairs have no scale gives None.
    """
    found: dict[int, str | None] = {}
    for y, sc in sorted(zip(pair_year.tolist(), pair_scale), key=lambda p: p[0]):
        if found.get(y) is None:
            found[y] = sc
    return list(found.items())


def _validation(tables, table: pd.DataFrame, log: pd.DataFrame, n_changes: int, pilots: pd.DataFrame,
                year_scale: list, n_units: int) -> pd.DataFrame:
    enc = sorted({f"{t.file}{' [' + t.sheet + ']' if t.sheet else ''}: {t.encoding}" for t in tables
                  if t.encoding not in ("utf-8", "unicode")})
    counts = log["rule"].value_counts()          # split the distinct rules only, not every row
    rules = pd.Series({r: 0 for r in counts.index for r in r.split("+")}, dtype="int64")
    for rule, n in counts.items():
        for part in rule.split("+"):
            rules[part] += n
    rules = rules.sort_values(ascending=False)
    years = table["year"].to_numpy()
    rows = [
        ("tables_read", "ok", len(tables), "; ".join(sorted({t.file for t in tables}))),
        ("encoding", "ok", len(enc), "; ".join(enc) or "every file UTF-8 / Unicode"),
        ("required_columns", "ok", 0, "unit_id, year, rating found"),
        ("year_range", "ok", 0, f"{int(years.min())}–{int(years.max())}"),
        ("duplicate_unit_year", "ok", 0, ""),
        ("labels_known", "ok", 0, ""),
        ("label_scale_for_year", "ok", 0, "; ".join(f"{y}: {s}" for y, s in year_scale)),
        ("score_range", "ok", 0, ""),
        ("members_organisations_mixed", "ok", 0, ""),
        ("unit_changes_id", "ok", n_changes, "same name and parent, consecutive years, two ids"),
        ("pilot_ids_in_panel", "ok", len(pilots), ""),
        ("rows", "info", len(table), f"{n_units} units"),
        ("values_changed", "info", len(log), "; ".join(f"{r}: {n}" for r, n in rules.items())),
    ]
    return pd.DataFrame(rows, columns=VALIDATION_COLUMNS)


# --- writing ---------------------------------------------------------------------------------------------------

def write_outputs(result: CleaningResult, out_dir: Path) -> dict:
    """Write the four outputs atomically (temporary names, then os.replace); refuse data/raw/."""
    import pyarrow.csv as pacsv
    import pyarrow.parquet as pq

    from helpers.tabular import neutralise_arrow

    out_dir = Path(out_dir).resolve()
    if out_dir.is_relative_to(paths.DATA_RAW.resolve()):
        raise InputError([Problem(file=str(out_dir), rule="outputs are never written under data/raw/")],
                         "bad output folder")
    out_dir.mkdir(parents=True, exist_ok=True)
    arrow = pa.Table.from_pandas(result.table, preserve_index=False)
    temps = {}
    try:
        for name in OUTPUT_FILES:
            temps[name] = paths.temporary_beside(out_dir / name)
        pq.write_table(arrow, temps["panel.parquet"])
        for name, data in (("panel.csv", arrow), ("cleaning_log.csv", result.log),
                           ("validation.csv", result.validation)):
            with open(temps[name], "wb") as fh:
                fh.write(b"\xef\xbb\xbf")
                t = data if isinstance(data, pa.Table) else pa.Table.from_pandas(
                    data.astype({c: "object" for c in data.columns if data[c].dtype == object}),
                    preserve_index=False)
                pacsv.write_csv(neutralise_arrow(t), fh)  # no text cell a spreadsheet would run as a formula
        final = {}
        for name, tmp in temps.items():
            os.replace(tmp, out_dir / name)
            final[name] = out_dir / name
        return final
    finally:
        for tmp in temps.values():
            if tmp.exists():
                tmp.unlink()


def clean_study(study, out_dir: str | Path) -> CleaningResult | None:
    """Clean a study's panel and write panel.parquet, panel.csv, cleaning_log.csv, validation.csv.

    Parameters
    ----------
    study : helpers.study.Study
    out_dir : path
        Folder for the four outputs (never under data/raw/); written only when
        every check passes, each file under a temporary name first.

    Returns
    -------
    CleaningResult or None
        None when the study has no panel (``panel:`` absent or empty).

    Raises
    ------
    InputError
        Every problem of the panel section and of the files, at once; nothing is written.
    """
    if not study.panel:
        return None
    shown = str(study.file.relative_to(paths.ROOT)) if study.file.is_relative_to(paths.ROOT) else str(study.file)
    result = clean_panel(study.panel, shown)
    files = write_outputs(result, Path(out_dir))
    return CleaningResult(table=result.table, log=result.log, validation=result.validation, files=files)

