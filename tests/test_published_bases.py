"""Recovery of unknown bases (helpers.published.bases.recover_bases)."""

from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.numbers import format_number
from helpers.published import BaseCandidate, BaseCandidates, recover_bases
from helpers.published.rounding import (
    ACCEPTED_SCHEMES, DEFAULT_SCHEMES, SCHEMES, reproducing_schemes, round_fraction,
)

# Seed 000: "Năm 2013 toàn tỉnh có 45,25% tổ chức đảng đạt TSVM ..., HTTNV toàn tỉnh đạt 18,99% ...,
# hoàn thành nhiệm vụ toàn tỉnh đạt 32,73%"
PROVINCE_2013 = ["45,25%", "18,99%", "32,73%"]


def _naive(percents, max_base, exhaustive, schemes):
    """Brute force over every base and every count with exact fractions (slow, obviously right)."""
    from helpers.published.printed import parse_printed

    numbers = [parse_printed(p, "percent") for p in percents]
    found = []
    for n in range(1, max_base + 1):
        for scheme in schemes:
            options = [[k for k in range(n + 1)
                        if reproducing_schemes(Fraction(100 * k, n), p.value, p.decimals, (scheme,))]
                       for p in numbers]
            if all(options) and (not exhaustive or sum(o[0] for o in options) <= n <= sum(o[-1] for o in options)):
                found.append(n)
                break
    return found


def test_recover_bases_seed_000_province_first_bases():
    # DOMAIN.md / issue 3: "fit N = 495 first, then 990, 1222, ..."; hand: 224/495 = 45,25 %, 94/495 = 18,99 %,
    # 162/495 = 32,73 %
    candidates = recover_bases(PROVINCE_2013, max_base=1300)
    assert [c.base for c in candidates] == [495, 990, 1222]
    assert candidates[0].counts == (224, 94, 162)
    assert set(candidates[0].schemes) == set(ACCEPTED_SCHEMES)


def test_recover_bases_seed_000_leftover_is_weak_share():
    # Hand: 495 − 224 − 94 − 162 = 15 organisations left (yếu kém), 15/495 = 3,03 %
    first = recover_bases(PROVINCE_2013, max_base=495)[0]
    left = first.base - sum(first.counts)
    assert left == 15
    assert format_number(Fraction(100 * left, first.base), 2) == "3,03"


def test_recover_bases_seed_004_2016_exhaustive_finds_61():
    # Seed 004: "được đánh giá là 61 ... 33 đơn vị (chiếm 54,1%) ... 18 đơn vị (chiếm 29,5%) ... 10 đơn vị (chiếm 16,4%)"
    first = recover_bases(["54,1%", "29,5%", "16,4%"], max_base=200, exhaustive=True)[0]
    assert first == BaseCandidate(61, (33, 18, 10), ("half_up", "half_even"))


def test_recover_bases_exhaustive_counts_add_up():
    for candidate in recover_bases(["54,1%", "29,5%", "16,4%"], max_base=999, exhaustive=True):
        assert sum(candidate.counts) == candidate.base


def test_recover_bases_matches_brute_force():
    # The interval arithmetic gives exactly the bases an exhaustive search over all counts gives.
    for percents, exhaustive in ((["54,85%", "43,55%", "1,6%"], True), (["33,3%", "66,7%"], True),
                                 (["12,5%"], False), (["45,25%", "18,99%"], False)):
        fast = [c.base for c in recover_bases(percents, max_base=120, exhaustive=exhaustive, schemes=SCHEMES)]
        assert fast == _naive(percents, 120, exhaustive, SCHEMES)
    # Hand: 1/3 and 2/3 print as 33,3 % and 66,7 %; 1/8 = 12,5 % — so these two cases are not empty.
    assert recover_bases(["33,3%", "66,7%"], max_base=3, exhaustive=True)[0].base == 3
    assert recover_bases(["12,5%"], max_base=8)[0].base == 8


def test_recover_bases_qualifier_window():
    # "gần 50%" = 49 ≤ x ≤ 50 (printed.QUALIFIERS): base 3 cannot give it (33,3 / 66,7), base 2 can (1/2)
    bases = [c.base for c in recover_bases(["gần 50%"], max_base=3)]
    assert bases == [2]


