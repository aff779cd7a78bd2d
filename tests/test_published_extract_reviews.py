"""A term or a year looked back on: results printed as targets met, or as yearly shares inside a term review, are
results (issue 15) — the family of the misses of the first run of held-out batch 9, with the pass level such a review
prints before "trong đó" and the better levels. Each sentence is written here, none is a paragraph of the test set;
next to each rule, the real target (or plain level) it must leave as it was."""

from __future__ import annotations

from helpers.published.extract import extract_text


def rows(text, **options):
    draft = extract_text(text, source_id="t", **options)
    return [tuple(r) for r in draft.rows[["category", "count", "percent", "base", "level"]].values]


def shares(text):
    return [(r[2], r[4]) for r in rows(text)]


# --- targets said met, then named by "đề ra" -----------------------------------------------------------------------

def test_targets_met_then_de_ra_colon_lists_results():
    # "đã hoàn thành các mục tiêu, nhiệm vụ đề ra: …": "đề ra" names the targets that were met, the shares are results;
    # a share printed as a threshold ("85% trở lên") stays a target
    assert shares("Nhiệm kỳ 2015-2020, Đảng bộ xã đã hoàn thành các mục tiêu, nhiệm vụ đề ra: 100% chi bộ hoàn thành "
                  "nhiệm vụ, trong đó 85% trở lên hoàn thành tốt nhiệm vụ, 20% đạt trong sạch vững mạnh.") == [
        ("100%", "chi bộ"), ("20%", "chi bộ")]
    # "hoàn thành vượt mức các chỉ tiêu Nghị quyết đề ra: …"
    assert rows("Đảng ủy phường đã hoàn thành vượt mức các chỉ tiêu Nghị quyết đề ra: 96% đảng viên hoàn thành tốt "
                "nhiệm vụ; 18% đảng viên hoàn thành xuất sắc nhiệm vụ.") == [
        ("hoàn thành tốt nhiệm vụ", "", "96%", "", "đảng viên"),
        ("hoàn thành xuất sắc nhiệm vụ", "", "18%", "", "đảng viên")]


def test_de_ra_without_targets_met_stays_a_target():
    # the same lists after "đề ra:" or "đề ra các mục tiêu, nhiệm vụ:" with no verb of achievement: targets
    assert rows("Đại hội đề ra: 100% chi bộ hoàn thành nhiệm vụ, 20% chi bộ đạt trong sạch vững mạnh.") == []
    assert rows("Nghị quyết đại hội đề ra các mục tiêu, nhiệm vụ: 95% đảng viên hoàn thành tốt nhiệm vụ, 15% hoàn "
                "thành xuất sắc nhiệm vụ.") == []


# --- "hoàn thành tốt các nhiệm vụ, chỉ tiêu": the targets met, not announced -------------------------------------

def test_tasks_and_targets_completed_well_are_results():
    # "hoàn thành tốt" before "các nhiệm vụ, chỉ tiêu …", and a quota met later in the sentence ("đạt 100% chỉ tiêu"):
    # the members' rating after them is a result
    assert shares("Năm 2023, Đảng ủy đã lãnh đạo hoàn thành tốt các nhiệm vụ, chỉ tiêu quốc phòng; công tác tuyển "
                  "quân đạt 100% chỉ tiêu; 98% đảng viên hoàn thành tốt nhiệm vụ.") == [("98%", "đảng viên")]


def test_tasks_and_targets_to_complete_stay_targets():
    # "phấn đấu hoàn thành tốt …" (a plan) and a heading "Các nhiệm vụ, chỉ tiêu năm 2025:" (no achievement verb)
    assert rows("Năm 2025, Đảng ủy phấn đấu hoàn thành tốt các nhiệm vụ, chỉ tiêu quốc phòng; 98% đảng viên hoàn "
                "thành tốt nhiệm vụ.") == []
    assert rows("Các nhiệm vụ, chỉ tiêu năm 2025: công tác tuyển quân đạt 100%; 98% đảng viên hoàn thành tốt nhiệm "
                "vụ.") == []


