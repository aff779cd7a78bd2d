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
