"""Every word a reader sees, in Vietnamese and English: the one vocabulary of the project.

Labels, captions, column headers, severities, contrast and scale names, effect names and
the stock sentences of the reports all come from here; numbers come from
:mod:`helpers.numbers`. A Vietnamese page that shows an English word or a configuration
key (``good_or_better``, ``org-2008``, ``p_value``) is a missing entry here, never a
translation to patch where it is printed.

The module imports nothing heavier than :mod:`helpers.numbers`, so any floor of the
package (inference, published checks, the report) can use it. The words of the rating
scales (levels, rating codes, contrasts, scales) live in :mod:`helpers.export.glossary_ratings`
and are re-exported here; the figures' theme reads them from there too. The words of the
published-number checks (severities, checks, rounding schemes, whole-table categories) live in
:mod:`helpers.export.glossary_findings`, re-exported here too; the tests' notes (results.csv ``note``, written in
English from them and shown in the study's language by :func:`note_text`) in :mod:`helpers.export.glossary_notes`.

House choices (one spelling each):

- "tỉ lệ" (never "tỷ lệ"); "p (Holm)" for the Holm-adjusted p-value;
- severities "lỗi", "cảnh báo", "ghi chú" (error, warning, note);
- "KTC 95%" for a 95 % confidence interval; "làm điểm" for the pilots.

Entries are ``key: (vi, en)``. Look-ups raise :class:`KeyError` naming the missing key and
the table, so that a missing word fails loudly in tests instead of printing a key.

Examples
--------
>>> term("share", "vi")
'Tỉ lệ (%)'
>>> header("p_adjusted", "vi")
'p (Holm)'
>>> severity("error", "vi")
'lỗi'
>>> english_words_in("Kiểm định chính xác, good_or_better, p_value")
['good_or_better', 'p_value']
"""

from __future__ import annotations

import re

from helpers.inference.results import EFFECT_NAMES
from helpers.export.glossary_cleaning import CLEANING_HEADERS, RULES, rule_name
from helpers.export.glossary_findings import CATEGORIES, CHECK_NAMES, ROUNDINGS, SEVERITIES
from helpers.export.glossary_ratings import (
    CODE_NAMES, CODES, CONTRASTS, LEVELS, SCALE_NOTES, SCALES, code_label, note_pattern,
)
from helpers.export.glossary_notes import NOTES, note_words, notes_in_words
from helpers.numbers import check_language

__all__ = [
    "CHECK_NAMES", "CLAIMS", "CODES", "CODE_NAMES", "CONCLUSIONS", "CONTRASTS", "EFFECTS", "ENGLISH_WORDS", "HEADERS", "LEVELS", "NOTE_PATTERNS",
    "ROUNDINGS", "SCALES", "SEVERITIES", "TERMS", "TEST_PHRASES", "claim_name", "conclusion", "contrast_name",
    "effect_name", "english_words_in", "check_name", "header", "level_name", "note_text", "rounding_name", "scale_name", "severity",
    "term", "test_name", "CATEGORIES", "category_name", "SCALE_NOTES", "code_label",
    "RULES", "rule_name", "NOTES", "note_words",
]

