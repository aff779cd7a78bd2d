"""The verdict: one conclusion per claim and a headline per study, in Vietnamese and English.

This module is the only place that says "effect", "no evidence" or "cannot tell": it turns a
claim's outcome (:mod:`helpers.inference.claims`, :mod:`helpers.inference.published_claims`)
into a verdict entry and the study's headline. :mod:`helpers.inference.verdict_study` runs a
whole study and writes

- ``results.csv`` — every row, claims first;
- ``verdict.json`` — machine-readable, both written atomically by notebook 03::

    {"headline_vi": str, "headline_en": str,
     "claims": [{"id": str, "conclusion": "effect" | "no_evidence" | "cannot_tell",
                 "primary_test": str | null, "p_value": float | null, "effect": float | null,
                 "effect_name": str | null, "ci_low": float | null, "ci_high": float | null,
                 "n_pilots": int, "n_comparison": int, "sentence_vi": str, "sentence_en": str,
                 "caveats": [{"vi": str, "en": str}, ...]}]}

``p_value`` is the primary test's exact p-value (Holm-adjusted over the study's primary tests
when a study has several); the conclusion is "effect" when it is below .05. The outcome is the
end-year rating at the level that splits all units closest to half and half
(:func:`helpers.inference.claims.median_cut`, named in the sentences: "TSVM", "HTTNV or
better"). ``effect`` is the Mantel–Haenszel common odds ratio of reaching it (``effect_name`` =
``"common_or"``); when that ratio is 0 or infinite (in every stratum one group all reached the
level or none did), the exact conditional common odds ratio (``"exact_common_or"``, R's
``mantelhaen.test(exact = TRUE)``: estimate 0 or infinite, but a 95 % interval with a finite end);
when it is undefined, how much more often a compared pilot reached it than comparable units (a
share, ``"excess_share"``). No number is ever NaN or infinite in the file: a missing or infinite
one is ``null``.
"""

from __future__ import annotations

import math

from helpers.inference import designs
from helpers.inference.claims import PLACEBO_TEST, ClaimOutcome, level_words, years_text
from helpers.inference.results import Reason
from helpers.numbers import format_number, format_p_value

ALPHA = 0.05
PRIMARY_TEST = "exact stratified test, pilots vs non-pilots with the same pre-programme ratings"
CONCLUSIONS = ("effect", "no_evidence", "cannot_tell")
RTM_MARK = ("đó là hồi quy về trung bình, chưa phải tác động của làm điểm.",
            "that is regression to the mean, not a programme effect.")
#: Keys of a claim's entry. ``tests_cited`` lists the results.csv tests (``test`` column) whose numbers the claim's
#: sentence or caveats quote, the primary test first: an appendix prints these rows whatever else it leaves out.
VERDICT_KEYS = ["id", "conclusion", "primary_test", "p_value", "effect", "effect_name", "ci_low", "ci_high",
                "n_pilots", "n_comparison", "sentence_vi", "sentence_en", "caveats", "tests_cited"]

#: Every reader-facing phrase of a verdict, per language.
WORDS = {
    "claim": ("Đơn vị làm điểm có tiến bộ hơn các đơn vị tương đương không?",
              "Did the pilots improve more than comparable units?"),
    "effect_up": ("Có: đơn vị làm điểm tiến bộ hơn các đơn vị tương đương.",
                  "Yes: the pilots improved more than comparable units."),
    "effect_down": ("Ngược lại: đơn vị làm điểm kém hơn các đơn vị tương đương.",
                    "The opposite: the pilots did worse than comparable units."),
    "no_evidence": ("Không có bằng chứng đơn vị làm điểm tiến bộ hơn các đơn vị tương đương.",
                    "No evidence that the pilots improved more than comparable units."),
    "cannot_tell": ("Dữ liệu này không cho biết đơn vị làm điểm có tiến bộ hơn các đơn vị tương đương hay không",
                    "These data cannot tell whether the pilots improved more than comparable units"),
    "no_pilots_study": ("nghiên cứu này không có đơn vị làm điểm, chỉ có xếp loại của cả địa phương qua các năm",
                        "this study has no pilot units, only the ratings of a whole area over the years"),
    "totals_only": ("chỉ có số liệu tổng đã công bố, không có đơn vị đối chứng cùng xếp loại ban đầu",
                    "there are only published totals, with no comparison units of the same earlier ratings"),
    "change_claim": ("Xếp loại của cả địa phương có thay đổi giữa {0} và {1} không?",
                     "Did the area's ratings change between {0} and {1}?"),
    "change_yes": ("Có thay đổi:", "Yes, they changed:"),
    "change_no": ("Không có bằng chứng xếp loại đã thay đổi:", "No evidence that the ratings changed:"),
    "change_claim_plain": ("Xếp loại của cả địa phương có thay đổi giữa các năm không?",
                           "Did the area's ratings change between the years?"),
    "no_harmonised": ("không có phép so sánh hài hòa nào giữa hai năm chạy được (ví dụ HTTNV trở lên)",
                      "no harmonised comparison of the two years could run (e.g. HTTNV or better)"),
    "not_programme": ("Thay đổi của số liệu tổng không phải là bằng chứng về tác động của bất kỳ chương trình nào.",
                      "A change of totals is not evidence about any programme."),
    "no_claim": ("Nghiên cứu này chỉ kiểm tra các con số đã công bố, không nêu nhận định nào về tác động.",
                 "This study only checks published numbers; it makes no claim about any effect."),
}


