"""One printed percentage against one count and one base (the GRIM question for a proportion).

:func:`check_percent` is the layer scrutiny calls ``grim()``: it says under
which rounding schemes ``100·count/base`` prints as the given percentage and,
when none of the accepted ones does, what might explain the mismatch.

Severity of one cell
--------------------
``info``
    an accepted rounding (half up, half to even) reproduces the printed value.
``warning``
    only an unusual convention does: round half down, truncation, ceiling,
    or a qualifier window ("gần 59%" read as 58–59 %).
``error``
    nothing does. The explanation names what *would* reproduce it: a one-digit
    typo in the percentage, a count one digit away, or another base within
    ±:data:`OTHER_BASE_DISTANCE` ("evaluated 543 vs existing 545"). Another
    base is only an explanation here; whether it fits the *whole* table (and
    so becomes one "wrong denominator" warning) is decided by the table
    checks (:mod:`.checks`).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

from helpers.numbers import format_count, format_percent
from helpers.published.printed import QUALIFIER_MEANING, QUALIFIER_WINDOWS, PrintedNumber, parse_printed
from helpers.published.rounding import (
    ACCEPTED_SCHEMES, DEFAULT_SCHEMES, READING_ORDER, SCHEME_NAMES, detectable, grim_probability, printed_interval,
    reproducing_schemes, window_interval,
)

#: Bases within this distance of the stated one are tried as explanations ("evaluated" vs "existing").
OTHER_BASE_DISTANCE = 2
#: The category of a finding about a whole table (not one printed category): the sum of its percentages, its base.
SUM_CATEGORY = "(tổng tỉ lệ)"
BASE_CATEGORY = "(mẫu số)"
#: Those categories in words, in both languages (findings.csv holds the Vietnamese; the glossary reads this list).
CATEGORY_NAMES = {SUM_CATEGORY: {"vi": SUM_CATEGORY, "en": "(sum of the percentages)"},
                  BASE_CATEGORY: {"vi": BASE_CATEGORY, "en": "(denominator)"}}


@dataclass(frozen=True)
class PercentVerdict:
    """What one printed percentage says about ``count / base``.

    Attributes
    ----------
    status : {'consistent', 'undetectable', 'other_reading', 'qualifier', 'inconsistent'}
    severity : {'info', 'warning', 'error'}
    true_percent : Fraction
        ``100·count/base``.
    schemes : tuple of str
        Schemes under which the printed value is reproduced.
    expected : str
        The percentage rounded half-up to the printed decimals (Vietnamese form).
    explanation_vi, explanation_en : str
        The reading that reproduces it (a warning) or what would (an error); '' when consistent.
    other_base : int or None
        The nearest base within ±:data:`OTHER_BASE_DISTANCE` that reproduces the printed value.
    grim_probability : Fraction
        Share of the printable values that no count out of ``base`` reproduces
        (:func:`helpers.published.rounding.grim_probability`): how much a
        "consistent" verdict is worth.
    """

    status: str
    severity: str
    true_percent: Fraction
    schemes: tuple[str, ...]
    expected: str
    explanation_vi: str = ""
    explanation_en: str = ""
    other_base: int | None = None
    grim_probability: Fraction = Fraction(0)


def percent_text(x: Fraction, decimals: int, language: str = "vi", sign: bool = True) -> str:
    """A percentage (0–100) rounded half up exactly, as :func:`helpers.numbers.format_percent` writes it.

    Integer arithmetic on the exact fraction (the checker writes several per cell); below 1000 there is no
    thousands separator, so only the decimal mark depends on ``language``.
    """
    num, den = x.numerator, x.denominator
    if num < 0 or num >= 1000 * den:
        text = format_percent(x, decimals, language)
        return text if sign else text[:-1]
    scaled, rest = divmod(num * 10**decimals, den)
    scaled += 2 * rest >= den                      # half up
    whole, fraction = divmod(scaled, 10**decimals)
    if whole >= 1000:                              # 999.5 rounds up to 1000, which takes a thousands separator
        text = format_percent(x, decimals, language)
        return text if sign else text[:-1]
    mark = "," if language == "vi" else "."
    text = f"{whole}{mark}{fraction:0{decimals}d}" if decimals else str(whole)
    return text + "%" if sign else text


def english(vi_text: str) -> str:
    """A number below 1000 formatted in Vietnamese, in English (only the decimal comma differs)."""
    return vi_text.replace(",", ".")


def digits_of(text: str) -> str:
    """The digits of a printed number, in order (``"54,85%"`` → ``"5485"``)."""
    return "".join(ch for ch in text if ch.isdigit())


def one_digit_apart(a: str, b: str) -> bool:
    """Same length and one digit different, or two neighbouring digits swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def one_digit_variants(number: int) -> set[int]:
    """Whole numbers one keystroke from ``number``: a digit replaced, dropped, added, or two swapped."""
    text = str(number)
    options = set()
    for i in range(len(text)):
        options.add(text[:i] + text[i + 1:])
        for d in "0123456789":
            options.add(text[:i] + d + text[i + 1:])
        if i + 1 < len(text):
            options.add(text[:i] + text[i + 1] + text[i] + text[i + 2:])
    for i in range(len(text) + 1):
        for d in "0123456789":
            options.add(text[:i] + d + text[i:])
    return {int(o) for o in options if o and not (len(o) > 1 and o[0] == "0") and int(o) != number}