#: General words and stock phrases. ``{fields}`` are filled in by :func:`term`.
TERMS: dict[str, tuple[str, str]] = {
    # document structure
    "appendix": ("PHỤ LỤC", "APPENDIX"),
    "methods": ("Phương pháp", "Methods"),
    "results": ("Kết quả", "Results"),
    "tables": ("Bảng", "Tables"),
    "figures": ("Hình", "Figures"),
    "figure": ("Hình", "Figure"),
    "table": ("Bảng", "Table"),
    "source": ("Nguồn", "Source"),
    "sources": ("Nguồn", "Sources"),
    "references": ("Tài liệu trích dẫn", "References"),
    "note": ("Ghi chú", "Note"),
    "notes": ("Ghi chú", "Notes"),
    "summary": ("Tóm tắt kết quả", "Summary of findings"),
    "verdict": ("Kết luận", "Conclusion"),
    "findings": ("Kiểm tra số liệu đã công bố", "Check of the published numbers"),
    "test_battery": ("Kết quả các kiểm định thống kê", "Results of the statistical tests"),
    "no_results": ("Chưa có kết quả kiểm định.", "No test results yet."),
    "no_data": ("Nghiên cứu này chưa có dữ liệu để mô tả.", "This study has no data to describe yet."),
    "nothing_here": ("Không có dữ liệu cho bước này.", "Nothing to show here."),
    "report_subtitle": ("Báo cáo tự động — mã nguồn được ẩn; xem các notebook trong cùng thư mục.",
                        "Generated report — code hidden; the executed notebooks are in the same folder."),
    "report_none": ("Nghiên cứu này không có kết quả kiểm định hay kiểm tra số liệu.",
                    "This study has no test results or published-number findings."),
    "findings_counts": ("{error} lỗi, {warning} cảnh báo, {info} ghi chú",
                        "{error} errors, {warning} warnings, {info} notes"),
    "figures_shown": ("{count} hình", "{count} figures"),
    "study_data": ("dữ liệu cấp đơn vị của nghiên cứu", "the study's unit-level data"),
    "source_articles": ("các bài báo nguồn", "the source articles"),
    # axes, legends and labels of figures and tables
    "year": ("Năm", "Year"),
    "share": ("Tỉ lệ (%)", "Share (%)"),
    "count": ("Số lượng", "Count"),
    "rating": ("Xếp loại", "Rating"),
    "group": ("Nhóm", "Group"),
    "pilots": ("Làm điểm", "Pilots"),
    "rest": ("Còn lại", "The rest"),
    "all": ("Toàn bộ", "All"),
    "not_stated": ("Không rõ", "Not stated"),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
    "baseline_change": ("Thay đổi so với năm gốc (điểm %)", "Change since baseline (percentage points)"),
    "rating_in": ("Xếp loại năm {year}", "Rating in {year}"),
    "effect_ci": ("Cỡ hiệu ứng (KTC 95%)", "Effect size (95% CI)"),
    "base": ("Cỡ mẫu khôi phục (N)", "Recovered base (N)"),
    "p_value": ("Giá trị p", "p-value"),
    "scale_changed": ("Đổi thang xếp loại", "Rating scale changed"),
    "not_comparable_mark": ("† không so sánh được qua lần đổi thang năm 2018",
                            "† not comparable across the 2018 change of scale"),
    "target": ("chỉ tiêu phấn đấu", "target"),
    "forest_left_out": ("Không vẽ: {reasons}.", "Not drawn: {reasons}."),
    "forest_assumed": ("{count} ước lượng theo một cách ghép cặp giả định (chỉ là đầu lạc quan của khoảng mà "
                       "số liệu tổng hợp cho phép)",
                       "{count} estimates under an assumed pairing (only the optimistic end of what the totals "
                       "allow)"),
    "forest_disagrees": ("{count} khoảng tin cậy không khớp với kiểm định của chính nó",
                         "{count} intervals that contradict their own test"),
    "note_2018_below_top": ("HTTNV cũng không so sánh được qua năm 2018: các tổ chức trước đây đạt TSVM phần lớn "
                            "được xếp HTTNV từ năm 2018, nên HTTNV tăng đúng bằng phần mức cao nhất giảm.",
                            "HTTNV is not comparable across 2018 either: most organisations rated TSVM before 2018 "
                            "are rated HTTNV from 2018, so HTTNV rises by as much as the top level falls."),
    "left_out_printed_twice": ("Không vẽ năm {years}: nguồn in một mức xếp loại hai lần (xem phần kiểm tra số liệu "
                               "công bố).",
                               "{years} not drawn: the source prints one rating level twice (see the "
                               "published-number check)."),
    "over_pairings": ("trên mọi cách ghép cặp", "over all pairings"),
    # captions
    "caption_distribution": ("Phân bố xếp loại chất lượng tổ chức đảng theo năm và nhóm (số lượng và tỉ lệ %)",
                             "Quality ratings of party organisations by year and group (counts and %)"),
    "caption_groups": ("Tỉ lệ từng mức xếp loại: tổ chức làm điểm so với nhóm đối chiếu",
                       "Share of each rating level: pilots compared with the reference group"),
    "caption_transitions": ("Chuyển đổi xếp loại của từng tổ chức từ {a} đến {b} (số lượng và tỉ lệ % theo hàng)",
                            "Rating transitions of each organisation from {a} to {b} (counts and row %)"),
    "caption_change": ("Thay đổi tỉ lệ từng mức xếp loại so với năm gốc (điểm phần trăm)",
                       "Change in the share of each rating level since the baseline year (percentage points)"),
    "caption_forest": ("Cỡ hiệu ứng và khoảng tin cậy 95% của các kiểm định",
                       "Effect sizes with 95% confidence intervals"),
    "caption_sensitivity": ("Độ nhạy của kết quả theo cỡ mẫu khôi phục từ tỉ lệ % đã công bố: {test}",
                            "Sensitivity of a result to the base recovered from the printed percentages: {test}"),
    "caption_descriptive": ("Phân bố xếp loại chất lượng tổ chức đảng theo năm và nhóm",
                            "Quality ratings of party organisations by year and group"),
    "caption_findings": ("Kết quả kiểm tra tính nhất quán của số liệu đã công bố",
                         "Consistency checks of the published numbers"),
    "caption_results": ("Kết quả các kiểm định thống kê", "Results of the statistical tests"),
    # corpus mode of check-published (share of articles whose rating tables have an error)
    "caption_corpus_share": ("Tỉ lệ bài báo có lỗi trong bảng xếp loại",
                             "Share of articles whose rating tables have an error"),
    "articles_with_error": ("có lỗi", "with an error"),
    "articles_without_error": ("không có lỗi", "without an error"),
    "articles_count": ("Số bài báo", "Articles"),
    "share_with_error": ("tỉ lệ có lỗi", "share with an error"),
    # table notes
    "note_descriptive": ("% công bố: như in trong nguồn; % tính lại: số lượng / tổng số.",
                         "% printed: as printed in the source; % recomputed: count / total."),
    "note_panel_descriptive": ("Mỗi ô: số tổ chức (tỉ lệ % của tổng số trong hàng).",
                               "Each cell: organisations (share of the row total)."),
    "note_results": ("p (Holm): giá trị p hiệu chỉnh cho nhiều phép so sánh theo Holm; KTC: khoảng tin cậy; "
                     "–: không tính được hoặc không thuộc nhóm hiệu chỉnh.",
                     "p (Holm): p-value adjusted for multiple comparisons by Holm's method; CI: confidence "
                     "interval; –: not computed or outside the adjusted family."),
    # the rows of the battery an appendix with a verdict leaves out (helpers.export.appendix_battery)
    "battery_printed": ("Bảng chỉ in các kiểm định mà kết luận dựa vào hoặc trích dẫn.",
                        "The table prints only the tests the verdict rests on or quotes."),
    "battery_left_out": ("Không in {n} kiểm định chỉ để mô tả, không dùng để kết luận.",
                         "Not printed: {n} descriptive tests, not used for the verdict."),
    "battery_family": ("{n} kiểm định của {families}", "{n} tests of {families}"),
    "battery_family_why": (", vì {why}", ", because {why}"),
    "battery_full": ("Đủ cả {n} kiểm định có trong bản Excel và CSV của bảng kiểm định đi kèm phụ lục.",
                     "All {n} tests are in the Excel and CSV files of the test table that come with the appendix."),
    "skipped_figure": ("Không vẽ hình", "Figure not drawn"),
    "skipped_table": ("Không lập bảng", "Table not made"),
    # reasons an item is skipped
    "skip_no_distribution": ("không có số liệu xếp loại (bảng công bố hoặc dữ liệu cấp đơn vị)",
                             "no rating counts (published tables or unit-level panel)"),
    "skip_no_groups": ("không có năm nào có từ hai nhóm trở lên", "no year with two groups or more"),
    "skip_no_panel": ("không có dữ liệu cấp đơn vị", "no unit-level panel"),
    "skip_no_pairs": ("dữ liệu cấp đơn vị không có hai năm để ghép cặp", "the panel has no two years to pair"),
    "skip_no_change": ("không có nhóm nào có từ hai năm trở lên", "no group rated in two years or more"),
    "skip_no_results": ("không có kết quả kiểm định", "no test results"),
    "skip_no_effects": ("không có kết quả nào có cỡ hiệu ứng", "no result has an effect size"),
    "skip_no_bases": ("không có kết quả tính ở nhiều cỡ mẫu khôi phục",
                      "no result computed at several recovered bases"),
    "skip_effects_not_printed": ("các kiểm định có cỡ hiệu ứng đều chỉ để mô tả nên không in trong phụ lục",
                                 "the tests with an effect size are all descriptive, so the appendix does not print "
                                 "them"),
    "skip_bases_not_printed": ("các kiểm định tính ở nhiều cỡ mẫu khôi phục chỉ để mô tả nên không in trong phụ lục",
                               "the tests computed at several recovered bases are descriptive, so the appendix does "
                               "not print them"),
    "skip_no_findings": ("không có lỗi hay cảnh báo nào trong kiểm tra số liệu đã công bố",
                         "no error or warning in the check of the published numbers"),
    # notes of report.html (warnings in words)
    "note_font_fallback": ("Phông chữ {wanted} không có trên máy này; các hình dùng phông {used}.",
                           "The font {wanted} is not installed here; the figures use {used}."),
}

