"""Question (b): pilots against the other units, or against a reference known only as percentages.

Two independent samples of ordered categories (pilots, the rest) form an r × c table.
Tests here:

- :func:`fisher_freeman_halton` — exact r × c test, deterministic (network algorithm);
  SciPy's ``fisher_exact`` on an r × c table is Monte Carlo by default and differs
  from run to run, so it is not used.
- :func:`chi_square` — Pearson χ² with expected-count warnings, Cramér's V.
- :func:`linear_by_linear` — the ordinal trend test (Cochran–Armitage for 2 × c).
- :func:`mann_whitney_counts`, :func:`brunner_munzel` — rank tests from category counts.
  Mann–Whitney and linear-by-linear on two groups use the exact conditional distribution
  given the margins (:mod:`helpers.inference.linear_rank`, full enumeration) and fall back
  to the asymptotic test only when the enumeration is too large; the row's test name and
  ``assumptions`` say which.

Every row comparing two groups carries a **directional** effect (positive when the first
group — the pilots, or the later year — is rated higher): Cliff's δ, or the difference in
proportions for two categories (:func:`helpers.inference.effects.directional_effect`);
Mann–Whitney reports P(superiority). Cramér's V (no direction) is left for tables of more
than two groups.

Pilots against a reference printed only as percentages (goodness of fit, the exact
multinomial, one share, the rest of a province recovered from its percentages) are in
:mod:`helpers.inference.reference`.

Every function returns a DataFrame with :data:`~helpers.inference.results.RESULT_COLUMNS`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from helpers.export.glossary_notes import note_words
from helpers.inference import _tables
from helpers.inference.effects import brunner_munzel_counts, cliffs_delta, cramers_v, directional_effect, dominance
from helpers.inference.linear_rank import MAX_TABLES, exact_linear_rank_p, midrank_scores
from helpers.inference.results import Reason, refused_row, result_row, rows_to_frame

#: Relative tolerance on "as or less probable than the observed table" (R's fisher.test uses 1 + 1e-7).
REL_ERR = 1e-7
#: Above this many network edges the exact test is not attempted.
MAX_EDGES = 3e7
MONTE_CARLO_B = 100_000
MONTE_CARLO_SEED = 20240501


def _as_table(table) -> np.ndarray:
    t = np.asarray(table)
    if t.ndim != 2 or (t < 0).any() or not np.all(np.equal(np.mod(t, 1), 0)):
        raise ValueError(f"'table' must be a 2-D table of non-negative integer counts (got {table!r}).")
    return t.astype(np.int64)


def _drop_empty(t: np.ndarray) -> np.ndarray:
    return t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]


def fisher_freeman_halton_p(table, max_edges: float = MAX_EDGES) -> tuple[float, str]:
    """Exact two-sided p-value of the Fisher–Freeman–Halton test and the method used.

    The p-value is the probability, given both margins, of every table as probable or
    less probable than the observed one (ties within a relative 1e-7, as R's
    ``fisher.test``). Computed with the network algorithm: tables are built column
    by column; a whole sub-network is added at once when even its most probable
    completion is at most the observed probability, and dropped when even its least
    probable completion is more probable; equal partial probabilities are merged.

    When the network would have more than ``max_edges`` edges the test falls back to
    a Monte Carlo p-value with a fixed seed (reproducible), and says so in the
    method string.

    Returns
    -------
    (p_value, method) : (float, str)
        method is ``'exact (network algorithm)'`` or ``'Monte Carlo (B = …, seed = …)'``.

    References
    ----------
    Freeman, G. H., & Halton, J. H. (1951). Note on an exact treatment of contingency,
    goodness of fit and other problems of significance. *Biometrika*, 38(1/2), 141–149.
    https://doi.org/10.2307/2332323
    Mehta, C. R., & Patel, N. R. (1983). A network algorithm for performing Fisher's exact
    test in r × c contingency tables. *JASA*, 78(382), 427–434. https://doi.org/10.2307/2288652

    Examples
    --------
    >>> round(fisher_freeman_halton_p([[1, 3, 3], [0, 1, 6]])[0], 7)   # R: fisher.test → 0.2657343
    0.2657343
    """
    t = _drop_empty(_as_table(table))
    if t.shape[0] < 2 or t.shape[1] < 2:
        return 1.0, "exact (one row or column: only one table)"
    if t.shape[0] > t.shape[1]:
        t = t.T
    t = t[:, np.argsort(t.sum(axis=0), kind="stable")]
    rows, cols = t.sum(axis=1), t.sum(axis=0)
    n = int(t.sum())
    lf = gammaln(np.arange(n + 1) + 1.0)
    K = lf[rows].sum() - lf[n]
    obs = K + lf[cols].sum() - lf[t].sum()
    threshold = obs + math.log1p(REL_ERR)
    if _tables.network_size_bound(rows, cols) > max_edges:
        return _ffh_monte_carlo(rows, cols, K, threshold, lf)
    net = _tables.build_network(rows, cols)
    c = len(cols)
    gains = [lf[cols[k]] - lf[net.edges[k][2]].sum(axis=1) for k in range(c)]
    longest = [None] * (c + 1)
    shortest = [None] * (c + 1)
    longest[c] = np.zeros(1)
    shortest[c] = np.zeros(1)
    for k in range(c - 1, -1, -1):
        parent, child, _ = net.edges[k]
        hi = np.full(len(net.states[k]), -np.inf)
        lo = np.full(len(net.states[k]), np.inf)
        np.maximum.at(hi, parent, gains[k] + longest[k + 1][child])
        np.minimum.at(lo, parent, gains[k] + shortest[k + 1][child])
        longest[k], shortest[k] = hi, lo
    limit = threshold - K
    st = np.zeros(1, dtype=np.int64)
    past = np.zeros(1)
    logw = np.zeros(1)
    p_value = 0.0
    for k in range(c):
        states = net.states[k]
        n_rem = states.sum(axis=1)
        total_future = lf[n_rem] - lf[states].sum(axis=1)
        done = past + longest[k][st] <= limit
        if done.any():
            p_value += float(np.exp(K + past[done] + logw[done] + total_future[st[done]]).sum())
        keep = ~done & (past + shortest[k][st] <= limit)
        st, past, logw = st[keep], past[keep], logw[keep]
        if len(st) == 0:
            break
        entry, edge = _tables.expand(net, k, st)
        child = net.edges[k][1][edge]
        past = past[entry] + gains[k][edge]
        logw = logw[entry]
        key = np.round(past * 1e9).astype(np.int64)
        order = np.lexsort((key, child))
        child, key, past, logw = child[order], key[order], past[order], logw[order]
        boundary = np.ones(len(child), dtype=bool)
        boundary[1:] = (child[1:] != child[:-1]) | (key[1:] != key[:-1])
        starts = np.flatnonzero(boundary)
        st = child[starts]
        past = past[starts]
        logw = np.logaddexp.reduceat(logw, starts)
    return min(1.0, p_value), "exact (network algorithm)"


def _ffh_monte_carlo(rows, cols, K, threshold, lf) -> tuple[float, str]:
    rng = np.random.default_rng(MONTE_CARLO_SEED)
    sample = stats.random_table(rows, cols).rvs(size=MONTE_CARLO_B, random_state=rng)
    logp = K + lf[cols].sum() - lf[sample].sum(axis=(1, 2))
    hits = int((logp <= threshold).sum())
    return (hits + 1) / (MONTE_CARLO_B + 1), note_words("monte_carlo", "en", MONTE_CARLO_B, MONTE_CARLO_SEED)


def _table_effect(t: np.ndarray, chi2: float):
    """Directional effect of row 1 against row 2 for two groups; Cramér's V for more groups."""
    if t.shape[0] == 2:
        return directional_effect(t[0], t[1])
    tt = _drop_empty(t)
    return cramers_v(chi2, int(t.sum()), tt.shape)


