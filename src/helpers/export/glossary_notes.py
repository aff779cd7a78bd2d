"""The notes of the tests (results.csv ``note``), in Vietnamese and English.

Part of the one vocabulary of the project (:mod:`helpers.export.glossary` re-exports every name here; import it
from there). The inference functions write each note in English from the English of :data:`NOTES`
(``NOTES[key][1].format(...)``), so results.csv keeps one language; a report shows the note in the study's
language: :func:`notes_in_words` reads an English note back by its template and writes the Vietnamese one,
its numbers printed by :func:`helpers.numbers.format_value` (decimal comma) and its level keys in words.

Entries are ``key: (vi, en, kinds)``: ``{i}`` of the templates is a field of kind ``kinds[i]``
(:data:`FIELD_KINDS`).
"""

from __future__ import annotations

import re

from helpers.numbers import check_language, format_value

#: Each kind of field of a note: how it reads in the English note, and how it is written in Vietnamese.
FIELD_KINDS: dict[str, str] = {
    "p": r"\d[\d.e+-]*",                       # a p-value as printed by ``:.4g`` (3.588e-05, 0.06357)
    "number": r"[+-]?\d+(?:\.\d+)?",           # a printed decimal, its sign kept (+0.218)
    "count": r"\d+",
    "digits": r"\d+",                          # a whole number kept as printed (a random seed)
    "percent": r"\d+(?:\.\d+)?%",
    "list": r"\[[^\]]*\]",                     # a list or a table of counts ([1], [0 0; 2 3])
    "levels": r"[a-z]+(?:(?:, |\+)[a-z]+)*",   # common levels (fail, pass+good, top)
    "text": r"[^;]+",                          # a nested note, read by the other patterns
    "infinity": r"[+−]∞",
}

#: The notes: ``key: (vi, en, kinds)``.
NOTES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "p_range": ("p từ {0} đến {1}; {2}; bảng ghép cặp cho p nhỏ nhất: {3}; cho p lớn nhất: {4}",
                "p ranges {0}–{1}; {2}; at p_min: {3}; at p_max: {4}", ("p", "p", "text", "list", "list")),
    "see_ranges": ("xem các dòng khoảng p ở trên", "see the range rows above", ()),
    "strata_excess": ("{0} tầng có cả hai nhóm; {1} đơn vị làm điểm không có đơn vị tương đương; mỗi đơn vị làm "
                      "điểm được so sánh hơn trung bình {2} bậc xếp loại",
                      "{0} strata with both groups; {1} pilots without comparable units; mean excess {2} rating steps "
                      "per compared pilot", ("count", "count", "number")),
    "categories_in_order": ("các mức theo thứ tự {0}", "categories in order {0}", ("levels",)),
    "levels_pooled": ("các mức không in cho nhóm tham chiếu ({0}) gộp thành một nhóm với phần còn lại {1}%",
                      "levels not printed for the reference ({0}) pooled as one category with the remaining {1}%",
                      ("levels", "number")),
    "expected_small": ("tần số kỳ vọng nhỏ (nhỏ nhất {0}): nên đọc kiểm định đa thức chính xác",
                       "expected counts small (min {0}): read the exact multinomial test instead", ("number",)),
    "expected_too_small": ("tần số kỳ vọng quá nhỏ (nhỏ nhất {0}; {1} số ô dưới 5): nên đọc kiểm định chính xác",
                           "expected counts too small (min {0}; {1} below 5): read the exact test instead",
                           ("number", "percent")),
    "min_detectable": ("tỉ lệ tiến bộ nhỏ nhất phát hiện được với độ mạnh {0}: {1}",
                       "minimum detectable share of improvers at {0} power: {1}", ("percent", "number")),
    "pilots_others": ("{0} đơn vị làm điểm, {1} đơn vị khác", "{0} pilots, {1} others", ("count", "count")),
    "strata_used": ("các tầng được dùng (theo thứ tự mức xuất phát): {0}", "strata used (baseline order): {0}",
                    ("list",)),
    "strata_dropped": ("bỏ các tầng không có đủ hai nhóm: {0}", "strata without both groups dropped: {0}", ("list",)),
    "baselines_covered": ("tỉ lệ mức xuất phát của đơn vị làm điểm có tầng so sánh: {0}; tầng không có đủ hai "
                          "nhóm: {1}", "pilot baselines covered by comparison strata: {0}; strata without both "
                          "groups: {1}", ("percent", "list")),
    "categories_dropped": ("bỏ {0} mức trống trong cả hai năm", "{0} category(ies) empty in both years dropped",
                           ("count",)),
    "up_down": ("{0} lên, {1} xuống", "{0} up, {1} down", ("count", "count")),
    "signed_rank_v": ("thống kê V = tổng hạng của các thay đổi dương; {0} thay đổi khác 0",
                      "statistic V = sum of positive ranks; {0} non-zero changes", ("count",)),
    "signed_rank_t": ("thống kê T+ = tổng hạng trung bình của các thay đổi dương",
                      "statistic T+ = sum of positive mid-ranks", ()),
    "separation_interaction": ("tách biệt hoàn toàn: ước lượng hợp lý cực đại của tương tác là {0}; đọc kiểm định "
                               "ngẫu nhiên hoá thay thế",
                               "separation: the maximum-likelihood estimate of the interaction is {0}; read the "
                               "randomisation test instead", ("infinity",)),
    "separation_pilot_higher": ("tách biệt hoàn toàn: trong mọi mức xuất phát có so sánh, đơn vị làm điểm đều xếp "
                                "cao hơn hoặc bằng đơn vị khác, nên ước lượng hợp lý cực đại là {0}",
                                "separation: within every comparable starting rating the pilots are rated higher "
                                "than or equal to the other units, so the maximum-likelihood estimate is {0}",
                                ("infinity",)),
    "separation_pilot_lower": ("tách biệt hoàn toàn: trong mọi mức xuất phát có so sánh, đơn vị làm điểm đều xếp "
                               "thấp hơn hoặc bằng đơn vị khác, nên ước lượng hợp lý cực đại là {0}",
                               "separation: within every comparable starting rating the pilots are rated lower "
                               "than or equal to the other units, so the maximum-likelihood estimate is {0}",
                               ("infinity",)),
    "empty_dropped": ("bỏ các hàng/cột trống", "empty rows/columns dropped", ()),
    "empty_pairs": ("bỏ {0} cặp ô ngoài đường chéo đều trống khỏi bậc tự do",
                    "{0} empty off-diagonal pair(s) left out of df", ("count",)),
    "enumeration_too_large": ("bảng quá lớn để duyệt hết; {0}", "exact enumeration too large; {0}", ("text",)),
    "monte_carlo": ("mô phỏng Monte Carlo (B = {0}, hạt giống = {1})", "Monte Carlo (B = {0}, seed = {1})",
                    ("count", "digits")),
    "none_significant": ("không kết quả nào đạt ý nghĩa thống kê", "no outcome reaches significance", ()),
    "rtm_pilots_only": ("Chỉ có số liệu của các đơn vị làm điểm: không có đơn vị đối chứng cùng mức xuất phát, nên "
                        "không thể tách tác động của làm điểm khỏi hồi quy về trung bình.",
                        "Only the pilots' numbers exist: with no comparison units of the same starting rating, the "
                        "pilot effect cannot be separated from regression to the mean.", ()),
}