def _p_bound(p: float, lang: str) -> str:
    text = format_p_value(p, lang)[2:]
    if text.startswith("= "):
        return text[2:]
    below = ("dưới ", "below ") if text.startswith("<") else ("trên ", "above ")
    return below[0 if lang == "vi" else 1] + text[2:]


def p_range_words(p_low: float, p_high: float) -> Reason:
    """'exact McNemar test: p from .004 to .064 depending on the unknown pairing' (vi, en)."""
    return Reason(f"kiểm định McNemar chính xác: p từ {_p_bound(p_low, 'vi')} đến {_p_bound(p_high, 'vi')} tùy cách "
                  "ghép cặp chưa biết giữa hai năm",
                  f"exact McNemar test: p from {_p_bound(p_low, 'en')} to {_p_bound(p_high, 'en')} depending on the "
                  "unknown pairing of the two years")


def _fmt(x, lang, d=2):
    return format_number(x, d, lang, thousands=False)


def _pct(share, lang):
    return format_number(100 * share, 1, lang, thousands=False) + "%"


def _size(o: ClaimOutcome) -> tuple[float, str, float, float]:
    odds = o.odds
    if odds is not None and odds.estimate is not None and math.isfinite(odds.estimate) and odds.estimate > 0:
        return odds.estimate, "common_or", odds.ci_low, odds.ci_high
    if o.exact_odds is not None:
        return o.exact_odds.estimate, "exact_common_or", o.exact_odds.ci_low, o.exact_odds.ci_high
    return o.test.excess, "excess_share", math.nan, math.nan


def _exact_or_text(value: float, low: float, high: float, lang: str) -> str:
    """'vô hạn; KTC 95% chính xác: từ 1,35 trở lên' (the estimate at an end of its support)."""
    if lang == "vi":
        est = "vô hạn" if math.isinf(value) else "bằng 0"
        ci = f"từ {_fmt(low, lang)} trở lên" if math.isinf(high) else f"từ 0 đến {_fmt(high, lang)}"
        return f"tỉ số chênh chính xác {est}; KTC 95% chính xác: {ci}"
    est = "infinite" if math.isinf(value) else "zero"
    ci = f"{_fmt(low, lang)} or more" if math.isinf(high) else f"0 to {_fmt(high, lang)}"
    return f"exact odds ratio {est}; exact 95% CI {ci}"


