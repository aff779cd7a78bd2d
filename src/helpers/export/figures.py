"""Article-ready figures in the house theme, and :func:`save_figure` writing them reproducibly.

Every function takes tidy data and a language and returns a matplotlib Figure,
drawn inside :func:`helpers.export.theme.house_style` by the caller (or by
:func:`helpers.export.export_study`). No figure has a title: the caption goes in
the article ("Hình N." / "Figure N."), as journals ask.

- :func:`plot_distribution` — 100 % stacked bars per year and group, labelled with counts and percentages;
- :func:`plot_groups` — pilots vs the rest (or the province): share per level, one marker per group;
- :func:`plot_transitions` — paired transition matrix (heatmap) between two years, from unit-level data;
- :func:`plot_change` — change of each level's share since the baseline year, in percentage points;
- :func:`plot_forest` — effect sizes with confidence intervals, from the results table;
- :func:`plot_base_sensitivity` — a result (p-value) at each base recovered from printed percentages.
"""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import matplotlib.pyplot as plt
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from helpers import paths
from helpers import scales as _scales
from helpers.export import glossary, theme
from helpers.export.data import by_level, printed_twice
from helpers.export.theme import (
    GROUP_STYLES, LEVEL_COLOURS, LEVEL_HATCHES, LEVELS, code_label, figure_size, text, text_colour_on,
    wrap_label, year_label,
)
from helpers.inference.results import sentence_test_name
from helpers.numbers import format_count, format_number, format_p_value, format_percent

_ANALYSIS_ID = re.compile(r" \[[^\]]*\]$")  # the "[analysis-id]" the battery appends to test names

#: Formats written by :func:`save_figure`: file suffix → savefig keyword arguments.
FIGURE_FORMATS = {
    "_300dpi.png": {"format": "png", "dpi": 300, "pil_kwargs": {"compress_level": 3}},
    "_600dpi.png": {"format": "png", "dpi": 600, "pil_kwargs": {"compress_level": 3}},
    ".svg": {"format": "svg"},
    ".pdf": {"format": "pdf"},
}
#: Fixed metadata: no date, a fixed creator, so a rerun writes the same bytes.
_CREATOR = "helpers.export (matplotlib)"
_METADATA = {
    "png": {"Software": _CREATOR},
    "svg": {"Date": None, "Creator": _CREATOR},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": _CREATOR, "Producer": _CREATOR},
}
UNKNOWN_COLOUR = "#f0f0f0"


def group_label(group: str, language: str) -> str:
    """Printed name of a group: the house words for pilots / rest / all, else the name as given."""
    key = {"pilot": "pilots", "pilots": "pilots", "rest": "rest", "all": "all"}.get(str(group).lower())
    return text(key, language) if key else str(group)


def _level_names(distribution: pd.DataFrame, language: str) -> dict[str, str]:
    """Legend name of each common level: the codes met in the data, joined by ' / '."""
    names = {}
    for level in LEVELS:
        codes = distribution.loc[distribution["rating_common"] == level, "rating_code"]
        split = dict.fromkeys(c.strip() for value in codes for c in str(value).split("/") if c.strip())
        names[level] = " / ".join(code_label(c, language, c) for c in split) or theme.LEVEL_LABELS[level][language]
    return names


def _percent_text(row, language: str) -> str:
    if isinstance(row["percent"], float) and math.isnan(row["percent"]):
        return ""
    return format_percent(row["percent"], int(row["percent_decimals"]), language)


def _bar_keys(distribution: pd.DataFrame) -> list[tuple]:
    return list(dict.fromkeys(zip(distribution["group"], distribution["year"], distribution["table_id"])))


def _fit_label(ax, renderer, x_centre, y, candidates, width_px, height_px, colour, background=None) -> None:
    """Write the first of ``candidates`` that fits inside a bar segment, else nothing.

    ``background`` (a colour) puts a plain box behind the text, so that hatching does not cross it.
    """
    box_style = None if background is None else {"facecolor": background, "edgecolor": "none", "pad": 0.6}
    for candidate in candidates:
        if not candidate:
            continue
        label = ax.text(x_centre, y, candidate, ha="center", va="center", color=colour, fontsize=7,
                        linespacing=1.1, bbox=box_style)
        box = label.get_window_extent(renderer)
        if box.width <= width_px - 2 and box.height <= height_px - 1:
            return
        label.remove()


