"""Checking a student's answer: a verdict with a hint, never the expected answer.

A lesson asks questions; the student types an answer into a cell
(``answer = ...``) and runs ``check_answer("L1-E1", answer)``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any

from helpers.numbers import check_language
from helpers.teaching.answer_key import Exercise, _expected_value, get_exercise
from helpers.teaching.parse import (AnswerFormatError, _clean_text, _normalise_text_answer, _show, normalise_choice,
                                    parse_number)



@dataclass(frozen=True)
class Feedback:
    """The verdict on one answer, in Vietnamese and English.

    Attributes
    ----------
    correct : bool
    message_vi, message_en : str
        What was right or wrong and a hint; never the expected answer.
    exercise_id : str
    status : {'correct', 'wrong', 'unanswered', 'unreadable'}
    """

    correct: bool
    message_vi: str
    message_en: str
    exercise_id: str = ""
    status: str = ""
    #: ``'vi'`` or ``'en'``: the notebook shows only that language's message; ``None``: both.
    language: str | None = None

    #: One mark per status, each drawn by every font the project installs or names (Liberation, DejaVu):
    #: the emoji marks (U+2705, U+274C) showed as empty boxes on Linux.
    _ICONS = {"correct": "√", "wrong": "×", "unanswered": "►", "unreadable": "?"}

    def message(self, language: str = "vi") -> str:
        """The message in one language."""
        return self.message_vi if language == "vi" else self.message_en

    def _repr_markdown_(self) -> str:
        icon = self._ICONS.get(self.status, "")
        where = f" `{self.exercise_id}`" if self.exercise_id else ""
        if self.language is not None:
            return f"{icon}{where} **{self.message(self.language)}**"
        return f"{icon}{where} **{self.message_vi}**\n\n*{self.message_en}*"

    def __str__(self) -> str:
        if self.language is not None:
            return f"[{self.exercise_id}] {self.message(self.language)}"
        return f"[{self.exercise_id}] {self.message_vi}\n({self.message_en})"

    def __repr__(self) -> str:  # what a console or a text handout shows: the mark and both messages
        return f"{self._ICONS.get(self.status, '')} {self}".strip()


def _feedback(exercise_id: str, status: str, vi: str, en: str) -> Feedback:
    return Feedback(correct=status == "correct", message_vi=vi, message_en=en, exercise_id=exercise_id,
                    status=status)




def _unanswered(answer: Any) -> bool:
    if answer is None or answer is Ellipsis:
        return True
    return isinstance(answer, str) and _clean_text(answer) in ("", "...", "?")


def _matches_number(exercise: Exercise, value: Fraction, expected) -> bool:
    return abs(float(value) - float(Fraction(expected) if not isinstance(expected, float) else expected)) \
        <= exercise.tolerance + 1e-12


def _read_number(exercise: Exercise, answer: Any) -> tuple[Fraction, list[str], list[str]]:
    """The answer as a number on the exercise's scale, or AnswerFormatError."""
    parsed = parse_number(answer, exercise.kind)
    value, notes_vi, notes_en = parsed.value, list(parsed.notes_vi), list(parsed.notes_en)
    if exercise.kind == "count":
        if parsed.percent_sign:
            raise AnswerFormatError(
                "Câu hỏi hỏi một số lượng (số đơn vị), không phải tỉ lệ phần trăm. Hãy gõ một số nguyên, bỏ dấu %.",
                "The question asks for a count (a number of units), not a percentage. Type a whole number "
                "without %.")
        if value.denominator != 1:
            raise AnswerFormatError(
                f"Một số lượng phải là số nguyên (đã đọc được {_show(value, 'vi')}). Hãy gõ một số nguyên, ví dụ 12.",
                f"A count is a whole number (read {_show(value, 'en')}). Type a whole number, e.g. 12.")
        if value < 0:
            raise AnswerFormatError("Một số lượng không thể âm.", "A count cannot be negative.")
    elif exercise.kind == "proportion":
        if parsed.percent_sign:
            value = value / 100
            notes_vi.append(f"đã đổi '{_clean_text(str(answer))}' thành tỉ lệ {_show(value, 'vi')}")
            notes_en.append(f"read '{_clean_text(str(answer))}' as the proportion {_show(value, 'en')}")
        elif value > 1:
            raise AnswerFormatError(
                f"Câu hỏi hỏi một tỉ lệ từ 0 đến 1 (ví dụ p-value, xác suất); {_clean_text(str(answer))} lớn hơn 1. "
                f"Nếu bạn muốn viết phần trăm, hãy thêm dấu %, ví dụ 5% = 0,05.",
                f"The question asks for a proportion between 0 and 1 (a p-value, a probability); "
                f"{_clean_text(str(answer))} is over 1. For a percentage add the % sign: 5% = 0.05.")
        if value < 0:
            raise AnswerFormatError("Một tỉ lệ không thể âm.", "A proportion cannot be negative.")
    elif exercise.kind == "percent":
        if value < 0 or value > 100:
            raise AnswerFormatError(
                "Tỉ lệ phần trăm phải nằm trong khoảng 0–100.", "A percentage lies between 0 and 100.")
        expected = _expected_value(exercise.id)
        if not parsed.percent_sign and value <= 1 and float(expected) > 1 and not _matches_number(exercise, value, expected):
            raise AnswerFormatError(
                f"Câu hỏi hỏi tỉ lệ phần trăm (thang 0–100, ví dụ 12,5 cho 12,5%); {_clean_text(str(answer))} "
                f"trông như một tỉ lệ 0–1. Hãy nhân với 100.",
                f"The question asks for a percentage on the 0–100 scale (e.g. 12.5 for 12.5%); "
                f"{_clean_text(str(answer))} looks like a 0–1 proportion. Multiply it by 100.")
    return value, notes_vi, notes_en


