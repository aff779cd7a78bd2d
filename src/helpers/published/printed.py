"""Printed numbers, parsed exactly and kept as printed.

An article prints ``69,64%``, ``05``, ``1.120``, ``gần 59%`` or ``trên 4,8%``.
:func:`parse_printed` turns such a string into a :class:`PrintedNumber` that
keeps the original text, its exact value (a :class:`fractions.Fraction`, never
a float), the number of decimals printed (a trailing zero counts: ``54,10``
has two) and the qualifier in front of it.

Separators
----------
* Vietnamese: decimal comma, thousands dot (``5.568`` = 5568; ``69,64`` = 69.64).
* English: decimal point, thousands comma (``5,568``; ``69.64``).
* When both ``.`` and ``,`` occur, the last one is the decimal separator.
* A count (``kind='count'``) is a whole number: a single separator followed by
  groups of exactly three digits is a thousands separator (``1.120`` = 1120,
  ``1,120`` = 1120); anything else with a separator is refused.
* A percentage (``kind='percent'``) never needs thousands (it is at most 100),
  so a single ``,`` or ``.`` is always the decimal separator (``54.1`` = 54.1).
* Leading zeros are allowed (``05`` = 5); the text keeps them.
* Words for zero: ``không có``, ``không còn``, ``không``, ``none`` = 0.

Qualifiers
----------
A qualifier widens the set of true values a printed number stands for. Its
meaning is fixed here (``QUALIFIERS``) and used by the checks as a *window*
around the printed value ``v`` of width ``u``, one unit of the last printed
digit (``u = 0,1`` for ``4,8``; ``u = 1`` for ``59``; for a whole number with
trailing zeros such as ``khoảng 40`` half of the rounded unit, ``u = 5``):

========== =========================================== ============
code       printed as                                  true value x
========== =========================================== ============
nearly     gần, gần như, suýt, nearly, almost           v − u ≤ x ≤ v
over       hơn, trên, ngoài, vượt, over, more than, >   v ≤ x ≤ v + u
under      dưới, chưa đến, chưa tới, under, less than,< v − u ≤ x ≤ v
approx     khoảng, chừng, xấp xỉ, ước, about, ~, ≈      v − u ≤ x ≤ v + u
at_least   ít nhất, tối thiểu, at least, ≥              v ≤ x ≤ v + u
at_most    tối đa, không quá, at most, ≤                v − u ≤ x ≤ v
========== =========================================== ============

A number reproduced only inside such a window is reported as a warning
(reproduced under a qualifier reading), never as consistent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache

KINDS = ("count", "percent")

#: Qualifier code -> words that print it (normalised: NFC, lower case, single spaces).
QUALIFIERS: dict[str, tuple[str, ...]] = {
    "nearly": ("gần như", "gần", "suýt", "nearly", "almost", "close to"),
    "over": ("hơn", "trên", "ngoài", "vượt", "over", "more than", "above", ">"),
    "under": ("dưới", "chưa đến", "chưa tới", "under", "less than", "below", "<"),
    "approx": ("khoảng", "chừng", "xấp xỉ", "ước tính", "ước", "gần bằng", "about", "approximately",
               "around", "roughly", "~", "≈"),
    "at_least": ("ít nhất", "tối thiểu", "at least", "≥", ">="),
    "at_most": ("tối đa", "không quá", "at most", "≤", "<="),
}

#: Qualifier code -> (lower, upper) multiples of the unit u around v.
QUALIFIER_WINDOWS: dict[str, tuple[int, int]] = {
    "nearly": (-1, 0),
    "over": (0, 1),
    "under": (-1, 0),
    "approx": (-1, 1),
    "at_least": (0, 1),
    "at_most": (-1, 0),
}

QUALIFIER_MEANING = {
    "nearly": {"vi": "gần (hơi thấp hơn)", "en": "nearly (slightly below)"},
    "over": {"vi": "hơn/trên (hơi cao hơn)", "en": "over (slightly above)"},
    "under": {"vi": "dưới (hơi thấp hơn)", "en": "under (slightly below)"},
    "approx": {"vi": "khoảng (gần đúng)", "en": "about (approximately)"},
    "at_least": {"vi": "ít nhất", "en": "at least"},
    "at_most": {"vi": "tối đa", "en": "at most"},
}

ZERO_WORDS = ("không có", "không còn", "không", "none", "nil", "zero")

# Longest words first so "gần như" wins over "gần" and "ít nhất" is not read as something else.
_QUALIFIER_WORDS = sorted(
    ((word, code) for code, words in QUALIFIERS.items() for word in words),
    key=lambda item: -len(item[0]),
)
_NUMBER = re.compile(r"^[0-9][0-9.,\s]*$")
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class PrintedNumber:
    """One number as printed, with its exact value.

    Attributes
    ----------
    text : str
        The string exactly as given (``"05"``, ``"gần 59%"``).
    value : Fraction
        The exact value (``Fraction(5464, 100)`` for ``69,64``); for a
        percentage on the 0–100 scale.
    decimals : int
        Digits printed after the decimal separator (``54,10`` → 2).
    kind : {'count', 'percent'}
    qualifier : str or None
        Code from ``QUALIFIERS`` (``'nearly'`` for ``gần``) or None.
    qualifier_text : str or None
        The qualifier word as printed.
    has_percent_sign : bool
    """

    text: str
    value: Fraction
    decimals: int
    kind: str
    qualifier: str | None = None
    qualifier_text: str | None = None
    has_percent_sign: bool = False

    @property
    def unit(self) -> Fraction:
        """One unit of the last printed digit (``Fraction(1, 100)`` for ``69,64``)."""
        return Fraction(1, 10**self.decimals)

    @property
    def qualifier_unit(self) -> Fraction:
        """Width of the qualifier window (see module notes): one unit of the last digit,
        or half the rounded unit for a whole number ending in zeros (``khoảng 40`` → 5)."""
        if self.decimals == 0 and self.value and self.value.denominator == 1:
            n = int(self.value)
            zeros = 0
            while n and n % 10 == 0:
                n //= 10
                zeros += 1
            if zeros:
                return Fraction(10**zeros, 2)
        return self.unit

    @property
    def is_integer(self) -> bool:
        return self.value.denominator == 1 and self.decimals == 0


class PrintedNumberError(ValueError):
    """A string that is not a printed number of the asked kind; the message says why."""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ").replace("\u202f", " ")
    return _SPACES.sub(" ", text).strip()


def split_qualifier(text: str) -> tuple[str | None, str | None, str]:
    """Split a leading qualifier off ``text``.

    Returns
    -------
    (code, word, rest)
        ``code`` from ``QUALIFIERS`` or None, the word as printed, and the rest.

    Examples
    --------
    >>> split_qualifier("gần 59%")
    ('nearly', 'gần', '59%')
    """
    clean = _normalise(text)
    lower = clean.lower()
    for word, code in _QUALIFIER_WORDS:
        if lower.startswith(word):
            rest = clean[len(word):]
            # A word qualifier must be followed by a space; a symbol may touch the number.
            if word[0].isalpha() and rest and not rest[0].isspace():
                continue
            return code, clean[: len(word)], rest.strip()
    return None, None, clean


def _digits_value(body: str, kind: str, original: str) -> tuple[Fraction, int]:
    body = body.replace(" ", "")
    if not body or not _NUMBER.match(body) or body[-1] in ".,":
        raise PrintedNumberError(f"{original!r} is not a number (expected digits such as '05', '1.120', '69,64').")
    dots, commas = body.count("."), body.count(",")
    if dots and commas:
        decimal_sep = "." if body.rfind(".") > body.rfind(",") else ","
        thousands_sep = "," if decimal_sep == "." else "."
        if body.count(decimal_sep) > 1:
            raise PrintedNumberError(f"{original!r} has more than one decimal separator {decimal_sep!r}.")
        whole, fraction = body.split(decimal_sep)
        groups = whole.split(thousands_sep)
    elif dots or commas:
        sep = "." if dots else ","
        parts = body.split(sep)
        three = all(len(p) == 3 for p in parts[1:]) and 1 <= len(parts[0]) <= 3
        if kind == "count" or (len(parts) > 2):
            if not three:
                if kind == "count":
                    raise PrintedNumberError(
                        f"{original!r} is not a whole count (a separator in a count must group thousands, "
                        f"as in '1.120' or '1,120')."
                    )
                raise PrintedNumberError(f"{original!r} has separators that are neither thousands nor decimal.")
            whole, fraction, groups = "".join(parts), "", parts
        else:
            whole, fraction = parts
            groups = [whole]
    else:
        whole, fraction, groups = body, "", [body]
    if len(groups) > 1 and (not 1 <= len(groups[0]) <= 3 or any(len(g) != 3 for g in groups[1:])):
        raise PrintedNumberError(f"{original!r} has thousands groups that are not of three digits.")
    whole = "".join(groups)
    digits = whole + fraction
    if not digits.isdigit():
        raise PrintedNumberError(f"{original!r} is not a number.")
    return Fraction(int(digits), 10 ** len(fraction)), len(fraction)


def parse_printed(text: str, kind: str = "count") -> PrintedNumber:
    """Parse one printed count or percentage exactly.

    Parameters
    ----------
    text : str
        As printed: ``"05"``, ``"1.120"``, ``"69,64%"``, ``"54.1"``, ``"gần 59%"``,
        ``"không có"``.
    kind : {'count', 'percent'}
        A count must be a whole number; a percentage must lie in 0–100.

    Returns
    -------
    PrintedNumber

    Raises
    ------
    PrintedNumberError
        (a ValueError) naming the text and the rule it breaks.

    Examples
    --------
    >>> parse_printed("69,64%", "percent").value
    Fraction(1741, 25)
    >>> parse_printed("1.120").value
    Fraction(1120, 1)
    """
    if kind not in KINDS:
        raise ValueError(f"'kind' must be one of {KINDS} (got {kind!r}).")
    if not isinstance(text, str):
        raise PrintedNumberError(f"{text!r} is not text (got {type(text).__name__}).")
    return _parse_cached(text, kind)


@lru_cache(maxsize=65536)
def _parse_cached(text: str, kind: str) -> PrintedNumber:
    """The work of :func:`parse_printed`, cached (the result is immutable; errors are not cached)."""
    clean = _normalise(text)
    if not clean:
        raise PrintedNumberError("empty text is not a number.")
    if clean.lower().rstrip(".") in ZERO_WORDS:
        return PrintedNumber(text=text, value=Fraction(0), decimals=0, kind=kind)
    code, word, rest = split_qualifier(clean)
    percent_sign = False
    if rest.endswith("%"):
        percent_sign = True
        rest = rest[:-1].strip()
    elif rest.lower().endswith("phần trăm"):
        percent_sign = True
        rest = rest[: -len("phần trăm")].strip()
    if percent_sign and kind == "count":
        raise PrintedNumberError(f"{text!r} is a percentage, not a count.")
    value, decimals = _digits_value(rest, kind, text)
    if kind == "count" and value.denominator != 1:
        raise PrintedNumberError(f"{text!r} is not a whole count.")
    if kind == "percent" and value > 100:
        raise PrintedNumberError(f"{text!r} is over 100 % (a percentage of a whole lies in 0–100).")
    return PrintedNumber(
        text=text, value=value, decimals=decimals, kind=kind,
        qualifier=code, qualifier_text=word, has_percent_sign=percent_sign,
    )
