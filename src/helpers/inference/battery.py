"""Run a study's ``analyses:`` list: every test of each analysis, Holm-adjusted, one results table.

The schema of ``analyses:`` and its validation live in :mod:`helpers.inference.analyses`; the
counts of a published table in :mod:`helpers.inference.published_counts`. Each analysis has
one **primary** row (first row of its design); primary rows with the same ``family`` are
Holm-adjusted together (:func:`helpers.inference.results.holm_adjust`). Other rows are
supporting evidence, marked "outside the Holm family". The ``test`` column holds the test name
followed by the analysis id in brackets.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputError
from helpers.inference import contingency, ordinal, paired, power, reference, totals
from helpers.inference.analyses import validate_analyses
from helpers.inference.effects import newcombe_difference
from helpers.inference.published_counts import published_counts
from helpers.inference.results import RESULT_COLUMNS, Reason, apply_holm, refused_row, rows_to_frame
from helpers.scales import COMMON_ORDER, contrast as get_contrast, scale_for

__all__ = ["run_analyses", "validate_analyses", "published_counts"]


def _lead(entry: dict) -> Reason:
    label = entry.get("label")
    if isinstance(label, dict):
        return Reason(label["vi"], label["en"])
    return Reason(entry["id"], entry["id"])


def _cut_index(entry: dict) -> int | None:
    return COMMON_ORDER.index(entry["cut"]) if "cut" in entry else None


def _collapse(counts, contrast_name: str) -> tuple[int, int]:
    """(negative, positive) counts of a contrast."""
    c = get_contrast(contrast_name)
    pos = sum(counts[COMMON_ORDER.index(x)] for x in c.positive)
    return sum(counts) - pos, pos


def _scale_problem(scale_a: str, scale_b: str, entry: dict) -> Reason | None:
    """None when the comparison is allowed across the two scales, else why not."""
    if scale_a == scale_b:
        return None
    name = entry.get("contrast")
    if name is None:
        return Reason(f"hai năm dùng hai thang xếp loại khác nhau ({scale_a} và {scale_b}); mức cao nhất "
                      "(TSVM trước 2018, HTXSNV từ 2018) không so sánh được, nên không so sánh toàn bộ các mức. "
                      "Hãy chọn một phép so sánh hài hòa (ví dụ good_or_better)",
                      f"the two years use different rating scales ({scale_a} vs {scale_b}); the top level (TSVM "
                      "before 2018, HTXSNV from 2018) is not comparable, so the full categories are not compared. "
                      "Name a harmonised contrast (e.g. good_or_better)")
    if not get_contrast(name).valid_between(scale_a, scale_b):
        return Reason(f"phép so sánh '{name}' đặt mức cao nhất của {scale_a} cạnh mức cao nhất của {scale_b}, "
                      "hai mức này không tương đương (TSVM ≈ một nửa số tổ chức, HTXSNV hiếm): so sánh bị từ chối",
                      f"contrast '{name}' sets the top level of {scale_a} against that of {scale_b}; they are not "
                      "equivalent (TSVM went to about half of all organisations, HTXSNV is rare): comparison refused")
    return None


def _published_pair(study, entry, published, keys, question, test):
    """The published counts of the two tables ``entry`` names under ``keys``, and a refusal frame or None.

    The refusal (the first table that cannot be used, for its reason) is one row of ``test``.
    """
    pair = [published_counts(published, entry[key]) for key in keys]
    for x in pair:
        if isinstance(x, Reason):
            return pair, rows_to_frame([refused_row(study, question, test, x, lead=_lead(entry))])
    return pair, None


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
        note_rest = (f"levels not printed for the reference ({', '.join(COMMON_ORDER[i] for i in rest_levels)}) "
                     f"pooled as one category with the remaining {float(remainder):g}%")
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
        order_text = "categories in order " + ", ".join("+".join(COMMON_ORDER[i] for i in levels)
                                                        for levels in layout.levels)
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


def _panel_subset(panel, entry):
    p = panel
    level = entry.get("level", "organisation")
    if "level" in p.columns:
        p = p[p["level"] == level]
    return p


def _scale_of_year(panel, year) -> str:
    scales = panel.loc[panel["year"] == year, "scale"].dropna().unique() if "scale" in panel.columns else []
    return str(scales[0]) if len(scales) else scale_for(int(year)).id


def _binary_panel(panel, name):
    c = get_contrast(name)
    out = panel.copy()
    out["rating_order"] = out["rating_common"].isin(c.positive).astype(int)
    return out


def _prepare_panel(study, entry, panel, question, test):
    """(panel ready for the tests, k categories, refusal frame or None)."""
    lead = _lead(entry)
    if panel is None:
        return None, 0, rows_to_frame([refused_row(study, question, test, Reason(
            "nghiên cứu không có bảng dữ liệu từng đơn vị (processed/panel.parquet): chạy bước 01-clean trước",
            "the study has no unit-level panel (processed/panel.parquet): run step 01-clean first"), lead=lead)])
    p = _panel_subset(panel, entry)
    years = entry.get("years") or [entry.get("year")]
    scales = {_scale_of_year(p, y) for y in years if (p["year"] == y).any()}
    if len(scales) > 1:
        sa, sb = sorted(scales)[:2]
        problem = _scale_problem(sa, sb, entry)
        if problem:
            return None, 0, rows_to_frame([refused_row(study, question, test, problem, lead=lead)])
        return _binary_panel(p, entry["contrast"]), 2, None
    if "contrast" in entry:
        return _binary_panel(p, entry["contrast"]), 2, None
    return p, 4, None


def _run_paired(study, entry, panel) -> pd.DataFrame:
    lead = _lead(entry)
    p, k, refusal = _prepare_panel(study, entry, panel, "a", "Stuart–Maxwell marginal homogeneity")
    if refusal is not None:
        return refusal
    ya, yb = entry["years"]
    group = entry.get("group", "pilot")
    sub = p if group == "all" else p[p["pilot"].astype(bool) == (group == "pilot")]
    sub = sub[sub["rating_order"].notna()]
    a = sub[sub["year"] == ya].drop_duplicates("unit_id").set_index("unit_id")["rating_order"]
    b = sub[sub["year"] == yb].drop_duplicates("unit_id").set_index("unit_id")["rating_order"]
    both = a.index.intersection(b.index)
    if len(both) == 0:
        who = {"pilot": ("nhóm làm điểm", "the pilot group"), "other": ("nhóm không làm điểm", "non-pilots"),
               "all": ("bảng dữ liệu", "the panel")}[group]
        return rows_to_frame([refused_row(study, "a", "Stuart–Maxwell marginal homogeneity", Reason(
            f"{who[0]} không có đơn vị nào được xếp loại cả năm {ya} và năm {yb}",
            f"{who[1]} has no unit rated in both {ya} and {yb}"), lead=lead)])
    table = paired.paired_table(a.loc[both].astype(int), b.loc[both].astype(int), k)
    cut = 1 if k == 2 else _cut_index(entry)
    parts = [paired.stuart_maxwell(table, study, "a", lead) if k > 2 else
             paired.mcnemar_exact(table, 1, study, "a", lead, cut_label=entry.get("contrast", ""))]
    if k > 2:
        parts.append(paired.bowker(table, study, "a", lead))
        if cut is not None:
            parts.append(paired.mcnemar_exact(table, cut, study, "a", lead, cut_label=entry["cut"]))
    parts += [paired.sign_test_table(table, study=study, question="a", lead=lead),
              paired.wilcoxon_signed_rank(table, study, "a", lead),
              paired.permutation_signed_rank(table, study, "a", lead)]
    return pd.concat(parts, ignore_index=True)


def _run_repeated(study, entry, panel) -> pd.DataFrame:
    lead = _lead(entry)
    p, k, refusal = _prepare_panel(study, entry, panel, "a", "Friedman")
    if refusal is not None:
        return refusal
    group = entry.get("group", "pilot")
    sub = p if group == "all" else p[p["pilot"] == (group == "pilot")]
    wide = sub[sub["year"].isin(entry["years"])].pivot_table(index="unit_id", columns="year",
                                                            values="rating_order", aggfunc="first").dropna()
    missing = [y for y in entry["years"] if y not in wide.columns]
    if missing:
        return rows_to_frame([refused_row(study, "a", "Friedman", Reason(
            f"không có xếp loại năm {missing}", f"no ratings for year(s) {missing}"), lead=lead)])
    matrix = wide[entry["years"]].to_numpy()
    parts = [paired.friedman(matrix, study, "a", lead)] if k > 2 else []
    cut = 1 if k == 2 else _cut_index(entry)
    if cut is not None:
        parts.append(paired.cochran_q((matrix >= cut).astype(int), study, "a", lead,
                                      cut_label=entry.get("cut", entry.get("contrast", ""))))
    return pd.concat(parts, ignore_index=True)


def _run_two_sample(study, entry, panel, published) -> pd.DataFrame:
    lead = _lead(entry)
    if "year" in entry:
        p, k, refusal = _prepare_panel(study, entry, panel, "b", "Fisher–Freeman–Halton exact")
        if refusal is not None:
            return refusal
        y = p[p["year"] == entry["year"]].drop_duplicates("unit_id")
        x_counts = np.bincount(y.loc[y["pilot"].astype(bool), "rating_order"].astype(int), minlength=k)
        r_counts = np.bincount(y.loc[~y["pilot"].astype(bool), "rating_order"].astype(int), minlength=k)
        return contingency.two_sample_battery(x_counts, r_counts, study, "b", lead)
    (pilots, rest), refusal = _published_pair(study, entry, published, ("pilots", "rest"), "b",
                                              "Fisher–Freeman–Halton exact")
    if refusal is not None:
        return refusal
    problem = _scale_problem(pilots.scale_id, rest.scale_id, entry)
    if problem:
        return rows_to_frame([refused_row(study, "b", "Fisher–Freeman–Halton exact", problem, lead=lead)])
    if "contrast" in entry:
        return contingency.two_sample_battery(_collapse(pilots.counts, entry["contrast"]),
                                              _collapse(rest.counts, entry["contrast"]), study, "b", lead)
    return contingency.two_sample_battery(pilots.counts, rest.counts, study, "b", lead)


def _run_did(study, entry, panel) -> pd.DataFrame:
    lead = _lead(entry)
    p, k, refusal = _prepare_panel(study, entry, panel, "c", "proportional-odds logit, pilot × period")
    if refusal is not None:
        return refusal
    ya, yb = entry["years"]
    level = entry.get("level", "organisation")
    return pd.concat([ordinal.po_interaction(p, ya, yb, study, level, lead),
                      ordinal.randomisation_pilot(p, ya, yb, study, level, lead)], ignore_index=True)


def _run_baseline(study, entry, panel) -> pd.DataFrame:
    lead = _lead(entry)
    if "years" not in entry:
        return ordinal.rtm_statement(None, study=study, lead=lead)
    p, k, refusal = _prepare_panel(study, entry, panel, "d", "Cochran–Mantel–Haenszel")
    if refusal is not None:
        return refusal
    ya, yb = entry["years"]
    level = entry.get("level", "organisation")
    if "contrast" in entry:
        pooled = _contrast_pools_baseline(p, entry, ya, level)
        if pooled is not None:
            return rows_to_frame([refused_row(study, "d", test, pooled, lead=lead) for test in (
                "Cochran–Mantel–Haenszel (improved, stratified by baseline rating)",
                "proportional-odds logit, end rating ~ pilot + baseline")])
    frame = pd.concat([ordinal.cmh_baseline(p, ya, yb, study, level, lead),
                       ordinal.po_baseline(p, ya, yb, study, level, lead),
                       ordinal.rtm_statement(p, ya, yb, study, level, lead)], ignore_index=True)
    if "contrast" in entry:
        said = f"baseline strata are the two sides of contrast {entry['contrast']} (the four levels pooled into two)"
        frame["assumptions"] = [f"{a}; {said}" if a else said for a in frame["assumptions"]]
    return frame


def _contrast_pools_baseline(p, entry, year, level) -> Reason | None:
    """Why a contrast leaves a single baseline stratum (every unit on one side in ``year``), or None."""
    base = p[(p["year"] == year) & p["rating_order"].notna()]
    if "level" in base.columns:
        base = base[base["level"] == level]
    sides = set(base["rating_order"].astype(int))
    if len(sides) > 1 or not sides:
        return None
    name = entry["contrast"]
    side = ("phía trên", "upper") if sides == {1} else ("phía dưới", "lower")
    return Reason(f"phép so sánh '{name}' xếp mọi đơn vị năm {year} vào cùng một phía ({side[0]}), nên các mức "
                  "xuất phát bị gộp thành một: so sánh không còn điều chỉnh theo mức xuất phát. Hãy bỏ 'contrast' "
                  "(dùng bốn mức) hoặc chọn phép so sánh chia được các mức năm đó",
                  f"contrast '{name}' puts every unit's {year} rating on the same ({side[1]}) side, so all baseline "
                  "strata are pooled into one: the comparison would no longer be adjusted for the starting rating. "
                  "Remove 'contrast' (use the four levels) or choose a contrast that splits that year's ratings")


def _primary_index(design: str, frame: pd.DataFrame, extra) -> int | None:
    if design == "power" or frame.empty:
        return None
    if design == "reference":
        return 0  # the exact multinomial (the sensitivity rows follow; the first base is row `extra`)
    return 0


def _mark_outside(table: pd.DataFrame, in_any_family) -> pd.DataFrame:
    out = table.copy()
    for i, inside in enumerate(in_any_family):
        if not inside and not math.isnan(out.at[i, "p_value"]):
            text = out.at[i, "assumptions"]
            out.at[i, "assumptions"] = f"{text}; outside the Holm family" if text else "outside the Holm family"
    return out


def _mark_biased(frame: pd.DataFrame, reason) -> pd.DataFrame:
    """Rows of an analysis that is biased under the study's design: description only, with why."""
    out = frame.copy()
    has_p = out["p_value"].notna()
    out.loc[has_p, "assumptions"] = [f"{a}; descriptive only: {reason.en}" if a else f"descriptive only: {reason.en}"
                                     for a in out.loc[has_p, "assumptions"]]
    out.loc[has_p, "sentence_vi"] = out.loc[has_p, "sentence_vi"] + f" (chỉ để mô tả: {reason.vi})"
    out.loc[has_p, "sentence_en"] = out.loc[has_p, "sentence_en"] + f" (descriptive only: {reason.en})"
    return out


