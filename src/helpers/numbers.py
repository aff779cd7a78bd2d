"""Format numbers for print, in Vietnamese or English — the one place this is done.

Vietnamese: decimal comma and thousands dot (``5.568``; ``69,64%``; ``p = 0,016``).
English: decimal point and thousands comma (``5,568``; ``69.64%``; APA ``p = .016``).
Rounding is half-up on the decimal value of the number, so 0.125 prints as
``0,13`` (a float's binary error is removed first by going through ``repr``).
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from numbers import Real

LANGUAGES = ("vi", "en")

_SEPARATORS = {"vi": (",", "."), "en": (".", ",")}  # (decimal, thousands)


def check_language(language: str) -> str:
    """Return ``language`` if it is ``'vi'`` or ``'en'``, else raise ValueError naming it."""
    if language not in LANGUAGES:
        raise ValueError(f"'language' must be one of 'vi', 'en' (got {language!r}).")
    return language


def _to_decimal(value: Real | Decimal | Fraction) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, Fraction):
        return Decimal(value.numerator) / Decimal(value.denominator)
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return Decimal(value)
    return Decimal(repr(float(value)))


def format_number(value, decimals: int = 2, language: str = "vi", thousands: bool = True) -> str:
    """Format ``value`` with ``decimals`` decimals, rounded half-up.

    Parameters
    ----------
    value : int, float, Decimal or Fraction
    decimals : int
        Digits after the decimal separator (0 for none).
    language : {'vi', 'en'}
    thousands : bool
        Group thousands (``5.568`` / ``5,568``). Four-digit years should pass False.

    Returns
    -------
    str
        ``'–'`` for a missing value (None or NaN), never ``'nan'``.

    Examples
    --------
    >>> format_number(10.2857, 2, "vi")
    '10,29'
    >>> format_number(5568, 0, "vi")
    '5.568'
    """
    check_language(language)
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "−∞"
    quantum = Decimal(1).scaleb(-decimals)
    number = _to_decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "−" if number < 0 else ""
    text = f"{abs(number):f}"
    whole, _, fraction = text.partition(".")
    point, group = _SEPARATORS[language]
    if thousands and len(whole) > 3:
        digits = []
        while len(whole) > 3:
            digits.insert(0, whole[-3:])
            whole = whole[:-3]
        digits.insert(0, whole)
        whole = group.join(digits)
    return sign + whole + (point + fraction if fraction else "")


def format_count(value: int, language: str = "vi") -> str:
    """An integer count with thousands grouped: ``1.120`` (vi), ``1,120`` (en)."""
    return format_number(int(value), 0, language)


def format_percent(percent, decimals: int = 2, language: str = "vi") -> str:
    """A percentage given on the 0–100 scale: ``69,64%`` (vi), ``69.64%`` (en)."""
    return format_number(percent, decimals, language) + "%"


def format_p_value(p: float, language: str = "vi") -> str:
    """A p-value as printed in a result sentence, with its relation sign.

    Vietnamese keeps the leading zero (``p = 0,016``; ``p < 0,001``); English
    follows APA 7 and drops it (``p = .016``; ``p < .001``). Three decimals,
    except that values at or above .9995 print as ``p > 0,999``.
    """
    check_language(language)
    if p is None or (isinstance(p, float) and math.isnan(p)):
        return "p = –"
    if p < 0.001:
        body, relation = format_number(0.001, 3, language), "<"
    elif p >= 0.9995:
        body, relation = format_number(0.999, 3, language), ">"
    else:
        body, relation = format_number(p, 3, language), "="
    if language == "en":
        body = body.removeprefix("0")
    return f"p {relation} {body}"


def format_statistic(value: float, language: str = "vi") -> str:
    """A test statistic with two decimals (APA): ``10,29`` (vi), ``10.29`` (en)."""
    return format_number(value, 2, language, thousands=False)
