"""Figures: content, reproducible files, text kept as text, TrueType fonts, wrapping (helpers.export.figures)."""

from __future__ import annotations

import re
import subprocess
import warnings

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers.export import figures
from helpers.export.data import distribution_from_panel, distribution_from_published
from helpers.export.theme import house_style
from helpers.paths import raw_path

try:
    from helpers.published import read_published
except ImportError:
    from helpers.published.reader import read_published

BT56 = ["bt56-2011", "bt56-2013", "bt-province-2013"]


@pytest.fixture(scope="module")
def bt_distribution() -> pd.DataFrame:
    table = read_published([raw_path("published/000-binh-thuan.csv")])
    return distribution_from_published(table.loc[table["table_id"].isin(BT56)])


def synthetic_panel(n_units: int = 40, years=(2016, 2017, 2018), seed: int = 7) -> pd.DataFrame:
    """A small made-up panel: a quarter of the units are pilots; the 2018 scale uses HTXSNV/KHTNV."""
    rng = np.random.default_rng(seed)
    codes = {2016: ["YK", "HTNV", "HTTNV", "TSVM"], 2017: ["YK", "HTNV", "HTTNV", "TSVM"],
             2018: ["KHTNV", "HTNV", "HTTNV", "HTXSNV"]}
    rows = []
    for unit in range(n_units):
        order = int(rng.integers(0, 4))
        for year in years:
            order = int(np.clip(order + rng.integers(-1, 2), 0, 3))
            rows.append({"unit_id": f"u{unit:02d}", "year": year, "rating_code": codes[year][order],
                         "rating_common": ["fail", "pass", "good", "top"][order], "rating_order": order,
                         "pilot": unit < n_units // 4})
    return pd.DataFrame(rows)


def _texts(fig) -> list[str]:
    fig.canvas.draw()
    return [t.get_text() for t in fig.findobj(plt.Text) if t.get_text()]


def test_plot_distribution_labels_counts_and_percentages_in_vietnamese(bt_distribution):
    with house_style():
        fig = figures.plot_distribution(bt_distribution, "vi")
        texts = _texts(fig)
        plt.close(fig)
    # Seed 000: "Năm 2011: HTNV 14/56, HTTNV 12/56, đạt TSVM 30/56"; 14/56 = 25,0 % (hand computation).
    assert "14 (25,0%)" in texts and "30 (53,6%)" in texts
    # Seed 000: "(56 tổ chức đảng làm điểm đạt 69,64%)" beside "đạt TSVM tăng lên 39/56".
    assert "39 (69,64%)" in texts
    # Seed 000, province 2013: percentages only ("toàn tỉnh có 45,25% ...").
    assert "45,25%" in texts
    assert any("Năm 2013" in t for t in texts)


def test_plot_distribution_english_uses_decimal_point(bt_distribution):
    with house_style():
        fig = figures.plot_distribution(bt_distribution, "en")
        texts = _texts(fig)
        plt.close(fig)
    assert "14 (25.0%)" in texts and "39 (69.64%)" in texts
    assert not any("Năm" in t for t in texts)


def test_every_figure_draws_in_both_languages(bt_distribution):
    panel = synthetic_panel()
    results = pd.DataFrame({"question": ["a", "b"], "test": ["McNemar", "Fisher"], "effect": [0.3, 2.5],
                            "effect_name": ["net_improvement", "odds_ratio"], "ci_low": [0.1, 1.2],
                            "ci_high": [0.5, 5.0]})
    sens = pd.DataFrame({"base": [495, 990, 1222], "p_value": [0.03, 0.002, 0.0004]})
    with house_style(), warnings.catch_warnings():
        warnings.simplefilter("error")
        for language in ("vi", "en"):
            for fig in (figures.plot_distribution(distribution_from_panel(panel), language),
                        figures.plot_groups(bt_distribution, language),
                        figures.plot_transitions(panel, 2016, 2018, language),
                        figures.plot_change(bt_distribution, language),
                        figures.plot_change(distribution_from_panel(panel), language),
                        figures.plot_forest(results, language),
                        figures.plot_base_sensitivity(sens, language)):
                fig.canvas.draw()
                plt.close(fig)


def test_plot_transitions_counts_pairs():
    panel = synthetic_panel()
    with house_style():
        fig = figures.plot_transitions(panel, 2016, 2018, "vi")
        titles = [ax.get_title() for ax in fig.axes]
        plt.close(fig)
    # 40 units, the first 10 pilots, all rated in both years (built that way above).
    assert titles == ["Làm điểm (N = 10)", "Còn lại (N = 30)"]


@pytest.mark.parametrize("with_scale_column", [True, False])
def test_plot_transitions_marks_the_top_level_across_2018_and_only_then(with_scale_column):
    # scales.yaml: 'top' is not comparable between org-2008 (TSVM) and org-2018 (HTXSNV)
    panel = synthetic_panel()
    if with_scale_column:
        panel["scale"] = np.where(panel["year"] < 2018, "org-2008", "org-2018")
    with house_style():
        across = figures.plot_transitions(panel, 2016, 2018, "vi")
        within = figures.plot_transitions(panel, 2016, 2017, "en")
        across_text, within_text = _texts(across), _texts(within)
        dashed = [p for ax in across.axes for p in ax.patches if p.get_linestyle() not in ("-", "solid")]
        plt.close(across)
        plt.close(within)
    assert any(t.startswith("TSVM") and t.endswith("†") for t in across_text)
    assert any(t.startswith("HTXSNV") and t.endswith("†") for t in across_text)
    assert any(t.startswith("† Mức cao nhất không so sánh được qua năm 2018") for t in across_text)
    assert len(dashed) == 4  # the top and HTTNV diagonal cells of each panel (pilots, rest): both moved by 2018
    assert not any("†" in t for t in within_text)


def test_plot_change_of_two_years_across_2018_marks_the_top_bar():
    from helpers.export.data import distribution_from_panel
    across = distribution_from_panel(synthetic_panel(years=(2017, 2018)))
    within = distribution_from_panel(synthetic_panel(years=(2016, 2017)))
    with house_style():
        fig_across, fig_within = figures.plot_change(across, "vi"), figures.plot_change(within, "vi")
        across_text, within_text = _texts(fig_across), _texts(fig_within)
        hatched = [p for ax in fig_across.axes for p in ax.patches if p.get_hatch()]
        plt.close(fig_across)
        plt.close(fig_within)
    assert any(t.startswith("TSVM / HTXSNV") and t.endswith("†") for t in across_text)   # the axis label
    assert any(t.startswith("† Mức cao nhất không so sánh được qua năm 2018") for t in across_text)
    assert len(hatched) == 4  # the top and HTTNV bars of each panel (pilots, rest): both moved by 2018
    assert not any("†" in t for t in within_text)


def test_save_figure_is_byte_identical_on_rerun(tmp_path, bt_distribution):
    outputs = []
    for run in ("a", "b"):
        with house_style():
            fig = figures.plot_distribution(bt_distribution, "vi")
            paths = figures.save_figure(fig, "hinh-1", tmp_path / run)
            plt.close(fig)
        outputs.append({p.name: p.read_bytes() for p in paths})
    assert sorted(outputs[0]) == ["hinh-1.pdf", "hinh-1.svg", "hinh-1_300dpi.png", "hinh-1_600dpi.png"]
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name
    assert not list((tmp_path / "a").glob(".*tmp"))  # no temporary file left behind


def test_save_figure_svg_keeps_text_and_pdf_embeds_truetype(tmp_path, bt_distribution):
    with house_style():
        fig = figures.plot_distribution(bt_distribution, "vi")
        paths = figures.save_figure(fig, "hinh-1", tmp_path)
        plt.close(fig)
    svg = (tmp_path / "hinh-1.svg").read_text(encoding="utf-8")
    assert "<text" in svg and "Năm 2011" in svg
    assert "<dc:date>" not in svg
    pdf = (tmp_path / "hinh-1.pdf").read_bytes()
    assert b"/FontFile2" in pdf and b"/CreationDate" not in pdf
    listing = subprocess.run(["pdffonts", str(tmp_path / "hinh-1.pdf")], capture_output=True, text=True,
                             check=True).stdout
    font_lines = listing.splitlines()[2:]
    assert font_lines and all("TrueType" in line and " yes " in line for line in font_lines)
    png = (tmp_path / "hinh-1_300dpi.png").read_bytes()
    assert b"tIME" not in png
    assert paths[0].name == "hinh-1_300dpi.png"


def test_save_figure_refuses_a_path_as_stem(tmp_path):
    fig = plt.figure()
    with pytest.raises(ValueError, match="'stem' must be a plain file name"):
        figures.save_figure(fig, "../escape", tmp_path)
    plt.close(fig)


def test_over_long_group_label_wraps_inside_the_figure():
    long_group = "tổ chức cơ sở đảng làm điểm gắn với xây dựng nông thôn mới ở các xã vùng sâu vùng xa " * 2
    distribution = pd.DataFrame({
        "group": [long_group, long_group, "toàn tỉnh", "toàn tỉnh"], "year": [2013] * 4,
        "table_id": ["a", "a", "b", "b"], "rating_code": ["HTNV", "TSVM"] * 2,
        "rating_common": ["pass", "top"] * 2, "count": pd.array([10, 30, None, None], dtype="Int64"),
        "base": pd.array([40, 40, None, None], dtype="Int64"), "percent": [25.0, 75.0, 40.0, 60.0],
        "percent_printed": ["", "", "40%", "60%"], "percent_decimals": pd.array([1, 1, 0, 0], dtype="Int64"),
        "percent_source": ["computed", "computed", "printed", "printed"]})
    with house_style():
        for fig in (figures.plot_distribution(distribution, "vi", width="single"),
                    figures.plot_groups(distribution, "vi", width="single")):
            fig.canvas.draw()
            renderer = fig.canvas.get_renderer()
            box = fig.bbox
            for text in fig.findobj(plt.Text):
                if not text.get_text() or not text.get_visible():
                    continue
                extent = text.get_window_extent(renderer)
                assert extent.x0 >= box.x0 - 1 and extent.x1 <= box.x1 + 1, text.get_text()[:40]
            assert any("\n" in t.get_text() for t in fig.findobj(plt.Text) if "nông thôn" in t.get_text())
            plt.close(fig)


def test_plot_forest_skips_non_effects_and_refuses_empty():
    results = pd.DataFrame({"question": ["a"], "test": ["power"], "effect": [0.8], "effect_name": ["power"],
                            "ci_low": [np.nan], "ci_high": [np.nan]})
    with pytest.raises(ValueError, match="at least one result with an effect size"):
        figures.plot_forest(results)


def test_plot_forest_prints_interval_with_language_separator():
    results = pd.DataFrame({"question": ["b"], "test": ["Fisher"], "effect": [2.78], "effect_name": ["odds_ratio"],
                            "ci_low": [1.52], "ci_high": [5.07]})
    with house_style():
        vi = _texts(figures.plot_forest(results, "vi"))
        en = _texts(figures.plot_forest(results, "en"))
        plt.close("all")
    assert "2,78 [1,52; 5,07]" in vi  # decimal comma, ';' between the bounds
    assert "2.78 [1.52, 5.07]" in en
    assert any(re.search(r"tỉ số chênh", t) for t in vi) and any("odds ratio" in t for t in en)


def test_forest_labels_name_tests_in_the_figure_language_without_analysis_ids():
    # Seen in a rendered figure: English test names with "[bt56-change]" in a Vietnamese forest plot.
    import pandas as pd

    from helpers.export.figures import plot_forest

    results = pd.DataFrame({"question": ["a", "b"], "test": ["exact sign test [bt56-change]", "exact binomial (one share) [x]"],
                            "effect": [0.29, 0.7], "effect_name": ["net_improvement", "proportion"],
                            "ci_low": [0.14, 0.57], "ci_high": [0.42, 0.8]})
    for language, words in (("vi", "kiểm định dấu chính xác"), ("en", "exact sign test")):
        fig = plot_forest(results, language)
        labels = [t.get_text().replace("\n", " ") for ax in fig.axes for t in ax.get_yticklabels()]
        assert any(words in label for label in labels), labels
        assert not any("[" in label for label in labels), labels


def test_plot_change_tick_labels_are_not_rounded_to_whole_points():
    # rest of the panel changes by at most 6,7 points: matplotlib puts ticks at ±2,5 and ±7,5, which were
    # printed as "3" and "8" with 0 decimals
    from helpers.export.data import distribution_from_panel
    with house_style():
        fig = figures.plot_change(distribution_from_panel(synthetic_panel(years=(2017, 2018))), "vi")
        fig.canvas.draw()
        labels = {ax.get_title(): [t.get_text() for t in ax.get_xticklabels()] for ax in fig.axes}
        ticks = {ax.get_title(): list(ax.get_xticks()) for ax in fig.axes}
        plt.close(fig)
    for title, shown in labels.items():
        assert [float(t.replace("−", "-").replace(",", ".")) for t in shown] == ticks[title]


def test_change_figure_leaves_out_a_year_that_prints_one_level_twice():
    # Seed 004, 2016: "hoàn thành nhiệm vụ là 18 đơn vị (chiếm 29,5%)" and "hoàn thành nhiệm vụ là 10 đơn vị
    # (chiếm 16,4%)": HTNV printed twice, so HTTNV "rose by 84,7 points" (0 → 84,7 %) only through the typo
    from helpers.export.data import printed_twice
    distribution = distribution_from_published(read_published([raw_path("published/004-trang-dinh.csv")]))
    twice = printed_twice(distribution)
    assert sorted(set(distribution.loc[twice, "year"])) == [2016]
    assert set(distribution.loc[twice, "table_id"]) == {"td-2016"}
    with house_style():
        fig = figures.plot_change(distribution, "vi")
        texts = _texts(fig)
        titles = [ax.get_title() for ax in fig.axes]
        plt.close(fig)
    assert titles == ["Tràng Định: Năm 2017 → Năm 2018"]              # two years left: the bar version
    assert any("Không vẽ năm 2016: nguồn in một mức xếp loại hai lần" in t for t in texts)
    assert not any(t.startswith("+84,7") for t in texts)
    # hand, from the printed shares: HTTNV 43,55 % → 84,7 % = +41,15 → "+41,2"; HTNV 1,6 % → 6,8 % = +5,2;
    # top 54,85 % (TSVM) → 8,5 % (HTXSNV) = −46,35 → "−46,4"; both marked † (moved by the 2018 change)
    assert {"+41,2\u2009†", "+5,2", "−46,4\u2009†"} <= set(texts)


def test_change_bar_labels_stay_inside_a_single_column_panel():
    # seen in the Tràng Định figure at single-column width: "−46,4 †" ran over the axis and its tick label
    distribution = distribution_from_published(read_published([raw_path("published/004-trang-dinh.csv")]))
    with house_style():
        fig = figures.plot_change(distribution, "vi", width="single")
        fig.draw_without_rendering()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        box = ax.get_window_extent(renderer)
        outside = [t.get_text() for t in ax.texts
                   if t.get_window_extent(renderer).x0 < box.x0 or t.get_window_extent(renderer).x1 > box.x1]
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        plt.close(fig)
    assert outside == []
    assert ticks[0].startswith("−") and ticks[-1] == ticks[0][1:]          # still symmetric, printed in Vietnamese
