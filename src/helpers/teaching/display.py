"""Showing numbers in a lesson the way a Vietnamese reader writes them.

Every word of a table comes from :mod:`helpers.export.glossary` (:func:`localise`): column
headers, test, effect and contrast names, severities and notes, so that a Vietnamese
handout shows no English word and no configuration key (``p_value``, ``good_or_better``).

A lesson cell that ends in a float shows ``np.float64(0.20972800000000008)``; a
DataFrame shows ``0.627103``. :func:`show` turns a number, a sequence of numbers,
an array, a Series or a DataFrame into a display object whose every number comes
from :mod:`helpers.numbers` (``0,2097``; ``1.120``; ``54,84``), in Vietnamese or
English, with no ``np.float64`` or ``array(...)`` repr. The object has an HTML
form (notebook, HTML handout) and a plain-text form (console, text/plain).
"""

from __future__ import annotations

import html
import math
import numbers
from dataclasses import dataclass

from helpers.numbers import check_language, format_value

#: Most decimals :func:`show` chooses by itself (a value this small shows its first significant digits).
MAX_DECIMALS = 6
#: Columns whose whole numbers are years, printed without a thousands separator.
YEAR_COLUMNS = ("year", "năm", "year_from", "year_to", "before_year", "after_year")


@dataclass(frozen=True)
class Shown:
    """A value as a lesson shows it: plain text and HTML, numbers already formatted.

    Attributes
    ----------
    text : str
        The plain-text form (what ``repr`` and text/plain show).
    html : str
        The HTML form (what a notebook and the HTML handout show).
    """

    text: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def auto_decimals(value) -> int:
    """Decimals that show ``value`` with three significant digits, between 2 and :data:`MAX_DECIMALS`.

    A whole number needs none; 0,627103 → 3 (``0,627``); 0,000036 → 6 (``0,000036``); 12,345 → 2.

    Examples
    --------
    >>> auto_decimals(0.627103), auto_decimals(3.6e-05), auto_decimals(12.3456), auto_decimals(40.0)
    (3, 6, 2, 0)
    """
    value = abs(float(value))
    if not math.isfinite(value) or value.is_integer():
        return 0
    if value >= 1:
        return 2
    return min(MAX_DECIMALS, max(2, 2 - math.floor(math.log10(value))))


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        import pandas as pd

        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_cell(value, language: str = "vi", decimals: int | None = None, year: bool = False) -> str:
    """One value as text, by :func:`helpers.numbers.format_value`: ``–`` when missing, words for True/False.

    Parameters
    ----------
    value : any
    language : {'vi', 'en'}
    decimals : int, optional
        Decimals of a non-whole number (default :func:`auto_decimals`).
    year : bool
        A whole number is a year: no thousands separator.
    """
    from helpers.export.glossary import term

    if isinstance(value, bool) or type(value).__name__ in ("bool_", "bool"):  # numpy 2 names it numpy.bool
        return term("yes" if value else "no", language)
    if isinstance(value, (tuple, list)):
        return "; ".join(format_cell(v, language, decimals, year) for v in value)
    if isinstance(value, str) or _is_missing(value):
        return format_value(value, "text", language)
    if isinstance(value, numbers.Real) and (isinstance(value, numbers.Integral) or
                                            (decimals is None and float(value).is_integer())):
        return format_value(int(value), "year" if year else "count", language)
    if isinstance(value, numbers.Real):
        return format_value(float(value), "number", language, auto_decimals(value) if decimals is None else decimals)
    return str(value)


def _column_decimals(values, decimals) -> int | None:
    if decimals is not None:
        return decimals
    reals = [float(v) for v in values
             if isinstance(v, numbers.Real) and not isinstance(v, (bool, numbers.Integral)) and not _is_missing(v)]
    fractional = [v for v in reals if math.isfinite(v) and not v.is_integer()]
    return max(auto_decimals(v) for v in fractional) if fractional else None


#: Columns whose text values are put into words, and the glossary function that does it.
_VALUE_WORDS = {"test": "test_name", "note": "note_text", "severity": "severity", "check": "check_name",
                "effect_name": "effect_name", "schemes": "rounding_name", "method": "note_text",
                "rating_common": "level_name", "common": "level_name", "category": "category_name"}
#: Axis names whose labels are common levels (a pivot with ``columns="rating_common"``).
_LEVEL_AXES = ("rating_common", "common")


def _column_key(column) -> str:
    """``'message_vi'`` → ``'message'``: a column per language is headed like the column itself."""
    name = str(column)
    return name[:-3] if name.endswith(("_vi", "_en")) else name


def _words(name, language: str):
    """A column or axis name in words: a glossary header, a contrast, or ``name`` unchanged (not a key)."""
    from helpers.export import glossary

    if not isinstance(name, str):
        return name
    key = _column_key(name)
    for table, lookup in ((glossary.HEADERS, glossary.header), (glossary.CONTRASTS, glossary.contrast_name)):
        if key in table:
            return lookup(key, language)
    return name


def _value_words(function: str, value, language: str):
    from helpers.export import glossary

    if isinstance(value, (tuple, list)):
        return type(value)(_value_words(function, v, language) for v in value)
    if not isinstance(value, str) or not value:
        return value
    table = {"severity": glossary.SEVERITIES, "check_name": glossary.CHECK_NAMES,
             "effect_name": glossary.EFFECTS, "rounding_name": glossary.ROUNDINGS,
             "level_name": glossary.LEVELS, "category_name": glossary.CATEGORIES}.get(function)
    if table is not None and value not in table:
        return value
    return getattr(glossary, function)(value, language)


