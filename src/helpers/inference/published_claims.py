"""Claims on published totals only: say honestly that they cannot tell, and what the numbers do show.

Published tables give the pilots' counts before and after (and perhaps a province's
percentages), never comparison units with the same earlier ratings, so a claim "the pilots
improved more than comparable units" is always "cannot tell" here. The caveats say what can
be said: the pilots' own change (which regression to the mean or a trend would also produce),
and, when the pilots' *earlier* table is printed, whether they already differed from the
province before the programme — in which case pilots vs the province says nothing about it.
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


def published_claim(study, claim: Claim) -> dict:
    """The verdict entry (helpers.inference.verdict schema) of ``claim`` on a published-totals study."""
    from helpers.inference.published_counts import published_counts
    from helpers.inference.verdict import WORDS, cannot_tell_entry

    analyses = list(study.analyses)
    totals = [e for e in analyses if e.get("design") == "totals"]
    references = [e for e in analyses if e.get("design") == "reference"]
    if not totals and not references:
        return cannot_tell_entry(claim, Reason(*WORDS["no_pilots_study"]))
    from helpers.published import read_published

    published = read_published(study.published)
    caveats = []
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
    return cannot_tell_entry(claim, Reason(*WORDS["totals_only"]), caveats)
