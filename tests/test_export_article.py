"""article.docx as an editor receives it (helpers.export.article, .office, .sources): verdict first, prose,
Vietnamese throughout, tables that never break, rendered through LibreOffice where it is installed."""

from __future__ import annotations

import dataclasses
import json
from html import unescape
import re
import shutil
import subprocess
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.export import export_study
from helpers.export.article import read_verdict, results_paragraphs, verdict_paragraphs
from helpers.export.glossary import english_words_in
from helpers.export.office import join_numbers
from helpers.export.sources import check_sources, full_citation, short_citation
from helpers.inference.results import RESULT_COLUMNS
from helpers.study import load_study

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
#: English words that must never occur in a Vietnamese document (issue 13).
ISSUE_WORDS = ("pilots", "exact", "test", "regression", "good_or_better", "p_value", "error")


def _verdict() -> dict:
    """A small verdict.json in the schema of the verdicts issue (§5); the numbers are made up for the test."""
    return {
        "headline_vi": "Các đơn vị làm điểm không cải thiện hơn các đơn vị tương đương.",
        "headline_en": "The pilots did not improve more than comparable units.",
        "claims": [{
            "id": "bt56-change", "conclusion": "cannot_tell", "primary_test": "exact sign test",
            "p_value": 0.627, "effect": 0.29, "effect_name": "net_improvement", "ci_low": 0.14, "ci_high": 0.42,
            "n_pilots": 56, "n_comparison": 0,
            "sentence_vi": "56 tổ chức đảng làm điểm, 2011 → 2013: số liệu tổng hợp không đủ để kết luận.",
            "sentence_en": "56 pilot organisations, 2011 → 2013: the totals cannot tell.",
            "caveats": ["Không có đơn vị đối chứng (so sánh 'top_vs_rest' bị từ chối)",
                        {"vi": "Chưa tách được hồi quy về trung bình.", "en": "Regression to the mean is not ruled out."}]}],
    }


def _results() -> pd.DataFrame:
    rows = [
        {"question": "a", "test": "exact sign test, range over pairings (p_value = largest) [bt56-change]",
         "statistic": 1860.0, "df": 3.0, "p_value": 0.627, "effect": 0.29, "effect_name": "net_improvement",
         "ci_low": 0.14, "ci_high": 0.42, "n": 56,
         "sentence_vi": "56 tổ chức đảng làm điểm, 2011 → 2013: kiểm định dấu chính xác: p = 0,627; p_Holm = 0,627",
         "sentence_en": "56 pilot organisations, 2011 → 2013: exact sign test: p = .627"},
        {"question": "a", "test": "verdict: what the published totals support [bt56-change]",
         "sentence_vi": "56 tổ chức đảng làm điểm, 2011 → 2013: Số liệu tổng hợp không đủ để khẳng định.",
         "sentence_en": "56 pilot organisations, 2011 → 2013: The totals cannot tell."},
        {"question": "b", "test": "Fisher–Freeman–Halton exact, pilots vs rest of province (N = 1222) [bt56-vs-province]",
         "p_value": 0.00001, "effect": 0.31, "effect_name": "cliffs_delta", "ci_low": 0.19, "ci_high": 0.43,
         "n": 1222, "sentence_vi": "56 tổ chức làm điểm so với toàn tỉnh, 2013: kiểm định chính xác Fisher: p < 0,001",
         "sentence_en": "56 pilots vs the province, 2013: Fisher exact: p < .001"},
    ]
    return pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)


def _study(language="vi"):
    study = load_study("binh-thuan-56")
    return dataclasses.replace(study, language=language)


@pytest.fixture
def build(tmp_path) -> Path:
    _results().to_csv(tmp_path / "results.csv", index=False)
    return tmp_path


