"""The analyses of the bundled studies on the source articles, and the analyses schema checks."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from _inference_r import r
from helpers.errors import InputError
from helpers.inference import RESULT_COLUMNS, run_analyses, validate_analyses
from helpers.inference.synthetic import synthetic_panel
from helpers.study import load_study


def _rows(frame, analysis_id):
    return frame[frame.test.str.endswith(f"[{analysis_id}]")].reset_index(drop=True)


@pytest.fixture(scope="module")
def bt56(tmp_path_factory):
    return run_analyses(load_study("binh-thuan-56"), tmp_path_factory.mktemp("bt56"))


def test_results_have_fixed_columns_and_no_silent_nan(bt56):
    assert list(bt56.columns) == RESULT_COLUMNS
    silent = bt56[bt56.p_value.isna() & bt56.effect.isna() & (bt56.note == "")]
    assert silent.empty
    assert not bt56.sentence_vi.str.contains("nan").any()


def test_binh_thuan_56_totals(bt56):
    rows = _rows(bt56, "bt56-change")
    unpaired = rows[rows.test.str.contains("independent samples")].iloc[0]
    # R: fisher.test(rbind(c(2, 3, 12, 39), c(0, 14, 12, 30)))$p.value
    assert unpaired.p_value == pytest.approx(r("ffh_bt56_unpaired"), rel=1e-9)
    sign = rows[rows.test.str.startswith("exact sign test, range")].iloc[0]
    assert sign.p_value == pytest.approx(r("range_bt56_sign_p")[1], rel=1e-9)  # largest p over joint tables
    # the range is in numeric columns too; R: range(sapply(bt56_tables, sign_p))
    assert (sign.p_low, sign.p_high) == tuple(pytest.approx(v, rel=1e-9) for v in r("range_bt56_sign_p"))
    mcnemar = rows[rows.test.str.startswith("exact McNemar at cut good, range")].iloc[0]
    assert (mcnemar.p_low, mcnemar.p_high) == tuple(pytest.approx(v, rel=1e-9)
                                                    for v in r("range_bt56_mcnemar_cut2_p"))
    not_ranges = rows[~rows.test.str.contains("range over pairings")]
    assert not_ranges.p_low.isna().all() and not_ranges.p_high.isna().all()
    assert rows.iloc[-1].test.startswith("verdict") and "unit-level data are needed" in rows.iloc[-1].sentence_en


def test_binh_thuan_56_vs_province_uses_recovered_base(bt56):
    rows = _rows(bt56, "bt56-vs-province")
    ffh = rows[rows.test.str.contains("rest of province")]
    assert list(ffh.test.str.extract(r"N = (\d+)")[0].astype(int)) == [495, 990, 1222, 1390]  # DOMAIN.md: 495 first
    # R: fisher.test(rbind(c(3, 12, 39, 2), c(159, 82, 185, 13)))$p.value
    assert ffh.p_value.iloc[0] == pytest.approx(r("ffh_bt56_rest_495"), rel=1e-9)
    assert not math.isnan(ffh.p_adjusted.iloc[0]) and math.isnan(ffh.p_adjusted.iloc[1])
    # R: exact_multinomial(c(3, 12, 39, 2), c(32.73, 18.99, 45.25, 3.03) / 100)
    assert rows.iloc[0].p_value == pytest.approx(r("multinomial_bt56"), rel=1e-8)
    # the unprinted level (yếu kém) ranks lowest, not last; R: mean(sign(outer(rep(1:4, bt56_2013),
    # rep(1:4, c(13, 159, 82, 185)), '-'))) = 0.331 [0.207; 0.455] (the audit found 0.343 [0.233; 0.454])
    first = ffh.iloc[0]
    assert first.effect == pytest.approx(r("cliff_bt56_rest_495"), rel=1e-12)
    assert (first.ci_low, first.ci_high) == tuple(pytest.approx(v, rel=1e-10) for v in r("cliff_ci_bt56_rest_495"))
    assert "categories in order fail, pass, good, top" in first.note


@pytest.mark.parametrize("printed, pooled, levels, ordered", [
    ([1, 2, 3], True, ((0,), (1,), (2,), (3,)), True),    # fail unprinted: first
    ([0, 1, 2], True, ((0,), (1,), (2,), (3,)), True),    # top unprinted: last
    ([0, 3], True, ((0,), (1, 2), (3,)), True),           # pass + good pooled: between fail and top
    ([1, 3], True, ((1,), (3,), (0, 2)), False),          # fail + good pooled straddle pass: no order
    ([0, 1, 2, 3], False, ((0,), (1,), (2,), (3,)), True),
])
def test_pooled_unprinted_levels_stand_where_they_belong(printed, pooled, levels, ordered):
    from helpers.inference.battery_published import _category_layout

    layout, why = _category_layout(printed, pooled)
    assert layout.levels == levels and (why is None) == ordered
    # each category takes its counts from the printed order with the remainder last (hand: index of the level)
    expected = tuple(printed.index(c[0]) if len(c) == 1 and c[0] in printed else len(printed) for c in levels)
    assert layout.sources == expected


def test_binh_thuan_7_exact_tests_and_power(tmp_path):
    frame = run_analyses(load_study("binh-thuan-7"), tmp_path)
    rows = _rows(frame, "bt7-change")
    unpaired = rows[rows.test.str.contains("independent samples")].iloc[0]
    assert unpaired.p_value == pytest.approx(r("ffh_bt7_unpaired"), rel=1e-9)  # R: fisher.test(rbind(c(1,3,3), c(0,1,6)))
    # the rank test of the same two years is exact too: R pvalue(wilcox_test(..., distribution = 'exact')) = 0.217
    # (the normal approximation gave 0.112)
    rank = rows[rows.test.str.startswith("Mann–Whitney (exact conditional")].iloc[0]
    assert rank.p_value == pytest.approx(r("wilcox_exact_bt7"), rel=1e-9)
    assert "Under no pairing is the sign test significant" in rows.iloc[-1].sentence_en
    statement = _rows(frame, "bt7-power").iloc[0]
    assert "only when all 7 move the same way" in statement.sentence_en


def test_trang_dinh_naive_refused_harmonised_given(tmp_path):
    frame = run_analyses(load_study("trang-dinh"), tmp_path)
    naive = _rows(frame, "td-naive-top").iloc[0]
    assert math.isnan(naive.p_value) and "not comparable" in naive.note
    top = _rows(frame, "td-top-vs-rest").iloc[0]
    assert math.isnan(top.p_value) and "refused" in top.note
    good = _rows(frame, "td-good-or-better").iloc[0]
    # 2017: 61 of 62 good or better (34 TSVM + 27 HTTNV); 2018: 55 of 59 (5 + 50). R: fisher.test(rbind(c(4, 55), c(1, 61)))
    assert good.p_value == pytest.approx(r("ffh_td_good_or_better"), rel=1e-9)
    assert (good.ci_low, good.ci_high) == pytest.approx(tuple(r("newcombe_td_good")), rel=1e-10)


def test_synthetic_panel_answers_all_four_questions(tmp_path):
    (tmp_path / "processed").mkdir()
    synthetic_panel().to_parquet(tmp_path / "processed" / "panel.parquet")
    frame = run_analyses(load_study("example-panel"), tmp_path)
    assert set(frame.question) == {"a", "b", "c", "d"}
    assert frame.p_value.notna().sum() >= 15
    cross = _rows(frame, "ex-pilots-2015-2019")
    assert cross.test.iloc[0].startswith("exact McNemar at cut good_or_better")  # harmonised across 2018
    rtm = _rows(frame, "ex-rtm-2015-2019")
    assert rtm.test.iloc[0].startswith("Cochran–Mantel–Haenszel") and "regression to the mean" in rtm.sentence_en.iloc[-1]
    family = frame[frame.p_adjusted.notna()]
    assert len(family) == 4  # one primary row per analysis with family 'primary' (paired, two-sample, did, baseline)


def test_panel_missing_is_a_row_not_a_crash(tmp_path):
    frame = run_analyses(load_study("example-panel"), tmp_path)
    assert frame.p_value.isna().all() and frame.note.str.contains("run step 01-clean").all()


def test_validate_analyses_lists_every_problem():
    bad = [{"id": "x", "question": "e", "design": "totals"},
           {"id": "x", "question": "a", "design": "paired", "years": [2014], "cut": "best", "oops": 1},
           {"id": "Y y", "question": "b", "design": "reference", "pilots": "nope", "reference": "bt-province-2013",
            "contrast": "everything"}]
    published = pd.DataFrame({"source_id": ["000"], "table_id": ["bt-province-2013"]})
    problems = validate_analyses(bad, "studies/x.yaml", published)
    fields = [p.column for p in problems]
    for expected in ["analyses[1].question", "analyses[2].id", "analyses[2].years", "analyses[2].cut",
                     "analyses[2].oops", "analyses[3].id", "analyses[3].pilots", "analyses[3].contrast"]:
        assert expected in fields, expected
    assert "studies/x.yaml, field 'analyses[2].cut'" in str(next(p for p in problems if p.column.endswith(".cut")))


def test_bundled_studies_validate(tmp_path):
    for name in ("binh-thuan-56", "binh-thuan-7", "trang-dinh", "example-panel"):
        assert validate_analyses(list(load_study(name).analyses), name) == []


def test_run_analyses_raises_input_error_on_bad_schema(tmp_path):
    import dataclasses
    study = dataclasses.replace(load_study("trang-dinh"), analyses=({"id": "a1", "question": "z"},))
    with pytest.raises(InputError, match="question"):
        run_analyses(study, tmp_path)


def test_every_sentence_names_its_test_in_its_own_language(bt56, tmp_path):
    # A result sentence an article can print says which test gave the p-value, in the article's language.
    from helpers.inference.results import sentence_test_name

    (tmp_path / "ex" / "processed").mkdir(parents=True)
    synthetic_panel().to_parquet(tmp_path / "ex" / "processed" / "panel.parquet")
    frame = pd.concat([bt56, run_analyses(load_study("binh-thuan-7"), tmp_path / "bt7"),
                       run_analyses(load_study("trang-dinh"), tmp_path / "td"),
                       run_analyses(load_study("example-panel"), tmp_path / "ex")])
    tested = frame[frame["p_value"].notna()]
    for row in tested.itertuples():
        name = row.test.rsplit(" [", 1)[0]
        assert sentence_test_name(name, "vi") in row.sentence_vi
        assert sentence_test_name(name, "en") in row.sentence_en
    english_words = ("exact", "test", "sample", "pairing", "goodness", "chi-square", "rest of")
    for sentence in tested["sentence_vi"]:
        assert not any(w in sentence for w in english_words), sentence


# ---------------------------------------------------------------- every option is used or refused

def test_options_a_design_does_not_use_are_refused_naming_file_and_field():
    entries = [
        {"id": "did-cut", "question": "c", "design": "did", "years": [2014, 2017], "cut": "good"},
        {"id": "base-group", "question": "d", "design": "baseline", "years": [2014, 2017], "group": "all"},
        {"id": "cmp-cut", "question": "a", "design": "compare-years", "before": "a", "after": "b", "cut": "top"},
        {"id": "both", "question": "a", "design": "paired", "years": [2014, 2017], "cut": "good",
         "contrast": "good_or_better"},
        {"id": "bases", "question": "b", "design": "reference", "pilots": "p", "reference": "r", "bases": 3},
    ]
    problems = validate_analyses(entries, "studies/x.yaml")
    text = {p.column: str(p) for p in problems}
    assert set(text) == {"analyses[1].cut", "analyses[2].group", "analyses[3].cut", "analyses[4].cut",
                         "analyses[5].bases"}
    assert text["analyses[1].cut"].startswith("studies/x.yaml, field 'analyses[1].cut'")
    assert "design 'did' does not use 'cut'" in text["analyses[1].cut"]
    assert "used by: paired, reference, repeated, totals" in text["analyses[1].cut"]
    assert "not both" in text["analyses[4].cut"] and "remove_pilots" in text["analyses[5].bases"]


def test_years_outside_the_panel_are_a_clear_error(tmp_path):
    import dataclasses

    (tmp_path / "processed").mkdir()
    synthetic_panel().to_parquet(tmp_path / "processed" / "panel.parquet")  # 2014–2021
    study = dataclasses.replace(load_study("example-panel"), analyses=(
        {"id": "late", "question": "a", "design": "paired", "years": [2014, 2023]},
        {"id": "early", "question": "b", "design": "two-sample", "year": 2012},
        {"id": "fine", "question": "c", "design": "did", "years": [2014, 2017]}))
    with pytest.raises(InputError) as error:
        run_analyses(study, tmp_path)
    fields = {p.column: str(p) for p in error.value.problems}
    assert set(fields) == {"analyses[1].years", "analyses[2].year"}
    assert "year(s) 2023 not in the study's panel (panel years: 2014–2021)" in fields["analyses[1].years"]
    assert "example-panel.yaml" in fields["analyses[2].year"] and "2012" in fields["analyses[2].year"]


def test_a_contrast_that_pools_every_baseline_into_one_stratum_is_refused(tmp_path):
    import dataclasses

    panel = synthetic_panel()
    first = (panel.year == 2014) & (panel.rating_common == "fail")
    panel.loc[first, ["rating_common", "rating_order"]] = ["pass", 1]  # no unit fails in 2014 (hand-made)
    (tmp_path / "processed").mkdir()
    panel.to_parquet(tmp_path / "processed" / "panel.parquet")
    study = dataclasses.replace(load_study("example-panel"), analyses=(
        {"id": "pooled", "question": "d", "design": "baseline", "years": [2014, 2017], "contrast": "pass_or_better"},
        {"id": "split", "question": "d", "design": "baseline", "years": [2014, 2017],
         "contrast": "good_or_better"}))
    frame = run_analyses(study, tmp_path)
    pooled = _rows(frame, "pooled")
    assert len(pooled) == 2 and pooled.p_value.isna().all()
    assert pooled.note.str.contains("every unit's 2014 rating on the same (upper) side", regex=False).all()
    split = _rows(frame, "split")  # pass_or_better is one side, good_or_better splits 2014: explained, not refused
    assert split.p_value.notna().any() and split.assumptions.str.contains("pooled into two", regex=False).all()


def test_a_contrast_on_published_totals_of_one_scale_is_used(tmp_path):
    import dataclasses

    study = dataclasses.replace(load_study("binh-thuan-56"), analyses=(
        {"id": "four", "question": "a", "design": "totals", "before": "bt56-2011", "after": "bt56-2013"},
        {"id": "two", "question": "a", "design": "totals", "before": "bt56-2011", "after": "bt56-2013",
         "contrast": "good_or_better"}))
    frame = run_analyses(study, tmp_path)
    four, two = _rows(frame, "four").iloc[0], _rows(frame, "two").iloc[0]
    # good or better: 42 of 56 in 2011 (12 + 30), 51 in 2013 (12 + 39); the joint 2 × 2 tables print as [a b; c d]
    import re

    table_at = re.compile(r"at p_min: \[([^\]]*)\]")
    assert len(table_at.search(four.note)[1].split(";")) == 4  # four levels: 4 × 4 joint tables
    assert len(table_at.search(two.note)[1].split(";")) == 2   # the contrast: 2 × 2 joint tables
    assert two.p_value != four.p_value


def test_an_unusable_published_table_is_a_refused_row_naming_it():
    # every design over two published tables refuses with the first missing table's reason, one row
    from helpers.inference import battery_panel, battery_published

    published = pd.DataFrame({"source_id": ["000"], "table_id": ["elsewhere"]})
    cases = [(battery_published._run_totals, {"id": "t", "before": "a-2013", "after": "a-2014"},
              "paired range over joint tables"),
             (battery_published._run_compare_years, {"id": "t", "before": "a-2013", "after": "a-2014"},
              "Fisher exact, two years as independent samples"),
             (battery_published._run_reference, {"id": "t", "pilots": "a-2013", "reference": "a-2014"},
              "exact multinomial goodness of fit"),
             (battery_panel._run_two_sample, {"id": "t", "pilots": "a-2013", "rest": "a-2014"},
              "Fisher–Freeman–Halton exact")]
    for run, entry, test in cases:
        args = ("x", entry, None, published) if run is battery_panel._run_two_sample else ("x", entry, published)
        frame = run(*args)
        assert len(frame) == 1 and frame.test.iloc[0].startswith(test), frame.test.iloc[0]
        assert math.isnan(frame.p_value.iloc[0]) and "no published table 'a-2013'" in frame.note.iloc[0]