def _random_words(o: ClaimOutcome, value, name, low, high, p_text, lang) -> str:
    """The size sentence of an unstratified comparison (pilots drawn at random, no earlier rating)."""
    level = level_words(o.cut, o.to_year)[0 if lang == "vi" else 1]
    vi = lang == "vi"
    if name == "common_or":
        ci = (f"KTC 95%: {_fmt(low, lang)}–{_fmt(high, lang)}; " if vi else
              f"95% CI {_fmt(low, lang)}–{_fmt(high, lang)}; ") if math.isfinite(low) else ""
        if vi:
            return (f"Năm {o.to_year}, khả năng đạt {level} của đơn vị làm điểm (chọn ngẫu nhiên; tính theo tỉ số chênh) "
                    f"gấp {_fmt(value, lang)} lần mọi đơn vị không làm điểm ({ci}kiểm định chính xác, {p_text}).")
        return (f"In {o.to_year}, the odds that a pilot (drawn at random) reached {level} were {_fmt(value, lang)} "
                f"times those of every non-pilot ({ci}exact test, {p_text}).")
    if name == "exact_common_or":
        if vi:
            return (f"Năm {o.to_year}, so đơn vị làm điểm (chọn ngẫu nhiên) với mọi đơn vị không làm điểm về tỉ lệ đạt "
                    f"{level}: {_exact_or_text(value, low, high, lang)} (kiểm định chính xác, {p_text}).")
        return (f"In {o.to_year}, pilots (drawn at random) vs every non-pilot at reaching {level}: "
                f"{_exact_or_text(value, low, high, lang)} (exact test, {p_text}).")
    points = format_number(100 * value, 1, lang, thousands=False)
    if vi:
        return (f"Năm {o.to_year}, tỉ lệ đạt {level} của đơn vị làm điểm (chọn ngẫu nhiên) chênh {points} điểm phần "
                f"trăm so với mọi đơn vị không làm điểm (kiểm định chính xác, {p_text}).")
    return (f"In {o.to_year}, the share of pilots (drawn at random) reaching {level} differed by {points} percentage "
            f"points from every non-pilot (exact test, {p_text}).")


def _size_words(o: ClaimOutcome, p: float, lang: str) -> str:
    value, name, low, high = _size(o)
    years = years_text(o.strata_years)
    p_text = format_p_value(p, lang)
    if not o.strata_years:   # random selection, no rating before the programme: one stratum
        return _random_words(o, value, name, low, high, p_text, lang)
    level = level_words(o.cut, o.to_year)[0 if lang == "vi" else 1]
    if name == "common_or":
        ci = (f"KTC 95%: {_fmt(low, lang)}–{_fmt(high, lang)}; " if lang == "vi" else
              f"95% CI {_fmt(low, lang)}–{_fmt(high, lang)}; ") if math.isfinite(low) else ""
        if lang == "vi":
            return (f"Năm {o.to_year}, khả năng đạt {level} của đơn vị làm điểm (tính theo tỉ số chênh) gấp "
                    f"{_fmt(value, lang)} lần đơn vị không làm điểm có cùng xếp loại {years} ({ci}kiểm định phân "
                    f"tầng chính xác, {p_text}).")
        return (f"In {o.to_year}, the odds that a pilot reached {level} were {_fmt(value, lang)} times those "
                f"of non-pilots with the same {years} ratings ({ci}exact stratified test, {p_text}).")
    if name == "exact_common_or":
        side = (("đơn vị làm điểm không kém", "the pilots never did worse than")
                if math.isinf(value) else ("đơn vị làm điểm không hơn", "the pilots never did better than"))
        if lang == "vi":
            return (f"Năm {o.to_year}, trong mọi nhóm cùng xếp loại {years}, {side[0]} đơn vị không làm điểm về tỉ lệ "
                    f"đạt {level} ({_exact_or_text(value, low, high, lang)}; kiểm định phân tầng chính xác, {p_text}).")
        return (f"In {o.to_year}, within every group of the same {years} ratings, {side[1]} non-pilots at reaching "
                f"{level} ({_exact_or_text(value, low, high, lang)}; exact stratified test, {p_text}).")
    points = format_number(100 * value, 1, lang, thousands=False)
    if lang == "vi":
        return (f"Năm {o.to_year}, tỉ lệ đạt {level} của đơn vị làm điểm chênh {points} điểm phần trăm so với mức "
                f"kỳ vọng theo đơn vị không làm điểm có cùng xếp loại {years} (kiểm định phân tầng chính xác, "
                f"{p_text}).")
    return (f"In {o.to_year}, the share of pilots reaching {level} differed by {points} percentage points from what "
            f"non-pilots with the same {years} ratings predict (exact stratified test, {p_text}).")


