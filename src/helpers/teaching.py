"""Teaching lessons: answer checking, student and instructor versions, a regression-to-the-mean simulation.

A lesson (``notebooks/teaching/NN-name.ipynb``) asks questions; the student types
an answer into a cell (``answer = ...``) and runs ``check_answer("L1-E1", answer)``.
The expected answers are *not* in the notebook: they are described in
``src/helpers/data/exercises.yaml`` and, where possible, computed here from the
project's own helpers (a base from :func:`helpers.published.recover_bases`, a
p-value from :mod:`helpers.inference`, a simulated share from
:func:`simulate_regression_to_mean`). A stored value carries its source (the
article's sentence or a hand computation) in the YAML file.

Answers are read the way a Vietnamese student writes them: ``"0,05"`` (decimal
comma), ``"5%"`` for a proportion, ``"1.120"`` for the count 1120, ``"p = 0,016"``.
A wrong type or an unreadable form gets a message saying what was expected,
never a traceback.

Each lesson has one source. Cells tagged ``solution`` set the right answer; they
are kept by :func:`instructor_version` and removed by :func:`student_version`.
:func:`student_leaks` checks that a student version holds no solution cell and no
answer value.
"""

from __future__ import annotations

import copy
import functools
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from numbers import Number
from typing import Any, Callable


from helpers import paths

#: The exercises file (answers as data).
EXERCISES_FILE = paths.PACKAGE_DATA / "exercises.yaml"
#: Folder of the lesson notebooks.
LESSONS_DIR = paths.NOTEBOOKS / "teaching"
#: Tag of the cells kept only in the instructor version.
SOLUTION_TAG = "solution"
#: Kinds of exercise answers.
KINDS = ("count", "number", "percent", "proportion", "choice", "text")

_EXERCISE_CALL = re.compile(r"check_answer\(\s*[\"']([A-Za-z0-9_-]+)[\"']")
_DIGITS = re.compile(r"^[0-9][0-9.,]*$")
_NUMBER_TOKEN = re.compile(r"(?<![\w.,])[0-9]*[.,]?[0-9]+(?:[.,][0-9]+)*\s?%?")


# --------------------------------------------------------------------------- feedback


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

    _ICONS = {"correct": "✅", "wrong": "❌", "unanswered": "✍️", "unreadable": "⚠️"}

    def message(self, language: str = "vi") -> str:
        """The message in one language."""
        return self.message_vi if language == "vi" else self.message_en

    def _repr_markdown_(self) -> str:
        icon = self._ICONS.get(self.status, "")
        where = f" `{self.exercise_id}`" if self.exercise_id else ""
        return f"{icon}{where} **{self.message_vi}**\n\n*{self.message_en}*"

    def __str__(self) -> str:
        return f"[{self.exercise_id}] {self.message_vi}\n({self.message_en})"


def _feedback(exercise_id: str, status: str, vi: str, en: str) -> Feedback:
    return Feedback(correct=status == "correct", message_vi=vi, message_en=en, exercise_id=exercise_id,
                    status=status)


# --------------------------------------------------------------------------- answer parsing


class AnswerFormatError(ValueError):
    """A student's answer that cannot be read as the kind asked; carries both messages."""

    def __init__(self, vi: str, en: str):
        super().__init__(en)
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class ParsedNumber:
    """A number read from a student's answer, with how it was read."""

    value: Fraction
    percent_sign: bool = False
    notes_vi: tuple[str, ...] = ()
    notes_en: tuple[str, ...] = ()


def _show(value, language: str) -> str:
    """A number for a message, with as few decimals as it needs (at most 6), via helpers.numbers."""
    from helpers.numbers import format_number

    value = Fraction(value)
    decimals = next((d for d in range(7) if (value * 10**d).denominator == 1), 6)
    return format_number(value, decimals, language, thousands=False)


def _clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("−", "-").replace("–", "-")
    return re.sub(r"\s+", " ", text).strip()


