"""English lessons hold no Vietnamese: the English of a bilingual lesson, and a real English build of the lessons.

The Vietnamese side is proved by ``test_teaching.py``
(``test_built_vietnamese_lessons_hold_no_english_word_and_no_configuration_key``); this is its mirror.
A Vietnamese word is told by a letter only Vietnamese writes (``ả``, ``ư``, ``đ``…): every Vietnamese
sentence of the lessons has some, while the rating codes a lesson defines (TSVM, HTTNV, HTNV, HTXSNV)
have none. The one Vietnamese an English handout may show is what the sources printed, verbatim (a
category, a number as printed, a place, a quote of the published tables under ``data/raw/published``):
the evidence a lesson checks is never translated.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from helpers.teaching import in_language, lesson_paths
from helpers.teaching.bilingual import VIETNAMESE_LETTERS, comments_in_language, english_only, vietnamese_only
from helpers.teaching.leaks import output_texts

from _study_texts import longest_first, printed_texts, without_quotes
from conftest import teach_in_copy

LESSONS = lesson_paths()
LESSON_IDS = [p.stem for p in LESSONS]
#: Text columns of a published table (data/raw/published/*.csv): what the source printed, quoted verbatim.


def _vietnamese_words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in re.findall(r"[\w-]+", text) if any(c in VIETNAMESE_LETTERS for c in w)))


def _comments(code: str) -> str:
    return "\n".join(line.split("#", 1)[1] for line in code.splitlines() if "#" in line)


def test_english_only_keeps_the_english_in_place_of_the_vietnamese():
    text = ("# Bài 1. Đọc bảng\n*Lesson 1. Reading a table*\n\n"
            "**Thời lượng / Duration:** khoảng 40 phút / about 40 minutes\n\n"
            "**Mục tiêu / Learning goals** — sau bài này, học viên có thể / after this lesson you can:\n"
            "- đọc một bảng xếp loại;  \n  *read a rating table;*\n\n"
            "**Cách làm bài / How to work:** chạy từng ô. Thay `None` bằng câu trả\nlời của bạn.\n"
            "*Run the cells in order. Replace `None`\nwith your answer.*\n\n"
            "Ta xếp các mức: yếu kém < HTNV <\nHTTNV < TSVM.\n\n*Levels are ordered fail < pass < good < top.*\n\n"
            "Bài báo: *\"năm 2011: có 1/7 tổ chức\"*. Tỉ lệ = số lượng ÷ tổng số. *Share = count ÷ total.*\n\n"
            "### ► Bài tập 1.1 — Tỉ lệ đúng là bao nhiêu %?\n*Exercise 1.1 — What is the right percentage?*")
    # Written by hand: each Vietnamese heading, label, bullet and paragraph gives way to its English.
    assert english_only(text) == (
        "# Lesson 1. Reading a table\n\n"
        "**Duration:** about 40 minutes\n\n"
        "**Learning goals** — after this lesson you can:\n"
        "- read a rating table;\n\n"
        "**How to work:** Run the cells in order. Replace `None`\nwith your answer.\n\n"
        "Levels are ordered fail < pass < good < top.\n\n"
        "Share = count ÷ total.\n\n"
        "### ► Exercise 1.1 — What is the right percentage?")
    assert _vietnamese_words(english_only(text)) == []
    assert _vietnamese_words(vietnamese_only(text)) and "Duration" not in vietnamese_only(text)  # the other side


def test_code_comments_keep_one_language_and_code_is_untouched():
    code = ("# Tự tính: bỏ dấu # ở đầu dòng dưới rồi chạy ô này / Compute it: remove the # below and run this cell\n"
            "# show(recover_bases(list(province[\"percent_printed\"]), max_base=3000)[:5], run.language)\n"
            "answer = None  # ← gõ câu trả lời thay cho None / type your answer instead of None")
    assert comments_in_language(code, "en") == (
        "# Compute it: remove the # below and run this cell\n"
        "# show(recover_bases(list(province[\"percent_printed\"]), max_base=3000)[:5], run.language)\n"
        "answer = None  # ← type your answer instead of None")
    assert comments_in_language(code, "vi").splitlines()[2] == "answer = None  # ← gõ câu trả lời thay cho None"
    assert comments_in_language("x = 1 / 2  # n / N", "en") == "x = 1 / 2  # n / N"  # no Vietnamese: not a pair


@pytest.mark.parametrize("path", LESSONS, ids=LESSON_IDS)
def test_english_lesson_text_holds_no_vietnamese_word(path):
    source = nbformat.read(path, as_version=4)
    english = in_language(source, "en")
    found = []
    for index, cell in enumerate(english.cells):
        text = cell.source  # markdown, or code: its comments and its strings (a solution's text answer)
        if _vietnamese_words(text):
            found.append((index, _vietnamese_words(text)))
    assert found == []
    # Nothing is lost: every cell is still there, and the English headings keep their marks.
    assert len(english.cells) == len(source.cells)
    assert [c.source.split(" ")[0] for c in english.cells if c.cell_type == "markdown" and c.source.startswith("#")] \
        == [c.source.split(" ")[0] for c in source.cells if c.cell_type == "markdown" and c.source.startswith("#")]


# ---------------------------------------------------------------- a real English build through the teach command


@pytest.fixture(scope="module")
def built_english(tmp_path_factory, kernel):
    """The real `python -m helpers teach --language en` run on a scratch copy of the project."""
    return teach_in_copy(tmp_path_factory.mktemp("teach-en") / "project", "--language", "en")


@pytest.mark.slow
@pytest.mark.parametrize("version", ["student", "instructor"])
def test_built_english_lessons_hold_no_vietnamese_beyond_quoted_sources(built_english, version):
    quotes = longest_first(printed_texts(built_english))
    assert any(_vietnamese_words(q) for q in quotes)  # the sources are Vietnamese: the allowance is not empty
    found, quoted = [], 0
    for path in LESSONS:
        executed = nbformat.read(built_english / "reports" / "teaching" / version / path.name, as_version=4)
        assert any('language = "en"' in c.source for c in executed.cells), path.stem  # the build is English
        for index, cell in enumerate(executed.cells):
            if cell.cell_type == "markdown":
                texts = [("markdown", cell.source)]
            else:
                texts = [("comment", _comments(cell.source))] + output_texts(cell)
            for kind, text in texts:
                words = _vietnamese_words(without_quotes(text, quotes))
                if words:
                    found.append((path.stem, index, kind, words))
                quoted += bool(_vietnamese_words(text))
            if "check_answer(" in cell.source:  # the feedback is in English only
                shown = " ".join(t for _, t in output_texts(cell))
                assert ("No answer yet" if version == "student" else "Correct!") in shown, (path.stem, index, shown)
    assert found == []
    assert quoted > 0  # lessons 1 and 4 do show the sources' own words (the check above had something to remove)
