"""Pilot assignments of a panel: a second file (unit id, programme, start, end) or a flag column.

Part of :mod:`helpers.cleaning.panel` (see its docstring for the ``pilots:`` schema). One row per
pilot unit comes out: unit_id, programme, pilot_start, pilot_end.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow as pa

from helpers.cleaning import clean as _clean
from helpers import paths
from helpers.errors import Problem
from helpers.cleaning.labels import normalise_text
from helpers.cleaning.read import read_table_file

PILOT_FIELDS = ("unit_id", "programme", "start", "end")
PILOT_COLUMNS = ["unit_id", "programme", "pilot_start", "pilot_end"]
_TRUE = {"x", "1", "có", "co", "true", "yes", "y", "đúng", "dung", "v", "✓"}
_FALSE = {"", "0", "không", "khong", "false", "no", "n", "-"}


def _columns(mapping):
    return {k: ([v] if isinstance(v, str) else [str(x) for x in v]) for k, v in (mapping or {}).items()}


def read_pilots(panel: dict, ids: set[str], unit_map: dict, problems: list[Problem]) -> pd.DataFrame:
    """Pilot units from the pilots file: unit_id, programme, pilot_start, pilot_end (one row per unit)."""
    spec = panel["pilots"]
    file = spec["file"]
    shown = _clean.shown(file)
    tables = read_table_file(paths.raw_path(file), shown, _columns(spec.get("columns")), {"unit_id"}, problems,
                             sheets=spec.get("sheets"))
    rows = []
    for t in tables:
        get = {f: (t.columns[f].to_pylist() if f in t.columns else [None] * len(t.rows)) for f in PILOT_FIELDS}
        for i, r in enumerate(t.rows):
            uid = str(get["unit_id"][i] or "").strip()
            uid = re.sub(r"\.0+$", "", uid) if re.fullmatch(r"\d+\.0+", uid) else uid
            uid = str(unit_map.get(uid, uid))
            rec = {"unit_id": uid, "programme": (get["programme"][i] or "").strip() or spec.get("programme"),
                   "file": t.file, "sheet": t.sheet, "row": int(r)}
            for key in ("start", "end"):
                value = (get[key][i] or "").strip()
                if value == "":
                    value = spec.get(key)
                try:
                    rec[f"pilot_{key}"] = int(float(value)) if value is not None else None
                except ValueError:
                    problems.append(Problem(file=t.file, sheet=t.sheet, row=int(r), column=t.headers.get(key, key),
                                            value=value, rule=f"pilot {key} year is not a year"))
                    rec[f"pilot_{key}"] = None
            if uid == "":
                problems.append(Problem(file=t.file, sheet=t.sheet, row=int(r), column=t.headers["unit_id"],
                                        value="", rule="pilot unit id missing"))
                continue
            if uid not in ids:
                problems.append(Problem(file=t.file, sheet=t.sheet, row=int(r), column=t.headers["unit_id"],
                                        value=uid, rule="a pilot id absent from the panel"))
            if rec["pilot_start"] is None or rec["pilot_end"] is None:
                problems.append(Problem(file=t.file, sheet=t.sheet, row=int(r), column=None, value=uid,
                                        rule="pilot start and end years are needed (a column or pilots.start/end)"))
            elif rec["pilot_start"] > rec["pilot_end"]:
                problems.append(Problem(file=t.file, sheet=t.sheet, row=int(r), column=t.headers.get("start"),
                                        value=f"{rec['pilot_start']}–{rec['pilot_end']}", rule="pilot starts after it ends"))
            rows.append(rec)
    frame = pd.DataFrame(rows, columns=["unit_id", "programme", "pilot_start", "pilot_end", "file", "sheet", "row"])
    dup = frame[frame.duplicated("unit_id", keep="first")]
    for r in dup.itertuples():
        problems.append(Problem(file=r.file, sheet=r.sheet, row=r.row, column=None, value=r.unit_id,
                                rule="pilot listed twice (one row per pilot unit)"))
    return frame.drop_duplicates("unit_id")[["unit_id", "programme", "pilot_start", "pilot_end"]]


def pilots_from_column(st, panel, ids, years: np.ndarray) -> pd.DataFrame:
    """Pilot units from a flag column: unit_id, programme, pilot_start, pilot_end (one row per unit).

    ``ids`` holds the cleaned unit id of every row (an arrow array, or a numpy array of texts).
    """
    spec = panel["pilots"]
    text = _clean.clean_text(st, "pilot")
    codes, values = _clean._encode(text)
    flag = np.zeros(len(values), dtype=bool)
    for k, v in enumerate(values):
        key = normalise_text(v)
        if key in _TRUE:
            flag[k] = True
        elif key not in _FALSE:
            st.problem(np.flatnonzero(codes == k), "pilot", v,
                       f"pilot flag not understood; use one of: {', '.join(sorted(_TRUE - {''}))} or empty")
        if key != v and v != "":
            idx = np.flatnonzero(codes == k)
            st.add_log(idx, "pilot", [v] * len(idx), ["true" if flag[k] else "false"] * len(idx), "pilot_flag")
    row_flag = flag[codes]
    flagged = (ids.filter(pa.array(row_flag)).cast(pa.large_string()).to_numpy(zero_copy_only=False)
               if isinstance(ids, pa.Array) else ids[row_flag])
    frame = pd.DataFrame({"unit_id": flagged, "year": years[row_flag]})
    out = frame.groupby("unit_id")["year"].agg(pilot_start="min", pilot_end="max").reset_index()
    out["programme"] = spec.get("programme")
    if "start" in spec:
        out["pilot_start"] = spec["start"]
    if "end" in spec:
        out["pilot_end"] = spec["end"]
    return out[["unit_id", "programme", "pilot_start", "pilot_end"]]
