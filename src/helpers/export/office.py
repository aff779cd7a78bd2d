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
from functools import lru_cache

import pandas as pd

from helpers.export.tables import ExportTable, _missing, _plain, neutralise
from helpers.export.theme import font_files, missing_glyphs, text
from helpers.numbers import check_language

#: The font of Vietnamese journals; body size 13 pt, table cells 13 pt (11 pt when a table is wide).
DOCX_FONT = "Times New Roman"
DOCX_SIZE_PT = 13
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


#: Excel number format of each column kind (percentages are stored as fractions, shown as %).
XLSX_FORMATS = {"count": "0", "year": "0", "df": "0.##", "percent": "0.0%", "proportion": "0.0%",
                "number": "0.000", "statistic": "0.000", "p_value": "0.000"}


def to_xlsx_bytes(table: ExportTable, number: int) -> bytes:
    """One sheet in Times New Roman: caption in A1, headers in row 3, raw values below, the note
    after a blank row.

    Numbers are stored as numbers with a number format by kind (:data:`XLSX_FORMATS`: counts
    ``0``, percentages ``0.0%`` of a fraction, p-values and effects ``0.000``), never as text or
    as a float count (``61``, not ``61.0``); every text cell is neutralised and stored as text,
    never as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = re.sub(r"[\[\]:*?/\\]", "-", f"{text('table', table.language)} {number}")[:31]
    props = workbook.properties
    props.creator, props.lastModifiedBy = "helpers.export", "helpers.export"
    props.created = props.modified = FIXED_DATE.replace(tzinfo=None)
    plain, bold = Font(name=DOCX_FONT, size=12), Font(name=DOCX_FONT, size=12, bold=True)

    def put(row, column, value, font=plain, kind="text"):
        cell = sheet.cell(row=row, column=column)
        cell.font = font
        value = _plain(value)
        if _missing(value):
            return cell
        if isinstance(value, str):
            cell.value = neutralise(value)
            cell.data_type = "s"
            return cell
        if kind in ("count", "year"):
            value = int(round(value))
        elif kind == "percent":
            value = value / 100
        cell.value = value
        if kind in XLSX_FORMATS:
            cell.number_format = XLSX_FORMATS[kind]
        return cell

    lead, caption = table.caption_line(number)
    put(1, 1, f"{lead} {caption}", font=bold)
    raw = table.raw()
    kinds = [c.kind for c in (table.raw_columns or table.columns)]
    for j, header in enumerate(raw.columns, start=1):
        put(3, j, header, font=bold)
        longest = max([len(str(header))] + [len(str(v)) for v in raw.iloc[:, j - 1]])
        sheet.column_dimensions[get_column_letter(j)].width = max(8, min(60, longest + 2))
    for i, row in enumerate(raw.itertuples(index=False), start=4):
        for j, (value, kind) in enumerate(zip(row, kinds), start=1):
            put(i, j, value, kind=kind)
    if table.note:
        put(len(raw) + 5, 1, table.note)
    sheet.freeze_panes = "A4"
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


#: Document language of each study language (Word's spelling checker reads it).
DOCX_LANGUAGES = {"vi": "vi-VN", "en": "en-US"}


def setup_document(document, language: str = "vi") -> None:
    """Set the Normal style of a python-docx Document to Times New Roman 13 pt, its language to
    vi-VN (en-US for English), and fixed properties."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    tag = DOCX_LANGUAGES[check_language(language)]
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    run_defaults = [] if defaults is None else defaults.findall(f".//{qn('w:rPr')}")
    for rpr in run_defaults + [document.styles["Normal"].element.get_or_add_rPr()]:
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for attribute in ("w:val", "w:eastAsia"):
            lang.set(qn(attribute), tag)
    document.core_properties.language = tag

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


#: A cell's left + right padding in cm (Word's default 0,19 cm each side), and a safety margin on text widths.
_PADDING_CM, _SAFETY = 0.38, 1.06
#: Font sizes of table cells tried, largest first, until every column fits with no word split (11 pt, as
#: Vietnamese journals set tables, under 13-pt body text).
DOCX_TABLE_SIZES_PT = (11, 10, 9)
NBSP, NB_HYPHEN, WORD_JOINER = "\u00a0", "\u2011", "\u2060"


