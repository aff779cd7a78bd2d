"""Totals as the pre-2008 and provincial reports print them, round 4: "được phân tích, đánh giá chất lượng" and
"dự phân tích" (the old name of the rating), "tham gia đánh giá", and "cá nhân đảng viên" — the families of the
misses of the first run of held-out batches 7 and 8. Each sentence is written here, none is a paragraph of the test
set; the expected rows are read off the sentence by hand (the comment names the phrasing)."""

from __future__ import annotations

from helpers.published.extract import extract_text
from helpers.published.reader import is_total_label


def rows(text, **options):
    draft = extract_text(text, source_id="t", **options)
    return [tuple(r) for r in draft.rows[["category", "count", "percent", "base", "level"]].values]


def test_units_phan_tich_danh_gia_are_totals():
    # "có N tổ chức đảng và M đảng viên được phân tích, đánh giá chất lượng": two totals, one per kind of unit
    got = rows("Năm 2022, toàn Đảng bộ có 1.250 tổ chức đảng và 20.400 đảng viên được phân tích, đánh giá chất lượng. "
               "Kết quả, có 1.100/1.250 tổ chức đảng (chiếm 88%) và 18.000/20.400 đảng viên (chiếm 88,24%) hoàn thành "
               "tốt nhiệm vụ trở lên.")
    assert [(r[1], r[4]) for r in got] == [("1.250", "tổ chức đảng"), ("20.400", "đảng viên"),
                                           ("1.100", "tổ chức đảng"), ("18.000", "đảng viên")]
    assert is_total_label(got[0][0]) and is_total_label(got[1][0])


def test_du_phan_tich_and_tham_gia_danh_gia_are_totals():
    # "Tổng số đảng viên dự phân tích: 840" (a report of the old scale, laid out one item per line)
    got = rows("Kết quả phân tích chất lượng đảng viên năm 2005:\nTổng số đảng viên dự phân tích: 840\nĐảng viên vi "
               "phạm tư cách: 1,2%")
    assert [(r[1], r[2]) for r in got] == [("840", ""), ("", "1,2%")] and is_total_label(got[0][0])
    # "Tổng số đảng viên tham gia đánh giá là 960 đồng chí, chiếm 92,3%"
    got = rows("Năm 2007, tổng số đảng viên tham gia đánh giá là 960 đồng chí, chiếm 92,3%. Trong đó, 700 đồng chí "
               "hoàn thành tốt nhiệm vụ, chiếm 72,9%.")
    assert [(r[1], r[2], r[4]) for r in got] == [("960", "92,3%", "đảng viên"), ("700", "72,9%", "đảng viên")]
    assert is_total_label(got[0][0])


def test_phan_tich_of_something_else_is_no_total():
    # "phân tích tình hình": the verb of another matter, not the rating
    got = rows("Năm 2019, đảng viên phân tích tình hình, có 40 đảng viên hoàn thành tốt nhiệm vụ.")
    assert [(r[0], r[1]) for r in got] == [("hoàn thành tốt nhiệm vụ", "40")]


def test_ca_nhan_dang_vien_are_members():
    # "N cá nhân đảng viên": members
    assert rows("Năm 2019, có 4 cá nhân đảng viên hoàn thành xuất sắc nhiệm vụ.") == [
        ("hoàn thành xuất sắc nhiệm vụ", "4", "", "", "đảng viên")]
