"""Answer one claim on a unit-level panel: the primary comparison its design allows, plus description.

:func:`run_claim` compares the pilots' end-year rating with non-pilots that had the same
pre-programme rating history (:mod:`helpers.inference.stratified`), reports common support,
a pre-programme balance table and a placebo comparison between pre-programme years, and
runs the comparisons that are biased under the design as *descriptive* rows (outside the
Holm family), each with its reason from :mod:`helpers.inference.designs`. The rows use the
results-table columns (:data:`helpers.inference.results.RESULT_COLUMNS`), so they go into
results.csv as they are; :mod:`helpers.inference.verdict` turns a :class:`ClaimOutcome`
into words.

Panel columns used: ``unit_id``, ``year``, ``rating_order`` (0..3, common order), ``pilot``,
``pilot_start``, ``pilot_end``; ``level`` and ``scale`` when present.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from helpers.export.glossary_notes import note_words
from helpers.inference import ordinal, paired
from helpers.inference.designs import Claim, Selection, bias
from helpers.inference.results import DESCRIPTIVE_ONLY, Reason, apa_sentence, result_row, rows_to_frame
from helpers.inference import exact_conditional
from helpers.inference.stratified import (CommonOddsRatio, StratifiedRank, compared_units, mantel_haenszel_or,
                                          strata_tables, stratified_rank_test)
from helpers.numbers import format_count
from helpers.scales import COMMON_ORDER, scale_for

GOOD = 2                 #: common-order index of "good" (HTTNV): the cut "good or better"
#: Start of the placebo row's test name (a comparison between pre-programme years, which shows whether and when
#: the pilots were picked): the verdict rests on it, so an appendix always prints it (helpers.export.appendix_battery).
PLACEBO_TEST = "placebo: "
MIN_MATCHED_SHARE = 0.8  #: below this share of pilots with comparable units, try the declared selection years
BALANCE_COLUMNS = ["year", "n_pilots", "n_rest", "mean_pilots", "mean_rest", "good_or_better_pilots",
                   "good_or_better_rest", "p_value"]


@dataclass(frozen=True)
class ClaimOutcome:
    """Everything :mod:`.verdict` needs to judge one claim.

    ``reason`` is set (and ``rows`` may be empty) when the data cannot answer the claim.
    ``rows`` start with the primary row when ``primary_ran``; the other rows are descriptive.
    """

    claim: Claim
    selection: Selection
    rows: pd.DataFrame
    primary_ran: bool = False
    reason: Reason | None = None
    test: StratifiedRank | None = None
    odds: CommonOddsRatio | None = None
    from_year: int | None = None
    to_year: int | None = None
    strata_years: tuple[int, ...] = ()
    start: int | None = None
    n_pilots_total: int = 0
    balance: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=BALANCE_COLUMNS))
    placebo: StratifiedRank | None = None
    pilots_before: float = math.nan   #: pilots' share good-or-better in ``from_year``
    pilots_after: float = math.nan    #: ... in ``to_year``
    notes: tuple[Reason, ...] = ()
    cut: int = GOOD                   #: outcome = end-year rating at this level or better (:func:`median_cut`)
    unmatched_ids: tuple[str, ...] = ()  #: pilots without a comparable non-pilot (outside common support)
    #: exact conditional common odds ratio (R: ``mantelhaen.test(exact = TRUE)``), computed when the
    #: Mantel–Haenszel estimate is 0 or infinite (separation): it still has a 95 % interval with a finite end
    exact_odds: exact_conditional.CommonOddsRatio | None = None


def years_text(years) -> str:
    """Years as printed: a consecutive run as '2014–2017', other years listed ('2014, 2016')."""
    years = sorted(years)
    if len(years) > 1 and years == list(range(years[0], years[-1] + 1)):
        return f"{years[0]}–{years[-1]}"
    return ", ".join(map(str, years))


def median_cut(ratings) -> int:
    """The cut (1..3, "this level or better") that splits ``ratings`` closest to half and half.

    Applied to the end-year ratings of the compared units (strata holding both groups), blind
    to who is a pilot inside each stratum, so the permutation test at this cut keeps its level:
    which strata are compared and their pooled ratings are the same under every relabelling
    within strata.
    """
    r = np.asarray(ratings)
    shares = [abs((r >= c).mean() - 0.5) for c in (1, 2, 3)]
    return 1 + int(np.argmin(shares))


def level_words(cut: int, year: int) -> tuple[str, str]:
    """(vi, en) name of "level ``cut`` or better" in ``year``'s scale: ('HTTNV trở lên', 'HTTNV or better')."""
    scale = scale_for(year)
    levels = [lv for lv in scale.levels if lv.common == COMMON_ORDER[cut] and lv.subset_of is None]
    code = levels[0].code if levels else COMMON_ORDER[cut]
    if cut == len(COMMON_ORDER) - 1:
        return code, code
    return f"{code} trở lên", f"{code} or better"


