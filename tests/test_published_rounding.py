"""Rounding schemes on exact fractions and the intervals behind printed values."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.published.rounding import (
    DEFAULT_SCHEMES, SCHEMES, detectable, printed_interval, reproducing_schemes, round_fraction, window_interval,
)


@pytest.mark.parametrize("scheme, expected", [
    # Hand: 0,125 to two decimals — the tie goes up, to the even digit (2), is dropped, or is rounded up.
    ("half_up", Fraction(13, 100)),
    ("half_even", Fraction(12, 100)),
    ("truncate", Fraction(12, 100)),
    ("ceiling", Fraction(13, 100)),
])
def test_round_fraction_tie(scheme, expected):
    assert round_fraction(Fraction(125, 1000), 2, scheme) == expected


def test_round_fraction_seed_004_tsvm_2017():
    # Seed 004: "34 đơn vị (chiếm 54,85%)" of 62; hand: 3400/62 = 54,8387… → 54,84 half-up
    assert round_fraction(Fraction(3400, 62), 2) == Fraction(5484, 100)


def test_round_fraction_refuses_negative_and_unknown_scheme():
    with pytest.raises(ValueError, match="non-negative"):
        round_fraction(Fraction(-1), 1)
    with pytest.raises(ValueError, match="'schemes' must be"):
        round_fraction(Fraction(1), 1, "bankers")


def test_printed_interval_ends():
    # Hand: 54,85 with two decimals — half-up [54,845; 54,855), truncation [54,85; 54,86),
    # ceiling (54,84; 54,85]; half-to-even open at both ends for the odd last digit 5 (the ties 54,845 and
    # 54,855 go to the even 54,84 and 54,86) and closed for the even 54,84.
    up = printed_interval(Fraction(5485, 100), 2, "half_up")
    assert (up.low, up.high, up.lo_closed, up.hi_closed) == (Fraction(54845, 1000), Fraction(54855, 1000), True, False)
    tr = printed_interval(Fraction(5485, 100), 2, "truncate")
    assert (tr.low, tr.high) == (Fraction(5485, 100), Fraction(5486, 100))
    ce = printed_interval(Fraction(5485, 100), 2, "ceiling")
    assert (ce.low, ce.high, ce.lo_closed, ce.hi_closed) == (Fraction(5484, 100), Fraction(5485, 100), False, True)
    odd = printed_interval(Fraction(5485, 100), 2, "half_even")
    even = printed_interval(Fraction(5484, 100), 2, "half_even")
    assert (odd.lo_closed, odd.hi_closed) == (False, False)     # 54,845 and 54,855 round to the even 54,84 / 54,86
    assert (even.lo_closed, even.hi_closed) == (True, True)


def test_count_range_seed_000_province():
    # Seed 000: "Năm 2013 toàn tỉnh có 45,25% tổ chức đảng đạt TSVM"; hand: 224/495 = 45,2525 %, the only count
    assert printed_interval(Fraction(4525, 100), 2).count_range(495) == (224, 224)
    # Hand: 18,99 % of 495 = 94,0005 → only 94
    assert printed_interval(Fraction(1899, 100), 2).count_range(495) == (94, 94)


def test_reproducing_schemes_truncation_case():
    # DOMAIN.md: "percentages truncated instead of rounded (16/49 printed as 32,6 %)"; hand: 32,653 %
    assert reproducing_schemes(Fraction(1600, 49), Fraction(326, 10), 1) == ("truncate",)


def test_window_interval_is_closed():
    # "gần 59%": 58 ≤ x ≤ 59 (printed.QUALIFIERS notes)
    window = window_interval(Fraction(59), Fraction(1), -1, 0)
    assert window.contains(Fraction(58)) and window.contains(Fraction(59)) and not window.contains(Fraction(5901, 100))


@pytest.mark.parametrize("base, decimals, expected", [
    (62, 2, True), (999, 1, True), (1000, 1, False), (99, 0, True), (100, 0, False),  # N < 100·10^d (GRIM)
])
def test_detectable_boundary(base, decimals, expected):
    assert detectable(base, decimals) is expected


@settings(max_examples=200, deadline=None)
@given(numerator=st.integers(0, 10**6), denominator=st.integers(1, 10**4), decimals=st.integers(0, 3),
       scheme=st.sampled_from(DEFAULT_SCHEMES))
def test_interval_agrees_with_rounding(numerator, denominator, decimals, scheme):
    """x lies in the interval of v exactly when x rounds to v (the two definitions agree)."""
    x = Fraction(numerator, denominator)
    v = round_fraction(x, decimals, scheme)
    assert printed_interval(v, decimals, scheme).contains(x)
    u = Fraction(1, 10**decimals)
    for neighbour in (v - u, v + u):
        if neighbour >= 0:
            assert not printed_interval(neighbour, decimals, scheme).contains(x)


@settings(max_examples=200, deadline=None)
@given(count=st.integers(0, 500), extra=st.integers(0, 500), decimals=st.integers(0, 3),
       scheme=st.sampled_from(DEFAULT_SCHEMES))
def test_count_range_holds_the_true_count(count, extra, decimals, scheme):
    base = count + extra if count + extra > 0 else 1
    v = round_fraction(Fraction(100 * count, base), decimals, scheme)
    k_min, k_max = printed_interval(v, decimals, scheme).count_range(base)
    assert k_min <= count <= k_max
    for k in range(max(k_min - 1, 0), min(k_max + 2, base + 1)):
        inside = k_min <= k <= k_max
        assert inside == (round_fraction(Fraction(100 * k, base), decimals, scheme) == v)
