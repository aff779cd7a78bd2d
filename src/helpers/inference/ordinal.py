"""Questions (c) and (d) with unit-level panel data: did pilots improve more, beyond regression to the mean?

- :func:`po_interaction` — proportional-odds (logit) model of the rating on group, period and
  group × period, with unit-clustered standard errors (c).
- :func:`randomisation_pilot` — exact randomisation test of the pilot label on the change
  in rating (c), exact by convolution whatever the number of units.
- :func:`cmh_baseline` — Cochran–Mantel–Haenszel test of "improved" between pilots and
  non-pilots with the same baseline rating (d).
- :func:`po_baseline` — proportional-odds model of the end rating on pilot with the baseline
  rating as a covariate (d).
- :func:`rtm_statement` — says plainly whether the data can separate a pilot effect from
  regression to the mean (d).

Library pitfalls handled in :mod:`helpers.inference.ordered_logit`: statsmodels' ``OrderedModel``
defaults to a **probit** link (``distr="logit"`` is always passed), silently ignores
``freq_weights`` (counts are expanded to one row per unit with :func:`expand_counts`), and
stops at a finite "estimate" under separation or non-convergence (both are detected: the
row then says why, and the baseline model is replaced by the exact conditional test).

The panel is a DataFrame with at least ``unit_id``, ``year``, ``rating_order`` (0..3),
``pilot`` (bool); ``level`` is used when present.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats
from scipy.special import gammaln
from statsmodels.stats.contingency_tables import StratifiedTable

from helpers.export.glossary_notes import note_words
from helpers.inference.exact_conditional import exact_common_odds_ratio
from helpers.inference.ordered_logit import ModelFitError, expand_counts, fit_ordered_logit, separation
from helpers.inference.results import Reason, refused_row, result_row, rows_to_frame
from helpers.numbers import format_count, format_number

RANDOMISATION_MAX_CELLS = 2e8
MONTE_CARLO_B = 20_000
MONTE_CARLO_SEED = 20240502

__all__ = ["ModelFitError", "expand_counts", "fit_ordered_logit", "po_interaction", "randomisation_p",
           "randomisation_pilot", "cmh_baseline", "po_baseline", "exact_conditional_baseline", "rtm_statement"]


def _not_fitted(exc: Exception) -> Reason:
    return Reason(f"mô hình không đạt được cực đại tin cậy được ({exc}): không in ước lượng",
                  f"the model did not reach a trustworthy optimum ({exc}): no estimate is printed")


def _two_years(panel: pd.DataFrame, year_a: int, year_b: int, level: str = "organisation"):
    """Wide table unit_id, pilot, before, after of units rated in both years, or a Reason."""
    need = {"unit_id", "year", "rating_order", "pilot"}
    missing = need - set(panel.columns)
    if missing:
        raise ValueError(f"the panel lacks column(s) {', '.join(sorted(missing))}.")
    p = panel
    if "level" in p.columns and level is not None:
        p = p[p["level"] == level]
    p = p[p["rating_order"].notna()]
    years = set(p["year"].astype(int))
    absent = [y for y in (year_a, year_b) if y not in years]
    if absent:
        return Reason(f"bảng dữ liệu không có năm {', '.join(map(str, absent))}",
                      f"the panel has no ratings for year(s) {', '.join(map(str, absent))}")
    for y in (year_a, year_b):
        groups = set(p.loc[p["year"] == y, "pilot"].astype(bool))
        if groups != {True, False}:
            who = ("nhóm làm điểm", "the pilot group") if True not in groups else ("nhóm không làm điểm", "non-pilots")
            return Reason(f"{who[0]} không có đơn vị nào được xếp loại năm {y}",
                          f"{who[1]} has no rated unit in {y}")
    a = p[p["year"] == year_a].drop_duplicates("unit_id").set_index("unit_id")
    b = p[p["year"] == year_b].drop_duplicates("unit_id").set_index("unit_id")
    both = a.index.intersection(b.index)
    wide = pd.DataFrame({"pilot": a.loc[both, "pilot"].astype(bool),
                         "before": a.loc[both, "rating_order"].astype(int),
                         "after": b.loc[both, "rating_order"].astype(int)})
    if wide["pilot"].nunique() < 2:
        return Reason("không có đơn vị của cả hai nhóm được xếp loại trong cả hai năm",
                      "no units of both groups are rated in both years")
    return wide.reset_index()


def po_interaction(panel: pd.DataFrame, year_a: int, year_b: int, study: str = "", level: str = "organisation",
                   lead: Reason | None = None) -> pd.DataFrame:
    """Proportional-odds logit: rating ~ pilot + period + pilot × period, errors clustered by unit.

    The interaction's log odds ratio is the extra improvement of pilots (effect, with a
    Wald 95 % interval from the clustered SE). Uses every unit rated in either year.
    """
    test = "proportional-odds logit, pilot × period (unit-clustered SE)"
    wide = _two_years(panel, year_a, year_b, level)
    if isinstance(wide, Reason):
        return rows_to_frame([refused_row(study, "c", test, wide, lead=lead)])
    p = panel if "level" not in panel.columns else panel[panel["level"] == level]
    p = p[p["year"].isin([year_a, year_b]) & p["rating_order"].notna()]
    if p["rating_order"].nunique() < 2:
        return rows_to_frame([refused_row(study, "c", test, Reason(
            "mọi đơn vị ở cùng một mức: mô hình không xác định", "all units in one category: the model is undefined"),
            n=len(p), lead=lead)])
    exog = pd.DataFrame({"pilot": p["pilot"].astype(float).to_numpy(),
                         "period": (p["year"] == year_b).astype(float).to_numpy()})
    exog["pilot_x_period"] = exog["pilot"] * exog["period"]
    side = separation(p["rating_order"].to_numpy(), exog, "pilot_x_period")
    if side:
        return rows_to_frame([refused_row(study, "c", test, _separated("pilot_x_period", side), n=len(p),
                                          lead=lead)])
    try:
        res = fit_ordered_logit(p["rating_order"].to_numpy(), exog, groups=p["unit_id"].to_numpy())
    except (np.linalg.LinAlgError, ValueError) as exc:
        return rows_to_frame([refused_row(study, "c", test, _not_fitted(exc), n=len(p), lead=lead)])
    beta, se = float(res.params["pilot_x_period"]), float(res.bse["pilot_x_period"])
    z = beta / se
    note = ""
    units = p["unit_id"].nunique()
    return rows_to_frame([result_row(study, "c", test, statistic=z, p_value=2 * stats.norm.sf(abs(z)), effect=beta,
                                     effect_name="log_or_interaction", ci_low=beta - 1.959963984540054 * se,
                                     ci_high=beta + 1.959963984540054 * se, n=units, statistic_name="z",
                                     assumptions=f"proportional odds; logit link; {units} clusters; "
                                                 f"{len(p)} unit-years",
                                     note=note, lead=lead)])


def _separated(column: str, side: int) -> Reason:
    """Why an ordinal model's coefficient is not printed: its estimate is infinite."""
    direction = ("+∞", "higher") if side > 0 else ("−∞", "lower")
    if column == "pilot":
        key = f"separation_pilot_{direction[1]}"
        return Reason(note_words(key, "vi", direction[0]), note_words(key, "en", direction[0]))
    return Reason(note_words("separation_interaction", "vi", direction[0]),
                  note_words("separation_interaction", "en", direction[0]))