def plot_distribution(distribution: pd.DataFrame, language: str = "vi", width: str = "double") -> plt.Figure:
    """Rating distribution as 100 % stacked horizontal bars, one bar per group and year.

    Parameters
    ----------
    distribution : DataFrame
        Columns of :data:`helpers.export.data.DISTRIBUTION_COLUMNS`.
    language : {'vi', 'en'}
    width : {'single', 'double'}

    Returns
    -------
    Figure
        Segments ordered from the failing level (left, hatched) to the top level (right); each is
        labelled ``14 (25,0%)`` — on two lines or as the count alone when narrow, left out when even
        that does not fit (the table beside the figure has every number). A share that the
        source does not account for is a pale segment named "Không rõ" / "Not stated".
    """
    data = by_level(distribution)
    keys = _bar_keys(data)
    several_groups = len({k[0] for k in keys}) > 1
    names = _level_names(data, language)
    tick_labels = [f"{wrap_label(group_label(k[0], language), 18)}\n{year_label(k[1], language)}" if several_groups
                   else year_label(k[1], language) for k in keys]
    lines = max(label.count("\n") + 1 for label in tick_labels) if tick_labels else 1
    fig = plt.figure(figsize=figure_size(width, 2.0 + max(0.9, 0.34 * lines + 0.15) * len(keys)))
    ax = fig.add_subplot()
    positions = {key: i for i, key in enumerate(keys)}
    segments = []
    for key in keys:
        part = data.loc[(data["group"] == key[0]) & (data["year"] == key[1]) & (data["table_id"] == key[2])]
        left = 0.0
        for level in LEVELS:
            row = part.loc[part["rating_common"] == level]
            if row.empty:
                continue
            row = row.iloc[0]
            share = 0.0 if math.isnan(row["percent"]) else float(row["percent"])
            ax.barh(positions[key], share, left=left, height=0.6, color=LEVEL_COLOURS[level],
                    hatch=LEVEL_HATCHES[level], edgecolor="white", linewidth=0.8)
            segments.append((positions[key], left, share, row, level))
            left += share
        if 100.0 - left > 0.05:
            ax.barh(positions[key], 100.0 - left, left=left, height=0.6, color=UNKNOWN_COLOUR,
                    edgecolor="#9a9a9a", linewidth=0.5)
            segments.append((positions[key], left, 100.0 - left, None, "unknown"))
    ax.set_yticks(range(len(keys)))
    ax.set_yticklabels(tick_labels, linespacing=1.1)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xticklabels([format_number(v, 0, language) for v in range(0, 101, 20)])
    ax.set_xlabel(text("share", language))
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", length=0)
    handles = [Patch(facecolor=LEVEL_COLOURS[lv], hatch=LEVEL_HATCHES[lv], edgecolor="white", label=names[lv])
               for lv in LEVELS if (data["rating_common"] == lv).any()]
    if any(s[4] == "unknown" for s in segments):
        handles.append(Patch(facecolor=UNKNOWN_COLOUR, edgecolor="#9a9a9a",
                             label="Không rõ" if language == "vi" else "Not stated"))
    fig.legend(handles=handles, loc="outside upper center", ncol=len(handles), handlelength=1.6,
               columnspacing=1.2)
    fig.canvas.draw()
    fig.set_layout_engine("none")  # freeze the layout so the labels measured below stay inside their segment
    renderer = fig.canvas.get_renderer()
    to_px = ax.transData
    for y, left, share, row, level in segments:
        if row is None:
            continue
        (x0, y0), (x1, y1) = to_px.transform([(left, y - 0.3), (left + share, y + 0.3)])
        percent = _percent_text(row, language)
        if pd.isna(row["count"]):
            candidates = [percent]
        else:
            count = format_count(int(row["count"]), language)
            candidates = [f"{count} ({percent})", f"{count}\n({percent})", count]
        _fit_label(ax, renderer, left + share / 2, y, candidates, abs(x1 - x0), abs(y1 - y0),
                   text_colour_on(LEVEL_COLOURS[level]),
                   background=LEVEL_COLOURS[level] if LEVEL_HATCHES[level] else None)
    return fig


