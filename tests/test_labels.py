"""Tests of helpers.cleaning.labels: normalisation and matching of typed Vietnamese rating labels."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.cleaning.labels import closest_labels, match_label, normalise_text, place_tone_marks


@pytest.mark.parametrize("text, expected", [
    ("Hòa", "hoà"), ("hoà", "hoà"), ("thủy", "thuỷ"), ("ủy ban", "uỷ ban"), ("khỏe", "khoẻ"),
    ("Hòan thành", "hoàn thành"),            # misplaced mark in a closed syllable goes to the last vowel
    ("quý", "quý"), ("giá", "giá"), ("người", "người"), ("Nguyễn", "nguyễn"),
    ('  “Trong   sạch”  ', "trong sạch"), ("'TSVM'", "tsvm"), ("A\u00a0B", "a b"),
])
def test_normalise_text_tone_marks_case_spaces_quotes(text, expected):
    # Expected forms: new-style tone placement (mark on the second vowel of open oa/oe/uy, on the vowel
    # carrying a modifier, on the last vowel of a closed syllable), as in the brief's "uỷ/ủy, hoà/hòa".
    assert normalise_text(text) == expected


def test_normalise_text_composes_nfd():
    assert normalise_text(unicodedata.normalize("NFD", "Hoàn thành")) == "hoàn thành"


@pytest.mark.parametrize("text, code, rule", [
    ("Hoàn thành tốt nhiệm vụ", "HTTNV", "exact"),
    (unicodedata.normalize("NFD", "Hoàn thành tốt nhiệm vụ"), "HTTNV", "unicode_nfc"),
    ("Hòan thành tốt nhiệm vụ", "HTTNV", "tone_marks"),
    ("  HOÀN THÀNH TỐT NHIỆM VỤ ", "HTTNV", "case_spaces_quotes"),
    ("hoan thanh tot nhiem vu", "HTTNV", "no_diacritics"),
    ("HTTNV", "HTTNV", "abbreviation"),
    ('"httnv"', "HTTNV", "case_spaces_quotes+abbreviation"),
    ("Hoàn thành tốt nhiệm vụ trở lên", "HTTNV", "cumulative"),
    ("HTTNV trở lên", "HTTNV", "abbreviation+cumulative"),
    ("Không hoàn thành nhiệm vụ", "KHTNV", "exact"),
    ("KHTNV", "KHTNV", "abbreviation"),
    ("HTXSNV", "HTXSNV", "abbreviation"),
])
def test_match_label_2019_rules(text, code, rule):
    m = match_label(text, 2019)
    assert (m.code, m.scale_id, m.rule) == (code, "org-2018", rule)
    assert m.cumulative == ("trở lên" in text)


def test_match_label_pre_2018_labels_and_subset():
    assert match_label("TSVM", 2015).code == "TSVM"
    m = match_label("TSVM tiêu biểu", 2015)
    assert (m.code, m.common, m.scale_id) == ("TSVM_TB", "top", "org-2008")
    assert match_label("yeu kem", 2015).code == "YK"


def test_match_label_wrong_scale_is_reported_through_scale_id():
    # TSVM belongs to the scale before 2018: in 2019 it is a label of the wrong scale.
    assert match_label("Trong sạch vững mạnh", 2019).scale_id == "org-2008"
    assert match_label("HTXSNV", 2016).scale_id == "org-2018"


def test_match_label_without_year_leaves_shared_labels_without_scale():
    assert match_label("HTTNV").scale_id is None
    assert match_label("TSVM").scale_id == "org-2008"


def test_match_label_members():
    m = match_label("Đủ tư cách, hoàn thành tốt nhiệm vụ", 2016, unit="member")
    assert (m.code, m.scale_id) == ("HTTNV", "member-2008")
    assert match_label("TSVM", 2016, unit="member") is None


def test_match_label_unknown_and_closest():
    assert match_label("hoàn thàn tốt nhiệm vu", 2019) is None
    assert closest_labels("hoàn thàn tốt nhiệm vu")[0] == "Hoàn thành tốt nhiệm vụ"
    assert closest_labels("trong sach vung manh", n=1) == ["Trong sạch vững mạnh"]


def test_match_label_rejects_unknown_unit():
    with pytest.raises(ValueError, match="'unit' must be one of"):
        match_label("HTTNV", 2019, unit="cell")


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="aàáảãạăâeêioôơuưyđhnmtg HTNVS\"' ", max_size=20))
def test_normalise_text_is_idempotent(text):
    once = normalise_text(text)
    assert normalise_text(once) == once


def test_place_tone_marks_keeps_syllables_without_one_tone():
    assert place_tone_marks("ABC xyz") == "ABC xyz"


def test_wrong_diacritics_are_not_guessed():
    # "Trong sach vưng mạnh" has some diacritics, wrongly: only a text without any diacritic is folded.
    assert match_label("Trong sach vưng mạnh", 2016) is None
    assert match_label("trong sach vung manh", 2016).code == "TSVM"
