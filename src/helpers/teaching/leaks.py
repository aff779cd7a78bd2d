"""The leak check of an executed student handout: no output before an exercise shows its answer.

A handout gives an exercise away when a cell above it displays a value that the
exercise would accept, so that the exercise becomes "copy the number from above".
:func:`output_leaks` reads **every** output of every cell before an exercise's
check cell — ``text/plain``, ``text/html`` (tags removed), ``text/markdown``,
``text/latex``, stream output, display data and error text — and compares each
number shown with the exercise's accepted answers:

- in every way the number can be read: decimal comma or point (``0,125`` /
  ``0.125``), thousands dot or comma (``1.120``), percent sign (``12,5%``),
  scientific notation (``3.6e-05``);
- on both scales of a rate: a percentage shown for a proportion asked
  (``12,5`` for 0,125) and a proportion shown for a percentage asked;
- rounded to the precision the output prints: ``0,13`` gives away 0,125 and
  ``21,0%`` gives away 0,2097 (the shown number needs decimals and two
  significant digits for this, so that a row number ``55`` or a ``0,1`` never
  counts as a rounded 54,84 or 0,125).

A bare whole number is not read as a percentage (a ``1`` is not 1 %).

A text answer (``p = 0,200``) leaks when an output before it holds the text.
A choice answer (a letter, or a word such as "tăng") is not a value an output
shows; its leaks are the source ones that :func:`helpers.teaching.versions.student_leaks`
finds (``answer = "B"``).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from fractions import Fraction

from helpers.errors import Problem
from helpers.teaching.answer_key import _expected_value, get_exercise
from helpers.teaching.parse import _normalise_text_answer
from helpers.teaching.versions import _EXERCISE_CALL, student_leaks

#: Kinds of exercise whose answer is a number compared with the numbers shown.
NUMERIC_KINDS = ("count", "number", "percent", "proportion")

_SHOWN_NUMBER = re.compile(r"(?<![\w.,])(?:[0-9]+(?:[.,][0-9]+)*|[.,][0-9]+)(?:[eE][-+]?[0-9]+)?(?:\s?%)?")
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class ShownNumber:
    """One reading of a number as an output prints it.

    Attributes
    ----------
    text : str
        The characters shown (``"0,125"``, ``"12,5%"``).
    value : Fraction
        The number read, on the scale printed (``12,5%`` → 12.5).
    decimals : int or None
        Digits printed after the decimal separator; None for scientific notation.
    percent : bool
        The number ended in ``%``.
    """

    text: str
    value: Fraction
    decimals: int | None
    percent: bool


def _grouped(parts: list[str]) -> bool:
    return 1 <= len(parts[0]) <= 3 and parts[0][0] != "0" and all(len(p) == 3 for p in parts[1:])


def read_shown_number(text: str) -> list[ShownNumber]:
    """Every plausible reading of one number printed in an output.

    ``"0,125"`` reads as 0.125; ``"1.120"`` as 1.12 and as 1120 (a Vietnamese
    thousands dot); ``"3.6e-05"`` as 0.000036; ``"12,5%"`` as 12.5 with
    ``percent`` True. A form no reading fits (``"30.11.2026"``) gives ``[]``.

    Examples
    --------
    >>> [float(n.value) for n in read_shown_number("1.120")]
    [1.12, 1120.0]
    """
    body = text.strip()
    percent = body.endswith("%")
    body = body.rstrip("%").strip()
    if re.search(r"[eE]", body):
        try:
            return [ShownNumber(text, Fraction(repr(float(body.replace(",", ".")))), None, percent)]
        except ValueError:
            return []
    if body[0] in ".,":
        body = "0" + body
    dots, commas = body.count("."), body.count(",")
    readings: list[tuple[str, int]] = []  # (digits, decimals)
    if dots and commas:
        point = "." if body.rfind(".") > body.rfind(",") else ","
        group = "," if point == "." else "."
        whole, _, fraction = body.rpartition(point)
        if body.count(point) == 1 and _grouped(whole.split(group)):
            readings.append((whole.replace(group, "") + fraction, len(fraction)))
    elif dots or commas:
        sep = "." if dots else ","
        parts = body.split(sep)
        if len(parts) == 2:
            readings.append((parts[0] + parts[1], len(parts[1])))
        if _grouped(parts):
            readings.append(("".join(parts), 0))
    else:
        readings.append((body, 0))
    return [ShownNumber(text, Fraction(int(digits), 10**decimals), decimals, percent) for digits, decimals in readings]


def output_texts(cell) -> list[tuple[str, str]]:
    """Every text a code cell's outputs show, as (kind, text) pairs.

    Kinds are ``stream``, ``error`` or the MIME type (``text/plain``,
    ``text/html`` with its tags removed, ``text/markdown``, …). Images are not text.
    """
    found = []
    for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
        kind = output.get("output_type")
        if kind == "stream":
            found.append(("stream", str(output.get("text", ""))))
        elif kind == "error":
            found.append(("error", f"{output.get('ename', '')}: {output.get('evalue', '')}"))
        for mime, data in (output.get("data") or {}).items():
            if not (mime.startswith("text/") or mime.endswith("json")):
                continue
            text = data if isinstance(data, str) else "".join(data) if isinstance(data, list) else str(data)
            if mime == "text/html":
                text = html.unescape(_TAG.sub(" ", text))
            found.append((mime, text))
    return found


def _significant_digits(value: Fraction, decimals: int) -> int:
    digits = str(round(abs(value) * 10**decimals)).lstrip("0")
    return len(digits)


def _round_half_up(value: Fraction, decimals: int) -> Fraction:
    scaled = abs(value) * 10**decimals
    whole = int(scaled)
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Fraction(whole if value >= 0 else -whole, 10**decimals)


def _scales(kind: str, shown: ShownNumber) -> list[tuple[Fraction, int | None]]:
    """The shown number on the exercise's scale, in every way a reader could take it (value, decimals)."""
    decimals = shown.decimals
    if kind == "count":
        return [] if shown.percent else [(shown.value, decimals)]
    same = [(shown.value, decimals)] if not (kind == "proportion" and shown.percent) else []
    if kind == "proportion" and (shown.percent or decimals):  # 12,5% or a percentage column's 12,5 → 0,125
        return same + [(shown.value / 100, None if decimals is None else decimals + 2)]
    if kind == "percent" and not shown.percent:  # a proportion 0,9839 → 98,39%
        return same + [(shown.value * 100, None if decimals is None else max(decimals - 2, 0))]
    return same