def _digits_to_fraction(body: str, kind: str, shown: str) -> tuple[Fraction, list[str], list[str]]:
    """Read digits with Vietnamese or English separators; return value and interpretation notes."""
    notes_vi: list[str] = []
    notes_en: list[str] = []
    if body.startswith((".", ",")) and body[1:].isdigit():  # ".05" (APA) or ",05"
        body = "0" + body
    if not _DIGITS.match(body) or body[-1] in ".,":
        raise AnswerFormatError(
            f"'{shown}' không phải là một số. Hãy gõ một số, ví dụ 12 hoặc 0,05 (dấu phẩy thập phân).",
            f"'{shown}' is not a number. Type a number such as 12 or 0.05 (a decimal comma is fine too).")
    dots, commas = body.count("."), body.count(",")
    whole_kind = kind == "count"

    def grouped(parts: list[str]) -> bool:
        return 1 <= len(parts[0]) <= 3 and parts[0][0] != "0" and all(len(p) == 3 for p in parts[1:])

    if dots and commas:
        decimal_sep = "." if body.rfind(".") > body.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = body.rpartition(decimal_sep)
        groups = whole.split(thousands_sep)
        if body.count(decimal_sep) > 1 or not grouped(groups):
            raise AnswerFormatError(
                f"'{shown}' có cả dấu chấm và dấu phẩy nhưng không theo cách viết số thông thường. "
                f"Hãy gõ số không có dấu ngăn cách hàng nghìn, ví dụ 1120 hoặc 0,05.",
                f"'{shown}' mixes dots and commas in an unusual way. Type the number without thousands "
                f"separators, e.g. 1120 or 0.05.")
        digits, decimals = "".join(groups) + fraction, len(fraction)
    elif dots or commas:
        sep = "." if dots else ","
        parts = body.split(sep)
        thousands = grouped(parts) and (len(parts) > 2 or whole_kind)
        ambiguous = (not whole_kind and len(parts) == 2 and grouped(parts) and sep == "."
                     and kind == "number")
        if ambiguous:
            raise AnswerFormatError(
                f"'{shown}' có thể là {parts[0]}{parts[1]} (dấu chấm ngăn cách hàng nghìn) hoặc "
                f"{parts[0]},{parts[1]} (số thập phân). Hãy gõ không có dấu chấm: {parts[0]}{parts[1]} hoặc "
                f"{parts[0]},{parts[1]}.",
                f"'{shown}' could be {parts[0]}{parts[1]} (a Vietnamese thousands dot) or {parts[0]}.{parts[1]}. "
                f"Type it without the ambiguity: {parts[0]}{parts[1]} or {parts[0]},{parts[1]}.")
        if thousands:
            digits, decimals = "".join(parts), 0
            notes_vi.append(f"đã hiểu '{shown}' là {digits} (dấu '{sep}' ngăn cách hàng nghìn)")
            notes_en.append(f"read '{shown}' as {digits} ('{sep}' separating thousands)")
        elif len(parts) == 2:
            digits, decimals = parts[0] + parts[1], len(parts[1])
        else:
            raise AnswerFormatError(
                f"'{shown}' có nhiều dấu '{sep}' nhưng các nhóm không phải ba chữ số. Hãy gõ lại số, "
                f"ví dụ 1120 hoặc 0,05.",
                f"'{shown}' has several '{sep}' but the groups are not of three digits. Type the number "
                f"again, e.g. 1120 or 0.05.")
    else:
        digits, decimals = body, 0
    return Fraction(int(digits), 10**decimals), notes_vi, notes_en


