"""Reading articles: .docx, .pdf, .html, .md into text, and the bad files (scanned PDF, encrypted PDF, a DOCX that is
really another format). Every file is made here with the real library (python-docx, matplotlib's PDF backend,
pypdf), nothing is mocked."""

from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest
from matplotlib.backends.backend_pdf import PdfPages
import matplotlib.pyplot as plt

from helpers.published.extract import DocumentError, extract_article, read_document

# Seed 004 (Tràng Định), 2018: the sentence the checker finds nothing wrong with.
SENTENCE = ("Năm 2018, tổng số tổ chức cơ sở đảng được đánh giá là 59; tổ chức cơ sở đảng hoàn thành xuất sắc "
            "nhiệm vụ là 05 đơn vị (chiếm 8,5%); tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ là 50 đơn vị "
            "(chiếm 84,7%); tổ chức cơ sở đảng hoàn thành nhiệm vụ là 04 đơn vị (chiếm 6,8%).")
EXPECTED = [("59", ""), ("05", "8,5%"), ("50", "84,7%"), ("04", "6,8%")]


def _numbers(draft):
    return [(r["count"], r["percent"]) for _, r in draft.rows.iterrows()]


def write_pdf(path, lines_per_page, pages=1):
    with PdfPages(path) as pdf:
        for _ in range(pages):
            fig = plt.figure(figsize=(8.27, 11.69))
            for i, line in enumerate(lines_per_page):
                fig.text(0.05, 0.95 - i * 0.03, line, fontsize=9, family="DejaVu Sans")
            pdf.savefig(fig)
            plt.close(fig)


def test_docx_paragraphs_and_tables(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Kết quả đánh giá tổ chức cơ sở đảng huyện Tràng Định")
    document.add_paragraph(SENTENCE)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Mức", "Số"
    table.cell(1, 0).text, table.cell(1, 1).text = "HTXSNV", "05"
    path = tmp_path / "bai.docx"
    document.save(path)
    read = read_document(path)
    assert read.kind == "docx" and SENTENCE in read.text
    assert "HTXSNV\t05" in read.text          # a table row is one line, cells separated by tabs
    draft = extract_article(path)
    assert _numbers(draft)[:4] == EXPECTED
    assert set(draft.rows.source_id) == {"bai"}


def test_pdf_text_layer(tmp_path):
    path = tmp_path / "bai.pdf"
    half = len(SENTENCE) // 2
    cut = SENTENCE.rfind(" ", 0, half)
    write_pdf(path, [SENTENCE[:cut], SENTENCE[cut + 1:]])
    draft = extract_article(path)
    assert draft.document.kind == "pdf"
    assert _numbers(draft) == EXPECTED


def test_scanned_pdf_says_ocr_first(tmp_path):
    path = tmp_path / "scan.pdf"
    with PdfPages(path) as pdf:
        fig = plt.figure(figsize=(4, 4))
        fig.figimage([[0.0, 1.0], [1.0, 0.0]] * 50, cmap="gray")
        pdf.savefig(fig)
        plt.close(fig)
    with pytest.raises(DocumentError, match="no text layer: OCR it first"):
        read_document(path)


def test_encrypted_pdf_is_named(tmp_path):
    from pypdf import PdfReader, PdfWriter

    plain = tmp_path / "plain.pdf"
    write_pdf(plain, [SENTENCE[:60]])
    writer = PdfWriter()
    for page in PdfReader(plain).pages:
        writer.add_page(page)
    writer.encrypt("mật-khẩu", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    with open(locked, "wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError, match="the PDF is encrypted") as error:
        read_document(locked)
    assert "locked.pdf" in str(error.value)


@pytest.mark.parametrize("content, found", [
    (b"%PDF-1.7\n%binary", "PDF"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old word", "old Word (.doc) or Excel (.xls)"),
    (b"<html><body>bai bao</body></html>", "HTML"),
])
def test_docx_that_is_another_format(tmp_path, content, found):
    path = tmp_path / "bai.docx"
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=re.escape(f"not a DOCX file (it is really {found}")):
        read_document(path)


def test_zip_that_is_not_a_word_document(tmp_path):
    import zipfile

    path = tmp_path / "bai.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(DocumentError, match="a ZIP archive without a Word document"):
        read_document(path)


def test_html_main_text_only(tmp_path):
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>Tin</title>
    <script>var x = "50 đơn vị hoàn thành tốt nhiệm vụ";</script><style>p {{color: red}}</style></head>
    <body><nav>Trang chủ | 12 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ</nav>
    <article><h1>Kết quả đánh giá</h1><p>{SENTENCE.replace('(', '&#40;')}</p></article>
    <aside>Tin khác: 3 tổ chức cơ sở đảng yếu kém</aside><footer>© 2019</footer></body></html>"""
    path = tmp_path / "bai.html"
    path.write_text(page, encoding="utf-8")
    read = read_document(path)
    assert SENTENCE in read.text
    assert "var x" not in read.text and "Trang chủ" not in read.text and "Tin khác" not in read.text
    assert _numbers(extract_article(path)) == EXPECTED


def test_markdown_and_legacy_text(tmp_path):
    from helpers.cleaning.legacy import unicode_to_tcvn3

    path = tmp_path / "bai.md"
    path.write_text(f"# Tràng Định\n\n{SENTENCE}\n", encoding="utf-8")
    assert _numbers(extract_article(path)) == EXPECTED
    legacy = tmp_path / "cu.txt"                 # TCVN3 (ABC) text saved from an old .VnTime document
    legacy.write_text(unicode_to_tcvn3(SENTENCE), encoding="utf-8")
    read = read_document(legacy)
    assert read.legacy_encoding == "tcvn3" and SENTENCE in read.text
    assert _numbers(extract_article(legacy)) == EXPECTED


def test_unsupported_and_missing_files(tmp_path):
    odd = tmp_path / "bai.odt"
    odd.write_bytes(b"x")
    with pytest.raises(DocumentError, match="unsupported file type '.odt'"):
        read_document(odd)
    with pytest.raises(DocumentError, match="the file does not exist"):
        read_document(tmp_path / "none.pdf")


def test_docx_table_with_levels_as_column_headers(tmp_path):
    import docx

    # seed 004's 2018 figures laid out as a Word table (levels across, years down), as lecturers type them
    document = docx.Document()
    document.add_paragraph("Bảng 1. Kết quả xếp loại tổ chức cơ sở đảng huyện Tràng Định")
    cells = [["Năm", "Tổng số", "HTXSNV", "HTTNV", "HTNV", "KHTNV"],
             ["2018", "59", "05 (8,5%)", "50 (84,7%)", "04 (6,8%)", "không có"]]
    table = document.add_table(rows=2, cols=6)
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "bang.docx"
    document.save(path)
    rows = extract_article(path).rows
    assert list(zip(rows.category, rows["count"], rows.percent)) == [
        ("tổng số tổ chức cơ sở đảng", "59", ""), ("HTXSNV", "05", "8,5%"), ("HTTNV", "50", "84,7%"),
        ("HTNV", "04", "6,8%"), ("KHTNV", "không có", "")]
    assert set(rows.year) == {"2018"} and set(rows.level) == {"tổ chức cơ sở đảng"} and rows.table_id.nunique() == 1
