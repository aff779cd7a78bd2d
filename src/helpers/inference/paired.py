"""Question (a) with unit-level data: the same units in year A and year B.

The paired table has rows = rating in year A and columns = rating in year B, both in
the common order (fail < pass < good < top). Above the diagonal = improved.

- :func:`stuart_maxwell` — marginal homogeneity; :func:`bowker` — symmetry. Categories
  empty in both years are dropped; zero cells are never shifted (statsmodels'
  ``Table``/``SquareTable`` add 0.5 to every cell when one is zero, by default).
- :func:`mcnemar_exact` — exact McNemar at a cut (e.g. "good or better").
- :func:`sign_test` — improved vs worsened, exact binomial.
- :func:`wilcoxon_signed_rank` — normal approximation with ties; :func:`permutation_signed_rank`
  — its exact conditional (permutation) version, valid with ties, for small n.
- :func:`cochran_q`, :func:`friedman` — more than two years.

Every function returns a DataFrame with :data:`~helpers.inference.results.RESULT_COLUMNS`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from helpers.export.glossary_notes import note_words
from helpers.inference.effects import conditional_odds_ratio, net_improvement
from helpers.inference.results import Reason, refused_row, result_row, rows_to_frame


def _square(table) -> np.ndarray:
    t = np.asarray(table)
    if t.ndim != 2 or t.shape[0] != t.shape[1] or (t < 0).any() or not np.all(np.mod(t, 1) == 0):
        raise ValueError(f"'table' must be a square table of non-negative integer counts (got shape "
                         f"{getattr(t, 'shape', None)}).")
    return t.astype(np.int64)


def drop_empty_categories(table) -> tuple[np.ndarray, list[int]]:
    """The table without categories empty in both years, and the kept category indices."""
    t = _square(table)
    keep = [i for i in range(t.shape[0]) if t[i].sum() + t[:, i].sum() > 0]
    return t[np.ix_(keep, keep)], keep


def paired_table(before, after, k: int = 4) -> np.ndarray:
    """k × k table of (before, after) category codes 0..k−1 (rows = before)."""
    b = np.asarray(before, dtype=np.int64)
    a = np.asarray(after, dtype=np.int64)
    if b.shape != a.shape:
        raise ValueError(f"'before' and 'after' must have the same length (got {b.shape[0]} and {a.shape[0]}).")
    bad = [int(v) for v in np.concatenate([b, a]) if v < 0 or v >= k]
    if bad:
        raise ValueError(f"category codes must be 0..{k - 1} (got {sorted(set(bad))}).")
    t = np.zeros((k, k), dtype=np.int64)
    np.add.at(t, (b, a), 1)
    return t


def up_down(table) -> tuple[int, int, int]:
    """(improved, worsened, unchanged) counts of a paired table (rows = before)."""
    t = _square(table)
    return int(np.triu(t, 1).sum()), int(np.tril(t, -1).sum()), int(np.trace(t))


def _refuse_small(t: np.ndarray) -> Reason | None:
    n = int(t.sum())
    if n <= 1:
        return Reason(f"cỡ mẫu n = {n}: không đủ để kiểm định", f"sample size n = {n}: too small to test")
    return None


def stuart_maxwell_statistic(table) -> tuple[float, int]:
    """(statistic, df) of the Stuart–Maxwell test; df = rank of the covariance matrix (0 = undefined)."""
    t, _ = drop_empty_categories(table)
    k = t.shape[0]
    if k < 2:
        return math.nan, 0
    d = (t.sum(axis=1) - t.sum(axis=0))[:-1].astype(float)
    s = (t + t.T).astype(float)
    v = -s[:-1, :-1]
    np.fill_diagonal(v, (t.sum(axis=1) + t.sum(axis=0) - 2 * np.diag(t))[:-1])
    rank = int(np.linalg.matrix_rank(v))
    if rank == 0:
        return math.nan, 0
    stat = float(d @ np.linalg.pinv(v) @ d)
    return stat, rank


def stuart_maxwell(table, study: str = "", question: str = "a", lead: Reason | None = None) -> pd.DataFrame:
    """Stuart–Maxwell test of marginal homogeneity (did the distribution of ratings change?).

    Categories empty in both years are dropped; a singular covariance matrix is handled
    by its Moore–Penrose inverse with df = its rank (as ``coin::mh_test``). The effect
    is the net improvement with Newcombe's paired interval.

    References
    ----------
    Stuart, A. (1955). A test for homogeneity of the marginal distributions in a two-way
    classification. *Biometrika*, 42(3/4), 412–416. https://doi.org/10.2307/2333387
    Maxwell, A. E. (1970). Comparing the classification of subjects by two independent
    judges. *British Journal of Psychiatry*, 116, 651–655. https://doi.org/10.1192/bjp.116.535.651
    """
    test = "Stuart–Maxwell marginal homogeneity"
    t = _square(table)
    reason = _refuse_small(t)
    if reason is None and len(drop_empty_categories(t)[1]) < 2:
        reason = Reason("mọi đơn vị ở cùng một mức trong cả hai năm: không có gì để so sánh",
                        "all units are in one category in both years: nothing to compare")
    if reason is None and up_down(t)[0] + up_down(t)[1] == 0:
        reason = Reason("không đơn vị nào đổi mức: phân bố hai năm trùng nhau, không cần kiểm định",
                        "no unit changed category: the two years' distributions are identical")
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    stat, df = stuart_maxwell_statistic(t)
    up, down, same = up_down(t)
    eff = net_improvement(up, down, same)
    kept = len(drop_empty_categories(t)[1])
    note = note_words("categories_dropped", "en", t.shape[0] - kept) if kept < t.shape[0] else ""
    return rows_to_frame([result_row(study, question, test, statistic=stat, df=df, p_value=stats.chi2.sf(stat, df),
                                     effect=eff.estimate, effect_name=eff.name, ci_low=eff.ci_low,
                                     ci_high=eff.ci_high, n=int(t.sum()), statistic_name="chi2",
                                     assumptions="same units both years; large-sample χ²", note=note, lead=lead)])


def bowker_statistic(table) -> tuple[float, int]:
    """(statistic, df) of Bowker's symmetry test; pairs (i, j) with n_ij + n_ji = 0 carry no information and are left out of df."""
    t, _ = drop_empty_categories(table)
    iu = np.triu_indices(t.shape[0], 1)
    upper, lower = t[iu].astype(float), t.T[iu].astype(float)
    used = (upper + lower) > 0
    if not used.any():
        return math.nan, 0
    stat = float((((upper - lower) ** 2)[used] / (upper + lower)[used]).sum())
    return stat, int(used.sum())