def randomisation_p(changes, is_pilot) -> tuple[float, float, str]:
    """(mean difference pilots − others, two-sided p, method) of the randomisation test of the pilot label.

    Exact: the null distribution of the pilots' total change is a convolution over the
    distinct change values (how many pilots take each value), so no enumeration of
    relabellings is needed. Falls back to Monte Carlo (fixed seed) only when that
    convolution is too large.

    References
    ----------
    Fisher, R. A. (1935). *The Design of Experiments*, §21. Oliver & Boyd.
    Ernst, M. D. (2004). Permutation methods: a basis for exact inference. *Statistical
    Science*, 19(4), 676–685. https://doi.org/10.1214/088342304000000396
    """
    v = np.asarray(changes, dtype=np.int64)
    g = np.asarray(is_pilot, dtype=bool)
    n, n1 = len(v), int(g.sum())
    diff = float(v[g].mean() - v[~g].mean())
    small = g if n1 <= n - n1 else ~g
    k = int(small.sum())
    values, counts = np.unique(v, return_counts=True)
    shift = values - values.min()
    s_max = int(k * shift.max())
    if (k + 1) ** 2 * (s_max + 1) * len(values) <= RANDOMISATION_MAX_CELLS:
        dp = np.zeros((k + 1, s_max + 1))
        dp[0, 0] = 1.0
        lf = gammaln(np.arange(n + 1) + 1.0)
        for w, m in zip(shift, counts):
            new = np.zeros_like(dp)
            for c in range(0, min(m, k) + 1):
                weight = math.exp(lf[m] - lf[c] - lf[m - c])
                if c * w > s_max:
                    break
                new[c:, c * w:] += weight * dp[: k + 1 - c, : s_max + 1 - c * w]
            dp = new
        dist = dp[k] / math.exp(lf[n] - lf[k] - lf[n - k])
        s_obs = int(shift[np.searchsorted(values, v[small])].sum())
        centre = k * (shift * counts).sum() / n
        support = np.arange(s_max + 1)
        extreme = np.abs(support - centre) >= abs(s_obs - centre) - 1e-9
        return diff, float(min(1.0, dist[extreme].sum())), "exact (convolution over change values)"
    rng = np.random.default_rng(MONTE_CARLO_SEED)
    obs = abs(v[small].sum() - k * v.mean())
    hits = 0
    for _ in range(MONTE_CARLO_B):
        pick = rng.choice(n, size=k, replace=False)
        hits += abs(v[pick].sum() - k * v.mean()) >= obs - 1e-9
    return diff, (hits + 1) / (MONTE_CARLO_B + 1), f"Monte Carlo (B = {MONTE_CARLO_B}, seed = {MONTE_CARLO_SEED})"


