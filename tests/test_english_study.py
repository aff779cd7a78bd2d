"""A study built in English shows its reader no Vietnamese beyond what its sources printed.

A real ``python -m helpers run`` of the bundled Tràng Định study (seed 004, published numbers only)
with ``language: en``, through the real notebooks and kernel. Every reader-facing output is read
back: ``article.docx``, ``report.html``, the executed notebooks (their text in English only), the
SVG figures and the Markdown tables. A Vietnamese word is told by a letter only Vietnamese writes
(the rating codes TSVM, HTTNV… have none); the one Vietnamese allowed is quoted verbatim from the
sources: the printed tables under ``data/raw/published`` and the cited article (author, title, site).
"""

from __future__ import annotations

import re
import shutil

import pytest

from _study_texts import reader_texts, source_texts, without_quotes
from helpers import paths
from helpers.teaching.bilingual import VIETNAMESE_LETTERS

STUDY = "trang-dinh"


def _vietnamese_words(text: str) -> list[str]:
    return list(dict.fromkeys(w for w in re.findall(r"[\w-]+", text) if any(c in VIETNAMESE_LETTERS for c in w)))


def test_categories_of_whole_table_findings_are_in_words_and_printed_ones_as_printed():
    from helpers.export.glossary import category_name
    from helpers.published.cell import BASE_CATEGORY, SUM_CATEGORY

    assert category_name(SUM_CATEGORY, "en") == "(sum of the percentages)"
    assert category_name(BASE_CATEGORY, "en") == "(denominator)"
    assert category_name(SUM_CATEGORY, "vi") == SUM_CATEGORY  # findings.csv and the Vietnamese outputs unchanged
    assert category_name("hoàn thành nhiệm vụ", "en") == "hoàn thành nhiệm vụ"  # the source's label, as printed


@pytest.mark.slow
def test_english_study_outputs_hold_no_vietnamese_beyond_quoted_sources(project):
    body = (paths.STUDIES / f"{STUDY}.yaml").read_text(encoding="utf-8")
    assert "\nlanguage: vi\n" in body
    project.study(STUDY, body.replace("\nlanguage: vi\n", "\nlanguage: en\n"))
    shutil.copytree(paths.DATA_RAW / "published", project.root / "data" / "raw" / "published")
    result = project.run("run", STUDY)
    assert result.returncode == 0, result.stdout + result.stderr

    texts = reader_texts(project.root / "reports" / STUDY)
    assert {"article.docx", "report.html", "01-clean.ipynb"} <= set(texts) and any(n.endswith(".svg") for n in texts)
    # The build is English: its own words are there, the Vietnamese of the bilingual notebooks is not.
    assert "Table 1." in texts["article.docx"] and "Bảng" not in texts["article.docx"]
    assert "Step 1. Cleaning the rating data" in texts["report.html"] and "Bước 1" not in texts["report.html"]
    # A finding about a whole table has a category of the checks' own, said in English.
    assert "(sum of the percentages)" in texts["report.html"] and "(denominator)" in texts["report.html"]
    quotes = source_texts(project.root, STUDY)
    found, quoted = {}, 0
    for name, text in texts.items():
        rest = without_quotes(text, quotes)
        if _vietnamese_words(rest):
            found[name] = _vietnamese_words(rest)[:20]
        quoted += bool(_vietnamese_words(text))
    assert found == {}
    assert quoted > 0  # the article and the report do quote the source: the check above removed something
