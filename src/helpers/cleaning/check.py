"""A dry run of the cleaning: every problem of a ``panel:`` section and its files, nothing written.

:func:`check_panel_data` reads the files and runs the validation steps of
:func:`helpers.cleaning.panel.clean_panel` in the same order (the same functions of
:mod:`helpers.cleaning.clean` and :mod:`helpers.cleaning.identity`), without building the cleaned
table, and adds the checks of settings that would otherwise be silently unused:

* a column mapped under ``panel.columns`` (or ``pilots.column``) that no file or sheet has;
* a ``panel.labels`` entry that matches no rating text of the files;
* a ``panel.unit_ids`` entry whose old id is no unit's id.

Each problem names the study file and field, or the data file, sheet, row and column, and says
how to fix it. ``tests/test_study_check.py`` checks that a dry run and a real cleaning report the
same data problems.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow.compute as pc

from helpers.cleaning import clean as _clean
from helpers.cleaning import identity as _identity
from helpers.cleaning import pilots as _pilots
from helpers.cleaning.labels import normalise_text
from helpers.cleaning.panel import _MEMBER_TYPES, _ORG_WORDS, read_panel_tables
from helpers.cleaning.panel_config import check_panel_config
from helpers.errors import Problem


@dataclass(frozen=True)
class PanelCheck:
    """Problems of a panel and what was learnt reading it (the years rated, the ids seen)."""

    problems: tuple[Problem, ...]
    years: frozenset = frozenset()
    n_rows: int = 0
    headers: dict = field(default_factory=dict)     # field -> headers found in the files


def _settings_problems(panel: dict, columns: dict, tables: list, st, study_file: str) -> list[Problem]:
    problems = []
    found = {f: sorted({t.headers[f] for t in tables if f in t.headers}) for f in columns}
    seen = sorted({h for t in tables for h in t.headers.values()})
    for name, alts in columns.items():
        if not found[name]:
            where = "panel.pilots.column" if name == "pilot" else f"panel.columns.{name}"
            problems.append(Problem(
                file=study_file, column=where, kind="field", value=" | ".join(alts),
                rule=f"no file or sheet of the panel has this column (headers found: {', '.join(seen)}); "
                     "give the header as written in the file, or delete the line"))
    labels = panel.get("labels") or {}
    if labels and "rating" in st.cols:
        typed = {normalise_text(v) for v in st.cols["rating"].dictionary.to_pylist()}
        for text in labels:
            if normalise_text(text) not in typed:
                problems.append(Problem(
                    file=study_file, column=f"panel.labels.{text}", kind="field", value=text,
                    rule="no rating in the files is typed this way; correct the text or delete the line"))
    unit_ids = panel.get("unit_ids") or {}
    if unit_ids and "unit_id" in st.cols:
        ids = set(pc.utf8_trim_whitespace(st.cols["unit_id"].dictionary).to_pylist())
        for old in unit_ids:
            if str(old) not in ids:
                problems.append(Problem(
                    file=study_file, column=f"panel.unit_ids.{old}", kind="field", value=old,
                    rule="no unit of the panel has this id; correct it or delete the line"))
    return problems


def check_panel_data(panel: dict, study_file: str | Path) -> PanelCheck:
    """Every problem of ``panel`` (configuration, files, values, unused settings) at once.

    As in the cleaning, one helper thread counts lines while pyarrow reads, then makes the name keys of
    the changed-id check while the main thread checks the ratings. Unlike the cleaning, nothing per row is
    built that only an output needs: pyarrow reads every column dictionary-encoded (no plain texts kept), and
    the ratings are matched per (label, year) pair without the per-row columns and the log.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="check_panel") as pool:
        return _check_panel_data(panel, str(study_file), pool)


def _check_panel_data(panel: dict, study_file: str, pool: ThreadPoolExecutor) -> PanelCheck:
    problems = list(check_panel_config(panel, study_file))
    if problems:
        return PanelCheck(tuple(problems))
    # nothing is written: every column read dictionary-encoded (no per-row texts kept for an output)
    columns, tables = read_panel_tables(panel, problems, pool, plain=False)
    if problems:
        return PanelCheck(tuple(problems))
    st = _clean.stack_tables(tables, list(columns), problems)
    keys = {f: pool.submit(_identity.text_keys, st.cols[f]) for f in ("unit_name", "parent") if f in st.cols}
    settings = _settings_problems(panel, columns, tables, st, study_file)
    ids = _clean.clean_unit_ids(st, panel.get("unit_ids") or {})
    y0, y1 = panel["years"]
    years = _clean.parse_years(st, y0, y1)
    scores = _clean.parse_scores(st) if "score" in st.cols else None
    level = panel["level"]
    # the problems only: the per-row outputs and the log of a real cleaning are not built
    pairs = _clean.resolve_ratings(st, years, scores, level, panel.get("labels") or {}, per_row=False)
    uid, id_values = _clean._encode_arrow(ids, ids is st.cols["unit_id"])
    empty_id = pc.index(id_values, "").as_py()
    if empty_id >= 0:
        uid = np.where(uid == empty_id, -1, uid)
    _identity.check_duplicates(st, uid, years)
    _identity.check_id_changes(st, ids, uid, years, {f: job.result() for f, job in keys.items()})
    _identity.check_unit_types(st, level, _MEMBER_TYPES, _ORG_WORDS)
    pilots = panel.get("pilots") or {}
    if "file" in pilots:
        _pilots.read_pilots(panel, set(id_values.to_pylist()), panel.get("unit_ids") or {}, problems)
    elif "column" in pilots:
        _pilots.pilots_from_column(st, panel, ids, years)
    headers = {f: sorted({t.headers[f] for t in tables if f in t.headers}) for f in columns}
    # the years of the (label, year) pairs: every year a row has, without another pass over the rows
    rated = frozenset(int(y) for y in pairs["pair_year"] if y >= 0)
    return PanelCheck(tuple(problems + settings), rated, st.n, headers)