def randomisation_pilot(panel: pd.DataFrame, year_a: int, year_b: int, study: str = "", level: str = "organisation",
                        lead: Reason | None = None) -> pd.DataFrame:
    """Randomisation test of the pilot label on the change in rating (year B − year A), units rated both years.

    Effect: difference in mean change (pilots − others), in rating steps; no interval.
    """
    test = "randomisation test of the pilot label (change in rating)"
    wide = _two_years(panel, year_a, year_b, level)
    if isinstance(wide, Reason):
        return rows_to_frame([refused_row(study, "c", test, wide, lead=lead)])
    change = (wide["after"] - wide["before"]).to_numpy()
    if len(wide) <= 2:
        return rows_to_frame([refused_row(study, "c", test, Reason(
            f"chỉ {len(wide)} đơn vị có xếp loại cả hai năm", f"only {len(wide)} units rated in both years"),
            n=len(wide), lead=lead)])
    if np.all(change == change[0]):
        return rows_to_frame([refused_row(study, "c", test, Reason(
            "mọi đơn vị thay đổi như nhau: không có gì để so sánh", "every unit changed by the same amount"),
            n=len(wide), lead=lead)])
    diff, p, method = randomisation_p(change, wide["pilot"].to_numpy())
    return rows_to_frame([result_row(study, "c", test, p_value=p, effect=diff, effect_name="mean_difference",
                                     n=len(wide), exact=method.startswith("exact"),
                                     assumptions=f"pilot label exchangeable under H0; {method}",
                                     note=note_words("pilots_others", "en", int(wide['pilot'].sum()), int((~wide['pilot']).sum())),
                                     lead=lead)])


def _strata(wide: pd.DataFrame):
    tables, kept, dropped = [], [], []
    for base, g in wide.groupby("before"):
        improved = g["after"] > g["before"]
        t = np.array([[int((g["pilot"] & improved).sum()), int((g["pilot"] & ~improved).sum())],
                      [int((~g["pilot"] & improved).sum()), int((~g["pilot"] & ~improved).sum())]])
        if t[0].sum() == 0 or t[1].sum() == 0 or t.sum() < 2:
            dropped.append(int(base))
        else:
            tables.append(t)
            kept.append(int(base))
    return tables, kept, dropped


