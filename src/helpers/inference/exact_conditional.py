"""Exact conditional inference on a common odds ratio of stratified 2 × 2 tables.

This is exact conditional logistic regression of a binary outcome on one binary covariate
(pilot) with one free intercept per stratum (the baseline rating): conditioning on the
stratum margins removes the stratum effects, and the number of pilots with the outcome,
``S = Σ_k x_k``, has the product-hypergeometric distribution with non-centrality ψ (the
common odds ratio). Unlike the maximum-likelihood fit, it gives a p-value and a
confidence interval under separation (when ``S`` is at an end of its support the
conditional estimate is 0 or ∞ but the interval has a finite end). Everything as R's
``mantelhaen.test(x, exact = TRUE)``: two-sided p-value = probability of the values of ``S``
no more probable than the observed one (relative tolerance 1e-7), conditional MLE of ψ,
and the interval from the two one-sided 2.5 % tails.

References
----------
Mehta, C. R., Patel, N. R., & Gray, R. (1985). Computing an exact confidence interval for
the common odds ratio in several 2 × 2 contingency tables. *JASA*, 80(392), 969–973.
https://doi.org/10.1080/01621459.1985.10478212
Cox, D. R. (1970). *The Analysis of Binary Data*, §4. Methuen.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq
from scipy.special import gammaln

REL_ERR = 1e-7


@dataclass(frozen=True)
class CommonOddsRatio:
    """Exact conditional result: two-sided p, conditional MLE of ψ and its 95 % interval."""

    p_value: float
    estimate: float
    ci_low: float
    ci_high: float
    statistic: int
    support_low: int
    support_high: int


def _log_choose(n, k):
    return gammaln(n + 1.0) - gammaln(k + 1.0) - gammaln(n - k + 1.0)


def _null_log_density(tables) -> tuple[int, np.ndarray]:
    """(lowest value of S, log of the unnormalised null density of S over its support)."""
    lo, logd = 0, np.zeros(1)
    for t in tables:
        t = np.asarray(t, dtype=np.int64)
        r1, r2, c1 = int(t[0].sum()), int(t[1].sum()), int(t[:, 0].sum())
        a, b = max(0, c1 - r2), min(r1, c1)
        x = np.arange(a, b + 1)
        stratum = _log_choose(r1, x) + _log_choose(r2, c1 - x)
        # convolution in log space (supports are short: at most the number of pilots)
        new = np.full(len(logd) + len(x) - 1, -np.inf)
        for i, v in enumerate(stratum):
            new[i:i + len(logd)] = np.logaddexp(new[i:i + len(logd)], logd + v)
        lo, logd = lo + a, new
    return lo, logd


def exact_common_odds_ratio(tables, conf_level: float = 0.95) -> CommonOddsRatio:
    """Exact conditional test of ψ = 1 in 2 × 2 × K tables (rows: pilot, other; columns: yes, no).

    Parameters
    ----------
    tables : sequence of 2 × 2 array-like of int
        One table per stratum; ``table[0, 0]`` counts the pilots with the outcome.

    Returns
    -------
    CommonOddsRatio

    Examples
    --------
    >>> # R: mantelhaen.test(array(c(3, 0, 0, 2, 2, 1, 0, 3), c(2, 2, 2)), exact = TRUE)$p.value
    >>> round(exact_common_odds_ratio([[[3, 0], [0, 2]], [[2, 0], [1, 3]]]).p_value, 6)
    0.02
    """
    tables = [np.asarray(t, dtype=np.int64) for t in tables]
    if not tables or any(t.shape != (2, 2) or (t < 0).any() for t in tables):
        raise ValueError("'tables' must be a non-empty list of 2 × 2 tables of non-negative counts.")
    lo, logd = _null_log_density(tables)
    hi = lo + len(logd) - 1
    support = np.arange(lo, hi + 1)
    s = int(sum(int(t[0, 0]) for t in tables))

    def density(psi):
        d = logd + math.log(psi) * support
        d = np.exp(d - d.max())
        return d / d.sum()

    def mean(psi):
        if psi == 0:
            return lo
        if math.isinf(psi):
            return hi
        return float((support * density(psi)).sum())

    def tail(q, psi, upper):
        d = density(psi)
        return float(d[support >= q].sum() if upper else d[support <= q].sum())

    d1 = density(1.0)
    p_value = float(min(1.0, d1[d1 <= d1[s - lo] * (1 + REL_ERR)].sum()))
    eps = np.finfo(float).eps

    def solve(f, target):
        """ψ with f(ψ) = target: searched in (0, 1), or through 1/ψ in (0, 1) above 1 (as R)."""
        at_one = f(1.0) - target
        if at_one == 0:
            return 1.0
        if at_one > 0 and f(eps) - target < 0 or at_one < 0 and f(eps) - target > 0:
            return brentq(lambda t: f(t) - target, eps, 1.0, xtol=1e-14, rtol=1e-12)
        return 1.0 / brentq(lambda t: f(1.0 / t) - target, eps, 1.0, xtol=1e-14, rtol=1e-12)

    alpha = (1 - conf_level) / 2
    high = math.inf if s == hi else solve(lambda psi: tail(s, psi, False), alpha)
    low = 0.0 if s == lo else solve(lambda psi: tail(s, psi, True), alpha)
    estimate = 0.0 if s == lo else math.inf if s == hi else solve(mean, s)
    return CommonOddsRatio(p_value, estimate, low, high, s, lo, hi)


__all__ = ["CommonOddsRatio", "exact_common_odds_ratio"]
