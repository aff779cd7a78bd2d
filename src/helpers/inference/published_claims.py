"""Claims on published totals only: say honestly that they cannot tell, and what the numbers do show.

Published tables give the pilots' counts before and after (and perhaps a province's
percentages), never comparison units with the same earlier ratings, so a claim "the pilots
improved more than comparable units" is always "cannot tell" here. The caveats say what can
be said: the pilots' own change (which regression to the mean or a trend would also produce),
and, when the pilots' *earlier* table is printed, whether they already differed from the
province before the programme — in which case pilots vs the province says nothing about it.
Those facts also go into the claim's sentence (so into the headline), after "cannot tell":
what *can* be said, with the range of the McNemar p-value over the unknown pairings read from
the results table (``p_low``, ``p_high``).

A study with no pilots at all answers its own question instead (:func:`change_claim`): did
the area's ratings change between two years, by its harmonised ``compare-years`` comparison.
"""

from __future__ import annotations

from fractions import Fraction

from helpers.inference.claims import level_words
from helpers.inference.designs import Claim
from helpers.inference.results import Reason
from helpers.numbers import format_number
from helpers.scales import COMMON_ORDER


def _share(counts, cut) -> tuple[int, int]:
    return sum(counts[cut:]), sum(counts)


def _pct(x: Fraction, lang: str, decimals: int = 1) -> str:
    return format_number(float(x), decimals, lang, thousands=False) + "%"


def _p_range(table, analysis_id: str) -> tuple[float, float, str] | None:
    """(p_low, p_high, test) of the McNemar range-over-pairings row of analysis ``analysis_id``, if it ran."""
    if table is None or not len(table):
        return None
    rows = table[table["test"].str.startswith("exact McNemar") & table["test"].str.endswith(f"[{analysis_id}]")
                 & table["p_low"].notna() & table["p_high"].notna()]
    if rows.empty:
        return None
    return float(rows["p_low"].iloc[0]), float(rows["p_high"].iloc[0]), str(rows["test"].iloc[0])


def _change_words(xb, nb, xa, na, yb, ya, level: tuple[str, str]) -> Reason:
    """'TSVM từ 30/56 (53,6%) năm 2011 lên 39/56 (69,6%) năm 2013' in both languages."""
    sb, sa = Fraction(100 * xb, nb), Fraction(100 * xa, na)
    verb_vi = "lên" if sa > sb else "xuống" if sa < sb else "và"
    if sa == sb:
        return Reason(f"{level[0]} giữ nguyên {xb}/{nb} ({_pct(sb, 'vi')}) năm {yb} và {xa}/{na} năm {ya}",
                      f"{level[1]} stayed at {xb}/{nb} ({_pct(sb, 'en')}) in {yb} and {xa}/{na} in {ya}")
    return Reason(f"{level[0]} từ {xb}/{nb} ({_pct(sb, 'vi')}) năm {yb} {verb_vi} {xa}/{na} ({_pct(sa, 'vi')}) "
                  f"năm {ya}",
                  f"{level[1]} went from {xb}/{nb} ({_pct(sb, 'en')}) in {yb} to {xa}/{na} ({_pct(sa, 'en')}) in {ya}")