def localise(frame, language: str = "vi"):
    """``frame`` with its headers and its words in ``language``, every one from :mod:`helpers.export.glossary`.

    Test names (``test``), notes, severities, check and effect names are put into words; column and axis
    names that are glossary headers or contrast names (``good_or_better``) are renamed; a column per language
    (``sentence_vi``) gets the header of its subject. Numbers are left as they are (see :func:`show`).

    Examples
    --------
    >>> import pandas as pd
    >>> localise(pd.DataFrame({"test": ["exact sign test"], "p_value": [0.125]}), "vi").columns.tolist()
    ['Kiểm định', 'p']
    >>> localise(pd.DataFrame({"test": ["exact sign test"]}), "vi")["Kiểm định"].iloc[0]
    'kiểm định dấu chính xác'
    """
    check_language(language)
    return _localise_names(_localise_values(frame, language), language)


def _localise_values(frame, language: str):
    frame = frame.copy()
    for column in frame.columns:
        function = _VALUE_WORDS.get(_column_key(column))
        if function is not None:
            frame[column] = [_value_words(function, v, language) for v in frame[column].tolist()]
    return frame


def _localise_names(frame, language: str):
    import pandas as pd

    frame = frame.copy()
    if isinstance(frame.columns, pd.MultiIndex):
        return frame
    labels = frame.columns
    if labels.name in _LEVEL_AXES:  # a pivot whose columns are common levels
        labels = [_value_words("level_name", c, language) for c in labels]
    frame.columns = pd.Index([_words(c, language) for c in labels], name=_words(frame.columns.name, language))
    if not isinstance(frame.index, pd.MultiIndex):
        frame.index = frame.index.rename(_words(frame.index.name, language))
    return frame


def _frame_text(frame, show_index: bool) -> Shown:
    text = frame.to_string(index=show_index)
    table = frame.to_html(index=show_index, escape=True, border=0, na_rep="–")
    return Shown(text=text, html=table)


def show(value, language: str = "vi", decimals: int | dict | None = None) -> Shown:
    """A value for a lesson cell, with every number written the Vietnamese (or English) way.

    Parameters
    ----------
    value : number, sequence of numbers, sequence of named tuples, numpy array, Series or DataFrame
        A DataFrame gets its headers and words from the glossary (:func:`localise`); its index is
        shown only when it is named or not made of row numbers (a pivot table keeps its years).
    language : {'vi', 'en'}
        ``'vi'``: decimal comma, thousands dot; ``'en'``: decimal point, thousands comma.
    decimals : int or dict, optional
        Decimals of non-whole numbers; a dict gives them per column. By default
        each column gets the decimals that show its values with three significant
        digits (at most :data:`MAX_DECIMALS`). Whole numbers never get decimals.

    Returns
    -------
    Shown
        Plain text and HTML; neither holds ``np.float64``, ``array(`` or a decimal point in Vietnamese.

    Raises
    ------
    ValueError
        For a language other than 'vi' or 'en'.

    Examples
    --------
    >>> show(0.20972800000000008)
    0,210
    >>> show(0.20972800000000008, decimals=4)
    0,2097
    >>> show((0.9686260223388672, 0.6858081817626953))
    0,969; 0,686
    """
    import numpy as np
    import pandas as pd

    check_language(language)
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, "_fields") for v in value):
        value = pd.DataFrame(list(value))  # named tuples (e.g. recover_bases candidates): one row each
    if isinstance(value, np.ndarray):
        value = pd.DataFrame(value) if value.ndim == 2 else pd.Series(value)
    if isinstance(value, pd.Series):
        value = value.to_frame()
    if isinstance(value, pd.DataFrame):
        frame = _localise_values(value, language)
        show_index = frame.index.name is not None or not all(isinstance(v, numbers.Integral) for v in frame.index)
        for column in frame.columns:
            per_column = decimals.get(column) if isinstance(decimals, dict) else decimals
            places = _column_decimals(frame[column].tolist(), per_column)
            year = str(column).lower() in YEAR_COLUMNS
            frame[column] = [format_cell(v, language, places, year) for v in frame[column].tolist()]
        if show_index:
            year = str(frame.index.name).lower() in YEAR_COLUMNS or all(
                isinstance(v, numbers.Integral) and 1900 <= int(v) <= 2100 for v in frame.index)
            frame.index = pd.Index([format_cell(v, language, None, year) for v in frame.index], name=frame.index.name)
        if not isinstance(frame.columns, pd.MultiIndex):
            frame.columns = pd.Index([format_cell(c, language, None, True) if isinstance(c, (bool, np.bool_))
                                      else str(c) for c in frame.columns], name=frame.columns.name)
        return _frame_text(_localise_names(frame, language), show_index)
    if isinstance(value, (tuple, list)):
        text = "; ".join(format_cell(v, language, decimals if isinstance(decimals, int) else None) for v in value)
    else:
        text = format_cell(value, language, decimals if isinstance(decimals, int) else None)
    return Shown(text=text, html=f"<p>{html.escape(text)}</p>")
