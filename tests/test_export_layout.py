"""Figures that agree with the tables and print well (issue 13): measured on the rendered artists.

- no text clipped by the figure's edge, no two texts on top of each other (window extents);
- every text at least 7 pt at the printed width (8,5 cm single column, 17,5 cm double);
- categories printed separately are drawn separately (seed 004, 2016: 18 and 10, never 28);
- targets ("chỉ tiêu phấn đấu") are never drawn as ratings (seed 000, 2014);
- every level moved by the 2018 change of scale is marked †;
- the forest draws no optimistic-only row and no interval that contradicts its test.
"""

from __future__ import annotations

import itertools

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.text import Text

from helpers.export import figures
from helpers.export.data import distribution_from_panel, distribution_from_published, is_target
from helpers.export.figures_results import ci_agrees, forest_rows
from helpers.export.theme import CM, DOUBLE_COLUMN_CM, SINGLE_COLUMN_CM, house_style
from helpers.paths import raw_path
from helpers.published import read_published


def _published(file: str, tables=None) -> pd.DataFrame:
    table = read_published([raw_path(f"published/{file}")])
    return distribution_from_published(table if tables is None else table.loc[table["table_id"].isin(tables)])


def _panel(n_units: int = 60, years=range(2015, 2021), seed: int = 5) -> pd.DataFrame:
    """A made-up panel across 2018 (old codes before, new from 2018); a sixth of the units are pilots."""
    rng = np.random.default_rng(seed)
    old, new = ["YK", "HTNV", "HTTNV", "TSVM"], ["KHTNV", "HTNV", "HTTNV", "HTXSNV"]
    rows = []
    for unit in range(n_units):
        order = int(rng.integers(0, 4))
        for year in years:
            order = int(np.clip(order + rng.integers(-1, 2), 0, 3))
            code = (old if year < 2018 else new)[order]
            code = "TSVM_TB" if code == "TSVM" and unit % 7 == 0 else code  # "TSVM tiêu biểu": a long legend
            rows.append({"unit_id": f"u{unit:03d}", "year": year, "rating_code": code,
                         "rating_common": ["fail", "pass", "good", "top"][order], "rating_order": order,
                         "pilot": unit < n_units // 6})
    return pd.DataFrame(rows)


def _results() -> pd.DataFrame:
    rows = [
        # Bình Thuận 7 (issue 13): the interval [0,09; 0,84] excludes 0 while the sign test gives p = 0,125
        {"question": "a", "test": "exact sign test [bt7-change]", "p_value": 0.125, "effect": 0.43,
         "effect_name": "net_improvement", "ci_low": 0.09, "ci_high": 0.84},
        {"question": "a", "test": "exact sign test, rank-preserving pairing (assumed) [bt56-change]",
         "p_value": 0.0004, "effect": 0.29, "effect_name": "net_improvement", "ci_low": 0.14, "ci_high": 0.42},
        {"question": "a", "test": "Fisher–Freeman–Halton exact, years as independent samples [bt56-change]",
         "p_value": 0.011, "effect": 0.19, "effect_name": "cliffs_delta", "ci_low": 0.01, "ci_high": 0.37},
    ] + [{"question": "b", "test": f"Fisher–Freeman–Halton exact, pilots vs rest of province (N = {b}) [bt56-vs]",
          "p_value": p, "effect": d, "effect_name": "cliffs_delta", "ci_low": lo, "ci_high": hi}
         for b, p, d, lo, hi in ((495, 2e-6, 0.33, 0.21, 0.45), (1390, 5e-6, 0.31, 0.19, 0.42))]
    return pd.DataFrame(rows)


def _figures():
    """(name, figure, printed width in cm) for every figure kind, on real published data and a made-up panel."""
    trang_dinh = _published("004-trang-dinh.csv")
    binh_thuan = _published("000-binh-thuan.csv", ["bt56-2011", "bt56-2013", "bt-province-2013"])
    every_source = distribution_from_published(read_published(
        [raw_path(f"published/{f}") for f in ("000-binh-thuan.csv", "004-trang-dinh.csv")]))
    panel = _panel()
    from_panel = distribution_from_panel(panel)
    return [
        ("distribution-trang-dinh", lambda: figures.plot_distribution(trang_dinh, "vi"), SINGLE_COLUMN_CM),
        ("distribution-panel", lambda: figures.plot_distribution(from_panel, "vi"), SINGLE_COLUMN_CM),
        ("groups-binh-thuan", lambda: figures.plot_groups(binh_thuan, "vi"), SINGLE_COLUMN_CM),
        ("change-trang-dinh", lambda: figures.plot_change(trang_dinh, "vi"), SINGLE_COLUMN_CM),
        ("change-three-sources", lambda: figures.plot_change(every_source, "vi", width="double"), DOUBLE_COLUMN_CM),
        ("change-panel", lambda: figures.plot_change(from_panel, "vi", width="double"), DOUBLE_COLUMN_CM),
        ("transitions-panel", lambda: figures.plot_transitions(panel, 2015, 2020, "vi", width="double"),
         DOUBLE_COLUMN_CM),
        ("forest", lambda: figures.plot_forest(_results(), "vi"), SINGLE_COLUMN_CM),
        ("forest-en", lambda: figures.plot_forest(_results(), "en"), SINGLE_COLUMN_CM),
        ("sensitivity", lambda: figures.plot_base_sensitivity(
            pd.DataFrame({"base": [495, 990, 1222], "p_value": [2e-6, 4e-6, 5e-6]}), "vi"), SINGLE_COLUMN_CM),
    ]


def _drawn_texts(fig):
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    return [(t, t.get_window_extent(renderer)) for t in fig.findobj(Text)
            if t.get_visible() and t.get_text().strip() and t.figure is fig]


@pytest.mark.parametrize("name, make, printed_cm", _figures(), ids=lambda v: v if isinstance(v, str) else "")
def test_no_text_clipped_or_overlapping_and_none_below_7_pt(name, make, printed_cm):
    with house_style():
        fig = make()
        try:
            texts = _drawn_texts(fig)
            page = fig.bbox
            clipped = [t.get_text() for t, box in texts
                       if box.x0 < page.x0 - 1 or box.y0 < page.y0 - 1 or box.x1 > page.x1 + 1 or box.y1 > page.y1 + 1]
            # a title wider than its panel is clipped by its neighbour ("Năm 201"): titles stay over their axes
            for ax in fig.axes:
                title = ax.title
                if title.get_text().strip():
                    box, axes_box = title.get_window_extent(), ax.get_window_extent()
                    if box.x0 < axes_box.x0 - box.height * 2 or box.x1 > axes_box.x1 + box.height * 2:
                        clipped.append(title.get_text())
            assert clipped == [], f"{name}: text outside the figure: {clipped}"
            overlapping = []
            for (a, box_a), (b, box_b) in itertools.combinations(texts, 2):
                width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
                height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
                if width > 1 and height > 1:
                    overlapping.append((a.get_text(), b.get_text()))
            assert overlapping == [], f"{name}: texts on top of each other: {overlapping[:5]}"
            scale = printed_cm / (fig.get_figwidth() / CM)  # the figure is printed at this width
            small = [(t.get_text(), t.get_fontsize()) for t, _ in texts if t.get_fontsize() * scale < 7 - 1e-6]
            assert small == [], f"{name}: text under 7 pt when printed {printed_cm} cm wide: {small[:5]}"
        finally:
            plt.close(fig)


def _figure_texts(fig) -> list[str]:
    return [t.get_text() for t, _ in _drawn_texts(fig)]


def test_a_label_printed_twice_stays_two_segments_never_their_sum():
    # Seed 004, 2016: "hoàn thành nhiệm vụ" printed for 18 and for 10 organisations; Bảng 1 lists both.
    with house_style():
        fig = figures.plot_distribution(_published("004-trang-dinh.csv"), "vi")
        texts = " ".join(_figure_texts(fig))
        plt.close(fig)
    assert "18 (29,5%)" in texts and "28" not in texts  # 18/61 = 29,5 % (hand computation)
    assert "10" in texts


def test_targets_are_never_drawn_as_ratings():
    # Seed 000: "chỉ tiêu phấn đấu năm 2014 ... cả 7/7 tổ chức đảng đều đạt TSVM" is a target, not a rating.
    table = read_published([raw_path("published/000-binh-thuan.csv")])
    targets = table.loc[table["table_id"] == "bt7-2014-target"]
    assert len(targets) and all(is_target(r) for r in targets.to_dict("records"))
    distribution = distribution_from_published(table)
    assert 2014 not in set(distribution["year"])
    assert not distribution["table_id"].str.contains("target").any()


def test_every_level_moved_by_the_2018_change_is_marked():
    # Across 2018 the top level was capped: TSVM and HTTNV are both marked, not TSVM alone.
    with house_style():
        for fig in (figures.plot_distribution(_published("004-trang-dinh.csv"), "vi"),
                    figures.plot_change(_published("004-trang-dinh.csv"), "vi")):
            texts = _figure_texts(fig)
            plt.close(fig)
            marked = [t for t in texts if t.rstrip().endswith("†")]
            assert any("HTTNV" in t for t in marked) and any("HTXSNV" in t or "TSVM" in t for t in marked), texts
            assert any("HTTNV cũng không so sánh được" in " ".join(t.split()) for t in texts)


def test_forest_draws_no_assumed_pairing_and_no_interval_against_its_test():
    rows, left_out = forest_rows(_results())
    tests = " ".join(rows["test"])
    assert "assumed" not in tests and "[bt7-change]" not in tests
    assert left_out == {"assumed": 1, "disagrees": 1}
    # the recovered bases are one row whose interval spans them all
    assert len(rows) == 2 and rows["ci_low"].min() == 0.01 and "N = 495–1.390" in tests
    assert ci_agrees(0.011, 0.01, 0.37, 0.0) and not ci_agrees(0.125, 0.09, 0.84, 0.0)
    assert not ci_agrees(0.01, -0.1, 0.3, 0.0) and ci_agrees(0.3, -0.1, 0.3, 0.0)


def test_panels_of_the_same_quantity_share_their_range():
    every_source = distribution_from_published(read_published(
        [raw_path(f"published/{f}") for f in ("000-binh-thuan.csv", "004-trang-dinh.csv")]))
    with house_style():
        bars = figures.plot_change(every_source, "vi", width="double")
        lines = figures.plot_change(distribution_from_panel(_panel()), "vi", width="double")
        bar_ranges = {tuple(round(v, 6) for v in ax.get_xlim()) for ax in bars.axes}
        line_ranges = {tuple(round(v, 6) for v in ax.get_ylim()) for ax in lines.axes}
        plt.close(bars)
        plt.close(lines)
    assert len(bars.axes) == 3 and len(bar_ranges) == 1
    assert len(lines.axes) == 2 and len(line_ranges) == 1


def test_a_panel_group_keeps_first_middle_and_last_year_and_short_groups_keep_all():
    # published-check: Bình Thuận 2011 and 2013 bars must stay beside a many-year group
    panel = distribution_from_panel(_panel())
    published = _published("000-binh-thuan.csv", ["bt56-2011", "bt56-2013"])
    with house_style():
        fig = figures.plot_distribution(pd.concat([published, panel], ignore_index=True), "vi")
        labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
        plt.close(fig)
    assert sum("2011" in t for t in labels) == 1 and sum("2013" in t for t in labels) == 1
    assert sum("Làm điểm" in t for t in labels) == 3  # 2015, 2017, 2020 of the six panel years