def cmh_baseline(panel: pd.DataFrame, year_a: int, year_b: int, study: str = "", level: str = "organisation",
                 lead: Reason | None = None) -> pd.DataFrame:
    """Cochran–Mantel–Haenszel test of "improved" (pilot vs not), stratified by the baseline rating.

    Strata lacking pilots or non-pilots carry no comparison and are dropped (the note
    names them). No zero cell is shifted (``StratifiedTable(..., shift_zeros=False)``).
    Effect: Mantel–Haenszel common odds ratio with the Robins–Breslow–Greenland interval.
    The statistic has the continuity correction, as R's ``mantelhaen.test`` default.

    References
    ----------
    Mantel, N., & Haenszel, W. (1959). Statistical aspects of the analysis of data from
    retrospective studies of disease. *JNCI*, 22(4), 719–748. https://doi.org/10.1093/jnci/22.4.719
    """
    test = "Cochran–Mantel–Haenszel (improved, stratified by baseline rating)"
    wide = _two_years(panel, year_a, year_b, level)
    if isinstance(wide, Reason):
        return rows_to_frame([refused_row(study, "d", test, wide, lead=lead)])
    tables, kept, dropped = _strata(wide)
    if not tables:
        return rows_to_frame([refused_row(study, "d", test, Reason(
            "không có mức xuất phát nào có cả đơn vị làm điểm và không làm điểm: dữ liệu không tách được "
            "hồi quy về trung bình", "no baseline rating holds both pilots and non-pilots: the data cannot "
            "separate regression to the mean"), n=len(wide), lead=lead)])
    st = StratifiedTable([t.astype(float) for t in tables], shift_zeros=False)
    informative = [t for t in tables if t[:, 0].sum() > 0 and t[:, 1].sum() > 0]
    if not informative:
        return rows_to_frame([refused_row(study, "d", test, Reason(
            "trong mọi mức xuất phát, hoặc tất cả hoặc không đơn vị nào tiến bộ", "within every baseline "
            "stratum either all or no units improved"), n=len(wide), lead=lead)])
    res = st.test_null_odds(correction=True)
    or_, (low, high) = st.oddsratio_pooled, st.oddsratio_pooled_confint()
    note = note_words("strata_used", "en", kept)
    if dropped:
        note += "; " + note_words("strata_dropped", "en", dropped)
    return rows_to_frame([result_row(study, "d", test, statistic=res.statistic, df=1, p_value=res.pvalue, effect=or_,
                                     effect_name="common_or", ci_low=low, ci_high=high,
                                     n=int(sum(t.sum() for t in tables)), statistic_name="chi2",
                                     assumptions="common odds ratio across baseline strata; continuity correction",
                                     note=note, lead=lead)])


def po_baseline(panel: pd.DataFrame, year_a: int, year_b: int, study: str = "", level: str = "organisation",
                lead: Reason | None = None) -> pd.DataFrame:
    """Proportional-odds logit of the year-B rating on pilot, with the baseline rating as categorical covariate.

    Effect: the pilot log odds ratio with its Wald 95 % interval (one row per unit, model SE).
    When the pilot estimate is infinite (separation, decided exactly by
    :func:`helpers.inference.ordered_logit.separation` before fitting) or the fit reaches no
    trustworthy optimum, the row is instead the exact conditional logistic test of
    :func:`exact_conditional_baseline`, whose note says why — never an optimiser's stopping
    point printed as an estimate.
    """
    test = "proportional-odds logit, end rating ~ pilot + baseline"
    wide = _two_years(panel, year_a, year_b, level)
    if isinstance(wide, Reason):
        return rows_to_frame([refused_row(study, "d", test, wide, lead=lead)])
    if wide["after"].nunique() < 2:
        return rows_to_frame([refused_row(study, "d", test, Reason(
            f"mọi đơn vị ở cùng một mức năm {year_b}", f"all units are in one category in {year_b}"),
            n=len(wide), lead=lead)])
    if not any(g["pilot"].nunique() == 2 for _, g in wide.groupby("before")):
        return rows_to_frame([refused_row(study, "d", test, Reason(
            "không mức xuất phát nào có cả đơn vị làm điểm và đơn vị khác: hệ số làm điểm không xác định",
            "no starting rating holds both pilots and other units: the pilot coefficient is not identified"),
            n=len(wide), lead=lead)])
    exog = pd.DataFrame({"pilot": wide["pilot"].astype(float)})
    for level_value in sorted(wide["before"].unique())[1:]:
        exog[f"base_{level_value}"] = (wide["before"] == level_value).astype(float)
    side = separation(wide["after"].to_numpy(), exog, "pilot")
    if side:
        return exact_conditional_baseline(wide, study, lead, why=_separated("pilot", side))
    try:
        res = fit_ordered_logit(wide["after"].to_numpy(), exog)
    except (np.linalg.LinAlgError, ValueError) as exc:  # no trustworthy optimum: the exact alternative, saying why
        return exact_conditional_baseline(wide, study, lead, why=_not_fitted(exc))
    beta, se = float(res.params["pilot"]), float(res.bse["pilot"])
    z = beta / se
    return rows_to_frame([result_row(study, "d", test, statistic=z, p_value=2 * stats.norm.sf(abs(z)), effect=beta,
                                     effect_name="log_or_pilot", ci_low=beta - 1.959963984540054 * se,
                                     ci_high=beta + 1.959963984540054 * se, n=len(wide), statistic_name="z",
                                     assumptions="proportional odds; logit link; baseline as categories",
                                     lead=lead)])


