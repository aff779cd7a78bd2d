"""Figures of test results: effect sizes with their intervals (forest), and a p-value at each recovered base."""

from __future__ import annotations

import math
import re

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from helpers.export.figure_parts import _ANALYSIS_ID, _figure_note, _tick_decimals, effect_label
from helpers.export.theme import figure_size, text, wrap_label
from helpers.export.glossary import test_name
from helpers.numbers import format_count, format_number, format_p_value

#: Effect sizes with their value of "no effect" (None: no reference line). Keys are those of
#: helpers.inference.results.EFFECT_NAMES; quantities that are not effect sizes are not drawn.
NULL_VALUES = {
    "odds_ratio": 1.0, "conditional_or": 1.0, "common_or": 1.0, "p_superiority": 0.5, "proportion": None,
    "cliffs_delta": 0.0, "net_improvement": 0.0, "cramers_v": 0.0, "log_or_interaction": 0.0,
    "log_or_pilot": 0.0, "difference_in_proportions": 0.0, "mean_difference": 0.0,
}

NOT_EFFECTS = ("power", "min_units")

def _null_value(effect_name: str) -> float | None:
    name = str(effect_name)
    if name in NULL_VALUES:
        return NULL_VALUES[name]
    lowered = name.lower()
    if "ratio" in lowered and not lowered.startswith("log"):
        return 1.0
    return 0.0

def _interval_text(value, low, high, language: str) -> str:
    separator = "; " if language == "vi" else ", "
    shown = format_number(value, 2, language)
    if pd.isna(low) or pd.isna(high):
        return shown
    return f"{shown} [{format_number(low, 2, language)}{separator}{format_number(high, 2, language)}]"

def plot_forest(results: pd.DataFrame, language: str = "vi", width: str = "single") -> plt.Figure:
    """Forest plot of the effect sizes of the results table, with their confidence intervals.

    Parameters
    ----------
    results : DataFrame
        Results table (RESULT_COLUMNS of helpers.inference.results): question, test, effect,
        effect_name, ci_low, ci_high. Rows without an effect are not drawn.

    Returns
    -------
    Figure
        One panel per kind of effect (they are on different scales), a reference line at no effect
        (1 for ratios, on a log axis; 0 otherwise) and the value with its interval printed at right.

    Raises
    ------
    ValueError
        When no row has an effect size.
    """
    rows, left_out = forest_rows(results, language)
    if rows.empty:
        raise ValueError("plot_forest needs at least one result with an effect size (and an interval that agrees "
                         "with its test).")
    kinds = list(dict.fromkeys(rows["effect_name"].fillna("")))
    rows["label"] = [wrap_label(_short_test(t, language), 24 if width == "single" else 40) for t in rows["test"]]
    # Each row is as tall as its wrapped label, so neighbouring labels never overlap.
    rows["space"] = [max(1.0, 0.55 * (label.count("\n") + 1) + 0.35) for label in rows["label"]]
    heights = [rows.loc[rows["effect_name"].fillna("") == k, "space"].sum() for k in kinds]
    fig, axes = plt.subplots(len(kinds), 1, figsize=figure_size(width, 1.2 + 0.55 * sum(heights) + 0.9 * len(kinds)),
                             squeeze=False, height_ratios=[h + 0.6 for h in heights])
    for ax, kind in zip(axes[:, 0], kinds):
        part = rows.loc[rows["effect_name"].fillna("") == kind].reset_index(drop=True)
        null = _null_value(kind)
        space = part["space"].to_numpy()
        ys = np.cumsum(space) - space / 2
        label = effect_label(kind, language)
        low = part["ci_low"].fillna(part["effect"])
        high = part["ci_high"].fillna(part["effect"])
        ax.errorbar(part["effect"], ys, xerr=[(part["effect"] - low).clip(lower=0), (high - part["effect"]).clip(lower=0)], fmt="s",
                    color="#253494", markersize=4, capsize=2.5, linewidth=1.0)
        if null is not None:
            ax.axvline(null, color="#555555", linestyle="--", linewidth=0.7)
        if null == 1.0 and (pd.concat([low, high]) > 0).all():
            ax.set_xscale("log")
        ax.set_yticks(ys)
        ax.set_yticklabels(part["label"])
        ax.set_ylim(space.sum(), 0)
        for y, (_, r) in zip(ys, part.iterrows()):
            ax.annotate(_interval_text(r["effect"], r["ci_low"], r["ci_high"], language), (1.0, y),
                        xycoords=("axes fraction", "data"), xytext=(6, 0), textcoords="offset points",
                        va="center", ha="left", fontsize=7)
        ax.set_xlabel(f"{label} — {text('effect', language)}" if kind else text("effect", language))
        low_limit, high_limit = ax.get_xlim()
        if ax.get_xscale() == "log":
            ticks = [t * 10.0 ** e for e in range(-4, 5) for t in (1, 2, 5)]
            ticks = [t for t in ticks if low_limit <= t <= high_limit]
            ax.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        else:  # ticks a person reads: steps of 1, 2 or 5 times a power of ten, at most six
            ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
            ticks = [t for t in ax.get_xticks() if low_limit <= t <= high_limit]
        ax.set_xticks(ticks)
        ax.set_xticklabels([format_number(t, _tick_decimals(ticks), language) for t in ticks])
        ax.set_xlim(low_limit, high_limit)
        ax.tick_params(axis="x", which="minor", bottom=False)
    if left_out:
        _figure_note(fig, [text("forest_left_out", language, reasons="; ".join(
            text(f"forest_{reason}", language, count=count) for reason, count in left_out.items()))], width)
    return fig