@lru_cache(maxsize=4)
def _metric_font(bold: bool):
    """A font file with the metrics of Times New Roman (itself, else Liberation Serif), for measuring."""
    from PIL import ImageFont

    for family in ("Times New Roman", "Liberation Serif"):
        for entry in font_files(family):
            is_bold = entry.weight in ("bold", 700) or (isinstance(entry.weight, int) and entry.weight >= 600)
            if entry.style == "normal" and is_bold == bold and not missing_glyphs(entry.fname):
                return ImageFont.truetype(entry.fname, 100)
    return None


@lru_cache(maxsize=8192)
def text_width_cm(value: str, size_pt: float, bold: bool = False) -> float:
    """Printed width of ``value`` in Times New Roman at ``size_pt`` (measured with the font's metrics,
    or 0,5 em per character where neither Times New Roman nor Liberation Serif is installed)."""
    font = _metric_font(bold)
    if font is None:
        return len(value) * 0.5 * size_pt / 72 * 2.54
    return font.getlength(value) / 100 * size_pt / 72 * 2.54


def join_numbers(value: str) -> str:
    """Join with no-break spaces what must stay on one line: ``= 0,33``, ``< 0,001``, an interval
    ``[0,21; 0,45]``, ``20,00 (3)``, ``n = 500``; hyphens inside a code (``td-2016``); a word joiner after an
    en dash or slash between letters (``Fisher–Freeman–Halton``), where a line could otherwise break."""
    value = re.sub(r" ?([=<>≤≥]) (?=[\d−–.])", lambda m: f"{NBSP if m.group(0)[0] == ' ' else ''}{m.group(1)}{NBSP}",
                   value)
    value = re.sub(r"\[[^\]]*\]", lambda m: m.group(0).replace(" ", NBSP), value)
    value = re.sub(r"(?<=\d) (?=\(\d)", NBSP, value)
    value = re.sub(r"(?<=\w)-(?=\w)", NB_HYPHEN, value)
    return re.sub(r"(?<=\w)([–/])(?=\w)", "\\1" + WORD_JOINER, value)  # "Fisher–Freeman", "YK/KHTNV"


def _words(value: str) -> list[str]:
    """The parts of ``value`` a line may break between: plain spaces and line breaks only."""
    return [w for w in re.split(r"[ \n]", value) if w] or [""]


def column_widths_cm(shown: pd.DataFrame, total_cm: float, size_pt: float = 11) -> list[float] | None:
    """Column widths for a table whose cells never break inside a word, number or code.

    Each column is at least as wide as its widest unbreakable part (the bold header's words
    included); when every cell fits on one line within ``total_cm`` each column is as wide as its
    widest cell, else the room left is shared by how much more each column would need.

    Returns None when even the widest words do not fit in ``total_cm`` at ``size_pt``.

    Examples
    --------
    >>> frame = pd.DataFrame({"Kiểm định": ["kiểm định dấu chính xác, ghép cặp giữ thứ hạng"], "p": ["0,627"]})
    >>> widths = column_widths_cm(frame, 8.0)
    >>> widths[1] >= text_width_cm("0,627", 11), round(sum(widths), 6) <= 8.0
    (True, True)
    """
    minimum, desired = [], []
    for header in shown.columns:
        cells = [str(v) for v in shown[header]]
        word = max([text_width_cm(w, size_pt) for c in cells for w in _words(c)]
                   + [text_width_cm(w, size_pt, bold=True) for w in _words(str(header))])
        whole = max([text_width_cm(c, size_pt) for c in cells] + [text_width_cm(str(header), size_pt, bold=True)])
        minimum.append(word * _SAFETY + _PADDING_CM)
        desired.append(whole * _SAFETY + _PADDING_CM)
    if sum(minimum) > total_cm:
        return None
    if sum(desired) <= total_cm:
        return desired
    spare, wish = total_cm - sum(minimum), [d - m for d, m in zip(desired, minimum)]
    return [m + spare * w / sum(wish) for m, w in zip(minimum, wish)]


def _row_property(row, name: str) -> None:
    from docx.oxml import OxmlElement

    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement(f"w:{name}"))


