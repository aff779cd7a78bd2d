"""Rounding schemes on exact fractions, and the true values behind a printed number.

Six schemes are modelled; all act on non-negative numbers (counts and
percentages are never negative):

============ ======================================= ==========================
scheme       rule (u = one unit of the last digit)   true x printing as v
============ ======================================= ==========================
half_up      nearest; a tie goes up                  v − u/2 ≤ x < v + u/2
half_even    nearest; a tie goes to the even digit   v − u/2 ≤ x ≤ v + u/2 (v even),
                                                     v − u/2 < x < v + u/2 (v odd)
half_down    nearest; a tie goes down                v − u/2 < x ≤ v + u/2
up_or_down   half_up or half_down (scrutiny's        v − u/2 ≤ x ≤ v + u/2
             default ``"up_or_down"``)
truncate     drop the digits beyond (floor)          v ≤ x < v + u
ceiling      round any remainder up                  v − u < x ≤ v
============ ======================================= ==========================

``half_up`` (what Excel and most people do) and ``half_even`` (IEEE, R's
``round``) are the *accepted* roundings; ``half_down``, ``truncate`` and
``ceiling`` are unusual conventions that a checker reports as warnings, naming
the scheme. A tie sent down (49/56 = 87,5 % printed 87) is round half down,
which truncation also happens to reproduce; messages name half down first.
``up_or_down`` is scrutiny's default: a printed value is accepted when either
half-up or half-down gives it, so its only difference from ``half_up`` is the
tie sent down. Here it is a union, not a rounding: :func:`round_fraction`
refuses it (a tie has two results).

Scrutiny (``reround``, ``unround``) shifts numbers in floating point and adds a
tolerance of ``sqrt(.Machine$double.eps)`` so that a decimal literal such as
0.145 behaves as the tie it is meant to be. The schemes here act on exact
fractions, so a tie is a tie and nothing else is: where scrutiny's offset moves
a value across a boundary (its floor accepts 30/40 = 0,75 printed as 0,74)
the answer here differs, on purpose (tests/test_published_rounding.py).

Every interval is held as integers over a common denominator so that base
recovery (:mod:`helpers.published.bases`) can work on whole arrays of
candidate bases without floating point.

References
----------
Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test: a simple technique
detects numerous anomalies in the reporting of results in psychology. *Social
Psychological and Personality Science*, 8(4), 363–369.
https://doi.org/10.1177/1948550616673876
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from fractions import Fraction
from typing import Iterable

SCHEMES = ("half_up", "half_even", "half_down", "up_or_down", "truncate", "ceiling")
#: What the checker tries by default: every scheme but the union ``up_or_down`` (it adds nothing to
#: half_up + half_down and would only repeat their verdicts).
DEFAULT_SCHEMES = ("half_up", "half_even", "half_down", "truncate", "ceiling")
ACCEPTED_SCHEMES = ("half_up", "half_even")
#: The order in which other readings are named in a message: the most usual first.
READING_ORDER = ("half_down", "up_or_down", "truncate", "ceiling")

SCHEME_NAMES = {
    "half_up": {"vi": "làm tròn nửa lên", "en": "round half up"},
    "half_even": {"vi": "làm tròn nửa về số chẵn", "en": "round half to even"},
    "half_down": {"vi": "làm tròn nửa xuống", "en": "round half down"},
    "up_or_down": {"vi": "làm tròn nửa lên hoặc nửa xuống", "en": "round half up or down"},
    "truncate": {"vi": "cắt bỏ (không làm tròn)", "en": "truncation"},
    "ceiling": {"vi": "làm tròn lên", "en": "rounding up (ceiling)"},
}


def check_schemes(schemes: Iterable[str]) -> tuple[str, ...]:
    """Return ``schemes`` as a tuple, refusing an unknown name (the message lists the known ones)."""
    schemes = (schemes,) if isinstance(schemes, str) else tuple(schemes)
    unknown = [s for s in schemes if s not in SCHEMES]
    if unknown or not schemes:
        raise ValueError(f"'schemes' must be a non-empty selection of {SCHEMES} (got {schemes!r}).")
    return schemes


def round_fraction(x: Fraction, decimals: int, scheme: str = "half_up") -> Fraction:
    """Round a non-negative exact number to ``decimals`` decimals under ``scheme``.

    Examples
    --------
    >>> round_fraction(Fraction(34 * 100, 62), 2)   # 54,8387… %
    Fraction(1371, 25)
    >>> round_fraction(Fraction(5, 2), 0, "half_even")
    Fraction(2, 1)
    """
    check_schemes(scheme)
    if scheme == "up_or_down":
        raise ValueError("'scheme' 'up_or_down' gives two values at a tie; round with 'half_up' and "
                         "'half_down' instead (got 'up_or_down').")
    x = Fraction(x)
    if x < 0:
        raise ValueError(f"'x' must be non-negative (got {x}).")
    return Fraction(round_scaled(x, decimals, scheme), 10**decimals)


def round_scaled(x: Fraction, decimals: int, scheme: str = "half_up") -> int:
    """``round_fraction(x, decimals, scheme)`` times ``10**decimals``, as an int (integer arithmetic only).

    ``x`` must be non-negative and ``scheme`` known (not re-checked: this is the inner loop);
    ``up_or_down`` gives the half-up value here (see :func:`reproducing_schemes` for its union).
    """
    whole, rest = divmod(x.numerator * 10**decimals, x.denominator)
    if scheme == "truncate":
        return whole
    if scheme == "ceiling":
        return whole + (rest != 0)
    twice = 2 * rest
    if twice > x.denominator:
        return whole + 1
    if twice == x.denominator and (scheme in ("half_up", "up_or_down") or (scheme == "half_even" and whole % 2)):
        return whole + 1
    return whole


@dataclass(frozen=True)
class Interval:
    """A set of true values ``low … high`` with open or closed ends, exact.

    Stored as integers over a common denominator: the bounds are
    ``lo_num / den`` and ``hi_num / den``.
    """

    lo_num: int
    hi_num: int
    den: int
    lo_closed: bool = True
    hi_closed: bool = False

    @property
    def low(self) -> Fraction:
        return Fraction(self.lo_num, self.den)

    @property
    def high(self) -> Fraction:
        return Fraction(self.hi_num, self.den)

    def contains(self, x: Fraction) -> bool:
        """True when ``x`` lies in the interval."""
        x = Fraction(x)
        above = x >= self.low if self.lo_closed else x > self.low
        below = x <= self.high if self.hi_closed else x < self.high
        return above and below

    def count_range(self, base: int, scale: int = 100) -> tuple[int, int]:
        """Whole counts ``k`` (0 ≤ k ≤ base) with ``scale·k/base`` in the interval.

        Returns ``(k_min, k_max)``; empty when ``k_min > k_max``.

        Examples
        --------
        >>> printed_interval(Fraction(4525, 100), 2).count_range(495)
        (224, 224)
        """
        a, b, q = self.lo_num * base, self.hi_num * base, scale * self.den
        k_min = -(-a // q) if self.lo_closed else a // q + 1
        k_max = b // q if self.hi_closed else -(-b // q) - 1
        return max(k_min, 0), min(k_max, base)

    def __str__(self) -> str:
        left = "[" if self.lo_closed else "("
        right = "]" if self.hi_closed else ")"
        return f"{left}{float(self.low):g}; {float(self.high):g}{right}"


def interval_numerators(printed_scaled: int, scheme: str) -> tuple[int, int, bool, bool]:
    """Bounds of the true values printing as ``printed_scaled`` units, in half-units.

    ``printed_scaled`` is the printed value times ``10**decimals`` (``5464`` for
    ``54,64``). Returns ``(lo, hi, lo_closed, hi_closed)`` in units of
    ``1 / (2·10**decimals)``.
    """
    p2 = 2 * printed_scaled
    if scheme == "half_up":
        return p2 - 1, p2 + 1, True, False
    if scheme == "half_even":
        even = printed_scaled % 2 == 0
        return p2 - 1, p2 + 1, even, even
    if scheme == "half_down":
        return p2 - 1, p2 + 1, False, True
    if scheme == "up_or_down":
        return p2 - 1, p2 + 1, True, True
    if scheme == "truncate":
        return p2, p2 + 2, True, False
    if scheme == "ceiling":
        return p2 - 2, p2, False, True
    check_schemes(scheme)
    raise AssertionError("unreachable")


def printed_interval(value: Fraction, decimals: int, scheme: str = "half_up") -> Interval:
    """The interval of true values that print as ``value`` with ``decimals`` decimals.

    Examples
    --------
    >>> str(printed_interval(Fraction(5485, 100), 2, "half_up"))
    '[54.845; 54.855)'
    """
    scaled = Fraction(value) * 10**decimals
    if scaled.denominator != 1:
        raise ValueError(f"'value' {value} has more than {decimals} decimals.")
    lo, hi, lo_closed, hi_closed = interval_numerators(int(scaled), scheme)
    den = 2 * 10**decimals
    if scheme == "ceiling" and int(scaled) == 0:
        lo, lo_closed = 0, True
    return Interval(max(lo, 0), hi, den, lo_closed if lo >= 0 else True, hi_closed)


def window_interval(value: Fraction, width: Fraction, lower: int, upper: int) -> Interval:
    """The closed interval ``[value + lower·width, value + upper·width]`` (a qualifier window)."""
    lo = Fraction(value) + lower * Fraction(width)
    hi = Fraction(value) + upper * Fraction(width)
    den = lo.denominator * hi.denominator
    lo_num = lo.numerator * (den // lo.denominator)
    hi_num = hi.numerator * (den // hi.denominator)
    return Interval(max(lo_num, 0), hi_num, den, True, True)


def reproducing_schemes(true_value: Fraction, printed_value: Fraction, decimals: int,
                        schemes: Iterable[str] = SCHEMES) -> tuple[str, ...]:
    """The schemes under which ``true_value`` prints as ``printed_value``.

    Examples
    --------
    >>> reproducing_schemes(Fraction(1600, 49), Fraction(326, 10), 1)   # 16/49 = 32,653 %
    ('truncate',)
    """
    if type(true_value) is not Fraction:
        true_value = Fraction(true_value)
    if type(printed_value) is not Fraction:
        printed_value = Fraction(printed_value)
    if true_value < 0:
        raise ValueError(f"'true_value' must be non-negative (got {true_value}).")
    schemes = _known(schemes if isinstance(schemes, tuple) else tuple(schemes) if not isinstance(schemes, str)
                     else (schemes,))
    target = printed_value * 10**decimals
    if target.denominator != 1:
        return ()
    target = target.numerator
    # One division for every scheme: the printed digits, the remainder, and whether it is a tie.
    whole, rest = divmod(true_value.numerator * 10**decimals, true_value.denominator)
    twice = 2 * rest
    den = true_value.denominator
    nearest = whole + 1 if twice > den else whole      # every half rule off a tie
    tie = twice == den
    printed_by = {
        "truncate": whole,
        "ceiling": whole + (rest != 0),
        "half_up": whole + 1 if tie else nearest,
        "half_down": whole if tie else nearest,
        "half_even": whole + (whole % 2) if tie else nearest,
    }
    out = []
    for s in schemes:
        if s == "up_or_down":
            if target == printed_by["half_up"] or target == printed_by["half_down"]:
                out.append(s)
        elif printed_by[s] == target:
            out.append(s)
    return tuple(out)


@lru_cache(maxsize=64)
def _known(schemes: tuple) -> tuple:
    """:func:`check_schemes` for a tuple, remembered (the checker passes the same few tuples many times)."""
    return check_schemes(schemes)


def detectable(base: int, decimals: int, scale: int = 100) -> bool:
    """Whether a percentage with ``decimals`` decimals can reveal anything about ``base``.

    The percentages ``100·k/base`` are ``100/base`` apart; a printed value covers
    one unit ``10**-decimals``. When the unit is at least the spacing, every
    printed value is the rounding of some whole count, so agreement means
    nothing (the GRIM condition, Brown & Heathers 2017).

    Examples
    --------
    >>> detectable(62, 2), detectable(1200, 1)
    (True, False)
    """
    return base * 1 < scale * 10**decimals


def grim_probability(base: int, decimals: int, scale: int = 100) -> Fraction:
    """The share of printable values that no whole count out of ``base`` reproduces.

    A percentage printed with ``decimals`` decimals is one of the
    ``100·10**decimals + 1`` values 0, 0,01, …, 100 (for two decimals). Out of
    ``base`` units the counts 0…base give ``base + 1`` true percentages, at
    least one unit apart while ``base ≤ 100·10**decimals``, so they print as
    ``base + 1`` distinct values (under any of the schemes). The rest — a
    share of ``(100·10**decimals − base) / (100·10**decimals + 1)`` — would be
    inconsistent: the chance that a value printed at random is caught. 0 from
    ``base = 100·10**decimals`` on (see :func:`detectable`).

    Scrutiny's ``grim_probability(x, n, percent = TRUE)`` gives
    ``(10**D − n) / 10**D`` with ``D = decimals + 2``: it counts the values of
    one whole cycle, without the end point 100 %; the two differ in the fourth
    decimal at most for bases above 10.

    Examples
    --------
    >>> grim_probability(62, 2)   # 54,85 % of 62: (10000 − 62) / 10001
    Fraction(9938, 10001)
    >>> grim_probability(20_000, 2)
    Fraction(0, 1)
    """
    if isinstance(base, bool) or int(base) <= 0:
        raise ValueError(f"'base' must be a positive integer (got {base!r}).")
    slots = scale * 10**decimals
    return Fraction(max(slots - int(base), 0), slots + 1)
