"""Published totals only: the range of paired tests over joint tables, against an R enumeration."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest

from _inference_r import r
from helpers.inference import totals

BT56_2011 = [0, 14, 12, 30]  # seed 000, 2011: HTNV 14, HTTNV 12, TSVM 30 (fail, pass, good, top)
BT56_2013 = [2, 3, 12, 39]   # seed 000, 2013: 2 yếu kém, HTNV 3, HTTNV 12, TSVM 39


def test_range_matches_r_enumeration():
    rng = totals.paired_range(BT56_2011, BT56_2013, cut=2)
    assert rng.method == "enumeration"
    assert rng.n_tables == r("range_bt56_n_tables")  # R: length(bt56_tables)
    sign = rng.frame.set_index("test").loc["exact sign test"]
    lo, hi = r("range_bt56_sign_p")  # R: range(sapply(bt56_tables, sign_p))
    assert (sign.p_min, sign.p_max) == (pytest.approx(lo, rel=1e-9), pytest.approx(hi, rel=1e-9))
    mc = rng.frame.set_index("test").loc["exact McNemar at cut good"]
    lo, hi = r("range_bt56_mcnemar_cut2_p")
    assert (mc.p_min, mc.p_max) == (pytest.approx(lo, rel=1e-9), pytest.approx(hi, rel=1e-9))


def test_mcnemar_analytic_range_equals_enumeration():
    enum = totals.paired_range(BT56_2011, BT56_2013, cut=2).frame.set_index("test").loc["exact McNemar at cut good"]
    bound = totals.paired_range(BT56_2011, BT56_2013, cut=2, max_tables=10).frame.set_index("test")
    assert bound.loc["exact McNemar at cut good"].p_min == pytest.approx(enum.p_min)
    assert bound.loc["exact McNemar at cut good"].p_max == pytest.approx(enum.p_max)
    # the LP bounds contain the exact sign-test range
    exact = totals.paired_range(BT56_2011, BT56_2013).frame.set_index("test").loc["exact sign test"]
    assert bound.loc["exact sign test"].p_min <= exact.p_min + 1e-12
    assert bound.loc["exact sign test"].p_max >= exact.p_max - 1e-12


def test_fallback_is_fast_and_labelled():
    start = time.perf_counter()
    rng = totals.paired_range([1400, 1400, 1400, 1400], [1000, 1200, 1600, 1800], cut=2)
    assert time.perf_counter() - start < 10  # a hang guard only; speed is measured in benchmarks/
    assert rng.method == "bounds" and "bounds" in rng.frame.method.iloc[0]
    assert math.isnan(rng.frame.set_index("test").loc["Stuart–Maxwell"].p_min)


def test_rank_preserving_table_is_north_west_corner():
    # hand: sort 56 units by 2011 rating and pair with 2013 ratings in the same order
    expected = np.array([[0, 0, 0, 0], [2, 3, 9, 0], [0, 0, 3, 9], [0, 0, 0, 30]])
    assert (totals.rank_preserving_table(BT56_2011, BT56_2013) == expected).all()


def test_totals_analysis_reports_all_three_and_a_verdict():
    frame, _ = totals.totals_analysis(BT56_2011, BT56_2013, cut=2, labels=("2011", "2013"))
    tests = " | ".join(frame.test)
    assert "range over pairings" in tests and "rank-preserving" in tests and "independent samples" in tests
    verdict = frame.iloc[-1]
    assert verdict.test.startswith("verdict") and "cannot" not in verdict.sentence_en.split(".")[0]
    assert "neither confirm nor rule out" in verdict.sentence_en
    assert "tùy cách ghép cặp" in verdict.sentence_vi


def test_different_totals_cannot_be_paired():
    frame, rng = totals.totals_analysis([0, 1, 27, 34], [0, 4, 50, 5])  # Tràng Định 2017 (62) vs 2018 (59)
    assert rng is None and "cannot be the same units" in frame.note.iloc[0]


@pytest.mark.parametrize("before, after", [([0, 0, 0, 0], [0, 0, 0, 0]), ([0, 1, 0, 0], [0, 1, 0, 0]),
                                           ([0, 0, 0, 5], [0, 0, 0, 5])])
def test_degenerate_totals_refused(before, after):
    frame, _ = totals.totals_analysis(before, after)
    assert math.isnan(frame.p_value.iloc[0]) and frame.note.iloc[0]
