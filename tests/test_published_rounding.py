"""Rounding schemes on exact fractions and the intervals behind printed values."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.published.rounding import (
    DEFAULT_SCHEMES, SCHEMES, detectable, grim_probability, printed_interval, reproducing_schemes, round_fraction,
    window_interval,
)


@pytest.mark.parametrize("scheme, expected", [
    # Hand: 0,125 to two decimals — the tie goes up, to the even digit (2), is dropped, or is rounded up.
    ("half_up", Fraction(13, 100)),
    ("half_even", Fraction(12, 100)),
    ("half_down", Fraction(12, 100)),
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


# --- scrutiny's published expectations (lhdjung/scrutiny, tests/testthat), where exact arithmetic agrees ------

MID = [Fraction(10 * i + 5, 100) for i in range(10)]     # 0,05; 0,15; …; 0,95 (test-round.R, "the midpoint grid")


def test_half_up_and_half_down_on_scrutiny_midpoint_grid():
    # test-round.R: round_up(mid, 1) == (0:9 + 1) / 10 and round_down(mid, 1) == (0:9) / 10.
    assert [round_fraction(x, 1, "half_up") for x in MID] == [Fraction(i + 1, 10) for i in range(10)]
    assert [round_fraction(x, 1, "half_down") for x in MID] == [Fraction(i, 10) for i in range(10)]
    # test-round.R: "only ties are affected": off the midpoints all tie rules agree with half to even.
    off = [Fraction(k, 100) for k in range(0, 1000) if k % 5]
    for x in off:
        assert round_fraction(x, 1, "half_up") == round_fraction(x, 1, "half_down") == round_fraction(x, 1, "half_even")


def test_ceiling_and_floor_exact_at_whole_steps():
    # test-round.R: round_ceiling(0.28, 2) == 0.28, round_floor(0.29, 2) == 0.29, round_ceiling(0.281, 2) == 0.29,
    # round_floor(0.289, 2) == 0.28; round_up(0.145, 2) == 0.15 and round_down(0.145, 2) == 0.14 (a true tie).
    assert round_fraction(Fraction(28, 100), 2, "ceiling") == Fraction(28, 100)
    assert round_fraction(Fraction(29, 100), 2, "truncate") == Fraction(29, 100)
    assert round_fraction(Fraction(281, 1000), 2, "ceiling") == Fraction(29, 100)
    assert round_fraction(Fraction(289, 1000), 2, "truncate") == Fraction(28, 100)
    assert round_fraction(Fraction(145, 1000), 2, "half_up") == Fraction(15, 100)
    assert round_fraction(Fraction(145, 1000), 2, "half_down") == Fraction(14, 100)


def _grim_mean(printed: str, n: int, scheme: str = "up_or_down") -> bool:
    """scrutiny's grim(x, n): some whole sum S gives the printed mean S/n (here by exact fractions)."""
    whole, _, fraction = printed.partition(".")
    decimals = len(fraction)
    value = Fraction(int(whole + fraction), 10**decimals)
    centre = int(value * n)
    return any(reproducing_schemes(Fraction(s, n), value, decimals, (scheme,))
               for s in range(max(centre - 2, 0), centre + 3))


@pytest.mark.parametrize("values, n, expected", [
    # test-grim.R vec1: seq_endpoint(5.19, 5.3) |> grim(28)
    ([f"5.{k}" for k in range(19, 31)], 28, "FFTFFFTFFFTF"),
    # test-grim.R vec2: seq_endpoint(0.150, 0.159) |> grim(120, items = 3), i.e. n = 360
    ([f"0.{k}" for k in range(150, 160)], 360, "TFFTFFTFTF"),
    # test-grim.R vec3: seq_endpoint(0.80, 0.89) |> grim(28, items = 2), i.e. n = 56. 0.87 is 49/56 = 0.875
    # rounded down: consistent under scrutiny's default "up_or_down" (the 87,5 % → 87 case).
    ([f"0.{k}" for k in range(80, 90)], 56, "TFTFTFTTTT"),
])
def test_grim_agrees_with_scrutiny_up_or_down(values, n, expected):
    assert "".join("T" if _grim_mean(v, n) else "F" for v in values) == expected


def test_grim_percent_agrees_with_scrutiny():
    # test-grim.R vec5: seq_endpoint(6, 16) |> grim(50, percent = TRUE): even percentages of 50 are 2k %.
    got = "".join("T" if any(reproducing_schemes(Fraction(100 * k, 50), Fraction(p), 0, ("up_or_down",))
                             for k in range(51)) else "F" for p in range(6, 17))
    assert got == "TFTFTFTFTFT"


def test_tie_down_needs_half_down():
    # The case: 49/56 = 87,5 % printed 87 — half down (and truncation), not half up or half to even.
    assert reproducing_schemes(Fraction(4900, 56), Fraction(87), 0) == ("half_down", "up_or_down", "truncate")


def test_floor_differs_from_scrutiny_on_purpose():
    # Issue 14: scrutiny's floor, shifting 0,75 in floating point with a tolerance, accepts 30/40 printed as 0,74.
    # Exactly, 30/40 = 0,75 is a whole step: floor (truncation) gives 0,75, never 0,74.
    assert round_fraction(Fraction(30, 40), 2, "truncate") == Fraction(75, 100)
    assert reproducing_schemes(Fraction(30, 40), Fraction(74, 100), 2) == ()


def test_up_or_down_is_the_union_of_half_up_and_half_down():
    # The interval of "up_or_down" is closed at both ends: v − u/2 and v + u/2 both print as v.
    both = printed_interval(Fraction(87), 0, "up_or_down")
    assert (both.low, both.high, both.lo_closed, both.hi_closed) == (Fraction(173, 2), Fraction(175, 2), True, True)
    with pytest.raises(ValueError, match="two values at a tie"):
        round_fraction(Fraction(175, 2), 0, "up_or_down")


@settings(max_examples=200, deadline=None)
@given(numerator=st.integers(0, 10_000), denominator=st.integers(1, 400), decimals=st.integers(0, 2))
def test_up_or_down_reproduces_what_either_half_rule_prints(numerator, denominator, decimals):
    x = Fraction(numerator, denominator)
    for scheme in ("half_up", "half_down"):
        printed = round_fraction(x, decimals, scheme)
        assert "up_or_down" in reproducing_schemes(x, printed, decimals)
        assert printed_interval(printed, decimals, "up_or_down").contains(x)


def test_grim_probability():
    # Hand: at 62 with two decimals, 62 + 1 of the 10001 printable values 0,00 … 100,00 are reachable:
    # (10000 − 62) / 10001. scrutiny's grim_probability("54.85", 62, percent = TRUE) = (10^4 − 62) / 10^4 = 0,9938.
    assert grim_probability(62, 2) == Fraction(9938, 10001)
    assert abs(float(grim_probability(62, 2)) - 0.9938) < 1e-4
    # From N = 100·10^d on, every printable value is reachable: nothing is detectable (see detectable()).
    assert grim_probability(1000, 1) == 0 and not detectable(1000, 1)
    assert grim_probability(999, 1) == Fraction(1, 1001)
    with pytest.raises(ValueError, match="positive integer"):
        grim_probability(0, 1)
