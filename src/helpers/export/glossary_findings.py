"""The words of the published-number checks, in Vietnamese and English: severities, checks, rounding schemes
and the categories of findings about a whole table.

Part of the one vocabulary of the project (:mod:`helpers.export.glossary` re-exports every
name here and holds the look-up functions; import it from there). Entries are ``key: (vi, en)``.
"""

from __future__ import annotations

from helpers.published.cell import CATEGORY_NAMES
from helpers.published.rounding import SCHEME_NAMES

#: Severities of the published-number checks.
SEVERITIES: dict[str, tuple[str, str]] = {
    "error": ("lỗi", "error"),
    "warning": ("cảnh báo", "warning"),
    "info": ("ghi chú", "note"),
}

#: The checks of published numbers (helpers.published.checks.CHECKS), as a reader reads them.
CHECK_NAMES: dict[str, tuple[str, str]] = {
    "percent_of_count": ("tỉ lệ khớp với số lượng", "percentage matches the count"),
    "detectability": ("khả năng phát hiện sai", "detectability"),
    "base_positive": ("tổng số dương", "positive base"),
    "implied_count": ("số suy ra", "implied count"),
    "partial_table": ("bảng không đủ mục", "partial table"),
    "parts_sum_to_total": ("các phần cộng bằng tổng", "parts add up to the total"),
    "percents_sum_to_100": ("tỉ lệ cộng bằng 100%", "percentages add up to 100%"),
    "wrong_denominator": ("sai mẫu số", "wrong denominator"),
    "duplicate_category": ("mục in hai lần", "category printed twice"),
    "count_two_percents": ("một số lượng, hai tỉ lệ", "one count, two percentages"),
    "repeated_number": ("số lặp lại", "repeated number"),
    "nested_within_parent": ("mục con không vượt mục cha", "part within its parent"),
    "cumulative_category": ("mục cộng dồn", "cumulative category"),
    "scale_of_year": ("thang xếp loại của năm", "rating scale of the year"),
    "count_within_base": ("số lượng không vượt tổng số", "count within the base"),
    "total_printed_twice": ("tổng in hai lần", "total printed twice"),
    "hidden_sheet": ("trang tính ẩn", "hidden sheet"),
    "recovered_base": ("tổng số khôi phục", "recovered base"),
}

#: Rounding schemes of the published-number checks: their one list is helpers.published.rounding.SCHEME_NAMES.
ROUNDINGS: dict[str, tuple[str, str]] = {scheme: (names["vi"], names["en"]) for scheme, names in SCHEME_NAMES.items()}

#: Categories of findings about a whole table (one list: helpers.published.cell.CATEGORY_NAMES). Any other
#: category of a finding is the source's own label, quoted as printed.
CATEGORIES: dict[str, tuple[str, str]] = {key: (names["vi"], names["en"]) for key, names in CATEGORY_NAMES.items()}
