"""The one results table of the inference step, its APA sentences and the Holm adjustment.

Every test in :mod:`helpers.inference` returns rows built by :func:`result_row`, so
the table has the fixed columns :data:`RESULT_COLUMNS` whatever the test. A test that
cannot run returns a row whose numbers are NaN and whose ``note`` says why
(:func:`refused_row`); its sentences say the same in words, never ``nan``.

Sentences follow APA 7 and are built only through :mod:`helpers.numbers`:
``χ²(3, N = 112) = 10,29; p = 0,016`` in Vietnamese (decimal comma, ``;`` between
parts so the comma is not ambiguous), ``χ²(3, N = 112) = 10.29, p = .016`` in English.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from statsmodels.stats.multitest import multipletests

from helpers.numbers import format_count, format_number, format_p_value, format_statistic

#: Columns of every results table, in this order. ``p_low`` and ``p_high`` are the smallest and
#: largest p-value of a range over unknown pairings (``p_value`` is then ``p_high``); NaN otherwise.
RESULT_COLUMNS = ["study", "question", "test", "statistic", "df", "p_value", "p_adjusted", "p_low", "p_high",
                  "effect", "effect_name", "ci_low", "ci_high", "n", "assumptions", "note", "sentence_vi",
                  "sentence_en"]
#: The numeric columns of :data:`RESULT_COLUMNS`.
NUMERIC_COLUMNS = ("statistic", "df", "p_value", "p_adjusted", "p_low", "p_high", "effect", "ci_low", "ci_high",
                   "n")
QUESTIONS = ("a", "b", "c", "d")
#: How a row biased under the study's design is marked: ``assumptions`` holds the English words, the sentences
#: end with "(<words>: <why>)". Such a row is description only, outside every Holm family; an appendix with a
#: verdict prints it only when the verdict quotes it (helpers.export.appendix_battery).
DESCRIPTIVE_ONLY = {"vi": "chỉ để mô tả", "en": "descriptive only"}

#: How each statistic is written in a sentence (APA symbols).
STATISTIC_SYMBOLS = {
    "chi2": "χ²", "z": "z", "t": "t", "W": "W", "V": "V", "U": "U", "Q": "Q", "M2": "M²",
    "S": "S", "T": "T", "OR": "OR", "none": "",
}

#: Effect names in words, per language: the one list (inference writes them into the results.csv sentences;
#: :data:`helpers.export.glossary.EFFECTS`, on a higher floor, reads this list).
EFFECT_NAMES = {
    "net_improvement": ("cải thiện ròng", "net improvement"),
    "cliffs_delta": ("δ của Cliff", "Cliff's δ"),
    "p_superiority": ("xác suất vượt trội", "probability of superiority"),
    "cramers_v": ("V của Cramér", "Cramér's V"),
    "odds_ratio": ("tỉ số chênh", "odds ratio"),
    "conditional_or": ("tỉ số chênh có điều kiện", "conditional odds ratio"),
    "common_or": ("tỉ số chênh chung (Mantel–Haenszel)", "common odds ratio (Mantel–Haenszel)"),
    "log_or_interaction": ("log tỉ số chênh của tương tác nhóm × giai đoạn",
                           "log odds ratio of the group × period interaction"),
    "log_or_pilot": ("log tỉ số chênh của nhóm làm điểm", "log odds ratio of the pilots"),
    "proportion": ("tỉ lệ", "proportion"),
    "difference_in_proportions": ("hiệu hai tỉ lệ", "difference in proportions"),
    "mean_difference": ("hiệu trung bình", "mean difference"),
    "min_units": ("số đơn vị tối thiểu", "minimum number of units"),
    "power": ("năng lực kiểm định", "power"),
    "pearson_r_scores": ("r của điểm thứ bậc", "Pearson r of the scores"),
    "share_of_pilots_with_comparators": ("tỉ lệ đơn vị làm điểm có đối chứng", "share of pilots with comparators"),
    "risk_ratio": ("tỉ số nguy cơ", "risk ratio"),
}


@dataclass(frozen=True)
class Reason:
    """A reason in both languages, for notes and refused-test sentences."""

    vi: str
    en: str

    def text(self, language: str) -> str:
        return self.vi if language == "vi" else self.en

    def __str__(self) -> str:  # the ``note`` column is English, the sentences carry each language
        return self.en


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, (float, np.floating)) and math.isnan(value))


def _float(value) -> float:
    return math.nan if _is_missing(value) else float(value)


def _interval(low, high, language: str, decimals: int = 2) -> str:
    sep = "; " if language == "vi" else ", "
    return f"[{format_number(low, decimals, language, thousands=False)}{sep}" \
           f"{format_number(high, decimals, language, thousands=False)}]"


def apa_sentence(statistic_name: str, statistic: float, df, n, p_value: float, language: str,
                 effect: float = math.nan, effect_name: str | None = None, ci_low: float = math.nan,
                 ci_high: float = math.nan, p_adjusted: float = math.nan, exact: bool = False) -> str:
    """An APA-style result sentence from the numbers, in Vietnamese or English.

    Parameters
    ----------
    statistic_name : str
        A key of :data:`STATISTIC_SYMBOLS` (``'chi2'``, ``'z'``, ...) or ``'none'``
        for tests without a statistic (exact tests print only the p-value).
    df : int, float or None
        Degrees of freedom; printed in parentheses with N for χ², alone for t.
    exact : bool
        Adds "(chính xác)" / "(exact)" after the p-value.

    Examples
    --------
    >>> apa_sentence("chi2", 10.2857, 3, 112, 0.0163, "vi")
    'χ²(3, N = 112) = 10,29; p = 0,016'
    >>> apa_sentence("chi2", 10.2857, 3, 112, 0.0163, "en")
    'χ²(3, N = 112) = 10.29, p = .016'
    """
    sep = "; " if language == "vi" else ", "
    parts = []
    symbol = STATISTIC_SYMBOLS.get(statistic_name, statistic_name)
    if symbol and not _is_missing(statistic):
        inside = []
        if not _is_missing(df):
            inside.append(format_number(df, 0 if float(df).is_integer() else 2, language, thousands=False))
        if not _is_missing(n) and statistic_name == "chi2":
            inside.append(f"N = {format_count(int(n), language)}")
        head = f"{symbol}({', '.join(inside)})" if inside else symbol
        parts.append(f"{head} = {format_statistic(statistic, language)}")
    elif not _is_missing(n):
        parts.append(f"N = {format_count(int(n), language)}")
    if not _is_missing(p_value):
        p_text = format_p_value(float(p_value), language)
        if exact:
            p_text += " (chính xác)" if language == "vi" else " (exact)"
        parts.append(p_text)
    if not _is_missing(p_adjusted):
        parts.append(format_p_value(float(p_adjusted), language).replace("p ", "p_Holm ", 1))
    text = sep.join(parts)
    if effect_name and not _is_missing(effect):
        name = EFFECT_NAMES.get(effect_name, (effect_name, effect_name))[0 if language == "vi" else 1]
        eff = f"{name} = {format_number(effect, 2, language, thousands=False)}"
        if not (_is_missing(ci_low) or _is_missing(ci_high)):
            eff += (", KTC 95% " if language == "vi" else ", 95% CI ") + _interval(ci_low, ci_high, language)
        text = f"{text}{sep}{eff}" if text else eff
    return text


# English test names (as built by the test functions) → words of a sentence, per language.
# Applied in order; longer phrases first. A name with no entry is printed as it is.
_TEST_WORDS = {
    "vi": [
        ("range over pairings (p_value = largest)", "khoảng trên mọi cách ghép cặp, p lớn nhất"),
        ("rank-preserving pairing (assumed)", "ghép cặp giữ thứ hạng (giả định)"),
        ("two years as independent samples (naive comparison)", "coi hai năm là hai mẫu độc lập (so sánh thô)"),
        ("years as independent samples", "coi hai năm là hai mẫu độc lập"),
        ("pilots vs rest of province", "điểm so với phần còn lại của tỉnh"),
        ("Stuart–Maxwell marginal homogeneity", "kiểm định thuần nhất biên Stuart–Maxwell"),
        ("Bowker symmetry", "kiểm định đối xứng Bowker"),
        ("Fisher–Freeman–Halton exact", "kiểm định chính xác Fisher–Freeman–Halton"),
        ("Fisher exact", "kiểm định chính xác Fisher"),
        ("exact sign test", "kiểm định dấu chính xác"),
        ("exact McNemar", "kiểm định McNemar chính xác"),
        ("exact permutation signed-rank", "kiểm định hoán vị chính xác theo hạng có dấu"),
        ("exact binomial (one share)", "kiểm định nhị thức chính xác (một tỉ lệ)"),
        ("exact multinomial goodness of fit", "kiểm định phù hợp đa thức chính xác"),
        ("chi-square goodness of fit", "kiểm định phù hợp khi bình phương"),
        ("Pearson chi-square", "kiểm định khi bình phương Pearson"),
        ("Mann–Whitney (normal approximation, ties)", "kiểm định Mann–Whitney (xấp xỉ chuẩn, có hạng trùng)"),
        ("Mann–Whitney (exact conditional, ties)", "kiểm định Mann–Whitney (chính xác có điều kiện, có hạng trùng)"),
        ("Wilcoxon signed-rank (normal approximation, ties)",
         "kiểm định Wilcoxon hạng có dấu (xấp xỉ chuẩn, có hạng trùng)"),
        ("Brunner–Munzel", "kiểm định Brunner–Munzel"),
        ("Cochran's Q", "kiểm định Q của Cochran"),
        ("Friedman", "kiểm định Friedman"),
        ("linear-by-linear (Cochran–Armitage, exact conditional)",
         "kiểm định xu hướng tuyến tính (Cochran–Armitage, chính xác có điều kiện)"),
        ("linear-by-linear (Cochran–Armitage)", "kiểm định xu hướng tuyến tính (Cochran–Armitage)"),
        ("Cochran–Mantel–Haenszel (improved, stratified by baseline rating)",
         "kiểm định Cochran–Mantel–Haenszel (tiến bộ, phân tầng theo mức xuất phát)"),
        ("exact conditional logistic, improved ~ pilot | baseline rating",
         "hồi quy logistic có điều kiện chính xác, tiến bộ ~ làm điểm | mức xuất phát"),
        ("proportional-odds logit, end rating ~ pilot + baseline",
         "mô hình logit tỉ lệ chênh tỉ lệ thuận, mức cuối kỳ ~ làm điểm + mức xuất phát"),
        ("proportional-odds logit, pilot × period (unit-clustered SE)",
         "mô hình logit tỉ lệ chênh tỉ lệ thuận, làm điểm × giai đoạn (sai số chuẩn cụm theo đơn vị)"),
        ("randomisation test of the pilot label (change in rating)",
         "kiểm định ngẫu nhiên hoá nhãn làm điểm (mức thay đổi xếp loại)"),
        ("power: exact two-sided sign test", "năng lực của kiểm định dấu chính xác hai phía"),
        ("at cut good_or_better", "tại ngưỡng HTTNV trở lên"),
        ("at cut pass_or_better", "tại ngưỡng HTNV trở lên"),
        ("at cut good", "tại ngưỡng HTTNV trở lên"),
        ("at cut pass", "tại ngưỡng HTNV trở lên"),
        ("at cut top", "tại ngưỡng mức cao nhất"),
        ("at cut", "tại ngưỡng"),
        ("at good", "tại ngưỡng HTTNV trở lên"),
        ("good_or_better", "HTTNV trở lên"),
        ("fail_vs_rest", "không hoàn thành so với còn lại"),
        (" vs ", " so với "),
    ],
    "en": [
        ("range over pairings (p_value = largest)", "range over all pairings, largest p"),
        ("at cut good_or_better", "at the cut good or better"),
        ("at cut good", "at the cut good or better"),
        ("at cut pass", "at the cut pass or better"),
        ("at good", "at the cut good or better"),
        ("good_or_better", "good or better"),
        ("fail_vs_rest", "fail vs the rest"),
    ],
}


def sentence_test_name(test: str, language: str) -> str:
    """The name of a test as it reads in a result sentence of ``language``.

    Examples
    --------
    >>> sentence_test_name("exact sign test, rank-preserving pairing (assumed)", "vi")
    'kiểm định dấu chính xác, ghép cặp giữ thứ hạng (giả định)'
    """
    text = test
    for english, words in _TEST_WORDS[language]:
        text = text.replace(english, words)
    return text


def qualify_test(frame: pd.DataFrame, qualifier: str) -> pd.DataFrame:
    """Append ``qualifier`` (English, e.g. ``'rank-preserving pairing (assumed)'``) to each row's test name,
    in the ``test`` column and in both sentences, so a caveat is never lost from what an article prints."""
    frame = frame.copy()
    for index, old in frame["test"].items():
        new = f"{old}, {qualifier}"
        for language in ("vi", "en"):
            column = f"sentence_{language}"
            frame.at[index, column] = frame.at[index, column].replace(
                sentence_test_name(old, language), sentence_test_name(new, language), 1)
        frame.at[index, "test"] = new
    return frame


def result_row(study: str, question: str, test: str, *, statistic=math.nan, df=math.nan, p_value=math.nan,
               effect=math.nan, effect_name: str | None = None, ci_low=math.nan, ci_high=math.nan, n=math.nan,
               assumptions: str = "", note: str | Reason = "", statistic_name: str = "none",
               exact: bool = False, lead: Reason | None = None, extra: Reason | None = None,
               text: Reason | None = None, p_low=math.nan, p_high=math.nan) -> dict:
    """One row of the results table, with its two sentences.

    Parameters
    ----------
    study : str
        Study name (or '' for a stand-alone call).
    question : {'a', 'b', 'c', 'd'}
    test : str
        What was computed, in English (``'Stuart–Maxwell'``); an analysis id may be
        appended in brackets by :func:`helpers.inference.battery.run_analyses`.
    note : str or Reason
        Caveats, or why the test did not run. A :class:`Reason` puts its English text
        in ``note`` and its Vietnamese text in ``sentence_vi``.
    statistic_name : str
        Key of :data:`STATISTIC_SYMBOLS` used in the sentences.
    lead : Reason, optional
        Words put before the numbers in each sentence ("Bình Thuận 2011 → 2013: ...").
    extra : Reason, optional
        Words appended after the numbers (e.g. the range of p over pairings).
    text : Reason, optional
        A whole sentence body replacing the numbers (verdicts, power statements).
    p_low, p_high : float, optional
        Smallest and largest p-value of a range (over unknown pairings); NaN when the row is
        not a range.

    Returns
    -------
    dict
        Keys :data:`RESULT_COLUMNS`; ``p_adjusted`` is NaN until :func:`holm_adjust`.
    """
    if question not in QUESTIONS:
        raise ValueError(f"'question' must be one of {', '.join(QUESTIONS)} (got {question!r}).")
    row = {
        "study": study, "question": question, "test": test, "statistic": _float(statistic), "df": _float(df),
        "p_value": _float(p_value), "p_adjusted": math.nan, "p_low": _float(p_low), "p_high": _float(p_high),
        "effect": _float(effect),
        "effect_name": effect_name or "", "ci_low": _float(ci_low), "ci_high": _float(ci_high),
        "n": _float(n), "assumptions": assumptions, "note": str(note),
        "_statistic_name": statistic_name, "_exact": exact, "_lead": lead, "_reason": note,
        "_extra": extra, "_text": text,
    }
    _write_sentences(row)
    return row


#: How a refused test's sentence starts, before why (vi, en): the note of its row is the English why.
NOT_RUN = ("Không thực hiện kiểm định: ", "Test not run: ")


def _write_sentences(row: dict) -> None:
    for language in ("vi", "en"):
        body = apa_sentence(row["_statistic_name"], row["statistic"], row["df"], row["n"], row["p_value"],
                            language, row["effect"], row["effect_name"], row["ci_low"], row["ci_high"],
                            row["p_adjusted"], row["_exact"])
        reason = row["_reason"]
        if _is_missing(row["p_value"]) and _is_missing(row["effect"]) and _is_missing(row["statistic"]):
            why = reason.text(language) if isinstance(reason, Reason) else str(reason)
            body = NOT_RUN[0 if language == "vi" else 1] + why
        if row["_text"] is not None:
            body = row["_text"].text(language)
        elif row["_extra"] is not None:
            body = f"{body} ({row['_extra'].text(language)})" if body else row["_extra"].text(language)
        lead = row["_lead"]
        parts = [lead.text(language)] if lead else []
        if row["_text"] is None:  # a verdict or statement speaks for itself; a test result names its test
            parts.append(sentence_test_name(row["test"], language))
        row[f"sentence_{language}"] = ": ".join(parts + [body])


def refused_row(study: str, question: str, test: str, reason: Reason, n=math.nan, lead: Reason | None = None,
                assumptions: str = "") -> dict:
    """A row for a test that was not run: every number NaN, ``note`` and sentences say why."""
    return result_row(study, question, test, note=reason, n=n, lead=lead, assumptions=assumptions)


def rows_to_frame(rows: list[dict]) -> pd.DataFrame:
    """The rows as a DataFrame with exactly :data:`RESULT_COLUMNS` (private keys dropped)."""
    frame = pd.DataFrame([{c: r[c] for c in RESULT_COLUMNS} for r in rows], columns=RESULT_COLUMNS)
    for column in NUMERIC_COLUMNS:
        frame[column] = frame[column].astype(float)
    return frame


def holm_adjust(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values (not Holm–Šidák).

    ``statsmodels.stats.multitest.multipletests`` defaults to ``method='hs'``
    (Holm–Šidák); this calls it with ``method='holm'`` explicitly. NaN p-values
    (tests that did not run) are left out of the family and stay NaN.

    References
    ----------
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    *Scandinavian Journal of Statistics*, 6(2), 65–70.

    Examples
    --------
    >>> holm_adjust([0.01, 0.04, 0.03]).round(2).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    keep = ~np.isnan(p)
    if keep.any():
        out[keep] = multipletests(p[keep], method="holm")[1]
    return out


def apply_holm(frame: pd.DataFrame, in_family, mark_outside: bool = True) -> pd.DataFrame:
    """Holm-adjust the p-values of the rows flagged ``in_family``; add ``p_Holm`` to their sentences.

    Returns a new DataFrame; rows outside the family keep ``p_adjusted`` NaN (the
    ``assumptions`` column says "outside the Holm family" for rows with a p-value).
    """
    out = frame.copy()
    mask = np.asarray(in_family, dtype=bool) & out["p_value"].notna().to_numpy()
    if mask.any():
        out.loc[mask, "p_adjusted"] = holm_adjust(out.loc[mask, "p_value"].to_numpy())
    for i in np.flatnonzero(mask):
        p, q = out.iloc[i]["p_value"], out.iloc[i]["p_adjusted"]
        for language in ("vi", "en"):
            col = out.columns.get_loc(f"sentence_{language}")
            sentence = out.iat[i, col]
            p_text = format_p_value(float(p), language)
            q_text = format_p_value(float(q), language).replace("p ", "p_Holm ", 1)
            exact = " (chính xác)" if language == "vi" else " (exact)"
            anchor = p_text + exact if p_text + exact in sentence else p_text
            sep = "; " if language == "vi" else ", "
            if anchor in sentence:
                out.iat[i, col] = sentence.replace(anchor, f"{anchor}{sep}{q_text}", 1)
            else:
                out.iat[i, col] = f"{sentence}{sep}{q_text}"
    outside = ~np.asarray(in_family, dtype=bool) & out["p_value"].notna().to_numpy()
    if mark_outside and outside.any():
        col = out.columns.get_loc("assumptions")
        for i in np.flatnonzero(outside):
            text = out.iat[i, col]
            out.iat[i, col] = f"{text}; outside the Holm family" if text else "outside the Holm family"
    return out
