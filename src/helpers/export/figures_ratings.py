"""Figures of rating distributions: stacked bars, pilots vs the rest, transitions, change since the baseline.

Each takes the tidy distribution of :mod:`helpers.export.data` (or the panel) and a language and returns a
matplotlib Figure, drawn inside :func:`helpers.export.theme.house_style` by the caller.
"""

from __future__ import annotations

import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from helpers.export.data import by_level, printed_twice
from helpers.export.figure_parts import (
    UNKNOWN_COLOUR, _bar_keys, _chars_across, _figure_note, _fit_label, _level_names, _not_comparable_levels,
    _percent_text, _scale_change_years, _tick_decimals, affected_levels, dagger, group_label, matplotlib_colour,
    scale_change_note,
)
from helpers.export.theme import (
    GROUP_STYLES, LEVEL_COLOURS, LEVEL_HATCHES, LEVELS, figure_size, text, text_colour_on, wrap_label, year_label,
)
from helpers.numbers import format_count, format_number, format_percent

#: Most years drawn as bars per group; with more, the first, middle and last years are drawn.
MAX_BAR_YEARS = 4


def plot_distribution(distribution: pd.DataFrame, language: str = "vi", width: str = "single") -> plt.Figure:
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
    # a group of many years (a panel): the table has every year; the figure its first, middle and last
    keep = pd.Series(True, index=data.index)
    for group, part in data.groupby("group", sort=False):
        years = sorted(part["year"].unique())
        if len(years) > MAX_BAR_YEARS:
            keep.loc[part.index] = part["year"].isin([years[0], years[len(years) // 2], years[-1]])
    data = data.loc[keep]
    keys = _bar_keys(data)
    several_groups = len({k[0] for k in keys}) > 1
    names = _level_names(data, language)
    tick_labels = [f"{wrap_label(group_label(k[0], language), 18)}\n{year_label(k[1], language)}" if several_groups
                   else year_label(k[1], language) for k in keys]
    lines = max(label.count("\n") + 1 for label in tick_labels) if tick_labels else 1
    legend_rows = math.ceil((data["rating_common"].nunique() + 1) / (2 if width == "single" else 5))
    fig = plt.figure(figsize=figure_size(width, 1.6 + 0.5 * legend_rows + max(0.9, 0.34 * lines + 0.3) * len(keys)))
    ax = fig.add_subplot()
    positions = {key: i for i, key in enumerate(keys)}
    segments = []
    for key in keys:
        part = data.loc[(data["group"] == key[0]) & (data["year"] == key[1]) & (data["table_id"] == key[2])]
        left = 0.0
        for level in LEVELS:
            # a label the source printed twice (seed 004, 2016: 18 and 10) stays two segments, never one sum
            for _, row in part.loc[part["rating_common"] == level].iterrows():
                share = 0.0 if math.isnan(row["percent"]) else float(row["percent"])
                ax.barh(positions[key], share, left=left, height=0.6, color=LEVEL_COLOURS[level],
                        hatch=LEVEL_HATCHES[level], edgecolor="white", linewidth=1.2)
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
    # bars on both sides of the 2018 change of scale: the levels it moves are marked † and explained
    years = sorted(data["year"].unique())
    marked = affected_levels(["top"]) if any(years[0] < y <= years[-1] for y in _scale_change_years(data)) else []
    handles = [Patch(facecolor=LEVEL_COLOURS[lv], hatch=LEVEL_HATCHES[lv], edgecolor="white",
                     label=wrap_label(names[lv] + dagger(lv, marked), 20 if width == "single" else 32))
               for lv in LEVELS if (data["rating_common"] == lv).any()]
    if any(s[4] == "unknown" for s in segments):
        handles.append(Patch(facecolor=UNKNOWN_COLOUR, edgecolor="#9a9a9a", label=text("not_stated", language)))
    # as many legend columns as fit across the figure (measured after drawing, below)
    legend = fig.legend(handles=handles, loc="outside upper center", ncol=min(len(handles), 5),
                        handlelength=1.6, columnspacing=1.2)
    fig.canvas.draw()
    while legend.get_window_extent().width > fig.bbox.width * 0.98 and legend._ncols > 1:
        columns = legend._ncols - 1
        legend.remove()
        legend = fig.legend(handles=handles, loc="outside upper center", ncol=columns, handlelength=1.6,
                            columnspacing=1.2)
        fig.canvas.draw()
    if marked:
        _figure_note(fig, [scale_change_note(marked, language)], width)
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

def plot_groups(distribution: pd.DataFrame, language: str = "vi", width: str = "single") -> plt.Figure:
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
                                xytext=(5, 0), textcoords="offset points", va="center", fontsize=7,
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
                     width: str = "single") -> plt.Figure:
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
    apart = affected_levels(_not_comparable_levels(data, year_from, year_to))
    mark = {lv: dagger(lv, apart) for lv in LEVELS}
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
                        fontsize=7, color=colour, linespacing=1.25)
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
        _figure_note(fig, [scale_change_note(apart, language)], width)
    return fig

def plot_change(distribution: pd.DataFrame, language: str = "vi", width: str = "single") -> plt.Figure:
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
    # a panel's title is as wide as its axes, about 0,6 of its share of the figure (the rest is tick labels)
    title_width = _chars_across(0.6 * figure_size(width)[0] / len(groups))
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
            apart = set(affected_levels(["top"])) if breaks else set()
            bars = ax.barh(list(ys), values.to_numpy(), color=[LEVEL_COLOURS[lv] for lv in values.index],
                           hatch=None, edgecolor="#333333", linewidth=0.4, height=0.6)
            for bar, level in zip(bars, values.index):
                if level in apart:
                    bar.set_hatch("////")
                    bar.set_alpha(0.55)
            mark = {lv: dagger(lv, apart) for lv in values.index}
            for y, (level, value) in zip(ys, values.items()):
                shown = format_number(value, 1, language)
                shown = shown if value <= 0 or shown == format_number(0, 1, language) else "+" + shown
                ax.annotate(shown + mark[level], (value, y), xytext=(4 if value >= 0 else -4, 0),
                            textcoords="offset points", ha="left" if value >= 0 else "right", va="center",
                            fontsize=7)
            marked = marked or bool(apart)
            ax.set_yticks(list(ys))
            ax.set_yticklabels([names[lv] + mark[lv] for lv in values.index])
            ax.invert_yaxis()
            _set_change_range(ax, max(5.0, float(np.nanmax(np.abs(values.to_numpy()))) * 1.35), language)
            ax.set_xlabel(wrap_label(text("baseline_change", language), title_width))
            bar_axes.append(ax)
            ax.set_title(wrap_label(f"{group_label(group, language)}: {year_label(years[0], language)} → "
                                    f"{year_label(years[1], language)}", title_width))
        else:
            markers = {"fail": "v", "pass": "o", "good": "s", "top": "^"}
            for level in change.columns:
                ax.plot(change.index, change[level], color=LEVEL_COLOURS[level], marker=markers[level],
                        markersize=4, linewidth=1.2, label=names[level])
                if level in affected_levels(["top"]):  # moved by the change of scale: the crossing is dotted
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
            marked = marked or bool(breaks)
            for year in breaks:
                ax.axvline(year - 0.5, color="#555555", linestyle="--", linewidth=0.7)
                ax.annotate(text("scale_changed", language),
                            (year - 0.5, 1), xycoords=("data", "axes fraction"), xytext=(3, -3),
                            textcoords="offset points", ha="left", va="top", fontsize=7, color="#555555")
    with_legend = [ax for ax in axes[0] if ax.get_legend_handles_labels()[0]]
    if with_legend:  # panels of two years are bars labelled on their axis; only line panels need a legend
        handles, labels = with_legend[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside upper center", ncol=len(labels))
    notes = [scale_change_note(affected_levels(["top"]), language)] if marked else []
    if left_out:
        shown = ", ".join(format_number(y, 0, language, thousands=False) for y in left_out)
        notes.append(text("left_out_printed_twice", language, years=shown))
    if notes:
        _figure_note(fig, notes, width)
    if bar_axes:
        # a value label beside a long bar may run past the axis (a narrow single-column panel): widen the range
        fig.canvas.draw()
        for ax in bar_axes:
            _fit_value_labels(ax, language)
        # panels compare the same quantity (percentage points): one range for all, the widest needed
        limit = max(ax.get_xlim()[1] for ax in bar_axes)
        for ax in bar_axes:
            _set_change_range(ax, limit, language)
    if len(axes[0]) > 1 and not bar_axes:  # line panels: one vertical range for all
        low = min(ax.get_ylim()[0] for ax in axes[0])
        high = max(ax.get_ylim()[1] for ax in axes[0])
        for ax in axes[0]:
            ax.set_ylim(low, high)
            ticks = [t for t in matplotlib.ticker.MaxNLocator(nbins=6, steps=[1, 2, 5, 10]).tick_values(low, high)
                     if low <= t <= high]
            ax.set_yticks(ticks)
            ax.set_yticklabels([format_number(t, _tick_decimals(ticks), language) for t in ticks])
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