def _history_codes(wide: pd.DataFrame, years) -> np.ndarray:
    """One integer per unit coding its ratings in ``years`` (a missing rating is its own value)."""
    code = np.zeros(len(wide), dtype=np.int64)
    for y in years:
        code = code * 5 + (wide[y].fillna(-1).to_numpy().astype(np.int64) + 1)
    return code


def _stratified_row(study, question, test_en, words: Reason, res: StratifiedRank, odds: CommonOddsRatio | None,
                    claim: Claim, extra: Reason | None = None, assumptions: str = "",
                    effect_name: str = "common_or") -> dict:
    bodies = {}
    for lang in ("vi", "en"):
        numbers = apa_sentence("z", res.statistic, math.nan, math.nan, res.p_value, lang,
                               odds.estimate if odds else math.nan, effect_name if odds else None,
                               odds.ci_low if odds else math.nan, odds.ci_high if odds else math.nan, exact=True)
        n_text = (f"{format_count(res.n_pilots, lang)} đơn vị làm điểm, {format_count(res.n_comparison, lang)} "
                  "đơn vị đối chứng" if lang == "vi" else
                  f"{format_count(res.n_pilots, lang)} pilots, {format_count(res.n_comparison, lang)} comparison units")
        body = f"{words.text(lang)}: {numbers}; {n_text}" if lang == "vi" else f"{words.text(lang)}: {numbers}; {n_text}"
        bodies[lang] = f"{body} ({extra.text(lang)})" if extra else body
    note = note_words("strata_excess", "en", res.n_strata, res.unmatched_pilots, f"{res.excess:+.3f}")
    return result_row(study, question, test_en, statistic=res.statistic, p_value=res.p_value,
                      effect=odds.estimate if odds else math.nan, effect_name=effect_name if odds else None,
                      ci_low=odds.ci_low if odds else math.nan, ci_high=odds.ci_high if odds else math.nan,
                      n=res.n_pilots + res.n_comparison, statistic_name="z", exact=True,
                      assumptions=assumptions, note=note, lead=claim.label,
                      text=Reason(bodies["vi"], bodies["en"]))


def _descriptive(frame: pd.DataFrame, reason: Reason | None, claim: Claim) -> pd.DataFrame:
    """Mark rows as description outside the Holm family, with why (or that they are valid but secondary)."""
    frame = frame.copy()
    why = reason or Reason("hợp lệ theo thiết kế này, chỉ để bổ trợ", "valid under this design; supporting only")
    lead_vi = f"{DESCRIPTIVE_ONLY['vi']}, không dùng để kết luận" if reason else "bổ trợ"
    lead_en = f"{DESCRIPTIVE_ONLY['en']}, not used for the verdict" if reason else "supporting"
    frame["test"] = frame["test"] + f" [{claim.id}]"
    frame["assumptions"] = [f"{a}; {lead_en}: {why.en}" if a else f"{lead_en}: {why.en}"
                            for a in frame["assumptions"]]
    frame["sentence_vi"] = frame["sentence_vi"] + f" ({lead_vi}: {why.vi})"
    frame["sentence_en"] = frame["sentence_en"] + f" ({lead_en}: {why.en})"
    return frame


