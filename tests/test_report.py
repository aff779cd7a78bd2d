"""report.html: code hidden, summary first, data texts escaped."""

from __future__ import annotations

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