def _caveats(o: ClaimOutcome, conclusion: str) -> list[Reason]:
    out = list(o.notes)
    t = o.test
    if t is not None and t.unmatched_pilots:
        shown = years_text(o.strata_years)
        ids = ", ".join(o.unmatched_ids[:10]) + (", …" if len(o.unmatched_ids) > 10 else "")
        out.append(Reason(
            f"{t.unmatched_pilots} trong {o.n_pilots_total} đơn vị làm điểm ({ids}) không có đơn vị không làm điểm "
            f"nào cùng xếp loại {shown}; chúng không được so sánh, và kết luận chỉ nói về {t.n_pilots} đơn vị còn lại.",
            f"{t.unmatched_pilots} of the {o.n_pilots_total} pilots ({ids}) have no non-pilot with the same {shown} "
            f"ratings; they are left out of the comparison, and the verdict speaks only for the other {t.n_pilots}."))
    elif t is not None and t.n_pilots + t.unmatched_pilots < o.n_pilots_total:
        lost = o.n_pilots_total - t.n_pilots - t.unmatched_pilots
        out.append(Reason(f"{lost} đơn vị làm điểm không có xếp loại năm {o.to_year} nên không được so sánh.",
                          f"{lost} pilots have no {o.to_year} rating and are not compared."))
    if o.selection.kind == "unknown" and o.primary_ran:
        out.append(Reason(
            "Tệp nghiên cứu không ghi đơn vị làm điểm được chọn thế nào: so sánh này hợp lệ nếu "
            f"việc chọn chỉ dựa vào xếp loại đến năm {o.from_year} (và sự ngẫu nhiên).",
            "The study file does not say how the pilots were chosen (selection: unknown): this comparison is valid "
            f"if the choice used only the ratings up to {o.from_year} (and chance)."))
    b = o.balance
    if len(b) and o.from_year in set(b["year"]):
        row = b[b["year"] == o.from_year].iloc[0]
        if math.isfinite(row.good_or_better_pilots) and math.isfinite(row.good_or_better_rest):
            out.append(Reason(
                f"Năm {o.from_year}, trước khi làm điểm, {_pct(row.good_or_better_pilots, 'vi')} đơn vị làm điểm đạt "
                f"HTTNV trở lên, so với {_pct(row.good_or_better_rest, 'vi')} đơn vị khác.",
                f"In {o.from_year}, before the programme, {_pct(row.good_or_better_pilots, 'en')} of the pilots were "
                f"HTTNV or better, against {_pct(row.good_or_better_rest, 'en')} of the other units."))
    pl = o.placebo
    declared_elsewhere = o.selection.kind == "random" or (o.selection.kind == "rating" and
                                                          o.from_year not in o.selection.years)
    if pl is not None and pl.n_strata and math.isfinite(pl.p_value) and pl.p_value < ALPHA and declared_elsewhere:
        how = (("được khai báo là chọn ngẫu nhiên", "were declared drawn at random") if o.selection.kind == "random"
               else (f"được khai báo là chọn theo xếp loại năm {years_text(o.selection.years)}",
                     f"were declared chosen on their {years_text(o.selection.years)} ratings"))
        out.append(Reason(
            f"Đơn vị làm điểm {how[0]}, nhưng trước khi làm điểm, năm {o.from_year} chúng đã khác đơn vị cùng xếp loại "
            f"các năm trước (kiểm tra giả, {format_p_value(pl.p_value, 'vi')}): hãy kiểm tra lại cách chọn đã khai "
            "báo; nếu việc chọn dựa vào điều gì khác ngoài xếp loại thì kết luận có thể lệch.",
            f"The pilots {how[1]}, yet before the programme, in {o.from_year}, they already differed from units with "
            f"the same earlier ratings (placebo, {format_p_value(pl.p_value, 'en')}): check the declared selection; "
            "if the choice used anything other than the ratings, the verdict may be biased."))
    elif pl is not None and pl.n_strata and math.isfinite(pl.p_value) and pl.p_value < ALPHA:
        out.append(Reason(
            f"Trước khi làm điểm, năm {o.from_year} đơn vị làm điểm đã khác đơn vị cùng xếp loại các năm trước "
            f"(kiểm tra giả, {format_p_value(pl.p_value, 'vi')}): chúng được chọn theo (hoặc đã khác từ) năm "
            f"{o.from_year}. So sánh chính khớp cả năm này nên không bị ảnh hưởng nếu việc chọn chỉ dựa vào xếp loại; "
            "nếu dựa vào điều gì khác thì kết luận có thể lệch.",
            f"Before the programme, in {o.from_year} the pilots already differed from units with the same earlier "
            f"ratings (placebo, {format_p_value(pl.p_value, 'en')}): they were chosen on (or differed in) "
            f"{o.from_year}. The primary comparison matches on that year too, so it is unaffected if the choice used "
            "only ratings; if it used something else, the verdict may be biased."))
    if conclusion == "no_evidence" and t is not None and t.p_min >= 0.01:
        out.append(Reason(
            f"Với {t.n_pilots} đơn vị làm điểm có đối chứng, kiểm định chỉ phát hiện được tác động rất lớn (p nhỏ nhất "
            f"có thể đạt là {_fmt(t.p_min, 'vi', 3)}).",
            f"With {t.n_pilots} comparable pilots the test can detect only a very large effect (the smallest p it "
            f"could give is {_fmt(t.p_min, 'en', 3)})."))
    return out


