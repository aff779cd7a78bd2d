"""Check the parameters papermill injects into a notebook.

Papermill only warns about a parameter the notebook does not declare, and never
checks types. Every notebook's second cell calls :func:`check_parameters`, which
refuses an unknown name or a wrong type with a message naming the parameter.

Every notebook declares the same three parameters:

study : str
    Name of a study file under ``studies/`` (without ``.yaml``).
language : str
    ``'vi'`` or ``'en'``; ``''`` means the study file's language.
output_dir : str
    Folder the notebook writes into; ``''`` means ``reports/_lab/<study>/``, for
    interactive work in JupyterLab (the runner always passes a build folder).
"""

from __future__ import annotations

import types
from dataclasses import dataclass, replace
from pathlib import Path

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.numbers import LANGUAGES
from helpers.study import Study, load_study

NOTEBOOK_PARAMETERS: dict[str, type] = {"study": str, "language": str, "output_dir": str}

# Names IPython itself puts in a notebook's namespace.
_IPYTHON_NAMES = {"In", "Out", "get_ipython", "exit", "quit", "open"}


@dataclass(frozen=True)
class NotebookRun:
    """What a notebook works on: the loaded study, its language and output folder."""

    study: Study
    language: str
    output_dir: Path


def _a(noun: str) -> str:
    return ("an " if noun[0] in "aeiou" else "a ") + noun


def _user_names(namespace: dict) -> dict:
    return {
        name: value
        for name, value in namespace.items()
        if not name.startswith("_")
        and name not in _IPYTHON_NAMES
        and not isinstance(value, (types.ModuleType, types.FunctionType, type))
        and not callable(value)
    }


def check_parameters(namespace: dict, notebook: str = "notebook") -> NotebookRun:
    """Validate a notebook's parameters and load its study.

    Parameters
    ----------
    namespace : dict
        The notebook's ``globals()`` right after the parameters cell(s).
    notebook : str
        The notebook's name, for messages.

    Returns
    -------
    NotebookRun
        The study (checked), the language in force and the output folder (created).

    Raises
    ------
    InputError
        Listing every unknown parameter and every parameter of the wrong type,
        e.g. ``parameter 'language' must be a str (got 2013 that is an int)``.
    """
    given = _user_names(namespace)
    problems: list[Problem] = []
    for name, value in given.items():
        if name not in NOTEBOOK_PARAMETERS:
            problems.append(Problem(file=notebook, column=name, kind="parameter", value=value,
                                    rule=f"unknown parameter; this notebook takes: {', '.join(NOTEBOOK_PARAMETERS)}"))
    for name, expected in NOTEBOOK_PARAMETERS.items():
        if name not in given:
            problems.append(Problem(file=notebook, column=name, kind="parameter", rule="parameter is missing from the parameters cell"))
        elif not isinstance(given[name], expected):
            value = given[name]
            problems.append(Problem(file=notebook, column=name, kind="parameter", value=value,
                                    rule=f"parameter '{name}' must be {_a(expected.__name__)} "
                                         f"(got {value!r} that is {_a(type(value).__name__)})"))
    if not problems and given["language"] not in ("",) + LANGUAGES:
        problems.append(Problem(file=notebook, column="language", kind="parameter", value=given["language"],
                                rule="parameter 'language' must be 'vi', 'en' or '' (the study's language)"))
    if problems:
        raise InputError(problems, f"bad parameters for {notebook}")
    study = load_study(given["study"])
    language = given["language"] or study.language
    study = replace(study, language=language)
    output_dir = Path(given["output_dir"]) if given["output_dir"] else paths.REPORTS / "_lab" / study.name
    output_dir.mkdir(parents=True, exist_ok=True)
    return NotebookRun(study=study, language=language, output_dir=output_dir)
