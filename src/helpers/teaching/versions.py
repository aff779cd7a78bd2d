"""Student and instructor versions of a lesson, and the check that a student version gives nothing away.

Each lesson has one source. Cells tagged ``solution`` set the right answer; they
are kept by :func:`instructor_version` and removed by :func:`student_version`.
:func:`student_leaks` checks that a student version holds no solution cell and no
answer value.
"""

from __future__ import annotations

import copy
import re

from helpers import paths
from helpers.teaching.answer_key import _expected_value, get_exercise
from helpers.teaching.bilingual import code_in_language, english_only, vietnamese_only
from helpers.teaching.check import check_answer
from helpers.teaching.parse import _normalise_text_answer, normalise_choice

#: Folder of the lesson notebooks.
LESSONS_DIR = paths.NOTEBOOKS / "teaching"
#: Tag of the cells kept only in the instructor version.
SOLUTION_TAG = "solution"

_EXERCISE_CALL = re.compile(r"check_answer\(\s*[\"']([A-Za-z0-9_-]+)[\"']")
_NUMBER_TOKEN = re.compile(r"(?<![\w.,])[0-9]*[.,]?[0-9]+(?:[.,][0-9]+)*\s?%?")



def _tags(cell) -> list[str]:
    return list((cell.get("metadata") or {}).get("tags") or [])


def _clear(nb):
    for cell in nb.cells:
        if cell.get("cell_type") == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        cell.get("metadata", {}).pop("papermill", None)
        cell.get("metadata", {}).pop("execution", None)
    nb.metadata.pop("papermill", None)
    return nb


def student_version(notebook):
    """A copy of a lesson without its ``solution`` cells and without outputs.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        The lesson as read with ``nbformat.read(path, as_version=4)``.

    Returns
    -------
    nbformat.NotebookNode
        A new notebook; ``metadata.teaching.version`` is ``'student'``.
    """
    nb = _clear(copy.deepcopy(notebook))
    nb.cells = [cell for cell in nb.cells if SOLUTION_TAG not in _tags(cell)]
    nb.metadata.setdefault("teaching", {})["version"] = "student"
    return nb


def instructor_version(notebook):
    """A copy of a lesson with its ``solution`` cells, without outputs (``metadata.teaching.version = 'instructor'``)."""
    nb = _clear(copy.deepcopy(notebook))
    nb.metadata.setdefault("teaching", {})["version"] = "instructor"
    return nb


def in_language(notebook, language: str):
    """A copy of a bilingual lesson whose text holds only ``language``.

    ``'vi'`` leaves out the English of every markdown cell (:func:`~helpers.teaching.bilingual.vietnamese_only`),
    so a Vietnamese handout holds no English word; ``'en'`` keeps only the English of every markdown cell
    (:func:`~helpers.teaching.bilingual.english_only`), so an English handout holds no Vietnamese sentence.
    Every ``# Vietnamese / English`` code comment keeps the part in ``language``, and a code line tagged
    ``# vi`` or ``# en`` stays only in that language (:func:`~helpers.teaching.bilingual.code_in_language`).
    """
    from helpers.numbers import check_language

    check_language(language)
    nb = copy.deepcopy(notebook)
    for cell in nb.cells:
        if cell.get("cell_type") == "markdown":
            cell["source"] = (vietnamese_only if language == "vi" else english_only)(cell["source"])
        elif cell.get("cell_type") == "code":
            cell["source"] = code_in_language(cell["source"], language)
    return nb


def exercise_ids(notebook) -> list[str]:
    """Ids of the exercises a notebook checks (``check_answer("L1-E1", ...)`` calls), in order."""
    found = []
    for cell in notebook.cells:
        for exercise_id in _EXERCISE_CALL.findall(cell.get("source", "")):
            if exercise_id not in found:
                found.append(exercise_id)
    return found


def _numeric_tokens(source: str) -> list[str]:
    return [token.strip() for token in _NUMBER_TOKEN.findall(source)]


def student_leaks(notebook) -> list[str]:
    """Every way a student version gives an answer away; empty when it is clean.

    Checks that no cell is tagged ``solution`` and that no student cell's source
    holds an answer value: for a numeric exercise, any number in the source that
    :func:`check_answer` would accept (in either language's form); for a choice,
    an assignment of the right option to ``answer``; for a text answer, the
    answer itself.

    Returns
    -------
    list of str
        One English sentence per leak, naming the cell and the exercise.
    """
    leaks = []
    ids = exercise_ids(notebook)
    for index, cell in enumerate(notebook.cells):
        source = cell.get("source", "")
        if SOLUTION_TAG in _tags(cell):
            leaks.append(f"cell {index} is tagged '{SOLUTION_TAG}'")
        for exercise_id in ids:
            exercise = get_exercise(exercise_id)
            expected = _expected_value(exercise_id)
            if exercise.kind == "choice":
                pattern = rf"answer\s*=\s*[\"']?\(?{re.escape(normalise_choice(expected))}\b"
                if re.search(pattern, source, flags=re.IGNORECASE):
                    leaks.append(f"cell {index} assigns the answer of {exercise_id}")
            elif exercise.kind == "text":
                if _normalise_text_answer(str(expected)) in _normalise_text_answer(source):
                    leaks.append(f"cell {index} contains the answer of {exercise_id}")
            else:
                for token in _numeric_tokens(source):
                    if check_answer(exercise_id, token).correct:
                        leaks.append(f"cell {index} contains {token!r}, an accepted answer of {exercise_id}")
    return leaks


def lesson_paths() -> list:
    """The lesson notebooks, sorted by number."""
    return sorted(LESSONS_DIR.glob("[0-9][0-9]-*.ipynb"))