def judge(o: ClaimOutcome, p_decision: float | None = None, primary_test: str | None = None) -> dict:
    """One claim's entry of verdict.json (keys :data:`VERDICT_KEYS`) from its outcome.

    ``p_decision`` is the p-value the conclusion uses (Holm-adjusted across claims); by default
    the primary test's own p-value.
    """
    label = o.claim.label or Reason(*WORDS["claim"])
    n_comp = o.test.n_comparison if o.test is not None else 0
    n_pil = o.test.n_pilots if o.test is not None and o.primary_ran else 0
    entry = {"id": o.claim.id, "primary_test": primary_test, "p_value": None, "effect": None, "effect_name": None,
             "ci_low": None, "ci_high": None, "n_pilots": int(n_pil), "n_comparison": int(n_comp)}
    t = o.test
    reason = o.reason
    if reason is None and t is not None and t.p_min > ALPHA:
        reason = Reason(f"chỉ {t.n_pilots} đơn vị làm điểm có đơn vị đối chứng cùng xếp loại, quá ít để bất kỳ kết quả "
                        f"nào đạt p < 0,05 (p nhỏ nhất có thể là {_fmt(t.p_min, 'vi', 3)})",
                        f"only {t.n_pilots} pilots have comparison units with the same ratings, too few for any result "
                        f"to reach p < .05 (the smallest possible p is {_fmt(t.p_min, 'en', 3)})")
    if reason is not None:
        conclusion = "cannot_tell"
        sentences = {lang: f"{WORDS['cannot_tell'][i]}: {reason.text(lang)}." for i, lang in enumerate(("vi", "en"))}
    else:
        p = t.p_value if p_decision is None or not math.isfinite(p_decision) else p_decision
        value, name, low, high = _size(o)
        entry.update(p_value=float(p), effect=float(value) if math.isfinite(value) else None, effect_name=name,
                     ci_low=float(low) if math.isfinite(low) else None,
                     ci_high=float(high) if math.isfinite(high) else None)
        if p < ALPHA:
            conclusion = "effect"
            head = WORDS["effect_up"] if t.statistic > 0 else WORDS["effect_down"]
        else:
            conclusion = "no_evidence"
            head = WORDS["no_evidence"]
        sentences = {lang: f"{head[i]} {_size_words(o, p, lang)}" for i, lang in enumerate(("vi", "en"))}
        started_low = (len(o.balance) and o.from_year in set(o.balance["year"]) and
                       (o.balance.set_index("year").loc[o.from_year, "mean_pilots"] <
                        o.balance.set_index("year").loc[o.from_year, "mean_rest"]))
        if conclusion == "no_evidence" and started_low and o.pilots_after > o.pilots_before:
            sentences["vi"] += (f" Đơn vị làm điểm có khá lên (HTTNV trở lên từ {_pct(o.pilots_before, 'vi')} năm "
                                f"{o.from_year} lên {_pct(o.pilots_after, 'vi')} năm {o.to_year}), nhưng chúng được chọn "
                                "khi đang yếu, và đơn vị cùng xếp loại ban đầu cũng khá lên tương tự: " + RTM_MARK[0])
            sentences["en"] += (f" The pilots did get better (HTTNV or better from {_pct(o.pilots_before, 'en')} in "
                                f"{o.from_year} to {_pct(o.pilots_after, 'en')} in {o.to_year}), but they started low, "
                                "and units with the same earlier ratings got better similarly: " + RTM_MARK[1])
    caveats = _caveats(o, conclusion)
    cited = [primary_test] if primary_test else []
    if any("(placebo, " in c.en for c in caveats) and len(o.rows):  # the placebo's p-value is quoted
        cited += [t for t in o.rows["test"].astype(str) if t.startswith(PLACEBO_TEST)]
    entry.update(conclusion=conclusion, sentence_vi=f"{label.vi} {sentences['vi']}",
                 sentence_en=f"{label.en} {sentences['en']}",
                 caveats=[{"vi": c.vi, "en": c.en} for c in caveats], tests_cited=cited)
    return {k: entry[k] for k in VERDICT_KEYS}