def _balance(wide: pd.DataFrame, years, pilot: np.ndarray, with_p: bool = True) -> pd.DataFrame:
    rows = []
    for y in years:
        rated = wide[y].notna().to_numpy()
        score = wide[y].to_numpy()
        sp, sr = score[rated & pilot], score[rated & ~pilot]
        if len(sp) and len(sr) and with_p:
            p = stratified_rank_test(np.concatenate([sp, sr]).astype(int), np.r_[np.ones(len(sp), bool),
                                     np.zeros(len(sr), bool)], np.zeros(len(sp) + len(sr), int)).p_value
        else:
            p = math.nan
        rows.append({"year": int(y), "n_pilots": len(sp), "n_rest": len(sr),
                     "mean_pilots": float(sp.mean()) if len(sp) else math.nan,
                     "mean_rest": float(sr.mean()) if len(sr) else math.nan,
                     "good_or_better_pilots": float((sp >= GOOD).mean()) if len(sp) else math.nan,
                     "good_or_better_rest": float((sr >= GOOD).mean()) if len(sr) else math.nan, "p_value": p})
    return pd.DataFrame(rows, columns=BALANCE_COLUMNS)


def _cannot(claim, selection, reason, **kw) -> ClaimOutcome:
    return ClaimOutcome(claim=claim, selection=selection, rows=rows_to_frame([]), reason=reason, **kw)


def _programme_years(p: pd.DataFrame) -> tuple[int | None, int | None]:
    pil = p[p["pilot"]]
    start = pd.to_numeric(pil.get("pilot_start"), errors="coerce").dropna() if "pilot_start" in pil else pd.Series()
    end = pd.to_numeric(pil.get("pilot_end"), errors="coerce").dropna() if "pilot_end" in pil else pd.Series()
    return (int(start.min()) if len(start) else None), (int(end.max()) if len(end) else None)


