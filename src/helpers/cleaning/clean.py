"""The cleaning and validation core of :mod:`helpers.cleaning.panel`, vectorised for million-row panels.

Every text column is dictionary-encoded first, so a value is interpreted once per
distinct text (a label once per distinct label and year), never once per row.
See :mod:`helpers.cleaning.panel` for the rules; this module only implements them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from helpers import paths
from helpers import scales as _scales
from helpers.errors import Problem
from helpers.cleaning.labels import closest_labels, match_label, match_legacy_label, normalise_text
from helpers.cleaning.read import DICT, LOG_COLUMNS, RawTable

_INT_RE = re.compile(r"^[+-]?\d+$")
_INT_FLOAT_RE = re.compile(r"^[+-]?\d+\.0+$")
_SHOW_ROWS = 12
LOG_SCHEMA = pa.schema([(c, pa.int64() if c == "row" else pa.large_string()) for c in LOG_COLUMNS])


def shown(path) -> str:
    p = paths.raw_path(path)
    return str(p.relative_to(paths.DATA_RAW)) if p.is_relative_to(paths.DATA_RAW) else str(p)


def _rows_text(rows: np.ndarray) -> str:
    rows = np.sort(rows)
    head = ", ".join(str(r) for r in rows[:_SHOW_ROWS])
    return head + (f" (+{len(rows) - _SHOW_ROWS} more)" if len(rows) > _SHOW_ROWS else "")


_CONSTANT_CHUNK = 1 << 16


def constant_text(value: str | None, n: int) -> pa.Array | pa.ChunkedArray:
    """``n`` times the same text (or null) as large strings.

    Above 65,536 rows it is one block of 65,536 copies repeated (a chunked array whose chunks share one
    buffer): the same values, without writing the text once per row.
    """
    if value is None:
        return pa.nulls(n, pa.large_string())
    if n <= _CONSTANT_CHUNK:
        return pa.repeat(pa.scalar(value, pa.large_string()), n)
    block = pa.repeat(pa.scalar(value, pa.large_string()), _CONSTANT_CHUNK)
    full, rest = divmod(n, _CONSTANT_CHUNK)
    return pa.chunked_array([block] * full + ([block.slice(0, rest)] if rest else []), type=pa.large_string())


@dataclass
class Stack:
    """All raw tables stacked: one string array per field, the source of every row, the cleaning log."""

    tables: list[RawTable]
    cols: dict[str, pa.Array]
    rows: np.ndarray
    tid: np.ndarray
    log: list[pa.Table]
    problems: list[Problem]
    log_tids: list[np.ndarray] = field(default_factory=list)   # the table of every log row, part by part
    #: per-row large strings of a field as read, when every table kept them (see RawTable.plain)
    plain: dict[str, pa.Array | pa.ChunkedArray] = field(default_factory=dict)

    @property
    def n(self) -> int:
        return len(self.rows)

    def where(self, idx: np.ndarray):
        """file, sheet arrays for the given row positions."""
        files = np.array([t.file for t in self.tables], dtype=object)
        sheets = np.array([t.sheet for t in self.tables], dtype=object)
        return files[self.tid[idx]], sheets[self.tid[idx]]

    def header(self, field: str, idx: np.ndarray) -> np.ndarray:
        heads = np.array([t.headers.get(field, field) for t in self.tables], dtype=object)
        return heads[self.tid[idx]]

    def per_table(self, values: list, idx: np.ndarray | None = None) -> pa.Array | pa.ChunkedArray:
        """One value per table (file name, sheet, header) spread over the rows ``idx`` (all rows when None)."""
        n = self.n if idx is None else len(idx)
        if len(set(values)) == 1:
            # one file (or the same value in every table): no per-row lookup
            return constant_text(values[0], n)
        tid = self.tid if idx is None else self.tid[idx]
        return pc.take(pa.array(values, pa.large_string()), pa.array(tid))

    def add_log(self, idx: np.ndarray, field: str, before, after, rule) -> None:
        """Log the rows ``idx`` of ``field`` changed from ``before`` to ``after`` by ``rule`` (kept as arrow)."""
        if len(idx) == 0:
            return
        files = self.per_table([t.file for t in self.tables], idx)
        sheets = self.per_table([t.sheet for t in self.tables], idx)
        heads = self.per_table([t.headers.get(field, field) for t in self.tables], idx)
        as_arrow = lambda x: (x.cast(pa.large_string()) if isinstance(x, pa.Array)  # noqa: E731
                              else pa.array(list(x), pa.large_string()))
        rules = (constant_text(rule, len(idx)) if isinstance(rule, str)
                 else as_arrow(rule))
        self.log.append(pa.table({"file": files, "sheet": sheets, "row": pa.array(self.rows[idx], pa.int64()),
                                  "column": heads, "before": as_arrow(before), "after": as_arrow(after),
                                  "rule": rules}))
        self.log_tids.append(self.tid[idx])

    def problem(self, idx: np.ndarray, field: str | None, value, rule: str) -> None:
        """One problem per (file, sheet) for the rows ``idx`` sharing one value; rows listed in the rule."""
        if len(idx) == 0:
            return
        files, sheets = self.where(idx)
        keys = pd.Series(list(zip(files, sheets))).factorize()[0]
        for k in np.unique(keys):
            sel = idx[keys == k]
            first = sel[np.argmin(self.rows[sel])]
            column = None if field is None else self.tables[self.tid[first]].headers.get(field, field)
            text = rule if len(sel) == 1 else f"{rule} (rows {_rows_text(self.rows[sel])})"
            self.problems.append(Problem(file=files[keys == k][0], sheet=sheets[keys == k][0],
                                         row=int(self.rows[first]), column=column, value=value, rule=text))


def stack_tables(tables: list[RawTable], fields: list[str], problems: list[Problem]) -> Stack:
    """Concatenate raw tables field by field as dictionary arrays (a field a table lacks is '')."""
    cols = {}
    for f in fields:
        if not any(f in t.columns for t in tables):
            continue
        parts = [t.columns[f] if f in t.columns else
                 pa.DictionaryArray.from_arrays(pa.array(np.zeros(len(t.rows), np.int32)),
                                                pa.array([""], pa.large_string()))
                 for t in tables]
        parts = [p if pa.types.is_dictionary(p.type) else p.cast(pa.large_string()).dictionary_encode()
                 for p in parts]
        parts = [p if p.type == DICT else p.cast(DICT) for p in parts]
        cols[f] = parts[0] if len(parts) == 1 else \
            pa.chunked_array(parts, type=DICT).unify_dictionaries().combine_chunks()
    # one table: its row numbers as they are (nothing writes into them), every row of table 0
    rows = (tables[0].rows if len(tables) == 1 else np.concatenate([t.rows for t in tables])) if tables \
        else np.zeros(0, np.int64)
    tid = (np.zeros(len(rows), np.int32) if len(tables) == 1 else
           np.concatenate([np.full(len(t.rows), i, np.int32) for i, t in enumerate(tables)])) if tables \
        else np.zeros(0, np.int32)
    log = [pa.Table.from_pandas(frame.astype({"row": "int64"}), schema=LOG_SCHEMA, preserve_index=False)
           for t in tables for frame in t.log]
    log_tids = [np.full(len(frame), i, np.int32) for i, t in enumerate(tables) for frame in t.log]
    plain = {f: tables[0].plain[f] if len(tables) == 1 else
             pa.chunked_array([c for t in tables for c in pa.chunked_array([t.plain[f]]).chunks],
                              type=pa.large_string())
             for f in cols if tables and all(f in t.plain for t in tables)}
    return Stack(tables=tables, cols=cols, rows=rows, tid=tid, log=log, problems=problems, log_tids=log_tids,
                 plain=plain)


def row_texts(st: Stack, field: str, arr: pa.DictionaryArray) -> pa.Array | pa.ChunkedArray:
    """Per-row large strings of ``arr`` (``field`` after cleaning): the texts as read when ``arr`` is the
    column unchanged (the very object ``st.cols[field]``) and they were kept, else decoded from ``arr``."""
    if arr is st.cols.get(field) and field in st.plain:
        return st.plain[field]
    return arr.cast(pa.large_string())


def _indices(arr: pa.DictionaryArray) -> np.ndarray:
    return arr.indices.to_numpy(zero_copy_only=False)


def _encode(arr: pa.DictionaryArray, dtype=np.int64) -> tuple[np.ndarray, list[str]]:
    """Row codes (of ``dtype``) into a list of distinct values (a dictionary may hold a value twice after
    cleaning)."""
    codes, distinct = _encode_arrow(arr, dtype=dtype)
    return codes, distinct.to_pylist()


def _encode_arrow(arr: pa.DictionaryArray, unique: bool = False, dtype=np.int64) -> tuple[np.ndarray, pa.Array]:
    """:func:`_encode` with the distinct values kept as an arrow array (no Python string per value).

    ``unique``: the caller knows the dictionary holds every value once (a column as read: the dictionaries
    pyarrow builds have no repeats), so the codes are the indices.
    """
    if unique:
        return _indices(arr).astype(dtype), arr.dictionary
    enc = pc.dictionary_encode(arr.dictionary)
    remap = enc.indices.to_numpy(zero_copy_only=False).astype(dtype)
    return remap[_indices(arr)], enc.dictionary


def _rows_where(arr: pa.DictionaryArray, mask_of_dictionary: np.ndarray) -> np.ndarray:
    """Rows whose dictionary value satisfies the mask."""
    if not mask_of_dictionary.any():
        return np.zeros(0, np.int64)
    return np.flatnonzero(mask_of_dictionary[_indices(arr)])


def _with(arr: pa.DictionaryArray, dictionary: pa.Array) -> pa.DictionaryArray:
    return pa.DictionaryArray.from_arrays(arr.indices, dictionary)


def clean_text(st: Stack, field: str, number_as_text: bool = False) -> pa.DictionaryArray:
    """Trim spaces (logged ``trim_spaces``) and turn ``2016.0`` into ``2016`` (logged ``number_as_text``).

    Works on the distinct values; the rows are found through the dictionary indices. When no value
    changes, the column itself (the very object ``st.cols[field]``) is returned.
    """
    arr = st.cols[field]
    values = arr.dictionary
    trimmed = pc.utf8_trim_whitespace(values)
    differs = pc.not_equal(values, trimmed).to_numpy(zero_copy_only=False)
    changed = bool(differs.any())
    idx = _rows_where(arr, differs)
    codes = _indices(arr)[idx]
    st.add_log(idx, field, pc.take(values, codes), pc.take(trimmed, codes), "trim_spaces")
    if number_as_text and pc.any(pc.match_substring(trimmed, ".0")).as_py():
        is_float = pc.match_substring_regex(trimmed, r"^[+-]?\d+\.0+$").to_numpy(zero_copy_only=False)
        if is_float.any():
            fixed = pc.replace_substring_regex(trimmed, r"\.0+$", "")
            idx = _rows_where(arr, is_float)
            codes = _indices(arr)[idx]
            st.add_log(idx, field, pc.take(trimmed, codes), pc.take(fixed, codes), "number_as_text")
            trimmed = fixed
            changed = True
    return _with(arr, trimmed) if changed else arr


def parse_years(st: Stack, y0: int, y1: int) -> np.ndarray:
    """Year of every row (−1 when missing or bad, with a problem), from the column or the sheet name."""
    if "year" not in st.cols:
        years = np.full(st.n, -1, dtype=np.int64)       # from the sheet names only
    else:
        text = clean_text(st, "year", number_as_text=True)
        codes, values = _encode(text)
        parsed = np.full(len(values), -1, dtype=np.int64)
        for k, v in enumerate(values):
            if v == "":
                continue
            if _INT_RE.match(v):
                parsed[k] = int(v)
            else:
                st.problem(np.flatnonzero(codes == k), "year", v, "non-numeric year: write the year as digits, e.g. 2016")
                parsed[k] = -2
        if all(t.sheet_year is None for t in st.tables):
            # no year from a sheet name: every check is decided on the distinct texts, rows found only for problems
            if (parsed == -1).any():
                st.problem(np.flatnonzero((parsed == -1)[codes]), "year", "",
                           "year missing: no year in the row and none in the sheet name")
            for y in sorted({int(v) for v in parsed if v >= 0 and (v < y0 or v > y1)}):
                st.problem(np.flatnonzero((parsed == y)[codes]), "year", y,
                           f"year out of range {y0}–{y1} (panel.years)")
            return np.where(parsed < 0, -1, parsed)[codes]
        years = parsed[codes]
    sheet_years = np.array([t.sheet_year if t.sheet_year is not None else -1 for t in st.tables], np.int64)[st.tid]
    differ = (years >= 0) & (sheet_years >= 0) & (years != sheet_years)
    for y, sy in set(zip(years[differ].tolist(), sheet_years[differ].tolist())):
        st.problem(np.flatnonzero(differ & (years == y) & (sheet_years == sy)), "year", y,
                   f"year differs from the sheet's year {sy}")
    years = np.where(years == -1, sheet_years, years)
    missing = np.flatnonzero(years == -1)
    st.problem(missing, "year", "", "year missing: no year in the row and none in the sheet name")
    out = (years >= 0) & ((years < y0) | (years > y1))
    for y in np.unique(years[out]):
        st.problem(np.flatnonzero(years == y), "year", int(y), f"year out of range {y0}–{y1} (panel.years)")
    return np.where(years < 0, -1, years)


def parse_scores(st: Stack) -> np.ndarray:
    """Score of every row as float (NaN when empty); decimal comma logged; bad or out-of-range listed."""
    text = clean_text(st, "score")
    codes, values = _encode(text)
    parsed = np.full(len(values), np.nan)
    for k, v in enumerate(values):
        if v == "":
            continue
        fixed = v.replace(" ", "")
        if re.fullmatch(r"[+-]?\d+,\d+", fixed):
            fixed = fixed.replace(",", ".")
            idx = np.flatnonzero(codes == k)
            st.add_log(idx, "score", [v] * len(idx), [fixed] * len(idx), "decimal_comma")
        try:
            value = float(fixed)
        except ValueError:
            st.problem(np.flatnonzero(codes == k), "score", v, "score is not a number")
            continue
        if not 0 <= value <= 100:
            st.problem(np.flatnonzero(codes == k), "score", v, "score outside 0–100")
            continue
        parsed[k] = value
    return parsed[codes]


def unique_small(keys: np.ndarray, size: int | None = None) -> np.ndarray:
    """``np.unique(keys)`` for non-negative integer keys below ``size`` (default: their maximum + 1), by counting
    when that is small (O(rows), no sort or hash table)."""
    if not len(keys):
        return np.unique(keys)
    size = int(keys.max()) + 1 if size is None else size
    if size > 4 * len(keys) + (1 << 16):
        return np.unique(keys)
    return np.flatnonzero(np.bincount(keys, minlength=size)).astype(keys.dtype, copy=False)


def _unique_inverse(keys: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` for non-negative keys below ``size``, by counting when that is
    small (O(rows), no sort)."""
    if size > 4 * len(keys) + (1 << 16):
        return np.unique(keys, return_inverse=True)
    used = np.flatnonzero(np.bincount(keys, minlength=size))
    position = np.zeros(size, dtype=keys.dtype)
    position[used] = np.arange(len(used))
    return used, position[keys]