#: Column headers of every table a reader sees (results.csv, findings.csv, the export tables).
HEADERS: dict[str, tuple[str, str]] = {
    "study": ("Nghiên cứu", "Study"),
    "question": ("Câu hỏi", "Question"),
    "analysis": ("Phân tích", "Analysis"),
    "test": ("Kiểm định", "Test"),
    "statistic": ("Thống kê", "Statistic"),
    "statistic_df": ("Thống kê (bậc tự do)", "Statistic (df)"),
    "df": ("Bậc tự do", "df"),
    "p_value": ("p", "p"),
    "p_adjusted": ("p (Holm)", "p (Holm)"),
    "p_low": ("p nhỏ nhất", "Smallest p"),
    "p_high": ("p lớn nhất", "Largest p"),
    "effect": ("Giá trị", "Value"),
    "effect_name": ("Cỡ hiệu ứng", "Effect size"),
    "effect_ci": ("Cỡ hiệu ứng [KTC 95%]", "Effect size [95% CI]"),
    "ci_low": ("KTC 95% dưới", "95% CI low"),
    "ci_high": ("KTC 95% trên", "95% CI high"),
    "n": ("n", "n"),
    "n_pilots": ("Số đơn vị làm điểm", "Pilots"),
    "n_comparison": ("Số đơn vị đối chiếu", "Comparison units"),
    "assumptions": ("Giả định", "Assumptions"),
    "note": ("Ghi chú", "Note"),
    "sentence": ("Kết quả", "Result"),
    "conclusion": ("Kết luận", "Conclusion"),
    "source_id": ("Nguồn", "Source"),
    "table_id": ("Bảng nguồn", "Source table"),
    "year": ("Năm", "Year"),
    "category": ("Mục", "Category"),
    "check": ("Phép kiểm tra", "Check"),
    "severity": ("Mức độ", "Severity"),
    "printed": ("Số in", "Printed"),
    "expected": ("Số kỳ vọng", "Expected"),
    "schemes": ("Cách làm tròn", "Rounding"),
    "message": ("Nhận xét", "Finding"),
    "group": ("Nhóm", "Group"),
    "rating": ("Xếp loại", "Rating"),
    "count": ("Số lượng", "Count"),
    "base": ("Tổng số", "Total"),
    "percent": ("Tỉ lệ (%)", "Share (%)"),
    "percent_printed": ("% công bố", "% printed"),
    "percent_computed": ("% tính lại", "% recomputed"),
    "unit_id": ("Mã đơn vị", "Unit"),
    "pilot": ("Làm điểm", "Pilot"),
    "item": ("Mục", "Item"),
    "kind": ("Loại", "Kind"),
    "number": ("Số", "Number"),
    "caption": ("Chú thích", "Caption"),
    "status": ("Trạng thái", "Status"),
    "reason": ("Lý do", "Reason"),
    "format": ("Định dạng", "Format"),
    "path": ("Tệp", "File"),
    "quote": ("Câu trong bài", "Sentence in the article"),
    "count_printed": ("Số in", "Count printed"),
    "rating_code": ("Mã xếp loại", "Rating code"),
    "rating_common": ("Mức chung", "Common level"),
    "n_tables": ("Số bảng", "Tables"),
    "n_numbers": ("Số con số", "Numbers"),
    "n_checked": ("Đã kiểm tra", "Checked"),
    "n_unchecked": ("Chưa kiểm tra được", "Not checkable"),
    "n_errors": ("Lỗi", "Errors"),
    "n_warnings": ("Cảnh báo", "Warnings"),
    "verdict": ("Nhận định", "Verdict"),
    "p_min": ("p nhỏ nhất", "Smallest p"),
    "p_max": ("p lớn nhất", "Largest p"),
    "grim_probability": ("Xác suất khớp ngẫu nhiên", "Chance of a random match"),
    "file": ("Tệp", "File"),
    "row": ("Dòng", "Row"),
    # columns the teaching lessons display
    "is_total": ("Dòng tổng số", "Total row"),
    "code": ("Mã xếp loại", "Rating code"),
    "label": ("Tên mức xếp loại", "Rating label"),
    "common": ("Mức chung", "Common level"),
    "share_improved": ("Tỉ lệ tiến bộ", "Share improved"),
    "mean_change": ("Thay đổi trung bình", "Mean change"),
    "rating_before": ("Xếp loại năm đầu", "Rating in the first year"),
    "rating_after": ("Xếp loại năm sau", "Rating in the next year"),
    "share_significant": ("Tỉ lệ cách ghép cặp có p < 0,05", "Share of pairings with p < 0.05"),
    "method": ("Cách tính", "Method"),
    "counts": ("Số lượng suy ra", "Implied counts"),
    "improved": ("Tiến bộ", "Improved"),
    "same": ("Không đổi", "Same"),
    "worsened": ("Giảm", "Worsened"),
    **CLEANING_HEADERS,  # the cleaning step's summary and log (glossary_cleaning)
}

