"""Teaching lessons: answer checking, the student/instructor split, the simulation, and real lesson runs."""

from __future__ import annotations

import re
from fractions import Fraction

import nbformat
import pytest

from helpers import teaching
from helpers.errors import InputError
from helpers.teaching import (Feedback, check_answer, exercise_ids, expected_answer, instructor_version,
                              lesson_paths, parse_number, show, simulate_regression_to_mean, student_leaks,
                              student_version)
from helpers.teaching.handout import glyph_problems, project_fonts, replace_paths, without_run_details
from helpers.teaching.leaks import gives_away, handout_leaks, output_leaks, output_texts, read_shown_number
from helpers.teaching.versions import _numeric_tokens

from conftest import teach_in_copy

LESSONS = lesson_paths()
LESSON_IDS = [p.stem for p in LESSONS]


def _read(path):
    return nbformat.read(path, as_version=4)


# ---------------------------------------------------------------- right and wrong answers


@pytest.mark.parametrize("exercise_id, right, wrong", [
    # Hand computation: 100 · 34 / 62 = 54,8387… → 54,84; the article (seed 004) printed 54,85.
    ("L1-E1", "54,84", "54,85"),
    # Seed 000 / issue 3: 45,25 / 18,99 / 32,73 % "fit base 495 first, then 990, 1222".
    ("L1-E3", 495, 990),
    # Hand computation: 495 − (224 + 94 + 162) = 15 (issue 3: "leaving 15 weak").
    ("L1-E4", "15", "16"),
    # R: fisher.test(matrix(c(0,2,14,3,12,12,30,39), 2))$p.value = 0.01082010505
    ("L2-E3", 0.01082, 0.05),
    # R: binom.test(4, 4)$p.value = 0.125 (4 up, 0 down; the 3 unchanged are ignored).
    ("L3-E1", "0,125", "0,0625"),
    # Hand computation: reject only at 7/7 or 0/7, power = 0,8^7 + 0,2^7 = 0,2097.
    ("L3-E2", 0.2097, 0.8),
    # Hand computation: p^7 + (1 − p)^7 = 0,8 at p ≈ 0,8^(1/7) = 0,9686.
    ("L3-E3", "0,9686", "0,5"),
    # Hand computation: 2 · 0,5^7 = 0,0156 < 0,05 but 6 of 7 gives 2 · 8/128 = 0,125.
    ("L3-E4", "D", "C"),
    # Hand computation (seed 004): 2017 (34 + 27) / 62 = 98,39 %; 2018 (5 + 50) / 59 = 93,22 %.
    ("L5-E2", "98,39", "54,84"),
    ("L5-E3", "93,22%", "8,47"),
    # R: fisher.test(matrix(c(61,55,1,4), 2))$p.value = 0.1996814831
    ("L5-E4", "0,1997", "0,05"),
    # format_p_value(0.1997, 'vi') (helpers.numbers, tested in test_numbers.py): "p = 0,200".
    ("L6-E1", "p = 0,200", "p = 0,2"),
    # Seed 004 prints "84,7%": decimal comma, no space.
    ("L6-E2", "b", "A"),
    ("L5-E1", "B", "A"),
    ("L4-E2", "B", "A"),
])
def test_check_answer_accepts_right_and_rejects_wrong(exercise_id, right, wrong):
    good = check_answer(exercise_id, right)
    assert good.correct and good.status == "correct", good
    bad = check_answer(exercise_id, wrong)
    assert not bad.correct and bad.status == "wrong", bad
    assert bad.message_vi.startswith("Chưa đúng.") and bad.message_en.startswith("Not yet right.")


def test_wrong_answer_gives_a_hint_but_never_the_answer():
    for exercise_id, exercise in teaching.exercises().items():
        wrong = {"choice": "zzz", "text": "p = 9,999"}.get(exercise.kind, "99999")
        feedback = check_answer(exercise_id, wrong)
        assert not feedback.correct
        shown = feedback.message_vi + feedback.message_en + feedback._repr_markdown_()
        expected = expected_answer(exercise_id)
        if exercise.kind in ("count", "percent", "proportion", "number"):
            leaked = [t for t in _numeric_tokens(shown) if check_answer(exercise_id, t).correct]
            assert leaked == [], (exercise_id, leaked)
        elif exercise.kind == "text":
            assert str(expected) not in shown


