"""``python -m helpers check [STUDY...]``: load and validate studies without starting a kernel.

Every problem is printed at once, each with its fix:

* the study file's fields and sections (:func:`helpers.study.load_study`, then
  :func:`helpers.runner.plan.check_study`: panel, analyses, export, notebooks);
* the panel's files read and validated as the cleaning would (:mod:`helpers.cleaning.check`):
  missing or unknown columns, columns mapped but found in no file, unknown labels with the closest
  known ones, ``labels:`` and ``unit_ids:`` entries that match nothing, duplicates, changed ids;
* analyses against the data: a year outside the panel's years or rated for no unit, a panel design
  in a study without a panel, and options the design ignores (``cut`` in a did, ``group`` in a
  two-sample, ``cut`` next to a ``contrast``, …).

The runner calls :func:`data_problems` before any notebook (from ``check_study``), so an unused or
wrong setting is an error, never silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.study import Study, list_studies, load_study

#: The keys each panel design reads (see helpers.inference.battery); any other key is ignored by it.
PANEL_DESIGN_KEYS = {
    "paired": {"years", "group", "cut", "contrast", "level"},
    "repeated": {"years", "group", "cut", "contrast", "level"},
    "two-sample": {"year", "contrast", "level", "pilots", "rest"},
    "did": {"years", "contrast", "level"},
    "baseline": {"years", "contrast", "level"},
}
#: Keys every analysis may carry.
COMMON_KEYS = {"id", "question", "design", "label", "family", "description"}
WORDS = {
    "vi": {"ok": "{name}: không có vấn đề ({rows} dòng, các năm {years}).",
           "ok_no_panel": "{name}: không có vấn đề.",
           "bad": "{name}: {n} vấn đề (mỗi dòng nói cách sửa):",
           "total_ok": "Tất cả {n} nghiên cứu hợp lệ; có thể chạy: python -m helpers run {names}",
           "total_bad": "{n} nghiên cứu có vấn đề; sửa rồi chạy lại: python -m helpers check {names}"},
    "en": {"ok": "{name}: no problems ({rows} rows, years {years}).",
           "ok_no_panel": "{name}: no problems.",
           "bad": "{name}: {n} problems (each line says how to fix it):",
           "total_ok": "All {n} studies are valid; run them with: python -m helpers run {names}",
           "total_bad": "{n} studies have problems; fix them and run again: python -m helpers check {names}"},
}


def _shown(study: Study) -> str:
    return str(study.file.relative_to(paths.ROOT)) if study.file.is_relative_to(paths.ROOT) else str(study.file)


def analysis_problems(study: Study, rated: frozenset | None) -> list[Problem]:
    """Analyses checked against the panel: years, a panel at all, options the design ignores."""
    shown = _shown(study)
    panel = study.panel or {}
    span = panel.get("years") if isinstance(panel.get("years"), list) and len(panel.get("years")) == 2 else None
    problems = []
    for i, entry in enumerate(study.analyses, start=1):
        design = entry.get("design")
        if design not in PANEL_DESIGN_KEYS:
            continue
        where = f"analyses[{i}]"
        if design == "two-sample" and "year" not in entry:
            continue                               # published tables: pilots + rest
        if design == "baseline" and "years" not in entry:
            continue                               # the "cannot separate" statement needs no panel
        if not study.panel:
            problems.append(Problem(file=shown, column=f"{where}.design", kind="field", value=design,
                                    rule="this design reads the unit-level panel, and the study has no panel: "
                                         "section; add one (python -m helpers new-study) or remove the analysis"))
            continue
        for key in sorted(set(entry) - COMMON_KEYS - PANEL_DESIGN_KEYS[design]):
            problems.append(Problem(file=shown, column=f"{where}.{key}", kind="field", value=entry[key],
                                    rule=f"design '{design}' ignores '{key}'; delete it (it reads: "
                                         f"{', '.join(sorted(PANEL_DESIGN_KEYS[design]))})"))
        if "cut" in entry and "contrast" in entry and "cut" in PANEL_DESIGN_KEYS[design]:
            problems.append(Problem(file=shown, column=f"{where}.cut", kind="field", value=entry["cut"],
                                    rule=f"ignored: the contrast '{entry['contrast']}' already splits the levels "
                                         "in two; delete 'cut' or 'contrast'"))
        years = entry.get("years") if isinstance(entry.get("years"), list) else (
            [entry["year"]] if isinstance(entry.get("year"), int) else [])
        key = "years" if "years" in entry else "year"
        for year in years:
            if not isinstance(year, int):
                continue
            if span and not span[0] <= year <= span[1]:
                problems.append(Problem(file=shown, column=f"{where}.{key}", kind="field", value=year,
                                        rule=f"outside the panel's years {span[0]}–{span[1]}; choose years "
                                             "of the panel"))
            elif rated is not None and year not in rated:
                shown_years = ", ".join(map(str, sorted(rated))) or "none"
                problems.append(Problem(file=shown, column=f"{where}.{key}", kind="field", value=year,
                                        rule=f"no unit is rated in this year (years rated: {shown_years}); "
                                             "choose a rated year"))
    return problems


def data_problems(study: Study):
    """Problems found by reading the study's panel and checking its analyses against it.

    Returns ``(problems, facts)`` where facts holds ``rows`` and ``years`` of the panel (or is empty).
    """
    from helpers.cleaning.check import check_panel_data

    rated, facts, problems = None, {}, []
    if study.panel:
        checked = check_panel_data(study.panel, _shown(study))
        problems += checked.problems
        rated = checked.years if not checked.problems or checked.n_rows else None
        facts = {"rows": checked.n_rows, "years": sorted(checked.years)}
    problems += analysis_problems(study, rated)
    return problems, facts


def study_data_problems(study: Study) -> list[Problem]:
    """:func:`data_problems` without the facts: the call the runner makes before any notebook."""
    return data_problems(study)[0]


@dataclass
class CheckReport:
    """The outcome of ``check``: per study, its problems and what was learnt."""

    results: dict = field(default_factory=dict)     # name -> (problems, facts)

    @property
    def ok(self) -> bool:
        return all(not problems for problems, _ in self.results.values())

    def text(self, language: str = "vi") -> str:
        w = WORDS[language]
        lines = []
        for name, (problems, facts) in self.results.items():
            if problems:
                lines.append(w["bad"].format(name=name, n=len(problems)))
                lines += [f"  - {p}" for p in problems]
            elif facts.get("rows"):
                years = facts["years"]
                lines.append(w["ok"].format(name=name, rows=f"{facts['rows']:,}".replace(",", "."),
                                            years=f"{years[0]}–{years[-1]}" if years else "–"))
            else:
                lines.append(w["ok_no_panel"].format(name=name))
        bad = [n for n, (p, _) in self.results.items() if p]
        if bad:
            lines.append(w["total_bad"].format(n=len(bad), names=" ".join(bad)))
        else:
            lines.append(w["total_ok"].format(n=len(self.results), names=" ".join(self.results)))
        return "\n".join(lines)


def check_one(name: str):
    """(problems, facts) of one study: the study file, its sections, then its data."""
    from helpers.runner.plan import check_study

    try:
        study = load_study(name)
    except InputError as error:
        return list(error.problems), {}
    try:
        check_study(study, data=False)
    except InputError as error:
        return list(error.problems), {}
    return data_problems(study)


def check_study_files(names: list[str] | None = None) -> CheckReport:
    """Check the named studies (default: every study file) without running anything."""
    report = CheckReport()
    for name in names or list_studies():
        report.results[name] = check_one(name)
    return report