def bowker(table, study: str = "", question: str = "a", lead: Reason | None = None) -> pd.DataFrame:
    """Bowker's test of symmetry (as many units moved i → j as j → i, for every pair).

    No zero cell is shifted; off-diagonal pairs with no unit in either cell are left out
    and df counts the pairs used (R's ``mcnemar.test`` returns NaN for such tables).

    References
    ----------
    Bowker, A. H. (1948). A test for symmetry in contingency tables. *JASA*, 43(244),
    572–574. https://doi.org/10.1080/01621459.1948.10483284
    """
    test = "Bowker symmetry"
    t = _square(table)
    reason = _refuse_small(t)
    stat, df = bowker_statistic(t) if reason is None else (math.nan, 0)
    if reason is None and df == 0:
        reason = Reason("không đơn vị nào đổi mức: kiểm định đối xứng không xác định",
                        "no unit changed category: the symmetry test is undefined")
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    k = len(drop_empty_categories(t)[1])
    note = "" if df == k * (k - 1) // 2 else note_words("empty_pairs", "en", k * (k - 1) // 2 - df)
    return rows_to_frame([result_row(study, question, test, statistic=stat, df=df, p_value=stats.chi2.sf(stat, df),
                                     n=int(t.sum()), statistic_name="chi2", note=note,
                                     assumptions="same units both years; large-sample χ²", lead=lead)])