def parse_number(answer: Any, kind: str = "number") -> ParsedNumber:
    """Read a student's numeric answer exactly.

    Parameters
    ----------
    answer : int, float, Decimal, Fraction or str
        ``0.05``, ``"0,05"``, ``"5%"``, ``"1.120"``, ``"p = 0,016"``, ``".05"``.
    kind : {'count', 'number', 'percent', 'proportion'}
        A count must be whole (``"1.120"`` and ``"1,120"`` are read as 1120); for a
        percent or a proportion a single ``,`` or ``.`` is the decimal separator;
        for a plain number ``"1.120"`` is refused as ambiguous.

    Returns
    -------
    ParsedNumber
        ``percent_sign`` is True when the answer ended in ``%``.

    Raises
    ------
    AnswerFormatError
        With a Vietnamese and an English message saying what was expected.

    Examples
    --------
    >>> float(parse_number("0,05", "proportion").value)
    0.05
    >>> int(parse_number("1.120", "count").value)
    1120
    """
    if isinstance(answer, bool):
        raise AnswerFormatError(
            f"{answer} là giá trị đúng/sai, không phải một số. Hãy gõ một số.",
            f"{answer} is a true/false value, not a number. Type a number.")
    if isinstance(answer, (Fraction, int)):
        return ParsedNumber(Fraction(answer))
    if isinstance(answer, Decimal) or (isinstance(answer, Number) and hasattr(answer, "__float__")):
        try:
            value = float(answer)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            raise AnswerFormatError(f"{answer!r} không phải là một số hữu hạn.", f"{answer!r} is not a finite number.")
        return ParsedNumber(Fraction(repr(value)) if isinstance(answer, float) else Fraction(value))
    if not isinstance(answer, str):
        kind_vi = {"list": "danh sách", "tuple": "bộ giá trị", "dict": "từ điển", "set": "tập hợp"}
        name = type(answer).__name__
        raise AnswerFormatError(
            f"Câu trả lời là một {kind_vi.get(name, name)}, không phải một số. Hãy gõ một số, ví dụ 12 hoặc 0,05.",
            f"The answer is a {name}, not a number. Type one number, e.g. 12 or 0.05.")
    text = _clean_text(answer)
    shown = text
    text = re.sub(r"^p\s*[=<>]\s*", "", text, flags=re.IGNORECASE)
    percent_sign = False
    if text.endswith("%"):
        percent_sign, text = True, text[:-1].strip()
    elif text.lower().endswith("phần trăm"):
        percent_sign, text = True, text[: -len("phần trăm")].strip()
    sign = 1
    if text.startswith(("-", "+")):
        sign, text = (-1 if text[0] == "-" else 1), text[1:].strip()
    text = text.replace(" ", "") if re.fullmatch(r"[0-9]{1,3}( [0-9]{3})+([.,][0-9]+)?", text) else text
    if not text:
        raise AnswerFormatError(f"'{shown}' không có chữ số nào. Hãy gõ một số.", f"'{shown}' has no digits. Type a number.")
    number_kind = "number" if kind not in ("count", "percent", "proportion") else kind
    value, notes_vi, notes_en = _digits_to_fraction(text, number_kind, shown)
    return ParsedNumber(sign * value, percent_sign, tuple(notes_vi), tuple(notes_en))


def normalise_choice(answer: Any) -> str:
    """Read a choice answer: ``"b"``, ``"B)"``, ``" (B) "`` → ``"B"``; words are NFC lower case."""
    text = _clean_text(str(answer))
    match = re.fullmatch(r"\(?([A-Za-z])[).:]?", text)
    if match:
        return match.group(1).upper()
    return text.lower()


def _normalise_text_answer(text: str) -> str:
    text = _clean_text(text).lower()
    return re.sub(r"\s*([=<>:;])\s*", r" \1 ", text).strip()


# --------------------------------------------------------------------------- expected answers

#: Functions that compute expected answers from the project's helpers; exercises.yaml names them.
COMPUTERS: dict[str, Callable[..., Any]] = {}


def _computer(name: str):
    def register(function):
        COMPUTERS[name] = function
        return function
    return register


@_computer("rounded_percent")
def _rounded_percent(count: int, base: int, decimals: int = 2) -> Fraction:
    """The percentage ``100·count/base`` printed with ``decimals`` decimals (half-up)."""
    from helpers.published.rounding import round_fraction

    return round_fraction(Fraction(100 * count, base), decimals, "half_up")


