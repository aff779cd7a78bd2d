"""Tables in six formats: escaping, formula injection, Vietnamese typography, reproducible files."""

from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pandas as pd
import pytest

from helpers.export import office, study_tables, tables
from helpers.export.tables import Column, ExportTable


def _table(language: str = "vi", label: str = "TSVM") -> ExportTable:
    data = pd.DataFrame({"label": [label, "=HYPERLINK(\"http://x\")", "-2+3", "@SUM(A1)", "HTNV"],
                         "count": pd.array([39, 12, 3, 2, None], dtype="Int64"),
                         "share": [69.64, 21.43, 5.36, -3.5, float("nan")],
                         "decimals": [2, 2, 2, 1, 1]})
    return ExportTable(stem="bang-1", caption="Phân bố xếp loại <b>", language=language,
                       columns=(Column("label", "Xếp loại"), Column("count", "Số lượng", "count"),
                                Column("share", "Tỷ lệ", "percent", "decimals")),
                       data=data, note="Nguồn: bài báo 000 & tính toán")


def test_display_uses_decimal_comma_in_vi_and_point_in_en():
    # Seed 000: "56 tổ chức đảng làm điểm đạt 69,64%".
    assert tables.to_markdown(_table("vi"), 1).count("69,64%") == 1
    md_en = tables.to_markdown(_table("en"), 1)
    assert "69.64%" in md_en and "69,64" not in md_en
    assert "−3,5%" in tables.to_markdown(_table("vi"), 1)  # a negative share with a true minus sign


def test_caption_number_by_language():
    assert tables.to_markdown(_table("vi"), 2).startswith("**Bảng 2.**")
    assert tables.to_markdown(_table("en"), 2).startswith("**Table 2.**")


@pytest.mark.parametrize("label", ["<script>alert(1)</script>", "a & b_c 50% {x} $y$ #1 ~ ^ \\"])
def test_html_latex_markdown_escape_labels(label):
    table = _table(label=label)
    html = tables.to_html(table, 1)
    assert "<script>" not in html and "&lt;script&gt;" in html if "<script>" in label else "&amp;" in html
    assert "<b>" not in html  # the caption is escaped too
    latex = tables.to_latex(table, 1)
    body = [line for line in latex.splitlines() if not line.startswith("%")]
    if "&" in label:
        assert r"a \& b\_c 50\% \{x\} \$y\$ \#1 \textasciitilde{} \textasciicircum{} \textbackslash{}" in latex
    assert all(line.count("&") - line.count(r"\&") in (0, 2) for line in body)  # only the 2 column separators
    assert "\\toprule" in latex and "\\midrule" in latex and "\\bottomrule" in latex
    markdown = tables.to_markdown(table, 1)
    assert "<script>" not in markdown


def test_csv_has_bom_and_neutralises_formulas_but_keeps_numbers():
    data = tables.to_csv_bytes(_table())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.splitlines()
    assert "'=HYPERLINK" in text and "'-2+3" in text and "'@SUM(A1)" in text
    assert lines[4].endswith(",-3.5")  # a negative number stays a number
    assert all(not cell.startswith(("=", "+", "@")) for line in lines for cell in line.split(","))


def test_xlsx_neutralises_text_and_keeps_negative_number_numeric():
    workbook = openpyxl.load_workbook(io.BytesIO(office.to_xlsx_bytes(_table(), 1)))
    sheet = workbook.active
    assert sheet["A1"].value == "Bảng 1. Phân bố xếp loại <b>"
    cells = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=1) for r in range(4, 9)}
    formula = cells["'=HYPERLINK(\"http://x\")"]
    assert formula.data_type == "s"
    assert cells["'-2+3"].data_type == "s" and cells["'@SUM(A1)"].data_type == "s"
    negative = sheet.cell(row=7, column=3)
    # a percentage is stored as its fraction and shown with a % format: -3,5 % is -0.035
    assert negative.value == pytest.approx(-0.035) and negative.data_type == "n"
    assert negative.number_format.endswith("%")
    count = sheet.cell(row=4, column=2)
    assert count.value == 39 and isinstance(count.value, int) and count.number_format == "0"
    assert {cell.font.name for row in sheet.iter_rows() for cell in row if cell.value is not None} == {
        "Times New Roman"}


def test_docx_times_new_roman_three_rules_caption_above_note_below():
    document = docx.Document(io.BytesIO(office.to_docx_bytes(_table(), 3)))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Bảng 3. Phân bố xếp loại <b>" and paragraphs[-1] == "Nguồn: bài báo 000 & tính toán"
    body = document.element.body
    assert [child.tag.rsplit("}", 1)[1] for child in body][:3] == ["p", "tbl", "p"]  # caption, table, note
    grid = document.tables[0]
    run = grid.cell(1, 0).paragraphs[0].runs[0]
    assert run.font.name == "Times New Roman" and run.font.size.pt == 11  # cells 11 pt under 13-pt body text
    assert document.styles["Normal"].font.size.pt == 13
    assert document.styles["Normal"].font.name == "Times New Roman"
    xml = grid._tbl.xml
    assert xml.count("<w:top ") == 3 and "<w:left " not in xml and "<w:insideV" not in xml
    assert grid.cell(1, 1).text == "39" and grid.cell(1, 2).text == "69,64%"


def test_every_format_is_byte_identical_on_rerun(tmp_path):
    first = tables.write_table(_table(), tmp_path / "a", 1)
    second = tables.write_table(_table(), tmp_path / "b", 1)
    assert [p.suffix for p in first] == [".docx", ".tex", ".md", ".html", ".xlsx", ".csv"]
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes(), a.name
    with zipfile.ZipFile(first[0]) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_export_table_names_missing_columns():
    with pytest.raises(ValueError, match=r"table 'x': data lacks the columns \['share'\]"):
        ExportTable(stem="x", caption="c", columns=(Column("share", "Tỷ lệ", "percent"),),
                    data=pd.DataFrame({"a": [1]}))


def test_column_refuses_unknown_kind():
    with pytest.raises(ValueError, match="'kind' must be one of"):
        Column("a", "A", "money")


def test_descriptive_table_blanks_repeated_group_and_year():
    distribution = pd.DataFrame({
        "group": ["pilots"] * 3, "year": [2011] * 3, "table_id": ["t"] * 3, "rating_code": ["HTNV", "HTTNV", "TSVM"],
        "rating_common": ["pass", "good", "top"], "count": pd.array([14, 12, 30], dtype="Int64"),
        "base": pd.array([56] * 3, dtype="Int64"), "percent": [25.0, 12 / 56 * 100, 30 / 56 * 100],
        "percent_printed": [""] * 3, "percent_decimals": pd.array([1] * 3, dtype="Int64"),
        "percent_source": ["computed"] * 3})
    shown = study_tables.descriptive_table(distribution, "vi").display()
    assert shown["Nhóm"].tolist() == ["Làm điểm", "", ""] and shown["Năm"].tolist() == ["2011", "", ""]
    # Seed 000: "Năm 2011: HTNV 14/56, HTTNV 12/56, đạt TSVM 30/56" → 25,0 %, 21,4 %, 53,6 % (hand computation).
    assert shown["% tính lại"].tolist() == ["25,0%", "21,4%", "53,6%"]
    assert shown["% công bố"].tolist() == ["–"] * 3
