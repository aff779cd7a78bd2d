"""The one vocabulary (helpers.export.glossary) and the one number formatter (helpers.numbers.format_value)."""

from __future__ import annotations

import re

import pytest

from helpers.export import glossary
from helpers.numbers import format_statistic, format_value


def test_every_entry_has_both_languages_and_vietnamese_has_no_english_or_keys():
    for table in (glossary.TERMS, glossary.HEADERS, glossary.SEVERITIES, glossary.CONTRASTS, glossary.SCALES,
                  glossary.EFFECTS, glossary.CONCLUSIONS, glossary.RULES):
        for key, (vi, en) in table.items():
            assert vi and en, key
            assert glossary.english_words_in(re.sub(r"\{\w+\}", "", vi)) == [], (key, vi)
    for key, (vi, en) in glossary.SCALE_NOTES.items():  # results.csv keeps the keys; a display says them in words
        shown = glossary.replace_keys(vi.format("org-2008", "org-2018", "top_vs_rest"), "vi")
        assert en and glossary.english_words_in(shown) == [], (key, shown)


def test_one_spelling_of_ti_le_and_p_holm():
    words = " ".join(vi for table in (glossary.TERMS, glossary.HEADERS, glossary.EFFECTS) for vi, _ in table.values())
    assert "tỷ lệ" not in words.lower() and "tỉ lệ" in words.lower()
    assert glossary.header("p_adjusted", "vi") == "p (Holm)" == glossary.header("p_adjusted", "en")
    assert [glossary.severity(s, "vi") for s in ("error", "warning", "info")] == ["lỗi", "cảnh báo", "ghi chú"]


def test_missing_entry_names_the_key_and_the_module():
    with pytest.raises(KeyError, match="no header entry 'p_value_typo'.*glossary"):
        glossary.header("p_value_typo", "vi")
    with pytest.raises(ValueError, match="'language' must be one of"):
        glossary.term("share", "fr")


def test_every_scale_and_contrast_of_scales_yaml_has_words():
    from helpers import scales

    assert set(scales.contrasts()) <= set(glossary.CONTRASTS)
    ids = set(scales.levels_frame()["scale"])
    assert ids <= set(glossary.SCALES)


def test_level_and_code_words_are_kept_once_in_the_glossary_and_the_theme_reads_them():
    """The figures' level and code names (theme) are the glossary's words, not a second list: a word changed in
    the glossary changes in the figures, and every rating code of scales.yaml has a short and a full name."""
    from helpers import scales
    from helpers.export import glossary_ratings, theme

    assert glossary.LEVELS is glossary_ratings.LEVELS and glossary.CODES is glossary_ratings.CODES
    for level, (vi, en) in glossary.LEVELS.items():
        # the label form only upper-cases the first letter ("yếu kém / KHTNV" -> "Yếu kém / KHTNV")
        assert theme.LEVEL_LABELS[level] == {"vi": vi[:1].upper() + vi[1:], "en": en[:1].upper() + en[1:]}
        assert theme.LEVEL_LABELS[level]["vi"].lower() == glossary.level_name(level, "vi").lower()
    assert list(theme.LEVEL_LABELS) == list(theme.LEVELS)
    for code, (vi, en) in glossary.CODES.items():
        assert theme.CODE_LABELS[code] == {"vi": vi, "en": en}
        assert theme.CODE_NAMES[code] == dict(zip(("vi", "en"), glossary.CODE_NAMES[code]))
        assert theme.code_label(code, "vi") == vi
    codes = set(scales.levels_frame()["code"].astype(str))
    assert set(glossary.CODES) == set(glossary.CODE_NAMES) == codes  # no code without words, no stale code
    for vi, _ in [*glossary.LEVELS.values(), *glossary.CODES.values(), *glossary.CODE_NAMES.values()]:
        assert glossary.english_words_in(vi) == [], vi