#: Effect sizes (keys of results.csv ``effect_name``): one list, kept where the results.csv sentences are made.
EFFECTS: dict[str, tuple[str, str]] = EFFECT_NAMES

#: Claims a study may state (``claims:`` of a study file; the default of helpers.inference.designs).
CLAIMS: dict[str, tuple[str, str]] = {
    # a question, not a statement: it leads the verdict's paragraph whatever the answer ("cannot tell" too)
    "pilots-improved-more": ("Đơn vị làm điểm có tiến bộ hơn đơn vị tương đương không?",
                             "Did the pilots improve more than comparable units?"),
}

#: Phrases of English test names (as the inference functions build them) that
#: :func:`helpers.inference.results.sentence_test_name` does not put into words; applied after it, longest
#: first. A test name that still shows English in a Vietnamese document is a missing entry here.
TEST_PHRASES: dict[str, tuple[str, str]] = {
    "exact stratified test of good or better": ("kiểm định chính xác phân tầng, ngưỡng HTTNV trở lên",
                                                "exact stratified test of good or better"),
    "exact stratified test": ("kiểm định chính xác phân tầng", "exact stratified test"),
    "exact test of good or better": ("kiểm định chính xác, ngưỡng HTTNV trở lên", "exact test of good or better"),
    "strata = ratings": ("phân tầng theo xếp loại", "strata = ratings"),
    "placebo:": ("phép thử giả:", "placebo:"),
    "at the median cut in": ("tại ngưỡng trung vị năm", "at the median cut in"),
    "pilots so với non-pilots with the same pre-programme ratings": (
        "làm điểm so với các đơn vị không làm điểm cùng xếp loại trước khi làm điểm",
        "pilots vs non-pilots with the same pre-programme ratings"),
    "pilots so với the rest": ("làm điểm so với các đơn vị còn lại", "pilots vs the rest"),
    "pilots vs the rest": ("làm điểm so với các đơn vị còn lại", "pilots vs the rest"),
    "pilots vs rest of province": ("làm điểm so với phần còn lại của tỉnh", "pilots vs the rest of the province"),
    "regression to the mean: can the data separate it?": ("hồi quy về trung bình: dữ liệu có tách được không?",
                                                          "regression to the mean: can the data separate it?"),
    "proportional-odds logit": ("mô hình logit tỉ lệ chênh tỉ lệ thuận", "proportional-odds logit"),
    "verdict: what the published totals support": ("điều số liệu tổng hợp cho phép kết luận",
                                                   "what the published totals support"),
    "Fisher–Freeman–Halton exact": ("kiểm định chính xác Fisher–Freeman–Halton", "Fisher–Freeman–Halton exact"),
    "exact": ("chính xác", "exact"),
    # word-for-word phrasings of the inference module, said as a Vietnamese reader says them
    "khoảng trên mọi cách ghép cặp, p lớn nhất": ("p lớn nhất qua mọi cách ghép cặp",
                                                  "range over all pairings, largest p"),
    "kiểm định thuần nhất biên Stuart–Maxwell": ("kiểm định Stuart–Maxwell (phân bố biên)",
                                                 "Stuart–Maxwell marginal homogeneity"),
}

