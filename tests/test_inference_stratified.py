"""The verdict's primary test: exact stratified test and Mantel–Haenszel odds ratio, checked against R."""

from __future__ import annotations

import math

import numpy as np
import pytest

from _inference_r import verdict_r as r   # values computed by tests/reference/verdict.R (commands beside them)
from helpers.inference.stratified import mantel_haenszel_or, stratified_rank_test


# the data of tests/reference/verdict.R, typed identically
D1_Y = [0, 1, 2, 3, 1, 2, 2, 3, 0, 1, 1, 2, 3, 3, 2, 1]
D1_PILOT = np.array([1, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0], bool)
D1_S = [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3]
D2_X = [1, 0, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1]
D2_PILOT = np.array([1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], bool)
D2_S = [1] * 7 + [2] * 8 + [3] * 9 + [4] * 6


def test_stratified_test_matches_coin_exact_on_ordinal_scores():
    res = stratified_rank_test(D1_Y, D1_PILOT, D1_S)
    # R: pvalue(independence_test(y ~ pilot | s, data = d1, teststat = 'scalar', distribution = exact()))
    assert res.p_value == pytest.approx(r("strat_small_p_exact"), rel=1e-10)
    # R: statistic(independence_test(y ~ pilot | s, data = d1, teststat = 'scalar')), pilots as first level
    assert res.statistic == pytest.approx(r("strat_small_z"), rel=1e-10)
    assert (res.n_pilots, res.n_comparison, res.n_strata, res.unmatched_pilots) == (6, 10, 3, 0)


def test_stratum_with_pilots_only_is_counted_not_used():
    res = stratified_rank_test(D2_X, D2_PILOT, D2_S)
    # R drops stratum 4 (pilots only) by hand: d2c <- droplevels(subset(d2, s != 4)); same p and z
    assert res.p_value == pytest.approx(r("strat_binary_p_exact"), rel=1e-10)
    assert res.statistic == pytest.approx(r("strat_binary_z"), rel=1e-10)
    assert res.unmatched_pilots == 6 and res.n_pilots == 7 and res.n_comparison == 17


def test_mantel_haenszel_odds_ratio_matches_r():
    res = mantel_haenszel_or(D2_X, D2_PILOT, D2_S)
    # R: mantelhaen.test(table(pilot, x, s))$estimate and $conf.int on d2c (stratum 4 has no comparison)
    assert res.estimate == pytest.approx(r("mh_or"), rel=1e-10)
    assert (res.ci_low, res.ci_high) == pytest.approx(tuple(r("mh_or_ci")), rel=1e-8)
    assert res.n_strata == 3


def test_one_stratum_is_the_exact_two_sample_test():
    keep = np.array(D2_S) != 4
    res = stratified_rank_test(np.array(D2_X)[keep], D2_PILOT[keep], np.zeros(keep.sum(), int))
    # R: pvalue(independence_test(x ~ pilot, data = d2c, teststat = 'scalar', distribution = exact()))
    assert res.p_value == pytest.approx(r("one_stratum_p_exact"), rel=1e-10)


def test_smallest_possible_p_by_hand():
    # one stratum, 2 pilots among 4 units scoring 0, 0, 1, 1: the pilots' sum is 0, 1 or 2 with
    # probabilities 1/6, 4/6, 1/6 (C(4,2) = 6 pairs); |T − 1| = 1 has probability 2/6 → p_min = 1/3
    res = stratified_rank_test([0, 0, 1, 1], [True, True, False, False], [0, 0, 0, 0])
    assert res.p_min == pytest.approx(1 / 3) and res.p_value == pytest.approx(1 / 3)
    assert res.excess == pytest.approx(-0.5)  # observed 0 against an expected 1, over 2 pilots


def test_no_comparable_stratum_gives_nan_not_an_error():
    res = stratified_rank_test([0, 1, 1, 0], [True, True, False, False], [0, 0, 1, 1])
    assert math.isnan(res.p_value) and res.n_strata == 0 and res.unmatched_pilots == 2
    assert math.isnan(mantel_haenszel_or([0, 1, 1, 0], [True, True, False, False], [0, 0, 1, 1]).estimate)


def test_bad_scores_are_refused_with_the_rule():
    with pytest.raises(ValueError, match="non-negative integers"):
        stratified_rank_test([0.5, 1], [True, False], [0, 0])
    with pytest.raises(ValueError, match="same length"):
        stratified_rank_test([0, 1], [True], [0, 0])


def test_undefined_odds_ratio_has_no_interval():
    # every pilot reached the cut, every non-pilot did not: MH numerator > 0, denominator 0 → infinite
    res = mantel_haenszel_or([1, 1, 0, 0], [True, True, False, False], [0, 0, 0, 0])
    assert res.estimate == math.inf and math.isnan(res.ci_low)