def published_claim(study, claim: Claim, table=None) -> dict:
    """The verdict entry (helpers.inference.verdict schema) of ``claim`` on a published-totals study.

    ``table`` is the study's results table (for the p-value ranges over pairings).
    """
    from helpers.inference.published_counts import published_counts
    from helpers.inference.verdict import WORDS, cannot_tell_entry, p_range_words

    analyses = list(study.analyses)
    totals = [e for e in analyses if e.get("design") == "totals"]
    references = [e for e in analyses if e.get("design") == "reference"]
    if not totals and not references:
        return cannot_tell_entry(claim, Reason(*WORDS["no_pilots_study"]))
    from helpers.published import read_published

    published = read_published(study.published)
    caveats = []
    said = []   # what can be said, for the sentence
    cited = []  # the results.csv tests whose numbers it quotes
    for e in totals:
        before, after = published_counts(published, e["before"]), published_counts(published, e["after"])
        if isinstance(before, Reason) or isinstance(after, Reason) or not before.n or not after.n:
            continue
        if before.scale_id != after.scale_id:
            continue
        cut = COMMON_ORDER.index(e.get("cut", "top"))
        words = level_words(cut, after.year)
        (xb, nb), (xa, na) = _share(before.counts, cut), _share(after.counts, cut)
        vi = (f"Các đơn vị làm điểm: {words[0]} từ {xb}/{nb} ({_pct(Fraction(100 * xb, nb), 'vi')}) năm {before.year} "
              f"lên {xa}/{na} ({_pct(Fraction(100 * xa, na), 'vi')}) năm {after.year}. Riêng thay đổi này không chứng "
              "minh tác động: không có đơn vị đối chứng, nên không tách được khỏi hồi quy về trung bình hay xu hướng "
              "chung.")
        en = (f"The pilots: {words[1]} went from {xb}/{nb} ({_pct(Fraction(100 * xb, nb), 'en')}) in {before.year} "
              f"to {xa}/{na} ({_pct(Fraction(100 * xa, na), 'en')}) in {after.year}. This change alone shows no "
              "effect: with no comparison units it cannot be told apart from regression to the mean or a general "
              "trend.")
        if xb == xa:
            vi = vi.replace(" lên ", " đến ")
            en = en.replace("went from", "stayed at").replace(" to ", " and ")
        caveats.append(Reason(vi, en))
        top = len(COMMON_ORDER) - 1
        parts = []
        if cut != top:
            parts.append(_change_words(*_share(before.counts, top), *_share(after.counts, top), before.year,
                                       after.year, level_words(top, after.year)))
        change = _change_words(xb, nb, xa, na, before.year, after.year, words)
        rng = _p_range(table, e.get("id", ""))
        if rng is not None:
            pr = p_range_words(*rng[:2])
            cited.append(rng[2])
            change = Reason(f"{change.vi} ({pr.vi})", f"{change.en} ({pr.en})")
        parts.append(change)
        better = xa > xb
        said.append(Reason(f"Điều có thể nói: {nb} đơn vị làm điểm " + ("tự khá lên: " if better else "thay đổi: ")
                           + "; ".join(x.vi for x in parts)
                           + ". Không có đơn vị đối chứng nên không tách được phần khá lên này khỏi hồi quy về trung "
                             "bình hay việc chọn những đơn vị có triển vọng.",
                           f"What can be said: the {nb} pilots " + ("themselves improved: " if better else "changed: ")
                           + "; ".join(x.en for x in parts)
                           + ". With no comparison units this cannot be told apart from regression to the mean or "
                             "from picking promising units."))
    for e in references:
        ref = published_counts(published, e["reference"])
        source = next((t for t in totals if t.get("after") == e.get("pilots")), None)
        if source is None or isinstance(ref, Reason):
            continue
        before = published_counts(published, source["before"])
        if isinstance(before, Reason) or not before.n:
            continue
        cut = COMMON_ORDER.index(e.get("cut", "top"))
        printed = [i for i in range(cut, 4) if ref.percent_values[i] is not None]
        if not printed:
            continue
        ref_share = sum(Fraction(ref.percent_values[i]) for i in printed)
        ref_text = {lang: (ref.percents[printed[0]] if len(printed) == 1 and lang == "vi"
                           else _pct(ref_share, lang, 2)) for lang in ("vi", "en")}
        x, n = _share(before.counts, cut)
        mine = Fraction(100 * x, n)
        words = level_words(cut, before.year)
        side = ("cao hơn", "above") if mine > ref_share else ("thấp hơn", "below") if mine < ref_share else \
            ("bằng", "equal to")
        caveats.append(Reason(
            f"Năm {before.year}, trước khi làm điểm, các đơn vị làm điểm đã có {x}/{n} ({_pct(mine, 'vi')}) đạt "
            f"{words[0]}, {side[0]} mức {ref_text['vi']} của toàn tỉnh năm {ref.year}: so sánh đơn vị làm điểm với "
            f"toàn tỉnh năm {ref.year} không nói lên tác động của làm điểm.",
            f"In {before.year}, before the programme, the pilots already had {x}/{n} ({_pct(mine, 'en')}) rated "
            f"{words[1]}, {side[1]} the province's {ref_text['en']} in {ref.year}: comparing the pilots with the "
            f"province in {ref.year} says nothing about the programme."))
        said.append(Reason(
            f"Ngay năm {before.year}, trước khi làm điểm, đơn vị làm điểm đã tốt hơn: {x}/{n} ({_pct(mine, 'vi')}) đạt "
            f"{words[0]}, so với {ref_text['vi']} của toàn tỉnh năm {ref.year}." if mine > ref_share else
            f"Năm {before.year}, trước khi làm điểm, {x}/{n} ({_pct(mine, 'vi')}) đơn vị làm điểm đạt {words[0]}, so "
            f"với {ref_text['vi']} của toàn tỉnh năm {ref.year}.",
            f"The pilots were already better in {before.year}, before the programme: {x}/{n} ({_pct(mine, 'en')}) "
            f"were {words[1]}, against the province's {ref_text['en']} in {ref.year}." if mine > ref_share else
            f"In {before.year}, before the programme, {x}/{n} ({_pct(mine, 'en')}) of the pilots were {words[1]}, "
            f"against the province's {ref_text['en']} in {ref.year}."))
    return cannot_tell_entry(claim, Reason(*WORDS["totals_only"]), caveats, said, cited)