@_computer("smallest_base")
def _smallest_base(percents: list[str], exhaustive: bool = False) -> int:
    """The smallest base that reproduces every printed percentage."""
    from helpers.published import recover_bases

    return recover_bases(percents, exhaustive=exhaustive)[0].base


@_computer("remainder_at_smallest_base")
def _remainder_at_smallest_base(percents: list[str]) -> int:
    """Units left outside the printed categories at the smallest base (base − Σ implied counts)."""
    from helpers.published import recover_bases

    first = recover_bases(percents)[0]
    return first.base - sum(first.counts)


def _good_and_base(study: str, table_id: str, codes: list[str]) -> tuple[int, int]:
    """Units rated in ``codes`` (printed counts; nested "trong đó" rows left out) and the table's total."""
    from helpers.published import read_published
    from helpers.study import load_study

    table = read_published(load_study(study).published)
    rows = table[table["table_id"] == table_id]
    if rows.empty:
        raise ValueError(f"published table {table_id!r} not found in study {study!r}")
    is_total = rows["is_total"].fillna(False).astype(bool)
    totals = rows.loc[is_total, "count"].dropna()
    base = int(totals.iloc[0]) if len(totals) else int(rows["base"].dropna().iloc[0])
    parts = rows[rows["rating_code"].isin(codes) & ~is_total & rows["parent"].fillna("").astype(str).eq("")]
    return int(parts["count"].dropna().sum()), base


@_computer("published_share")
def _published_share(study: str, table_id: str, codes: list[str]) -> Fraction:
    """Percentage (0–100, exact) of a published table's units rated in ``codes``, from printed counts."""
    good, base = _good_and_base(study, table_id, codes)
    return Fraction(100 * good, base)


@_computer("harmonised_p")
def _harmonised_p(study: str, before: str, after: str, good_before: list[str], good_after: list[str]) -> float:
    """Exact Fisher p-value of 'good or better' vs the rest, table ``before`` vs table ``after``."""
    from helpers.inference.contingency import fisher_freeman_halton_p

    g1, n1 = _good_and_base(study, before, good_before)
    g2, n2 = _good_and_base(study, after, good_after)
    return float(fisher_freeman_halton_p([[g1, n1 - g1], [g2, n2 - g2]])[0])


@_computer("harmonised_p_text")
def _harmonised_p_text(language: str = "vi", **args) -> str:
    """:func:`_harmonised_p` as an article prints it."""
    from helpers.numbers import format_p_value

    return format_p_value(_harmonised_p(**args), language)


@_computer("sign_test_p")
def _sign_test_p(improved: int, worsened: int, unchanged: int = 0) -> float:
    """Exact two-sided sign-test p-value (:func:`helpers.inference.paired.sign_test`)."""
    from helpers.inference.paired import sign_test

    return float(sign_test(improved, worsened, unchanged)["p_value"].iloc[0])


@_computer("paired_range_p_max")
def _paired_range_p_max(before: list[int], after: list[int], test: str = "exact sign test") -> float:
    """Largest p-value of a paired test over every joint table with the printed margins."""
    from helpers.inference.totals import paired_range

    frame = paired_range(before, after).to_frame()
    return float(frame.loc[frame["test"] == test, "p_max"].iloc[0])


@_computer("unpaired_p")
def _unpaired_p(before: list[int], after: list[int]) -> float:
    """Exact Fisher–Freeman–Halton p-value treating the two years as independent samples."""
    from helpers.inference.contingency import fisher_freeman_halton_p

    table = [[b for b, a in zip(before, after) if b or a], [a for b, a in zip(before, after) if b or a]]
    return float(fisher_freeman_halton_p(table)[0])


@_computer("sign_test_power")
def _sign_test_power(n: int, p_improve: float, alpha: float = 0.05) -> float:
    """Power of the exact two-sided sign test (:func:`helpers.inference.power.sign_test_power`)."""
    from helpers.inference.power import sign_test_power

    return float(sign_test_power(n, p_improve, alpha))


