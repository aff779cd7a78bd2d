"""Questions (c) and (d) on tests/reference/inference_panel.csv, against R (clm, coin, mantelhaen.test)."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from statsmodels.miscmodels.ordinal_model import OrderedModel

from _inference_r import r
from helpers.inference import ordinal

PANEL = pd.read_csv(Path(__file__).parent / "reference" / "inference_panel.csv").assign(
    pilot=lambda d: d.pilot.astype(bool))
COLLAPSED = pd.DataFrame({"y": [0, 1, 2, 3, 0, 1, 2, 3], "x": [0, 0, 0, 0, 1, 1, 1, 1],
                          "w": [10, 20, 15, 5, 3, 10, 20, 17]})  # `collapsed` in inference.R


def test_po_interaction_matches_clm_and_cluster_sandwich():
    row = ordinal.po_interaction(PANEL, 2014, 2017).iloc[0]
    beta = r("clm_did_beta")  # R: coef(clm(factor(rating_order) ~ pilot * period, link = 'logit'))
    se = r("clm_did_cluster_se")  # R: cluster_se(...) analytic scores, G/(G-1)(N-1)/(N-K)
    assert row.effect == pytest.approx(beta[2], rel=1e-4)
    assert row.ci_high - row.effect == pytest.approx(1.959963984540054 * se[2], rel=1e-3)


def test_ordered_model_pitfalls_probit_default_and_ignored_freq_weights():
    y = pd.Series(pd.Categorical(COLLAPSED.y, ordered=True))
    default = OrderedModel(y, COLLAPSED[["x"]].astype(float))
    assert type(default.distr).__name__ == "norm_gen"  # probit unless distr="logit" is passed
    fit = lambda model: model.fit(method="bfgs", disp=False, gtol=1e-8, maxiter=2000).params["x"]  # noqa: E731
    ignored = fit(OrderedModel(y, COLLAPSED[["x"]].astype(float), distr="logit", freq_weights=COLLAPSED.w))
    unweighted = fit(OrderedModel(y, COLLAPSED[["x"]].astype(float), distr="logit"))
    assert ignored == pytest.approx(unweighted, rel=1e-6)  # the weights changed nothing
    assert unweighted == pytest.approx(r("clm_unweighted_beta"), abs=1e-6)  # 0: one row per category in each group
    rows = ordinal.expand_counts(COLLAPSED, "w")
    res = ordinal.fit_ordered_logit(rows.y.to_numpy(), rows[["x"]])
    assert len(rows) == COLLAPSED.w.sum()
    assert res.params["x"] == pytest.approx(r("clm_weighted_beta"), rel=1e-4)  # R: clm(..., weights = w)


def test_randomisation_matches_coin_exact():
    row = ordinal.randomisation_pilot(PANEL, 2014, 2017).iloc[0]
    # R: pvalue(oneway_test(change ~ factor(pilot), data = wide, distribution = 'exact'))
    assert row.p_value == pytest.approx(r("randomisation_pilot_p"), rel=1e-6)
    assert row.effect == pytest.approx(r("randomisation_pilot_diff"), rel=1e-12)


def test_cmh_matches_mantelhaen_test():
    row = ordinal.cmh_baseline(PANEL, 2014, 2017).iloc[0]
    # R: mantelhaen.test(cmh_array, correct = TRUE)
    assert row.statistic == pytest.approx(r("cmh_stat"), rel=1e-10)
    assert row.p_value == pytest.approx(r("cmh_p"), rel=1e-10)
    assert row.effect == pytest.approx(r("cmh_or"), rel=1e-10)
    assert (row.ci_low, row.ci_high) == pytest.approx(tuple(r("cmh_or_ci")), rel=1e-8)


def test_po_baseline_matches_clm():
    row = ordinal.po_baseline(PANEL, 2014, 2017).iloc[0]
    assert row.effect == pytest.approx(r("clm_baseline_beta_pilot"), rel=1e-4)  # R: coef(fit_base)['pilot']
    se = (row.ci_high - row.ci_low) / (2 * 1.959963984540054)
    assert se == pytest.approx(r("clm_baseline_se_pilot"), rel=1e-3)


def test_rtm_statement_without_comparators():
    only_pilots = ordinal.rtm_statement(None).iloc[0]
    assert "cannot be separated" in only_pilots.sentence_en
    panel = PANEL.copy()
    # pilots all start at 0, non-pilots at 3 (hand-made): no shared baseline
    panel.loc[(panel.year == 2014) & panel.pilot, "rating_order"] = 0
    panel.loc[(panel.year == 2014) & ~panel.pilot, "rating_order"] = 3
    assert "cannot separate" in ordinal.rtm_statement(panel, 2014, 2017).iloc[0].sentence_en
    assert "cannot separate" in ordinal.cmh_baseline(panel, 2014, 2017).iloc[0].note


def test_pilot_group_absent_from_a_year():
    panel = PANEL[~((PANEL.year == 2017) & PANEL.pilot)]
    for f in (ordinal.po_interaction, ordinal.randomisation_pilot, ordinal.cmh_baseline, ordinal.po_baseline):
        row = f(panel, 2014, 2017).iloc[0]
        assert math.isnan(row.p_value) and "pilot group has no rated unit in 2017" in row.note


def test_missing_year_and_single_category():
    row = ordinal.po_interaction(PANEL, 2014, 2019).iloc[0]
    assert math.isnan(row.p_value) and "2019" in row.note
    flat = PANEL.assign(rating_order=2)
    assert "one category" in ordinal.po_interaction(flat, 2014, 2017).iloc[0].note
    assert math.isnan(ordinal.randomisation_pilot(flat, 2014, 2017).iloc[0].p_value)


# ---------------------------------------------------------------- separation and convergence

# `sep` and `sep_ok` in inference.R: two years of 15 units (pilot, rating before, rating after)
SEP_PILOT = [1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0]
SEP_BEFORE = [1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 0, 0]
SEP_AFTER = [2, 2, 3, 1, 1, 1, 0, 3, 3, 2, 2, 2, 1, 0, 1]        # separated
NEAR_MISS_AFTER = [2, 2, 3, 1, 1, 2, 0, 3, 3, 2, 2, 3, 1, 0, 1]  # a non-pilot ties the pilots: finite


def _two_year_panel(after):
    rows = []
    for i, (pilot, before, end) in enumerate(zip(SEP_PILOT, SEP_BEFORE, after)):
        rows += [(f"U{i}", 2014, before, bool(pilot)), (f"U{i}", 2017, end, bool(pilot))]
    return pd.DataFrame(rows, columns=["unit_id", "year", "rating_order", "pilot"])


def _exog(before):
    return pd.DataFrame({"pilot": np.array(SEP_PILOT, float),
                         **{f"base_{b}": (np.array(before) == b).astype(float) for b in (1, 2)}})


def test_separation_is_detected_exactly_and_only_when_present():
    from helpers.inference.ordered_logit import separation

    # R: clm(...) on `sep` stops with code 1 ("Hessian is numerically singular") at pilot = 40.8
    assert r("clm_separated_code") == 1 and r("clm_separated_beta_pilot") > 10
    assert separation(SEP_AFTER, _exog(SEP_BEFORE), "pilot") == 1
    assert separation([3 - a for a in SEP_AFTER], _exog(SEP_BEFORE), "pilot") == -1  # reversed: −∞
    # R: clm(...) on `sep_ok` converges (code 0): the near miss is not separation (thresholds are shared)
    assert r("clm_near_miss_code") == 0
    assert separation(NEAR_MISS_AFTER, _exog(SEP_BEFORE), "pilot") == 0


def test_separated_baseline_model_is_replaced_by_the_exact_conditional_test():
    row = ordinal.po_baseline(_two_year_panel(SEP_AFTER), 2014, 2017).iloc[0]
    assert row.test == "exact conditional logistic, improved ~ pilot | baseline rating"
    assert "separation" in row.note and "+∞" in row.note and "(exact)" in row.sentence_en
    # R: mantelhaen.test(sep_array, exact = TRUE): p, conditional MLE (Inf) and the 95 % interval
    assert row.p_value == pytest.approx(r("exact_cond_separated_p"), rel=1e-9)
    assert r("exact_cond_separated_or") is None and math.isinf(row.effect)  # R writes Inf as null
    low, high = r("exact_cond_separated_ci")
    assert row.ci_low == pytest.approx(low, rel=1e-3) and high is None and math.isinf(row.ci_high)  # uniroot tol
    assert "40" not in row.sentence_en  # never the optimiser's stopping point


def test_near_miss_is_fitted_and_matches_clm():
    row = ordinal.po_baseline(_two_year_panel(NEAR_MISS_AFTER), 2014, 2017).iloc[0]
    assert row.effect == pytest.approx(r("clm_near_miss_beta_pilot"), rel=1e-4)  # R: coef(clm(...))['pilot']
    se = (row.ci_high - row.ci_low) / (2 * 1.959963984540054)
    assert se == pytest.approx(r("clm_near_miss_se_pilot"), rel=1e-3)


def test_exact_common_odds_ratio_matches_mantelhaen_exact():
    from helpers.inference.exact_conditional import exact_common_odds_ratio

    # R: mantelhaen.test(array(c(3, 1, 2, 2, 2, 1, 1, 3, 1, 2, 2, 2), c(2, 2, 3)), exact = TRUE)
    p, estimate, low, high = r("exact_cond_3strata")
    res = exact_common_odds_ratio([[[3, 2], [1, 2]], [[2, 1], [1, 3]], [[1, 2], [2, 2]]])
    assert res.p_value == pytest.approx(p, rel=1e-10)
    # R solves with uniroot (tolerance ~1e-4); here to 1e-12
    assert (res.estimate, res.ci_low, res.ci_high) == pytest.approx((estimate, low, high), rel=1e-4)
    # the reference panel's CMH array; R: mantelhaen.test(cmh_array, exact = TRUE)
    wide = ordinal._two_years(PANEL, 2014, 2017)
    row = ordinal.exact_conditional_baseline(wide).iloc[0]
    p, estimate, low, high = r("exact_cond_cmh_panel")
    assert row.p_value == pytest.approx(p, rel=1e-9)
    # R's uniroot stops at tol = .Machine$double.eps^0.25 ≈ 1.2e-4 on 1/ψ (here 1/ψ ≈ 0.06): 5e-4 relative on ψ
    assert (row.effect, row.ci_low, row.ci_high) == pytest.approx((estimate, low, high), rel=5e-4)


def test_fit_failure_raises_and_becomes_a_row_with_its_reason():
    from helpers.inference.ordered_logit import ModelFitError
    from helpers.inference.synthetic import synthetic_panel

    # 30 units, 7 pilots, seed 4: the Hessian of the baseline model cannot be inverted (a baseline stratum
    # is separated; the pilot coefficient is not) — statsmodels warns and returns NaN standard errors
    panel = synthetic_panel(30, range(2014, 2018), 7, seed=4)
    wide = ordinal._two_years(panel, 2014, 2017)
    exog = pd.DataFrame({"pilot": wide["pilot"].astype(float)})
    for level_value in sorted(wide["before"].unique())[1:]:
        exog[f"base_{level_value}"] = (wide["before"] == level_value).astype(float)
    with pytest.raises(ModelFitError, match="HessianInversionWarning"):
        ordinal.fit_ordered_logit(wide["after"].to_numpy(), exog)
    row = ordinal.po_baseline(panel, 2014, 2017).iloc[0]
    assert row.test.startswith("exact conditional logistic") and "did not reach a trustworthy optimum" in row.note
    assert not math.isnan(row.p_value)
    # the did model: a separated interaction is refused with its reason, never printed
    did = _two_year_panel(SEP_AFTER)
    did.loc[(did.year == 2017) & did.pilot, "rating_order"] = 3
    did.loc[(did.year == 2014) & did.pilot, "rating_order"] = 0
    row = ordinal.po_interaction(did, 2014, 2017).iloc[0]
    assert math.isnan(row.effect) and "separation" in row.note and "randomisation test" in row.note
