"""The designs of :mod:`helpers.inference.battery` run on the cleaned unit panel, one frame of result rows each.

The panel is first cut to the entry's units, years and scale; then paired (same units, two years),
repeated (several years), two-sample (pilots against the rest, or a published table),
difference-in-differences and baseline-balance designs.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from helpers.inference import contingency, ordinal, paired
from helpers.inference.results import Reason, refused_row, rows_to_frame
from helpers.scales import contrast as get_contrast, scale_for
from helpers.inference.battery_inputs import _collapse, _cut_index, _lead, _published_pair, _scale_problem


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
