"""Teaching lessons: answer checking, the student/instructor split, the simulation, and real lesson runs."""

from __future__ import annotations

import re
from fractions import Fraction

import nbformat
import pytest

from helpers import teaching
from helpers.teaching.versions import _numeric_tokens
from helpers.teaching import (Feedback, check_answer, exercise_ids, expected_answer, instructor_version,
                              lesson_paths, parse_number, simulate_regression_to_mean, student_leaks,
                              student_version)

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
    assert text.startswith("✅ `L3-E1` **Đúng rồi!**") and "*Correct!*" in text


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


# ---------------------------------------------------------------- real runs through papermill


def _feedback_outputs(executed):
    found = {}
    for cell in executed.cells:
        match = re.search(r'check_answer\("([^"]+)"', cell.source) if cell.cell_type == "code" else None
        if match:
            results = [o for o in cell.outputs if o.get("output_type") == "execute_result"]
            found[match.group(1)] = results[0]["data"]["text/markdown"] if results else ""
    return found


def _execute(nb, tmp_path, name, kernel):
    import papermill

    source = tmp_path / f"{name}-in.ipynb"
    target = tmp_path / f"{name}.ipynb"
    nbformat.write(nb, source)
    out_dir = tmp_path / f"{name}-out"
    papermill.execute_notebook(str(source), str(target), kernel_name=kernel, progress_bar=False,
                               parameters={"output_dir": str(out_dir)}, cwd=str(tmp_path))
    return _read(target), out_dir


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_instructor_version_runs_and_every_solution_passes(path, tmp_path, kernel):
    executed, out_dir = _execute(instructor_version(_read(path)), tmp_path, "instructor", kernel)
    feedback = _feedback_outputs(executed)
    assert set(feedback) == set(exercise_ids(_read(path)))
    for exercise_id, text in feedback.items():
        assert text.startswith(f"✅ `{exercise_id}` **Đúng rồi!"), (exercise_id, text)
    if path.stem == "06-result-to-article":
        assert (out_dir / "tables" / "descriptive.docx").exists()
        assert list((out_dir / "figures").glob("trang-dinh-xep-loai*.png"))


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_student_version_runs_with_exercises_unanswered(path, tmp_path, kernel):
    executed, _ = _execute(student_version(_read(path)), tmp_path, "student", kernel)
    feedback = _feedback_outputs(executed)
    assert set(feedback) == set(exercise_ids(_read(path)))
    for exercise_id, text in feedback.items():
        assert text.startswith(f"✍️ `{exercise_id}` **Chưa có câu trả lời"), (exercise_id, text)