def plot_groups(distribution: pd.DataFrame, language: str = "vi", width: str = "double") -> plt.Figure:
    """Pilots vs the rest: the share of each level, one marker per group, one panel per year.

    Parameters
    ----------
    distribution : DataFrame
        :data:`~helpers.export.data.DISTRIBUTION_COLUMNS`; only years with two groups or more are drawn.

    Returns
    -------
    Figure
        Levels on the vertical axis (top level first), shares on the horizontal axis; groups are
        told apart by colour, marker shape and a printed percentage beside each marker. With more
        than three such years only the first and the last are drawn.
    """
    data = by_level(distribution)
    years = [y for y in sorted(data["year"].unique()) if data.loc[data["year"] == y, "group"].nunique() > 1]
    if not years:
        raise ValueError("plot_groups needs a year with at least two groups (e.g. pilots and the rest).")
    if len(years) > 3:  # a panel per year would be unreadable: the first and the last year tell the story
        years = [years[0], years[-1]]
    names = _level_names(data, language)
    groups = list(dict.fromkeys(data.loc[data["year"].isin(years), "group"]))
    n_levels = data.loc[data["year"].isin(years), "rating_common"].nunique()
    height = 2.6 + n_levels * max(0.8, 0.34 * len(groups))
    fig, axes = plt.subplots(1, len(years), figsize=figure_size(width, height), sharey=True, squeeze=False)
    drawn: set = set()
    for ax, year in zip(axes[0], years):
        part = data.loc[data["year"] == year]
        levels = [lv for lv in LEVELS if (data.loc[data["year"].isin(years), "rating_common"] == lv).any()]
        spread = 0.18 if len(groups) <= 2 else 0.34
        offsets = np.linspace(-spread, spread, len(groups)) if len(groups) > 1 else [0.0]
        for g, group in enumerate(groups):
            rows = part.loc[part["group"] == group].set_index("rating_common")
            style = GROUP_STYLES[g % len(GROUP_STYLES)]
            xs, ys = [], []
            for i, level in enumerate(levels):
                if level in rows.index and not math.isnan(rows.loc[level, "percent"]):
                    xs.append(rows.loc[level, "percent"])
                    ys.append(i + offsets[g])
                    ax.annotate(_percent_text(rows.loc[level], language), (xs[-1], ys[-1]),
                                xytext=(5, 0), textcoords="offset points", va="center", fontsize=6.5,
                                color=style["color"])
            base = rows["base"].dropna()
            label = group_label(group, language)
            if len(base):
                label += f" (N = {format_count(int(base.iloc[0]), language)})"
            ax.scatter(xs, ys, color=style["color"], marker=style["marker"], s=22, zorder=3,
                       label=label if ax is axes[0][0] or group not in drawn else None)
            drawn.add(group)
            for x, y in zip(xs, ys):
                ax.plot([0, x], [y, y], color=style["color"], linewidth=0.6, alpha=0.5, zorder=2)
        ax.set_yticks(range(len(levels)))
        ax.set_yticklabels([names[lv] for lv in levels])
        ax.set_xlim(0, 100)
        ax.set_xticks(range(0, 101, 25))
        ax.set_xticklabels([format_number(v, 0, language) for v in range(0, 101, 25)])
        ax.set_xlabel(text("share", language))
        ax.set_title(year_label(year, language))
        ax.grid(axis="x", linewidth=0.3, color="#cccccc")
    handles, labels = [], []
    for ax in axes[0]:
        for handle, label in zip(*ax.get_legend_handles_labels()):
            if label not in labels:
                handles.append(handle)
                labels.append(label)
    fig.legend(handles, [wrap_label(lb, 40) for lb in labels], loc="outside upper center",
               ncol=min(len(labels), 2))
    return fig