#: Notes of results.csv (``note``) built in English by the inference functions: a pattern and its words,
#: ``{0}``, ``{1}``, … being the pattern's groups.
NOTE_PATTERNS: dict[str, tuple[str, str]] = {
    r"(\d+) improved, (\d+) worsened, (\d+) unchanged": ("{0} tiến bộ, {1} giảm, {2} không đổi",
                                                        "{0} improved, {1} worsened, {2} unchanged"),
    r"enumeration of (\d+) joint tables": ("duyệt hết {0} bảng ghép cặp", "enumeration of {0} joint tables"),
    # why a comparison across two rating scales is refused (glossary_ratings.SCALE_NOTES, whose English is the note)
    **{note_pattern(en): (vi, en) for vi, en in SCALE_NOTES.values()},
}

#: Conclusions of a verdict (``verdict.json`` ``claims[].conclusion``).
CONCLUSIONS: dict[str, tuple[str, str]] = {
    "effect": ("có hiệu quả", "effect"),
    "no_evidence": ("không có bằng chứng", "no evidence"),
    "cannot_tell": ("không thể kết luận", "cannot tell"),
}

#: English words (and configuration keys) that must never appear in a Vietnamese document.
#: Checked by :func:`english_words_in`, together with anything shaped like a key
#: (``snake_case``, a scale id such as ``org-2008``, a file name such as ``004-trang-dinh.csv``).
ENGLISH_WORDS = (
    "pilots", "pilot", "exact", "test", "regression", "error", "warning", "info", "sample", "samples",
    "pairing", "pairings", "rank-preserving", "approximation", "proportional-odds", "naive",
    "effect", "vs", "rest", "province", "range", "largest", "smallest", "power", "baseline", "contrast",
    "good", "pass", "fail", "top", "source", "table", "figure", "note", "notes", "not", "the", "and", "of",
    "see", "above", "rows", "strata", "others", "up", "down", "separation", "minimum", "expected", "counts",
    "categories", "levels", "dropped", "changes", "ranges",
    "p_value", "p_Holm", "good_or_better", "top_vs_rest", "pass_or_better", "fail_vs_rest",
)

