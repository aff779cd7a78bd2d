"""``python -m helpers check [STUDY...]``: load and validate studies without starting a kernel.

Every problem is printed at once, each with its fix:

* the study file against its declared model (:mod:`helpers.study.model`, through :func:`helpers.study.load_study`),
  then the rules of its sections that need the data or several fields (:func:`helpers.runner.plan.check_study`:
  panel, analyses, claims, export, sources, notebooks);
* the panel's files read and validated as the cleaning would (:mod:`helpers.cleaning.check`):
  missing or unknown columns, columns mapped but found in no file, unknown labels with the closest
  known ones, ``labels:`` and ``unit_ids:`` entries that match nothing, duplicates, changed ids;
* analyses against the data: a year no unit is rated in (the rule of
  :func:`helpers.inference.analyses.validate_analyses`, which also refuses options a design ignores),
  and a panel design in a study without a panel.

The runner calls :func:`data_problems` before any notebook (from ``check_study``), so an unused or
wrong setting is an error, never silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.study import Study, list_studies, load_study

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
    """Analyses checked against the panel's rated years (:func:`helpers.inference.analyses.validate_analyses`
    with ``panel_years``; only what the check without years did not already say), and a panel design in a
    study without a panel."""
    from helpers.inference.analyses import PANEL_DESIGNS, validate_analyses

    shown = _shown(study)
    analyses = list(study.analyses)
    problems: list[Problem] = []
    if rated is not None:
        static = validate_analyses(analyses, shown)
        problems += [p for p in validate_analyses(analyses, shown, panel_years=rated) if p not in static]
    if not study.panel:
        for i, entry in enumerate(analyses, start=1):
            design = entry.get("design")
            reads_panel = design in PANEL_DESIGNS and not (design == "two-sample" and "year" not in entry) \
                and not (design == "baseline" and "years" not in entry)
            if reads_panel:
                problems.append(Problem(
                    file=shown, column=f"analyses[{i}].design", kind="field", value=design,
                    rule="this design reads the unit-level panel, and the study has no panel: section; add one "
                         "(python -m helpers new-study) or remove the analysis"))
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
        section: list[Problem] = []
    except InputError as error:
        section = list(error.problems)
    if any(str(p.column or "").startswith("panel") for p in section):
        return section, {}                # the files cannot be read as the panel section says
    found, facts = data_problems(study)
    return section + [p for p in found if p not in section], facts


def check_study_files(names: list[str] | None = None) -> CheckReport:
    """Check the named studies (default: every study file) without running anything."""
    report = CheckReport()
    for name in names or list_studies():
        report.results[name] = check_one(name)
    return report