@dataclass(frozen=True)
class _Resolved:
    code: str | None
    scale_id: str | None
    rule: str | None


def resolve_ratings(st: Stack, years: np.ndarray, scores: np.ndarray | None, level: str,
                    mapping: dict, per_row: bool = True) -> dict:
    """Match every (label, year) pair once.

    Returns ``rows`` (rating_code, scale, rating_label, rating_common: one text per pair when ``inverse``,
    the pair of every row, is given, otherwise one per row), ``order`` (per row), and ``pair_year``,
    ``pair_scale`` (the year and scale id of every pair). With ``per_row=False`` (a dry run: the problems only)
    nothing per row is built and nothing is logged when no score band is involved; the result then holds
    ``pair_year`` and ``pair_scale`` only. The problems are the same either way.
    """
    raw = st.cols["rating"]
    ymin = int(years[years >= 0].min()) if (years >= 0).any() else 0
    span = int(years.max()) - ymin + 2 if len(years) else 1
    # pair = label code × span + (year − ymin + 1), 0 for a missing year; in int32 when it fits (a year typed
    # 20166 makes the span large), so that fewer bytes per row are touched (each temporary is fresh memory)
    small = len(raw.dictionary) * span < 2 ** 31
    codes, values = _encode(raw, np.int32 if small else np.int64)
    pair = np.subtract(years, ymin - 1, dtype=codes.dtype)
    np.maximum(pair, 0, out=pair)                          # a missing year (−1) → 0
    pair += np.multiply(codes, span, dtype=codes.dtype)
    uniq, inverse = _unique_inverse(pair, len(values) * span)
    scales = _scales.load_scales()
    norm_map = {normalise_text(k): v for k, v in (mapping or {}).items()}
    other = "member" if level == "organisation" else "organisation"
    out_code = np.empty(len(uniq), dtype=object)
    out_scale = np.empty(len(uniq), dtype=object)
    out_rule = np.empty(len(uniq), dtype=object)
    unknown: dict[str, list[np.ndarray]] = {}
    for u, key in enumerate(uniq):
        text = values[key // span]
        yoff = key % span
        year = None if yoff == 0 else int(yoff - 1 + ymin)
        rows = None

        def here():
            nonlocal rows
            if rows is None:
                rows = np.flatnonzero(inverse == u)
            return rows

        expected = _scales.scale_for(year, level) if year is not None else None
        out_scale[u] = expected.id if expected else None
        stripped = text.strip()
        if stripped == "":
            if scores is not None and expected is not None and expected.has_scores:
                out_rule[u] = "score_band"
            else:
                st.problem(here(), "rating", text, "rating missing")
            continue
        target = norm_map.get(normalise_text(text)) if norm_map else None
        if target is not None:
            code = target if expected is None or target in expected.codes else None
            if code is None:
                m = match_label(target, year, level)
                code = m.code if m and expected and m.code in expected.codes else None
            if code is None:
                st.problem(here(), "rating", text,
                           f"panel.labels maps this label to {target!r}, which is not a level of scale "
                           f"{expected.id if expected else '?'} for year {year}")
                continue
            out_code[u], out_rule[u] = code, "study_mapping"
            continue
        m = match_label(text, year, level)
        legacy_rule = None
        if m is None:
            # a label typed with a TCVN3/VNI font inside a Unicode sheet (fonts mixed cell by cell)
            found = match_legacy_label(text, year, level)
            if found.ambiguous:
                st.problem(here(), "rating", text,
                           "after conversion from a legacy font the label matches several levels ("
                           + ", ".join(f"{enc}: {code}" for enc, code in sorted(found.codes.items()))
                           + "); map it under panel.labels")
                continue
            if found.match is not None:
                m, legacy_rule = found.match, f"legacy_{found.encoding}_cell"
        if m is None:
            if match_label(text, year, other) is not None:
                st.problem(here(), "rating", text,
                           f"members and organisations mixed: a label of the {other} scale in a {level} panel")
            else:
                unknown.setdefault(text, []).append(here())
            continue
        if m.cumulative:
            st.problem(here(), "rating", text,
                       "a cumulative category ('… trở lên') cannot rate one unit; map it under panel.labels")
            continue
        if expected is not None and m.scale_id != expected.id:
            st.problem(here(), "rating", text,
                       f"label of the wrong scale for its year: it belongs to {m.scale_id}, "
                       f"year {year} uses {expected.id}")
            continue
        rule = None if m.rule == "exact" else m.rule
        if legacy_rule:
            rule = legacy_rule if rule is None else f"{legacy_rule}+{rule}"
        out_code[u], out_rule[u] = m.code, rule
    for text, parts in unknown.items():
        idx = np.concatenate(parts)
        near = "; ".join(closest_labels(text, n=3, unit=level))
        st.problem(idx, "rating", text,
                   f"unknown label: closest known labels: {near}. Map it under panel.labels in the study file")
    pair_year = np.where(uniq % span == 0, -1, uniq % span - 1 + ymin)
    banded = scores is not None and any(s and scales[s].has_scores for s in out_scale)
    if not per_row and not banded:
        return {"pair_year": pair_year, "pair_scale": list(out_scale)}
    pair_label = np.empty(len(uniq), dtype=object)
    pair_common = np.empty(len(uniq), dtype=object)
    pair_order = np.full(len(uniq), -1, dtype=np.int8)
    for u in range(len(uniq)):
        if out_scale[u] and out_code[u]:
            lv = scales[out_scale[u]].level(out_code[u])
            pair_label[u], pair_common[u], pair_order[u] = lv.label_vi, lv.common, lv.order
    if not banded:
        # fast path: every row takes the values of its (label, year) pair, in C
        inv = pa.array(inverse.astype(np.int32))
        as_pairs = {name: pa.array(list(arr), type=pa.large_string())
                    for name, arr in (("rating_code", out_code), ("scale", out_scale),
                                      ("rating_label", pair_label), ("rating_common", pair_common))}
        changed_pair = np.array([r is not None for r in out_rule], dtype=bool)
        changed = np.flatnonzero(changed_pair[inverse])
        # the log: built per (label, year) pair, then spread over the changed rows through the pair codes
        pair_of = pa.array(inverse[changed].astype(np.int32))
        st.add_log(changed, "rating", pc.take(raw, changed), pc.take(as_pairs["rating_label"], pair_of),
                   pc.take(pa.array(list(out_rule), type=pa.large_string()), pair_of))
        return {"rows": as_pairs, "inverse": inv, "order": pair_order[inverse], "pair_year": pair_year,
                "pair_scale": list(out_scale)}
    row_code = out_code[inverse]
    row_scale = out_scale[inverse]
    row_rule = out_rule[inverse]
    # 100-point scales: a missing rating from the score band; a rating that disagrees with its band
    for sid in sorted({s for s in out_scale if s and scales[s].has_scores}):     # sorted: the same order every run
        sel = np.flatnonzero((row_scale == sid) & ~np.isnan(scores))
        if not len(sel):
            continue
        band = np.array([scales[sid].level_for_score(s).code for s in scores[sel]], dtype=object)
        fill = sel[row_rule[sel] == "score_band"]
        row_code[fill] = band[row_rule[sel] == "score_band"]
        clash = (row_code[sel] != band) & (row_rule[sel] != "score_band") & (row_code[sel] != None)  # noqa: E711
        for c in sorted(set(zip(row_code[sel][clash], band[clash]))):
            idx = sel[clash][(row_code[sel][clash] == c[0]) & (band[clash] == c[1])]
            st.problem(idx, "rating", c[0], f"rating disagrees with the score band ({c[1]}) of {sid}")
    missing_score = np.flatnonzero((row_rule == "score_band") & (row_code == None))  # noqa: E711
    st.problem(missing_score, "rating", "", "rating missing and no score to derive it from")
    if not per_row:
        return {"pair_year": pair_year, "pair_scale": list(out_scale)}
    labels, common, order = pair_label[inverse], pair_common[inverse], pair_order[inverse]
    derived = np.flatnonzero((row_rule == "score_band") & (row_code != None))  # noqa: E711
    for i in derived:
        lv = scales[row_scale[i]].level(row_code[i])
        labels[i], common[i], order[i] = lv.label_vi, lv.common, lv.order
    changed = np.flatnonzero(row_rule != None)  # noqa: E711
    st.add_log(changed, "rating", pc.take(raw, changed), labels[changed], row_rule[changed])
    strings = lambda arr: pa.array(list(arr), type=pa.large_string())  # noqa: E731
    return {"rows": {"rating_code": strings(row_code), "scale": strings(row_scale), "rating_label": strings(labels),
                     "rating_common": strings(common)},
            "inverse": None, "order": order, "pair_year": pair_year, "pair_scale": list(out_scale)}


def clean_unit_ids(st: Stack, mapping: dict) -> pa.DictionaryArray:
    """Unit ids trimmed, numbers-as-text fixed, old ids mapped to new ones (logged ``study_unit_id``)."""
    ids = clean_text(st, "unit_id", number_as_text=True)
    st.problem(_rows_where(ids, pc.equal(ids.dictionary, "").to_numpy(zero_copy_only=False)), "unit_id", "",
               "unit id missing")
    if mapping:
        old = pa.array([str(k) for k in mapping], type=pa.large_string())
        new = pa.array([str(v) for v in mapping.values()], type=pa.large_string())
        where = pc.index_in(ids.dictionary, value_set=old)
        hit = pc.is_valid(where).to_numpy(zero_copy_only=False)
        if hit.any():
            values = np.asarray(ids.dictionary.to_pylist(), dtype=object)
            mapped = values.copy()
            positions = where.to_numpy(zero_copy_only=False)
            mapped[hit] = np.asarray(new.to_pylist(), dtype=object)[positions[hit].astype(np.int64)]
            idx = _rows_where(ids, hit)
            codes = _indices(ids)[idx]
            st.add_log(idx, "unit_id", values[codes], mapped[codes], "study_unit_id")
            ids = _with(ids, pa.array(list(mapped), pa.large_string()))
    return ids
