"""Run a study's ``analyses:`` list: check it, run every test, Holm-adjust, one results table.

The ``analyses:`` schema
------------------------
``analyses`` is a list of mappings, one per analysis::

    analyses:
      - id: bt56-change              # required; unique; lower case, digits, '-'
        question: a                  # required; a | b | c | d
        design: totals               # required; see the designs below
        before: bt56-2011            # published table: "table_id" or "source_id:table_id"
        after: bt56-2013
        cut: good                    # optional common level (fail|pass|good|top): McNemar "≥ cut"
        contrast: good_or_better     # harmonised contrast (helpers.scales.contrasts()); required
                                     # to compare across a scale change
        family: primary              # optional; Holm family name (default "primary"); "none" = not adjusted
        label: {vi: "...", en: "..."}   # optional words that open each sentence

Designs (question → design → keys):

=========  ===============  ==========================================================================
question   design           keys
=========  ===============  ==========================================================================
a          totals           before, after (published tables of the same units): unpaired tests, the
                            range of paired tests over all joint tables, the rank-preserving pairing,
                            a verdict sentence; optional cut, contrast
a          power            table (published) or n: exact sign-test power statement
a          paired           years: [A, B] (panel); optional group (pilot | other | all; default
                            pilot), cut, contrast: Stuart–Maxwell, Bowker, exact McNemar, sign test,
                            Wilcoxon, exact permutation
a          repeated         years: [≥ 3 years] (panel); optional group, cut: Friedman, Cochran's Q
a          compare-years    before, after (published, different units or a scale change): two
                            independent samples; across a scale change ``contrast`` is required and
                            ``top_vs_rest`` is refused (the top level is not comparable)
b          two-sample       year (panel: pilots vs the rest) or pilots + rest (published tables):
                            FFH exact, χ², linear-by-linear, Brunner–Munzel, Mann–Whitney
b          reference        pilots (published counts), reference (published percentages); optional
                            cut (binomial share ≥ cut), remove_pilots: true and bases: k (sensitivity
                            over the first k recovered province sizes)
c          did              years: [A, B] (panel): proportional-odds pilot × period with unit-clustered
                            SE; randomisation test of the pilot label
d          baseline         years: [A, B] (panel): CMH stratified by baseline, ordinal model with the
                            baseline, statement; without a panel: the "cannot separate" statement
=========  ===============  ==========================================================================

Each analysis has one **primary** row (first row of its design: the sign-test range for
``totals``, Stuart–Maxwell for ``paired``, FFH for ``two-sample``, the exact multinomial for
``reference``, the first base for ``remove_pilots``, the interaction for ``did``, CMH for
``baseline``, the contrast's Fisher test for ``compare-years``); primary rows with the same
``family`` are Holm-adjusted together (:func:`helpers.inference.results.holm_adjust`).
Other rows are supporting evidence, marked "outside the Holm family".

The ``test`` column holds the test name followed by the analysis id in brackets:
``"exact sign test, range over pairings (p_value = largest) [bt56-change]"``.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd

from helpers.errors import InputError, Problem
from helpers.inference import contingency, ordinal, paired, power, totals
from helpers.inference.effects import newcombe_difference
from helpers.inference.results import RESULT_COLUMNS, Reason, apply_holm, refused_row, rows_to_frame
from helpers.scales import COMMON_ORDER, contrast as get_contrast, contrasts, scale_for

DESIGNS = {
    "a": ("totals", "power", "paired", "repeated", "compare-years"),
    "b": ("two-sample", "reference"),
    "c": ("did",),
    "d": ("baseline",),
}
REQUIRED = {
    "totals": ("before", "after"), "compare-years": ("before", "after"), "power": (), "paired": ("years",),
    "repeated": ("years",), "two-sample": (), "reference": ("pilots", "reference"), "did": ("years",),
    "baseline": (),
}
KNOWN_KEYS = {"id", "question", "design", "before", "after", "cut", "contrast", "family", "label", "table", "n",
              "years", "group", "level", "year", "pilots", "rest", "reference", "remove_pilots", "bases",
              "description"}
TABLE_KEYS = ("before", "after", "table", "pilots", "rest", "reference")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


# ---------------------------------------------------------------- validation

def validate_analyses(analyses, study_file, published: pd.DataFrame | None = None) -> list[Problem]:
    """Every problem of an ``analyses:`` list, at once (empty list = fine).

    Parameters
    ----------
    analyses : sequence of mappings
        The study's ``analyses:`` list as written.
    study_file : str or Path
        Named in each Problem.
    published : DataFrame, optional
        The study's published tables (``read_published``); when given, table references are
        checked to exist.
    """
    file = str(study_file)
    problems: list[Problem] = []
    seen: set[str] = set()
    known_tables = None
    if published is not None and len(published):
        known_tables = set(published["table_id"].astype(str)) | {
            f"{s}:{t}" for s, t in zip(published["source_id"].astype(str), published["table_id"].astype(str))}
    if not isinstance(analyses, (list, tuple)):
        return [Problem(file=file, column="analyses", kind="field", value=analyses, rule="must be a list of mappings")]
    for i, entry in enumerate(analyses, start=1):
        where = f"analyses[{i}]"

        def bad(key, rule, value=None):
            problems.append(Problem(file=file, column=f"{where}.{key}", kind="field", value=value, rule=rule))

        if not isinstance(entry, dict):
            bad(None, "each analysis must be a mapping", entry)
            continue
        for key in entry:
            if key not in KNOWN_KEYS:
                bad(key, f"unknown key; known keys: {', '.join(sorted(KNOWN_KEYS))}")
        aid = entry.get("id")
        if not isinstance(aid, str) or not ID_PATTERN.match(aid):
            bad("id", "required; lower-case letters, digits and '-'", aid)
        elif aid in seen:
            bad("id", "duplicate id", aid)
        else:
            seen.add(aid)
        question = entry.get("question")
        if question not in DESIGNS:
            bad("question", "must be one of a, b, c, d", question)
            continue
        design = entry.get("design")
        if design not in DESIGNS[question]:
            bad("design", f"for question {question} must be one of {', '.join(DESIGNS[question])}", design)
            continue
        for key in REQUIRED[design]:
            if key not in entry:
                bad(key, f"required for design '{design}'")
        if design == "two-sample" and "year" not in entry and not ("pilots" in entry and "rest" in entry):
            bad("year", "design 'two-sample' needs 'year' (panel) or 'pilots' and 'rest' (published tables)")
        if design == "power" and "table" not in entry and "n" not in entry:
            bad("table", "design 'power' needs 'table' or 'n'")
        if "n" in entry and not (isinstance(entry["n"], int) and entry["n"] >= 0):
            bad("n", "must be a non-negative integer", entry["n"])
        if "years" in entry:
            years = entry["years"]
            need = 3 if design == "repeated" else 2
            if not (isinstance(years, list) and all(isinstance(y, int) for y in years) and
                    (len(years) >= need if design == "repeated" else len(years) == 2)):
                bad("years", f"must be a list of {'at least ' if design == 'repeated' else ''}{need} integer years",
                    years)
        if "year" in entry and not isinstance(entry["year"], int):
            bad("year", "must be an integer year", entry["year"])
        if "cut" in entry and entry["cut"] not in COMMON_ORDER[1:]:
            bad("cut", f"must be one of {', '.join(COMMON_ORDER[1:])} (the lowest level of the upper side)",
                entry["cut"])
        if "contrast" in entry and entry["contrast"] not in contrasts():
            bad("contrast", f"must be one of {', '.join(contrasts())}", entry["contrast"])
        if "group" in entry and entry["group"] not in ("pilot", "other", "all"):
            bad("group", "must be pilot, other or all", entry["group"])
        if "family" in entry and not isinstance(entry["family"], str):
            bad("family", "must be a family name (text) or 'none'", entry["family"])
        if "bases" in entry and not (isinstance(entry["bases"], int) and entry["bases"] >= 1):
            bad("bases", "must be a positive integer", entry["bases"])
        label = entry.get("label")
        if label is not None and not (isinstance(label, dict) and all(isinstance(label.get(l), str)
                                                                      for l in ("vi", "en"))):
            bad("label", "must be a mapping with 'vi' and 'en' texts", label)
        for key in TABLE_KEYS:
            if key in entry:
                ref = entry[key]
                if not isinstance(ref, str):
                    bad(key, "must be a published table id ('table_id' or 'source_id:table_id')", ref)
                elif known_tables is not None and ref not in known_tables:
                    bad(key, "no such published table in the study's published files", ref)
    return problems


# ---------------------------------------------------------------- published tables

@dataclass(frozen=True)
class PublishedCounts:
    """Counts of one published table in the common order (fail, pass, good, top)."""

    table_id: str
    year: int
    counts: tuple
    n: int
    scale_id: str
    percents: tuple          # printed percentages (strings) per common level, '' where none
    percent_values: tuple    # Fractions or None


def published_counts(table: pd.DataFrame, ref: str) -> PublishedCounts | Reason:
    """Counts per common level of a published table, or the Reason they cannot be had.

    Subsets (``parent`` set, e.g. TSVM tiêu biểu inside TSVM), totals and cumulative
    categories are left out. A level printed only as a percentage gets the count whose
    percentage of the table's total rounds to the printed one (when exactly one does).
    """
    source, _, table_id = ref.rpartition(":")
    rows = table[table["table_id"].astype(str) == table_id]
    if source:
        rows = rows[rows["source_id"].astype(str) == source]
    if rows.empty:
        return Reason(f"không có bảng '{ref}' trong số liệu đã công bố", f"no published table '{ref}'")
    year = int(rows["year"].dropna().iloc[0])
    totals_rows = rows[rows["is_total"].astype(bool) & rows["count"].notna()]
    n_total = int(totals_rows["count"].iloc[0]) if len(totals_rows) else None
    parent = rows["parent"].astype("string").fillna("").str.strip()
    cats = rows[rows["rating_common"].notna() & ~rows["is_total"].astype(bool) & ~rows["cumulative"].astype(bool)
                & (parent == "")]
    counts = [None] * 4
    percents = [""] * 4
    values = [None] * 4
    conflicts = []
    for common, g in cats.groupby("rating_common"):
        idx = COMMON_ORDER.index(common)
        printed = g["count"].dropna().astype(int).unique()
        if len(printed) > 1:
            conflicts.append(f"{common}: {', '.join(map(str, printed))}")
        elif len(printed) == 1:
            counts[idx] = int(printed[0])
        pct = g[g["percent_printed"].notna()]
        if len(pct):
            percents[idx] = str(pct["percent_printed"].iloc[0])
            values[idx] = pct["percent"].iloc[0]
    if conflicts:
        return Reason(f"bảng '{ref}' in cùng một mức hai lần với số khác nhau ({'; '.join(conflicts)})",
                      f"table '{ref}' prints one level twice with different counts ({'; '.join(conflicts)})")
    missing = [i for i in range(4) if counts[i] is None and values[i] is not None]
    if missing and n_total:
        for i in missing:
            decimals = len(percents[i].rstrip("%").replace(",", ".").partition(".")[2])
            fits = [c for c in range(n_total + 1)
                    if abs(Fraction(100 * c, n_total) - Fraction(values[i])) <= Fraction(1, 2 * 10 ** decimals)]
            if len(fits) == 1:
                counts[i] = fits[0]
    known = [c for c in counts if c is not None]
    if not known and all(v is None for v in values):
        return Reason(f"bảng '{ref}' không có số theo mức xếp loại", f"table '{ref}' has no rating counts")
    scale_id = scale_for(year).id
    if known:
        filled = tuple(0 if c is None else c for c in counts)
        n = sum(filled)
        if n_total is not None and n != n_total:
            return Reason(f"bảng '{ref}': các mức cộng lại {n} khác tổng in {n_total}",
                          f"table '{ref}': levels add up to {n}, the printed total is {n_total}")
        return PublishedCounts(table_id, year, filled, n, scale_id, tuple(percents), tuple(values))
    return PublishedCounts(table_id, year, (None,) * 4, 0, scale_id, tuple(percents), tuple(values))


# ---------------------------------------------------------------- runners

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


def _run_totals(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    before = published_counts(published, entry["before"])
    after = published_counts(published, entry["after"])
    for x in (before, after):
        if isinstance(x, Reason):
            return rows_to_frame([refused_row(study, "a", "paired range over joint tables", x, lead=lead)])
    labels = (str(before.year), str(after.year))
    problem = _scale_problem(before.scale_id, after.scale_id, entry)
    if problem:
        return rows_to_frame([refused_row(study, "a", "paired range over joint tables", problem, lead=lead)])
    b, a = before.counts, after.counts
    cut = _cut_index(entry)
    if before.scale_id != after.scale_id:
        b, a = _collapse(b, entry["contrast"]), _collapse(a, entry["contrast"])
        cut = 1
    frame, _ = totals.totals_analysis(b, a, study=study, cut=cut, labels=labels, lead=lead)
    return frame


def _run_compare_years(study, entry, published) -> pd.DataFrame:
    lead = _lead(entry)
    before = published_counts(published, entry["before"])
    after = published_counts(published, entry["after"])
    test = "Fisher exact, two years as independent samples"
    for x in (before, after):
        if isinstance(x, Reason):
            return rows_to_frame([refused_row(study, "a", test, x, lead=lead)])
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
    pilots = published_counts(published, entry["pilots"])
    ref = published_counts(published, entry["reference"])
    for x in (pilots, ref):
        if isinstance(x, Reason):
            return rows_to_frame([refused_row(study, "b", "exact multinomial goodness of fit", x, lead=lead)])
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
    mult = contingency.exact_multinomial(counts, percents, decimals, study, "b", lead)
    gof = contingency.goodness_of_fit(counts, percents, decimals, study, "b", lead)
    for f in (mult, gof):
        if note_rest:
            f["note"] = (f["note"] + "; " if f["note"].iloc[0] else "") + note_rest
    frames += [mult, gof]
    cut = _cut_index(entry)
    if cut is not None:
        share_idx = [i for i in printed if i >= cut]
        x = sum(pilots.counts[i] for i in range(cut, 4))
        pct = sum(Fraction(ref.percent_values[i]) for i in share_idx)
        frames.append(contingency.binomial_share(x, pilots.n, pct, study, "b", lead))
    if entry.get("remove_pilots"):
        from helpers.published import recover_bases

        candidates = recover_bases([ref.percents[i] for i in printed])
        order = printed + ([i for i in range(4) if i not in printed] if remainder > slack else [])

        @dataclass(frozen=True)
        class _Base:
            base: int
            counts: tuple

        bases = []
        for cand in candidates:
            province = list(cand.counts)
            if remainder > slack:
                province.append(cand.base - sum(province))
            bases.append(_Base(cand.base, tuple(province)))
        pilot_vec = [pilots.counts[i] for i in printed]
        if remainder > slack:
            pilot_vec.append(sum(pilots.counts[i] for i in range(4) if i not in printed))
        res, sens = contingency.pilots_vs_rest_of_province(pilot_vec, bases, study, "b",
                                                           n_bases=int(entry.get("bases", 4)), lead=lead)
        order_text = f"categories in order {', '.join(COMMON_ORDER[i] for i in order)}"
        res["note"] = [f"{n}; {order_text}" if n else order_text for n in res["note"]]
        frames.append(res)
        return pd.concat(frames, ignore_index=True), len(frames) - 1
    return pd.concat(frames, ignore_index=True), 0


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
    pilots = published_counts(published, entry["pilots"])
    rest = published_counts(published, entry["rest"])
    for x in (pilots, rest):
        if isinstance(x, Reason):
            return rows_to_frame([refused_row(study, "b", "Fisher–Freeman–Halton exact", x, lead=lead)])
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
    return pd.concat([ordinal.cmh_baseline(p, ya, yb, study, level, lead),
                      ordinal.po_baseline(p, ya, yb, study, level, lead),
                      ordinal.rtm_statement(p, ya, yb, study, level, lead)], ignore_index=True)


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
    problems = validate_analyses(list(study.analyses), study.file, published)
    if problems:
        raise InputError(problems, f"the analyses of study {study.name} have problems")
    panel = None
    panel_file = Path(output_dir) / "processed" / "panel.parquet"
    if study.panel is not None and panel_file.exists():
        panel = pd.read_parquet(panel_file)
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
