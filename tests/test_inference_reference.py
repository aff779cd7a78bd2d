"""Question (b) against printed percentages, against R (tests/reference/inference.R); R commands quoted beside each use."""

from __future__ import annotations

import math

import pytest

from _inference_r import r
from helpers.inference import reference as rf
from helpers.inference.results import Reason

TOL_EXACT = 1e-9              # exact p-values: same algorithm family, floating-point only


def test_goodness_of_fit_and_exact_multinomial_match_r():
    counts, pct = [3, 12, 39, 2], ["32.73", "18.99", "45.25", "3.03"]
    gof = rf.goodness_of_fit(counts, pct).iloc[0]
    # R: chisq.test(c(3, 12, 39, 2), p = c(32.73, 18.99, 45.25, 3.03) / 100)
    assert gof.statistic == pytest.approx(r("gof_bt56_stat"), rel=1e-10)
    assert gof.p_value == pytest.approx(r("gof_bt56_p"), rel=1e-10)
    # R: exact_multinomial(...) — enumeration of all outcomes in R
    assert rf.exact_multinomial(counts, pct).iloc[0].p_value == pytest.approx(r("multinomial_bt56"), rel=1e-8)
    assert rf.exact_multinomial([0, 0, 1, 6], pct).iloc[0].p_value == pytest.approx(r("multinomial_bt7"), rel=1e-8)


def test_binomial_share_matches_r():
    row = rf.binomial_share(39, 56, "45.25").iloc[0]
    assert row.p_value == pytest.approx(r("binom_bt56_top"), rel=1e-10)  # R: binom.test(39, 56, 0.4525)
    # signed: the pilots' share minus the reference share, 39/56 − 0.4525 (hand), Wilson interval shifted
    low, high = r("wilson_39_56")  # R: prop.test(39, 56, correct = FALSE)$conf.int
    assert row.effect == pytest.approx(39 / 56 - 0.4525, rel=1e-12) and row.effect_name == "difference_in_proportions"
    assert (row.ci_low, row.ci_high) == (pytest.approx(low - 0.4525, rel=1e-10), pytest.approx(high - 0.4525, rel=1e-10))
    worse = rf.binomial_share(10, 56, "45.25").iloc[0]  # 10/56 = 0.179 < 0.4525: the row says worse
    assert worse.effect < 0 and worse.ci_high < 0


def test_pilots_vs_rest_of_province_sensitivity():
    class B:  # BaseCandidate-like; counts at N = 495: 45,25/18,99/32,73 % -> 224/94/162 (hand: 495 * p rounded)
        def __init__(self, base, counts):
            self.base, self.counts = base, counts
    bases = [B(495, (162, 94, 224, 15)), B(990, (324, 188, 448, 30)), B(60, (20, 10, 28, 2))]
    res, sens = rf.pilots_vs_rest_of_province([3, 12, 39, 2], bases)
    # R: fisher.test(rbind(c(3, 12, 39, 2), c(159, 82, 185, 13)))$p.value
    assert res.p_value.iloc[0] == pytest.approx(r("ffh_bt56_rest_495"), rel=TOL_EXACT)
    assert list(sens.base) == [495, 990, 60]
    # N = 60 has fewer top units (28) than the pilots (39): refused with a reason, no silent NaN
    assert math.isnan(res.p_value.iloc[2]) and "impossible" in res.note.iloc[2]
    # Cliff's δ with the unprinted level (fail) first, where it belongs in the order
    # R: mean(sign(outer(rep(1:4, bt56_2013), rep(1:4, c(13, 159, 82, 185)), '-'))) → 0.331 [0.207; 0.455]
    res, _ = rf.pilots_vs_rest_of_province([2, 3, 12, 39], [B(495, (15, 162, 94, 224))])
    assert res.effect.iloc[0] == pytest.approx(r("cliff_bt56_rest_495"), rel=1e-12)
    assert (res.ci_low.iloc[0], res.ci_high.iloc[0]) == tuple(
        pytest.approx(v, rel=1e-10) for v in r("cliff_ci_bt56_rest_495"))
    # categories without an order: the test runs, the effect is refused with the reason
    why = Reason("không có thứ tự", "the pooled category has no place in the order")
    res, sens = rf.pilots_vs_rest_of_province([2, 3, 12, 39], [B(495, (15, 162, 94, 224))], unordered=why)
    assert res.p_value.iloc[0] == pytest.approx(r("ffh_bt56_rest_495"), rel=TOL_EXACT)
    assert math.isnan(res.effect.iloc[0]) and "no place in the order" in res.note.iloc[0]
    assert math.isnan(sens.cliffs_delta.iloc[0])


# ---------------------------------------------------------------- bad input

def test_reference_not_summing_to_100_is_refused():
    row = rf.goodness_of_fit([3, 12, 39], ["45.25", "18.99", "32.73"]).iloc[0]  # sums to 96.97
    assert math.isnan(row.p_value) and "sum to 96.97%" in row.note
    assert "Không thực hiện" in row.sentence_vi
    assert rf.check_reference(["33.3", "33.3", "33.3"], 1) is None  # 99.9 within ±0.15 (hand)



@pytest.mark.parametrize("n", [0, 1])
def test_tiny_samples_are_refused(n):
    assert math.isnan(rf.binomial_share(n, n, "50").iloc[0].p_value)
