"""Office formats of a table: DOCX (Vietnamese journal style) and XLSX, both byte-for-byte reproducible.

DOCX follows Vietnamese journals: Times New Roman 13 pt, three horizontal rules and no vertical
line, the caption "Bảng N." above and the note below; the header row repeats on every page and
no number, code or word is ever split across lines (columns as wide as their widest unbreakable
text, measured with the font's own metrics). XLSX keeps numbers as numbers, with number formats.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime, timezone

from helpers.export.tables import ExportTable, _missing, _plain, neutralise
from helpers.export.theme import text

#: The font of Vietnamese journals; body size 13 pt, table cells 13 pt (11 pt when a table is wide).
DOCX_FONT = "Times New Roman"
DOCX_SIZE_PT = 13
DOCX_WIDE_TABLE_SIZE_PT = 11
DOCX_WIDE_TABLE_COLUMNS = 7
#: Fixed date written into DOCX/XLSX packages so a rerun gives the same bytes.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)



def normalise_ooxml(data: bytes) -> bytes:
    """Rewrite an Office (zip) package with fixed entry dates and fixed document dates, so that
    the same content always gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = FIXED_DATE.strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)",
                                 lambda m: m.group(1) + stamp.encode() + m.group(3), content)
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, content)
    return out.getvalue()


def to_xlsx_bytes(table: ExportTable, number: int) -> bytes:
    """One sheet: caption in A1, headers in row 3, raw values below, the note after a blank row.

    Numbers are stored as numbers (a negative one too); every text cell is neutralised and
    stored as text, never as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", f"{text('table', table.language)} {number}")[:31]
    props = workbook.properties
    props.creator, props.lastModifiedBy = "helpers.export", "helpers.export"
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)

    def put(row, column, value, bold=False):
        cell = sheet.cell(row=row, column=column)
        value = _plain(value)
        if _missing(value):
            return cell
        cell.value = neutralise(value) if isinstance(value, str) else value
        if isinstance(value, str):
            cell.data_type = "s"
        if bold:
            cell.font = Font(bold=True)
        return cell

    lead, caption = table.caption_line(number)
    put(1, 1, f"{lead} {caption}", bold=True)
    raw = table.raw()
    for j, header in enumerate(raw.columns, start=1):
        put(3, j, header, bold=True)
        sheet.column_dimensions[sheet.cell(row=3, column=j).column_letter].width = max(10, min(40, len(header) + 4))
    for i, row in enumerate(raw.itertuples(index=False), start=4):
        for j, value in enumerate(row, start=1):
            put(i, j, value)
    if table.note:
        put(len(raw) + 5, 1, table.note)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_ooxml(buffer.getvalue())


def _set_run_font(run, size_pt: float, bold: bool | None = None, italic: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.name = DOCX_FONT
    run.font.size = Pt(size_pt)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), DOCX_FONT)


def setup_document(document) -> None:
    """Set the Normal style of a python-docx Document to Times New Roman 13 pt, fixed properties."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    style = document.styles["Normal"]
    style.font.name = DOCX_FONT
    style.font.size = Pt(DOCX_SIZE_PT)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), DOCX_FONT)
    props = document.core_properties
    props.author = props.last_modified_by = "helpers.export"
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    props.revision = 1


