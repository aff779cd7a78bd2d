"""A study or lesson built in Vietnamese shows its reader none of the English of its bilingual notebooks.

The notebooks write each heading, paragraph and code comment in Vietnamese, then in English (in italics,
or after `` / ``); a Vietnamese build keeps the Vietnamese only (``helpers.teaching.in_language``, run by
the runner on every notebook it executes). This is the mirror of tests/test_english_study.py: a real
``python -m helpers run`` of the bundled Tràng Định study (seed 004, ``language: vi``) through the real
notebooks and kernel, whose reader-facing outputs (``report.html``, the executed notebooks, ``article.docx``,
the SVG figures and Markdown tables) are read back, and ``report.html`` as a whole holds no English word and no
configuration key (:func:`helpers.export.glossary.english_words_in`, plus the study file's own analysis ids)
beyond what it quotes verbatim from its sources (tests/_study_texts.py). For the lessons, tests/test_teaching.py
reads the built handouts' text and outputs; the lessons' code comments are checked here.
"""

from __future__ import annotations

import re
import shutil

import nbformat
import pytest

from _study_texts import code_comments, html_text, reader_texts, source_texts, without_quotes
from helpers import paths
from helpers.export.glossary import english_words_in
from helpers.study import load_study
from helpers.teaching import in_language, lesson_paths
from helpers.teaching.bilingual import code_in_language, english_only, is_vietnamese, vietnamese_only

STUDY = "trang-dinh"


def _letters(text: str) -> str:
    """Only the letters and digits, lower-cased: a sentence found whatever markup or spacing surrounds it."""
    return re.sub(r"[\W_]+", "", text).casefold()


def _english_lines(notebook) -> list[str]:
    """The English a bilingual notebook writes beside its Vietnamese: each line of its markdown in English
    that its Vietnamese text does not hold (three words or more), the English of each ``# Vietnamese / English``
    comment, and each code line written for English only (``answer = "up"  # en``)."""
    lines = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            vietnamese = _letters(vietnamese_only(cell.source))
            lines += [line.strip() for line in english_only(cell.source).splitlines()
                      if not is_vietnamese(line) and _letters(line) not in vietnamese
                      and len(re.findall(r"[A-Za-z]+", line)) >= 3]
        elif cell.cell_type == "code":
            vietnamese = set(code_in_language(cell.source, "vi").splitlines())
            lines += [(line.split("#", 1)[1] if "#" in line else line).strip()
                      for line in code_in_language(cell.source, "en").splitlines() if line not in vietnamese]
    return lines


def _found(english: list[str], text: str) -> list[str]:
    letters = _letters(text)
    return [line for line in english if _letters(line) in letters]


def _prose(markdown: str) -> str:
    """A markdown cell without its code (fenced blocks and `inline` spans: names a reader types, not words)."""
    return re.sub(r"`[^`]*`", " ", re.sub(r"```.*?```", " ", markdown, flags=re.DOTALL))


@pytest.mark.parametrize("path", lesson_paths(), ids=lambda p: p.stem)
def test_vietnamese_lesson_keeps_none_of_its_english(path):
    notebook = nbformat.read(path, as_version=4)
    english = _english_lines(notebook)
    comments = [line for line in english if any(line in c.source for c in notebook.cells if c.cell_type == "code")]
    assert comments, path.stem  # every lesson has "# ← gõ câu trả lời … / type your answer …" comments
    if path.stem.startswith("04-"):  # exercise 4.3's solution answers in the lesson's language
        assert 'answer = "up"' in english
    shown = in_language(notebook, "vi")
    assert _found(english, "\n".join(c.source for c in shown.cells)) == []
    assert "gõ câu trả lời" in "\n".join(c.source for c in shown.cells)  # the Vietnamese stays


def _built_in_vietnamese(project, study: str):
    """A real run of a bundled Vietnamese study (with the printed tables it cites) in the scratch project."""
    body = (paths.STUDIES / f"{study}.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: vi\n" in body
    project.study(study, body)
    shutil.copytree(paths.DATA_RAW / "published", project.root / "data" / "raw" / "published")
    result = project.run("run", study)
    assert result.returncode == 0, result.stdout + result.stderr
    return project.root / "reports" / study


@pytest.mark.slow
def test_vietnamese_study_outputs_hold_none_of_the_notebooks_english(project):
    folder = _built_in_vietnamese(project, STUDY)
    texts = reader_texts(folder)
    notebooks = load_study(STUDY).notebooks
    assert {"article.docx", "report.html", *(f"{n}.ipynb" for n in notebooks)} <= set(texts)
    english = [line for name in notebooks
               for line in _english_lines(nbformat.read(paths.NOTEBOOKS / f"{name}.ipynb", as_version=4))]
    assert any("Step 1. Cleaning the rating data" in line for line in english)  # what is looked for: the English
    assert any("a study file name" in line for line in english)                # of the text and of the comments
    assert "Bước 1. Làm sạch dữ liệu xếp loại" in texts["report.html"]          # their Vietnamese is shown
    found = {name: _found(english, text) for name, text in texts.items()}
    assert {name: lines for name, lines in found.items() if lines} == {}
    # The whole report, as its reader reads it: the words of the glossary only (the tests' notes, the result
    # sentences, the rating codes by their short labels), no English word, no key, no file name; the one
    # allowance is text quoted verbatim from the sources (the printed tables, the cited article).
    report = without_quotes(texts["report.html"], source_texts(project.root, STUDY))
    assert english_words_in(report) == []
    shown = texts["report.html"]
    assert "TSVM tiêu biểu" in shown and "p (Holm) = 0,200" in shown  # said in words, not left out
    assert "hai năm dùng hai thang xếp loại khác nhau" in shown       # the refused test's note, in Vietnamese
    ids = [a["id"] for a in load_study(STUDY).raw["analyses"]]
    assert [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", report)] == []
    # What the executed notebooks write themselves: no English word, no configuration key (papermill's own
    # "# Parameters" comment of the cell it adds is left out; the outputs come from the glossary).
    for name in notebooks:
        executed = nbformat.read(folder / f"{name}.ipynb", as_version=4)
        own = [_prose(c.source) for c in executed.cells if c.cell_type == "markdown"] + code_comments(executed, False)
        assert english_words_in("\n".join(own)) == [], name


@pytest.mark.slow
def test_vietnamese_tests_notes_are_in_words(project):
    """binh-thuan-56 (seed 000, ``language: vi``; published totals only): its report's table of tests shows each
    note of results.csv (written in English there) in Vietnamese — the p ranges over pairings, the verdict row,
    the statement on regression to the mean — and holds no English word or key at all."""
    study = "binh-thuan-56"
    folder = _built_in_vietnamese(project, study)
    notes = set((folder / "results.csv").read_text(encoding="utf-8").split("\n"))
    assert any("p ranges" in line and "at p_min" in line for line in notes)  # results.csv keeps its English notes
    shown = html_text(folder / "report.html")
    report = without_quotes(shown, source_texts(project.root, study))
    assert english_words_in(report) == []
    ids = [a["id"] for a in load_study(study).raw["analyses"]]
    assert [i for i in ids if re.search(rf"(?<![\w-]){re.escape(i)}(?![\w-])", report)] == []
    for words in ("bảng ghép cặp cho p nhỏ nhất", "xem các dòng khoảng p ở trên", "không thể tách tác động của làm điểm",
                  "Dữ liệu này không cho biết đơn vị làm điểm có tiến bộ hơn"):
        assert words in shown, words