@_computer("sign_test_mde")
def _sign_test_mde(n: int, power: float = 0.8, alpha: float = 0.05) -> float:
    """Minimum detectable share of improvers (:func:`helpers.inference.power.minimum_detectable_share`)."""
    from helpers.inference.power import minimum_detectable_share

    return float(minimum_detectable_share(n, alpha=alpha, power=power))


@_computer("min_units_option")
def _min_units_option(n: int, options: dict, alpha: float = 0.05) -> str:
    """The option whose number is :func:`helpers.inference.power.min_units_same_direction` (n, alpha)."""
    from helpers.inference.power import min_units_same_direction

    needed = min_units_same_direction(n, alpha)
    return next(letter for letter, value in options.items() if value == needed)


@_computer("rtm_share_improved")
def _rtm_share_improved(group: str = "picked", **options) -> Fraction:
    """Share of a simulated group whose rating rose the next year (see :func:`simulate_regression_to_mean`)."""
    summary = simulate_regression_to_mean(**options).summary
    row = summary[summary["group"] == group].iloc[0]
    return Fraction(int(row["improved"]), int(row["n"]))


@_computer("rtm_noise_direction")
def _rtm_noise_direction(noise_low: float, noise_high: float, **options) -> str:
    """'tăng' when the picked units improve more often under the noisier rating, else 'giảm'."""
    low = _rtm_share_improved(noise=noise_low, **options)
    high = _rtm_share_improved(noise=noise_high, **options)
    return "tăng" if high > low else "giảm"