_KEY_SHAPES = re.compile(
    r"\b[a-z]+(?:_[a-z0-9]+)+\b"                      # snake_case keys
    r"|\b(?:org|member)-\d{4}\b"                       # scale ids
    r"|[\w.-]+\.(?:csv|xlsx|yaml|yml|parquet|txt|docx|ipynb)\b",  # file names
    re.IGNORECASE,
)


def _lookup(table: dict[str, tuple[str, str]], name: str, key, language: str) -> str:
    check_language(language)
    try:
        pair = table[key]
    except KeyError:
        raise KeyError(f"no {name} entry {key!r} in helpers.export.glossary (add it in vi and en)") from None
    return pair[0 if language == "vi" else 1]


def test_name(name: str, language: str) -> str:
    """An English test name (results.csv ``test``) in words of ``language``: the inference module's own words,
    then :data:`TEST_PHRASES`, then contrast and scale keys (:func:`replace_keys`)."""
    check_language(language)
    try:
        from helpers.inference.results import sentence_test_name
    except ImportError:  # the glossary never needs the inference step to load
        def sentence_test_name(text, _language):
            return text
    text = sentence_test_name(str(name), language)
    for english in sorted(TEST_PHRASES, key=len, reverse=True):
        text = re.sub(rf"(?<![\w-]){re.escape(english)}(?![\w-])", TEST_PHRASES[english][0 if language == "vi" else 1],
                      text)
    return replace_keys(text, language)


def note_text(note: str, language: str) -> str:
    """A note of results.csv (``'4 improved, 0 worsened, 3 unchanged'``) in words of ``language``
    (the templates of :data:`NOTES`, then :data:`NOTE_PATTERNS`, then the phrases of :func:`test_name`).

    >>> note_text("4 improved, 0 worsened, 3 unchanged", "vi")
    '4 tiến bộ, 0 giảm, 3 không đổi'
    """
    check_language(language)
    text = notes_in_words(str(note), language)
    for pattern, pair in NOTE_PATTERNS.items():
        words = pair[0 if language == "vi" else 1]
        text = re.sub(pattern, lambda m, words=words: words.format(*_groups(m)), text)
    return test_name(text, language)