def change_claim(study, claim: Claim, table) -> dict:
    """The verdict entry of a ``ratings-changed`` claim: the study's harmonised year comparison.

    Takes the first ``compare-years`` analysis in the Holm family whose test ran (a harmonised
    contrast; the top level across a scale change is refused by the battery), and says the
    change in the share reaching the contrast's levels, with its Newcombe 95 % interval and
    (Holm-adjusted) exact p-value; that the top level cannot be compared when the scale
    changed; and that a change of totals is not evidence about any programme.
    """
    from helpers.inference.published_counts import published_counts
    from helpers.inference.verdict import WORDS, cannot_tell_entry, change_entry
    from helpers.published import read_published
    from helpers.scales import contrast as get_contrast

    candidates = [e for e in study.analyses if e.get("design") == "compare-years" and "contrast" in e
                  and e.get("family") != "none"]
    published = read_published(study.published) if candidates else None
    for e in candidates:
        rows = table[table["test"].str.endswith(f"[{e.get('id', '')}]") & table["p_value"].notna()] \
            if len(table) else table
        before, after = published_counts(published, e["before"]), published_counts(published, e["after"])
        if rows.empty or isinstance(before, Reason) or isinstance(after, Reason):
            continue
        row = rows.iloc[0]
        contrast = get_contrast(e["contrast"])
        positive = [COMMON_ORDER.index(c) for c in contrast.positive]
        if positive == list(range(min(positive), len(COMMON_ORDER))):
            level = level_words(min(positive), after.year)
        else:
            level = (contrast.label_vi, contrast.label_en.lower())
        xb = sum(before.counts[i] for i in positive)
        xa = sum(after.counts[i] for i in positive)
        p = float(row["p_adjusted"]) if row["p_adjusted"] == row["p_adjusted"] else float(row["p_value"])
        top = len(COMMON_ORDER) - 1
        not_comparable = None
        if before.scale_id != after.scale_id:
            tb, ta = level_words(top, before.year)[0], level_words(top, after.year)[0]
            cb, ca = before.counts[top], after.counts[top]
            shares = {lang: (_pct(Fraction(100 * cb, before.n), lang), _pct(Fraction(100 * ca, after.n), lang))
                      for lang in ("vi", "en")}
            not_comparable = Reason(
                f"{tb} {cb}/{before.n} ({shares['vi'][0]}) năm {before.year}, {ta} {ca}/{after.n} ({shares['vi'][1]}) "
                f"năm {after.year}",
                f"{tb} {cb}/{before.n} ({shares['en'][0]}) in {before.year}, {ta} {ca}/{after.n} ({shares['en'][1]}) "
                f"in {after.year}")
        return change_entry(claim, before=(xb, before.n, before.year), after=(xa, after.n, after.year), level=level,
                            p_value=p, ci=(float(row["ci_low"]), float(row["ci_high"])), test=str(row["test"]),
                            top_change=not_comparable)
    return cannot_tell_entry(claim, Reason(*WORDS["no_harmonised"]))
