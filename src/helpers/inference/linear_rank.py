"""Exact conditional linear rank tests of two samples of ordered categories (2 × c tables).

Given both margins of a 2 × c table (the sizes of the two groups and the number of units
in each category), the counts of the first group are multivariate hypergeometric: every
allocation ``x`` with ``Σ x_j = n1`` and ``0 ≤ x_j ≤ c_j`` has probability
``Π C(c_j, x_j) / C(N, n1)``. A linear statistic ``T = Σ s_j x_j`` with category scores
``s`` has an exact conditional (permutation) distribution that is obtained here by **full
enumeration** of those allocations — there are at most C(n1 + c − 1, c − 1) of them, a few
tens of thousands for four categories and 60 units, so it is exact and fast, never Monte
Carlo. The scores choose the test:

- mid-rank scores: the Wilcoxon–Mann–Whitney test with ties (``coin::wilcox_test(...,
  distribution = "exact")``);
- equally spaced scores 0, 1, …: the linear-by-linear (Cochran–Armitage) test
  (``coin::lbl_test(..., distribution = "exact")``).

The two-sided p-value is ``P(|T − E T| ≥ |t − E T|)``, computed in integers (scores are
doubled so mid-ranks are integers), as coin does. When there would be more than
``max_tables`` allocations :func:`exact_linear_rank_p` returns ``None`` and the caller uses
its asymptotic test and says so in the row.

References
----------
Hothorn, T., Hornik, K., van de Wiel, M. A., & Zeileis, A. (2006). A Lego system for
conditional inference. *The American Statistician*, 60(3), 257–263.
https://doi.org/10.1198/000313006X118430
Mehta, C. R., Patel, N. R., & Tsiatis, A. A. (1984). Exact significance testing to establish
treatment equivalence with ordered categorical data. *Biometrics*, 40(3), 819–825.
https://doi.org/10.2307/2530927
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from helpers.inference import _tables

#: Above this many allocations of the smaller group the exact distribution is not enumerated.
MAX_TABLES = 2_000_000


@dataclass(frozen=True)
class ExactLinearRank:
    """Result of :func:`exact_linear_rank_p`: the two-sided exact p-value and how it was had."""

    p_value: float
    n_tables: int
    method: str


def midrank_scores(column_totals) -> np.ndarray:
    """Mid-rank of each category given how many units fall in each (doubled: integers).

    Examples
    --------
    >>> midrank_scores([2, 17, 24, 69]).tolist()   # mid-ranks 1.5, 11, 31.5, 78 doubled
    [3, 22, 63, 156]
    """
    c = np.asarray(column_totals, dtype=np.int64)
    below = np.concatenate([[0], np.cumsum(c)[:-1]])
    return 2 * below + c + 1


def exact_linear_rank_p(counts_x, counts_y, scores, max_tables: int = MAX_TABLES) -> ExactLinearRank | None:
    """Exact two-sided conditional p-value of the linear statistic ``Σ scores_j · x_j``.

    Parameters
    ----------
    counts_x, counts_y : sequence of int
        Counts per ordered category of the two groups.
    scores : sequence of int
        Integer score of each category (e.g. :func:`midrank_scores` or 0, 1, 2, …).
    max_tables : int
        Largest number of allocations to enumerate; above it ``None`` is returned.

    Returns
    -------
    ExactLinearRank or None
        ``None`` when the enumeration would exceed ``max_tables``.

    Examples
    --------
    >>> # R: coin::pvalue(coin::wilcox_test(y ~ g, distribution = "exact")) with 7 pilots in 2013
    >>> # (0, 0, 1, 6) against the same pilots in 2011 (0, 1, 3, 3) → 0.2167832
    >>> x, y = [0, 0, 1, 6], [0, 1, 3, 3]
    >>> round(exact_linear_rank_p(x, y, midrank_scores([a + b for a, b in zip(x, y)])).p_value, 7)
    0.2167832
    """
    x = np.asarray(counts_x, dtype=np.int64)
    y = np.asarray(counts_y, dtype=np.int64)
    s = np.asarray(scores, dtype=np.int64)
    if not (x.shape == y.shape == s.shape) or x.ndim != 1:
        raise ValueError("'counts_x', 'counts_y' and 'scores' must be 1-D and of the same length "
                         f"(got {len(x)}, {len(y)}, {len(s)}).")
    cols = x + y
    keep = cols > 0
    x, cols, s = x[keep], cols[keep], s[keep]
    n1, n = int(x.sum()), int(cols.sum())
    small = min(n1, n - n1)
    if _count_allocations(small, cols) > max_tables:
        return None
    # the first group's allocations (or, when smaller, the second's: T of the first is then determined)
    if small == n1:
        alloc = _tables.compositions(n1, len(cols), cols)
        t_all = alloc @ s
    else:
        alloc = _tables.compositions(n - n1, len(cols), cols)
        t_all = int((cols * s).sum()) - alloc @ s
        alloc = cols - alloc
    lf = gammaln(np.arange(n + 1) + 1.0)
    log_w = (lf[cols] - lf[alloc] - lf[cols - alloc]).sum(axis=1) - (lf[n] - lf[n1] - lf[n - n1])
    # |T − E T| ≥ |t − E T| with E T = n1 · Σ c_j s_j / N, multiplied by N to stay in integers
    centre = n1 * int((cols * s).sum())
    t_obs = int((x * s).sum())
    extreme = np.abs(n * t_all - centre) >= abs(n * t_obs - centre)
    p = float(np.exp(log_w[extreme]).sum())
    return ExactLinearRank(min(1.0, p), len(alloc),
                           f"exact conditional distribution (full enumeration of {len(alloc)} tables)")


def unit_scores(k: int) -> np.ndarray:
    """Equally spaced scores 0, 1, …, k − 1 (the linear-by-linear test)."""
    return np.arange(k, dtype=np.int64)


def _count_allocations(total: int, caps) -> int:
    """Number of vectors ``0 ≤ x_j ≤ caps_j`` with ``Σ x_j = total`` (coefficient of a product of
    polynomials, in Python integers: cheap, no enumeration)."""
    ways = [1] + [0] * total
    for cap in caps:
        prefix = [0]
        for w in ways:
            prefix.append(prefix[-1] + w)
        ways = [prefix[t + 1] - prefix[max(0, t - int(cap))] for t in range(total + 1)]
    return ways[total]


def n_allocations(counts_x, counts_y) -> int:
    """How many allocations :func:`exact_linear_rank_p` enumerates for these counts (the size switch).

    Examples
    --------
    >>> n_allocations([0, 0, 1, 6], [0, 1, 3, 3])   # 7 of the 14 units in columns of 1, 4, 9: hand count 10
    10
    """
    x, y = np.asarray(counts_x, dtype=np.int64), np.asarray(counts_y, dtype=np.int64)
    cols = (x + y)[(x + y) > 0]
    return _count_allocations(int(min(x.sum(), y.sum())), cols)


__all__ = ["MAX_TABLES", "ExactLinearRank", "exact_linear_rank_p", "midrank_scores", "n_allocations",
           "unit_scores"]
