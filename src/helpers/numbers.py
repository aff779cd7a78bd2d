"""Format numbers for print, in Vietnamese or English — the one place this is done.

Vietnamese: decimal comma and thousands dot (``5.568``; ``69,64%``; ``p = 0,016``).
English: decimal point and thousands comma (``5,568``; ``69.64%``; APA ``p = .016``).
Rounding is half-up on the decimal value of the number, so 0.125 prints as
``0,13`` (a float's binary error is removed first by going through ``repr``).

One rule for every number a reader sees: a whole number prints without decimals
(``n = 40.000``, ``U = 1.860``, ``df = 3``, never ``40,000`` or ``1860,00``), thousands are
grouped the same way everywhere (``5.568`` / ``5,568``) except years; :func:`format_value`
picks the right formatter from the kind of a column.
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


def _whole(value) -> bool:
    try:
        return math.isfinite(float(value)) and float(value).is_integer()
    except (TypeError, ValueError):
        return False


def format_statistic(value: float, language: str = "vi") -> str:
    """A test statistic with two decimals (APA), or none when it is a whole number.

    ``10,29`` (vi), ``10.29`` (en); a rank sum or a count statistic prints whole
    (``U = 1.860``, never ``1860,00``).

    >>> format_statistic(1860.0, "vi"), format_statistic(10.2857, "en")
    ('1.860', '10.29')
    """
    return format_number(value, 0 if _whole(value) else 2, language)


def format_df(value, language: str = "vi") -> str:
    """Degrees of freedom: whole (``3``), else two decimals (Welch-type ``12,37``)."""
    return format_number(value, 0 if _whole(value) else 2, language)


def format_ci(low, high, decimals: int = 2, language: str = "vi") -> str:
    """A confidence interval in brackets: ``[0,12; 0,91]`` (vi), ``[0.12, 0.91]`` (en); ``''`` if missing."""
    check_language(language)
    if _missing(low) or _missing(high):
        return ""
    separator = "; " if language == "vi" else ", "
    return f"[{format_number(low, decimals, language)}{separator}{format_number(high, decimals, language)}]"


def _missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, pandas NA (raises TypeError on NA: treated as missing)
    except TypeError:
        return True


#: Kinds of value :func:`format_value` knows.
VALUE_KINDS = ("text", "year", "count", "percent", "number", "statistic", "df", "p_value", "proportion")


def format_value(value, kind: str = "number", language: str = "vi", decimals: int = 2) -> str:
    """Print one value of a table or sentence by its kind — the dispatcher every table uses.

    Parameters
    ----------
    value : number, str or None
        A missing value (None, NaN, pandas NA) prints ``–``; a string is returned as it is.
    kind : str
        One of :data:`VALUE_KINDS`: ``year`` (``2013``, never grouped), ``count`` (whole,
        grouped: ``40.000``; a float count such as ``61.0`` prints ``61``), ``percent`` (0–100,
        ``decimals``), ``number`` (``decimals``, or whole when the value is whole and
        ``decimals`` is 0), ``statistic`` and ``df`` (see :func:`format_statistic`,
        :func:`format_df`), ``p_value`` (``0,016``, ``< 0,001``, ``> 0,999``), ``proportion``
        (0–1 printed as a percentage with ``decimals``), ``text``.
    language : {'vi', 'en'}
    decimals : int

    Examples
    --------
    >>> format_value(40000.0, "count", "en"), format_value(3.0, "df", "vi"), format_value(1.0, "p_value", "vi")
    ('40,000', '3', '> 0,999')
    """
    check_language(language)
    if kind not in VALUE_KINDS:
        raise ValueError(f"'kind' must be one of {', '.join(VALUE_KINDS)} (got {kind!r}).")
    if _missing(value):
        return "–"
    if isinstance(value, str) or kind == "text":
        return str(value)
    if kind == "year":
        return format_number(int(value), 0, language, thousands=False)
    if kind == "count":
        return format_count(value if isinstance(value, int) else round(float(value)), language)
    if kind == "percent":
        return format_percent(value, decimals, language)
    if kind == "proportion":
        return format_percent(float(value) * 100, decimals, language)
    if kind == "statistic":
        return format_statistic(value, language)
    if kind == "df":
        return format_df(value, language)
    if kind == "p_value":
        return format_p_value(float(value), language).removeprefix("p ").replace("= ", "")
    return format_number(value, decimals, language)
