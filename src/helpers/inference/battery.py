"""Run a study's ``analyses:`` list: every test of each analysis, Holm-adjusted, one results table.

The schema of ``analyses:`` and its validation live in :mod:`helpers.inference.analyses`; the
counts of a published table in :mod:`helpers.inference.published_counts`. Each analysis has
one **primary** row (first row of its design); primary rows with the same ``family`` are
Holm-adjusted together (:func:`helpers.inference.results.holm_adjust`). Other rows are
supporting evidence, marked "outside the Holm family". The ``test`` column holds the test name
followed by the analysis id in brackets.

The designs themselves run in :mod:`helpers.inference.battery_published` (on published counts) and
:mod:`helpers.inference.battery_panel` (on the cleaned panel), reading their entry through
:mod:`helpers.inference.battery_inputs`; this module dispatches them and adjusts the families.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.inference.analyses import validate_analyses
from helpers.inference.published_counts import published_counts
from helpers.inference.battery_inputs import _lead
from helpers.inference.battery_panel import _run_baseline, _run_did, _run_paired, _run_repeated, _run_two_sample
from helpers.inference.battery_published import _run_compare_years, _run_power, _run_reference, _run_totals
from helpers.inference.results import DESCRIPTIVE_ONLY, RESULT_COLUMNS, Reason, apply_holm, refused_row, rows_to_frame

__all__ = ["run_analyses", "validate_analyses", "published_counts"]


def _primary_index(design: str, frame: pd.DataFrame, extra) -> int | None:
    if design == "power" or frame.empty:
        return None
    if design == "reference":
        return 0  # the exact multinomial (the sensitivity rows follow; the first base is row `extra`)
    return 0


def _mark_outside(table: pd.DataFrame, in_any_family) -> pd.DataFrame:
    out = table.copy()
    for i, inside in enumerate(in_any_family):
        if not inside and not math.isnan(out.at[i, "p_value"]):
            text = out.at[i, "assumptions"]
            out.at[i, "assumptions"] = f"{text}; outside the Holm family" if text else "outside the Holm family"
    return out


def _mark_biased(frame: pd.DataFrame, reason) -> pd.DataFrame:
    """Rows of an analysis that is biased under the study's design: description only, with why."""
    out = frame.copy()
    has_p = out["p_value"].notna()
    vi, en = DESCRIPTIVE_ONLY["vi"], DESCRIPTIVE_ONLY["en"]
    out.loc[has_p, "assumptions"] = [f"{a}; {en}: {reason.en}" if a else f"{en}: {reason.en}"
                                     for a in out.loc[has_p, "assumptions"]]
    out.loc[has_p, "sentence_vi"] = out.loc[has_p, "sentence_vi"] + f" ({vi}: {reason.vi})"
    out.loc[has_p, "sentence_en"] = out.loc[has_p, "sentence_en"] + f" ({en}: {reason.en})"
    return out


def run_analyses(study, output_dir, judge=None, extra_rows=()) -> pd.DataFrame:
    """Run every analysis of ``study`` and return the results table (:data:`RESULT_COLUMNS`).

    Reads ``output_dir/processed/panel.parquet`` when the study has a panel, and the
    published tables through ``helpers.published.read_published``. A test that cannot run
    is a row whose note says why; an analysis that fails unexpectedly is a row naming the
    error (the run goes on).

    Parameters
    ----------
    judge : callable, optional
        ``judge(entry) -> Reason | None``: why an analysis is biased under the study's design
        (:mod:`helpers.inference.designs`). A biased analysis is kept as description, outside
        every Holm family, and its sentences and ``assumptions`` say why.
    extra_rows : sequence of (DataFrame, int or None)
        Further rows (the claims' rows, :mod:`helpers.inference.claims`) and the index of
        their primary row, which joins the family "primary"; appended after the analyses.

    Raises
    ------
    InputError
        When the ``analyses:`` list has problems (all listed at once).
    """
    published = None
    if study.published:
        from helpers.published import read_published

        published = read_published(study.published)
    panel = None
    panel_file = Path(output_dir) / "processed" / "panel.parquet"
    if study.panel is not None and panel_file.exists():
        panel = pd.read_parquet(panel_file)
    panel_years = None if panel is None else panel.loc[panel["rating_order"].notna(), "year"].dropna().astype(int)
    problems = validate_analyses(list(study.analyses), study.file, published, panel_years=panel_years)
    if problems:
        raise InputError(problems, f"the analyses of study {study.name} have problems")
    frames, families = [], []
    for entry in study.analyses:
        design = entry["design"]
        try:
            extra = None
            if design == "totals":
                frame = _run_totals(study.name, entry, published)
            elif design == "compare-years":
                frame = _run_compare_years(study.name, entry, published)
            elif design == "power":
                frame = _run_power(study.name, entry, published)
            elif design == "reference":
                frame, extra = _run_reference(study.name, entry, published)
            elif design == "two-sample":
                frame = _run_two_sample(study.name, entry, panel, published)
            elif design == "paired":
                frame = _run_paired(study.name, entry, panel)
            elif design == "repeated":
                frame = _run_repeated(study.name, entry, panel)
            elif design == "did":
                frame = _run_did(study.name, entry, panel)
            else:
                frame = _run_baseline(study.name, entry, panel)
        except (ValueError, KeyError, IndexError, np.linalg.LinAlgError) as exc:
            frame = rows_to_frame([refused_row(study.name, entry["question"], design, Reason(
                f"lỗi khi chạy phân tích: {exc}", f"the analysis failed: {type(exc).__name__}: {exc}"),
                lead=_lead(entry))])
        frame = frame.copy()
        frame["test"] = frame["test"] + f" [{entry['id']}]"
        family = str(entry.get("family", "primary"))
        biased = judge(entry) if judge is not None else None
        if biased is not None:
            family = "none"
            frame = _mark_biased(frame, biased)
        flags = [False] * len(frame)
        primary = _primary_index(design, frame, extra)
        if family != "none" and primary is not None:
            flags[primary] = True
            if extra:
                flags[extra] = True
        frames.append(frame)
        families.append([(family if f else None) for f in flags])
    for frame, primary in extra_rows:
        frames.append(frame)
        families.append([("primary" if i == primary else None) for i in range(len(frame))])
    if not frames:
        return rows_to_frame([])
    table = pd.concat(frames, ignore_index=True)
    fam = [f for group in families for f in group]
    for name in sorted({f for f in fam if f is not None}):
        table = apply_holm(table, [f == name for f in fam], mark_outside=False)
    table = _mark_outside(table, [f is not None for f in fam])
    return table[RESULT_COLUMNS].reset_index(drop=True)