def test_recover_bases_refuses_bad_arguments():
    with pytest.raises(ValueError, match="'max_base' must be a positive integer"):
        recover_bases(["12%"], max_base=0)
    with pytest.raises(ValueError, match="at least one printed percentage"):
        recover_bases([])
    with pytest.raises(ValueError, match="over 100"):
        recover_bases(["120%"])
    with pytest.raises(ValueError, match="'schemes' must be"):
        recover_bases(["12%"], schemes=("round",))


@st.composite
def printed_tables(draw):
    counts = draw(st.lists(st.integers(0, 400), min_size=1, max_size=4))
    base = sum(counts) + draw(st.integers(0, 50))
    if base == 0:
        base = 1
    decimals = draw(st.integers(0, 2))
    scheme = draw(st.sampled_from(DEFAULT_SCHEMES))   # up_or_down is a union: it prints nothing by itself
    printed = [format_number(round_fraction(Fraction(100 * c, base), decimals, scheme), decimals) + "%"
               for c in counts]
    return counts, base, decimals, scheme, printed


@settings(max_examples=150, deadline=None)
@given(printed_tables())
def test_true_base_is_among_candidates(table):
    """A table printed from integer counts under a scheme has its true base among the candidates."""
    counts, base, _, scheme, printed = table
    exhaustive = sum(counts) == base
    candidates = {c.base: c for c in recover_bases(printed, max_base=base, exhaustive=exhaustive,
                                                   schemes=(scheme,))}
    assert base in candidates
    assert scheme in candidates[base].schemes


def test_candidates_read_like_a_list_of_base_candidates():
    # the same candidates as test_recover_bases_seed_000_province_first_bases (495, 990, 1222; hand-checked there)
    candidates = recover_bases(PROVINCE_2013, max_base=1300)
    assert isinstance(candidates, BaseCandidates) and len(candidates) == 3
    as_list = list(candidates)
    assert all(type(c) is BaseCandidate for c in as_list)
    assert [type(x) for x in (as_list[0].base, *as_list[0].counts)] == [int] * 4   # Python ints, not numpy
    assert candidates == as_list and as_list == list(candidates[:])
    assert candidates[-1] == as_list[-1] and candidates[1:] == as_list[1:] and candidates[::2] == as_list[::2]
    assert candidates[:10] == as_list                                  # a slice past the end, as a list gives
    assert candidates.bases.tolist() == [495, 990, 1222]
    with pytest.raises(IndexError):
        candidates[3]
    assert repr(candidates) == "BaseCandidates(3 bases: 495, 990, 1222)"
    none = recover_bases(["12,5%"], max_base=7)                        # 1/8 needs a base of 8 or more
    assert not none and len(none) == 0 and list(none) == [] and none == []


def test_many_candidates_are_made_when_read_and_match_the_arrays():
    # 4 categories up to 100,000: tens of thousands of bases (bench_published.py); iteration, indexing and
    # the base array agree everywhere
    candidates = recover_bases(["45,25%", "18,99%", "32,73%", "3,03%"], max_base=100_000)
    bases = candidates.bases
    assert len(bases) == len(candidates) > 10_000
    assert [c.base for c in candidates] == bases.tolist()
    for i in (0, 4095, 4096, len(candidates) - 1):
        assert candidates[i] == list(candidates)[i]
        assert candidates[i].base == bases[i]
    assert candidates[0] == BaseCandidate(495, (224, 94, 162, 15), ("half_up", "half_even"))   # hand: 15/495 = 3,03 %


def test_disjoint_categories_never_exceed_the_base():
    # Hand: 60,5 % + 40,2 % = 100,7 %: the smallest counts behind them already exceed any base N (60,45 % +
    # 40,15 % > 100 %), so levels of one scale (disjoint) allow no base at all; without the rule N = 256 was
    # offered with counts 155 + 103 = 258 > 256.
    assert recover_bases(["60,5%", "40,2%"], max_base=999)[0].base == 256
    assert len(recover_bases(["60,5%", "40,2%"], max_base=999, disjoint=True)) == 0
    # Seed 000 province 2013 (45,25 / 18,99 / 32,73 %, 3,03 % left for yếu kém): disjoint changes nothing.
    assert [c.base for c in recover_bases(PROVINCE_2013, max_base=1300, disjoint=True)][:3] == [495, 990, 1222]