def _check_two_samples(table: np.ndarray, names=("pilots", "rest")) -> Reason | None:
    n = int(table.sum())
    if n <= 1:
        return Reason(f"cỡ mẫu n = {n}: không đủ để kiểm định", f"sample size n = {n}: too small to test")
    empty = [names[i] if i < len(names) else f"row {i + 1}" for i in range(table.shape[0]) if table[i].sum() == 0]
    if empty:
        return Reason(f"nhóm không có đơn vị nào: {', '.join(empty)}",
                      f"group with no units: {', '.join(empty)}")
    if (table.sum(axis=0) > 0).sum() < 2:
        return Reason("mọi đơn vị ở cùng một mức xếp loại: không có gì để so sánh",
                      "all units are in one rating category: nothing to compare")
    return None


def fisher_freeman_halton(table, study: str = "", question: str = "b", lead: Reason | None = None,
                          test: str = "Fisher–Freeman–Halton exact", effect=None,
                          assumptions: str = "") -> pd.DataFrame:
    """Exact Fisher–Freeman–Halton test of an r × c table (rows = groups, columns = ordered categories).

    Parameters
    ----------
    table : array-like of int, shape (r, c)
    study, question, lead : passed to :func:`~helpers.inference.results.result_row`.

    Returns
    -------
    DataFrame
        One row; effect: for two groups the directional effect of row 1 against row 2
        (:func:`helpers.inference.effects.directional_effect`), for more groups Cramér's V
        (no interval), unless ``effect`` is given. A row with a note instead when a group
        is empty, all units share one category or n ≤ 1.
    """
    t = _as_table(table)
    reason = _check_two_samples(t)
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    p, method = fisher_freeman_halton_p(t)
    tt = _drop_empty(t)
    chi2 = stats.chi2_contingency(tt, correction=False)[0] if min(tt.shape) > 1 else 0.0
    v = effect if effect is not None else _table_effect(t, chi2)
    return rows_to_frame([result_row(study, question, test, p_value=p, effect=v.estimate, effect_name=v.name,
                                     ci_low=v.ci_low, ci_high=v.ci_high, n=int(t.sum()),
                                     exact=method.startswith("exact"),
                                     assumptions=f"margins fixed; {method}{assumptions}", note="" if method.startswith("exact")
                                     else note_words("enumeration_too_large", "en", method), lead=lead)])