def _document_text(path: Path) -> str:
    document = docx.Document(path)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_article_opens_with_the_verdict_headline_and_one_paragraph_per_claim(build):
    (build / "verdict.json").write_text(json.dumps(_verdict(), ensure_ascii=False), encoding="utf-8")
    export_study(_study(), build)
    paragraphs = [p.text for p in docx.Document(build / "article.docx").paragraphs if p.text.strip()]
    assert paragraphs[1] == "1. Kết luận" and paragraphs[2] == _verdict()["headline_vi"]
    claim = paragraphs[3]
    # the lead is the analysis label of the study file; the caveat follows in words, no configuration key
    assert claim.startswith("56 tổ chức đảng làm điểm, 2011 → 2013. Số liệu tổng hợp không đủ")
    assert "mức cao nhất so với các mức còn lại" in claim and "top_vs_rest" not in claim
    assert claim.endswith("Chưa tách được hồi quy về trung bình.")  # a caveat given in both languages
    assert paragraphs.index("2. Phương pháp") > 3


def test_without_verdict_json_the_article_says_nothing_about_verdicts(build):
    export_study(_study(), build)
    text = _document_text(build / "article.docx")
    assert "Kết luận" not in text.split("2. Kết quả")[0]
    assert "1. Phương pháp" in text
    # one paragraph per analysis: the statement of what the totals support, not the battery
    assert "Số liệu tổng hợp không đủ để khẳng định." in text


def test_results_paragraphs_one_per_analysis_with_keys_in_words():
    paragraphs = results_paragraphs(_results(), "vi", {"bt56-change": "56 tổ chức đảng làm điểm, 2011 → 2013"})
    assert len(paragraphs) == 2
    assert paragraphs[0].lead == "56 tổ chức đảng làm điểm, 2011 → 2013"
    assert paragraphs[0].text == "Số liệu tổng hợp không đủ để khẳng định."
    assert "p (Holm)" not in paragraphs[1].text and english_words_in(paragraphs[1].text) == []


def test_read_verdict_lists_every_missing_field(tmp_path):
    (tmp_path / "verdict.json").write_text(json.dumps({"headline_vi": "x", "claims": [{"id": "a"}]}),
                                           encoding="utf-8")
    with pytest.raises(InputError) as error:
        read_verdict(tmp_path)
    message = str(error.value)
    assert "headline_en" in message and "conclusion" in message and "verdict.json" in message
    assert read_verdict(tmp_path / "nowhere") is None


def test_a_claim_that_repeats_the_headline_keeps_only_its_caveats():
    # Bình Thuận 56 (verdict.json): the one claim's sentence is its question followed by the headline.
    verdict = _verdict()
    claim = verdict["claims"][0]
    claim["sentence_vi"] = "Đơn vị làm điểm có tiến bộ hơn các đơn vị tương đương không? " + verdict["headline_vi"]
    headline, claims = verdict_paragraphs(verdict, "vi")
    assert headline == verdict["headline_vi"] and len(claims) == 1
    assert headline not in claims[0].text and "tiến bộ hơn các đơn vị tương đương không?" not in claims[0].text
    assert claims[0].text.startswith("Không có đơn vị đối chứng") and "Chưa tách được hồi quy" in claims[0].text
    # A claim saying more than the headline keeps its sentence.
    assert verdict_paragraphs(_verdict(), "vi")[1][0].text.startswith("56 tổ chức đảng làm điểm")


def test_a_cannot_tell_claim_is_led_by_its_question_never_by_a_statement_of_success():
    # A lead "Đơn vị làm điểm tiến bộ hơn đơn vị tương đương." above "cannot tell" would read as a finding.
    verdict = _verdict()
    verdict["claims"][0]["id"] = "pilots-improved-more"
    for language, question in (("vi", "Đơn vị làm điểm có tiến bộ hơn đơn vị tương đương không?"),
                               ("en", "Did the pilots improve more than comparable units?")):
        lead = verdict_paragraphs(verdict, language)[1][0].lead
        assert lead == question


def test_verdict_paragraphs_english_uses_english_sentences():
    headline, claims = verdict_paragraphs(_verdict(), "en")
    assert headline == "The pilots did not improve more than comparable units."
    assert claims[0].text.startswith("56 pilot organisations")


