"""The article appendix (``article.docx``): methods, result sentences, tables and figures with captions.

Written in the study's language for pasting into a manuscript: Times New Roman 13 pt
on A4; tables with "Bảng N." above and their source note below; figures with
"Hình N." below (the journal convention); the result sentences come from the
results table (``sentence_vi`` / ``sentence_en``), never rewritten here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.export.office import _paragraph, add_table, normalise_ooxml, setup_document
from helpers.export.tables import ExportTable
from helpers.export.theme import DOUBLE_COLUMN_CM, text
from helpers.numbers import check_language, format_count

#: Page: A4 with 2 cm margins, so a double-column figure (17,5 cm) is scaled to the 17 cm text width.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM, MARGIN_CM = 21.0, 29.7, 2.0


@dataclass(frozen=True)
class ArticleFigure:
    """A figure for the article: the PNG to insert, its caption (without number) and width in cm."""

    png: Path
    caption: str
    width_cm: float = DOUBLE_COLUMN_CM


def methods_paragraph(language: str, *, published_sources: int = 0, published_rows: int = 0,
                      panel_units: int = 0, panel_years: tuple[int, ...] = (), tests: tuple[str, ...] = (),
                      findings: int = 0) -> str:
    """A methods paragraph saying what was done, built only from what the study actually has.

    Parameters
    ----------
    language : {'vi', 'en'}
    published_sources, published_rows : int
        Number of source articles and of printed numbers transcribed.
    panel_units : int
        Units in the unit-level panel (0: none).
    panel_years : tuple of int
    tests : tuple of str
        Names of the statistical tests run.
    findings : int
        Number of inconsistencies found in the published numbers.
    """
    check_language(language)
    vi = language == "vi"
    parts = []
    if published_rows:
        parts.append(
            f"Số liệu công bố được nhập nguyên văn từ {format_count(published_sources, language)} bài báo "
            f"({format_count(published_rows, language)} con số, mỗi số kèm trích dẫn); tổng số, số lượng và tỷ lệ "
            "phần trăm được kiểm tra lại bằng số học chính xác (phân số), chấp nhận cả cách làm tròn và cắt bớt "
            "chữ số; khi chỉ có tỷ lệ phần trăm, cỡ mẫu nhỏ nhất phù hợp với mọi tỷ lệ được khôi phục."
            if vi else
            f"Published numbers were transcribed verbatim from {format_count(published_sources, language)} "
            f"article(s) ({format_count(published_rows, language)} numbers, each with its quote); totals, counts "
            "and percentages were re-checked in exact (rational) arithmetic, allowing for rounding and truncation; "
            "where only percentages were printed, the smallest base consistent with all of them was recovered.")
        if findings:
            parts.append(f"Kiểm tra phát hiện {format_count(findings, language)} điểm không nhất quán (Bảng kèm theo)."
                         if vi else
                         f"The checks found {format_count(findings, language)} inconsistencies (see the table).")
    if panel_units:
        years = f"{min(panel_years)}–{max(panel_years)}" if panel_years else ""
        parts.append(
            f"Dữ liệu cấp đơn vị gồm {format_count(panel_units, language)} tổ chức đảng ({years}); nhãn xếp loại "
            "được chuẩn hoá theo thang của từng giai đoạn và quy về bốn mức chung; mức cao nhất không được so sánh "
            "qua lần đổi thang năm 2018."
            if vi else
            f"Unit-level data cover {format_count(panel_units, language)} party organisations ({years}); rating "
            "labels were normalised to the scale of each period and mapped to four common levels; the top level "
            "is not compared across the 2018 change of scale.")
    if tests:
        names = "; ".join(tests)
        parts.append(
            f"Các kiểm định đã dùng: {names}. Giá trị p được hiệu chỉnh cho nhiều phép so sánh theo Holm; cỡ hiệu "
            "ứng được báo cáo kèm khoảng tin cậy 95%."
            if vi else
            f"Tests used: {names}. p-values were adjusted for multiple comparisons by Holm's method; effect sizes "
            "are reported with 95% confidence intervals.")
    if not parts:
        parts.append("Nghiên cứu này chưa có dữ liệu để mô tả." if vi else "This study has no data to describe yet.")
    return " ".join(parts)


def article_bytes(title: str, language: str, methods: str, sentences: list[str],
                  tables: list[tuple[int, ExportTable]], figures: list[tuple[int, ArticleFigure]]) -> bytes:
    """The appendix as DOCX bytes (deterministic: fixed dates inside the package).

    Parameters
    ----------
    title : str
        The study title (heading of the appendix).
    methods : str
        The methods paragraph (see :func:`methods_paragraph`).
    sentences : list of str
        The result sentences, one paragraph each.
    tables, figures : list of (number, item)
        Numbered tables and figures, in order.
    """
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    check_language(language)
    vi = language == "vi"
    document = docx.Document()
    setup_document(document)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(PAGE_WIDTH_CM), Cm(PAGE_HEIGHT_CM)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(MARGIN_CM))
    text_width = PAGE_WIDTH_CM - 2 * MARGIN_CM
    _paragraph(document, [(("PHỤ LỤC: " if vi else "APPENDIX: ") + title, True, False)], size_pt=14,
               align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _paragraph(document, [("1. Phương pháp" if vi else "1. Methods", True, False)], keep_with_next=True)
    _paragraph(document, [(methods, False, False)], align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    _paragraph(document, [("2. Kết quả" if vi else "2. Results", True, False)], keep_with_next=True)
    if sentences:
        for sentence in sentences:
            paragraph = _paragraph(document, [("– " + sentence, False, False)], align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                                   space_after=3)
            paragraph.paragraph_format.left_indent = Cm(0.5)
    else:
        _paragraph(document, [("Chưa có kết quả kiểm định." if vi else "No test results yet.", False, True)])
    if tables:
        _paragraph(document, [("3. Bảng" if vi else "3. Tables", True, False)], keep_with_next=True)
        for number, table in tables:
            add_table(document, table, number, width_cm=text_width)
    if figures:
        _paragraph(document, [("4. Hình" if vi else "4. Figures", True, False)], keep_with_next=True)
        for number, figure in figures:
            picture = document.add_paragraph()
            picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
            picture.paragraph_format.keep_with_next = True
            picture.add_run().add_picture(str(figure.png), width=Cm(min(figure.width_cm, text_width)))
            _paragraph(document, [(f"{text('figure', language)} {number}. ", True, False), (figure.caption, False, False)],
                       align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_ooxml(buffer.getvalue())


def write_article(path: str | Path, *args, **kwargs) -> Path:
    """Write :func:`article_bytes` to ``path`` (atomically) and return it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    paths.write_atomic(path, article_bytes(*args, **kwargs))
    return path


def result_sentences(results: pd.DataFrame | None, language: str) -> list[str]:
    """The result sentences of the study's language, in table order, blanks skipped."""
    if results is None or results.empty:
        return []
    column = f"sentence_{language}"
    if column not in results.columns:
        return []
    return [str(s) for s in results[column] if isinstance(s, str) and s.strip()]
