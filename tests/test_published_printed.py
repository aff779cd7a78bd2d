"""Printed numbers are parsed exactly and kept as printed (helpers.published.printed)."""

from fractions import Fraction

import pytest

from helpers.published.printed import PrintedNumberError, parse_printed, split_qualifier


def test_parse_printed_vietnamese_decimal_comma():
    # Seed 000: "(56 tổ chức đảng làm điểm đạt 69,64%)"
    number = parse_printed("69,64%", "percent")
    assert number.value == Fraction(6964, 100)
    assert number.decimals == 2
    assert number.text == "69,64%"
    assert number.has_percent_sign


@pytest.mark.parametrize("text, value", [
    ("5.568", 5568),    # seed 004: "Tổng số đảng viên của đảng bộ huyện hiện nay 5.568"
    ("1.722", 1722),    # seed 001: "đã cử 1.722 lượt cán bộ"
    ("20.739", 20739),  # seed 001: "đã kết nạp được 20.739 đảng viên"
    ("1,120", 1120),    # English thousands comma (DOMAIN.md: "1.120" = 1120)
    ("1.234.567", 1234567),
])
def test_parse_printed_thousands_separators(text, value):
    assert parse_printed(text).value == value


def test_parse_printed_english_decimal_point_percent():
    # Seed 004 style value typed the English way: 54.1 = 54,1 %
    number = parse_printed("54.1", "percent")
    assert number.value == Fraction(541, 10) and number.decimals == 1 and not number.has_percent_sign



def test_parse_printed_leading_zero_kept_in_text():
    # Seed 004: "hoàn thành xuất sắc nhiệm vụ là 05 đơn vị"
    number = parse_printed("05")
    assert number.value == 5 and number.text == "05"


def test_parse_printed_trailing_zero_counts_as_decimal():
    # A trailing zero matters: "54,10%" is printed with two decimals (hand: two digits after the comma)
    assert parse_printed("54,10%", "percent").decimals == 2
    assert parse_printed("54,1%", "percent").decimals == 1


@pytest.mark.parametrize("text, code, word", [
    ("gần 59%", "nearly", "gần"),        # DOMAIN.md: "gần 59%" (nearly)
    ("trên 4,8%", "over", "trên"),       # DOMAIN.md: "trên 4,8%" (over)
    ("hơn 30%", "over", "hơn"),
    ("khoảng 40", "approx", "khoảng"),   # seed 002: "toàn tỉnh có khoảng 40 tổ chức cơ sở đảng"
    ("dưới 5%", "under", "dưới"),
    ("gần như 100%", "nearly", "gần như"),
    ("ít nhất 3", "at_least", "ít nhất"),
    ("about 12%", "approx", "about"),
])
def test_parse_printed_qualifiers(text, code, word):
    number = parse_printed(text, "percent" if "%" in text else "count")
    assert number.qualifier == code
    assert number.qualifier_text == word


def test_qualifier_unit_of_round_count_is_half_its_unit():
    # "khoảng 40": 40 ends in one zero, so the window is ±5 (module notes, hand computation)
    assert parse_printed("khoảng 40").qualifier_unit == 5
    assert parse_printed("trên 4,8%", "percent").qualifier_unit == Fraction(1, 10)


def test_split_qualifier_needs_a_space_after_a_word():
    # "hơn" must be a whole word: "hơn30" is not split as a qualifier
    assert split_qualifier("hơn30")[0] is None
    assert split_qualifier("~12%") == ("approx", "~", "12%")


@pytest.mark.parametrize("text", ["không có", "không còn", "Không có"])
def test_parse_printed_words_for_zero(text):
    # Seed 004: "tổ chức cơ sở đảng yếu kém không có"; seed 000: "(không còn hoàn thành nhiệm vụ)"
    assert parse_printed(text).value == 0


@pytest.mark.parametrize("text, kind, message", [
    ("12,5", "count", "not a whole count"),
    ("1.12", "count", "not a whole count"),
    ("abc", "count", "is not a number"),
    ("101%", "percent", "over 100"),
    ("", "count", "empty"),
    ("69,64%", "count", "is a percentage, not a count"),
    ("1.2.3", "percent", "neither thousands nor decimal"),
])
def test_parse_printed_refuses_with_reason(text, kind, message):
    with pytest.raises(PrintedNumberError, match=message):
        parse_printed(text, kind)


def test_parse_printed_refuses_unknown_kind():
    with pytest.raises(ValueError, match="'kind' must be one of"):
        parse_printed("5", "ratio")



def test_parse_printed_both_separators_last_is_decimal():
    # Hand: in "1.120,5" (vi) and "1,120.5" (en) the last separator is the decimal one: 1120,5 —
    # not a whole count, and over 100 as a percentage.
    for text in ("1.120,5", "1,120.5"):
        with pytest.raises(PrintedNumberError, match="not a whole count"):
            parse_printed(text, "count")
        with pytest.raises(PrintedNumberError, match="over 100"):
            parse_printed(text, "percent")
    assert parse_printed("1.120,0", "count").value == 1120