def test_docx_language_header_rows_and_no_file_names(build):
    export_study(_study(), build)
    document = docx.Document(build / "article.docx")
    styles = document.styles.element.xml
    assert 'w:val="vi-VN"' in styles and 'w:val="en-US"' not in styles
    for table in document.tables:
        if "graphic" in table.rows[0]._tr.xml:  # two figures side by side: a layout table, no header
            continue
        assert table.rows[0]._tr.find(f"{W}trPr/{W}tblHeader") is not None  # the header repeats on each page
    text = _document_text(build / "article.docx")
    assert ".csv" not in text and "Nguồn:" in text
    export_study(_study("en"), build)
    assert 'w:val="en-US"' in docx.Document(build / "article.docx").styles.element.xml


def test_vietnamese_article_has_no_english_word_or_configuration_key(build):
    export_study(_study(), build)
    text = _document_text(build / "article.docx")
    assert english_words_in(text) == []
    assert not [w for w in ISSUE_WORDS if re.search(rf"(?<![\w-]){w}(?![\w-])", text, re.IGNORECASE)]


def test_join_numbers_keeps_numbers_and_codes_on_one_line():
    nbsp = "\u00a0"
    assert join_numbers("δ của Cliff = 0,33 [0,21; 0,45]") == f"δ của Cliff{nbsp}={nbsp}0,33 [0,21;{nbsp}0,45]"
    assert join_numbers("< 0,001") == f"<{nbsp}0,001" and join_numbers("n = 500") == f"n{nbsp}={nbsp}500"
    assert join_numbers("td-2016") == "td\u20112016"


def test_sources_are_checked_and_cited():
    problems = check_sources([{"author": "A"}, {"title": "T", "year": 20, "url": "ftp://x", "doi": "1"}, "x"], "s.yaml")
    rules = " ".join(p.rule for p in problems)
    assert "needs a 'title'" in rules and "between 1930 and 2100" in rules and "http" in rules
    assert "unknown field" in rules and "must be a mapping" in rules
    source = {"author": "Vi Thị Tuyết", "title": "Đảng bộ huyện Tràng Định", "site": "Trường Chính trị", "year": 2019,
              "date": "06/09/2019"}
    assert short_citation(source) == "Vi Thị Tuyết (2019)"
    assert full_citation(source) == "Vi Thị Tuyết (2019). Đảng bộ huyện Tràng Định. Trường Chính trị, 06/09/2019."
    for name in ("binh-thuan-56", "binh-thuan-7", "trang-dinh", "published-check"):  # every bundled source is cited
        study = load_study(name)
        assert study.raw.get("sources") and check_sources(study.raw["sources"], name) == []


# ---------------------------------------------------------------- rendered through LibreOffice

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _render(docx_path: Path) -> Path:
    subprocess.run([SOFFICE, "--headless", f"-env:UserInstallation=file://{docx_path.parent}/lo-profile",
                    "--convert-to", "pdf", "--outdir", str(docx_path.parent), str(docx_path)],
                   check=True, capture_output=True, timeout=180)
    return docx_path.with_suffix(".pdf")


def _pdf_words(pdf: Path) -> list[str]:
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return [unescape(w).replace("\u2060", "") for w in re.findall(r"<word [^>]*>([^<]*)</word>", html)]


@pytest.mark.skipif(SOFFICE is None or shutil.which("pdftotext") is None,
                    reason="LibreOffice (soffice) or poppler (pdftotext) is not installed: the article is not "
                           "rendered here (CI installs both)")
def test_rendered_article_fits_its_pages_breaks_no_word_and_has_no_english(build):
    (build / "verdict.json").write_text(json.dumps(_verdict(), ensure_ascii=False), encoding="utf-8")
    export_study(_study(), build)
    pdf = _render(build / "article.docx")
    pages = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", pages)[1])
    assert 1 <= count <= 3  # a published-totals appendix fits in about 3 pages (issue 13)
    words = set(_pdf_words(pdf))
    document = docx.Document(build / "article.docx")
    broken = []
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for token in re.split(r"[\s\u00a0]+", cell.text.replace("\u2060", "")):
                    if token and token not in words:
                        broken.append(token)
    assert broken == [], f"table cell text wrapped inside a word: {broken[:10]}"
    text = " ".join(_pdf_words(pdf))
    assert english_words_in(text) == []
    assert not [w for w in ISSUE_WORDS if re.search(rf"(?<![\w-]){w}(?![\w-])", text, re.IGNORECASE)]