def _mistake_message(exercise: Exercise, answer_value) -> tuple[str, str] | None:
    for mistake in exercise.mistakes:
        target = mistake.get("value")
        if exercise.kind in ("choice", "text"):
            same = normalise_choice(target) == answer_value
        else:
            same = abs(float(answer_value) - float(Fraction(str(target)))) <= max(exercise.tolerance, 1e-12)
        if same:
            return mistake.get("vi", ""), mistake.get("en", "")
    return None


def _text_near_miss(given: str, target: str) -> tuple[str, str] | None:
    """A message for a text answer that is right but for its separators or its ``p =`` prefix."""
    swapped = given.translate(str.maketrans(".,", ",."))
    if swapped == target:
        return ("Gần đúng: tiếng Việt dùng dấu phẩy thập phân (0,5), không dùng dấu chấm.",
                "Nearly: Vietnamese uses a decimal comma (0,5), not a point.")
    for prefix in ("p = ", "p < ", "p > "):
        if target.startswith(prefix) and prefix + given in (target, prefix + swapped):
            return ("Gần đúng: hãy viết cả phần \"p = …\" (hoặc \"p < …\") như trong câu kết quả.",
                    "Nearly: write the whole \"p = …\" (or \"p < …\") as in a result sentence.")
    return None


def _wrong(exercise: Exercise, extra: tuple[str, str] | None, notes: tuple[list, list]) -> Feedback:
    vi = "Chưa đúng."
    en = "Not yet right."
    if notes[0]:
        vi += f" ({'; '.join(notes[0])})"
        en += f" ({'; '.join(notes[1])})"
    if extra:
        vi += " " + extra[0]
        en += " " + extra[1]
    if exercise.hint_vi:
        vi += f" Gợi ý: {exercise.hint_vi}"
        en += f" Hint: {exercise.hint_en}"
    return _feedback(exercise.id, "wrong", vi, en)


def _right(exercise: Exercise, notes: tuple[list, list]) -> Feedback:
    vi, en = "Đúng rồi!", "Correct!"
    if notes[0]:
        vi += f" ({'; '.join(notes[0])})"
        en += f" ({'; '.join(notes[1])})"
    return _feedback(exercise.id, "correct", vi, en)


def check_answer(exercise_id: str, answer, language: str | None = None) -> Feedback:
    """Say whether ``answer`` is right, with a hint, without revealing the expected answer.

    Parameters
    ----------
    exercise_id : str
        An id of ``exercises.yaml`` (``"L1-E1"``).
    answer : any
        What the student typed: a number (``0.05``), a string in Vietnamese or
        English form (``"0,05"``, ``"5%"``, ``"1.120"``), a choice (``"B"``) or
        ``None`` when not yet answered.
    language : {'vi', 'en'}, optional
        The language the notebook shows the message in (a lesson passes ``run.language``, so a
        Vietnamese handout holds no English); by default both messages are shown.

    Returns
    -------
    Feedback
        ``status`` is ``'correct'``, ``'wrong'``, ``'unanswered'`` (answer is
        None) or ``'unreadable'`` (wrong type or format; the message says what
        was expected). Never raises for a student's answer.

    Raises
    ------
    ValueError
        Only for an unknown ``exercise_id`` (an error of the lesson, not the student).

    Examples
    --------
    >>> check_answer("L3-E1", None).status
    'unanswered'
    """
    feedback = _check(exercise_id, answer)
    if language is None:
        return feedback
    check_language(language)
    return replace(feedback, language=language)


def _check(exercise_id: str, answer) -> Feedback:
    exercise = get_exercise(exercise_id)
    if _unanswered(answer):
        return _feedback(
            exercise.id, "unanswered",
            "Chưa có câu trả lời: gõ câu trả lời vào ô phía trên (answer = ...) rồi chạy lại ô này.",
            "No answer yet: type your answer in the cell above (answer = ...) and run this cell again.")
    expected = _expected_value(exercise.id)
    if exercise.kind in ("choice", "text"):
        if exercise.kind == "choice":
            given = normalise_choice(answer)
            given = exercise.aliases.get(given, given)
            valid = [normalise_choice(o) for o in exercise.options]
            if valid and given not in valid:
                options = ", ".join(exercise.options)
                return _feedback(
                    exercise.id, "unreadable",
                    f"'{_clean_text(str(answer))}' không phải một lựa chọn của câu hỏi này. Hãy gõ một trong: {options}.",
                    f"'{_clean_text(str(answer))}' is not one of this question's options. Type one of: {options}.")
            right = given == normalise_choice(expected)
        else:
            if not isinstance(answer, str):
                return _feedback(
                    exercise.id, "unreadable",
                    "Câu hỏi này cần một đoạn chữ, đặt trong dấu nháy, ví dụ answer = \"p = 0,5\".",
                    "This question needs text in quotes, e.g. answer = \"p = 0.5\".")
            given = _normalise_text_answer(answer)
            target = _normalise_text_answer(str(expected))
            right = given == target
            if not right:
                near = _text_near_miss(given, target)
                if near:
                    return _wrong(exercise, near, ([], []))
        if right:
            return _right(exercise, ([], []))
        return _wrong(exercise, _mistake_message(exercise, normalise_choice(answer)), ([], []))
    try:
        value, notes_vi, notes_en = _read_number(exercise, answer)
    except AnswerFormatError as problem:
        return _feedback(exercise.id, "unreadable", f"Chưa đọc được câu trả lời: {problem.vi}",
                         f"Could not read the answer: {problem.en}")
    if _matches_number(exercise, value, expected):
        return _right(exercise, (notes_vi, notes_en))
    return _wrong(exercise, _mistake_message(exercise, value), (notes_vi, notes_en))
