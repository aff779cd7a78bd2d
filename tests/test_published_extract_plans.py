"""What the extractor must not read as ratings, round 4: plans whose cue comes a sentence before the shares,
nominations, ratings of cadres, zeros of something else than a rating — the families of the distractor rows of the
first run of held-out batches 7 and 8. Each sentence is written here, none is a paragraph of the test set; a
distractor must give no row at all (issue 15), the result sentences next to them keep theirs."""

from __future__ import annotations

from helpers.published.extract import extract_text


def rows(text, **options):
    draft = extract_text(text, source_id="t", **options)
    return [tuple(r) for r in draft.rows[["category", "count", "percent", "base", "level"]].values]


# --- targets announced a sentence before the list of shares ------------------------------------------------------

def test_targets_announced_in_the_sentence_before_trong_do():
    # "… xác định 6 chỉ tiêu chủ yếu. Trong đó, …": the sentence after the announcement lists the targets
    assert rows("Đại hội Đảng bộ xã nhiệm kỳ 2025-2030 xác định 6 chỉ tiêu chủ yếu. Trong đó, trên 85% chi bộ và "
                "trên 90% đảng viên hoàn thành tốt nhiệm vụ trở lên, không có chi bộ yếu kém.") == []
    # "phấn đấu giữ vững …. Trong đó có 60% …"
    assert rows("Năm 2024, Đảng ủy phấn đấu giữ vững danh hiệu trong sạch, vững mạnh. Trong đó có 60% chi bộ đạt "
                "hoàn thành tốt nhiệm vụ, không có chi bộ yếu kém.") == []


