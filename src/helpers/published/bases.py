"""Recover the unknown base (denominator) behind a set of printed percentages.

An article prints ``45,25 %``, ``18,99 %`` and ``32,73 %`` of the province's
organisations but not how many there were. For every candidate base ``N`` each
printed percentage, under a rounding scheme, allows a whole range of counts
``k`` (``100·k/N`` must round to the printed value); ``N`` is a candidate when
every range is non-empty — and, when the categories are exhaustive, when the
counts can add up to ``N``. The ranges are computed for all ``N`` at once with
integer arithmetic (:meth:`Interval.count_range` on arrays), never by a
floating-point search.

References
----------
Brown, N. J. L., & Heathers, J. A. J. (2017). The GRIM test. *Social
Psychological and Personality Science*, 8(4), 363–369.
https://doi.org/10.1177/1948550616673876
"""

from __future__ import annotations

import collections.abc
from fractions import Fraction
from typing import Iterator, NamedTuple, Sequence, overload

import numpy as np

from helpers.published.printed import QUALIFIER_WINDOWS, PrintedNumber, parse_printed
from helpers.published.rounding import ACCEPTED_SCHEMES, check_schemes, interval_numerators

#: Largest numerator magnitude that int64 arithmetic handles safely.
_INT64_SAFE = 2**62


class BaseCandidate(NamedTuple):
    """One base that reproduces every printed percentage of a table.

    Attributes
    ----------
    base : int
        The candidate denominator N.
    counts : tuple of int
        Implied whole counts, one per printed percentage in the order given: the
        count nearest to ``percent·N/100`` inside its allowed range (adjusted to
        add up to N when the categories are exhaustive).
    schemes : tuple of str
        The rounding schemes under which all percentages are reproduced.
    """

    base: int
    counts: tuple[int, ...]
    schemes: tuple[str, ...] = ()