#: A test name that marks an estimate made under an assumed pairing (the optimistic end of a range).
ASSUMED_PAIRING = "rank-preserving pairing (assumed)"


def ci_agrees(p_value, low, high, null, alpha: float = 0.05) -> bool:
    """Whether an interval says what its test says: it excludes the value of no effect exactly when p < alpha.

    Missing values (no p, no interval, no reference value) agree with anything.

    >>> ci_agrees(0.125, 0.09, 0.84, 0.0)   # Bình Thuận 7: the interval excludes 0, the sign test does not
    False
    """
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (p_value, low, high, null)):
        return True
    return (float(p_value) < alpha) == (float(low) > null or float(high) < null)


_BASE = re.compile(r"\s*\(N = (\d+)\)")


def _short_test(test: str, language: str) -> str:
    """A test's name as a forest label: in words, without the analysis id."""
    return test_name(_ANALYSIS_ID.sub("", str(test)), language)


def _collapse_bases(rows: pd.DataFrame, language: str = "vi") -> pd.DataFrame:
    """One row for a test run at several recovered bases ("… (N = 495)", "… (N = 990)"): the interval spans
    them all, the point is the smallest base's, and the test names the range of bases."""
    if rows.empty:
        return rows
    keys = [_BASE.sub("", str(t)) for t in rows["test"]]
    kept = []
    for key in dict.fromkeys(keys):
        part = rows.loc[[k == key for k in keys]]
        if len(part) == 1:
            kept.append(part)
            continue
        bases = sorted(int(m[1]) for t in part["test"] for m in [_BASE.search(str(t))] if m)
        first = part.iloc[[0]].copy()
        first["ci_low"], first["ci_high"] = part["ci_low"].min(), part["ci_high"].max()
        shown = f"N = {format_count(bases[0], language)}–{format_count(bases[-1], language)}"
        first["test"] = _ANALYSIS_ID.sub("", key) + f" ({shown})" + (
            _ANALYSIS_ID.search(key)[0] if _ANALYSIS_ID.search(key) else "")
        kept.append(first)
    return pd.concat(kept)