def test_english_words_in_finds_words_keys_scale_ids_and_file_names():
    text = ("Kiểm định Fisher exact, pilots vs rest; good_or_better, 'top_vs_rest', org-2008, p_Holm; "
            "Nguồn: 004-trang-dinh.csv; mức độ: error")
    found = glossary.english_words_in(text)
    for word in ("exact", "pilots", "vs", "rest", "good_or_better", "top_vs_rest", "org-2008", "p_Holm",
                 "004-trang-dinh.csv", "error"):
        assert word in found, word
    assert glossary.english_words_in("Kiểm định chính xác Fisher; δ của Cliff = 0,33 [0,21; 0,46]; HTTNV") == []


def test_replace_keys_puts_contrasts_and_scales_into_words():
    out = glossary.replace_keys("phép so sánh 'top_vs_rest' giữa org-2008 và org-2018", "vi")
    assert glossary.english_words_in(out) == []


@pytest.mark.parametrize("value, kind, language, expected", [
    # hand computation: whole numbers print whole, thousands grouped per language
    (40000.0, "count", "en", "40,000"),
    (40000.0, "count", "vi", "40.000"),
    (61.0, "count", "vi", "61"),
    (3.0, "df", "vi", "3"),
    (12.371, "df", "vi", "12,37"),
    (1860.0, "statistic", "vi", "1.860"),
    (10.2857, "statistic", "vi", "10,29"),
    (1.0, "p_value", "vi", "> 0,999"),
    (0.0163, "p_value", "en", ".016"),
    (0.0004, "p_value", "vi", "< 0,001"),
    (2013, "year", "vi", "2013"),
    (0.2951, "proportion", "vi", "29,51%"),
    (None, "count", "vi", "–"),
    (float("nan"), "number", "en", "–"),
])
def test_format_value_prints_each_kind_one_way(value, kind, language, expected):
    assert format_value(value, kind, language) == expected


def test_format_value_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="'kind' must be one of"):
        format_value(1, "money", "vi")


def test_no_statistic_prints_as_a_float_of_a_whole_number():
    assert not re.search(r"\d,00$", format_statistic(1860.0, "vi"))


#: One English field of each kind, as the inference functions print it (``:.4g``, ``:+.3f``, ``:.0%``, lists).
_SAMPLE_FIELDS = {"p": "0.06357", "number": "+0.218", "count": "5252", "digits": "20240501", "percent": "25%",
                  "list": "[0 1; 2 3]",
                  "levels": "fail, pass+good", "text": "enumeration of 3 joint tables", "infinity": "+∞"}


@pytest.mark.parametrize("key", sorted(glossary.NOTES))
def test_every_test_note_reads_back_into_vietnamese(key):
    vi, en, kinds = glossary.NOTES[key]
    note = glossary.note_words(key, "en", *(_SAMPLE_FIELDS[k] for k in kinds))
    assert glossary.note_text(note, "en") == note  # an English report keeps results.csv's note
    shown = glossary.note_text(note, "vi")
    assert glossary.english_words_in(shown) == [], shown
    assert len(re.findall(r"\{\d\}", vi)) == len(kinds)
    # the numbers in the study's language: decimal comma (format_value), level keys in words
    if "p" in kinds:
        assert "0,064" in shown          # 0.06357 as a p-value with 3 decimals
    if "number" in kinds:
        assert "+0,218" in shown
    if "count" in kinds:
        assert "5.252" in shown          # grouped with a dot in Vietnamese
    if "levels" in kinds:
        assert "yếu kém / KHTNV, HTNV+HTTNV" in shown
    if "digits" in kinds:
        assert "20240501" in shown       # a seed is not a quantity: never grouped


def test_notes_inside_a_longer_note_are_each_put_into_words():
    note = ("expected counts small (min 1.70): read the exact multinomial test instead; levels not printed for the "
            "reference (fail) pooled as one category with the remaining 3.03%")
    assert glossary.note_text(note, "vi") == (
        "tần số kỳ vọng nhỏ (nhỏ nhất 1,70): nên đọc kiểm định đa thức chính xác; các mức không in cho nhóm tham "
        "chiếu (yếu kém / KHTNV) gộp thành một nhóm với phần còn lại 3,03%")