def test_known_mistake_gets_its_own_message():
    # Seed 000: 56 is the number of pilots, not the province's base.
    feedback = check_answer("L1-E3", 56)
    assert "56 là số tổ chức làm điểm" in feedback.message_vi
    assert "number of pilots" in feedback.message_en


# ---------------------------------------------------------------- formats and wrong types


def test_vietnamese_decimal_comma_and_point_read_the_same():
    assert parse_number("0,05", "proportion").value == Fraction(1, 20)
    assert parse_number("0.05", "proportion").value == Fraction(1, 20)
    assert parse_number(".05", "proportion").value == Fraction(1, 20)
    assert check_answer("L3-E1", "0,125").correct and check_answer("L3-E1", 0.125).correct


def test_percent_sign_for_a_proportion_is_converted_and_said():
    feedback = check_answer("L3-E1", "12,5%")
    assert feedback.correct
    assert "đã đổi '12,5%' thành tỉ lệ 0,125" in feedback.message_vi
    assert "read '12,5%' as the proportion 0.125" in feedback.message_en
    five = check_answer("L3-E1", "5%")
    assert not five.correct and "thành tỉ lệ 0,05" in five.message_vi


def test_percentage_number_where_a_proportion_is_expected_is_explained():
    feedback = check_answer("L3-E1", "12,5")
    assert feedback.status == "unreadable"
    assert "tỉ lệ từ 0 đến 1" in feedback.message_vi and "5% = 0,05" in feedback.message_vi


def test_proportion_where_a_percentage_is_expected_is_explained():
    feedback = check_answer("L1-E1", 0.5484)
    assert feedback.status == "unreadable"
    assert "Hãy nhân với 100" in feedback.message_vi and "Multiply it by 100" in feedback.message_en


def test_thousands_dot_in_a_count_is_read_as_thousands():
    feedback = check_answer("L1-E3", "1.120")
    assert feedback.status == "wrong"
    assert "đã hiểu '1.120' là 1120" in feedback.message_vi
    assert parse_number("1.120", "count").value == 1120
    assert parse_number("1,120", "count").value == 1120


def test_ambiguous_dot_in_a_plain_number_asks_to_rewrite():
    with pytest.raises(teaching.AnswerFormatError, match="could be 1120"):
        parse_number("1.120", "number")


@pytest.mark.parametrize("answer, vi, en", [
    ("abc", "'abc' không phải là một số", "'abc' is not a number"),
    ([495], "là một danh sách, không phải một số", "is a list, not a number"),
    (True, "là giá trị đúng/sai", "true/false value"),
    ("4,95", "Một số lượng phải là số nguyên (đã đọc được 4,95)", "A count is a whole number (read 4.95)"),
    ("49,5%", "không phải tỉ lệ phần trăm", "not a percentage"),
    (float("nan"), "không phải là một số hữu hạn", "not a finite number"),
])
def test_unreadable_answers_get_a_helpful_message_not_a_traceback(answer, vi, en):
    feedback = check_answer("L1-E3", answer)
    assert feedback.status == "unreadable" and not feedback.correct
    assert vi in feedback.message_vi and en in feedback.message_en


def test_unanswered_exercise_says_so():
    for answer in (None, "", "  ", ...):
        feedback = check_answer("L2-E4", answer)
        assert feedback.status == "unanswered"
        assert "Chưa có câu trả lời" in feedback.message_vi and "No answer yet" in feedback.message_en


def test_choice_answers_are_read_loosely_and_bad_options_listed():
    assert check_answer("L2-E4", " (b) ").correct
    assert check_answer("L4-E3", "tang").correct and check_answer("L4-E3", "Tăng").correct
    feedback = check_answer("L2-E4", "E")
    assert feedback.status == "unreadable" and "A, B, C" in feedback.message_vi


def test_text_answer_near_misses_are_named():
    comma = check_answer("L6-E1", "p = 0.200")
    assert not comma.correct and "dấu phẩy thập phân" in comma.message_vi
    prefix = check_answer("L6-E1", "0,200")
    assert not prefix.correct and "p = …" in prefix.message_vi
    number = check_answer("L6-E1", 0.2)
    assert number.status == "unreadable" and "dấu nháy" in number.message_vi