def cannot_tell_entry(claim: designs.Claim, reason: Reason, caveats=(), said=(), cited=()) -> dict:
    """A "cannot tell" entry for a claim the study's data cannot reach (published totals, no pilots).

    ``said`` are sentences of what the data *can* say; they follow "cannot tell" in the sentence
    (and so in the headline). ``cited`` are the results.csv tests whose numbers they quote.
    """
    if claim.label is not None:
        label = claim.label
    elif claim.kind == "ratings-changed":
        label = Reason(*WORDS["change_claim_plain"])
    else:
        label = Reason(*WORDS["claim"])
    more = {lang: "".join(f" {x.text(lang)}" for x in said) for lang in ("vi", "en")}
    entry = {"id": claim.id, "conclusion": "cannot_tell", "primary_test": None, "p_value": None, "effect": None,
             "effect_name": None, "ci_low": None, "ci_high": None, "n_pilots": 0, "n_comparison": 0,
             "sentence_vi": f"{label.vi} {WORDS['cannot_tell'][0]}: {reason.vi}.{more['vi']}",
             "sentence_en": f"{label.en} {WORDS['cannot_tell'][1]}: {reason.en}.{more['en']}",
             "caveats": [{"vi": c.vi, "en": c.en} for c in caveats], "tests_cited": list(cited)}
    if claim.kind == "ratings-changed":
        entry["sentence_vi"] = f"{label.vi} Dữ liệu này không cho biết: {reason.vi}."
        entry["sentence_en"] = f"{label.en} These data cannot tell: {reason.en}."
    return {k: entry[k] for k in VERDICT_KEYS}


def change_entry(claim: designs.Claim, before, after, level, p_value: float, ci, test: str,
                 top_change: Reason | None = None) -> dict:
    """The entry of a ``ratings-changed`` claim (a whole area's published totals in two years).

    Parameters
    ----------
    before, after : (int, int, int)
        (units reaching ``level``, units rated, year) of each year.
    level : (str, str)
        The level's words, e.g. ('HTTNV trở lên', 'HTTNV or better').
    p_value : float
        The exact p-value of the harmonised comparison (Holm-adjusted in its family).
    ci : (float, float)
        95 % interval of the change in the share (after − before), as proportions.
    test : str
        The results-table name of the comparison (``primary_test``).
    top_change : Reason, optional
        The top level's counts when the scale changed between the years (not comparable).
    """
    (xb, nb, yb), (xa, na, ya) = before, after
    diff = xa / na - xb / nb
    label = claim.label or Reason(WORDS["change_claim"][0].format(yb, ya), WORDS["change_claim"][1].format(yb, ya))
    conclusion = "effect" if p_value < ALPHA else "no_evidence"
    head = WORDS["change_yes" if conclusion == "effect" else "change_no"]
    sentences = {}
    for i, lang in enumerate(("vi", "en")):
        pts = format_number(abs(100 * diff), 1, lang, thousands=False)
        lo, hi = (format_number(100 * x, 1, lang, thousands=False) for x in ci)
        share = (lambda x, n: _pct(x / n, lang))
        if lang == "vi":
            way = "tăng" if diff > 0 else "giảm"
            move = "lên" if diff > 0 else "xuống"
            body = (f"tỉ lệ tổ chức đạt {level[0]} {way} {pts} điểm phần trăm, từ {xb}/{nb} ({share(xb, nb)}) năm {yb} "
                    f"{move} {xa}/{na} ({share(xa, na)}) năm {ya} (KTC 95% của mức thay đổi: {lo} đến {hi} điểm phần "
                    f"trăm; kiểm định chính xác Fisher, {format_p_value(p_value, lang)}).")
        else:
            way = "rose" if diff > 0 else "fell"
            body = (f"the share of organisations rated {level[1]} {way} by {pts} percentage points, from {xb}/{nb} "
                    f"({share(xb, nb)}) in {yb} to {xa}/{na} ({share(xa, na)}) in {ya} (95% CI of the change "
                    f"{lo} to {hi} points; Fisher exact test, {format_p_value(p_value, lang)}).")
        text = f"{head[i]} {body}"
        if top_change is not None:
            text += (f" Mức cao nhất không so sánh được giữa {yb} và {ya} vì thang xếp loại đã đổi ({top_change.vi}: "
                     "hai mức khác nhau, không so được với nhau)." if lang == "vi" else
                     f" The top level cannot be compared between {yb} and {ya} because the rating scale changed "
                     f"({top_change.en}: two different levels that cannot be compared).")
        text += f" {WORDS['not_programme'][i]}"
        sentences[lang] = text
    entry = {"id": claim.id, "conclusion": conclusion, "primary_test": test, "p_value": float(p_value),
             "effect": float(diff), "effect_name": "difference_in_proportions", "ci_low": float(ci[0]),
             "ci_high": float(ci[1]), "n_pilots": 0, "n_comparison": 0,
             "sentence_vi": f"{label.vi} {sentences['vi']}", "sentence_en": f"{label.en} {sentences['en']}",
             "caveats": [], "tests_cited": [test]}
    return {k: entry[k] for k in VERDICT_KEYS}


