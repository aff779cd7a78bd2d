"""Question (b) against a reference printed only as percentages (the province, the whole party).

- :func:`check_reference` — do the printed percentages add up to 100 within their rounding?
- :func:`goodness_of_fit`, :func:`exact_multinomial`, :func:`binomial_share` — pilots against
  printed percentages.
- :func:`pilots_vs_rest_of_province` — remove the pilots from a province whose size was
  recovered from its percentages, test two samples, one row per candidate base.

Every function returns a DataFrame with :data:`~helpers.inference.results.RESULT_COLUMNS`.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln

from helpers.export.glossary_notes import note_words
from helpers.inference import _tables
from helpers.inference.contingency import REL_ERR, fisher_freeman_halton
from helpers.inference.effects import Effect, cliffs_delta, proportion
from helpers.inference.results import Reason, refused_row, result_row, rows_to_frame


def check_reference(percents, decimals: int | Sequence[int] | None = None) -> Reason | None:
    """None when ``percents`` sum to 100 within their rounding, else the reason.

    The allowed gap is half a unit of the last printed decimal per category
    (k · 0.5 · 10^−d); ``decimals`` defaults to 2.
    """
    values = [Fraction(str(p)) if not isinstance(p, Fraction) else p for p in percents]
    if any(v < 0 for v in values):
        return Reason("tỉ lệ tham chiếu âm", "a reference percentage is negative")
    if decimals is None:
        decimals = [2] * len(values)
    elif isinstance(decimals, int):
        decimals = [decimals] * len(values)
    slack = sum(Fraction(1, 2) * Fraction(1, 10 ** d) for d in decimals)
    total = sum(values)
    if abs(total - 100) > slack:
        shown = float(total)
        return Reason(f"các tỉ lệ tham chiếu cộng lại {shown:g}% thay vì 100% (sai số làm tròn cho phép ±{float(slack):g})",
                      f"reference percentages sum to {shown:g}% instead of 100% (rounding allows ±{float(slack):g})")
    return None


def goodness_of_fit(counts, percents, decimals=None, study: str = "", question: str = "b",
                    lead: Reason | None = None) -> pd.DataFrame:
    """χ² goodness of fit of ``counts`` to reference ``percents`` (0–100 scale).

    Refused (row with a note) when the percentages do not sum to 100 within rounding,
    when n ≤ 1, or when a reference share is 0 but units were observed there.
    """
    test = "chi-square goodness of fit"
    x, n, refused = _against_reference(counts, percents, decimals, study, question, test, lead)
    if refused is not None:
        return refused
    p_ref = np.array([float(p) for p in percents]) / float(sum(Fraction(str(p)) for p in percents))
    expected = n * p_ref
    if ((expected == 0) & (x > 0)).any():
        return rows_to_frame([refused_row(study, question, test, Reason(
            "có đơn vị ở mức mà tỉ lệ tham chiếu bằng 0", "units observed in a category whose reference share is 0"),
            n=n, lead=lead)])
    keep = expected > 0
    chi2 = float((((x - expected) ** 2)[keep] / expected[keep]).sum())
    df = int(keep.sum()) - 1
    p = stats.chi2.sf(chi2, df)
    note = ""
    if (expected[keep] < 5).mean() > 0.2 or expected[keep].min() < 1:
        note = note_words("expected_small", "en", f"{expected[keep].min():.2f}")
    return rows_to_frame([result_row(study, question, test, statistic=chi2, df=df, p_value=p, n=n,
                                     statistic_name="chi2", note=note,
                                     assumptions="reference shares known without error", lead=lead)])


def exact_multinomial_p(counts, probabilities, max_tables: int = 5_000_000) -> float:
    """Exact multinomial goodness-of-fit p-value: total probability of outcomes no more probable than observed.

    Returns NaN when there are more than ``max_tables`` outcomes.

    References
    ----------
    Read, T. R. C., & Cressie, N. A. C. (1988). *Goodness-of-Fit Statistics for Discrete
    Multivariate Data*, §2.1. Springer. https://doi.org/10.1007/978-1-4612-4578-0
    """
    x = np.asarray(counts, dtype=np.int64)
    prob = np.asarray(probabilities, dtype=float)
    prob = prob / prob.sum()
    n, k = int(x.sum()), len(x)
    if _tables.n_compositions(n, k) > max_tables:
        return math.nan
    outcomes = _tables.compositions(n, k, np.full(k, n))
    with np.errstate(divide="ignore"):
        logprob = np.log(prob)
    lf = gammaln(np.arange(n + 1) + 1.0)

    def logpmf(y):
        terms = np.where(y > 0, y * logprob, 0.0)
        return lf[n] - lf[y].sum(axis=-1) + terms.sum(axis=-1)

    all_lp = logpmf(outcomes)
    obs = logpmf(x)
    return float(min(1.0, np.exp(all_lp[all_lp <= obs + math.log1p(REL_ERR)]).sum()))


def _against_reference(counts, percents, decimals, study, question, test, lead):
    """Counts as an array, their total, and a refused row when the reference or n cannot be tested."""
    x = np.asarray(counts, dtype=np.int64)
    n = int(x.sum())
    reason = check_reference(percents, decimals)
    if reason is None and n <= 1:
        reason = Reason(f"cỡ mẫu n = {n}: không đủ để kiểm định", f"sample size n = {n}: too small to test")
    refused = rows_to_frame([refused_row(study, question, test, reason, n=n, lead=lead)]) if reason else None
    return x, n, refused


def exact_multinomial(counts, percents, decimals=None, study: str = "", question: str = "b",
                      lead: Reason | None = None) -> pd.DataFrame:
    """Exact multinomial test of ``counts`` against reference ``percents`` (row; refused like :func:`goodness_of_fit`)."""
    test = "exact multinomial goodness of fit"
    x, n, refused = _against_reference(counts, percents, decimals, study, question, test, lead)
    if refused is not None:
        return refused
    p = exact_multinomial_p(x, [float(v) for v in percents])
    if math.isnan(p):
        return rows_to_frame([refused_row(study, question, test, Reason(
            "quá nhiều kết cục để liệt kê chính xác; xem kiểm định χ²", "too many outcomes to enumerate; read the χ² test"),
            n=n, lead=lead)])
    return rows_to_frame([result_row(study, question, test, p_value=p, n=n, exact=True,
                                     assumptions="reference shares known without error", lead=lead)])


def binomial_share(x: int, n: int, percent, study: str = "", question: str = "b",
                   lead: Reason | None = None) -> pd.DataFrame:
    """Exact binomial test of one share ``x / n`` against a reference ``percent``.

    The effect is signed: the share minus the reference share, ``x/n − π`` (negative when the
    pilots do worse than the reference), with the Wilson interval of ``x/n`` shifted by π (the
    reference is taken as known without error).

    References
    ----------
    Wilson, E. B. (1927). Probable inference, the law of succession, and statistical
    inference. *JASA*, 22(158), 209–212. https://doi.org/10.1080/01621459.1927.10502953
    """
    test = "exact binomial (one share)"
    if n <= 1:
        return rows_to_frame([refused_row(study, question, test, Reason(
            f"cỡ mẫu n = {n}: không đủ để kiểm định", f"sample size n = {n}: too small to test"), n=n, lead=lead)])
    pi = float(Fraction(str(percent))) / 100
    if not 0 < pi < 1:
        return rows_to_frame([refused_row(study, question, test, Reason(
            f"tỉ lệ tham chiếu {percent}% phải nằm giữa 0 và 100", f"reference percentage {percent}% must be between 0 and 100"),
            n=n, lead=lead)])
    p = stats.binomtest(int(x), int(n), pi).pvalue
    share = proportion(int(x), int(n))
    return rows_to_frame([result_row(study, question, test, p_value=p, effect=share.estimate - pi,
                                     effect_name="difference_in_proportions", ci_low=share.ci_low - pi,
                                     ci_high=share.ci_high - pi, n=n, exact=True,
                                     assumptions=f"reference share {percent}% known without error; effect = share "
                                                 f"{x}/{n} minus the reference share", lead=lead)])


#: Columns of the sensitivity table of :func:`pilots_vs_rest_of_province`.
SENSITIVITY_COLUMNS = ["base", "province_counts", "rest_counts", "p_value", "cliffs_delta", "note"]


def pilots_vs_rest_of_province(pilot_counts, bases, study: str = "", question: str = "b", n_bases: int = 4,
                               lead: Reason | None = None,
                               unordered: Reason | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Pilots against the rest of the province, for each candidate province size.

    Parameters
    ----------
    pilot_counts : sequence of int
        Pilot counts in the same categories as the province counts, **in rating order** (a
        category pooling the unprinted levels, e.g. yếu kém, stands where those levels are in
        the order): Cliff's δ depends on the order.
    bases : sequence of BaseCandidate-like
        Objects with ``base`` (int) and ``counts`` (tuple of int, one per category, same
        order and length as ``pilot_counts``), smallest base first — from
        ``helpers.published.recover_bases`` with the remainder appended.
    n_bases : int
        How many candidates to test (the first is the primary result).
    unordered : Reason, optional
        Why the categories have no rating order (a pooled category that straddles a printed
        level); Cliff's δ is then NaN and the note gives the reason.

    Returns
    -------
    (results, sensitivity) : (DataFrame, DataFrame)
        ``results`` has one FFH row per base (the first is the primary one);
        ``sensitivity`` has :data:`SENSITIVITY_COLUMNS`.
    """
    pilots = np.asarray(pilot_counts, dtype=np.int64)
    rows, sens = [], []
    for candidate in list(bases)[:n_bases]:
        province = np.asarray(candidate.counts, dtype=np.int64)
        test = f"Fisher–Freeman–Halton exact, pilots vs rest of province (N = {candidate.base})"
        if province.shape != pilots.shape:
            reason = Reason(f"số mức của tỉnh ({len(province)}) khác số mức của nhóm điểm ({len(pilots)})",
                            f"province has {len(province)} categories, pilots {len(pilots)}")
            frame = rows_to_frame([refused_row(study, question, test, reason, lead=lead)])
            rest = None
        else:
            rest = province - pilots
            if (rest < 0).any():
                reason = Reason(f"với N = {candidate.base}, tỉnh có ít đơn vị hơn nhóm điểm ở một mức: N này không thể đúng",
                                f"with N = {candidate.base} the province has fewer units than the pilots in a "
                                "category: this base is impossible")
                frame = rows_to_frame([refused_row(study, question, test, reason, lead=lead)])
            else:
                delta = cliffs_delta(pilots, rest) if unordered is None else Effect(
                    math.nan, math.nan, math.nan, "cliffs_delta")
                frame = fisher_freeman_halton(
                    np.vstack([pilots, rest]), study, question, lead, test=test, effect=delta,
                    assumptions="; province N recovered from printed percentages (not printed)")
                if unordered is not None:
                    frame["note"] = [f"{n}; {unordered.en}" if n else unordered.en for n in frame["note"]]
        rows.append(frame)
        sens.append({"base": candidate.base, "province_counts": tuple(int(v) for v in province),
                     "rest_counts": None if rest is None else tuple(int(v) for v in rest),
                     "p_value": float(frame["p_value"].iloc[0]), "cliffs_delta": float(frame["effect"].iloc[0]),
                     "note": frame["note"].iloc[0]})
    results = pd.concat(rows, ignore_index=True) if rows else rows_to_frame([])
    return results, pd.DataFrame(sens, columns=SENSITIVITY_COLUMNS)