def chi_square(table, study: str = "", question: str = "b", lead: Reason | None = None) -> pd.DataFrame:
    """Pearson χ² test of independence with warnings on small expected counts.

    Rows/columns that are empty are dropped first (and said so). The note warns when any
    expected count is below 1 or more than 20 % are below 5 (Cochran 1954), in which case
    the exact test should be read instead.

    References
    ----------
    Cochran, W. G. (1954). Some methods for strengthening the common χ² tests.
    *Biometrics*, 10(4), 417–451. https://doi.org/10.2307/3001616
    """
    t = _as_table(table)
    test = "Pearson chi-square"
    reason = _check_two_samples(t)
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    tt = _drop_empty(t)
    chi2, p, df, expected = stats.chi2_contingency(tt, correction=False)
    notes = []
    if tt.shape != t.shape:
        notes.append(note_words("empty_dropped", "en"))
    small = float((expected < 5).mean())
    if expected.min() < 1 or small > 0.2:
        notes.append(note_words("expected_too_small", "en", f"{expected.min():.2f}", f"{small:.0%}"))
    v = _table_effect(t, chi2)
    return rows_to_frame([result_row(study, question, test, statistic=chi2, df=df, p_value=p, effect=v.estimate,
                                     effect_name=v.name, ci_low=v.ci_low, ci_high=v.ci_high, n=int(tt.sum()),
                                     statistic_name="chi2",
                                     assumptions="independent units; large expected counts",
                                     note="; ".join(notes), lead=lead)])