def plot_transitions(panel: pd.DataFrame, year_from: int, year_to: int, language: str = "vi",
                     width: str = "double") -> plt.Figure:
    """Paired transition matrix of ratings between two years (units rated in both), as a heatmap.

    Parameters
    ----------
    panel : DataFrame
        Processed panel: unit_id, year, rating_common, rating_code and, when present, pilot.
    year_from, year_to : int

    Returns
    -------
    Figure
        One panel per group (pilots, rest) when the panel marks pilots; cells show the count and
        the share of the row (units that started at that level); the diagonal (no change) is framed.

    Raises
    ------
    ValueError
        When no unit is rated in both years.
    """
    data = panel.loc[panel["rating_common"].isin(LEVELS)]
    start = data.loc[data["year"] == year_from].drop_duplicates("unit_id").set_index("unit_id")
    end = data.loc[data["year"] == year_to].drop_duplicates("unit_id").set_index("unit_id")
    common = start.index.intersection(end.index)
    if len(common) == 0:
        raise ValueError(f"no unit is rated in both {year_from} and {year_to}; a transition matrix needs pairs.")
    pairs = pd.DataFrame({"from": start.loc[common, "rating_common"], "to": end.loc[common, "rating_common"]})
    if "pilot" in start.columns and start["pilot"].fillna(False).astype(bool).any():
        pairs["group"] = start.loc[common, "pilot"].fillna(False).astype(bool).map({True: "pilots", False: "rest"})
    else:
        pairs["group"] = "all"
    names_from = _level_names(data.loc[data["year"] == year_from], language)
    names_to = _level_names(data.loc[data["year"] == year_to], language)
    # a level whose meaning changed between the two years (TSVM before 2018, HTXSNV after): its diagonal cell
    # is not "no change", so it is framed dashed, its labels carry a dagger and a note says why
    apart = _not_comparable_levels(data, year_from, year_to)
    mark = {lv: ("\u2009†" if lv in apart else "") for lv in LEVELS}
    groups = [g for g in ("pilots", "rest", "all") if (pairs["group"] == g).any()]
    fig, axes = plt.subplots(1, len(groups), figsize=figure_size(width, 7.0), squeeze=False)
    cmap = plt.get_cmap("YlGnBu")
    for ax, group in zip(axes[0], groups):
        part = pairs.loc[pairs["group"] == group]
        table = pd.crosstab(part["from"], part["to"]).reindex(index=LEVELS, columns=LEVELS, fill_value=0)
        row_totals = table.sum(axis=1)
        shares = table.div(row_totals.where(row_totals > 0), axis=0).fillna(0.0)
        ax.imshow(shares.to_numpy(), cmap=cmap, vmin=0, vmax=1, aspect="auto")
        for i, level_from in enumerate(LEVELS):
            for j, level_to in enumerate(LEVELS):
                count = int(table.loc[level_from, level_to])
                if row_totals[level_from] == 0:
                    continue
                colour = text_colour_on(matplotlib_colour(cmap, shares.iloc[i, j]))
                share = format_percent(100 * shares.iloc[i, j], 0, language)
                ax.text(j, i, f"{format_count(count, language)}\n({share})", ha="center", va="center",
                        fontsize=6.5, color=colour, linespacing=1.25)
            ax.add_patch(plt.Rectangle((i - 0.5, i - 0.5), 1, 1, fill=False, edgecolor="black", linewidth=0.8,
                                       linestyle=(0, (2.5, 1.5)) if level_from in apart else "-"))
        ax.set_xticks(range(len(LEVELS)))
        ax.set_xticklabels([wrap_label(names_to[lv], 9) + mark[lv] for lv in LEVELS])
        ax.set_yticks(range(len(LEVELS)))
        ax.set_yticklabels([wrap_label(f"{names_from[lv]} ({format_count(int(row_totals[lv]), language)})", 14)
                            + mark[lv] for lv in LEVELS])
        ax.set_xlabel(text("rating_to", language, year=year_label(year_to, language).split()[-1]))
        ax.set_ylabel(text("rating_from", language, year=year_label(year_from, language).split()[-1]))
        ax.set_title(wrap_label(f"{group_label(group, language)} (N = {format_count(len(part), language)})",
                                _chars_across(figure_size(width)[0] / len(groups))))
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.tick_params(length=0)
    if apart:
        _figure_note(fig, ["† " + " ".join(_scales.comparability_note(lv, language) for lv in apart)], width)
    return fig


def _figure_note(fig: plt.Figure, notes: list[str], width: str) -> None:
    """Small grey notes under the whole figure, one paragraph each, wrapped to its width (kept inside the
    layout, unlike a free text)."""
    fig.supxlabel("\n".join(wrap_label(note, _chars_across(figure_size(width)[0], 6.5)) for note in notes),
                  fontsize=6.5, color="#333333")


