"""The ``analyses:`` list of a study file: its schema and its validation (every problem at once).

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

Every option is used or refused: a key that the chosen design does not use (``cut`` on ``did``
or ``baseline``, ``group`` outside ``paired``/``repeated``, ...) is a problem naming the file
and the field, as are ``cut`` together with ``contrast`` and ``bases`` without
``remove_pilots: true``; the years of a panel design must be years of the panel. A
``contrast`` on ``baseline`` pools the four starting levels into its two sides (said in each
row); when every unit starts on one side the comparison is refused with that reason.

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

import pandas as pd

from helpers.errors import Problem
from helpers.study.model import Analysis, fields, problems_of

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
#: The keys of an analysis, as the study-file model declares them (:class:`helpers.study.model.Analysis`).
KNOWN_KEYS = fields(Analysis)
TABLE_KEYS = ("before", "after", "table", "pilots", "rest", "reference")
#: Keys every design takes.
COMMON_KEYS = {"id", "question", "design", "family", "label", "description"}
#: The keys each design uses; any other known key is refused for that design (never silently ignored).
USES = {
    "totals": {"before", "after", "cut", "contrast"},
    "compare-years": {"before", "after", "contrast"},
    "power": {"table", "n"},
    "paired": {"years", "group", "cut", "contrast", "level"},
    "repeated": {"years", "group", "cut", "contrast", "level"},
    "two-sample": {"year", "pilots", "rest", "contrast", "level"},
    "reference": {"pilots", "reference", "cut", "remove_pilots", "bases"},
    "did": {"years", "contrast", "level"},
    "baseline": {"years", "contrast", "level"},
}
#: Designs that read the unit-level panel through ``year`` / ``years``.
PANEL_DESIGNS = ("paired", "repeated", "two-sample", "did", "baseline")


# ---------------------------------------------------------------- validation

def validate_analyses(analyses, study_file, published: pd.DataFrame | None = None,
                      panel_years=None) -> list[Problem]:
    """Every problem of an ``analyses:`` list, at once (empty list = fine).

    Keys, types and allowed values come from the study-file model (:class:`helpers.study.model.Analysis`);
    checked here are the rules of each design and those that need the data (duplicate ids, the design
    of each question, required and unused keys, the number of years, years inside the panel, published
    table references).

    Every option is used or refused: a key the design does not use (e.g. ``cut`` on ``did``),
    ``cut`` together with ``contrast`` (a contrast already makes two levels), and ``bases``
    without ``remove_pilots: true`` are problems, each naming the file and the field.

    Parameters
    ----------
    analyses : sequence of mappings
        The study's ``analyses:`` list as written.
    study_file : str or Path
        Named in each Problem.
    published : DataFrame, optional
        The study's published tables (``read_published``); when given, table references are
        checked to exist.
    panel_years : iterable of int, optional
        The years of the study's unit-level panel; when given, every ``year`` / ``years`` of a
        panel design must be one of them.
    """
    file = str(study_file)
    problems: list[Problem] = []
    seen: set[str] = set()
    known_tables = None
    if published is not None and len(published):
        known_tables = set(published["table_id"].astype(str)) | {
            f"{s}:{t}" for s, t in zip(published["source_id"].astype(str), published["table_id"].astype(str))}
    if not isinstance(analyses, (list, tuple)):
        return problems_of(list[Analysis], analyses, file, "analyses")
    problems += problems_of(list[Analysis], list(analyses), file, "analyses")   # shape, types, allowed values
    said = {p.column for p in problems}
    for i, entry in enumerate(analyses, start=1):
        where = f"analyses[{i}]"

        def bad(key, rule, value=None):
            problems.append(Problem(file=file, column=f"{where}.{key}", kind="field", value=value, rule=rule))

        if not isinstance(entry, dict):
            continue
        aid = entry.get("id")
        if isinstance(aid, str) and aid in seen:
            bad("id", "duplicate id", aid)
        seen.add(aid)
        question, design = entry.get("question"), entry.get("design")
        if question not in DESIGNS or design not in REQUIRED:
            continue                                    # the model said which value is allowed
        if design not in DESIGNS[question]:
            bad("design", f"for question {question} must be one of {', '.join(DESIGNS[question])}", design)
            continue
        for key in REQUIRED[design]:
            if key not in entry:
                bad(key, f"required for design '{design}'")
        for key in entry:
            if key in KNOWN_KEYS and key not in COMMON_KEYS and key not in USES[design]:
                users = sorted(d for d, keys in USES.items() if key in keys)
                bad(key, f"design '{design}' does not use '{key}' (it would be ignored); remove it"
                         + (f" — '{key}' is used by: {', '.join(users)}" if users else ""), entry[key])
        if "cut" in entry and "contrast" in entry and "cut" in USES[design] and "contrast" in USES[design]:
            bad("cut", "give either 'cut' (a cut of the four levels) or 'contrast' (two levels already), not "
                       "both: with a contrast the cut would be ignored", entry["cut"])
        if "bases" in entry and not entry.get("remove_pilots"):
            bad("bases", "used only with 'remove_pilots: true' (it would be ignored)", entry["bases"])
        if design == "two-sample" and "year" not in entry and not ("pilots" in entry and "rest" in entry):
            bad("year", "design 'two-sample' needs 'year' (panel) or 'pilots' and 'rest' (published tables)")
        if design == "power" and "table" not in entry and "n" not in entry:
            bad("table", "design 'power' needs 'table' or 'n'")
        years = entry.get("years")
        need = 3 if design == "repeated" else 2
        if isinstance(years, list) and f"{where}.years" not in said and not (
                len(years) >= need if design == "repeated" else len(years) == 2):
            bad("years", f"must be a list of {'at least ' if design == 'repeated' else ''}{need} integer years",
                years)
        if panel_years is not None and design in PANEL_DESIGNS:
            have = sorted({int(y) for y in panel_years})
            shown = (f"{have[0]}–{have[-1]}" if have == list(range(have[0], have[-1] + 1)) else
                     ", ".join(map(str, have))) if have else "none"
            for key in ("year", "years"):
                values = entry.get(key)
                values = [values] if isinstance(values, int) else values
                if isinstance(values, list):
                    outside = [y for y in values if isinstance(y, int) and y not in have]
                    if outside:
                        bad(key, f"year(s) {', '.join(map(str, outside))} not in the study's panel "
                                 f"(panel years: {shown})", entry[key])
        for key in TABLE_KEYS:
            ref = entry.get(key)
            if isinstance(ref, str) and known_tables is not None and ref not in known_tables:
                bad(key, "no such published table in the study's published files", ref)
    return problems