def linear_by_linear(table, row_scores=None, col_scores=None, study: str = "", question: str = "b",
                     lead: Reason | None = None, max_tables: int = MAX_TABLES) -> pd.DataFrame:
    """Linear-by-linear association (Mantel's M² = (N − 1)·r², df = 1); Cochran–Armitage for 2 × c.

    Scores default to 0, 1, 2, … (equally spaced categories). With two groups and integer
    column scores the p-value is exact: the conditional distribution of the statistic given
    both margins is enumerated (:func:`helpers.inference.linear_rank.exact_linear_rank_p`,
    as ``coin::lbl_test(..., distribution = "exact")``) unless that needs more than
    ``max_tables`` tables, when it is the χ²(1) approximation (the test name says which).
    The effect is, for two groups, the directional effect of row 1 against row 2
    (Cliff's δ); for more groups Pearson's r of the scores.

    References
    ----------
    Agresti, A. (2010). *Analysis of Ordinal Categorical Data* (2nd ed.), §2.3. Wiley.
    https://doi.org/10.1002/9780470594001
    """
    t = _as_table(table)
    test = "linear-by-linear (Cochran–Armitage)"
    reason = _check_two_samples(t)
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    u = np.arange(t.shape[0], dtype=float) if row_scores is None else np.asarray(row_scores, float)
    v = np.arange(t.shape[1], dtype=float) if col_scores is None else np.asarray(col_scores, float)
    n = t.sum()
    pr, pc = t.sum(axis=1) / n, t.sum(axis=0) / n
    mu_u, mu_v = (u * pr).sum(), (v * pc).sum()
    cov = ((np.outer(u - mu_u, v - mu_v)) * t).sum() / n
    var_u, var_v = (((u - mu_u) ** 2) * pr).sum(), (((v - mu_v) ** 2) * pc).sum()
    r = cov / math.sqrt(var_u * var_v)
    m2 = (n - 1) * r * r
    p = stats.chi2.sf(m2, 1)
    exact = None
    if t.shape[0] == 2 and np.all(np.mod(v, 1) == 0):
        exact = exact_linear_rank_p(t[0], t[1], v.astype(np.int64), max_tables)
    if exact is not None:
        p, test = exact.p_value, "linear-by-linear (Cochran–Armitage, exact conditional)"
        assumptions = f"equally spaced scores unless given; {exact.method}"
    else:
        assumptions = "equally spaced scores unless given; χ²(1) approximation" + (
            f" (exact enumeration too large: more than {max_tables} allocations)" if t.shape[0] == 2 else "")
    effect = directional_effect(t[0], t[1]) if t.shape[0] == 2 else None
    return rows_to_frame([result_row(study, question, test, statistic=m2, df=1, p_value=p,
                                     effect=r if effect is None else effect.estimate,
                                     effect_name="pearson_r_scores" if effect is None else effect.name,
                                     ci_low=math.nan if effect is None else effect.ci_low,
                                     ci_high=math.nan if effect is None else effect.ci_high,
                                     n=int(n), statistic_name="M2", exact=exact is not None,
                                     assumptions=assumptions, lead=lead)])


