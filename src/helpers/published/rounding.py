"""Rounding schemes on exact fractions, and the true values behind a printed number.

Four schemes are modelled; all act on non-negative numbers (counts and
percentages are never negative):

============ ======================================= ==========================
scheme       rule (u = one unit of the last digit)   true x printing as v
============ ======================================= ==========================
half_up      nearest; a tie goes up                  v − u/2 ≤ x < v + u/2
half_even    nearest; a tie goes to the even digit   v − u/2 ≤ x ≤ v + u/2 (v even),
                                                     v − u/2 < x < v + u/2 (v odd)
truncate     drop the digits beyond                  v ≤ x < v + u
ceiling      round any remainder up                  v − u < x ≤ v
============ ======================================= ==========================

``half_up`` (what Excel and most people do) and ``half_even`` (IEEE, R's
``round``) are the *accepted* roundings; ``truncate`` and ``ceiling`` are other
readings that a checker reports as warnings.

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
from fractions import Fraction
from typing import Iterable

SCHEMES = ("half_up", "half_even", "truncate", "ceiling")
ACCEPTED_SCHEMES = ("half_up", "half_even")

SCHEME_NAMES = {
    "half_up": {"vi": "làm tròn nửa lên", "en": "round half up"},
    "half_even": {"vi": "làm tròn nửa về số chẵn", "en": "round half to even"},
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
    x = Fraction(x)
    if x < 0:
        raise ValueError(f"'x' must be non-negative (got {x}).")
    return Fraction(round_scaled(x, decimals, scheme), 10**decimals)


def round_scaled(x: Fraction, decimals: int, scheme: str = "half_up") -> int:
    """``round_fraction(x, decimals, scheme)`` times ``10**decimals``, as an int (integer arithmetic only).

    ``x`` must be non-negative and ``scheme`` known (not re-checked: this is the inner loop).
    """
    whole, rest = divmod(x.numerator * 10**decimals, x.denominator)
    if scheme == "truncate":
        return whole
    if scheme == "ceiling":
        return whole + (rest != 0)
    twice = 2 * rest
    if twice > x.denominator or (twice == x.denominator and (scheme == "half_up" or whole % 2 == 1)):
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
    true_value, printed_value = Fraction(true_value), Fraction(printed_value)
    if true_value < 0:
        raise ValueError(f"'true_value' must be non-negative (got {true_value}).")
    target = printed_value * 10**decimals
    if target.denominator != 1:
        return ()
    target = target.numerator
    return tuple(s for s in check_schemes(schemes) if round_scaled(true_value, decimals, s) == target)


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
