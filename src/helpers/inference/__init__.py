"""Question-by-question tests of pilot-site improvements, honest at small n.

Modules by subject: :mod:`.results` (the results table and its sentences),
:mod:`.paired` (a), :mod:`.totals` (a, published totals only), :mod:`.contingency` (b, two
groups), :mod:`.reference` (b, against printed percentages), :mod:`.linear_rank` (exact
conditional rank tests), :mod:`.ordinal` (c, d), :mod:`.ordered_logit` (fitting the ordinal
model: convergence, separation), :mod:`.exact_conditional` (exact conditional common odds
ratio), :mod:`.effects`, :mod:`.power`, :mod:`.analyses` (the ``analyses:`` schema and its
validation), :mod:`.published_counts` (counts of a published table) and :mod:`.battery`,
which runs a study's ``analyses:`` list.

The verdict ("did the pilots improve more than comparable units?") is answered by design:
:mod:`.designs` (how pilots were chosen → which comparison is valid, and why the others are
biased), :mod:`.stratified` (the exact stratified test and the Mantel–Haenszel odds ratio),
:mod:`.claims` (one claim on a panel), :mod:`.published_claims` (published totals only),
:mod:`.verdict` (the only words "effect" / "no evidence" / "cannot tell"; results.csv and
verdict.json) and :mod:`.simulate` (the false-positive rate of each design). Notebook 03 calls
:func:`helpers.inference.verdict_study.run_study`.
"""

from helpers.inference.results import RESULT_COLUMNS

__all__ = ["RESULT_COLUMNS", "run_analyses", "validate_analyses"]


def run_analyses(study, output_dir):
    """Run a study's analyses; see :func:`helpers.inference.battery.run_analyses`."""
    from helpers.inference.battery import run_analyses as _run

    return _run(study, output_dir)


def validate_analyses(analyses, study_file, published=None, panel_years=None):
    """Check a study's analyses list; see :func:`helpers.inference.analyses.validate_analyses`."""
    from helpers.inference.analyses import validate_analyses as _validate

    return _validate(analyses, study_file, published, panel_years)