def test_unknown_exercise_is_a_lesson_error():
    with pytest.raises(ValueError, match="unknown exercise 'L9-E9'; known exercises: L1-E1"):
        check_answer("L9-E9", 1)


def test_feedback_is_frozen_and_renders_as_markdown():
    feedback = check_answer("L3-E1", "0,125")
    assert isinstance(feedback, Feedback)
    with pytest.raises(AttributeError):
        feedback.correct = False
    text = feedback._repr_markdown_()
    assert text.startswith("√ `L3-E1` **Đúng rồi!**") and "*Correct!*" in text


# ---------------------------------------------------------------- exercises and lessons


def test_every_exercise_is_used_by_exactly_one_lesson_and_has_an_answer():
    used = {}
    for path in LESSONS:
        for exercise_id in exercise_ids(_read(path)):
            assert exercise_id not in used, f"{exercise_id} used in {used.get(exercise_id)} and {path.name}"
            used[exercise_id] = path.stem
            assert teaching.get_exercise(exercise_id).lesson == f"teaching/{path.stem}"
    assert set(used) == set(teaching.exercises())
    for exercise_id in used:
        assert expected_answer(exercise_id) is not None


def test_there_are_five_or_six_lessons():
    assert 5 <= len(LESSONS) <= 6


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_lesson_is_thin_and_committed_without_outputs(path):
    nb = _read(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code[0].metadata.get("tags") == ["parameters"]
    lines = code[0].source.splitlines()
    assert len(lines) == 3 and lines[0].startswith('study = "') and lines[1:] == ['language = ""', 'output_dir = ""']
    assert code[1].source == ("from helpers.params import check_parameters\n\n"
                              f'run = check_parameters(globals(), notebook="teaching/{path.stem}")')
    for cell in code:
        assert cell.outputs == [] and cell.execution_count is None
        assert not re.search(r"^\s*def |lambda", cell.source, flags=re.M), cell.source
        assert not re.search(r"[\"'][^\"']*(data/raw|reports/|\.csv|\.ipynb)", cell.source), cell.source
    first, last = nb.cells[0].source, nb.cells[-1].source
    assert "Mục tiêu / Learning goals" in first and "## Tóm tắt\n*Summary*" in last


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_student_version_has_no_solution_and_no_answer_value(path):
    nb = _read(path)
    student = student_version(nb)
    assert student_leaks(student) == []
    assert not any("solution" in c.metadata.get("tags", []) for c in student.cells)
    assert student.metadata["teaching"]["version"] == "student"
    # Every exercise keeps its answer cell and its check cell.
    assert exercise_ids(student) == exercise_ids(nb)


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_leak_check_finds_the_solutions_of_the_instructor_version(path):
    nb = _read(path)
    instructor = instructor_version(nb)
    solutions = [c for c in instructor.cells if "solution" in c.metadata.get("tags", [])]
    assert len(solutions) == len(exercise_ids(nb))
    leaks = student_leaks(instructor)
    assert len([l for l in leaks if "tagged 'solution'" in l]) == len(solutions)
    assert len([l for l in leaks if "answer" in l and "tagged" not in l]) >= len(solutions)


def test_versions_clear_outputs_and_do_not_touch_the_source():
    nb = _read(LESSONS[0])
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", text="x")]
    nb.cells[2].execution_count = 3
    for version in (student_version(nb), instructor_version(nb)):
        assert all(c.get("outputs", []) == [] for c in version.cells if c.cell_type == "code")
    assert nb.cells[2].execution_count == 3, "the source notebook must not be changed"


# ---------------------------------------------------------------- the simulation


def test_simulation_is_reproducible_and_shows_regression_to_the_mean():
    a = simulate_regression_to_mean(seed=7)
    b = simulate_regression_to_mean(seed=7)
    assert a.units.equals(b.units) and a.summary.equals(b.summary)
    summary = a.to_frame().set_index("group")
    assert list(a.summary.columns) == teaching.SIMULATION_SUMMARY_COLUMNS
    assert summary.loc["picked", "n"] == 40
    # No help at all: the weak units rise on average, the others fall back on average.
    assert summary.loc["picked", "mean_change"] > 0 and summary.loc["others", "mean_change"] < 0


def test_simulated_effect_separates_picked_from_same_start():
    # Averaged over seeds, picked ≈ same_start without help, and clearly above it with a real effect.
    gaps_null, gaps_effect = [], []
    for seed in range(20):
        for effect, gaps in ((0.0, gaps_null), (1.0, gaps_effect)):
            s = simulate_regression_to_mean(seed=seed, effect=effect).summary.set_index("group")
            gaps.append(s.loc["picked", "share_improved"] - s.loc["same_start", "share_improved"])
    assert abs(sum(gaps_null) / 20) < 0.06
    assert sum(gaps_effect) / 20 > 0.25


@pytest.mark.parametrize("kwargs, message", [
    ({"n_units": 5}, "'n_units' must be an integer ≥ 10"),
    ({"n_picked": 400}, "'n_picked' must be at most the"),
    ({"noise": -1.0}, "'noise' must be ≥ 0"),
    ({"effect": "big"}, "'effect' must be a finite number"),
])
def test_simulation_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        simulate_regression_to_mean(**kwargs)


# ---------------------------------------------------------------- the template


def test_published_template_is_read_as_an_empty_table():
    from helpers.paths import raw_path
    from helpers.published import read_published
    from helpers.published.reader import PUBLISHED_COLUMNS

    template = raw_path("published/template.csv")
    header = template.read_text(encoding="utf-8").splitlines()[0].split(",")
    assert header[:4] == ["source_id", "table_id", "year", "category"]
    table = read_published([template])
    assert len(table) == 0 and list(table.columns) == PUBLISHED_COLUMNS


# ---------------------------------------------------------------- the leak check of outputs


def _executed_lesson(*cells):
    """A small executed notebook: (source, outputs) pairs as papermill writes them."""
    nb = nbformat.v4.new_notebook()
    for source, outputs in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.outputs = outputs
        nb.cells.append(cell)
    return nb


def _result(mime, text):
    return nbformat.v4.new_output("execute_result", data={mime: text}, execution_count=1)


@pytest.mark.parametrize("shown, leaks", [
    # L3-E1 expects 0,125 (R: binom.test(4, 4)$p.value = 0.125), tolerance 0,001 (exercises.yaml).
    ("0,125", True), ("0.125", True), (".125", True), ("12,5%", True), ("12.5 %", True), ("1.25e-01", True),
    ("0,13", True),     # 0,125 rounded half-up to the 2 decimals shown
    ("0,1250", True),
    ("0,12", False),    # neither within 0,001 nor 0,125 rounded to 2 decimals
    ("0,1", False),     # one significant digit: not counted as a rounded answer
    ("1", False), ("125", False),
])
def test_shown_number_gives_away_a_proportion_in_every_form(shown, leaks):
    assert any(gives_away("L3-E1", n) for n in read_shown_number(shown)) is leaks


def test_shown_number_gives_away_percent_count_and_rounded_forms():
    # L1-E1: hand computation 100 · 34 / 62 = 54,8387 → 54,84 %, tolerance 0,005.
    assert any(gives_away("L1-E1", n) for n in read_shown_number("0,5484"))      # a proportion for a percentage
    assert any(gives_away("L1-E1", n) for n in read_shown_number("54,8%"))       # rounded to 1 decimal
    assert not any(gives_away("L1-E1", n) for n in read_shown_number("55"))      # a row number, no decimals
    assert not any(gives_away("L1-E1", n) for n in read_shown_number("54,85%"))  # the article's misprint
    # L1-E3: smallest base 495 (seed 000 / issue 3); a thousands dot is read too.
    assert any(gives_away("L1-E3", n) for n in read_shown_number("495"))
    assert [float(n.value) for n in read_shown_number("1.120")] == [1.12, 1120.0]
    # L3-E2: hand computation 0,8^7 + 0,2^7 = 0,2097152, tolerance 0,005.
    assert any(gives_away("L3-E2", n) for n in read_shown_number("0.20972800000000008"))
    assert any(gives_away("L3-E2", n) for n in read_shown_number("21,0%"))


def test_planted_leaks_are_all_listed_with_lesson_cell_exercise_and_value():
    stream = nbformat.v4.new_output("stream", name="stdout", text="p = 0,125\n")
    html = nbformat.v4.new_output("display_data", data={"text/html": "<table><td>12,5%</td></table>",
                                                        "text/plain": "12,5%"})
    nb = _executed_lesson(
        ("print(p)", [stream]),
        ("table", [html]),
        ("note", [_result("text/markdown", "gần 0,13")]),
        ("ok", [_result("text/plain", "N = 7; 0,1")]),
        ('check_answer("L3-E1", answer)', []),
        ("after", [_result("text/plain", "0,125")]),  # after the exercise: allowed
        ('check_answer("L6-E1", answer)', []),  # a text answer shown above: "p = 0,200" is not shown
    )
    problems = output_leaks(nb, "03-small-samples")
    assert [(p.column, p.value) for p in problems] == [("0", "0,125"), ("1", "12,5%"), ("2", "0,13")]
    assert problems[1].rule == "shows an accepted answer of L3-E1 before the exercise (text/html, text/plain)"
    message = str(InputError(handout_leaks(nb, "03-small-samples"), "the student version gives answers away"))
    assert "(3 found)" in message
    assert "03-small-samples, cell '0': value '0,125' — shows an accepted answer of L3-E1 before the exercise " \
           "(stream)" in message


def test_a_text_answer_shown_above_its_exercise_is_a_leak():
    # format_p_value(0.1997, 'vi') = "p = 0,200" (helpers.numbers), the answer of L6-E1.
    nb = _executed_lesson(("sentence", [_result("text/markdown", "Fisher: N = 121; p = 0,200 (chính xác)")]),
                          ('check_answer("L6-E1", answer)', []))
    assert [(p.column, p.value) for p in output_leaks(nb, "06")] == [("0", "p = 0,200")]


def test_a_missing_glyph_is_named_with_its_cell_and_font():
    nb = _executed_lesson(("x", [_result("text/markdown", "✅ Đúng rồi")]))
    fonts = project_fonts()
    problems = glyph_problems(nb, "01-reading-a-table", fonts)
    assert [(p.column, p.value) for p in problems] == [("0", "✅")]
    assert f"U+2705 (text/markdown) is not in the font(s) {', '.join(f for f, _ in fonts)}" in problems[0].rule
    # ✍ (U+270D) is in DejaVu Sans but not in Liberation Serif: every font must have it.
    assert [p.value for p in glyph_problems(_executed_lesson(("x", [_result("text/plain", "✍")])), "01",
                                            fonts)] == ["✍"]


def test_build_paths_are_rewritten_everywhere():
    build = "/x/reports/.build-teaching-student-1"
    nb = _executed_lesson((f'output_dir = "{build}"', [_result("text/plain", f"{build}/figures/a.png")]))
    nb.metadata["papermill"] = {"input_path": f"{build}/.sources/01.ipynb"}
    done = replace_paths(nb, {build: "reports/teaching/student", f"{build}/.sources": "notebooks/teaching"})
    assert done.cells[0].source == 'output_dir = "reports/teaching/student"'
    assert done.cells[0].outputs[0]["data"]["text/plain"] == "reports/teaching/student/figures/a.png"
    assert done.metadata["papermill"]["input_path"] == "notebooks/teaching/01.ipynb"


# ---------------------------------------------------------------- show: numbers the Vietnamese way


def test_show_writes_numbers_the_vietnamese_way_without_reprs():
    import numpy as np
    import pandas as pd

    # helpers.numbers.format_number: half-up, decimal comma, thousands dot (tested in test_numbers.py).
    assert repr(show(np.float64(0.20972800000000008), decimals=4)) == "0,2097"
    assert repr(show(np.float64(0.20972800000000008), "en", decimals=4)) == "0.2097"
    assert repr(show((0.9686260223388672, 0.6858081817626953), decimals=4)) == "0,9686; 0,6858"
    frame = pd.DataFrame({"test": ["dấu"], "p_min": [0.000036], "p_max": [0.627103], "n": [1120], "year": [2017]})
    shown = show(frame)
    assert "0,000036" in shown.text and "0,627" in shown.text and "1.120" in shown.text and "2017" in shown.text
    # Headers come from helpers.export.glossary.HEADERS (p_max → "p lớn nhất", year → "Năm").
    assert "0,627" in shown.html and "0.627" not in shown.html and "<th>p lớn nhất</th>" in shown.html
    assert "<th>Năm</th>" in shown.html and "p_max" not in shown.html
    assert "np.float64" not in repr(show(np.float64(0.5))) and "array(" not in repr(show(np.eye(2, dtype=int)))


def test_show_puts_every_word_of_a_table_into_the_glossary_words():
    import pandas as pd

    from helpers.export import glossary
    from helpers.teaching import localise

    # What lesson 3 displays: sign_test_table(...)[["test", "p_value", "note", "sentence_vi"]] (exact binomial
    # test of 4 up, 0 down: helpers.inference.paired.sign_test).
    frame = pd.DataFrame({"test": ["exact sign test"], "p_value": [0.125],
                          "note": ["4 improved, 0 worsened, 3 unchanged"], "sentence_vi": ["kiểm định dấu: p = 0,125"],
                          "schemes": [("half_up", "half_even")], "rating_common": ["top"]})
    shown = show(frame)
    for text in (shown.text, re.sub(r"<[^>]+>", " ", shown.html)):
        assert glossary.english_words_in(text) == [], text
    assert glossary.test_name("exact sign test", "vi") in shown.text and "4 tiến bộ, 0 giảm, 3 không đổi" in shown.text
    assert glossary.rounding_name("half_even", "vi") in shown.text and glossary.level_name("top", "vi") in shown.text
    assert [glossary.header(c, "vi") for c in ("test", "p_value", "note", "sentence")] == \
        list(localise(frame, "vi").columns[:4])
    # A pivot on a contrast (lesson 5): the axis takes the contrast's words, True/False columns read có/không.
    pivot = pd.DataFrame({"year": [2017, 2017], "good_or_better": pd.array([False, True], dtype="boolean"),
                          "count": [1, 61]}).pivot_table(index="year", columns="good_or_better", values="count")
    text = show(pivot).text
    assert glossary.contrast_name("good_or_better", "vi") in text and "có" in text and "True" not in text
    # English keeps the English words (the glossary's en column), never the keys.
    english = show(frame, "en").text
    assert "exact sign test" in english and "4 improved" in english and "p_value" not in english


def test_vietnamese_lesson_text_leaves_out_its_english():
    from helpers.teaching import in_language
    from helpers.teaching.versions import vietnamese_only

    text = ("## 1. Trường hợp tốt nhất\n*1. The best case*\n\nBài báo: *\"năm 2011: có 1/7 tổ chức\"*. Chạy kiểm định.  \n"
            "*Run the sign test yourself.*\n\n**Thời lượng / Duration:** khoảng 35 phút / about 35 minutes\n"
            "*Exercise 4.3 — does it go up (\"tăng\") or down (\"giảm\")?*")
    assert vietnamese_only(text) == ("## 1. Trường hợp tốt nhất\n\nBài báo: *\"năm 2011: có 1/7 tổ chức\"*. "
                                     "Chạy kiểm định.\n\n**Thời lượng:** khoảng 35 phút")
    nb = _executed_lesson(("x", []))
    nb.cells.insert(0, nbformat.v4.new_markdown_cell(text))
    assert in_language(nb, "vi").cells[0].source == vietnamese_only(text)
    assert nb.cells[0].source == text  # a copy: the source keeps both languages


def test_feedback_in_the_lesson_language_shows_only_that_language():
    feedback = check_answer("L3-E1", "0,125", "vi")
    assert feedback.correct and feedback._repr_markdown_() == "√ `L3-E1` **Đúng rồi!**"
    assert "Correct" not in str(feedback) and "Correct" not in repr(feedback)
    assert check_answer("L3-E1", "0,125", "en")._repr_markdown_() == "√ `L3-E1` **Correct!**"
    assert "*Correct!*" in check_answer("L3-E1", "0,125")._repr_markdown_()  # no language: both, as before
    with pytest.raises(ValueError):
        check_answer("L3-E1", "0,125", "fr")


# ---------------------------------------------------------------- real builds through the teach command


@pytest.fixture(scope="module")
def built(tmp_path_factory, kernel):
    """The real `python -m helpers teach` run on a scratch copy of the project (both versions, six lessons)."""
    return teach_in_copy(tmp_path_factory.mktemp("teach") / "project")


def _feedback_outputs(executed):
    found = {}
    for cell in executed.cells:
        match = re.search(r'check_answer\("([^"]+)"', cell.source) if cell.cell_type == "code" else None
        if match:
            results = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
            found[match.group(1)] = results[0]["data"]["text/markdown"] if results else ""
    return found


def _built(root, version, path):
    return _read(root / "reports" / "teaching" / version / path.name)


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_built_instructor_version_passes_every_solution(built, path):
    feedback = _feedback_outputs(_built(built, "instructor", path))
    assert set(feedback) == set(exercise_ids(_read(path)))
    for exercise_id, text in feedback.items():
        assert text.startswith(f"√ `{exercise_id}` **Đúng rồi!"), (exercise_id, text)
    if path.stem == "06-result-to-article":
        out_dir = built / "reports" / "teaching" / "instructor"
        assert (out_dir / "tables" / "descriptive.docx").exists()
        assert list((out_dir / "figures").glob("trang-dinh-xep-loai*.png"))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_built_student_version_leaves_exercises_unanswered_and_gives_nothing_away(built, path):
    student = _built(built, "student", path)
    feedback = _feedback_outputs(student)
    assert set(feedback) == set(exercise_ids(_read(path)))
    for exercise_id, text in feedback.items():
        assert text.startswith(f"► `{exercise_id}` **Chưa có câu trả lời"), (exercise_id, text)
    assert handout_leaks(student, path.stem) == []
    # The check reads outputs: the same lesson's instructor build shows answers before their check cells.
    instructor_leaks = output_leaks(_built(built, "instructor", path), path.stem)
    if path.stem != "06-result-to-article":  # lesson 6 has no numeric answer to compute before its checks
        assert instructor_leaks, path.stem


@pytest.mark.slow
@pytest.mark.parametrize("version", ["student", "instructor"])
def test_built_lessons_show_numbers_the_vietnamese_way(built, version):
    for path in LESSONS:
        executed = _built(built, version, path)
        for index, cell in enumerate(executed.cells):
            if "check_answer(" in cell.source:
                continue  # the feedback is bilingual by design (its English line uses a decimal point)
            for kind, text in output_texts(cell):
                assert "np.float64" not in text and "array(" not in text, (path.stem, index, text)
                for token in re.findall(r"(?<![\w.,])[0-9]+(?:[.,][0-9]+)+", text):
                    if "." in token:  # a dot only groups thousands: 1.120, 12.345,6
                        whole = token.split(",")[0].split(".")
                        assert 1 <= len(whole[0]) <= 3 and whole[0][0] != "0" and \
                            all(len(g) == 3 for g in whole[1:]), (path.stem, index, kind, token)


@pytest.mark.slow
def test_built_handouts_hold_no_build_path(built):
    import tempfile

    for file in sorted((built / "reports" / "teaching").rglob("*")):
        if file.suffix in (".ipynb", ".html", ".md"):
            text = file.read_text(encoding="utf-8")
            for path in (str(built), ".build-", tempfile.gettempdir() + "/", "/work/"):
                assert path not in text, (file.name, path)
    injected = [c for c in _built(built, "student", LESSONS[0]).cells if "injected-parameters" in c.metadata.get("tags", [])]
    output_dir = re.search(r'output_dir = "([^"]*)"', injected[0].source).group(1)
    assert output_dir in (".", "reports/teaching/student"), output_dir  # relative, whatever the runner passes


@pytest.mark.slow
@pytest.mark.parametrize("version", ["student", "instructor"])
def test_built_lessons_have_no_glyph_missing_from_the_project_font(built, version):
    from helpers.export.theme import FONT_PREFERENCE

    families = [family for family, _ in project_fonts()]
    assert families == [f for f in FONT_PREFERENCE if f in families] and "Liberation Serif" in families  # fonts-liberation2
    for path in LESSONS:
        assert glyph_problems(_built(built, version, path), path.stem) == [], path.stem


#: Issue 13's list of English words found in Vietnamese documents (configuration keys are found by their shape).
ISSUE_13_WORDS = ("pilots", "exact", "test", "regression", "good_or_better", "p_value", "error")


def _prose(markdown: str) -> str:
    """A markdown cell without its code (fenced blocks and `inline` spans: names a student types, not words)."""
    return re.sub(r"`[^`]*`", " ", re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL))