def cut_counts(table, cut: int) -> tuple[int, int]:
    """(crossed up, crossed down) across the cut: categories ≥ ``cut`` vs below (rows = before)."""
    t = _square(table)
    return int(t[:cut, cut:].sum()), int(t[cut:, :cut].sum())


def mcnemar_exact(table, cut: int, study: str = "", question: str = "a", lead: Reason | None = None,
                  cut_label: str = "") -> pd.DataFrame:
    """Exact McNemar test at a cut: units crossing upward vs downward, exact binomial with π = ½.

    The effect is the conditional odds ratio (up / down) with its exact interval.

    References
    ----------
    McNemar, Q. (1947). Note on the sampling error of the difference between correlated
    proportions or percentages. *Psychometrika*, 12(2), 153–157. https://doi.org/10.1007/BF02295996
    """
    t = _square(table)
    test = f"exact McNemar at cut {cut_label or cut}"
    if not 0 < cut < t.shape[0]:
        raise ValueError(f"'cut' must be between 1 and {t.shape[0] - 1} (got {cut!r}).")
    reason = _refuse_small(t)
    up, down = cut_counts(t, cut)
    if reason is None and up + down == 0:
        reason = Reason("không đơn vị nào vượt qua ngưỡng theo hướng nào: không có cặp bất đồng",
                        "no unit crossed the cut in either direction: no discordant pairs")
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    p = stats.binomtest(up, up + down, 0.5).pvalue
    eff = conditional_odds_ratio(up, down)
    return rows_to_frame([result_row(study, question, test, p_value=p, effect=eff.estimate, effect_name=eff.name,
                                     ci_low=eff.ci_low, ci_high=eff.ci_high, n=int(t.sum()), exact=True,
                                     assumptions="same units both years", note=note_words("up_down", "en", up, down), lead=lead)])


def sign_test(improved: int, worsened: int, unchanged: int = 0, study: str = "", question: str = "a",
              lead: Reason | None = None) -> pd.DataFrame:
    """Exact sign test: improved vs worsened units (unchanged ones ignored), binomial with π = ½.

    The effect is the net improvement (improved − worsened) / n over all n units with
    Newcombe's paired interval.

    References
    ----------
    Conover, W. J. (1999). *Practical Nonparametric Statistics* (3rd ed.), §3.4. Wiley.
    """
    test = "exact sign test"
    n = improved + worsened + unchanged
    if n <= 1:
        return rows_to_frame([refused_row(study, question, test, Reason(
            f"cỡ mẫu n = {n}: không đủ để kiểm định", f"sample size n = {n}: too small to test"), n=n, lead=lead)])
    if improved + worsened == 0:
        return rows_to_frame([refused_row(study, question, test, Reason(
            "không đơn vị nào đổi mức", "no unit changed category"), n=n, lead=lead)])
    p = stats.binomtest(improved, improved + worsened, 0.5).pvalue
    eff = net_improvement(improved, worsened, unchanged)
    return rows_to_frame([result_row(study, question, test, p_value=p, effect=eff.estimate, effect_name=eff.name,
                                     ci_low=eff.ci_low, ci_high=eff.ci_high, n=n, exact=True,
                                     note=f"{improved} improved, {worsened} worsened, {unchanged} unchanged",
                                     assumptions="same units both years; independent units", lead=lead)])


def sign_test_table(table, **kwargs) -> pd.DataFrame:
    """:func:`sign_test` on a paired table."""
    return sign_test(*up_down(table), **kwargs)


def _differences(table) -> np.ndarray:
    t = _square(table)
    k = t.shape[0]
    i, j = np.meshgrid(np.arange(k), np.arange(k), indexing="ij")
    return np.repeat((j - i).ravel(), t.ravel())


