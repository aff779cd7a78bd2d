"""helpers.numbers: the one formatter of printed numbers."""

from decimal import Decimal
from fractions import Fraction

import pytest

from helpers.numbers import format_count, format_number, format_p_value, format_percent, format_statistic


def test_format_number_uses_decimal_comma_in_vietnamese():
    # Hand computation: 10.2857 rounded half-up to 2 decimals is 10.29.
    assert format_number(10.2857, 2, "vi") == "10,29"
    assert format_number(10.2857, 2, "en") == "10.29"


def test_format_number_groups_thousands_with_dot_in_vietnamese():
    # Seed 004 prints 5.568 for 5568 members.
    assert format_number(5568, 0, "vi") == "5.568"
    assert format_number(5568, 0, "en") == "5,568"
    assert format_count(1120, "vi") == "1.120"
    assert format_number(2013, 0, "vi", thousands=False) == "2013"


def test_format_number_rounds_half_up_on_the_decimal_value():
    # 0.125 is exactly representable; half-up gives 0.13 (Python's round() would give 0.12).
    assert format_number(0.125, 2, "vi") == "0,13"
    # 2.675 is stored as 2.67499999...; going through repr keeps the printed value 2.675 → 2.68.
    assert format_number(2.675, 2, "en") == "2.68"
    assert format_number(Fraction(34, 62) * 100, 2, "vi") == "54,84"  # 34/62 = 54.8387...%
    assert format_number(Decimal("69.645"), 2, "vi") == "69,65"


def test_format_number_shows_missing_and_negative_values_readably():
    assert format_number(float("nan"), 2, "vi") == "–"
    assert format_number(None, 2, "en") == "–"
    assert format_number(-0.5, 1, "en") == "−0.5"


def test_format_percent_and_statistic():
    # Seed 000: 39/56 = 69.642857% printed 69,64%.
    assert format_percent(Fraction(39, 56) * 100, 2, "vi") == "69,64%"
    assert format_statistic(10.2857, "vi") == "10,29"


def test_format_p_value_follows_apa_in_english_and_keeps_zero_in_vietnamese():
    assert format_p_value(0.0163, "vi") == "p = 0,016"
    assert format_p_value(0.0163, "en") == "p = .016"
    assert format_p_value(0.00001, "vi") == "p < 0,001"
    assert format_p_value(0.00001, "en") == "p < .001"
    assert format_p_value(1.0, "en") == "p > .999"


def test_unknown_language_is_refused_with_its_name():
    with pytest.raises(ValueError, match=r"'language' must be one of 'vi', 'en' \(got 'fr'\)"):
        format_number(1, 2, "fr")