def _not_comparable_levels(panel: pd.DataFrame, year_from: int, year_to: int) -> list[str]:
    """Common levels (of :data:`LEVELS`) not comparable between the scales of the two years.

    The scale of a year is read from the panel's ``scale`` column, else from the year (organisation scales);
    a year with no known scale, or with two, marks nothing.
    """
    def scale_of(year):
        if "scale" in panel.columns:
            ids = set(panel.loc[(panel["year"] == year) & panel["scale"].notna(), "scale"])
            return next(iter(ids)) if len(ids) == 1 else None
        try:
            return _scales.scale_for(int(year)).id
        except Exception:  # noqa: BLE001 — a year outside every scale: nothing to mark
            return None

    a, b = scale_of(year_from), scale_of(year_to)
    if a is None or b is None:
        return []
    return [lv for lv in LEVELS if not _scales.comparable(a, b, lv)]


def matplotlib_colour(cmap, value: float) -> str:
    """Hex colour of ``cmap`` at ``value`` (0–1)."""
    import matplotlib.colors as mcolors

    return mcolors.to_hex(cmap(float(value)))


def _scale_change_years(distribution: pd.DataFrame) -> list[int]:
    """Years in which the top level changes name (TSVM → HTXSNV), i.e. the rating scale changed."""
    tops = (distribution.loc[distribution["rating_common"] == "top"].groupby("year")["rating_code"]
            .agg(lambda s: frozenset(str(c).split(" / ")[0] for c in s)))
    years, previous = [], None
    for year, codes in tops.items():
        if previous is not None and codes != previous:
            years.append(int(year))
        previous = codes
    return years