def run_analyses(study, output_dir, judge=None, extra_rows=()) -> pd.DataFrame:
    """Run every analysis of ``study`` and return the results table (:data:`RESULT_COLUMNS`).

    Reads ``output_dir/processed/panel.parquet`` when the study has a panel, and the
    published tables through ``helpers.published.read_published``. A test that cannot run
    is a row whose note says why; an analysis that fails unexpectedly is a row naming the
    error (the run goes on).

    Parameters
    ----------
    judge : callable, optional
        ``judge(entry) -> Reason | None``: why an analysis is biased under the study's design
        (:mod:`helpers.inference.designs`). A biased analysis is kept as description, outside
        every Holm family, and its sentences and ``assumptions`` say why.
    extra_rows : sequence of (DataFrame, int or None)
        Further rows (the claims' rows, :mod:`helpers.inference.claims`) and the index of
        their primary row, which joins the family "primary"; appended after the analyses.

    Raises
    ------
    InputError
        When the ``analyses:`` list has problems (all listed at once).
    """
    published = None
    if study.published:
        from helpers.published import read_published

        published = read_published(study.published)
    panel = None
    panel_file = Path(output_dir) / "processed" / "panel.parquet"
    if study.panel is not None and panel_file.exists():
        panel = pd.read_parquet(panel_file)
    panel_years = None if panel is None else panel.loc[panel["rating_order"].notna(), "year"].dropna().astype(int)
    problems = validate_analyses(list(study.analyses), study.file, published, panel_years=panel_years)
    if problems:
        raise InputError(problems, f"the analyses of study {study.name} have problems")
    frames, families = [], []
    for entry in study.analyses:
        design = entry["design"]
        try:
            extra = None
            if design == "totals":
                frame = _run_totals(study.name, entry, published)
            elif design == "compare-years":
                frame = _run_compare_years(study.name, entry, published)
            elif design == "power":
                frame = _run_power(study.name, entry, published)
            elif design == "reference":
                frame, extra = _run_reference(study.name, entry, published)
            elif design == "two-sample":
                frame = _run_two_sample(study.name, entry, panel, published)
            elif design == "paired":
                frame = _run_paired(study.name, entry, panel)
            elif design == "repeated":
                frame = _run_repeated(study.name, entry, panel)
            elif design == "did":
                frame = _run_did(study.name, entry, panel)
            else:
                frame = _run_baseline(study.name, entry, panel)
        except (ValueError, KeyError, IndexError, np.linalg.LinAlgError) as exc:
            frame = rows_to_frame([refused_row(study.name, entry["question"], design, Reason(
                f"lỗi khi chạy phân tích: {exc}", f"the analysis failed: {type(exc).__name__}: {exc}"),
                lead=_lead(entry))])
        frame = frame.copy()
        frame["test"] = frame["test"] + f" [{entry['id']}]"
        family = str(entry.get("family", "primary"))
        biased = judge(entry) if judge is not None else None
        if biased is not None:
            family = "none"
            frame = _mark_biased(frame, biased)
        flags = [False] * len(frame)
        primary = _primary_index(design, frame, extra)
        if family != "none" and primary is not None:
            flags[primary] = True
            if extra:
                flags[extra] = True
        frames.append(frame)
        families.append([(family if f else None) for f in flags])
    for frame, primary in extra_rows:
        frames.append(frame)
        families.append([("primary" if i == primary else None) for i in range(len(frame))])
    if not frames:
        return rows_to_frame([])
    table = pd.concat(frames, ignore_index=True)
    fam = [f for group in families for f in group]
    for name in sorted({f for f in fam if f is not None}):
        table = apply_holm(table, [f == name for f in fam], mark_outside=False)
    table = _mark_outside(table, [f is not None for f in fam])
    return table[RESULT_COLUMNS].reset_index(drop=True)