def wilcoxon_signed_rank(table, study: str = "", question: str = "a", lead: Reason | None = None) -> pd.DataFrame:
    """Wilcoxon signed-rank test on the change in category (after − before), zeros dropped.

    Ordinal changes are heavily tied, so the p-value is the normal approximation with
    tie-corrected variance and continuity correction (R's ``wilcox.test(..., exact = FALSE)``);
    for small n read :func:`permutation_signed_rank`.

    References
    ----------
    Wilcoxon, F. (1945). Individual comparisons by ranking methods. *Biometrics Bulletin*,
    1(6), 80–83. https://doi.org/10.2307/3001968
    """
    test = "Wilcoxon signed-rank (normal approximation, ties)"
    t = _square(table)
    d = _differences(t)
    d = d[d != 0]
    n = int(t.sum())
    if n <= 1 or len(d) == 0:
        why = Reason("không đơn vị nào đổi mức" if n > 1 else f"cỡ mẫu n = {n}: không đủ để kiểm định",
                     "no unit changed category" if n > 1 else f"sample size n = {n}: too small to test")
        return rows_to_frame([refused_row(study, question, test, why, n=n, lead=lead)])
    res = stats.wilcoxon(d, zero_method="wilcox", correction=True, method="approx")
    v_plus = float(stats.rankdata(np.abs(d))[d > 0].sum())  # R's V: sum of positive ranks
    up, down, same = up_down(t)
    eff = net_improvement(up, down, same)
    return rows_to_frame([result_row(study, question, test, statistic=v_plus, p_value=res.pvalue,
                                     effect=eff.estimate, effect_name=eff.name, ci_low=eff.ci_low,
                                     ci_high=eff.ci_high, n=n, statistic_name="V",
                                     assumptions="same units; category steps treated as interval for ranking",
                                     note=note_words("signed_rank_v", "en", len(d)),
                                     lead=lead)])


def signed_rank_exact_p(differences) -> tuple[float, float]:
    """Exact conditional p-value of the signed-rank statistic (mid-ranks, zeros dropped): (T+, p).

    The null distribution is that of the sum of mid-ranks with independent random signs,
    computed by convolution on doubled mid-ranks (integers), so it is exact with ties.

    References
    ----------
    Hollander, M., Wolfe, D. A., & Chicken, E. (2014). *Nonparametric Statistical Methods*
    (3rd ed.), §3.1 (conditional distribution with ties). Wiley.
    """
    d = np.asarray(differences, dtype=float)
    d = d[d != 0]
    if len(d) == 0:
        return math.nan, math.nan
    ranks2 = np.round(2 * stats.rankdata(np.abs(d))).astype(np.int64)
    total = int(ranks2.sum())
    dist = np.zeros(total + 1)
    dist[0] = 1.0
    for r in ranks2:
        shifted = np.zeros_like(dist)
        shifted[r:] = dist[:-r] if r > 0 else dist
        dist = 0.5 * dist + 0.5 * shifted
    t_plus2 = int(ranks2[d > 0].sum())
    centre = total / 2
    support = np.arange(total + 1)
    extreme = np.abs(support - centre) >= abs(t_plus2 - centre) - 1e-9
    return t_plus2 / 2, float(min(1.0, dist[extreme].sum()))