def run_claim(panel: pd.DataFrame, claim: Claim, selection: Selection, study: str = "",
              descriptive: bool = True) -> ClaimOutcome:
    """Answer ``claim`` on ``panel`` by the comparison ``selection`` makes valid.

    Parameters
    ----------
    panel : DataFrame
        The processed panel (one row per unit and year).
    descriptive : bool
        Also run the biased comparisons as descriptive rows, the placebo's row and the balance
        table's p-values (the simulation turns this off for most provinces: the verdict does not
        use them).

    Returns
    -------
    ClaimOutcome
        Never raises on bad data: a claim the data cannot answer has ``reason`` set.
    """
    p = panel[panel["rating_order"].notna()].copy()
    if "level" in p.columns and p["level"].nunique() > 1:
        p = p[p["level"] == "organisation"]
    p["pilot"] = p["pilot"].astype(bool)
    unit_pilot = p.groupby("unit_id")["pilot"].any()
    n_pilots = int(unit_pilot.sum())
    if n_pilots == 0:
        return _cannot(claim, selection, Reason("bảng dữ liệu không có đơn vị làm điểm nào",
                                                "the panel has no pilot unit"))
    if n_pilots == len(unit_pilot):
        return _cannot(claim, selection, Reason(
            "mọi đơn vị đều làm điểm: không có đơn vị đối chứng nào để so sánh",
            "every unit is a pilot: there are no comparison units"), n_pilots_total=n_pilots)
    start, end = _programme_years(p)
    years = sorted(int(y) for y in p["year"].unique())
    if start is None:
        start = years[0] + 1 if selection.kind == "random" else None
    if start is None:
        return _cannot(claim, selection, Reason("không biết năm bắt đầu làm điểm (tệp đơn vị làm điểm không ghi)",
                                                "the programme's start year is unknown (the pilot file lacks it)"),
                       n_pilots_total=n_pilots)
    pre = [y for y in years if y < start]
    from_year = claim.from_year if claim.from_year is not None else (pre[-1] if pre else None)
    to_year = claim.to_year if claim.to_year is not None else min(end if end is not None else years[-1], years[-1])
    if from_year is None and selection.kind != "random":
        return _cannot(claim, selection, Reason(
            f"không có xếp loại nào trước năm bắt đầu làm điểm ({start}): không biết đơn vị làm điểm và đơn vị "
            "khác xuất phát thế nào", f"no rating before the programme started ({start}): nothing shows how pilots "
            "and other units started"), start=start, n_pilots_total=n_pilots)
    if from_year is not None and from_year >= start:
        return _cannot(claim, selection, Reason(
            f"năm so sánh đầu ({from_year}) không trước năm bắt đầu làm điểm ({start})",
            f"the comparison's first year ({from_year}) is not before the programme's start ({start})"),
            start=start, n_pilots_total=n_pilots)
    missing = [y for y in (from_year, to_year) if y is not None and y not in years]
    if missing:
        return _cannot(claim, selection, Reason(f"bảng dữ liệu không có xếp loại năm {years_text(missing)}",
                                                f"the panel has no ratings for {years_text(missing)}"),
                       start=start, n_pilots_total=n_pilots)
    # random selection with no rating before the programme: one stratum, pilots vs every other unit at the
    # end (valid under randomisation, and the only comparison such data allow)
    history = [y for y in years if y <= from_year] if from_year is not None else []
    wide = p.drop_duplicates(["unit_id", "year"]).pivot(index="unit_id", columns="year", values="rating_order")
    pilot = unit_pilot.reindex(wide.index).to_numpy()
    balance = _balance(wide, history, pilot, with_p=descriptive)
    ended = wide[to_year].notna().to_numpy()
    w, g = wide[ended], pilot[ended]
    strata_years = ((from_year,) if from_year is not None else ()) if selection.kind == "random" else tuple(history)
    notes = []
    if from_year is None:
        notes.append(Reason(
            f"Không có xếp loại nào trước khi làm điểm ({start}): vì đơn vị làm điểm được khai báo là chọn ngẫu nhiên, "
            f"so sánh chúng với mọi đơn vị khác năm {to_year} là hợp lệ, nhưng kết luận dựa hoàn toàn vào việc chọn "
            "thật sự ngẫu nhiên (không kiểm tra được trước khi làm điểm đơn vị làm điểm có giống đơn vị khác không).",
            f"There is no rating before the programme ({start}): as the pilots were declared drawn at random, comparing "
            f"them with every other unit in {to_year} is valid, but the verdict rests entirely on the draw being truly "
            "random (nothing shows whether the pilots resembled the other units before the programme)."))
    starts = pd.to_numeric(p.loc[p["pilot"], "pilot_start"], errors="coerce").dropna().astype(int).unique() \
        if "pilot_start" in p.columns else []
    if len(starts) > 1:
        notes.append(Reason(
            f"Các đơn vị làm điểm bắt đầu vào những năm khác nhau ({years_text(starts)}): so sánh lấy năm bắt đầu "
            f"sớm nhất ({start}), nên lịch sử xếp loại dừng ở năm {from_year}.",
            f"The pilots started in different years ({years_text(starts)}): the comparison takes the earliest start "
            f"({start}), so the rating history ends in {from_year}."))
    matched = compared_units(g, _history_codes(w, strata_years))
    if selection.kind == "rating" and (matched & g).sum() < MIN_MATCHED_SHARE * g.sum():
        declared = tuple(y for y in selection.years if y in history)
        if declared and declared != strata_years:
            alt = compared_units(g, _history_codes(w, declared))
            if (alt & g).sum() > (matched & g).sum():
                notes.append(Reason(
                    f"so khớp theo cả lịch sử {years_text(strata_years)} chỉ còn {int((matched & g).sum())} đơn vị "
                    f"làm điểm có đối chứng, nên so khớp theo các năm đã dùng để chọn ({years_text(declared)})",
                    f"matching on the whole history {years_text(strata_years)} left only {int((matched & g).sum())} "
                    f"pilots with comparable units, so units are matched on the declared selection years "
                    f"({years_text(declared)})"))
                matched, strata_years = alt, declared
    unmatched_ids = tuple(str(u) for u in w.index[g & ~matched])
    end_rating = w[to_year].to_numpy()
    cut = median_cut(end_rating[matched]) if matched.any() else GOOD
    y_end = (end_rating >= cut).astype(int)
    res = stratified_rank_test(y_end, g, _history_codes(w, strata_years))
    codes = _history_codes(w, strata_years)
    before = wide.loc[pilot & wide[from_year].notna().to_numpy(), from_year] if from_year is not None \
        else pd.Series(dtype=float)
    after = wide.loc[pilot & wide[to_year].notna().to_numpy(), to_year]
    base = dict(claim=claim, selection=selection, from_year=from_year, to_year=to_year, strata_years=strata_years,
                start=start, n_pilots_total=n_pilots, balance=balance,
                pilots_before=float((before >= GOOD).mean()) if len(before) else math.nan,
                pilots_after=float((after >= GOOD).mean()) if len(after) else math.nan, cut=cut,
                unmatched_ids=unmatched_ids)
    if res.n_strata == 0:
        return ClaimOutcome(rows=rows_to_frame([]), reason=Reason(
            f"không đơn vị làm điểm nào có đơn vị không làm điểm cùng xếp loại {years_text(strata_years)}: "
            "không có gì để so sánh", f"no pilot has a non-pilot with the same {years_text(strata_years)} "
            "ratings: there is nothing to compare with"), test=res, notes=tuple(notes), **base)
    odds = mantel_haenszel_or(y_end, g, codes)
    exact_odds = None
    if odds.estimate == 0 or math.isinf(odds.estimate):
        exact_odds = exact_conditional.exact_common_odds_ratio(
            [t.astype(int) for t in strata_tables(y_end, g, codes)])
    level = level_words(cut, to_year)
    if strata_years:
        words = Reason(f"Năm {to_year}, tỉ lệ đạt {level[0]} của đơn vị làm điểm so với đơn vị không làm điểm cùng "
                       f"xếp loại {years_text(strata_years)} (kiểm định phân tầng chính xác)",
                       f"{to_year}, pilots reaching {level[1]} vs non-pilots with the same "
                       f"{years_text(strata_years)} ratings (exact stratified test)")
        test_en = (f"exact stratified test of {COMMON_ORDER[cut]} or better, strata = ratings "
                   f"{years_text(strata_years)}")
        assumptions = "pilot label exchangeable within strata of equal pre-programme ratings; exact conditional " \
                      "distribution"
    else:
        words = Reason(f"Năm {to_year}, tỉ lệ đạt {level[0]} của đơn vị làm điểm (chọn ngẫu nhiên) so với mọi đơn vị "
                       "không làm điểm (kiểm định chính xác)",
                       f"{to_year}, pilots (drawn at random) reaching {level[1]} vs every non-pilot (exact test)")
        test_en = f"exact test of {COMMON_ORDER[cut]} or better, randomised pilots vs non-pilots, one stratum"
        assumptions = "pilots drawn at random (declared): pilot label exchangeable; exact conditional distribution"
    if exact_odds is not None:   # separation: the row carries the exact conditional OR and its exact interval
        rows = [_stratified_row(study, "d", test_en, words, res, CommonOddsRatio(
            exact_odds.estimate, exact_odds.ci_low, exact_odds.ci_high, odds.n_strata), claim,
            assumptions=assumptions + "; Mantel–Haenszel OR 0 or infinite: exact conditional OR "
                                      "(mantelhaen.test(exact = TRUE))", effect_name="conditional_or")]
    else:
        rows = [_stratified_row(study, "d", test_en, words, res, odds, claim, assumptions=assumptions)]
    frame = rows_to_frame(rows)
    frame["test"] = frame["test"] + f" [{claim.id}]"
    placebo = None
    if len(history) >= 2:
        earlier = history[:-1] if selection.kind != "random" else history[-2:-1]
        rated = wide[from_year].notna().to_numpy()
        before_all = wide.loc[rated, from_year].to_numpy()
        earlier_codes = _history_codes(wide[rated], earlier)
        inside = compared_units(pilot[rated], earlier_codes)
        placebo_cut = median_cut(before_all[inside]) if inside.any() else GOOD
        placebo = stratified_rank_test((before_all >= placebo_cut).astype(int), pilot[rated], earlier_codes)
    if descriptive and from_year is not None:
        frame = pd.concat([frame, _descriptive_rows(study, p, wide, pilot, claim, selection, from_year, to_year,
                                                    strata_years, placebo, history, cut)], ignore_index=True)
    return ClaimOutcome(rows=frame, primary_ran=True, test=res, odds=odds, placebo=placebo, notes=tuple(notes),
                        exact_odds=exact_odds, **base)