def _cell_borders(cell, **edges) -> None:
    """Set the given edges (top/bottom) of a cell to a single rule of ``size`` eighths of a point."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = cell._element.get_or_add_tcPr()
    borders = properties.find(qn("w:tcBorders"))
    if borders is None:
        borders = OxmlElement("w:tcBorders")
        properties.append(borders)
    for edge, size in edges.items():
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), str(size))
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)


def _paragraph(document, parts, size_pt=DOCX_SIZE_PT, align=None, keep_with_next=False, space_after=6):
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    for content, bold, italic in parts:
        _set_run_font(paragraph.add_run(content), size_pt, bold=bold, italic=italic)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.keep_with_next = keep_with_next
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


#: Width of one character of 11-pt Times New Roman, and a cell's left + right padding, in cm.
_CHAR_CM, _PADDING_CM = 0.2, 0.4


def column_widths_cm(shown: pd.DataFrame, total_cm: float) -> list[float]:
    """Widths sharing ``total_cm``: no column narrower than its longest word (so a number or a
    word never breaks), the rest shared by how much longer each column's longest cell is.

    Examples
    --------
    The p column's longest word "0,627" needs 5 × 0,2 + 0,4 = 1,4 cm; the text column takes the rest.

    >>> frame = pd.DataFrame({"Kiểm định": ["kiểm định dấu chính xác, ghép cặp giữ thứ hạng"], "p": ["0,627"]})
    >>> [round(w, 2) for w in column_widths_cm(frame, 8.0)]
    [6.6, 1.4]
    """
    def words(value) -> list[str]:  # split at plain spaces only: a no-break space joins
        return [w for w in str(value).split(" ") if w] or [""]

    minimum, desired = [], []
    for header in shown.columns:
        cells = [str(v) for v in shown[header]]
        longest_word = max(len(w) for text in cells + [str(header)] for w in words(text))
        longest_cell = max([len(c) for c in cells] + [len(str(header)) // 2, 1])
        minimum.append(longest_word * _CHAR_CM + _PADDING_CM)
        desired.append(max(longest_word, min(longest_cell, 60)) * _CHAR_CM + _PADDING_CM)
    spare = total_cm - sum(minimum)
    if spare <= 0:  # even the words do not fit: shrink everything alike
        return [w * total_cm / sum(minimum) for w in minimum]
    wish = [d - m for d, m in zip(desired, minimum)]
    if sum(wish) <= spare:  # everything fits on one line: share the rest by content
        return [d * total_cm / sum(desired) for d in desired]
    return [m + spare * w / sum(wish) for m, w in zip(minimum, wish)]


def add_table(document, table: ExportTable, number: int, width_cm: float = 16.0) -> None:
    """Append ``table`` to a python-docx Document: caption above ("Bảng N." bold), a three-rule
    table (rules above and below the header, below the last row; no vertical line), note below.
    Columns share ``width_cm`` by the length of their content."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    lead, caption = table.caption_line(number)
    _paragraph(document, [(lead + " ", True, False), (caption, False, False)], align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_with_next=True, space_after=3)
    shown = table.display()
    for column in table.columns:  # "< 0,001" or "20,00 (3)" never breaks inside a cell
        if column.kind != "text" or column.key == "statistic_df":
            shown[column.header] = [v.replace(" ", "\u00a0") for v in shown[column.header]]
    size = DOCX_WIDE_TABLE_SIZE_PT if len(table.columns) >= DOCX_WIDE_TABLE_COLUMNS else DOCX_SIZE_PT
    grid = document.add_table(rows=len(shown) + 1, cols=len(table.columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in column_widths_cm(shown, width_cm)]
    for grid_column, width in zip(grid.columns, widths):  # LibreOffice and Word read the grid's widths
        grid_column.width = width
    aligns = [WD_ALIGN_PARAGRAPH.LEFT if c.kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT for c in table.columns]
    rows = grid.rows  # python-docx looks cells up slowly; take each row's cells once
    header_cells = rows[0].cells
    for cell, column, align, width in zip(header_cells, table.columns, aligns, widths):
        paragraph = cell.paragraphs[0]
        _set_run_font(paragraph.add_run(column.header), size, bold=True)
        paragraph.alignment = align
        cell.width = width
        _cell_borders(cell, top=12, bottom=6 if len(shown) else 12)
    for i, (values, grid_row) in enumerate(zip(shown.itertuples(index=False), list(rows)[1:]), start=1):
        for cell, value, align, width in zip(grid_row.cells, values, aligns, widths):
            paragraph = cell.paragraphs[0]
            _set_run_font(paragraph.add_run(value), size)
            paragraph.alignment = align
            paragraph.paragraph_format.space_after = Pt(0)
            cell.width = width
            if i == len(shown):
                _cell_borders(cell, bottom=12)
    if table.note:
        _paragraph(document, [(table.note, False, True)], size_pt=DOCX_SIZE_PT - 2, space_after=12)


def to_docx_bytes(table: ExportTable, number: int) -> bytes:
    """A Word document holding only this table (caption, three-rule table, note)."""
    import docx

    document = docx.Document()
    setup_document(document)
    add_table(document, table, number)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_ooxml(buffer.getvalue())


