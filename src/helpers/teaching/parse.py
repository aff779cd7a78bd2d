"""Reading a student's answer the way a Vietnamese student writes it.

``"0,05"`` (decimal comma), ``"5%"`` for a proportion, ``"1.120"`` for the count
1120, ``"p = 0,016"``. A wrong type or an unreadable form raises
:class:`AnswerFormatError` with a Vietnamese and an English message saying what
was expected.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from numbers import Number
from typing import Any

_DIGITS = re.compile(r"^[0-9][0-9.,]*$")



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
