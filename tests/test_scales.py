"""Tests of helpers.scales: the scales file, the years each scale covers, the crosswalk and its comparability rule."""

from fractions import Fraction

import pytest
import yaml

from helpers import scales
from helpers.errors import InputError
from helpers.scales import comparable, contrast, load_scales, scale_for


def test_load_scales_has_the_five_scales():
    # Source: the brief's shared interface lists these five ids.
    assert set(load_scales()) == {"org-2008", "org-2018", "org-2025", "member-2008", "member-2018"}


@pytest.mark.parametrize("year, unit, expected", [
    # DOMAIN.md table: before 2018 / 2018–2025 / from 2025 (100-point score); members change in 2018.
    (2011, "organisation", "org-2008"), (2017, "organisation", "org-2008"), (2018, "organisation", "org-2018"),
    (2024, "organisation", "org-2018"), (2025, "organisation", "org-2025"), (2017, "member", "member-2008"),
    (2018, "member", "member-2018"),
])
def test_scale_for_year_boundaries(year, unit, expected):
    assert scale_for(year, unit).id == expected


def test_scale_for_rejects_bad_arguments():
    with pytest.raises(ValueError, match="'unit' must be one of organisation, member"):
        scale_for(2018, "cell")
    with pytest.raises(ValueError, match=r"'year' must be an int \(got '2O13'"):
        scale_for("2O13")


def test_levels_are_ordered_and_tsvm_tb_is_a_subset_of_tsvm():
    org = scale_for(2016)
    # DOMAIN.md: top TSVM (subset "TSVM tiêu biểu"), good HTTNV, pass HTNV, fail Yếu kém.
    assert [(lv.code, lv.common) for lv in org.levels] == [
        ("YK", "fail"), ("HTNV", "pass"), ("HTTNV", "good"), ("TSVM", "top"), ("TSVM_TB", "top")]
    assert org.level("TSVM_TB").subset_of == "TSVM"
    assert [lv.order for lv in scale_for(2019).levels] == [0, 1, 2, 3]


@pytest.mark.parametrize("score, code", [
    # DOMAIN.md: HTXSNV ≥ 90, HTTNV 70–89, HTNV 50–69, KHTNV < 50 (QĐ 366-QĐ/TW).
    (100, "HTXSNV"), (90, "HTXSNV"), ("89.5", "HTTNV"), (70, "HTTNV"), (69, "HTNV"), (50, "HTNV"),
    ("49.99", "KHTNV"), (0, "KHTNV"),
])
def test_level_for_score_uses_the_2025_bands(score, code):
    assert scale_for(2025).level_for_score(score).code == code


def test_level_for_score_refuses_out_of_range_and_unscored_scales():
    with pytest.raises(ValueError, match="between 0 and 100"):
        scale_for(2025).level_for_score(101)
    with pytest.raises(ValueError, match="no 100-point bands"):
        scale_for(2018).level_for_score(80)


def test_top_is_not_comparable_across_2018_but_good_is():
    # DOMAIN.md: "The top level is not comparable across 2018."
    assert comparable("org-2008", "org-2018", "top") is False
    assert comparable("org-2018", "org-2025", "top") is True
    assert comparable("org-2008", "org-2018", "good") is True
    assert comparable("org-2008", "member-2008", "good") is False   # different units


def test_contrasts_refuse_a_side_made_only_of_non_comparable_levels():
    assert contrast("good_or_better").valid_between("org-2008", "org-2018")
    assert contrast("fail_vs_rest").valid_between("org-2008", "org-2018")
    assert not contrast("top_vs_rest").valid_between("org-2008", "org-2018")
    assert contrast("top_vs_rest").valid_between("org-2018", "org-2025")
    with pytest.raises(ValueError, match="'contrast' must be one of"):
        contrast("best")


def test_contrast_apply_keeps_missing():
    import pandas as pd
    out = contrast("good_or_better").apply(pd.Series(["fail", "good", None, "top"]))
    assert out.tolist()[:2] == [False, True] and out.isna().tolist() == [False, False, True, False]


def test_a_user_edit_adds_a_variant_and_a_bad_edit_names_the_field(tmp_path):
    raw = yaml.safe_load(scales.SCALES_FILE.read_text(encoding="utf-8"))
    raw["scales"][0]["levels"][0]["common"] = "awful"
    raw["scales"][1]["years"]["from"] = 2017          # overlaps org-2008
    bad = tmp_path / "scales.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_scales(bad)
    text = str(err.value)
    assert "org-2008.levels[0].common" in text and "awful" in text
    assert "overlaps the years of org-2018" in text


def test_to_frame_has_fixed_columns():
    frame = scale_for(2025).to_frame()
    assert list(frame.columns) == scales.LEVEL_COLUMNS
    assert frame.loc[frame.code == "HTXSNV", "score_min"].item() == str(Fraction(90))
