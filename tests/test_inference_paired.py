"""Question (a) with unit-level data, against R (tests/reference/inference.R)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from statsmodels.stats.contingency_tables import SquareTable

from _inference_r import command, r
from helpers.inference import paired as pr

# rows = year A, columns = year B; the same table is T4 in inference.R
T4 = np.array([[5, 3, 1, 1], [2, 10, 6, 1], [1, 3, 20, 7], [0, 1, 4, 15]])
M = np.array([[0, 1, 1, 2], [1, 1, 2, 2], [0, 0, 1, 1], [2, 2, 3, 3], [1, 2, 2, 3], [1, 1, 1, 2],
              [0, 1, 2, 2], [2, 3, 3, 3], [1, 0, 1, 1], [2, 2, 2, 3]])  # M in inference.R


def test_stuart_maxwell_matches_coin():
    row = pr.stuart_maxwell(T4).iloc[0]
    # R: statistic(mh_test(as.table(T4))); pvalue(mh_test(as.table(T4)))
    assert row.statistic == pytest.approx(r("stuart_maxwell_T4_stat"), rel=1e-10)
    assert row.p_value == pytest.approx(r("stuart_maxwell_T4_p"), rel=1e-8)
    assert row.df == 3


def test_stuart_maxwell_drops_categories_empty_in_both_years():
    # rank-preserving pairing of Bình Thuận 56 (hand: north-west corner) has an empty top row ... but
    # the category 'top' is used in year B, so it stays; 'fail' row empty but column used -> kept
    table = np.array([[2, 3, 9, 0], [0, 0, 3, 9], [0, 0, 0, 30], [0, 0, 0, 0]])
    row = pr.stuart_maxwell(table).iloc[0]
    assert row.statistic == pytest.approx(r("stuart_maxwell_rankpreserving_bt56_stat"), rel=1e-10)
    padded = np.zeros((5, 5), int)
    padded[1:, 1:] = T4  # category 0 empty in both years
    assert pr.stuart_maxwell(padded).iloc[0].statistic == pytest.approx(r("stuart_maxwell_T4_stat"), rel=1e-10)
    assert "dropped" in pr.stuart_maxwell(padded).iloc[0].note


def test_bowker_matches_r_and_never_shifts_zero_cells():
    row = pr.bowker(T4).iloc[0]
    # R: mcnemar.test(T4, correct = FALSE)
    assert row.statistic == pytest.approx(r("bowker_T4_stat"), rel=1e-10)
    assert row.p_value == pytest.approx(r("bowker_T4_p"), rel=1e-10)
    # statsmodels pitfall: SquareTable shifts every cell by 0.5 when a cell is zero (T4 has one)
    shifted = SquareTable(T4).symmetry().statistic
    unshifted = SquareTable(T4, shift_zeros=False).symmetry().statistic
    assert shifted != pytest.approx(r("bowker_T4_stat"), rel=1e-6)
    assert unshifted == pytest.approx(r("bowker_T4_stat"), rel=1e-10)


def test_bowker_leaves_out_empty_pairs():
    table = np.array([[3, 2, 0], [1, 4, 2], [0, 0, 5]])
    # hand: pairs (1,2): (2-1)^2/3 = 1/3; (2,3): (2-0)^2/2 = 2; (1,3) empty -> left out; df = 2
    row = pr.bowker(table).iloc[0]
    assert row.statistic == pytest.approx(1 / 3 + 2) and row.df == 2 and "left out" in row.note


def test_mcnemar_and_sign_test_match_binom_test():
    # R: binom.test(sum(T4[1:2, 3:4]), ... )$p.value
    assert pr.mcnemar_exact(T4, 2).iloc[0].p_value == pytest.approx(r("mcnemar_exact_T4_cut2"), rel=1e-10)
    # R: binom.test(upper, upper + lower)$p.value
    assert pr.sign_test_table(T4).iloc[0].p_value == pytest.approx(r("sign_T4"), rel=1e-10)


def test_wilcoxon_matches_r_normal_approximation():
    row = pr.wilcoxon_signed_rank(T4).iloc[0]
    # R: wilcox.test(after4, before4, paired = TRUE, exact = FALSE, correct = TRUE)
    assert row.statistic == pytest.approx(r("wilcoxon_T4_V"))
    assert row.p_value == pytest.approx(r("wilcoxon_T4_p"), rel=1e-10)


def test_exact_permutation_signed_rank_matches_coin():
    # R: pvalue(wilcoxsign_test(after4 ~ before4, distribution = 'exact', zero.method = 'Wilcoxon'))
    assert pr.permutation_signed_rank(T4).iloc[0].p_value == pytest.approx(r("perm_signed_rank_T4_p"), rel=1e-8)
    bt7 = pr.paired_table([1, 2, 2, 2, 3, 3, 3], [2, 3, 3, 3, 3, 3, 3])
    assert pr.permutation_signed_rank(bt7).iloc[0].p_value == pytest.approx(r("perm_signed_rank_bt7_p"), rel=1e-8)


def test_friedman_and_cochran_q_match_r():
    row = pr.friedman(M).iloc[0]
    assert row.statistic == pytest.approx(r("friedman_M_stat"), rel=1e-10)  # R: friedman.test(M)
    assert row.p_value == pytest.approx(r("friedman_M_p"), rel=1e-10)
    q = pr.cochran_q((M >= 2).astype(int)).iloc[0]
    assert q.statistic == pytest.approx(r("cochran_q_M_ge2"), rel=1e-10)  # R: Cochran's formula
    assert q.statistic == pytest.approx(r("cochran_q_M_ge2_friedman"), rel=1e-10)  # = friedman.test on 0/1


# ---------------------------------------------------------------- bad input

@pytest.mark.parametrize("n", [0, 1])
def test_tiny_samples_refused(n):
    t = np.zeros((4, 4), int)
    t[2, 2] = n
    for f in (pr.stuart_maxwell, pr.bowker, pr.wilcoxon_signed_rank, pr.permutation_signed_rank):
        row = f(t).iloc[0]
        assert math.isnan(row.p_value) and row.note, f.__name__


def test_all_units_in_one_category_refused():
    t = np.zeros((4, 4), int)
    t[3, 3] = 9
    row = pr.stuart_maxwell(t).iloc[0]
    assert math.isnan(row.p_value) and "one category" in row.note
    assert math.isnan(pr.mcnemar_exact(t, 2).iloc[0].p_value)


def test_bad_codes_raise_naming_them():
    with pytest.raises(ValueError, match=r"category codes must be 0..3 \(got \[7\]\)"):
        pr.paired_table([0, 1], [7, 1])


def test_friedman_and_cochran_q_refuse_too_few_units_or_years_and_no_change():
    # (test, matrix, reason): shapes and values chosen by hand
    cases = [(pr.cochran_q, np.ones((1, 2)), "needs at least 2 units and 2 years (got 1 units, 2 years)"),
             (pr.cochran_q, np.ones((3, 1)), "needs at least 2 units and 2 years (got 3 units, 1 years)"),
             (pr.friedman, np.ones((3, 2)), "needs at least 2 units and 3 years (got 3 units, 2 years)"),
             (pr.friedman, [1, 2, 3], "needs at least 2 units and 3 years (got 0 units, 0 years)"),
             (pr.cochran_q, np.ones((3, 2)), "no unit changed between years"),
             (pr.friedman, np.array([[1, 1, 1], [2, 2, 2]]), "no unit changed between years")]
    for test, matrix, reason in cases:
        row = test(matrix).iloc[0]
        assert math.isnan(row.p_value) and reason in row.note and "không" not in row.note, (test, row.note)
        assert "năm" in row.sentence_vi  # the Vietnamese reason reaches the sentence