def _short(entry: dict, lang: str) -> str:
    """One claim's conclusion in one short sentence (the headline); the claim's sentence gives the rest."""
    i = 0 if lang == "vi" else 1
    text = entry[f"sentence_{lang}"]
    for key in ("change_yes", "change_no"):
        if WORDS[key][i] in text:
            return text[text.find(WORDS[key][i]):]
    if entry["conclusion"] == "cannot_tell":
        start = text.find(WORDS["cannot_tell"][i])
        return text[start:] if start >= 0 else text
    head = (WORDS["no_evidence"] if entry["conclusion"] == "no_evidence" else
            WORDS["effect_up"] if WORDS["effect_up"][i] in text else WORDS["effect_down"])[i]
    if entry["effect_name"] == "common_or":
        ci = ""
        if entry["ci_low"] is not None:
            ci = (f"; KTC 95%: {_fmt(entry['ci_low'], lang)}–{_fmt(entry['ci_high'], lang)}" if lang == "vi" else
                  f"; 95% CI {_fmt(entry['ci_low'], lang)}–{_fmt(entry['ci_high'], lang)}")
        size = (f"tỉ số chênh {_fmt(entry['effect'], lang)}{ci}" if lang == "vi" else
                f"odds ratio {_fmt(entry['effect'], lang)}{ci}")
        head = f"{head[:-1]} ({size})."
    if entry["effect_name"] == "exact_common_or":
        value = entry["effect"] if entry["effect"] is not None else math.inf
        low = entry["ci_low"] if entry["ci_low"] is not None else 0.0
        high = entry["ci_high"] if entry["ci_high"] is not None else math.inf
        head = f"{head[:-1]} ({_exact_or_text(value, low, high, lang)})."
    if RTM_MARK[i] in text:
        head += (" Phần khá lên của đơn vị làm điểm là hồi quy về trung bình." if lang == "vi" else
                 " The pilots' own improvement is regression to the mean.")
    return head


def headline(entries: list[dict]) -> tuple[str, str]:
    """The study's headline: each claim's conclusion in one short sentence, claims in order."""
    if not entries:
        return WORDS["no_claim"]
    return " ".join(_short(e, "vi") for e in entries), " ".join(_short(e, "en") for e in entries)


def __getattr__(name):
    """The study-level functions moved to :mod:`helpers.inference.verdict_study` (kept importable from here)."""
    if name in ("StudyVerdict", "run_study", "verdict_markdown", "balance_frame"):
        from helpers.inference import verdict_study
        return getattr(verdict_study, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
