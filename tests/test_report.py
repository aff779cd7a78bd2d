"""report.html: code hidden, summary first, data texts escaped."""

from __future__ import annotations

import re

import nbformat

from helpers.report import write_report
from helpers.study import load_study


def test_report_escapes_labels_and_hides_code(tmp_path):
    study_file = tmp_path / "s.yaml"
    study_file.write_text("title: {vi: 'Nghiên cứu <b>thử</b>', en: 'Trial'}\nnotebooks: [03-test-pilots]\n",
                          encoding="utf-8")
    study = load_study(study_file)
    (tmp_path / "results.csv").write_text(
        "question,test,sentence_vi,sentence_en\na,x,\"Nhãn <script>alert(1)</script> đạt p = 0,016\",\"y\"\n",
        encoding="utf-8")
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("secret_code_line = 1", outputs=[
        nbformat.v4.new_output("stream", name="stdout", text="visible output")])]
    nbformat.write(notebook, tmp_path / "03-test-pilots.ipynb")
    html = write_report(study, tmp_path, tmp_path / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    assert "Tóm tắt kết quả" in html and "p = 0,016" in html
    assert "visible output" in html and "secret_code_line" not in html
    assert html.index("Tóm tắt kết quả") < html.index("visible output")


def test_show_table_formats_numbers_per_language_and_escapes_labels():
    import pandas as pd

    from helpers.report import show_table

    frame = pd.DataFrame({"p": [0.0163, None], "label": ["<script>x", None],
                          "n": pd.array([1120, None], dtype="Int64")})
    vi = show_table(frame, "vi").to_html()
    assert ">0,016<" in vi and ">1.120<" in vi and "&lt;script&gt;x" in vi and "<script>x" not in vi
    assert vi.count(">–<") == 3 and "NaN" not in vi and "<NA>" not in vi
    assert ">.016<" in show_table(frame, "en").to_html()  # APA: no leading zero
    assert "Không có dữ liệu" in show_table(None, "vi").data


def test_show_table_headers_and_keys_in_words_counts_whole():
    import pandas as pd

    from helpers.report import show_table

    frame = pd.DataFrame({"effect_name": ["cliffs_delta"], "n": [40000.0], "df": [3.0], "p_value": [1.0],
                          "statistic": [1860.0], "severity": ["error"]})
    vi = show_table(frame, "vi").to_html()
    # issue 13: never "n = 40,000", "df = 3,000", "p = 1,000", "U = 1860,00"; headers from the glossary
    for shown in (">40.000<", ">3<", ">> 0,999<", ">1.860<", ">δ của Cliff<", ">lỗi<", ">p<"):
        assert shown in vi, shown
    assert "effect_name" not in vi and ">Cỡ hiệu ứng<" in vi and ">Bậc tự do<" in vi
    en = show_table(frame, "en").to_html()
    assert ">40,000<" in en and "Cliff" in en and "cliffs_delta" not in en


def test_summary_opens_with_the_verdict_headline_and_at_most_five_findings(tmp_path):
    import json

    from helpers.report import summary_markdown

    study_file = tmp_path / "s.yaml"
    study_file.write_text("title: {vi: 'Thử', en: 'Trial'}\n", encoding="utf-8")
    headline = "Dữ liệu này không cho biết đơn vị làm điểm có tiến bộ hơn hay không."
    verdict = {"headline_vi": headline, "headline_en": "These data cannot tell.",
               "claims": [{"id": "pilots-improved-more", "conclusion": "cannot_tell", "sentence_vi": headline,
                           "sentence_en": "These data cannot tell.",
                           "caveats": [{"vi": f"Lưu ý {i}.", "en": f"Caveat {i}."} for i in range(8)]}]}
    (tmp_path / "verdict.json").write_text(json.dumps(verdict, ensure_ascii=False), encoding="utf-8")
    text = summary_markdown(load_study(study_file), tmp_path)
    summary = text.split("## Tóm tắt kết quả", 1)[1]
    assert summary.strip().startswith(f"**{headline}**")
    assert summary.count(headline) == 1  # the one claim's sentence is the headline: said once
    assert summary.count("\n- ") == 5 and "Lưu ý 4." in summary and "Lưu ý 5." not in summary


def test_show_table_says_notes_rules_scales_and_codes_in_the_words_of_the_glossary():
    """Step 1's cleaning summary and log and step 3's test table as report.html shows them: every key (a rule,
    a scale id, a rating code, a refusal's English note) in words of the study's language, headers included."""
    import pandas as pd

    from helpers.cleaning.panel import SUMMARY_COLUMNS
    from helpers.cleaning.read import LOG_COLUMNS
    from helpers.export.glossary import english_words_in
    from helpers.inference.battery_inputs import _scale_problem
    from helpers.report import show_table

    note = _scale_problem("org-2008", "org-2018", {"contrast": "top_vs_rest"})  # what results.csv's note holds
    frame = pd.DataFrame({**{c: [1] for c in SUMMARY_COLUMNS}, **{c: ["x"] for c in LOG_COLUMNS},
                          "scale": ["org-2008"], "rating_code": ["TSVM_TB"], "rule": ["tone_marks+no_diacritics"],
                          "note": [note.text("en")]})
    html = show_table(frame, "vi").to_html()
    text = re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.DOTALL))
    assert english_words_in(text) == []
    for shown in ("TSVM tiêu biểu", "dấu thanh kiểu cũ/mới; viết không dấu", "Quy tắc", "Thang xếp loại",
                  "thang xếp loại tổ chức đảng trước năm 2018", "hai mức này không tương đương"):
        assert shown in text, shown
    english = show_table(frame, "en").to_html()
    assert "old/new tone marks; written without diacritics" in english and "they are not equivalent" in english
