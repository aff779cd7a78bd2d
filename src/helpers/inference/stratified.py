"""Pilots against comparable units: an exact stratified linear-rank test and the Mantel–Haenszel odds ratio.

Units are grouped into strata (e.g. the same pre-programme rating history); within each
stratum the pilot label is exchangeable under the null hypothesis when pilots were chosen
on what defines the strata (and chance). The test statistic is the pilots' total score
``T = Σ_s Σ_{i ∈ pilots_s} y_i`` (integer scores, e.g. the end-year rating 0..3). Its null
distribution, conditional on each stratum's scores and number of pilots, is the convolution
over strata of each stratum's distribution of the sum of a simple random sample, computed
exactly (no Monte Carlo, no normal approximation). Two-sided p-value:
``P(|T − E T| ≥ |t − E T|)``, as ``coin::independence_test(y ~ pilot | stratum,
teststat = "scalar", distribution = exact())``.

Strata holding only pilots or only non-pilots carry no comparison: they are left out of the
test and *counted* (common support), never dropped silently.

References
----------
Mantel, N. (1963). Chi-square tests with one degree of freedom; extensions of the
Mantel–Haenszel procedure. *JASA*, 58(303), 690–700. https://doi.org/10.1080/01621459.1963.10500879
Hothorn, T., Hornik, K., van de Wiel, M. A., & Zeileis, A. (2006). A Lego system for conditional
inference. *The American Statistician*, 60(3), 257–263. https://doi.org/10.1198/000313006X118430
Robins, J., Breslow, N., & Greenland, S. (1986). Estimators of the Mantel–Haenszel variance
consistent in both sparse data and large-strata limiting models. *Biometrics*, 42(2), 311–323.
https://doi.org/10.2307/2531052
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln
from statsmodels.stats.contingency_tables import StratifiedTable

Z_975 = 1.959963984540054


@dataclass(frozen=True)
class StratifiedRank:
    """Result of :func:`stratified_rank_test`.

    Attributes
    ----------
    statistic : float
        Standardised statistic z = (t − E T) / √Var T (positive: pilots score higher).
    p_value : float
        Exact two-sided conditional p-value (NaN when no stratum compares).
    p_min : float
        Smallest two-sided p-value these strata could give (how far the data could speak).
    excess : float
        (t − E T) / number of compared pilots: how many rating steps a compared pilot scored
        above what units of its stratum scored on average.
    n_pilots, n_comparison : int
        Pilots and non-pilots in strata that hold both (the compared units).
    n_strata : int
        Strata that hold both groups.
    unmatched_pilots : int
        Pilots in strata without a non-pilot (outside common support).
    """

    statistic: float
    p_value: float
    p_min: float
    excess: float
    n_pilots: int
    n_comparison: int
    n_strata: int
    unmatched_pilots: int


def _sum_distribution(counts: np.ndarray, k: int) -> np.ndarray:
    """Probabilities of the sum of ``k`` scores drawn without replacement; ``counts[v]`` units score v."""
    n = int(counts.sum())
    s_max = k * (len(counts) - 1)
    lf = gammaln(np.arange(n + 1) + 1.0)
    dp = np.zeros((k + 1, s_max + 1))
    dp[0, 0] = 1.0
    for value, m in enumerate(counts):
        m = int(m)
        if m == 0:
            continue
        new = np.zeros_like(dp)
        for c in range(0, min(m, k) + 1):
            shift = c * value
            if shift > s_max:
                break
            weight = math.exp(lf[m] - lf[c] - lf[m - c])
            new[c:, shift:] += weight * dp[: k + 1 - c, : s_max + 1 - shift]
        dp = new
    return dp[k] / math.exp(lf[n] - lf[k] - lf[n - k])


def compared_units(pilot, strata) -> np.ndarray:
    """Boolean mask of the units in strata that hold both pilots and non-pilots (common support).

    Examples
    --------
    >>> compared_units([True, False, True, True], [0, 0, 1, 1]).tolist()
    [True, True, False, False]
    """
    g = np.asarray(pilot, dtype=bool)
    _, codes = np.unique(np.asarray(strata), return_inverse=True)
    codes = codes.ravel()
    n = np.bincount(codes)
    k = np.bincount(codes, weights=g.astype(float))
    both = (k > 0) & (k < n)
    return both[codes]


def stratified_rank_test(scores, pilot, strata) -> StratifiedRank:
    """Exact stratified linear-rank test of pilots against non-pilots of the same stratum.

    Parameters
    ----------
    scores : array of int
        Non-negative integer scores (e.g. the end-year rating in the common order, 0..3).
    pilot : array of bool
    strata : array of hashable
        Stratum label of each unit (e.g. a tuple of pre-programme ratings coded as an int).

    Returns
    -------
    StratifiedRank

    Raises
    ------
    ValueError
        When the arrays differ in length or a score is negative or not an integer.

    Examples
    --------
    Stratum 0 scores 0, 1, 2, 3 with pilots on 0 and 1; stratum 1 scores 1, 2 with the pilot on 1.
    The pilots' total is 2 against an expected 3 + 1.5; of the 6 × 2 equally likely relabellings only
    totals 2 and 7 are as far from 4.5, so p = 2/12:

    >>> r = stratified_rank_test([0, 1, 2, 3, 1, 2], [True, True, False, False, True, False], [0, 0, 0, 0, 1, 1])
    >>> round(r.p_value, 4)
    0.1667
    """
    y = np.asarray(scores)
    g = np.asarray(pilot, dtype=bool)
    s = np.asarray(strata)
    if not (len(y) == len(g) == len(s)):
        raise ValueError(f"'scores', 'pilot' and 'strata' must have the same length (got {len(y)}, {len(g)}, "
                         f"{len(s)}).")
    if len(y) and (np.any(y < 0) or not np.all(np.mod(y, 1) == 0)):
        raise ValueError("'scores' must be non-negative integers (e.g. rating orders 0..3).")
    y = y.astype(np.int64)
    _, codes = np.unique(s, return_inverse=True) if len(s) else (None, np.zeros(0, np.int64))
    codes = codes.ravel()
    n_levels = int(y.max()) + 1 if len(y) else 1
    dist = np.ones(1)
    t_obs = expected = variance = 0.0
    n1_total = n0_total = n_strata = unmatched = 0
    for code in np.unique(codes):
        inside = codes == code
        gi, yi = g[inside], y[inside]
        k, n = int(gi.sum()), int(inside.sum())
        if k == 0 or k == n:
            unmatched += k
            continue
        n_strata += 1
        n1_total += k
        n0_total += n - k
        t_obs += float(yi[gi].sum())
        mean = yi.mean()
        expected += k * mean
        variance += k * (n - k) / (n * (n - 1)) * float(((yi - mean) ** 2).sum())
        dist = np.convolve(dist, _sum_distribution(np.bincount(yi, minlength=n_levels), k))
    if n_strata == 0:
        return StratifiedRank(math.nan, math.nan, math.nan, math.nan, 0, 0, 0, unmatched)
    support = np.arange(len(dist))
    distance = np.abs(support - expected)
    tol = 1e-7 * max(1.0, expected)
    positive = dist > 1e-300
    p_value = float(min(1.0, dist[distance >= abs(t_obs - expected) - tol].sum()))
    far = distance[positive].max()
    p_min = float(min(1.0, dist[positive & (distance >= far - tol)].sum()))
    z = (t_obs - expected) / math.sqrt(variance) if variance > 0 else math.nan
    if variance == 0:
        p_value = 1.0
    return StratifiedRank(statistic=float(z), p_value=p_value, p_min=p_min, excess=float((t_obs - expected) / n1_total),
                          n_pilots=n1_total, n_comparison=n0_total, n_strata=n_strata, unmatched_pilots=unmatched)


@dataclass(frozen=True)
class CommonOddsRatio:
    """Mantel–Haenszel common odds ratio with the Robins–Breslow–Greenland 95 % interval (NaN when undefined)."""

    estimate: float
    ci_low: float
    ci_high: float
    n_strata: int


def strata_tables(success, pilot, strata) -> list[np.ndarray]:
    """One 2 × 2 table per stratum holding both groups: rows pilot, other; columns success, failure.

    Examples
    --------
    >>> [t.tolist() for t in strata_tables([1, 0, 1, 1], [1, 0, 1, 1], [0, 0, 1, 1])]
    [[[1.0, 0.0], [0.0, 1.0]]]
    """
    x = np.asarray(success, dtype=bool)
    g = np.asarray(pilot, dtype=bool)
    _, codes = np.unique(np.asarray(strata), return_inverse=True)
    codes = codes.ravel()
    tables = []
    for code in np.unique(codes):
        inside = codes == code
        gi, xi = g[inside], x[inside]
        if gi.all() or not gi.any():
            continue
        tables.append(np.array([[np.sum(gi & xi), np.sum(gi & ~xi)], [np.sum(~gi & xi), np.sum(~gi & ~xi)]],
                               dtype=float))
    return tables


def mantel_haenszel_or(success, pilot, strata) -> CommonOddsRatio:
    """Common odds ratio of ``success`` for pilots vs non-pilots across strata (R: ``mantelhaen.test``).

    Strata without both groups are left out; zero cells are never shifted. The estimate is
    NaN when no stratum has a discordant pair (the numerator and denominator sums are both
    zero), and the interval is NaN when the estimate is 0 or infinite.

    Examples
    --------
    Stratum 0 is the table [[1, 1], [1, 1]] (ad/n = bc/n = 1/4); stratum 1 is [[2, 0], [0, 2]]
    (ad/n = 1, bc/n = 0), so OR = (1/4 + 1) / (1/4 + 0) = 5:

    >>> r = mantel_haenszel_or([1, 0, 1, 0, 1, 1, 0, 0], [1, 1, 0, 0, 1, 1, 0, 0], [0, 0, 0, 0, 1, 1, 1, 1])
    >>> float(r.estimate), r.n_strata
    (5.0, 2)
    """
    tables = strata_tables(success, pilot, strata)
    if not tables:
        return CommonOddsRatio(math.nan, math.nan, math.nan, 0)
    arr = np.stack(tables)
    n = arr.sum(axis=(1, 2))
    num = float((arr[:, 0, 0] * arr[:, 1, 1] / n).sum())
    den = float((arr[:, 0, 1] * arr[:, 1, 0] / n).sum())
    if num == 0 and den == 0:
        return CommonOddsRatio(math.nan, math.nan, math.nan, len(tables))
    if num == 0 or den == 0:
        return CommonOddsRatio(0.0 if num == 0 else math.inf, math.nan, math.nan, len(tables))
    st = StratifiedTable([t for t in tables], shift_zeros=False)
    low, high = st.oddsratio_pooled_confint()
    return CommonOddsRatio(float(st.oddsratio_pooled), float(low), float(high), len(tables))
