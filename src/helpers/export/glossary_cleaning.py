"""The words of the cleaning step, in Vietnamese and English: the columns of its summary and log, and the rules
of the cleaning log (``cleaning_log.csv`` ``rule``, :mod:`helpers.cleaning.panel` lists them).

Part of the one vocabulary of the project (:mod:`helpers.export.glossary` re-exports every name here; import it
from there). Entries are ``key: (vi, en)``, as in the rest of the glossary.
"""

from __future__ import annotations

from helpers.numbers import check_language

#: Column headers of the cleaning summary and log (:data:`helpers.cleaning.panel.SUMMARY_COLUMNS`,
#: :data:`helpers.cleaning.read.LOG_COLUMNS`) that no other table has.
CLEANING_HEADERS: dict[str, tuple[str, str]] = {
    "scale": ("Thang xếp loại", "Rating scale"),
    "rating_order": ("Thứ tự mức", "Level order"),
    "rating_label": ("Tên mức", "Level name"),
    "n_units": ("Số đơn vị", "Units"),
    "n_pilot": ("Số đơn vị làm điểm", "Pilots"),
    "sheet": ("Trang tính", "Sheet"),
    "column": ("Cột", "Column"),
    "before": ("Giá trị gốc", "Before"),
    "after": ("Giá trị sau làm sạch", "After"),
    "rule": ("Quy tắc", "Rule"),
}

#: Rules of the cleaning log; a rating's rule may join several with ``+`` (:func:`rule_name`).
RULES: dict[str, tuple[str, str]] = {
    "legacy_tcvn3": ("chuyển từ mã TCVN3", "converted from TCVN3"),
    "legacy_vni": ("chuyển từ mã VNI", "converted from VNI"),
    "legacy_tcvn3_cell": ("một ô gõ mã TCVN3, đã chuyển", "one cell typed in TCVN3, converted"),
    "legacy_vni_cell": ("một ô gõ mã VNI, đã chuyển", "one cell typed in VNI, converted"),
    "trim_spaces": ("bỏ dấu cách thừa", "spaces trimmed"),
    "number_as_text": ("số ghi dạng chữ", "number written as text"),
    "decimal_comma": ("dấu phẩy thập phân", "decimal comma"),
    "study_unit_id": ("mã đơn vị theo tệp nghiên cứu", "unit id from the study file"),
    "score_band": ("xếp loại theo khung điểm", "rating from the score band"),
    "pilot_flag": ("đánh dấu làm điểm", "pilot flag"),
    "unicode_nfc": ("chuẩn hoá Unicode", "Unicode normalised"),
    "tone_marks": ("dấu thanh kiểu cũ/mới", "old/new tone marks"),
    "case_spaces_quotes": ("chữ hoa, dấu cách, ngoặc kép", "case, spaces, quotes"),
    "no_diacritics": ("viết không dấu", "written without diacritics"),
    "abbreviation": ("viết tắt", "abbreviation"),
    "variant": ("cách viết khác", "variant spelling"),
    "cumulative": ("mức gộp", "cumulative level"),
    "study_mapping": ("theo bảng đối chiếu của tệp nghiên cứu", "study file mapping"),
}


def rule_name(rule: str, language: str) -> str:
    """A rule of the cleaning log in words; rules joined by ``+`` are joined by ``; ``.

    >>> rule_name("tone_marks+case_spaces_quotes", "vi")
    'dấu thanh kiểu cũ/mới; chữ hoa, dấu cách, ngoặc kép'
    """
    check_language(language)
    parts = str(rule).split("+")
    missing = [p for p in parts if p not in RULES]
    if missing:
        raise KeyError(f"no rule entry {missing[0]!r} in helpers.export.glossary_cleaning (add it in vi and en)")
    return "; ".join(RULES[p][0 if language == "vi" else 1] for p in parts)