def exact_conditional_baseline(wide: pd.DataFrame, study: str = "", lead: Reason | None = None,
                               why: Reason | None = None) -> pd.DataFrame:
    """Exact conditional logistic regression of "improved" on pilot, one intercept per baseline rating.

    The alternative to :func:`po_baseline` when its estimate is infinite (separation): the
    binary contrast "rated higher at the end than at the start" within each baseline stratum
    that holds both groups, tested with the exact conditional distribution of the number of
    improved pilots (:func:`helpers.inference.exact_conditional.exact_common_odds_ratio`;
    R: ``mantelhaen.test(..., exact = TRUE)``). Effect: the conditional MLE of the common
    odds ratio (0 or ∞ under separation) with its exact 95 % interval.

    Parameters
    ----------
    wide : DataFrame
        Units rated in both years: ``pilot``, ``before``, ``after`` (as from the panel).
    why : Reason, optional
        Why this replaces the ordinal model (put in the note).
    """
    test = "exact conditional logistic, improved ~ pilot | baseline rating"
    tables, kept, dropped = _strata(wide)
    if not tables:
        return rows_to_frame([refused_row(study, "d", test, Reason(
            "không mức xuất phát nào có cả đơn vị làm điểm và đơn vị khác",
            "no starting rating holds both pilots and other units"), n=len(wide), lead=lead)])
    res = exact_common_odds_ratio(tables)
    note = note_words("strata_used", "en", kept)
    if dropped:
        note += "; " + note_words("strata_dropped", "en", dropped)
    if why is not None:
        note = f"proportional-odds model not used: {why.en}; {note}"
    return rows_to_frame([result_row(study, "d", test, p_value=res.p_value, effect=res.estimate,
                                     effect_name="conditional_or", ci_low=res.ci_low, ci_high=res.ci_high,
                                     n=int(sum(t.sum() for t in tables)), exact=True,
                                     assumptions="common odds ratio across baseline strata; exact conditional "
                                                 "distribution given the stratum margins",
                                     note=note, lead=lead)])


def rtm_statement(panel: pd.DataFrame | None, year_a: int | None = None, year_b: int | None = None, study: str = "",
                  level: str = "organisation", lead: Reason | None = None) -> pd.DataFrame:
    """A plain statement of whether the data can separate a pilot effect from regression to the mean.

    ``panel=None`` (published totals only, or pilots only) always gives "cannot separate".
    """
    test = "regression to the mean: can the data separate it?"
    if panel is None:
        why = Reason(note_words("rtm_pilots_only", "vi"), note_words("rtm_pilots_only", "en"))
        return rows_to_frame([result_row(study, "d", test, note=why, text=why, lead=lead)])
    wide = _two_years(panel, year_a, year_b, level)
    if isinstance(wide, Reason):
        return rows_to_frame([refused_row(study, "d", test, wide, lead=lead)])
    _, kept, dropped = _strata(wide)
    pilots = wide[wide["pilot"]]
    covered = pilots["before"].isin(kept).mean() if len(pilots) else 0.0
    base_p, base_o = pilots["before"].mean(), wide.loc[~wide["pilot"], "before"].mean()
    n_p = len(pilots)
    if not kept:
        vi = ("Không mức xuất phát nào có cả đơn vị làm điểm và đơn vị khác: dữ liệu không thể tách tác động "
              "của làm điểm khỏi hồi quy về trung bình.")
        en = ("No starting rating holds both pilots and other units: the data cannot separate the pilot effect "
              "from regression to the mean.")
    else:
        direction = (("thấp hơn", "lower") if base_p < base_o else ("cao hơn", "higher"))
        vi = (f"{format_count(round(100 * covered), 'vi')}% trong {format_count(n_p, 'vi')} đơn vị làm điểm có đơn vị "
              f"đối chứng cùng mức xuất phát. Đơn vị làm điểm xuất phát {direction[0]} các đơn vị khác (bậc trung bình "
              f"{format_number(base_p, 2, 'vi')} so với {format_number(base_o, 2, 'vi')})" +
              "; so sánh trong cùng mức xuất phát (CMH, mô hình có biến xuất phát) loại phần cải thiện do hồi quy "
              "về trung bình" + (" cho những mức này." if covered < 1 else "."))
        en = (f"{round(100 * covered)}% of the {n_p} pilots have comparison units with the same starting rating. "
              f"Pilots started {direction[1]} than other units (mean step {format_number(base_p, 2, 'en')} vs "
              f"{format_number(base_o, 2, 'en')}); comparing "
              "within the same starting rating (CMH, model with baseline) removes the part of the improvement due "
              "to regression to the mean" + (" for those ratings." if covered < 1 else "."))
    note = note_words("baselines_covered", "en", f"{covered:.0%}", dropped)
    return rows_to_frame([result_row(study, "d", test, n=len(wide), note=note, text=Reason(vi, en),
                                     effect=covered, effect_name="share_of_pilots_with_comparators", lead=lead)])