# --- a yearly share in a term review, next to a streak of the committee ------------------------------------------

def test_a_streak_of_another_subject_after_a_comma_leaves_the_share_a_result():
    # ", Đảng bộ phường 5 năm liền đạt …": the streak is the committee's (a new subject), not the share's topic
    assert shares("Hằng năm, tỷ lệ chi bộ đạt trong sạch vững mạnh trên 75%, Đảng bộ phường 5 năm liền đạt trong sạch "
                  "vững mạnh.") == [("trên 75%", "chi bộ")]


def test_a_streak_of_the_units_counted_stays_another_topic():
    # the streak of the counted units themselves, in their own words or after a comma with no new subject
    assert rows("Năm 2022, có 12 chi bộ 3 năm liền đạt trong sạch vững mạnh.") == []
    assert rows("Năm 2022, có 12 chi bộ đạt trong sạch vững mạnh, 3 năm liền được tặng giấy khen.") == []


def test_a_plan_later_in_the_paragraph_leaves_the_review_a_result():
    # "Nhiệm kỳ qua … Hằng năm, … hơn 80% …. Nhiệm kỳ tới, … phấn đấu hằng năm có 85% …": only the plan is a target
    assert shares("Nhiệm kỳ qua, thu nhập bình quân tăng 10%. Hằng năm, tỷ lệ chi bộ đạt trong sạch vững mạnh hơn "
                  "80%, Đảng bộ xã nhiều năm liền đạt trong sạch vững mạnh. Nhiệm kỳ tới, Đảng bộ phấn đấu hằng năm "
                  "có 85% chi bộ đạt trong sạch vững mạnh.") == [("hơn 80%", "chi bộ")]


# --- the pass level, then "trong đó" the better levels: cumulative ----------------------------------------------

def test_pass_level_then_trong_do_better_levels_is_pass_or_better():
    # "100% đảng viên đủ tư cách hoàn thành nhiệm vụ, trong đó 85% hoàn thành tốt …": the 85% are part of the 100%,
    # so the 100% counts the pass level and every better one (HTNV+)
    got = rows("Năm 2014, 100% đảng viên đủ tư cách hoàn thành nhiệm vụ, trong đó 85% hoàn thành tốt nhiệm vụ, 12% "
               "hoàn thành xuất sắc nhiệm vụ.")
    assert [(r[0], r[2]) for r in got] == [("hoàn thành nhiệm vụ trở lên", "100%"),
                                           ("hoàn thành tốt nhiệm vụ", "85%"), ("hoàn thành xuất sắc nhiệm vụ", "12%")]
    got = rows("Năm 2020, có 30 chi bộ hoàn thành nhiệm vụ, trong đó 8 chi bộ đạt trong sạch vững mạnh.")
    assert [(r[0], r[1]) for r in got] == [("hoàn thành nhiệm vụ trở lên", "30"), ("trong sạch vững mạnh", "8")]


def test_pass_level_listed_beside_better_levels_stays_the_pass_level():
    # a list of levels side by side (no "trong đó"): each share is its own level
    got = rows("Năm 2014, 20% đảng viên hoàn thành nhiệm vụ, 70% hoàn thành tốt nhiệm vụ, 10% hoàn thành xuất sắc "
               "nhiệm vụ.")
    assert [(r[0], r[2]) for r in got] == [("hoàn thành nhiệm vụ", "20%"), ("hoàn thành tốt nhiệm vụ", "70%"),
                                           ("hoàn thành xuất sắc nhiệm vụ", "10%")]
    # "trong đó" followed by no better level (the fail level named apart)
    got = rows("Năm 2020, có 30 chi bộ hoàn thành nhiệm vụ, trong đó 2 chi bộ ở xã vùng cao; 1 chi bộ không hoàn thành "
               "nhiệm vụ.")
    assert [(r[0], r[1]) for r in got][0] == ("hoàn thành nhiệm vụ", "30")
