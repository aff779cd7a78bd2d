"""Effect sizes and power, against R (tests/reference/inference.R) and hand computation."""

from __future__ import annotations

import numpy as np
import pytest

from _inference_r import r
from helpers.inference import effects, power
from helpers.inference.results import apa_sentence, holm_adjust
from statsmodels.stats.multitest import multipletests

T4 = np.array([[5, 3, 1, 1], [2, 10, 6, 1], [1, 3, 20, 7], [0, 1, 4, 15]])
UP, DOWN, SAME = int(np.triu(T4, 1).sum()), int(np.tril(T4, -1).sum()), int(np.trace(T4))


def test_wilson_and_newcombe_match_r():
    assert effects.wilson_interval(6, 7) == pytest.approx(tuple(r("wilson_6_7")), rel=1e-10)  # prop.test(6, 7, correct=FALSE)
    d = effects.newcombe_difference(55, 59, 61, 62)  # R: newcombe_indep(55, 59, 61, 62)
    assert (d.ci_low, d.ci_high) == pytest.approx(tuple(r("newcombe_td_good")), rel=1e-10)
    net = effects.net_improvement(UP, DOWN, SAME)  # R: newcombe_paired(0, upper, lower, diag)
    assert net.estimate == pytest.approx((UP - DOWN) / T4.sum())
    assert (net.ci_low, net.ci_high) == pytest.approx(tuple(r("newcombe_paired_T4")), rel=1e-10)


def test_conditional_or_interval_matches_binom_test():
    e = effects.conditional_odds_ratio(UP, DOWN)  # R: binom.test(...)$conf.int mapped by p / (1 - p)
    assert e.estimate == pytest.approx(UP / DOWN)
    assert (e.ci_low, e.ci_high) == pytest.approx(tuple(r("conditional_or_ci_T4")), rel=1e-8)


def test_holm_not_holm_sidak():
    p = [0.01, 0.04, 0.03, 0.2]
    assert holm_adjust(p) == pytest.approx(r("holm"), rel=1e-12)  # R: p.adjust(..., 'holm')
    # statsmodels' default is Holm–Šidák, which differs
    assert not np.allclose(multipletests(p)[1], r("holm"))


def test_apa_sentences_vi_en():
    # the brief's examples: "χ²(3, N = 112) = 10,29; p = 0,016" and "χ²(3, N = 112) = 10.29, p = .016"
    assert apa_sentence("chi2", 10.2916, 3, 112, 0.01624, "vi") == "χ²(3, N = 112) = 10,29; p = 0,016"
    assert apa_sentence("chi2", 10.2916, 3, 112, 0.01624, "en") == "χ²(3, N = 112) = 10.29, p = .016"


def test_sign_test_power_seven_units():
    # R: binom.test(7, 7)$p.value = 0.015625; binom.test(6, 7)$p.value = 0.125
    assert power.sign_test_p(7, 7) == pytest.approx(r("sign_p_7_of_7"))
    assert power.sign_test_p(6, 7) == pytest.approx(r("sign_p_6_of_7"))
    # so the "at least 6" is wrong: all 7 are needed
    assert power.min_units_same_direction(7) == 7
    assert power.sign_test_power(7, 0.9) == pytest.approx(r("sign_power_7_at_0.9"), rel=1e-12)  # 0.9^7 + 0.1^7
    assert power.minimum_detectable_share(7) == pytest.approx(r("sign_mde_7"), abs=2e-6)  # uniroot
    assert power.min_units_same_direction(20) == r("sign_min_k_20")
    assert power.min_units_same_direction(5) is None  # hand: 2 * 0.5**5 = 0.0625 > .05


def test_power_statement_says_all_seven():
    row = power.power_statement(7).iloc[0]
    assert row.effect == 7
    assert "only when all 7 move the same way" in row.sentence_en
    assert "7/7: p = .016; 6/7: p = .125" in row.sentence_en
    assert "cả 7/7" in row.sentence_vi and "p = 0,016" in row.sentence_vi
    assert "cannot reach" in power.power_statement(5).iloc[0].sentence_en