def test_an_effort_or_an_aim_announces_no_list():
    # "phấn đấu vươn lên" (no level named), "Với mục tiêu …, Đảng ủy đã lãnh đạo …" (what was done): the sentences
    # after them are results
    got = rows("Năm 2023, cán bộ, đảng viên phấn đấu vươn lên. Cụ thể, 40/42 chi bộ hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[1], r[3]) for r in got] == [("40", "42")]
    got = rows("Với mục tiêu xây dựng Đảng trong sạch vững mạnh, năm 2023 Đảng ủy đã lãnh đạo toàn diện. Trong đó, 95% "
               "đảng viên hoàn thành tốt nhiệm vụ.")
    assert [(r[2], r[4]) for r in got] == [("95%", "đảng viên")]


def test_a_list_of_targets_goes_on_after_a_colon_and_hang_nam():
    # "với các chỉ tiêu như: … . Hằng năm, có 70% …": the sentence after the list's first item goes on with it
    assert rows("Nghị quyết nhiệm kỳ mới với các chỉ tiêu như: 100% đảng viên được học tập nghị quyết. Hằng năm, có "
                "70% tổ chức cơ sở đảng đạt trong sạch, vững mạnh; có 90% đảng viên hoàn thành tốt nhiệm vụ trở "
                "lên.") == []


def test_a_result_after_targets_stays_a_result():
    # the announcement does not reach a sentence that does not go on with it, nor a "kết quả" after a target cue
    got = rows("Nghị quyết đề ra 10 chỉ tiêu chủ yếu. Năm 2023, có 45 chi bộ hoàn thành tốt nhiệm vụ, chiếm 90%.")
    assert [(r[1], r[2]) for r in got] == [("45", "90%")]
    got = rows("Năm 2023, hằng năm có 95% đảng viên được kiểm tra, kết quả tỷ lệ đảng viên hoàn thành xuất sắc "
               "nhiệm vụ chiếm 16,2%.")
    assert [(r[2], r[4]) for r in got] == [("16,2%", "đảng viên")]
    # an announcement that speaks of its outcome ("đạt và vượt") carries nothing
    got = rows("Nghị quyết đề ra 12 chỉ tiêu, đạt và vượt 11 chỉ tiêu. Trong đó, năm 2023 có 30 chi bộ hoàn thành "
               "tốt nhiệm vụ, chiếm 75%.")
    assert [(r[1], r[2]) for r in got] == [("30", "75%")]


def test_a_heading_of_targets_reaches_its_list_and_ve_sections():
    # a heading "… các chỉ tiêu chủ yếu …:" over lines "- …"; "Về xây dựng Đảng, …" after "đề ra N chỉ tiêu"
    assert rows("Đại hội thống nhất các chỉ tiêu chủ yếu nhiệm kỳ 2025-2030:\n- 88% tổ chức cơ sở đảng hoàn thành "
                "tốt nhiệm vụ trở lên.\n- Trên 92% đảng viên hoàn thành tốt nhiệm vụ.\n- Không có tổ chức cơ sở đảng "
                "yếu kém.") == []
    assert rows("Đại hội đề ra 16 chỉ tiêu. Về xây dựng Đảng, hằng năm 88% chi bộ được xếp loại hoàn thành tốt nhiệm "
                "vụ trở lên, 18% đảng viên hoàn thành xuất sắc nhiệm vụ.") == []


def test_a_heading_that_announces_targets_reaches_the_line_under_it():
    # "Phương hướng, nhiệm vụ năm 2024:" / "Chỉ tiêu năm 2024:" over a line of shares, whatever its first word
    assert rows("Phương hướng, nhiệm vụ năm 2024:\nCó 92% chi bộ hoàn thành tốt nhiệm vụ trở lên; 96% đảng viên hoàn "
                "thành tốt nhiệm vụ trở lên.") == []
    assert rows("Chỉ tiêu năm 2024:\n- 100% chi bộ được đánh giá, xếp loại.\n- 91% đảng viên hoàn thành tốt nhiệm "
                "vụ.") == []
    assert rows("Năm 2024, Đảng bộ xã xác định: 100% chi bộ hoàn thành tốt nhiệm vụ; 20% đảng viên hoàn thành xuất "
                "sắc nhiệm vụ.") == []
    # a heading of results keeps its line
    got = rows("Kết quả thực hiện chỉ tiêu năm 2023:\nCó 90% chi bộ hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("90%", "chi bộ")]


def test_the_words_of_a_plan():
    # "đặt ra:", "đăng ký N%", "sẽ …", "nhiệm kỳ tới": what is planned, not what was rated
    assert rows("Nghị quyết Đại hội đặt ra: Hằng năm 100% chi bộ hoàn thành tốt nhiệm vụ; không có đảng viên vi "
                "phạm tư cách.") == []
    assert rows("Năm 2025, Đảng bộ đăng ký 92% chi bộ đạt hoàn thành tốt nhiệm vụ trở lên.") == []
    assert rows("Năm 2026, Đảng bộ sẽ tiếp tục nâng cao chất lượng, bảo đảm 91% đảng viên hoàn thành tốt nhiệm "
                "vụ.") == []
    assert rows("Nhiệm kỳ tới, 90% chi bộ hoàn thành tốt nhiệm vụ trở lên, không có chi bộ yếu kém.") == []
    # but "hoàn thành các mục tiêu đề ra: …" gives results, and "chia sẻ" is no "sẽ"
    got = rows("Năm 2023, Đảng bộ hoàn thành các mục tiêu đề ra: 95% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("95%", "đảng viên")]
    got = rows("Năm 2023, qua chia sẻ kinh nghiệm, 94% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("94%", "đảng viên")]


def test_a_plan_of_admissions_makes_its_sentence_a_list_of_targets():
    # "phát triển từ 8 đảng viên trở lên/năm", "kết nạp 300 đảng viên trở lên": only plans print these
    assert rows("Đảng bộ hoàn thành tốt nhiệm vụ, không có chi bộ yếu kém; tỷ lệ chi bộ đạt hoàn thành tốt nhiệm vụ "
                "trên 85%, phát triển từ 8 đảng viên trở lên/năm.") == []
    assert rows("Trong nhiệm kỳ kết nạp 300 đảng viên trở lên; có 75% chi bộ hoàn thành tốt nhiệm vụ.") == []


def test_units_other_than_party_units_in_a_plan():
    # "chính quyền cơ sở … không có đơn vị yếu kém": another body's rating
    assert rows("Năm 2023, 80% chính quyền cơ sở đạt vững mạnh, không có đơn vị yếu kém.") == []


# --- nominations and votes ----------------------------------------------------------------------------------------

def test_nominations_and_votes_are_not_results():
    # "Chi bộ đề cử N đồng chí xếp loại …", "đề nghị cấp trên xếp loại …": a proposal, not the rating
    assert rows("Năm 2024, chi bộ đề cử 03 đồng chí xếp loại hoàn thành xuất sắc nhiệm vụ và 15 đồng chí xếp loại "
                "hoàn thành tốt nhiệm vụ.") == []
    assert rows("Năm 2024, chi bộ đề nghị Đảng ủy xếp loại 2 đồng chí hoàn thành xuất sắc nhiệm vụ.") == []
    # "đề nghị N đồng chí …", "đề nghị cấp trên xét N …": proposals too
    assert rows("Năm 2023, Chi bộ đề nghị 3 đồng chí hoàn thành xuất sắc nhiệm vụ.") == []
    assert rows("Năm 2023, Đảng ủy đề nghị cấp trên xét 5 chi bộ hoàn thành xuất sắc nhiệm vụ.") == []
    # "đề xuất … xếp loại": a proposal too
    assert rows("Năm 2023, Đảng ủy đề xuất Huyện ủy xếp loại 4 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.") == []
    # "100% đảng viên thống nhất chi bộ đạt …": the share of the voters
    assert rows("Năm 2024, 100% đảng viên thống nhất chi bộ đạt mức hoàn thành tốt nhiệm vụ.") == []


# --- cadres are not members ---------------------------------------------------------------------------------------

def test_ratings_of_cadres_are_not_ratings_of_members():
    # "xếp loại cán bộ lãnh đạo, quản lý: N đồng chí …": the people rated are cadres
    assert rows("Năm 2023, về xếp loại cán bộ lãnh đạo, quản lý cấp huyện, có 20 đồng chí xếp loại hoàn thành xuất "
                "sắc nhiệm vụ; 95 đồng chí hoàn thành tốt nhiệm vụ.") == []
    # "…; kết quả cán bộ hoàn thành tốt nhiệm vụ đạt hơn 70%": the party units before keep their rows
    got = rows("Năm 2023, có 100/500 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ; kết quả cán bộ hoàn thành tốt "
               "nhiệm vụ đạt hơn 70%.")
    assert [(r[1], r[3], r[4]) for r in got] == [("100", "500", "tổ chức cơ sở đảng")]
    # "người đứng đầu": heads of agencies, cadres too
    assert rows("Năm 2023, xếp loại người đứng đầu: 25 đồng chí hoàn thành tốt nhiệm vụ trở lên.") == []
    # members who are cadres ("đảng viên là cán bộ …"), "công tác cán bộ" (a topic), a share that prints "đảng viên"
    got = rows("Năm 2023, chi bộ có 25 đảng viên là cán bộ quân đội; 5 đồng chí hoàn thành xuất sắc nhiệm vụ.")
    assert [(r[1], r[4]) for r in got] == [("5", "đảng viên")]
    got = rows("Năm 2023, công tác cán bộ được quan tâm; 97% đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("97%", "đảng viên")]
    # "cán bộ, đảng viên" are members
    got = rows("Năm 2023, 98% cán bộ, đảng viên hoàn thành tốt nhiệm vụ trở lên.")
    assert [(r[2], r[4]) for r in got] == [("98%", "đảng viên")]


def test_a_share_of_other_people_is_no_rating():
    # "95% hội viên …", "90% đoàn viên …": members of other bodies; "98% cán bộ, đảng viên" stay members (above)
    assert rows("Năm 2023, có 95% hội viên Hội Cựu chiến binh hoàn thành tốt nhiệm vụ.") == []
    assert rows("Năm 2023, 90% đoàn viên hoàn thành tốt nhiệm vụ trở lên.") == []


# --- zeros of something else --------------------------------------------------------------------------------------

def test_a_zero_of_offenders_or_pupils_is_no_rating():
    # "không có đảng viên vi phạm, chi bộ được đánh giá trong sạch, vững mạnh": the zero counts offenders
    assert rows("Năm 2020, không có đảng viên vi phạm, chi bộ được đánh giá trong sạch, vững mạnh.") == []
    # "không có học sinh kém": pupils
    assert rows("Năm 2020, tỷ lệ học sinh khá giỏi trên 90%, không có học sinh kém.") == []


def test_a_plan_stated_after_ke_hoach_and_dat_muc_tieu():
    # "Kế hoạch … nêu rõ: …", "đặt mục tiêu …" (set, not "đạt", achieved: the two fold alike)
    assert rows("Kế hoạch năm 2024 của Đảng ủy nêu rõ: 100% chi bộ hoàn thành tốt nhiệm vụ trở lên; 20% đảng viên "
                "hoàn thành xuất sắc nhiệm vụ.") == []
    assert rows("Năm 2024, Đảng bộ đặt mục tiêu có 90% chi bộ hoàn thành tốt nhiệm vụ.") == []
    # but "đạt mục tiêu đề ra: …" and what was done under a plan are results
    got = rows("Năm 2023, Đảng bộ đạt mục tiêu đề ra: 95% chi bộ hoàn thành tốt nhiệm vụ.")
    assert [(r[2], r[4]) for r in got] == [("95%", "chi bộ")]
    got = rows("Theo Kế hoạch số 45 của Huyện ủy, năm 2023 Đảng ủy đã đánh giá 40 chi bộ: 38 chi bộ hoàn thành tốt "
               "nhiệm vụ.")
    assert [r[1] for r in got] == ["40", "38"]


def test_a_target_cited_in_parentheses_after_the_result():
    # "đạt 95% (kế hoạch 90%)", "92% … (Nghị quyết đề ra 85%)": the figure in parentheses is the target compared with
    got = rows("Năm 2023, tỷ lệ đảng viên hoàn thành tốt nhiệm vụ trở lên đạt 95% (kế hoạch 90%).")
    assert [(r[2], r[4]) for r in got] == [("95%", "đảng viên")]
    got = rows("Năm 2023, 92% chi bộ hoàn thành tốt nhiệm vụ trở lên (Nghị quyết đề ra 85%).")
    assert [(r[2], r[4]) for r in got] == [("92%", "chi bộ")]


def test_a_count_of_targets_met_is_not_a_target_cue_for_the_next_clause():
    # "đề ra 18 chỉ tiêu, đến nay đạt 16 chỉ tiêu; năm 2023 có 95% …": how many targets were met, then a result
    got = rows("Nghị quyết đề ra 18 chỉ tiêu, đến nay đạt 16 chỉ tiêu; năm 2023 có 95% chi bộ hoàn thành tốt nhiệm vụ.")
    assert [(r[2], r[4]) for r in got] == [("95%", "chi bộ")]
    # "xác định 5 chỉ tiêu: …; …" announces the list; "Nghị quyết … đạt 98% trở lên" stays a target
    assert rows("Nghị quyết xác định 5 chỉ tiêu: 90% chi bộ hoàn thành tốt nhiệm vụ; 95% đảng viên hoàn thành tốt "
                "nhiệm vụ.") == []
    assert rows("Nghị quyết Đại hội đề ra chỉ tiêu đạt 98% trở lên đảng viên hoàn thành nhiệm vụ.") == []
