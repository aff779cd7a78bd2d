"""Finishing a built lesson handout: no build path, no glyph the project's font lacks, no answer given away.

The runner executes a lesson in a temporary build folder
(``reports/.build-teaching-student-<run id>/``); papermill writes that folder
into the injected parameters cell and the notebook's metadata, and a cell may
print it. :func:`finish_handout` rewrites every such path to the one a reader
knows (``reports/teaching/student``; ``notebooks/teaching``), fixes the id papermill
draws at random for the parameters cell (so that a rebuild is byte-identical), checks that every
character of the handout is drawn by each of the project's fonts, and, for the student
version, runs the leak check (:func:`helpers.teaching.leaks.handout_leaks`). All
problems are listed at once; the executed notebook is rewritten only when the
handout is good.
"""

from __future__ import annotations

import os
from pathlib import Path

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.teaching.leaks import handout_leaks, output_texts


def _relative(path: Path) -> str:
    path = Path(path).resolve()
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else path.name


def replace_paths(node, replacements: dict[str, str]):
    """A copy of ``node`` (a notebook, or any part of one) with every path of ``replacements`` rewritten.

    Longer paths are replaced first, so a build folder's ``.sources`` sub-folder
    is not half-replaced by the build folder itself.
    """
    order = sorted(replacements, key=len, reverse=True)

    def rewrite(value):
        if isinstance(value, str):
            for old in order:
                value = value.replace(old, replacements[old])
            return value
        if isinstance(value, dict):
            return type(value)((key, rewrite(item)) for key, item in value.items())
        if isinstance(value, list):
            return [rewrite(item) for item in value]
        return value

    return rewrite(node)


def without_run_details(notebook):
    """The notebook with a fixed id for the injected-parameters cell (papermill draws a random one), so
    that a rebuild of a handout is byte-identical; the runner drops the clock times
    (:func:`helpers.runner.build.strip_run_details`)."""
    for cell in notebook.cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell["id"] = "injected-parameters"
    return notebook


def handout_texts(notebook) -> list[tuple[int, str, str]]:
    """Every text a reader of the handout sees: (cell index, kind, text) for markdown, code and outputs."""
    found = []
    for index, cell in enumerate(notebook.cells):
        found.append((index, f"{cell.get('cell_type')} cell", str(cell.get("source", ""))))
        found += [(index, kind, text) for kind, text in output_texts(cell)]
    return found


def project_fonts() -> list[tuple[str, str]]:
    """The fonts the project names for its documents and installs: (family, file) for each installed
    family of :data:`helpers.export.theme.FONT_PREFERENCE` (Liberation Serif, DejaVu Serif, DejaVu Sans)."""
    from matplotlib import font_manager

    from helpers.export.theme import FONT_PREFERENCE

    found = []
    for family in FONT_PREFERENCE:
        try:
            found.append((family, str(font_manager.findfont(font_manager.FontProperties(family=family),
                                                            fallback_to_default=False))))
        except ValueError:  # not installed
            continue
    return found


def glyph_problems(notebook, lesson: str, fonts: list[tuple[str, str]] | None = None) -> list[Problem]:
    """Every character of the handout that one of the project's fonts cannot draw, once per cell.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
    lesson : str
        Named in the problems.
    fonts : list of (family, file), optional
        Default :func:`project_fonts`: whichever of them a reader's document ends up in, no
        character may show as an empty box.

    Returns
    -------
    list of Problem
        ``column`` is the cell, ``value`` the character; the rule names its code point and the fonts
        that lack it.
    """
    from matplotlib.ft2font import FT2Font

    faces = [(family, FT2Font(file)) for family, file in (fonts or project_fonts())]
    problems = []
    seen = set()
    for index, kind, text in handout_texts(notebook):
        for character in dict.fromkeys(text):
            if character.isspace() or not character.isprintable() or (index, character) in seen:
                continue
            lacking = [family for family, face in faces if face.get_char_index(ord(character)) == 0]
            if lacking:
                seen.add((index, character))
                problems.append(Problem(file=lesson, column=str(index), kind="cell", value=character,
                                        rule=f"U+{ord(character):04X} ({kind}) is not in the font(s) "
                                             f"{', '.join(lacking)}: it shows as an empty box"))
    return problems


def finish_handout(executed: Path, version: str, build: Path, final: Path, source: Path) -> None:
    """Rewrite build paths in an executed lesson and check it; raise listing every problem.

    Parameters
    ----------
    executed : Path
        The executed notebook in the build folder; rewritten in place (atomically) when good.
    version : {'student', 'instructor'}
        The student version is also checked for leaks.
    build : Path
        The temporary build folder, replaced by ``final`` in every text.
    final : Path
        The folder the handout ends up in (``reports/teaching/student``).
    source : Path
        The lesson's source notebook (a student version is executed from a copy in ``build/.sources``).

    Raises
    ------
    InputError
        Listing every leak (lesson, cell, exercise, value) and every missing glyph.
    """
    import nbformat

    lesson = Path(source).stem
    notebook = nbformat.read(executed, as_version=4)
    replacements = {str(Path(build) / ".sources"): _relative(Path(source).parent),
                    str(build): _relative(final), f"{paths.ROOT}{os.sep}": "", str(paths.ROOT): "."}
    notebook = without_run_details(nbformat.from_dict(replace_paths(notebook, replacements)))
    problems = glyph_problems(notebook, lesson)
    if version == "student":
        problems = handout_leaks(notebook, lesson) + problems
    if problems:
        raise InputError(problems, f"the {version} version of lesson {lesson} is not fit to hand out")
    temporary = paths.temporary_beside(executed)
    nbformat.write(notebook, temporary)
    os.replace(temporary, executed)