class BaseCandidates(collections.abc.Sequence):
    """The candidates :func:`recover_bases` found: a read-only list of :class:`BaseCandidate`, in increasing base.

    Up to N = 100,000 a table may have tens of thousands of candidates, and a caller usually reads the
    first few: each :class:`BaseCandidate` is made when it is read (an index, a slice, iteration), from
    arrays kept here. ``bases`` gives every base at once as a numpy array. Compares equal to a list of
    the same candidates.
    """

    __slots__ = ("_bases", "_counts", "_names")

    def __init__(self, bases: np.ndarray, counts: np.ndarray, names: list[tuple[str, ...]]):
        self._bases, self._counts, self._names = bases, counts, names   # counts: one row per candidate

    @property
    def bases(self) -> np.ndarray:
        """Every candidate base, in increasing order."""
        return self._bases.astype(np.int64) if self._bases.dtype == object else self._bases.copy()

    def __len__(self) -> int:
        return len(self._bases)

    def _make(self, start: int, stop: int) -> list[BaseCandidate]:
        # tolist() gives Python ints (from int64 and from object arrays alike); zip(*columns) the count tuples
        counts = zip(*self._counts[start:stop].T.tolist())     # one column per printed percentage (at least one)
        make = tuple.__new__  # the NamedTuple constructor without its per-call wrapper (the hot spot)
        return [make(BaseCandidate, row) for row in zip(self._bases[start:stop].tolist(), counts,
                                                         self._names[start:stop])]

    @overload
    def __getitem__(self, index: int) -> BaseCandidate: ...

    @overload
    def __getitem__(self, index: slice) -> list[BaseCandidate]: ...

    def __getitem__(self, index):
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step == 1:
                return self._make(start, max(start, stop))
            return [self[i] for i in range(start, stop, step)]
        i = range(len(self))[index]          # negative indices, IndexError as a list gives them
        return self._make(i, i + 1)[0]

    def __iter__(self) -> Iterator[BaseCandidate]:
        for start in range(0, len(self), 4096):
            yield from self._make(start, start + 4096)

    def __eq__(self, other) -> bool:
        if isinstance(other, (BaseCandidates, list, tuple)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    __hash__ = None

    def __repr__(self) -> str:
        shown = ", ".join(str(b) for b in self._bases[:5].tolist()) + (", …" if len(self) > 5 else "")
        return f"BaseCandidates({len(self)} bases: {shown})"


def _bounds(number: PrintedNumber, scheme: str) -> tuple[int, int, bool, bool, int]:
    """(lo, hi, lo_closed, hi_closed, den) of the true percentages, as integers."""
    if number.qualifier is not None:
        lower, upper = QUALIFIER_WINDOWS[number.qualifier]
        width = number.qualifier_unit
        lo, hi = number.value + lower * width, number.value + upper * width
        den = lo.denominator * hi.denominator
        return lo.numerator * (den // lo.denominator), hi.numerator * (den // hi.denominator), True, True, den
    scaled = number.value * 10**number.decimals
    lo, hi, lo_closed, hi_closed = interval_numerators(int(scaled), scheme)
    den = 2 * 10**number.decimals
    if lo < 0:
        lo, lo_closed = 0, True
    return lo, hi, lo_closed, hi_closed, den


def count_ranges(numbers: Sequence[PrintedNumber], bases: np.ndarray, scheme: str) -> tuple[np.ndarray, np.ndarray]:
    """Whole-count ranges ``[k_min, k_max]`` for each printed percentage and each base.

    Returns two integer arrays of shape ``(len(numbers), len(bases))``.
    """
    k_min = np.empty((len(numbers), len(bases)), dtype=bases.dtype)
    k_max = np.empty_like(k_min)
    for j, number in enumerate(numbers):
        lo, hi, lo_closed, hi_closed, den = _bounds(number, scheme)
        q = 100 * den
        a, b = lo * bases, hi * bases
        k_min[j] = -(-a // q) if lo_closed else a // q + 1
        k_max[j] = b // q if hi_closed else -(-b // q) - 1
    np.maximum(k_min, 0, out=k_min)
    np.minimum(k_max, bases, out=k_max)
    return k_min, k_max


def recover_bases(
    percents_printed: Sequence[str],
    max_base: int = 100_000,
    exhaustive: bool = False,
    schemes: Sequence[str] = ACCEPTED_SCHEMES,
    min_base: int = 1,
    disjoint: bool = False,
) -> BaseCandidates:
    """Every base up to ``max_base`` that reproduces all printed percentages of one table.

    Parameters
    ----------
    percents_printed : sequence of str
        The percentages exactly as printed (``"45,25%"``); a qualifier
        (``"gần 59%"``) is read as its window (see :mod:`.printed`).
    max_base : int
        Largest base tried.
    exhaustive : bool
        True when the categories cover the whole table, so their counts must
        add up to the base.
    disjoint : bool
        True when the categories do not overlap (levels of a scale), so their
        counts cannot add up to more than the base (implied by ``exhaustive``).
    schemes : sequence of str
        Rounding schemes tried (default: the accepted ones, half-up and
        half-to-even). A base qualifies when all percentages are reproduced
        under one same scheme.
    min_base : int
        Smallest base tried.

    Returns
    -------
    BaseCandidates
        A read-only list of :class:`BaseCandidate`, in increasing base (each made when read).

    Raises
    ------
    ValueError
        When a percentage cannot be parsed or a limit is not a positive integer.

    Examples
    --------
    Seed 000, province 2013 (45,25 % TSVM, 18,99 % HTTNV, 32,73 % HTNV):

    >>> recover_bases(["45,25%", "18,99%", "32,73%"], max_base=1000)[0]
    BaseCandidate(base=495, counts=(224, 94, 162), schemes=('half_up', 'half_even'))
    """
    schemes = check_schemes(schemes)
    for name, value in (("max_base", max_base), ("min_base", min_base)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"'{name}' must be a positive integer (got {value!r}).")
    if not percents_printed:
        raise ValueError("'percents_printed' must hold at least one printed percentage (got none).")
    numbers = [p if isinstance(p, PrintedNumber) else parse_printed(p, "percent") for p in percents_printed]
    if min_base > max_base:
        return []
    biggest = max(_bounds(n, s)[1] * 1 for n in numbers for s in schemes)
    dtype = np.int64 if biggest * max_base < _INT64_SAFE else object
    bases = np.arange(min_base, max_base + 1, dtype=np.int64).astype(dtype)
    found = np.zeros(len(bases), dtype=bool)
    chosen_min = chosen_max = None
    scheme_hits = []
    for scheme in schemes:
        k_min, k_max = count_ranges(numbers, bases, scheme)
        ok = np.all(k_min <= k_max, axis=0)
        if exhaustive:
            ok &= (k_min.sum(axis=0) <= bases) & (bases <= k_max.sum(axis=0))
        elif disjoint and len(numbers) > 1:
            ok &= k_min.sum(axis=0) <= bases
        scheme_hits.append(ok)
        first = ok & ~found
        if chosen_min is None:
            chosen_min, chosen_max = k_min.copy(), k_max.copy()
        else:
            chosen_min[:, first] = k_min[:, first]
            chosen_max[:, first] = k_max[:, first]
        found |= ok
    index = np.flatnonzero(found)
    if not len(index):
        return BaseCandidates(bases[:0], np.zeros((0, len(numbers)), dtype=np.int64), [])
    k_lo, k_hi, n = chosen_min[:, index], chosen_max[:, index], bases[index]
    # Nearest whole count to the printed value's own count, kept inside its range.
    exact = np.stack([(int(num.value * 10**num.decimals) * n * 2 + 100 * 10**num.decimals)
                      // (200 * 10**num.decimals) for num in numbers])
    counts = np.minimum(np.maximum(exact, k_lo), k_hi)
    if exhaustive or disjoint:
        gap = n - counts.sum(axis=0)
        if not exhaustive:
            gap = np.minimum(gap, 0)         # disjoint: only bring counts that overflow the base down
        for j in range(len(numbers)):
            step = np.minimum(np.maximum(gap, k_lo[j] - counts[j]), k_hi[j] - counts[j])
            counts[j] += step
            gap = gap - step
    code = np.zeros(len(index), dtype=np.int64)
    for bit, hits in enumerate(scheme_hits):
        code |= hits[index].astype(np.int64) << bit
    labels = {c: tuple(s for bit, s in enumerate(schemes) if c >> bit & 1) for c in set(code.tolist())}
    names = [labels[c] for c in code.tolist()]
    return BaseCandidates(n, counts.T, names)


def first_bases(percents_printed: Sequence[str], how_many: int = 5, **options) -> list[BaseCandidate]:
    """The ``how_many`` smallest candidate bases (a convenience for messages)."""
    return recover_bases(percents_printed, **options)[:how_many]


def implied_percent(count: int, base: int) -> Fraction:
    """``100·count/base`` exactly."""
    return Fraction(100 * count, base)