def plot_change(distribution: pd.DataFrame, language: str = "vi", width: str = "double") -> plt.Figure:
    """Change of each level's share since the baseline (first) year, in percentage points.

    Parameters
    ----------
    distribution : DataFrame
        :data:`~helpers.export.data.DISTRIBUTION_COLUMNS` with at least two years in some group.

    Returns
    -------
    Figure
        One panel per group with two years or more. With one later year, horizontal bars per
        level labelled ``+16,1``; with several, one line per level. A change of rating scale
        (TSVM → HTXSNV) is marked, since the top level is not comparable across it.
    """
    twice = printed_twice(distribution)
    left_out = sorted({int(y) for y in distribution.loc[twice, "year"]})
    data = by_level(distribution.loc[~twice])
    groups = [g for g in dict.fromkeys(data["group"]) if data.loc[data["group"] == g, "year"].nunique() > 1]
    if not groups:
        raise ValueError("plot_change needs a group rated in at least two years (a year whose source prints "
                         "one rating level twice is left out).")
    names = _level_names(data, language)
    two_years = all(data.loc[data["group"] == g, "year"].nunique() == 2 for g in groups)
    height = 1.8 + 0.9 * data["rating_common"].nunique() if two_years else 6.5
    fig, axes = plt.subplots(1, len(groups), figsize=figure_size(width, height), squeeze=False, sharey=False)
    title_width = _chars_across(figure_size(width)[0] / len(groups))
    # years where the scale changed, found on every group together (a group without a top-rated unit in some
    # year would not show it) and marked in each panel whose years span them
    scale_changes = _scale_change_years(data)
    marked = False
    bar_axes = []
    for ax, group in zip(axes[0], groups):
        part = data.loc[data["group"] == group]
        years = sorted(part["year"].unique())
        breaks = [year for year in scale_changes if years[0] < year <= years[-1]]
        wide = part.pivot_table(index="year", columns="rating_common", values="percent", aggfunc="sum")
        wide = wide.reindex(columns=[lv for lv in LEVELS if (data["rating_common"] == lv).any()])
        complete = part.groupby("year")["percent"].sum().sub(100).abs().lt(0.5)
        # a level absent from a table whose shares add up to 100 % had no unit: its share is 0, not unknown
        wide = wide.apply(lambda row: row.fillna(0.0) if complete.get(row.name, False) else row, axis=1)
        change = wide - wide.iloc[0]
        ax.axvline(0, color="black", linewidth=0.6) if len(years) == 2 else ax.axhline(0, color="black",
                                                                                         linewidth=0.6)
        if len(years) == 2:
            values = change.iloc[1]
            ys = range(len(values))
            # across a scale change the top level's "change" compares two different levels: hatched, marked †
            apart = {"top"} if breaks else set()
            bars = ax.barh(list(ys), values.to_numpy(), color=[LEVEL_COLOURS[lv] for lv in values.index],
                           hatch=None, edgecolor="#333333", linewidth=0.4, height=0.6)
            for bar, level in zip(bars, values.index):
                if level in apart:
                    bar.set_hatch("////")
                    bar.set_alpha(0.55)
            dagger = {lv: ("\u2009†" if lv in apart else "") for lv in values.index}
            for y, (level, value) in zip(ys, values.items()):
                shown = format_number(value, 1, language)
                shown = shown if value <= 0 or shown == format_number(0, 1, language) else "+" + shown
                ax.annotate(shown + dagger[level], (value, y), xytext=(4 if value >= 0 else -4, 0),
                            textcoords="offset points", ha="left" if value >= 0 else "right", va="center",
                            fontsize=7)
            marked = marked or bool(apart)
            ax.set_yticks(list(ys))
            ax.set_yticklabels([names[lv] + dagger[lv] for lv in values.index])
            ax.invert_yaxis()
            _set_change_range(ax, max(5.0, float(np.nanmax(np.abs(values.to_numpy()))) * 1.35), language)
            ax.set_xlabel(text("baseline_change", language))
            bar_axes.append(ax)
            ax.set_title(wrap_label(f"{group_label(group, language)}: {year_label(years[0], language)} → "
                                    f"{year_label(years[1], language)}", title_width))
        else:
            markers = {"fail": "v", "pass": "o", "good": "s", "top": "^"}
            for level in change.columns:
                ax.plot(change.index, change[level], color=LEVEL_COLOURS[level], marker=markers[level],
                        markersize=4, linewidth=1.2, label=names[level])
                if level == "top":  # not comparable across a change of scale: the crossing segment is dotted
                    for year in breaks:
                        before = [y for y in change.index if y < year]
                        if before and year in change.index:
                            x0, x1 = before[-1], year
                            ax.plot([x0, x1], [change.loc[x0, level], change.loc[x1, level]], color="white",
                                    linewidth=1.6, zorder=2.5)
                            ax.plot([x0, x1], [change.loc[x0, level], change.loc[x1, level]],
                                    color=LEVEL_COLOURS[level], linewidth=1.2, linestyle=":", zorder=2.6)
                            ax.plot([x0, x1], [change.loc[x0, level], change.loc[x1, level]], linestyle="none",
                                    color=LEVEL_COLOURS[level], marker=markers[level], markersize=4, zorder=2.7)
            ax.set_xticks(years)
            ax.set_xticklabels([format_number(y, 0, language, thousands=False) for y in years])
            ax.set_xlabel(text("year", language))
            ax.set_ylabel(text("baseline_change", language))
            ticks = ax.get_yticks()
            ax.set_yticks(ticks)
            ax.set_yticklabels([format_number(t, _tick_decimals(ticks), language) for t in ticks])
            ax.set_title(wrap_label(f"{group_label(group, language)} ({text('year', language).lower()} "
                                    f"{format_number(years[0], 0, language, thousands=False)} = 0)", title_width))
            for year in breaks:
                ax.axvline(year - 0.5, color="#555555", linestyle="--", linewidth=0.7)
                ax.annotate("Đổi thang xếp loại" if language == "vi" else "Rating scale changed",
                            (year - 0.5, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                            textcoords="offset points", ha="left", va="top", fontsize=6.5, color="#555555")
    with_legend = [ax for ax in axes[0] if ax.get_legend_handles_labels()[0]]
    if with_legend:  # panels of two years are bars labelled on their axis; only line panels need a legend
        handles, labels = with_legend[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncol=len(labels))
    notes = [f"† {_scales.comparability_note('top', language)}"] if marked else []
    if left_out:
        shown = ", ".join(format_number(y, 0, language, thousands=False) for y in left_out)
        notes.append(f"Không vẽ năm {shown}: nguồn in một mức xếp loại hai lần (xem phần kiểm tra số liệu công bố)."
                     if language == "vi" else
                     f"{shown} not drawn: the source prints one rating level twice (see the published-number check).")
    if notes:
        _figure_note(fig, notes, width)
    if bar_axes:
        # a value label beside a long bar may run past the axis (a narrow single-column panel): widen the range
        fig.canvas.draw()
        for ax in bar_axes:
            _fit_value_labels(ax, language)
    return fig


def _set_change_range(ax, limit: float, language: str) -> None:
    """x from −limit to +limit, with ticks printed in the figure's language."""
    ax.xaxis.set_major_locator(matplotlib.ticker.AutoLocator())
    ax.set_xlim(-limit, limit)
    ticks = [t for t in ax.get_xticks() if -limit <= t <= limit]
    ax.set_xticks(ticks)
    ax.set_xticklabels([format_number(t, _tick_decimals(ticks), language) for t in ticks])
    ax.set_xlim(-limit, limit)


def _fit_value_labels(ax, language: str) -> None:
    """Widen the symmetric x range of a bar panel until every value label (drawn beside its bar's end,
    outwards) lies inside the axes; measured on the drawn figure."""
    renderer = ax.figure.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    limit = ax.get_xlim()[1]
    needed = limit
    for label in ax.texts:
        value = abs(label.xy[0])
        # the label's width plus its offset from the bar and a small margin, as a share of half the axis
        share = 2 * (label.get_window_extent(renderer).width + 8 * ax.figure.dpi / 72) / box.width
        if share < 0.9:
            needed = max(needed, value / (1 - share))
    if needed > limit * 1.001:
        _set_change_range(ax, needed, language)


def _tick_decimals(ticks) -> int:
    """Fewest decimals (0–4) that print every tick exactly."""
    for decimals in range(5):
        if all(abs(round(t, decimals) - t) < 1e-9 for t in ticks):
            return decimals
    return 4


#: Effect sizes with their value of "no effect" (None: no reference line). Keys are those of
#: helpers.inference.results.EFFECT_NAMES; quantities that are not effect sizes are not drawn.
NULL_VALUES = {
    "odds_ratio": 1.0, "conditional_or": 1.0, "common_or": 1.0, "p_superiority": 0.5, "proportion": None,
    "cliffs_delta": 0.0, "net_improvement": 0.0, "cramers_v": 0.0, "log_or_interaction": 0.0,
    "log_or_pilot": 0.0, "difference_in_proportions": 0.0, "mean_difference": 0.0,
}
NOT_EFFECTS = ("power", "min_units")


def _chars_across(width_in: float, size_pt: float = 8.0) -> int:
    """About how many characters of a ``size_pt`` serif font fit across ``width_in`` inches
    (average glyph ≈ 0,45 em), less a fifth for margins."""
    return max(8, int(0.8 * width_in * 72 / (0.45 * size_pt)))


def _null_value(effect_name: str) -> float | None:
    name = str(effect_name)
    if name in NULL_VALUES:
        return NULL_VALUES[name]
    lowered = name.lower()
    if "ratio" in lowered and not lowered.startswith("log"):
        return 1.0
    return 0.0


def effect_label(effect_name: str, language: str) -> str:
    """Printed name of an effect size (:data:`helpers.export.glossary.EFFECTS`; an unknown one as given)."""
    try:
        return glossary.effect_name(str(effect_name), language)
    except KeyError:
        return str(effect_name)


def _interval_text(value, low, high, language: str) -> str:
    separator = "; " if language == "vi" else ", "
    shown = format_number(value, 2, language)
    if pd.isna(low) or pd.isna(high):
        return shown
    return f"{shown} [{format_number(low, 2, language)}{separator}{format_number(high, 2, language)}]"


def plot_forest(results: pd.DataFrame, language: str = "vi", width: str = "double") -> plt.Figure:
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
    rows = results.loc[pd.to_numeric(results["effect"], errors="coerce").notna()
                       & ~results["effect_name"].isin(NOT_EFFECTS)].copy()
    if rows.empty:
        raise ValueError("plot_forest needs at least one result with an effect size.")
    for column in ("effect", "ci_low", "ci_high"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    kinds = list(dict.fromkeys(rows["effect_name"].fillna("")))
    rows["label"] = [wrap_label(f"({q}) {sentence_test_name(_ANALYSIS_ID.sub('', t), language)}", 34)
                     for q, t in zip(rows["question"], rows["test"])]
    # Each row is as tall as its wrapped label, so neighbouring labels never overlap.
    rows["space"] = [max(1.0, 0.45 * (label.count("\n") + 1) + 0.2) for label in rows["label"]]
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
        else:
            ticks = [t for t in ax.get_xticks() if low_limit <= t <= high_limit]
        ax.set_xticks(ticks)
        ax.set_xticklabels([format_number(t, _tick_decimals(ticks), language) for t in ticks])
        ax.set_xlim(low_limit, high_limit)
        ax.tick_params(axis="x", which="minor", bottom=False)
    return fig


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
                xytext=(0, 3), textcoords="offset points", ha="right", va="bottom", fontsize=6.5,
                color="#D55E00")
    ax.set_yscale("log")
    for x, value in zip(xs, table["p_value"]):
        ax.annotate(format_p_value(float(value), language), (x, max(float(value), 1e-300)), xytext=(5, 3),
                    textcoords="offset points", ha="left", va="bottom", fontsize=6.5)
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


def save_figure(fig: plt.Figure, stem: str, out_dir: str | Path) -> tuple[Path, ...]:
    """Write ``fig`` as PNG (300 and 600 dpi), SVG (text kept as text) and PDF (TrueType fonts).

    A rerun writes the same bytes: no dates, a fixed creator, a fixed SVG hash salt. Each file
    is written to a temporary name and renamed, so no half-written file is ever left.

    Parameters
    ----------
    fig : Figure
    stem : str
        File name without suffix (e.g. ``'hinh-1-phan-bo'``); a path separator is refused.
    out_dir : str or Path
        Folder, created when missing.

    Returns
    -------
    tuple of Path
        ``<stem>_300dpi.png``, ``<stem>_600dpi.png``, ``<stem>.svg``, ``<stem>.pdf``.

    Notes
    -----
    The figure's layout is computed once and then frozen (its layout engine is set to none), so
    that the four files share one layout and the layout is not recomputed for each.
    """
    if not stem or "/" in stem or "\\" in stem or stem.startswith("."):
        raise ValueError(f"'stem' must be a plain file name without folder (got {stem!r}).")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    settings = {"svg.fonttype": "none", "svg.hashsalt": "helpers-export", "pdf.fonttype": 42}
    if fig.get_layout_engine() is not None:
        # lay the figure out once and freeze it: otherwise every savefig runs the layout again
        # (a full dry-run draw), which was half the export time; the layout is in inches, so the
        # same for every resolution and format
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
    with plt.rc_context(settings):
        for suffix, data in _render(fig).items():
            path = out / f"{stem}{suffix}"
            paths.write_atomic(path, data)
            written.append(path)
    return tuple(written)


def _reduce(image, factor: float):
    """``image`` made ``factor`` times smaller: by averaging each block of factor × factor pixels when the
    factor is a whole number (600 → 300 dpi: 2 × 2 supersampling), else by Lanczos resampling."""
    from PIL import Image

    if float(factor).is_integer():
        return image.reduce(int(factor))
    return image.resize((round(image.width / factor), round(image.height / factor)), Image.LANCZOS)


def _render(fig: plt.Figure) -> dict[str, bytes]:
    """The bytes of each format of :data:`FIGURE_FORMATS`.

    The figure is rasterised once, at the highest resolution; lower resolutions are reductions of
    it (see :func:`_reduce`: supersampled, so at least as smooth as a direct rendering, and one
    Agg rendering fewer). PNG files carry only the fixed ``Software`` and ``dpi`` chunks, no time.
    """
    from PIL import Image, PngImagePlugin

    rendered = {}
    pngs = {suffix: options for suffix, options in FIGURE_FORMATS.items() if options["format"] == "png"}
    if pngs:
        top = max(options["dpi"] for options in pngs.values())
        canvas = fig.canvas
        old_dpi = fig.dpi
        try:
            fig.set_dpi(top)
            canvas.draw()
            image = Image.frombuffer("RGBA", canvas.get_width_height(), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
            if image.getextrema()[3] != (255, 255):
                # a see-through pixel: put it on white (an opaque figure, the usual case, needs no compositing)
                image = Image.alpha_composite(Image.new("RGBA", image.size, "white"), image)
            image = image.convert("RGB")
        finally:
            fig.set_dpi(old_dpi)
        for suffix, options in pngs.items():
            dpi = options["dpi"]
            scaled = image if dpi == top else _reduce(image, top / dpi)
            info = PngImagePlugin.PngInfo()
            info.add_text("Software", _CREATOR)
            buffer = io.BytesIO()
            scaled.save(buffer, format="png", pnginfo=info, dpi=(dpi, dpi),
                        **options.get("pil_kwargs", {}))
            rendered[suffix] = buffer.getvalue()
    for suffix, options in FIGURE_FORMATS.items():
        if options["format"] != "png":
            buffer = io.BytesIO()
            fig.savefig(buffer, metadata=_METADATA[options["format"]], facecolor="white", **options)
            rendered[suffix] = buffer.getvalue()
    return {suffix: rendered[suffix] for suffix in FIGURE_FORMATS}