def permutation_signed_rank(table, study: str = "", question: str = "a", lead: Reason | None = None) -> pd.DataFrame:
    """Exact permutation (sign-flip) test of the signed-rank statistic; valid with ties, for small n."""
    test = "exact permutation signed-rank"
    t = _square(table)
    d = _differences(t)
    n = int(t.sum())
    if n <= 1 or not (d != 0).any():
        why = Reason("không đơn vị nào đổi mức" if n > 1 else f"cỡ mẫu n = {n}: không đủ để kiểm định",
                     "no unit changed category" if n > 1 else f"sample size n = {n}: too small to test")
        return rows_to_frame([refused_row(study, question, test, why, n=n, lead=lead)])
    t_plus, p = signed_rank_exact_p(d)
    up, down, same = up_down(t)
    eff = net_improvement(up, down, same)
    return rows_to_frame([result_row(study, question, test, statistic=t_plus, p_value=p, effect=eff.estimate,
                                     effect_name=eff.name, ci_low=eff.ci_low, ci_high=eff.ci_high, n=n,
                                     statistic_name="T", exact=True, note=note_words("signed_rank_t", "en"),
                                     assumptions="same units; changes symmetric about 0 under H0", lead=lead)])


#: The refusal of a units × years test when every unit has the same value every year.
_NO_CHANGE_BETWEEN_YEARS = Reason("không đơn vị nào thay đổi giữa các năm", "no unit changed between years")


def _units_by_years(matrix, min_years: int, study: str, question: str, test: str, lead: Reason | None):
    """A units × years matrix as floats, its shape (n, k), and a refused frame when n < 2 or k < ``min_years``."""
    x = np.asarray(matrix, dtype=float)
    n, k = x.shape if x.ndim == 2 else (0, 0)
    if n <= 1 or k < min_years:
        return x, n, k, rows_to_frame([refused_row(study, question, test, Reason(
            f"cần ít nhất 2 đơn vị và {min_years} năm (có {n} đơn vị, {k} năm)",
            f"needs at least 2 units and {min_years} years (got {n} units, {k} years)"), n=n, lead=lead)])
    return x, n, k, None


def cochran_q(binary, study: str = "", question: str = "a", lead: Reason | None = None,
              cut_label: str = "") -> pd.DataFrame:
    """Cochran's Q for a units × years 0/1 matrix (e.g. "good or better" each year).

    References
    ----------
    Cochran, W. G. (1950). The comparison of percentages in matched samples.
    *Biometrika*, 37(3/4), 256–266. https://doi.org/10.2307/2332378
    """
    test = f"Cochran's Q{' at ' + cut_label if cut_label else ''}"
    x, n, k, refusal = _units_by_years(binary, 2, study, question, test, lead)
    if refusal is not None:
        return refusal
    col, row = x.sum(axis=0), x.sum(axis=1)
    total = x.sum()
    denominator = k * total - (row ** 2).sum()
    if denominator == 0:
        return rows_to_frame([refused_row(study, question, test, _NO_CHANGE_BETWEEN_YEARS, n=n, lead=lead)])
    q = (k - 1) * (k * (col ** 2).sum() - total ** 2) / denominator
    return rows_to_frame([result_row(study, question, test, statistic=q, df=k - 1, p_value=stats.chi2.sf(q, k - 1),
                                     n=n, statistic_name="Q", assumptions="same units every year; large sample",
                                     lead=lead)])


def friedman(ordinal, study: str = "", question: str = "a", lead: Reason | None = None) -> pd.DataFrame:
    """Friedman test for a units × years matrix of ordinal codes (tie-corrected, as R's ``friedman.test``).

    References
    ----------
    Friedman, M. (1937). The use of ranks to avoid the assumption of normality implicit in the
    analysis of variance. *JASA*, 32(200), 675–701. https://doi.org/10.1080/01621459.1937.10503522
    """
    test = "Friedman"
    x, n, k, refusal = _units_by_years(ordinal, 3, study, question, test, lead)
    if refusal is not None:
        return refusal
    if (x == x[:, :1]).all():
        return rows_to_frame([refused_row(study, question, test, _NO_CHANGE_BETWEEN_YEARS, n=n, lead=lead)])
    res = stats.friedmanchisquare(*x.T)
    return rows_to_frame([result_row(study, question, test, statistic=res.statistic, df=k - 1, p_value=res.pvalue,
                                     n=n, statistic_name="chi2", assumptions="same units every year; large sample",
                                     lead=lead)])