@pytest.mark.slow
@pytest.mark.parametrize("version", ["student", "instructor"])
def test_built_vietnamese_lessons_hold_no_english_word_and_no_configuration_key(built, version):
    from helpers.export.glossary import english_words_in

    found = []
    for path in LESSONS:
        executed = _built(built, version, path)
        assert any('language = "vi"' in c.source for c in executed.cells), path.stem  # the build is Vietnamese
        for index, cell in enumerate(executed.cells):
            texts = [("markdown", _prose(cell.source))] if cell.cell_type == "markdown" else output_texts(cell)
            for kind, text in texts:
                words = english_words_in(text, ISSUE_13_WORDS)
                if words:
                    found.append((path.stem, index, kind, words))
    assert found == []


@pytest.mark.slow
def test_teach_fails_listing_a_leak_planted_in_a_lesson(project):
    import shutil

    from helpers import paths

    for lesson in (project.root / "notebooks" / "teaching").glob("*.ipynb"):
        if not lesson.name.startswith("03-"):
            lesson.unlink()
    shutil.copytree(paths.DATA_RAW / "published", project.root / "data" / "raw" / "published")
    shutil.copy(paths.STUDIES / "binh-thuan-7.yaml", project.root / "studies")
    target = project.root / "notebooks" / "teaching" / "03-small-samples.ipynb"
    nb = _read(target)
    check = next(i for i, c in enumerate(nb.cells) if 'check_answer("L3-E1"' in c.source)
    nb.cells.insert(check, nbformat.v4.new_code_cell('sign_test_table(best)[["p_value"]]'))  # not tagged: a leak
    nbformat.write(nb, target)

    result = project.run("teach")
    assert result.returncode == 1, result.stdout + result.stderr
    said = result.stdout + result.stderr
    assert "'teaching/student' failed in notebook 03-small-samples.ipynb" in said
    assert "the student version of lesson 03-small-samples is not fit to hand out (1 found)" in said
    assert f"03-small-samples, cell '{check}': value '0.125' — shows an accepted answer of L3-E1 before the " \
           "exercise (text/html, text/plain)" in said
    assert not (project.root / "reports" / "teaching" / "student" / "03-small-samples.ipynb").exists()
    assert (project.root / "reports" / "teaching" / "student" / "failed" / "03-small-samples.ipynb").exists()


def test_injected_parameters_cell_gets_a_fixed_id_so_a_rebuild_is_identical():
    nb = _executed_lesson(("x", []), ('language = "vi"', []))
    nb.cells[1].metadata["tags"] = ["injected-parameters"]
    nb.cells[1]["id"] = "ff57e960"  # papermill's random id
    done = without_run_details(nb)
    assert done.cells[1]["id"] == "injected-parameters" and done.cells[0]["id"] != "injected-parameters"


@pytest.mark.slow
def test_rebuilding_the_lessons_gives_byte_identical_handouts(built):
    # Last of the module: it rebuilds the scratch project the fixture built.
    import os
    import subprocess
    import sys

    folder = built / "reports" / "teaching"
    first = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
             if p.is_file() and p.name != "manifest.json"}
    result = subprocess.run([sys.executable, "-m", "helpers", "teach", "--force"], capture_output=True, text=True,
                            env={**os.environ, "HELPERS_ROOT": str(built)}, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    second = {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
              if p.is_file() and p.name != "manifest.json"}
    assert sorted(first) == sorted(second) and len(first) >= 24  # 6 lessons × (ipynb + html) × 2 versions
    assert [name for name in first if first[name] != second[name]] == []