def _groups(match: re.Match) -> list[str]:
    """A note pattern's groups in the order of their ``{i}``: ``g<i>`` when named (:func:`note_pattern`)."""
    named = match.groupdict()
    return [named.get(f"g{i}", "") for i in range(len(named))] if named else list(match.groups())


def check_name(check: str, language: str) -> str:
    """A check of published numbers (``parts_sum_to_total``) in words."""
    return _lookup(CHECK_NAMES, "check", check, language)


def claim_name(claim_id: str, language: str) -> str:
    """A claim (``pilots-improved-more``) in words."""
    return _lookup(CLAIMS, "claim", claim_id, language)


def term(key: str, language: str, **fields) -> str:
    """The word or phrase ``key`` of :data:`TERMS` in ``language``, with ``{fields}`` filled in."""
    text = _lookup(TERMS, "term", key, language)
    return text.format(**fields) if fields else text


def header(column: str, language: str) -> str:
    """The printed header of the column ``column`` (:data:`HEADERS`)."""
    return _lookup(HEADERS, "header", column, language)


def severity(value: str, language: str) -> str:
    """``'error'`` → ``'lỗi'`` (vi) / ``'error'`` (en); likewise warning and info."""
    return _lookup(SEVERITIES, "severity", value, language)


def level_name(level: str, language: str) -> str:
    """A common rating level (``top``) in words (``TSVM / HTXSNV``)."""
    return _lookup(LEVELS, "level", level, language)


def rounding_name(scheme: str, language: str) -> str:
    """A rounding scheme (``half_even``) in words (``làm tròn nửa về số chẵn``)."""
    return _lookup(ROUNDINGS, "rounding", scheme, language)


def category_name(category: str, language: str) -> str:
    """A finding's category: a whole table's (:data:`CATEGORIES`) in words, a printed one as printed."""
    return _lookup(CATEGORIES, "category", category, language) if category in CATEGORIES else category


def contrast_name(name: str, language: str) -> str:
    """A harmonised contrast (``good_or_better``) as a reader reads it (``HTTNV trở lên``)."""
    return _lookup(CONTRASTS, "contrast", name, language)


def scale_name(scale_id: str, language: str) -> str:
    """A rating scale (``org-2008``) in words."""
    return _lookup(SCALES, "scale", scale_id, language)


def effect_name(name: str, language: str) -> str:
    """An effect size (``cliffs_delta``) in words (``δ của Cliff``)."""
    return _lookup(EFFECTS, "effect", name, language)


def conclusion(value: str, language: str) -> str:
    """A verdict's conclusion (``effect`` / ``no_evidence`` / ``cannot_tell``) in words."""
    return _lookup(CONCLUSIONS, "conclusion", value, language)


def replace_keys(text: str, language: str) -> str:
    """``text`` with every contrast name and scale id it contains put into words.

    For sentences written elsewhere that still carry a key (``'top_vs_rest'``, ``org-2008``).

    >>> replace_keys("phép so sánh 'top_vs_rest' giữa org-2008 và org-2018", "vi")
    'phép so sánh mức cao nhất so với các mức còn lại giữa thang xếp loại tổ chức đảng trước năm 2018 và thang xếp loại tổ chức đảng 2018–2024'
    """
    check_language(language)
    text = text.replace("p_Holm", "p (Holm)")
    for table in (CONTRASTS, SCALES):
        for key, pair in table.items():
            words = pair[0 if language == "vi" else 1]
            text = re.sub(rf"['‘’\"]?\b{re.escape(key)}\b['‘’\"]?", words, text)
    return text


def english_words_in(text: str, words: tuple[str, ...] = ENGLISH_WORDS) -> list[str]:
    """The English words of ``words`` and the configuration keys found in ``text``, in order met.

    Words are matched whole and case-sensitively for keys, case-insensitively for words
    (so "Test" is found, "kiểm định" is not). Used by the tests of every Vietnamese document.
    """
    found = [m.group(0) for m in _KEY_SHAPES.finditer(text)]
    plain = [w for w in words if "_" not in w]
    pattern = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in sorted(plain, key=len, reverse=True))
                         + r")(?![\w-])", re.IGNORECASE)
    found += [m.group(0) for m in pattern.finditer(text)]
    return list(dict.fromkeys(found))
