"""Question (b) tests against R (tests/reference/inference.R); each R command is quoted beside its use."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from _inference_r import command, r
from helpers.inference import contingency as ct
from helpers.inference.results import RESULT_COLUMNS

BT56_2011 = [0, 14, 12, 30]   # seed 000: "Năm 2011: HTNV 14/56, HTTNV 12/56, đạt TSVM 30/56" (fail, pass, good, top)
BT56_2013 = [2, 3, 12, 39]    # seed 000: "HTNV giảm còn 3/56 ... TSVM 39/56", HTTNV 21,43% = 12, 2 fell to yếu kém
TOL_EXACT = 1e-9              # exact p-values: same algorithm family, floating-point only


@pytest.mark.parametrize("name, table", [
    ("ffh_bt7_unpaired", [[1, 3, 3], [0, 1, 6]]),
    ("ffh_bt56_unpaired", [BT56_2013, BT56_2011]),
    ("ffh_3x3", [[2, 5, 1], [3, 1, 4], [0, 2, 6]]),
    ("ffh_2x4_n500", [[60, 70, 60, 60], [70, 50, 70, 60]]),
    ("ffh_2x2", [[8, 2], [1, 5]]),
    ("ffh_td_good_or_better", [[4, 55], [1, 61]]),
    ("ffh_bt56_rest_495", [[3, 12, 39, 2], [159, 82, 185, 13]]),
])
def test_fisher_freeman_halton_matches_r(name, table):
    # R: see command(name), e.g. fisher.test(rbind(c(1, 3, 3), c(0, 1, 6)))$p.value
    p, method = ct.fisher_freeman_halton_p(table)
    assert method.startswith("exact")
    assert p == pytest.approx(r(name), rel=TOL_EXACT), command(name)


def test_fisher_is_deterministic_while_scipy_rxc_default_is_monte_carlo():
    table = [[1, 3, 3], [0, 1, 6]]
    ours = [ct.fisher_freeman_halton_p(table)[0] for _ in range(2)]
    assert ours[0] == ours[1]
    # R: fisher.test(rbind(c(1, 3, 3), c(0, 1, 6)))$p.value = 0.2657343 (exact)
    assert ours[0] == pytest.approx(r("ffh_bt7_unpaired"), rel=TOL_EXACT)
    # scipy's r x c default is a Monte Carlo p of the form (k + 1) / (B + 1): never R's exact value
    scipy_p = stats.fisher_exact(np.array(table)).pvalue
    assert abs(scipy_p - r("ffh_bt7_unpaired")) > 1e-6


def test_fisher_falls_back_to_seeded_monte_carlo_when_too_large():
    table = [[30, 30, 30, 30, 30], [30, 30, 30, 30, 30], [30, 30, 30, 30, 30], [30, 30, 30, 30, 30]]
    p1, method = ct.fisher_freeman_halton_p(table, max_edges=1e3)
    p2, _ = ct.fisher_freeman_halton_p(table, max_edges=1e3)
    assert method.startswith("Monte Carlo") and p1 == p2 and 0 < p1 <= 1


def test_chi_square_matches_r_and_warns_on_small_expected():
    row = ct.chi_square([BT56_2013, BT56_2011]).iloc[0]
    # R: chisq.test(rbind(c(2, 3, 12, 39), c(0, 14, 12, 30)), correct = FALSE)
    assert row.statistic == pytest.approx(r("chisq_bt56_stat"), rel=1e-10)
    assert row.p_value == pytest.approx(r("chisq_bt56_p"), rel=1e-10)
    assert "expected counts too small" in row.note
    # The brief's example sentence: χ²(3, N = 112) = 10,29; p = 0,016
    assert "χ²(3, N = 112) = 10,29; p = 0,016" in row.sentence_vi
    assert "χ²(3, N = 112) = 10.29, p = .016" in row.sentence_en


def test_linear_by_linear_matches_vcdextra_and_coin():
    row = ct.linear_by_linear([BT56_2013, BT56_2011]).iloc[0]
    # R: CMHtest(as.table(...))$table['cor', 'Chisq'] and statistic(lbl_test(...))^2
    assert row.statistic == pytest.approx(r("lbl_bt56_stat"), rel=1e-10)
    assert row.statistic == pytest.approx(r("lbl_coin_bt56_z2"), rel=1e-10)
    # two groups, small n: the exact conditional p-value; R: pvalue(lbl_test(..., distribution = 'exact'))
    assert row.p_value == pytest.approx(r("lbl_exact_bt56"), rel=1e-9)
    assert "exact conditional" in row.test and "(exact)" in row.sentence_en
    seven = ct.linear_by_linear([[0, 0, 1, 6], [0, 1, 3, 3]]).iloc[0]
    assert seven.p_value == pytest.approx(r("lbl_exact_bt7"), rel=1e-9)
    # the size switch: too many tables to enumerate → the χ²(1) approximation, said in the row
    approx = ct.linear_by_linear([BT56_2013, BT56_2011], max_tables=10).iloc[0]
    assert approx.p_value == pytest.approx(r("lbl_bt56_p"), rel=1e-10)  # R: CMHtest(...)$table['cor', 'Prob']
    assert approx.test == "linear-by-linear (Cochran–Armitage)" and \
        "χ²(1) approximation (exact enumeration too large: more than 10 allocations)" in approx.assumptions


@pytest.mark.parametrize("x, y, name, name_approx", [
    (BT56_2013, BT56_2011, "wilcox_exact_bt56", "mw_bt56_p"),   # exact .048, approximate .051
    ([0, 0, 1, 6], [0, 1, 3, 3], "wilcox_exact_bt7", "mw_bt7_p"),  # exact .217, approximate .112
    ([3, 5, 1, 0], [10, 20, 25, 12], "wilcox_exact_unequal", None),
])
def test_mann_whitney_is_exact_conditional_matching_coin(x, y, name, name_approx):
    row = ct.mann_whitney_counts(x, y).iloc[0]
    # R: pvalue(wilcox_test(rating ~ group, data = two_groups(x, y), distribution = 'exact'))
    assert row.p_value == pytest.approx(r(name), rel=1e-9), command(name)
    assert row.test == "Mann–Whitney (exact conditional, ties)" and "full enumeration" in row.assumptions
    if name_approx:
        # the normal approximation only past the size switch; R: wilcox.test(exact = FALSE, correct = TRUE)
        approx = ct.mann_whitney_counts(x, y, max_tables=1).iloc[0]
        assert approx.p_value == pytest.approx(r(name_approx), rel=1e-10)
        assert approx.test == "Mann–Whitney (normal approximation, ties)" and "too large" in approx.assumptions
    # pitfall: scipy's method='exact' ignores ties and gives another p-value
    xs, ys = np.repeat(np.arange(4), x), np.repeat(np.arange(4), y)
    assert abs(stats.mannwhitneyu(xs, ys, method="exact").pvalue - r(name)) > 1e-3


def test_meet_in_the_middle_equals_listing_every_table():
    # the exact distribution is enumerated in two halves of the categories; here every table is listed one by
    # one instead (itertools, hypergeometric weights from math.comb) and the p-values must agree
    import itertools
    from math import comb

    from helpers.inference.linear_rank import exact_linear_rank_p, midrank_scores, unit_scores

    rng = np.random.default_rng(5)
    for _ in range(30):
        k = int(rng.integers(2, 6))
        x, y = rng.integers(0, 6, k), rng.integers(0, 9, k)
        cols = x + y
        if x.sum() == 0 or y.sum() == 0 or (cols > 0).sum() < 2:
            continue
        for scores in (midrank_scores(cols), unit_scores(k)):
            n, n1 = int(cols.sum()), int(x.sum())
            centre = n1 * int((cols * scores).sum())
            observed = abs(n * int((x * scores).sum()) - centre)
            p = 0
            for alloc in itertools.product(*(range(int(c) + 1) for c in cols)):
                if sum(alloc) == n1 and abs(n * int(np.dot(alloc, scores)) - centre) >= observed:
                    p += np.prod([comb(int(c), a) for c, a in zip(cols, alloc)])
            assert exact_linear_rank_p(x, y, scores).p_value == pytest.approx(p / comb(n, n1), rel=1e-9)


def test_mann_whitney_statistic_is_r_w():
    row = ct.mann_whitney_counts(BT56_2013, BT56_2011).iloc[0]
    assert row.statistic == pytest.approx(r("mw_bt56_W"))  # R: wilcox.test(...)$statistic


def test_every_two_group_row_carries_a_signed_effect():
    # the pilots of 2013 against themselves in 2011, then the other way round: the sign follows the order
    up = ct.two_sample_battery(BT56_2013, BT56_2011)
    down = ct.two_sample_battery(BT56_2011, BT56_2013)
    delta = r("cliff_bt56")  # R: mean(sign(outer(rep(0:3, c(2,3,12,39)), rep(0:3, c(0,14,12,30)), '-')))
    for frame, sign in ((up, 1), (down, -1)):
        for _, row in frame.iterrows():
            if row.effect_name == "p_superiority":  # Mann–Whitney: P(X > Y) + ½P(X = Y), 0.5 = no effect
                assert (row.effect - 0.5) * sign > 0
                continue
            assert row.effect_name == "cliffs_delta", row.test
            assert row.effect == pytest.approx(sign * delta, rel=1e-12)
            assert row.ci_low < row.effect < row.ci_high
    # two categories: the difference in proportions (= Cliff's δ there) with Newcombe's interval
    # R: newcombe_indep(55, 59, 61, 62) for the Trảng Định good-or-better shares
    row = ct.fisher_freeman_halton([[4, 55], [1, 61]]).iloc[0]
    assert row.effect_name == "difference_in_proportions"
    assert row.effect == pytest.approx(55 / 59 - 61 / 62, rel=1e-12) and row.effect < 0
    assert (row.ci_low, row.ci_high) == tuple(pytest.approx(v, rel=1e-9) for v in r("newcombe_td_good"))
    # more than two groups: Cramér's V, as before (no direction exists)
    assert ct.fisher_freeman_halton([[2, 5, 1], [3, 1, 4], [0, 2, 6]]).iloc[0].effect_name == "cramers_v"


def test_brunner_munzel_matches_r_formulas_and_scipy():
    row = ct.brunner_munzel(BT56_2013, BT56_2011).iloc[0]
    t, df, p, phat, low, high = r("bm_bt56")  # R: bm(...) written from Brunner & Munzel (2000)
    assert row.statistic == pytest.approx(t, rel=1e-10)
    assert row.df == pytest.approx(df, rel=1e-10)
    assert row.p_value == pytest.approx(p, rel=1e-10)
    # scipy's statistic has the opposite sign (t > 0 there when the second sample is higher)
    x, y = np.repeat(np.arange(4), BT56_2013), np.repeat(np.arange(4), BT56_2011)
    assert stats.brunnermunzel(x, y).statistic == pytest.approx(-t, rel=1e-10)
    # effect: Cliff's δ; R: mean(sign(outer(x, y, '-')))
    assert row.effect == pytest.approx(r("cliff_bt56"), rel=1e-12)
    assert row.ci_low == pytest.approx(2 * low - 1, rel=1e-10)
    assert row.ci_high == pytest.approx(2 * high - 1, rel=1e-10)


# ---------------------------------------------------------------- bad input

def test_all_units_in_one_category_is_refused():
    for frame in (ct.fisher_freeman_halton([[0, 5, 0], [0, 7, 0]]), ct.chi_square([[0, 5, 0], [0, 7, 0]]),
                  ct.mann_whitney_counts([0, 5, 0], [0, 7, 0])):
        row = frame.iloc[0]
        assert math.isnan(row.p_value) and "one rating category" in row.note


@pytest.mark.parametrize("n", [0, 1])
def test_tiny_samples_are_refused(n):
    row = ct.fisher_freeman_halton([[n, 0], [0, 0]]).iloc[0]
    assert math.isnan(row.p_value) and row.note and list(ct.chi_square([[n, 0], [0, 0]]).columns) == RESULT_COLUMNS


def test_absent_group_is_refused():
    row = ct.fisher_freeman_halton([[0, 0, 0], [3, 4, 5]]).iloc[0]
    assert math.isnan(row.p_value) and "group with no units: pilots" in row.note
