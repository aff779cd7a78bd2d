"""Verdicts: one conclusion per claim, from the test the design makes valid; verdict.json as documented."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from _inference_r import verdict_r
from helpers.inference.claims import run_claim
from helpers.inference.designs import Claim, Selection
from helpers.inference.synthetic import synthetic_panel
from helpers.inference.verdict import CONCLUSIONS, VERDICT_KEYS, judge
from helpers.inference.verdict_study import run_study
from helpers.cleaning.panel import clean_study
from helpers.study import load_study




def _panel(rows):
    """A processed-panel-like frame from (unit, year, rating_order, pilot) tuples; programme 2016–2017."""
    frame = pd.DataFrame(rows, columns=["unit_id", "year", "rating_order", "pilot"])
    frame["pilot_start"] = np.where(frame["pilot"], 2016, np.nan)
    frame["pilot_end"] = np.where(frame["pilot"], 2017, np.nan)
    return frame


def _no_nan(value):
    if isinstance(value, float):
        return not math.isnan(value)
    if isinstance(value, dict):
        return all(_no_nan(v) for v in value.values())
    if isinstance(value, list):
        return all(_no_nan(v) for v in value)
    return True


def test_null_pilots_picked_weak_is_no_evidence_and_names_regression_to_the_mean():
    # helpers.inference.synthetic: pilots drawn among units rated pass or worse in 2014, no effect (effect=0)
    outcome = run_claim(synthetic_panel(effect=0.0, pilot_start=2016), Claim(), Selection())
    verdict = judge(outcome)
    assert verdict["conclusion"] == "no_evidence"
    assert "regression to the mean" in verdict["sentence_en"] and "hồi quy về trung bình" in verdict["sentence_vi"]
    # the naive before/after on the same pilots does find an "improvement" (descriptive row, not the verdict)
    naive = outcome.rows[outcome.rows["test"].str.startswith("exact McNemar")].iloc[0]
    assert "descriptive only" in naive["assumptions"] and "regression to the mean" in naive["sentence_en"]


def test_true_effect_is_an_effect_with_direction_size_and_interval():
    verdict = judge(run_claim(synthetic_panel(effect=0.9, pilot_start=2016), Claim(), Selection()))
    assert verdict["conclusion"] == "effect" and verdict["effect_name"] == "common_or"
    assert 1 < verdict["ci_low"] < verdict["effect"] < verdict["ci_high"]
    assert "improved more than comparable units" in verdict["sentence_en"]
    assert "with the same 2014–2015 ratings" in verdict["sentence_en"] and "KTC 95%" in verdict["sentence_vi"]
    assert list(verdict) == VERDICT_KEYS and _no_nan(verdict)


def test_no_non_pilots_is_cannot_tell_with_why():
    rows = [(u, y, 1, True) for u in ("a", "b", "c") for y in (2014, 2015, 2016, 2017)]
    verdict = judge(run_claim(_panel(rows), Claim(), Selection()))
    assert verdict["conclusion"] == "cannot_tell" and "no comparison units" in verdict["sentence_en"]
    assert verdict["p_value"] is None and _no_nan(verdict)


def test_pilots_without_comparable_units_is_cannot_tell():
    # pilots were all rated fail (0) in 2014–2015, no non-pilot was: no stratum holds both groups
    rows = [(f"p{i}", y, 0 if y < 2016 else 2, True) for i in range(5) for y in range(2014, 2018)]
    rows += [(f"o{i}", y, 2 + i % 2, False) for i in range(20) for y in range(2014, 2018)]
    outcome = run_claim(_panel(rows), Claim(), Selection())
    verdict = judge(outcome)
    assert verdict["conclusion"] == "cannot_tell"
    assert "no pilot has a non-pilot with the same 2014–2015 ratings" in verdict["sentence_en"]
    assert outcome.test.unmatched_pilots == 5 and outcome.unmatched_ids == ("p0", "p1", "p2", "p3", "p4")


def test_no_year_before_the_programme_is_cannot_tell():
    rows = [(u, y, k % 4, k < 3) for k, u in enumerate("abcdefgh") for y in (2016, 2017)]
    verdict = judge(run_claim(_panel(rows), Claim(), Selection()))
    assert verdict["conclusion"] == "cannot_tell" and "no rating before the programme started (2016)" in \
        verdict["sentence_en"]


def test_random_selection_without_a_year_before_is_one_unstratified_exact_comparison():
    # tests/reference/verdict.R, data d2c (24 units): x = reached the level, pilot label; here the only years are
    # 2016–2017 (programme 2016–2017), x = 1 is TSVM (3) in 2017, x = 0 is HTTNV (2)
    x = [1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1]
    pil = [1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    rows = [(f"u{i}", y, 2 + xi, bool(pi)) for i, (xi, pi) in enumerate(zip(x, pil)) for y in (2016, 2017)]
    outcome = run_claim(_panel(rows), Claim(), Selection("random"))
    assert outcome.primary_ran and outcome.strata_years == () and outcome.from_year is None
    # R: pvalue(independence_test(x ~ pilot, data = d2c, teststat = 'scalar', distribution = exact()))
    assert outcome.test.p_value == pytest.approx(verdict_r("one_stratum_p_exact"), rel=1e-9)
    entry = judge(outcome)
    assert entry["conclusion"] == "no_evidence" and entry["n_pilots"] == 7 and entry["n_comparison"] == 17
    assert "chọn ngẫu nhiên" in entry["sentence_vi"] and "mọi đơn vị không làm điểm" in entry["sentence_vi"]
    assert any("dựa hoàn toàn vào việc chọn thật sự ngẫu nhiên" in c["vi"] for c in entry["caveats"])
    # without a declared random draw the same data cannot tell (nothing shows how the pilots started)
    assert judge(run_claim(_panel(rows), Claim(), Selection()))["conclusion"] == "cannot_tell"


def test_too_few_comparable_pilots_for_any_p_below_05_is_cannot_tell():
    # 2 pilots with one comparable non-pilot each: the smallest attainable p is 1/2 × 1/2 ... > .05
    rows = [("p1", 2015, 1, True), ("p1", 2017, 2, True), ("o1", 2015, 1, False), ("o1", 2017, 1, False),
            ("p2", 2015, 2, True), ("p2", 2017, 3, True), ("o2", 2015, 2, False), ("o2", 2017, 2, False)]
    verdict = judge(run_claim(_panel(rows), Claim(), Selection()))
    assert verdict["conclusion"] == "cannot_tell" and "too few for any result to reach p < .05" in \
        verdict["sentence_en"]


def test_claim_year_missing_from_panel_is_cannot_tell():
    rows = [(u, y, k % 4, k < 3) for k, u in enumerate("abcdefgh") for y in (2014, 2015, 2016, 2017)]
    verdict = judge(run_claim(_panel(rows), Claim(to_year=2019), Selection()))
    assert verdict["conclusion"] == "cannot_tell" and "no ratings for 2019" in verdict["sentence_en"]


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    out = tmp_path_factory.mktemp("example")
    study = load_study("example-panel")
    clean_study(study, out / "processed")
    return run_study(study, out), out


def test_example_verdict_recovers_the_true_effect(example):
    verdict, out = example
    claim = verdict.verdict["claims"][0]
    # data/raw/example-panel/README.md: +1.0 latent SD for pilots in 2017–2019; in 2019, 70 % of pilots were
    # HTTNV or better against 25 % without the programme -> the verdict must be "effect", pilots better
    assert claim["conclusion"] == "effect" and claim["effect"] > 1 and claim["ci_low"] > 1
    assert claim["n_pilots"] == 40 and "2015" in claim["sentence_en"] and "2019" in claim["sentence_en"]
    # the headline is the short form: the conclusion and the odds ratio with its interval
    assert verdict.verdict["headline_en"].startswith("Yes: the pilots improved more than comparable units (odds ratio")
    assert "KTC 95%" in verdict.verdict["headline_vi"] and len(verdict.verdict["headline_en"]) < len(claim["sentence_en"])


def test_example_holm_family_holds_only_valid_primaries(example):
    results = example[0].results
    family = results[results["p_adjusted"].notna()]["test"].tolist()
    # the claim's primary, and the baseline analysis that matches on 2015 = the declared selection year
    assert family[0].endswith("[pilots-improved-more]")
    assert any(t.endswith("[ex-rtm-2015-2019]") and t.startswith("Cochran–Mantel–Haenszel") for t in family)
    assert not any(t.endswith(("[ex-pilots-2015-2019]", "[ex-pilots-vs-rest-2019]", "[ex-did-2015-2019]"))
                   for t in family)
    did = results[results["test"].str.endswith("[ex-did-2015-2019]") & results["p_value"].notna()]
    assert did["assumptions"].str.contains("regress to the mean").all()
    assert did["sentence_vi"].str.contains("chỉ để mô tả").all()


def test_verdict_json_has_exactly_the_documented_schema(example):
    verdict, out = example
    files = verdict.write(out)
    data = json.loads(files["verdict.json"].read_text(encoding="utf-8"))
    assert list(data) == ["headline_vi", "headline_en", "claims"]
    for claim in data["claims"]:
        assert list(claim) == VERDICT_KEYS and claim["conclusion"] in CONCLUSIONS
        assert all(set(c) == {"vi", "en"} for c in claim["caveats"])
    assert "NaN" not in files["verdict.json"].read_text(encoding="utf-8")
    assert pd.read_csv(files["results.csv"])["test"].iloc[0].endswith("[pilots-improved-more]")
    assert not list(out.glob(".*.tmp"))


def test_binh_thuan_cannot_tell_and_says_pilots_were_better_already(tmp_path):
    verdict = run_study(load_study("binh-thuan-56"), tmp_path).verdict
    claim = verdict["claims"][0]
    assert claim["conclusion"] == "cannot_tell" and claim["p_value"] is None
    caveats = " ".join(c["vi"] for c in claim["caveats"])
    # seed 000: 30 of the 56 pilots were TSVM in 2011; the province printed 45,25 % TSVM for 2013
    assert "30/56 (53,6%)" in caveats and "45,25%" in caveats and "không nói lên tác động" in caveats
    assert verdict["headline_en"].startswith("These data cannot tell whether the pilots improved more")


def test_published_studies_have_no_holm_family_of_biased_tests(tmp_path):
    results = run_study(load_study("binh-thuan-56"), tmp_path).results
    assert results["p_adjusted"].isna().all()          # before/after and vs-province are descriptive only
    described = results[results["p_value"].notna()]
    assert described["assumptions"].str.contains("descriptive only").all()



#: config keys and English words that must never reach a Vietnamese sentence
_NOT_VI = ("good_or_better", "top_vs_rest", "compare-years", "ratings-changed", "p_low", "p_high", "cannot",
           "pilots", "selection", " the ", "odds")


def test_study_without_pilots_answers_its_own_question_the_change_between_years(tmp_path):
    study = run_study(load_study("trang-dinh"), tmp_path)
    claim = study.verdict["claims"][0]
    assert claim["id"] == "ratings-changed" and claim["conclusion"] == "no_evidence"
    # seed 004 / data/raw/published/004-trang-dinh.csv: HTTNV or better 61 of 62 (2017), 55 of 59 (2018);
    # hand computation: 55/59 − 61/62 = −0.0516676
    assert claim["effect"] == pytest.approx(55 / 59 - 61 / 62, abs=1e-12)
    assert claim["effect_name"] == "difference_in_proportions" and claim["ci_low"] < claim["effect"] < claim["ci_high"]
    # R: fisher.test(matrix(c(55, 4, 61, 1), 2))$p.value (only test in its Holm family)
    assert claim["p_value"] == pytest.approx(verdict_r("td_good_or_better_fisher_p"), rel=1e-9)
    vi = study.verdict["headline_vi"]
    assert vi.startswith("Không có bằng chứng xếp loại đã thay đổi")
    assert "giảm 5,2 điểm phần trăm" in vi and "p = 0,200" in vi
    # the top level is not comparable across the 2018 scale change (TSVM 34/62, HTXSNV 5/59 in seed 004)
    assert "Mức cao nhất không so sánh được" in vi and "TSVM 34/62 (54,8%)" in vi and "HTXSNV 5/59 (8,5%)" in vi
    assert "không phải là bằng chứng về tác động của bất kỳ chương trình nào" in vi
    assert "làm điểm" not in vi                        # it never asked about pilots
    assert not any(w in vi for w in _NOT_VI)
    assert study.verdict["headline_en"].startswith("No evidence that the ratings changed")
    good = study.results[study.results["test"].str.endswith("[td-good-or-better]")]
    assert good["p_adjusted"].notna().all()              # a change in the district, not a pilot claim


def test_a_study_that_only_checks_numbers_has_no_claim(tmp_path):
    verdict = run_study(load_study("published-check"), tmp_path).verdict
    assert verdict["claims"] == []
    assert verdict["headline_vi"] == "Nghiên cứu này chỉ kiểm tra các con số đã công bố, không nêu nhận định nào về tác động."


def test_ratings_changed_claim_is_refused_on_a_panel_study():
    from helpers.inference.designs import check_design
    raw = {"panel": {"years": [2014, 2019]}, "claims": [{"id": "x", "kind": "ratings-changed"}]}
    problems = check_design(raw, "studies/x.yaml")
    assert [p.column for p in problems] == ["claims[1].kind"]
    assert [p.column for p in check_design({"claims": [{"id": "x", "kind": "what"}]}, "s.yaml")] == ["claims[1].kind"]


def test_binh_thuan_says_what_can_be_said_with_the_p_range_over_pairings(tmp_path):
    for name, needles in {
        # seed 000: TSVM 30 → 39 of 56, HTTNV or better 42 → 51; McNemar range at cut good, hand computation:
        # b − c = 9; b = 9, c = 0 gives p = 2·0.5⁹ = 0.0039; b = 14, c = 5 gives 2·P(X ≤ 5 | 19) = 0.0636
        "binh-thuan-56": ["TSVM từ 30/56 (53,6%) năm 2011 lên 39/56 (69,6%) năm 2013",
                          "HTTNV trở lên từ 42/56 (75,0%) năm 2011 lên 51/56 (91,1%) năm 2013",
                          "p từ 0,004 đến 0,064 tùy cách ghép cặp",
                          "hồi quy về trung bình hay việc chọn những đơn vị có triển vọng",
                          # seed 000: the province printed 45,25 % TSVM for 2013
                          "đơn vị làm điểm đã tốt hơn: 30/56 (53,6%) đạt TSVM, so với 45,25% của toàn tỉnh năm 2013"],
        # seed 000: the 7 pilots, TSVM 3 → 6; b − c = 3; b = 3, c = 0: 2·0.5³ = 0.25; b = 4, c = 1: 2·6/32 = 0.375
        "binh-thuan-7": ["TSVM từ 3/7 (42,9%) năm 2011 lên 6/7 (85,7%) năm 2013", "p từ 0,250 đến 0,375"],
    }.items():
        study = run_study(load_study(name), tmp_path / name)
        vi = study.verdict["headline_vi"]
        assert study.verdict["claims"][0]["conclusion"] == "cannot_tell"
        for needle in needles:
            assert needle in vi, (name, needle)
        assert not any(w in vi for w in _NOT_VI), vi
        # the range is the one results.csv carries as numbers
        row = study.results[study.results["test"].str.startswith("exact McNemar")].iloc[0]
        assert f"p từ {row.p_low:.3f}".replace(".", ",") in vi


def test_placebo_questions_a_declared_random_selection():
    from helpers.inference.simulate import Scenario, simulate_panel

    # pilots truly picked as the weakest on the last pre-programme year, but the study file says "random":
    # before the programme they already differ from units with the same earlier ratings (placebo)
    panel, selection = simulate_panel(np.random.default_rng(11), Scenario("x", "last", "random", units=(400, 400),
                                                                          years=(6, 6), pilots=(40, 40)))
    assert selection.kind == "random"
    outcome = run_claim(panel, Claim(), selection)
    assert outcome.placebo.p_value < 0.05
    caveats = " ".join(c["en"] for c in judge(outcome)["caveats"])
    assert "declared drawn at random" in caveats and "check the declared selection" in caveats


def test_a_claim_that_cannot_be_answered_is_a_row_of_results_csv(tmp_path):
    # issue 12: "a refused primary test is reported, not silently dropped"
    results = run_study(load_study("binh-thuan-7"), tmp_path).results
    first = results.iloc[0]
    assert first["test"].endswith("[pilots-improved-more]") and math.isnan(first["p_value"])
    assert "cannot tell" in first["note"] and "không cho biết" in first["sentence_vi"]


def test_random_selection_matches_on_the_last_pre_year_and_keeps_did_as_valid_support():
    from helpers.inference.simulate import Scenario, simulate_panel

    panel, selection = simulate_panel(np.random.default_rng(5), Scenario("x", "random", "random", units=(300, 300),
                                                                         years=(6, 6), pilots=(30, 30)))
    outcome = run_claim(panel, Claim(), selection)
    # 6 years, 3 before the programme (2010–2012): under random selection the primary matches on 2012 only
    assert outcome.strata_years == (2012,) and outcome.rows["test"].iloc[0].endswith("strata = ratings 2012 "
                                                                                    "[pilots-improved-more]")
    did = outcome.rows[outcome.rows["test"].str.startswith("randomisation test")].iloc[0]
    assert "supporting: valid under this design" in did["assumptions"]
    naive = outcome.rows[outcome.rows["test"].str.startswith("exact McNemar")].iloc[0]
    assert "descriptive only" in naive["assumptions"]              # before/after is never a verdict



def test_pilots_starting_in_different_years_are_said_so():
    rows = [(u, y, k % 4, k < 4) for k, u in enumerate("abcdefghijkl") for y in (2014, 2015, 2016, 2017)]
    panel = _panel(rows)
    panel.loc[panel["unit_id"] == "a", "pilot_start"] = 2017
    outcome = run_claim(panel, Claim(), Selection())
    assert outcome.from_year == 2015 and any("different years (2016–2017)" in n.en for n in outcome.notes)
    assert any("2016–2017" in c["en"] for c in judge(outcome)["caveats"])


def test_separation_uses_the_exact_conditional_odds_ratio_with_its_interval():
    # Three strata (2014 rating 0, 1, 2), end year 2017: reaching TSVM (3) or not (2). Counts as the R array of
    # tests/reference/verdict.R 'separated_exact_*': (pilot yes, other yes, pilot no, other no) =
    # (3, 0, 0, 2), (2, 0, 1, 3), (1, 0, 2, 2): no non-pilot reaches TSVM, so the Mantel–Haenszel OR is infinite.
    rows, uid = [], 0
    for stratum, (py, oy, pn, on) in enumerate([(3, 0, 0, 2), (2, 0, 1, 3), (1, 0, 2, 2)]):
        for pilot, end, count in ((True, 3, py), (False, 3, oy), (True, 2, pn), (False, 2, on)):
            for _ in range(count):
                rows += [(f"u{uid}", 2014, stratum, pilot), (f"u{uid}", 2017, end, pilot)]
                uid += 1
    outcome = run_claim(_panel(rows), Claim(), Selection())
    assert math.isinf(outcome.odds.estimate) and outcome.cut == 3
    entry = judge(outcome)
    assert entry["effect_name"] == "exact_common_or"
    assert entry["effect"] is None and entry["ci_high"] is None          # infinite: null in verdict.json
    # R: mantelhaen.test(array(c(3,0,0,2, 2,0,1,3, 1,0,2,2), c(2,2,3)), exact = TRUE)$conf.int[1]
    # (R solves with uniroot at its default tolerance, .Machine$double.eps^0.25: agreement to 1e-4)
    assert entry["ci_low"] == pytest.approx(verdict_r("separated_exact_ci_low"), rel=1e-4)
    assert outcome.exact_odds.p_value == pytest.approx(verdict_r("separated_exact_p"), rel=1e-9)
    assert "KTC 95% chính xác: từ 1,35 trở lên" in entry["sentence_vi"]
    assert "exact 95% CI 1.35 or more" in entry["sentence_en"]
    json.dumps(entry, allow_nan=False)
    row = outcome.rows.iloc[0]                                           # results.csv carries the same interval
    assert row.effect_name == "conditional_or" and row.ci_low == pytest.approx(entry["ci_low"], rel=1e-12)
    assert "KTC 95% [1,35; ∞]" in row.sentence_vi