def _count_typos(count: int, base: int, printed: PrintedNumber) -> list[int]:
    """Counts one digit away from ``count`` whose percentage of ``base`` prints as ``printed``
    (under an accepted rounding: the counts in the printed value's interval)."""
    ranges = [printed_interval(printed.value, printed.decimals, s).count_range(base) for s in ACCEPTED_SCHEMES]
    return sorted(k for k in one_digit_variants(count) if any(lo <= k <= hi for lo, hi in ranges))


def scheme_words(schemes: Sequence[str], language: str) -> str:
    """The unusual schemes of ``schemes`` named in ``language``, most usual first
    (``"làm tròn nửa xuống hoặc cắt bỏ (không làm tròn)"``)."""
    named = [s for s in READING_ORDER if s in schemes]
    if "half_down" in named and "up_or_down" in named:
        named.remove("up_or_down")   # the union adds nothing to the name of its half-down side
    joiner = " hoặc " if language == "vi" else " or "
    return joiner.join(SCHEME_NAMES[s][language] for s in named)


def reproduces(count: int, base: int, printed: PrintedNumber) -> bool:
    """Whether an accepted rounding of ``100·count/base`` prints as ``printed`` (no qualifier window)."""
    return 0 <= count <= base and bool(reproducing_schemes(Fraction(100 * count, base), printed.value,
                                                           printed.decimals, ACCEPTED_SCHEMES))


def check_percent(count: int, base: int, printed: PrintedNumber | str,
                  schemes: Sequence[str] = DEFAULT_SCHEMES) -> PercentVerdict:
    """Judge one printed percentage against ``count / base``.

    Parameters
    ----------
    count, base : int
        The stated numbers (``base`` > 0).
    printed : PrintedNumber or str
        The percentage as printed (``"54,85%"``).
    schemes : sequence of str
        Schemes tried; ``half_up`` and ``half_even`` are accepted, the others
        are unusual conventions (warnings).

    Returns
    -------
    PercentVerdict

    Raises
    ------
    ValueError
        When ``base`` is not a positive integer (a table with a zero base
        reports it as a finding instead, see :mod:`.checks`).

    Examples
    --------
    Seed 004: "34 đơn vị (chiếm 54,85%)" of 62 evaluated:

    >>> v = check_percent(34, 62, "54,85%")
    >>> v.severity, v.expected
    ('error', '54,84%')
    """
    if isinstance(printed, str):
        printed = parse_printed(printed, "percent")
    if isinstance(base, bool) or int(base) <= 0:
        raise ValueError(f"'base' must be a positive integer (got {base!r}).")
    x = Fraction(100 * int(count), int(base))
    d = printed.decimals
    expected = percent_text(x, d, "vi")
    probability = grim_probability(int(base), d)
    reproduced = reproducing_schemes(x, printed.value, d, schemes)
    # scrutiny's "up_or_down" holds half up (accepted) and half down (unusual): which side gave the value?
    up_side = "up_or_down" in reproduced and bool(reproducing_schemes(x, printed.value, d, ("half_up",)))
    if up_side or any(s in ACCEPTED_SCHEMES for s in reproduced):
        status = "consistent" if detectable(base, d) else "undetectable"
        return PercentVerdict(status, "info", x, reproduced, expected, grim_probability=probability)
    if printed.qualifier is not None:
        lower, upper = QUALIFIER_WINDOWS[printed.qualifier]
        if window_interval(printed.value, printed.qualifier_unit, lower, upper).contains(x):
            meaning = QUALIFIER_MEANING[printed.qualifier]
            return PercentVerdict(
                "qualifier", "warning", x, reproduced, expected,
                f"chỉ khớp khi đọc “{printed.qualifier_text}” là {meaning['vi']}",
                f"reproduced only when “{printed.qualifier_text}” is read as {meaning['en']}",
                grim_probability=probability)
    if reproduced:
        named = reproduced + (("half_down",) if "up_or_down" in reproduced else ())   # the down side of the union
        return PercentVerdict("other_reading", "warning", x, reproduced, expected,
                              f"chỉ khớp nếu {scheme_words(named, 'vi')}",
                              f"reproduced only by {scheme_words(named, 'en')}",
                              grim_probability=probability)
    hints_vi, hints_en = [], []
    if one_digit_apart(digits_of(expected), digits_of(printed.text)):
        hints_vi.append("có thể là lỗi đánh máy một chữ số")
        hints_en.append("probably a one-digit typo")
    typos = _count_typos(int(count), int(base), printed)
    if typos:
        hints_vi.append(f"khớp nếu số đếm là {', '.join(format_count(k) for k in typos[:3])} "
                        f"thay vì {format_count(count)}")
        hints_en.append(f"reproduced if the count were {', '.join(format_count(k, 'en') for k in typos[:3])} "
                        f"instead of {format_count(count, 'en')}")
    other = next((b for distance in range(1, OTHER_BASE_DISTANCE + 1) for b in (base - distance, base + distance)
                  if b > 0 and reproduces(int(count), b, printed)), None)
    if other is not None:
        hints_vi.append(f"khớp nếu mẫu số là {format_count(other)} thay vì {format_count(base)} "
                        f"(có thể là số được đánh giá thay vì số hiện có)")
        hints_en.append(f"reproduced if the base were {format_count(other, 'en')} instead of "
                        f"{format_count(base, 'en')} (perhaps the number evaluated rather than the number existing)")
    return PercentVerdict("inconsistent", "error", x, (), expected, "; ".join(hints_vi), "; ".join(hints_en),
                          other_base=other, grim_probability=probability)