def gives_away(exercise_id: str, shown: ShownNumber) -> bool:
    """Whether a number shown in an output gives the answer of a numeric exercise away.

    It does when, on the exercise's scale, it lies within the exercise's
    tolerance of the expected answer (so :func:`~helpers.teaching.check.check_answer`
    would accept it), or when it is the expected answer rounded to the decimals
    shown (when it shows decimals and at least two significant digits).
    """
    exercise = get_exercise(exercise_id)
    expected = Fraction(_expected_value(exercise_id))
    for value, decimals in _scales(exercise.kind, shown):
        if abs(value - expected) <= Fraction(exercise.tolerance) + Fraction(1, 10**12):
            return True
        if shown.decimals and decimals is not None and _significant_digits(value, decimals) >= 2 \
                and value == _round_half_up(expected, decimals):
            return True
    return False


def exercise_cells(notebook) -> dict[str, int]:
    """Exercise id → index of the first cell that checks it (``check_answer("L1-E1", …)``)."""
    found: dict[str, int] = {}
    for index, cell in enumerate(notebook.cells):
        if cell.get("cell_type") == "code":
            for exercise_id in _EXERCISE_CALL.findall(cell.get("source", "")):
                found.setdefault(exercise_id, index)
    return found


def output_leaks(notebook, lesson: str = "") -> list[Problem]:
    """Every output before an exercise that shows an accepted answer of it.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        An executed lesson (the student version, as built).
    lesson : str
        The lesson's name, used in the problems (``"03-small-samples"``).

    Returns
    -------
    list of Problem
        One per (cell, exercise, value shown): ``file`` is the lesson, ``column``
        the cell number (0-based, as nbformat counts), ``value`` the text shown, and
        ``rule`` names the exercise and the output kind. Empty when the handout is clean.
    """
    problems = []
    for exercise_id, check_cell in exercise_cells(notebook).items():
        exercise = get_exercise(exercise_id)
        if exercise.kind not in NUMERIC_KINDS + ("text",):
            continue
        target = _normalise_text_answer(str(_expected_value(exercise_id))) if exercise.kind == "text" else ""
        for index, cell in enumerate(notebook.cells[:check_cell]):
            shown: dict[str, list[str]] = {}  # value shown → output kinds showing it
            for kind, text in output_texts(cell):
                if exercise.kind == "text":
                    values = [target] if target in _normalise_text_answer(text) else []
                else:
                    values = [token.strip() for token in _SHOWN_NUMBER.findall(text)
                              if any(gives_away(exercise_id, n) for n in read_shown_number(token))]
                for value in values:
                    shown.setdefault(value, [])
                    if kind not in shown[value]:
                        shown[value].append(kind)
            problems += [Problem(file=lesson, column=str(index), kind="cell", value=value,
                                 rule=f"shows an accepted answer of {exercise_id} before the exercise "
                                      f"({', '.join(kinds)})")
                         for value, kinds in shown.items()]
    return problems


def handout_leaks(notebook, lesson: str) -> list[Problem]:
    """Every leak of an executed student handout, both kinds at once.

    A source that holds an answer or a ``solution`` cell
    (:func:`~helpers.teaching.versions.student_leaks`, one problem each, no cell
    number) and an output that shows one (:func:`output_leaks`).
    """
    return [Problem(file=lesson, rule=leak) for leak in student_leaks(notebook)] + output_leaks(notebook, lesson)