def add_table(document, table: ExportTable, number: int, width_cm: float = 16.0) -> None:
    """Append ``table`` to a python-docx Document: caption above ("Bảng N." bold), a three-rule
    table (rules above and below the header, below the last row; no vertical line), note below.

    No cell breaks inside a word, a number or a code: numbers are joined with no-break spaces
    (:func:`join_numbers`), each column is at least as wide as its widest unbreakable part, and
    the font steps down from 11 pt (:data:`DOCX_TABLE_SIZES_PT`) until the table fits ``width_cm``.
    The header row repeats on every page and no row is split across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    lead, caption = table.caption_line(number)
    _paragraph(document, [(lead + " ", True, False), (caption, False, False)], align=WD_ALIGN_PARAGRAPH.CENTER,
               keep_with_next=True, space_after=3)
    columns = list(table.columns)
    shown = table.display(blank_repeats=False)
    groups: list[str] = []
    if table.group_rows and len(shown) and (table.data[table.group_rows].astype(str).nunique() > 1
                                            or len(columns) > 4):
        # the group column becomes rows spanning the table, printed where its value changes
        position = [c.key for c in columns].index(table.group_rows)
        groups = [str(v) for v in shown.iloc[:, position]]
        shown = shown.drop(columns=shown.columns[position])
        columns.pop(position)
    if table.repeat_blank and len(shown) > 1:  # blank the cells that repeat the row above, within a group
        for key in [c.key for c in columns if c.key in table.repeat_blank]:
            header_name = next(c.header for c in columns if c.key == key)
            values = table.data[key].astype(str).tolist()
            for i in range(1, len(values)):
                if values[i] == values[i - 1] and (not groups or groups[i] == groups[i - 1]):
                    shown.iloc[i, list(shown.columns).index(header_name)] = ""
    shown = shown.map(join_numbers)
    shown.columns = [join_numbers(str(c)) for c in shown.columns]
    for size in DOCX_TABLE_SIZES_PT:
        widths_cm = column_widths_cm(shown, width_cm, size)
        if widths_cm is not None:
            break
    else:  # nothing fits even at 9 pt: share the width by the widest words (a word may then break)
        size = DOCX_TABLE_SIZES_PT[-1]
        words = [max(text_width_cm(w, size) for c in list(shown[h]) + [h] for w in _words(str(c))) + _PADDING_CM
                 for h in shown.columns]
        widths_cm = [w * width_cm / sum(words) for w in words]
    starts = [i for i, g in enumerate(groups) if g and (i == 0 or g != groups[i - 1])]
    grid = document.add_table(rows=len(shown) + 1 + len(starts), cols=len(columns))
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    widths = [Cm(w) for w in widths_cm]
    for grid_column, width in zip(grid.columns, widths):  # LibreOffice and Word read the grid's widths
        grid_column.width = width
    aligns = [WD_ALIGN_PARAGRAPH.LEFT if c.kind == "text" else WD_ALIGN_PARAGRAPH.RIGHT for c in columns]
    rows = grid.rows  # python-docx looks cells up slowly; take each row's cells once
    _row_property(rows[0], "tblHeader")  # the header repeats on every page
    header_cells = rows[0].cells
    for cell, header, align, width in zip(header_cells, shown.columns, aligns, widths):
        paragraph = cell.paragraphs[0]
        _set_run_font(paragraph.add_run(header), size, bold=True)
        paragraph.alignment = align
        paragraph.paragraph_format.space_after = Pt(0)
        cell.width = width
        _cell_borders(cell, top=12, bottom=6 if len(shown) else 12)
    body_rows = list(rows)[1:]
    slots = []  # each data row's grid row, after the group rows inserted before it
    for i in range(len(shown)):
        if i in starts:
            group_row = body_rows.pop(0)
            _row_property(group_row, "cantSplit")
            merged = group_row.cells[0].merge(group_row.cells[-1]) if len(columns) > 1 else group_row.cells[0]
            paragraph = merged.paragraphs[0]
            _set_run_font(paragraph.add_run(join_numbers(groups[i])), size, italic=True)
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True
        slots.append(body_rows.pop(0))
    for i, (values, grid_row) in enumerate(zip(shown.itertuples(index=False), slots), start=1):
        _row_property(grid_row, "cantSplit")
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
    setup_document(document, table.language)
    add_table(document, table, number)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_ooxml(buffer.getvalue())


