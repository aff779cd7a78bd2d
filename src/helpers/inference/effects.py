"""Effect sizes with 95 % confidence intervals.

All functions take plain counts (ordered category counts, or the up/down/tie counts
of paired units) and return an :class:`Effect` (estimate, interval, name), so every
test can put one effect in its result row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class Effect:
    """An effect estimate with its 95 % interval (NaN when none is defined) and its name."""

    estimate: float
    ci_low: float
    ci_high: float
    name: str


def wilson_interval(x: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion ``x / n``.

    Returns ``(nan, nan)`` when ``n`` is 0.

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22(158), 209–212. https://doi.org/10.1080/01621459.1927.10502953

    Examples
    --------
    >>> [round(float(v), 4) for v in wilson_interval(6, 7)]
    [0.4869, 0.9743]
    """
    if n <= 0:
        return math.nan, math.nan
    z = stats.norm.ppf(0.5 + level / 2)
    p = x / n
    centre = (x + z * z / 2) / (n + z * z)
    half = z * math.sqrt(n) / (n + z * z) * math.sqrt(p * (1 - p) + z * z / (4 * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(x: int, n: int) -> Effect:
    """A proportion with its Wilson interval."""
    low, high = wilson_interval(x, n)
    return Effect(x / n if n else math.nan, low, high, "proportion")


def newcombe_difference(x1: int, n1: int, x2: int, n2: int) -> Effect:
    """Difference of two independent proportions ``x1/n1 − x2/n2`` with Newcombe's hybrid score interval.

    References
    ----------
    Newcombe, R. G. (1998). Interval estimation for the difference between independent
    proportions: comparison of eleven methods. *Statistics in Medicine*, 17(8), 873–890
    (method 10). https://doi.org/10.1002/(SICI)1097-0258(19980430)17:8<873::AID-SIM779>3.0.CO;2-I
    """
    if n1 <= 0 or n2 <= 0:
        return Effect(math.nan, math.nan, math.nan, "difference_in_proportions")
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson_interval(x1, n1)
    l2, u2 = wilson_interval(x2, n2)
    d = p1 - p2
    low = d - math.sqrt((p1 - l1) ** 2 + (u2 - p2) ** 2)
    high = d + math.sqrt((u1 - p1) ** 2 + (p2 - l2) ** 2)
    return Effect(d, low, high, "difference_in_proportions")


def net_improvement(improved: int, worsened: int, unchanged: int) -> Effect:
    """Net improvement ``(improved − worsened) / n`` of paired units with Newcombe's paired interval.

    The paired table is the one of the two indicators "improved" and "worsened"
    (a unit cannot be both: a = 0, b = improved, c = worsened, d = unchanged), so
    Newcombe's method 10 for paired proportions applies.

    References
    ----------
    Newcombe, R. G. (1998). Improved confidence intervals for the difference between
    binomial proportions based on paired data. *Statistics in Medicine*, 17(22),
    2635–2650 (method 10). https://doi.org/10.1002/(SICI)1097-0258(19981130)17:22<2635::AID-SIM954>3.0.CO;2-C
    """
    a, b, c, d = 0, improved, worsened, unchanged
    n = a + b + c + d
    if n <= 0:
        return Effect(math.nan, math.nan, math.nan, "net_improvement")
    p1, p2 = (a + b) / n, (a + c) / n
    l1, u1 = wilson_interval(a + b, n)
    l2, u2 = wilson_interval(a + c, n)
    denominator = (a + b) * (c + d) * (a + c) * (b + d)
    phi = (a * d - b * c) / math.sqrt(denominator) if denominator > 0 else 0.0
    theta = p1 - p2
    delta = math.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    eps = math.sqrt(max(0.0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2))
    return Effect(theta, max(-1.0, theta - delta), min(1.0, theta + eps), "net_improvement")


def conditional_odds_ratio(improved: int, worsened: int) -> Effect:
    """Conditional (McNemar) odds ratio ``improved / worsened`` with the exact Clopper–Pearson interval.

    The interval is the Clopper–Pearson interval of ``π = b / (b + c)`` mapped by
    ``π / (1 − π)``; infinite ends are allowed (printed as ∞).

    References
    ----------
    Breslow, N. E., & Day, N. E. (1980). *Statistical Methods in Cancer Research*, Vol. 1, §5.
    """
    m = improved + worsened
    if m == 0:
        return Effect(math.nan, math.nan, math.nan, "conditional_or")
    ci = stats.binomtest(improved, m).proportion_ci(method="exact")
    to_or = lambda p: math.inf if p >= 1 else p / (1 - p)  # noqa: E731
    estimate = math.inf if worsened == 0 else improved / worsened
    return Effect(estimate, to_or(ci.low), to_or(ci.high), "conditional_or")


def dominance(counts_x, counts_y) -> tuple[float, float, float]:
    """``(P(X > Y), P(X = Y), P(X < Y))`` for two samples given as ordered category counts."""
    x = np.asarray(counts_x, dtype=float)
    y = np.asarray(counts_y, dtype=float)
    nx, ny = x.sum(), y.sum()
    if nx == 0 or ny == 0:
        return math.nan, math.nan, math.nan
    cum_y_below = np.concatenate([[0.0], np.cumsum(y)[:-1]])
    greater = float((x * cum_y_below).sum())
    equal = float((x * y).sum())
    less = nx * ny - greater - equal
    total = nx * ny
    return greater / total, equal / total, less / total


def brunner_munzel_counts(counts_x, counts_y) -> dict:
    """Brunner–Munzel test from category counts, with ``p̂ = P(X > Y) + ½P(X = Y)`` and its interval.

    Returns a dict with keys ``statistic`` (t), ``df``, ``p_value`` (two-sided), ``p_superiority``,
    ``ci_low``, ``ci_high``; NaN values and ``reason`` when the variance is zero (both
    samples in one category each).

    References
    ----------
    Brunner, E., & Munzel, U. (2000). The nonparametric Behrens–Fisher problem: asymptotic
    theory and a small-sample approximation. *Biometrical Journal*, 42(1), 17–25.
    https://doi.org/10.1002/(SICI)1521-4036(200001)42:1<17::AID-BIMJ17>3.0.CO;2-U
    """
    x = np.repeat(np.arange(len(counts_x)), np.asarray(counts_x, dtype=int))
    y = np.repeat(np.arange(len(counts_y)), np.asarray(counts_y, dtype=int))
    n1, n2 = len(x), len(y)
    out = dict(statistic=math.nan, df=math.nan, p_value=math.nan, p_superiority=math.nan,
               ci_low=math.nan, ci_high=math.nan, reason="")
    if n1 < 2 or n2 < 2:
        out["reason"] = "each group needs at least 2 units"
        return out
    all_ranks = stats.rankdata(np.concatenate([x, y]))
    r1, r2 = all_ranks[:n1], all_ranks[n1:]
    w1, w2 = stats.rankdata(x), stats.rankdata(y)
    m1, m2 = r1.mean(), r2.mean()
    # p̂ estimates P(Y > X) + ½P(=) in the usual form; we report P(X > Y) + ½P(=) = 1 − that.
    p_hat_y = (m2 - (n2 + 1) / 2) / n1
    s1 = ((r1 - w1 - m1 + (n1 + 1) / 2) ** 2).sum() / (n1 - 1)
    s2 = ((r2 - w2 - m2 + (n2 + 1) / 2) ** 2).sum() / (n2 - 1)
    out["p_superiority"] = 1 - p_hat_y
    if s1 == 0 and s2 == 0:
        out["reason"] = "zero variance: within each group every unit has the same rank (no overlap information)"
        return out
    # Brunner & Munzel (2000), eqs. (3.3)-(3.6), sign turned so that t > 0 when X tends higher
    # (scipy.stats.brunnermunzel(x, y) returns −t): t = n1·n2·(R̄1 − R̄2) / (N·sqrt(n1·S1² + n2·S2²))
    t = n1 * n2 * (m1 - m2) / ((n1 + n2) * math.sqrt(n1 * s1 + n2 * s2))
    df = (n1 * s1 + n2 * s2) ** 2 / ((n1 * s1) ** 2 / (n1 - 1) + (n2 * s2) ** 2 / (n2 - 1))
    p = 2 * stats.t.sf(abs(t), df)
    se = math.sqrt(s1 / (n1 * n2 ** 2) + s2 / (n2 * n1 ** 2))
    q = stats.t.ppf(0.975, df)
    out.update(statistic=t, df=df, p_value=min(1.0, p),
               ci_low=max(0.0, 1 - p_hat_y - q * se), ci_high=min(1.0, 1 - p_hat_y + q * se))
    return out


def cliffs_delta(counts_x, counts_y) -> Effect:
    """Cliff's δ = P(X > Y) − P(X < Y) from ordered category counts, interval from Brunner–Munzel.

    The interval is ``2·[p̂ ± t·se] − 1`` with the Brunner–Munzel standard error of
    ``p̂ = P(X > Y) + ½P(X = Y)`` (δ = 2p̂ − 1).

    References
    ----------
    Cliff, N. (1993). Dominance statistics: ordinal analyses to answer ordinal questions.
    *Psychological Bulletin*, 114(3), 494–509. https://doi.org/10.1037/0033-2909.114.3.494
    """
    greater, _, less = dominance(counts_x, counts_y)
    bm = brunner_munzel_counts(counts_x, counts_y)
    low = 2 * bm["ci_low"] - 1 if not math.isnan(bm["ci_low"]) else math.nan
    high = 2 * bm["ci_high"] - 1 if not math.isnan(bm["ci_high"]) else math.nan
    return Effect(greater - less, low, high, "cliffs_delta")


def p_superiority(counts_x, counts_y) -> Effect:
    """P(X > Y) + ½P(X = Y) with the Brunner–Munzel interval."""
    bm = brunner_munzel_counts(counts_x, counts_y)
    greater, equal, _ = dominance(counts_x, counts_y)
    return Effect(greater + equal / 2, bm["ci_low"], bm["ci_high"], "p_superiority")


def directional_effect(counts_x, counts_y) -> Effect:
    """How much the first group stands above the second, with its sign and 95 % interval.

    Two categories: the difference of the shares in the upper category, ``x₁/n_x − y₁/n_y``,
    with Newcombe's interval (:func:`newcombe_difference`); for two categories this equals
    Cliff's δ. More categories: Cliff's δ (:func:`cliffs_delta`). Positive when the first
    group (the pilots, or the later year) is rated higher, negative when it is rated lower.

    Examples
    --------
    >>> float(round(directional_effect([2, 3, 12, 39], [13, 159, 82, 185]).estimate, 4))   # R: 0.330947
    0.3309
    >>> directional_effect([1, 4], [3, 2]).estimate   # 4/5 − 2/5
    0.4
    """
    x, y = np.asarray(counts_x, dtype=int), np.asarray(counts_y, dtype=int)
    if len(x) == 2:
        return newcombe_difference(int(x[1]), int(x.sum()), int(y[1]), int(y.sum()))
    return cliffs_delta(x, y)


def cramers_v(chi2: float, n: int, shape: tuple[int, int]) -> Effect:
    """Cramér's V = sqrt(χ² / (n · (min(r, c) − 1))); no interval (NaN).

    References
    ----------
    Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press, p. 282.
    """
    k = min(shape) - 1
    if n <= 0 or k <= 0:
        return Effect(math.nan, math.nan, math.nan, "cramers_v")
    return Effect(math.sqrt(chi2 / (n * k)), math.nan, math.nan, "cramers_v")