@dataclass(frozen=True)
class Exercise:
    """One exercise as described in exercises.yaml (the expected value is computed on demand)."""

    id: str
    lesson: str
    kind: str
    question_vi: str
    question_en: str
    hint_vi: str
    hint_en: str
    expected_spec: dict = field(repr=False)
    tolerance: float = 0.0
    options: tuple[str, ...] = ()
    aliases: dict = field(default_factory=dict, repr=False)
    mistakes: tuple[dict, ...] = field(default=(), repr=False)

    @property
    def expected(self):
        """The right answer: computed from the helpers (cached) or as stored."""
        return _expected_value(self.id)


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, Exercise]:
    raw = paths.read_yaml(EXERCISES_FILE) or {}
    exercises = {}
    problems = []
    for exercise_id, spec in (raw.get("exercises") or {}).items():
        kind = spec.get("kind")
        if kind not in KINDS:
            problems.append(f"{exercise_id}: 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
            continue
        expected = spec.get("expected")
        if not isinstance(expected, dict) or not ({"value", "compute"} & set(expected)):
            problems.append(f"{exercise_id}: 'expected' must hold 'value' (with 'source') or 'compute'")
            continue
        if "value" in expected and not expected.get("source"):
            problems.append(f"{exercise_id}: a stored expected value needs its 'source'")
        if "compute" in expected and expected["compute"] not in COMPUTERS:
            problems.append(f"{exercise_id}: unknown compute {expected['compute']!r}; known: {', '.join(COMPUTERS)}")
        exercises[exercise_id] = Exercise(
            id=exercise_id, lesson=spec.get("lesson", ""), kind=kind,
            question_vi=spec.get("question_vi", ""), question_en=spec.get("question_en", ""),
            hint_vi=spec.get("hint_vi", ""), hint_en=spec.get("hint_en", ""), expected_spec=expected,
            tolerance=float(spec.get("tolerance", 0)), options=tuple(str(o) for o in spec.get("options", ())),
            aliases={normalise_choice(k): normalise_choice(v) for k, v in (spec.get("aliases") or {}).items()},
            mistakes=tuple(spec.get("mistakes") or ()),
        )
    if problems:
        raise ValueError(f"{EXERCISES_FILE.name} has problems:\n  - " + "\n  - ".join(problems))
    return exercises


def exercises() -> dict[str, Exercise]:
    """Every exercise of exercises.yaml, by id."""
    return dict(_load())


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; ValueError listing the known ids when there is none."""
    known = _load()
    if exercise_id not in known:
        raise ValueError(f"unknown exercise {exercise_id!r}; known exercises: {', '.join(sorted(known))}")
    return known[exercise_id]


@functools.lru_cache(maxsize=None)
def _expected_value(exercise_id: str):
    spec = get_exercise(exercise_id).expected_spec
    if "compute" in spec:
        return COMPUTERS[spec["compute"]](**(spec.get("args") or {}))
    return spec["value"]


def expected_answer(exercise_id: str):
    """The expected answer of an exercise (for instructors and tests; never shown by :func:`check_answer`)."""
    return _expected_value(exercise_id)


# --------------------------------------------------------------------------- checking


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


def check_answer(exercise_id: str, answer) -> Feedback:
    """Say whether ``answer`` is right, with a hint, without revealing the expected answer.

    Parameters
    ----------
    exercise_id : str
        An id of ``exercises.yaml`` (``"L1-E1"``).
    answer : any
        What the student typed: a number (``0.05``), a string in Vietnamese or
        English form (``"0,05"``, ``"5%"``, ``"1.120"``), a choice (``"B"``) or
        ``None`` when not yet answered.

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


# --------------------------------------------------------------------------- student / instructor versions


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


# --------------------------------------------------------------------------- regression to the mean

#: Columns of :attr:`RegressionToMeanSimulation.units`.
SIMULATION_UNIT_COLUMNS = ["unit_id", "quality", "score_before", "score_after", "rating_before", "rating_after",
                           "picked", "change"]
#: Columns of :attr:`RegressionToMeanSimulation.summary`.
SIMULATION_SUMMARY_COLUMNS = ["group", "n", "improved", "same", "worsened", "share_improved", "mean_change"]
#: Shares of the four common levels (fail, pass, good, top) the simulated ratings are cut into.
SIMULATION_LEVEL_SHARES = (0.05, 0.20, 0.45, 0.30)
SIMULATION_GROUPS = {
    "picked": ("đơn vị được chọn củng cố", "units picked for repair"),
    "same_start": ("đơn vị yếu không được chọn (cùng mức xuất phát)", "weak units not picked (same starting ratings)"),
    "others": ("các đơn vị còn lại", "all other units"),
}


@dataclass(frozen=True)
class RegressionToMeanSimulation:
    """A simulated province where weak units are picked for repair and nothing is done.

    Attributes
    ----------
    units : DataFrame
        One row per unit, columns :data:`SIMULATION_UNIT_COLUMNS`; ratings are the
        common order 0 (fail) … 3 (top); ``change`` = rating_after − rating_before.
    summary : DataFrame
        One row per group, columns :data:`SIMULATION_SUMMARY_COLUMNS`: ``picked``;
        ``same_start``, the weak units (two lowest levels in year one) that were not
        picked — since the picked units are drawn at random from the same weak pool,
        they share its starting ratings in expectation; ``others``, every other unit.
    parameters : dict
        The arguments of the run (so a rerun is exact).
    """

    units: Any
    summary: Any
    parameters: dict

    def to_frame(self):
        """The summary table."""
        return self.summary

    def table(self, language: str = "vi"):
        """The summary with group names and percentages in words, for display."""
        from helpers.numbers import format_number, format_percent

        frame = self.summary.copy()
        frame["group"] = [SIMULATION_GROUPS[g][0 if language == "vi" else 1] for g in frame["group"]]
        frame["share_improved"] = [format_percent(100 * s, 1, language) for s in frame["share_improved"]]
        frame["mean_change"] = [format_number(m, 2, language) for m in frame["mean_change"]]
        return frame


def simulate_regression_to_mean(n_units: int = 500, n_picked: int = 40, noise: float = 0.6, effect: float = 0.0,
                                seed: int = 2016) -> RegressionToMeanSimulation:
    """Simulate two yearly ratings of a province, picking weak units for repair after the first.

    Each unit has a fixed true quality ``q ~ N(0, 1)``; its yearly score is
    ``q + e`` with ``e ~ N(0, noise²)`` drawn afresh each year (how far one year's
    review misses the unit's real quality). Scores are cut into four levels with the
    shares :data:`SIMULATION_LEVEL_SHARES`. After year one, ``n_picked`` units are
    drawn at random among those rated at the two lowest levels — the Lạng Sơn rule
    of repairing weak units — and get ``effect`` added to their next score (0 by
    default: no help at all). Units picked because their rating was low improve on
    average anyway, because part of a low rating was bad luck that does not repeat
    (regression to the mean); weak units that were not picked improve just as much.

    Parameters
    ----------
    n_units : int
        Units in the province (≥ 10).
    n_picked : int
        Units picked for repair, at most the number rated weak in year one.
    noise : float
        Standard deviation of the yearly error relative to true quality (≥ 0).
    effect : float
        True effect of the repair on the score (in standard deviations of quality).
    seed : int
        Seed of the random generator; the same arguments give the same result.

    Returns
    -------
    RegressionToMeanSimulation

    Raises
    ------
    ValueError
        Naming the argument that is out of range.

    References
    ----------
    Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to the mean:
    what it is and how to deal with it. *International Journal of Epidemiology*, 34(1),
    215–220. https://doi.org/10.1093/ije/dyh299

    Examples
    --------
    >>> sim = simulate_regression_to_mean(seed=1)
    >>> list(sim.summary["group"])
    ['picked', 'same_start', 'others']
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    for name, value, low in (("n_units", n_units, 10), ("n_picked", n_picked, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"'{name}' must be an integer ≥ {low} (got {value!r}).")
    for name, value in (("noise", noise), ("effect", effect)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"'{name}' must be a finite number (got {value!r}).")
    if noise < 0:
        raise ValueError(f"'noise' must be ≥ 0 (got {noise!r}).")
    rng = np.random.default_rng(seed)
    quality = rng.normal(0.0, 1.0, n_units)
    before = quality + rng.normal(0.0, noise, n_units)
    after_noise = rng.normal(0.0, noise, n_units)
    spread = math.sqrt(1.0 + noise**2)
    cuts = norm.ppf(np.cumsum(SIMULATION_LEVEL_SHARES)[:-1]) * spread
    rating_before = np.searchsorted(cuts, before)
    weak = np.flatnonzero(rating_before <= 1)
    if n_picked > len(weak):
        raise ValueError(f"'n_picked' must be at most the {len(weak)} units rated weak in year one "
                         f"(got {n_picked}).")
    picked = np.zeros(n_units, dtype=bool)
    picked[rng.choice(weak, size=n_picked, replace=False)] = True
    after = quality + after_noise + np.where(picked, effect, 0.0)
    rating_after = np.searchsorted(cuts, after)
    units = pd.DataFrame({
        "unit_id": np.arange(1, n_units + 1), "quality": quality, "score_before": before, "score_after": after,
        "rating_before": rating_before, "rating_after": rating_after, "picked": picked,
        "change": rating_after - rating_before,
    }, columns=SIMULATION_UNIT_COLUMNS)
    groups = {
        "picked": units["picked"],
        "same_start": ~units["picked"] & (units["rating_before"] <= 1),
        "others": ~units["picked"] & (units["rating_before"] > 1),
    }
    rows = []
    for group, mask in groups.items():
        part = units[mask]
        rows.append({
            "group": group, "n": len(part), "improved": int((part["change"] > 0).sum()),
            "same": int((part["change"] == 0).sum()), "worsened": int((part["change"] < 0).sum()),
            "share_improved": float((part["change"] > 0).mean()) if len(part) else math.nan,
            "mean_change": float(part["change"].mean()) if len(part) else math.nan,
        })
    summary = pd.DataFrame(rows, columns=SIMULATION_SUMMARY_COLUMNS)
    parameters = {"n_units": n_units, "n_picked": n_picked, "noise": noise, "effect": effect, "seed": seed}
    return RegressionToMeanSimulation(units=units, summary=summary, parameters=parameters)