def mann_whitney_counts(counts_x, counts_y, study: str = "", question: str = "b",
                        lead: Reason | None = None, max_tables: int = MAX_TABLES) -> pd.DataFrame:
    """Mann–Whitney (Wilcoxon rank-sum) test from ordered category counts.

    Category data always have ties. The p-value is the exact conditional one, given the
    margins, with mid-rank scores (:func:`helpers.inference.linear_rank.exact_linear_rank_p`;
    R: ``coin::wilcox_test(..., distribution = "exact")``) — SciPy's ``method='exact'``
    ignores ties and is not used. Only when the enumeration would need more than
    ``max_tables`` tables is it the normal approximation with tie-corrected variance and
    continuity correction (R: ``wilcox.test(exact = FALSE, correct = TRUE)``); the test name
    says which. The effect is P(superiority) = P(X > Y) + ½P(X = Y) with the Brunner–Munzel
    interval.

    References
    ----------
    Mann, H. B., & Whitney, D. R. (1947). On a test of whether one of two random variables
    is stochastically larger than the other. *Ann. Math. Statist.*, 18(1), 50–60.
    https://doi.org/10.1214/aoms/1177730491
    """
    test = "Mann–Whitney (normal approximation, ties)"
    x_counts, y_counts = np.asarray(counts_x, int), np.asarray(counts_y, int)
    t = np.vstack([x_counts, y_counts])
    reason = _check_two_samples(t)
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    x = np.repeat(np.arange(len(x_counts)), x_counts)
    y = np.repeat(np.arange(len(y_counts)), y_counts)
    res = stats.mannwhitneyu(x, y, use_continuity=True, alternative="two-sided", method="asymptotic")
    exact = exact_linear_rank_p(x_counts, y_counts, midrank_scores(x_counts + y_counts), max_tables)
    if exact is not None:
        p, test = exact.p_value, "Mann–Whitney (exact conditional, ties)"
        assumptions = f"independent units; mid-ranks for ties; {exact.method}"
    else:
        p = res.pvalue
        assumptions = ("independent units; ties → normal approximation (exact enumeration too large: more than "
                       f"{max_tables} allocations)")
    greater, equal, _ = dominance(x_counts, y_counts)
    bm = brunner_munzel_counts(x_counts, y_counts)
    return rows_to_frame([result_row(study, question, test, statistic=res.statistic, p_value=p,
                                     effect=greater + equal / 2, effect_name="p_superiority",
                                     ci_low=bm["ci_low"], ci_high=bm["ci_high"], n=int(t.sum()),
                                     statistic_name="U", exact=exact is not None, assumptions=assumptions,
                                     lead=lead)])


def brunner_munzel(counts_x, counts_y, study: str = "", question: str = "b", lead: Reason | None = None) -> pd.DataFrame:
    """Brunner–Munzel test from ordered category counts (unequal spreads allowed); effect Cliff's δ.

    See :func:`helpers.inference.effects.brunner_munzel_counts` for the formulas; t > 0
    when the first sample tends higher.
    """
    test = "Brunner–Munzel"
    t = np.vstack([np.asarray(counts_x, int), np.asarray(counts_y, int)])
    reason = _check_two_samples(t)
    if reason:
        return rows_to_frame([refused_row(study, question, test, reason, n=int(t.sum()), lead=lead)])
    bm = brunner_munzel_counts(counts_x, counts_y)
    if math.isnan(bm["p_value"]):
        return rows_to_frame([refused_row(study, question, test, Reason(
            "phương sai hạng bằng 0 (mỗi nhóm dồn vào một mức) — kiểm định Brunner–Munzel không xác định",
            f"Brunner–Munzel undefined: {bm['reason']}"), n=int(t.sum()), lead=lead)])
    delta = cliffs_delta(counts_x, counts_y)
    return rows_to_frame([result_row(study, question, test, statistic=bm["statistic"], df=bm["df"],
                                     p_value=bm["p_value"], effect=delta.estimate, effect_name=delta.name,
                                     ci_low=delta.ci_low, ci_high=delta.ci_high, n=int(t.sum()), statistic_name="t",
                                     assumptions="independent units; t approximation (Brunner & Munzel 2000)",
                                     lead=lead)])


def two_sample_battery(counts_x, counts_y, study: str = "", question: str = "b",
                       lead: Reason | None = None) -> pd.DataFrame:
    """The two-sample tests of question (b) on one pair of count vectors: FFH exact, χ², trend, Brunner–Munzel, Mann–Whitney."""
    t = np.vstack([np.asarray(counts_x, int), np.asarray(counts_y, int)])
    parts = [fisher_freeman_halton(t, study, question, lead), chi_square(t, study, question, lead),
             linear_by_linear(t, study=study, question=question, lead=lead),
             brunner_munzel(counts_x, counts_y, study, question, lead),
             mann_whitney_counts(counts_x, counts_y, study, question, lead)]
    return pd.concat(parts, ignore_index=True)