def forest_rows(results: pd.DataFrame, language: str = "vi") -> tuple[pd.DataFrame, dict[str, int]]:
    """The rows a forest plot may draw, and how many were left out for each reason.

    Drawn: the primary tests (with a Holm-adjusted p) when there are some, else every row. Left out: rows
    without an effect size; estimates made under an assumed pairing (``assumed``), which
    show only the optimistic end of what the totals allow; rows whose interval contradicts their own test
    (``disagrees``, see :func:`ci_agrees`).
    """
    rows = results.loc[pd.to_numeric(results["effect"], errors="coerce").notna()
                       & ~results["effect_name"].isin(NOT_EFFECTS)].copy()
    if "p_adjusted" in rows and pd.to_numeric(rows["p_adjusted"], errors="coerce").notna().any():
        # the primary tests (those in the Holm family) tell the story; the rest stay in the table
        rows = rows.loc[pd.to_numeric(rows["p_adjusted"], errors="coerce").notna()]
    for column in ("effect", "ci_low", "ci_high", "p_value"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce") if column in rows else math.nan
    assumed = rows["test"].astype(str).str.contains(ASSUMED_PAIRING, regex=False)
    disagrees = pd.Series([not ci_agrees(p, lo, hi, _null_value(name)) for p, lo, hi, name in
                           zip(rows["p_value"], rows["ci_low"], rows["ci_high"], rows["effect_name"])],
                          index=rows.index) & ~assumed
    left_out = {reason: int(mask.sum()) for reason, mask in (("assumed", assumed), ("disagrees", disagrees))
                if mask.any()}
    return _collapse_bases(rows.loc[~assumed & ~disagrees], language), left_out

#: Columns the base-sensitivity figure reads: one row per candidate base.
SENSITIVITY_COLUMNS = ["base", "p_value"]

def plot_base_sensitivity(table: pd.DataFrame, language: str = "vi", width: str = "single",
                          alpha: float = 0.05) -> plt.Figure:
    """A result at each base recovered from printed percentages: p-value per candidate base.

    Parameters
    ----------
    table : DataFrame
        Columns :data:`SENSITIVITY_COLUMNS`, candidate bases in increasing order.
    alpha : float
        The significance level drawn as a dashed line.

    Returns
    -------
    Figure
        Candidate bases on the horizontal axis (as printed counts), p-values on a log axis, each
        point labelled ``p = 0,016``; the reader sees whether the conclusion depends on the base.
    """
    if table.empty:
        raise ValueError("plot_base_sensitivity needs at least one candidate base.")
    fig, ax = plt.subplots(figsize=figure_size(width, 6.0))
    xs = np.arange(len(table))
    p = table["p_value"].astype(float).clip(lower=1e-300)
    ax.plot(xs, p, marker="o", color="#253494", linewidth=1.0, markersize=4)
    ax.axhline(alpha, color="#D55E00", linestyle="--", linewidth=0.8)
    ax.annotate(f"p = {format_number(alpha, 2, language)}", (1.0, alpha), xycoords=("axes fraction", "data"),
                xytext=(0, 3), textcoords="offset points", ha="right", va="bottom", fontsize=7,
                color="#D55E00")
    ax.set_yscale("log")
    for x, value in zip(xs, table["p_value"]):
        ax.annotate(format_p_value(float(value), language), (x, max(float(value), 1e-300)), xytext=(5, 3),
                    textcoords="offset points", ha="left", va="bottom", fontsize=7)
    ax.set_xticks(xs)
    ax.set_xticklabels([format_count(int(b), language) for b in table["base"]])
    ax.set_xlim(-0.5, len(xs) - 0.2)
    ax.set_xlabel(text("base", language))
    ax.set_ylabel(text("p_value", language))
    low, high = ax.get_ylim()
    ax.set_ylim(low, max(high, 1.5))
    ticks = [t for t in ax.get_yticks() if low <= t <= max(high, 1.5)]
    ax.set_yticks(ticks)
    ax.set_yticklabels([format_number(t, max(0, -int(math.floor(math.log10(t)))), language) if t >= 1e-3
                        else f"$10^{{{int(round(math.log10(t)))}}}$" for t in ticks])
    ax.tick_params(axis="y", which="minor", left=False)
    return fig
