"""The designs of :mod:`helpers.inference.battery` run on published counts, one frame of result rows each.

Totals before and after (paired range over the joint tables), two years as independent samples,
power of a planned comparison, and pilots against a published reference distribution (with the
layout of pooled, unprinted levels).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd

from helpers.export.glossary_notes import note_words
from helpers.inference import contingency, power, reference, totals
from helpers.inference.effects import newcombe_difference
from helpers.inference.results import Reason, refused_row, rows_to_frame
from helpers.scales import COMMON_ORDER, contrast as get_contrast
from helpers.inference.published_counts import published_counts
from helpers.inference.battery_inputs import _collapse, _cut_index, _lead, _published_pair, _scale_problem


def _run_totals(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    (before, after), refusal = _published_pair(study, entry, published, ("before", "after"), "a",
                                               "paired range over joint tables")
    if refusal is not None:
        return refusal
    labels = (str(before.year), str(after.year))
    problem = _scale_problem(before.scale_id, after.scale_id, entry)
    if problem:
        return rows_to_frame([refused_row(study, "a", "paired range over joint tables", problem, lead=lead)])
    b, a = before.counts, after.counts
    cut = _cut_index(entry)
    if before.scale_id != after.scale_id or "contrast" in entry:  # the contrast is used whenever given
        b, a = _collapse(b, entry["contrast"]), _collapse(a, entry["contrast"])
        cut = 1
    frame, _ = totals.totals_analysis(b, a, study=study, cut=cut, labels=labels, lead=lead)
    return frame


def _run_compare_years(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    test = "Fisher exact, two years as independent samples"
    (before, after), refusal = _published_pair(study, entry, published, ("before", "after"), "a", test)
    if refusal is not None:
        return refusal
    problem = _scale_problem(before.scale_id, after.scale_id, entry)
    if problem:
        return rows_to_frame([refused_row(study, "a", f"{test} (naive comparison)", problem, lead=lead)])
    if "contrast" in entry:
        name = entry["contrast"]
        b, a = _collapse(before.counts, name), _collapse(after.counts, name)
        table = np.array([a, b])
        frame = contingency.fisher_freeman_halton(
            table, study, "a", lead, test=f"Fisher exact, {name}, {before.year} vs {after.year}",
            effect=newcombe_difference(a[1], sum(a), b[1], sum(b)),
            assumptions=f"; harmonised contrast {name} ({get_contrast(name).label_en}); years as independent "
                        "samples")
        return frame
    return contingency.two_sample_battery(after.counts, before.counts, study, "a", lead)


def _run_power(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    if "n" in entry:
        n = int(entry["n"])
    else:
        counts = published_counts(published, entry["table"])
        if isinstance(counts, Reason):
            return rows_to_frame([refused_row(study, "a", "power: exact sign test", counts, lead=lead)])
        n = counts.n
    return power.power_statement(n, study=study, question="a", lead=lead)


def _run_reference(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    (pilots, ref), refusal = _published_pair(study, entry, published, ("pilots", "reference"), "b",
                                             "exact multinomial goodness of fit")
    if refusal is not None:
        return refusal
    if pilots.scale_id != ref.scale_id:
        return rows_to_frame([refused_row(study, "b", "exact multinomial goodness of fit",
                                          _scale_problem(pilots.scale_id, ref.scale_id, {}), lead=lead)])
    printed = [i for i in range(4) if ref.percent_values[i] is not None]
    percents = [Fraction(ref.percent_values[i]) for i in printed]
    decimals = [len(ref.percents[i].rstrip("%").replace(",", ".").partition(".")[2]) for i in printed]
    remainder = 100 - sum(percents)
    slack = sum(Fraction(1, 2 * 10 ** d) for d in decimals)
    counts = [pilots.counts[i] for i in printed]
    frames = []
    note_rest = ""
    if remainder > slack:
        # the printed levels leave a share unprinted: one more category "the other levels"
        rest_levels = [i for i in range(4) if i not in printed]
        counts.append(sum(pilots.counts[i] for i in rest_levels))
        percents.append(remainder)
        decimals.append(max(decimals))
        note_rest = note_words("levels_pooled", "en", ", ".join(COMMON_ORDER[i] for i in rest_levels),
                               f"{float(remainder):g}")
    mult = reference.exact_multinomial(counts, percents, decimals, study, "b", lead)
    gof = reference.goodness_of_fit(counts, percents, decimals, study, "b", lead)
    for f in (mult, gof):
        if note_rest:
            f["note"] = (f["note"] + "; " if f["note"].iloc[0] else "") + note_rest
    frames += [mult, gof]
    cut = _cut_index(entry)
    if cut is not None:
        share_idx = [i for i in printed if i >= cut]
        x = sum(pilots.counts[i] for i in range(cut, 4))
        pct = sum(Fraction(ref.percent_values[i]) for i in share_idx)
        frames.append(reference.binomial_share(x, pilots.n, pct, study, "b", lead))
    if entry.get("remove_pilots"):
        from helpers.published import recover_bases

        candidates = recover_bases([ref.percents[i] for i in printed])
        pooled = remainder > slack
        layout, unordered = _category_layout(printed, pooled)

        @dataclass(frozen=True)
        class _Base:
            base: int
            counts: tuple

        bases = []
        for cand in candidates:
            province = list(cand.counts)  # printed order, then the unprinted remainder
            if pooled:
                province.append(cand.base - sum(province))
            bases.append(_Base(cand.base, tuple(province[j] for j in layout.sources)))
        res, sens = reference.pilots_vs_rest_of_province(
            [sum(pilots.counts[i] for i in levels) for levels in layout.levels], bases, study, "b",
            n_bases=int(entry.get("bases", 4)), lead=lead, unordered=unordered)
        order_text = note_words("categories_in_order", "en", ", ".join("+".join(COMMON_ORDER[i] for i in levels)
                                                                       for levels in layout.levels))
        res["note"] = [f"{n}; {order_text}" if n else order_text for n in res["note"]]
        frames.append(res)
        return pd.concat(frames, ignore_index=True), len(frames) - 1
    return pd.concat(frames, ignore_index=True), 0


@dataclass(frozen=True)
class _Layout:
    """Categories of a pilots-vs-province table: common levels of each, and where each comes from
    in the recovered counts (the printed levels in printed order, then the pooled remainder)."""

    levels: tuple
    sources: tuple


def _category_layout(printed: list[int], pooled: bool) -> tuple[_Layout, Reason | None]:
    """The categories in rating order, and why they have no order (None when they do).

    The unprinted levels pooled into one "other levels" category belong where those levels
    are in the rating order when they are adjacent (e.g. the unprinted lowest level goes
    first, not last). When they are not adjacent (e.g. fail and good unprinted, pass
    printed), the pooled category straddles a printed level and has no place in the order:
    the categories are then kept (the Fisher–Freeman–Halton test does not use the order)
    but the ordinal effect is refused with that reason.
    """
    rest = [i for i in range(len(COMMON_ORDER)) if i not in printed]
    cats = [((i,), printed.index(i)) for i in printed]
    if pooled and rest:
        cats.append((tuple(rest), len(printed)))
    if pooled and rest and rest != list(range(rest[0], rest[-1] + 1)):
        names = ", ".join(COMMON_ORDER[i] for i in rest)
        reason = Reason(f"các mức không in ({names}) bị gộp thành một nhóm không liền nhau trong thứ tự xếp loại: "
                        "nhóm gộp không có vị trí trong thứ tự, nên không tính δ của Cliff",
                        f"the unprinted levels ({names}) pooled into one category are not adjacent in the rating "
                        "order: the pooled category has no place in the order, so Cliff's δ is not computed")
        return _Layout(tuple(c[0] for c in cats), tuple(c[1] for c in cats)), reason
    cats.sort(key=lambda c: c[0][0])
    return _Layout(tuple(c[0] for c in cats), tuple(c[1] for c in cats)), None
