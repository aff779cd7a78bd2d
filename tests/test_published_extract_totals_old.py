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


def test_communes_of_every_kind_and_counts_of_unit_years():
    # "N/M đảng bộ xã, phường, thị trấn đạt …, chiếm X%": one unit, its share after the label
    got = rows("Năm 2012, toàn tỉnh có 98/130 đảng bộ xã, phường, thị trấn đạt trong sạch, vững mạnh, chiếm 75,38%.")
    assert [(r[1], r[2], r[3], r[4]) for r in got] == [("98", "75,38%", "130", "đảng bộ xã")]
    # "đảng bộ các xã": communes; "N lượt đảng bộ xã": unit-years, counted as printed
    got = rows("Năm 2019, 100% đảng bộ các xã miền núi đạt hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("100%", "đảng bộ xã")]
    got = rows("Năm 2019, có 4 lượt đảng bộ xã xếp loại yếu kém.")
    assert [(r[1], r[4]) for r in got] == [("4", "đảng bộ xã")]


def test_a_share_of_a_target_met_ends_no_result_after_it():
    # "đạt 112% chỉ tiêu nghị quyết; 100% chi bộ …": the target is what the first share is measured against
    got = rows("Năm 2020, Đảng bộ thu ngân sách đạt 112% chỉ tiêu nghị quyết; 95% chi bộ hoàn thành tốt nhiệm vụ trở "
               "lên.")
    assert [(r[2], r[4]) for r in got] == [("95%", "chi bộ")]


def test_du_tu_cach_alone_is_pass_or_better():
    # the members' scale before 2018: "đủ tư cách" alone covers every level but "vi phạm tư cách"; with its level
    # after it ("đủ tư cách hoàn thành tốt nhiệm vụ") it stays that level
    draft = extract_text("Năm 2006, có 96% đảng viên đủ tư cách, trong đó 80% đủ tư cách hoàn thành tốt nhiệm vụ.",
                         source_id="t").rows
    assert list(zip(draft["category"], draft["percent"])) == [("hoàn thành nhiệm vụ trở lên", "96%"),
                                                              ("đủ tư cách hoàn thành tốt nhiệm vụ", "80%")]
    assert "đủ tư cách" in draft["reason"].iloc[0] and draft["confidence"].iloc[0] < 1
    # "không đủ tư cách" is not it (no level of the scale is printed so: no row)
    assert rows("Năm 2006, có 3 đảng viên không đủ tư cách.") == []
