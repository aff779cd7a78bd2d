"""Shared parts of the figures: group and level names, labels that fit, notes under a figure, ticks for
people, and which rating levels the 2018 change of scale affects."""

from __future__ import annotations

import math
import re

import matplotlib.pyplot as plt
import pandas as pd

from helpers import scales as _scales
from helpers.export import glossary, theme
from helpers.export.theme import LEVELS, code_label, figure_size, text, wrap_label
from helpers.numbers import format_percent

_ANALYSIS_ID = re.compile(r" \[[^\]]*\]$")  # the "[analysis-id]" the battery appends to test names

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

def _figure_note(fig: plt.Figure, notes: list[str], width: str) -> None:
    """Small grey notes under the whole figure, one paragraph each, wrapped to its width (kept inside the
    layout, unlike a free text)."""
    shown = "\n".join(wrap_label(note, _chars_across(figure_size(width)[0], 7)) for note in notes)
    fig.supxlabel(shown, fontsize=7, color="#333333")
    # the figure grows by the note's height, so the note never takes room from the panels
    fig.set_figheight(fig.get_figheight() + (shown.count("\n") + 1.5) * 7 * 1.25 / 72)

def _chars_across(width_in: float, size_pt: float = 8.0) -> int:
    """About how many characters of a ``size_pt`` serif font fit across ``width_in`` inches
    (average glyph ≈ 0,45 em), less a fifth for margins."""
    return max(8, int(0.8 * width_in * 72 / (0.45 * size_pt)))

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
    # a subset of the top level printed on its own (TSVM tiêu biểu) is the same scale as its parent
    same = {"TSVM_TB": "TSVM"}
    tops = (distribution.loc[distribution["rating_common"] == "top"].groupby("year")["rating_code"]
            .agg(lambda s: frozenset(same.get(code.strip(), code.strip()) for c in s for code in str(c).split("/")
                                     if code.strip())))
    years, previous = [], None
    for year, codes in tops.items():
        if previous is not None and codes != previous:
            years.append(int(year))
        previous = codes
    return years

def _tick_decimals(ticks) -> int:
    """Fewest decimals (0–4) that print every tick exactly."""
    for decimals in range(5):
        if all(abs(round(t, decimals) - t) < 1e-9 for t in ticks):
            return decimals
    return 4

def effect_label(effect_name: str, language: str) -> str:
    """Printed name of an effect size (:data:`helpers.export.glossary.EFFECTS`; an unknown one as given)."""
    try:
        return glossary.effect_name(str(effect_name), language)
    except KeyError:
        return str(effect_name)


def affected_levels(not_comparable) -> list[str]:
    """The levels whose shares the 2018 change of scale moves: each level not comparable across it, and
    the level just below it. When the top level was capped (TSVM, about half of all organisations, became
    the rare HTXSNV), the organisations that would have been top are rated one level lower, so HTTNV jumps
    by as much as the top falls: neither change is an improvement or a decline."""
    out = set(not_comparable)
    for level in not_comparable:
        index = LEVELS.index(level)
        if index > 0:
            out.add(LEVELS[index - 1])
    return [level for level in LEVELS if level in out]


def scale_change_note(levels, language: str) -> str:
    """The note under a figure whose levels marked † are affected by the 2018 change of scale."""
    parts = [_scales.comparability_note(level, language) for level in levels
             if _scales.comparability_note(level, language)]
    if any(level not in ("top",) and not _scales.comparability_note(level, language) for level in levels):
        parts.append(glossary.term("note_2018_below_top", language))
    return "† " + " ".join(parts)


def dagger(level: str, marked) -> str:
    """``' †'`` (thin space) for a level marked as affected by the change of scale, else ``''``."""
    return "\u2009†" if level in marked else ""
