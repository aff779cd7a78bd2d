"""Teaching lessons: answer checking, student and instructor versions, a regression-to-the-mean simulation.

A lesson (``notebooks/teaching/NN-name.ipynb``) asks questions; the student types
an answer into a cell (``answer = ...``) and runs ``check_answer("L1-E1", answer)``.

Modules, by responsibility:

- :mod:`~helpers.teaching.parse` reads an answer the way a Vietnamese student writes it;
- :mod:`~helpers.teaching.answer_key` reads exercises.yaml and computes the expected answers;
- :mod:`~helpers.teaching.check` gives the verdict on one answer, never the answer itself;
- :mod:`~helpers.teaching.versions` makes the student and instructor versions;
- :mod:`~helpers.teaching.leaks` finds what a student handout gives away (sources and every output);
- :mod:`~helpers.teaching.handout` finishes a built handout: no build path, no missing glyph, no leak;
- :mod:`~helpers.teaching.display` shows numbers in a lesson the Vietnamese way (:func:`show`);
- :mod:`~helpers.teaching.simulation` is lesson 4's regression-to-the-mean simulation.
"""

from helpers.teaching.answer_key import (COMPUTERS, EXERCISES_FILE, KINDS, Exercise, exercises, expected_answer,
                                         get_exercise)
from helpers.teaching.check import Feedback, check_answer
from helpers.teaching.display import Shown, localise, show
from helpers.teaching.parse import AnswerFormatError, ParsedNumber, normalise_choice, parse_number
from helpers.teaching.simulation import (SIMULATION_GROUPS, SIMULATION_LEVEL_SHARES, SIMULATION_SUMMARY_COLUMNS,
                                         SIMULATION_UNIT_COLUMNS, RegressionToMeanSimulation,
                                         simulate_regression_to_mean)
from helpers.teaching.versions import (LESSONS_DIR, SOLUTION_TAG, exercise_ids, in_language, instructor_version,
                                       lesson_paths, student_leaks, student_version)

__all__ = [
    "COMPUTERS", "EXERCISES_FILE", "KINDS", "Exercise", "exercises", "expected_answer", "get_exercise",
    "Feedback", "check_answer", "Shown", "localise", "show", "AnswerFormatError", "ParsedNumber", "normalise_choice", "parse_number",
    "SIMULATION_GROUPS", "SIMULATION_LEVEL_SHARES", "SIMULATION_SUMMARY_COLUMNS", "SIMULATION_UNIT_COLUMNS",
    "RegressionToMeanSimulation", "simulate_regression_to_mean", "LESSONS_DIR", "SOLUTION_TAG", "exercise_ids",
    "in_language", "instructor_version", "lesson_paths", "student_leaks", "student_version",
]