def _descriptive_rows(study, p, wide, pilot, claim, selection, from_year, to_year, strata_years, placebo,
                      history, cut) -> pd.DataFrame:
    frames = []
    ended = wide[to_year].notna().to_numpy()
    y_end = (wide.loc[ended, to_year].to_numpy() >= cut).astype(int)
    # naive before/after on pilots, at the cut good or better (valid across a scale change)
    both = pilot & ended & wide[from_year].notna().to_numpy()
    table = paired.paired_table((wide.loc[both, from_year] >= GOOD).astype(int),
                                (wide.loc[both, to_year] >= GOOD).astype(int), 2)
    frames.append(_descriptive(paired.mcnemar_exact(table, 1, study, "a", cut_label="good_or_better"),
                               bias("before_after", selection), claim))
    # pilots vs every other unit at the end
    res = stratified_rank_test(y_end, pilot[ended], np.zeros(int(ended.sum()), int))
    words = Reason(f"Năm {to_year}, đơn vị làm điểm so với mọi đơn vị khác", f"{to_year}, pilots vs all other units")
    frames.append(_descriptive(rows_to_frame([_stratified_row(study, "b", f"exact test of {COMMON_ORDER[cut]} or better, pilots vs the rest",
                                                              words, res, None, claim)]),
                               bias("end_vs_rest", selection), claim))
    # change scores (difference in differences), harmonised when the scale changed
    two = p[p["year"].isin([from_year, to_year])]
    if "scale" in two.columns and two["scale"].astype(str).nunique() > 1:
        two = two.assign(rating_order=(two["rating_order"] >= GOOD).astype(int))
    frames.append(_descriptive(ordinal.randomisation_pilot(two, from_year, to_year, study, level=None),
                               bias("change", selection), claim))
    # matching on the last pre-programme year only (the primary under random selection)
    if tuple(strata_years) != (from_year,):
        codes = _history_codes(wide[ended], [from_year])
        res = stratified_rank_test(y_end, pilot[ended], codes)
        words = Reason(f"Năm {to_year}, so với đơn vị cùng xếp loại năm {from_year}",
                       f"{to_year}, pilots vs non-pilots with the same {from_year} rating")
        frames.append(_descriptive(rows_to_frame([_stratified_row(
            study, "d", f"exact stratified test of {COMMON_ORDER[cut]} or better, strata = ratings {from_year}", words, res,
            mantel_haenszel_or(y_end, pilot[ended], codes), claim)]),
            bias("last_year", selection, from_year), claim))
    if placebo is not None and placebo.n_strata:
        earlier = history[:-1] if selection.kind != "random" else history[-2:-1]
        words = Reason(f"Kiểm tra giả (trước khi làm điểm): năm {from_year}, so với đơn vị cùng xếp loại "
                       f"{years_text(earlier)}", f"Placebo (before the programme): {from_year}, pilots vs "
                       f"non-pilots with the same {years_text(earlier)} ratings")
        why = Reason("chưa có làm điểm nên khác biệt ở đây cho thấy đơn vị làm điểm được chọn theo (hoặc đã khác "
                     f"từ) năm {from_year}", "no programme yet, so a difference here shows that the pilots were "
                     f"chosen on (or already differed in) {from_year}")
        frames.append(_descriptive(rows_to_frame([_stratified_row(
            study, "d", f"{PLACEBO_TEST}exact stratified test at the median cut in {from_year}, strata = ratings "
                        f"{years_text(earlier)}", words, placebo, None, claim)]), why, claim))
    return pd.concat(frames, ignore_index=True)