def note_words(key: str, language: str, *fields) -> str:
    """The note ``key`` of :data:`NOTES` in ``language``, with its fields (already printed) filled in.

    >>> note_words("pilots_others", "en", 40, 460)
    '40 pilots, 460 others'
    """
    check_language(language)
    vi, en, _ = NOTES[key]
    return (vi if language == "vi" else en).format(*fields)


def _pattern(en: str, kinds: tuple[str, ...]) -> re.Pattern:
    parts = re.split(r"\{(\d)\}", en)
    return re.compile("".join(re.escape(p) if i % 2 == 0 else f"({FIELD_KINDS[kinds[int(p)]]})"
                              for i, p in enumerate(parts)))


_READERS = [(_pattern(en, kinds), vi, kinds) for vi, en, kinds in NOTES.values()]


def _field(text: str, kind: str) -> str:
    """One field of an English note as a Vietnamese note writes it."""
    from helpers.export.glossary_ratings import LEVELS

    if kind == "p":
        return format_value(float(text), "p_value", "vi")
    if kind in ("number", "percent"):
        digits = text.rstrip("%")
        sign = digits[0] if digits[0] in "+-" else ""
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        printed = format_value(abs(float(digits)), "number", "vi", decimals)
        return ("−" if sign == "-" else sign) + printed + ("%" if text.endswith("%") else "")
    if kind == "count":
        return format_value(int(text), "count", "vi")
    if kind == "levels":
        return re.sub(r"[a-z]+", lambda m: LEVELS[m.group()][0] if m.group() in LEVELS else m.group(), text)
    return text


def notes_in_words(note: str, language: str) -> str:
    """An English note of results.csv with each part :data:`NOTES` wrote put in words of ``language``
    (an English note is returned as it is).

    >>> notes_in_words("p ranges 0.003906–0.06357; enumeration of 5 joint tables; at p_min: [0 1]; at p_max: [1 0]", "vi")
    'p từ 0,004 đến 0,064; enumeration of 5 joint tables; bảng ghép cặp cho p nhỏ nhất: [0 1]; cho p lớn nhất: [1 0]'
    """
    check_language(language)
    text = str(note)
    if language == "en":
        return text
    for pattern, vi, kinds in _READERS:
        text = pattern.sub(lambda m, vi=vi, kinds=kinds: vi.format(
            *(_field(g, kinds[i]) for i, g in enumerate(m.groups()))), text)
    return text
