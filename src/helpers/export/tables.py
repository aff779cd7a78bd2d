"""Article-ready tables: one :class:`ExportTable`, written as DOCX, LaTeX, Markdown, HTML, XLSX and CSV.

A table keeps its values raw (counts as integers, shares as floats) and knows the
kind of each column, so each format shows them its own way:

- DOCX, LaTeX, Markdown and HTML print numbers formatted by :mod:`helpers.numbers` in the
  study's language (``69,64%`` / ``69.64%``), with the caption "Bảng N." / "Table N." above
  and the source note below. DOCX follows Vietnamese journals: Times New Roman 13 pt,
  three horizontal rules and no vertical line; LaTeX uses booktabs.
- XLSX and CSV keep numbers as numbers for re-use; CSV is UTF-8 with a byte-order mark so
  Excel shows Vietnamese. A text cell starting with ``= + - @`` (or a tab / carriage return)
  is prefixed with ``'`` so that a spreadsheet never runs it as a formula; numbers, negative
  ones included, stay numbers.

Every file is written to a temporary name and renamed; a rerun writes the same bytes
(the dates inside DOCX/XLSX packages are fixed).

References
----------
OWASP Foundation. CSV Injection. https://owasp.org/www-community/attacks/CSV_Injection
"""

from __future__ import annotations

import csv
import html
import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.export.figures import group_label
from helpers.export.glossary import header, severity, term
from helpers.export.theme import CODE_LABELS, CODE_NAMES, code_label, text
from helpers.numbers import (
    VALUE_KINDS, check_language, format_ci, format_df, format_number, format_statistic, format_value,
)

#: Kinds of column and how each prints.
COLUMN_KINDS = VALUE_KINDS
#: Formats written by :func:`write_table`.
TABLE_FORMATS = ("docx", "tex", "md", "html", "xlsx", "csv")
#: Characters that make a spreadsheet read a cell as a formula (OWASP), when they start it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: The font of Vietnamese journals; body size 13 pt, table cells 13 pt (11 pt when a table is wide).
DOCX_FONT = "Times New Roman"
DOCX_SIZE_PT = 13
DOCX_WIDE_TABLE_SIZE_PT = 11
DOCX_WIDE_TABLE_COLUMNS = 7
#: Fixed date written into DOCX/XLSX packages so a rerun gives the same bytes.
FIXED_DATE = datetime(2000, 1, 1, tzinfo=timezone.utc)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Column:
    """One column of an :class:`ExportTable`.

    key : name in ``ExportTable.data``; header : printed header; kind : one of :data:`COLUMN_KINDS`;
    decimals : digits after the separator, or the key of a column holding them per row.
    """

    key: str
    header: str
    kind: str = "text"
    decimals: int | str = 2

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"column '{self.key}': 'kind' must be one of {', '.join(COLUMN_KINDS)} "
                             f"(got {self.kind!r}).")


@dataclass(frozen=True)
class ExportTable:
    """A table ready to be written: raw values, column kinds, caption and source note.

    Attributes
    ----------
    stem : str
        File name without suffix (``'bang-1-phan-bo'``).
    caption : str
        Caption without its number (the writer adds "Bảng N." / "Table N.").
    columns : tuple of Column
    data : DataFrame
        Raw values, one column per ``Column.key`` (plus any decimals columns).
    note : str
        Source note printed under the table ("Nguồn: ..." / "Source: ...").
    language : {'vi', 'en'}
    """

    stem: str
    caption: str
    columns: tuple[Column, ...]
    data: pd.DataFrame = field(repr=False)
    note: str = ""
    language: str = "vi"
    raw_columns: tuple[Column, ...] | None = None
    repeat_blank: tuple[str, ...] = ()

    def __post_init__(self):
        check_language(self.language)
        every = self.columns + (self.raw_columns or ())
        missing = [c.key for c in every if c.key not in self.data.columns]
        missing += [c.decimals for c in every if isinstance(c.decimals, str)
                    and c.decimals not in self.data.columns]
        if missing:
            raise ValueError(f"table '{self.stem}': data lacks the columns {missing}.")

    def display(self, blank_repeats: bool = True) -> pd.DataFrame:
        """Every cell as printed text in the table's language; headers as printed.

        With ``blank_repeats``, a cell of a :attr:`repeat_blank` column that repeats the row above
        (and all such columns to its left repeat too) prints empty, as journals set grouped rows.
        """
        shown = {}
        for column in self.columns:
            values = self.data[column.key]
            if isinstance(column.decimals, str):
                decimals = self.data[column.decimals]
            else:
                decimals = pd.Series([column.decimals] * len(values), index=values.index)
            shown[column.header] = [format_cell(v, column.kind, d, self.language)
                                    for v, d in zip(values, decimals)]
        frame = pd.DataFrame(shown, columns=[c.header for c in self.columns])
        if blank_repeats and self.repeat_blank and len(frame) > 1:
            keys = [c for c in self.columns if c.key in self.repeat_blank]
            same = pd.Series(True, index=frame.index[1:])
            for column in keys:
                values = self.data[column.key].astype(str).reset_index(drop=True)
                same &= (values.iloc[1:].to_numpy() == values.iloc[:-1].to_numpy())
                frame.loc[same[same].index, column.header] = ""
        return frame

    def raw(self) -> pd.DataFrame:
        """The raw values with printed headers (numbers stay numbers), for XLSX and CSV."""
        columns = self.raw_columns or self.columns
        frame = self.data[[c.key for c in columns]].copy()
        frame.columns = [c.header for c in columns]
        return frame

    def caption_line(self, number: int) -> tuple[str, str]:
        """(``'Bảng 1.'``, caption) — the numbered lead and the text."""
        return f"{text('table', self.language)} {number}.", self.caption


def _missing(value) -> bool:
    try:
        return value is None or value is pd.NA or bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def format_cell(value, kind: str, decimals=2, language: str = "vi") -> str:
    """Print one cell of the given kind (see :data:`COLUMN_KINDS`) with :func:`helpers.numbers.format_value`;
    a missing value prints ``–``."""
    decimals = 2 if _missing(decimals) else int(decimals)
    return format_value(value, kind, language, decimals)


def neutralise(value):
    """Guard a spreadsheet cell against formula injection: a string starting with one of
    :data:`FORMULA_STARTS` gets a leading ``'``; anything else (numbers too) is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# ---------------------------------------------------------------- text formats

_LATEX_SPECIAL = {
    "\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
    "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
    "<": r"\textless{}", ">": r"\textgreater{}",
}


def escape_latex(value: str) -> str:
    """Escape the characters LaTeX treats specially (``& % $ # _ { } ~ ^ \\ < >``)."""
    return "".join(_LATEX_SPECIAL.get(ch, ch) for ch in str(value)).replace("\n", " ")


def escape_html(value: str) -> str:
    """Escape ``< > & " '`` so that a label such as ``<script>`` shows as text."""
    return html.escape(str(value), quote=True)


def escape_markdown(value: str) -> str:
    """Escape a Markdown table cell: HTML characters, pipes and line breaks."""
    return escape_html(value).replace("|", r"\|").replace("\n", " ")


def _alignment(column: Column) -> str:
    return "l" if column.kind == "text" else "r"


def to_latex(table: ExportTable, number: int) -> str:
    """A booktabs table (``table`` float, caption above, source note below), escaped.

    Needs ``\\usepackage{booktabs}`` and a Unicode engine (XeLaTeX/LuaLaTeX) for Vietnamese;
    set ``\\renewcommand{\\tablename}{Bảng}`` in a Vietnamese document.
    """
    shown = table.display()
    lines = [
        "% " + " ".join(table.caption_line(number)),
        "% needs \\usepackage{booktabs}; compile with XeLaTeX or LuaLaTeX for Vietnamese text",
        "\\begin{table}[htbp]",
        "\\centering",
        f"\\caption{{{escape_latex(table.caption)}}}",
        f"\\label{{tab:{escape_latex(table.stem)}}}",
        f"\\begin{{tabular}}{{{''.join(_alignment(c) for c in table.columns)}}}",
        "\\toprule",
        " & ".join(escape_latex(c.header) for c in table.columns) + " \\\\",
        "\\midrule",
    ]
    for row in shown.itertuples(index=False):
        lines.append(" & ".join(escape_latex(v) for v in row) + " \\\\")
    lines += ["\\bottomrule", "\\end{tabular}"]
    if table.note:
        lines.append(f"\\par\\smallskip{{\\footnotesize {escape_latex(table.note)}}}")
    lines += ["\\end{table}", ""]
    return "\n".join(lines)


def to_markdown(table: ExportTable, number: int) -> str:
    """A pipe table with the bold caption above and the note in italics below, escaped."""
    shown = table.display()
    lead, caption = table.caption_line(number)
    lines = [f"**{escape_markdown(lead)}** {escape_markdown(caption)}", ""]
    lines.append("| " + " | ".join(escape_markdown(c.header) for c in table.columns) + " |")
    lines.append("|" + "|".join(":---" if c.kind == "text" else "---:" for c in table.columns) + "|")
    for row in shown.itertuples(index=False):
        lines.append("| " + " | ".join(escape_markdown(v) for v in row) + " |")
    if table.note:
        lines += ["", f"*{escape_markdown(table.note)}*"]
    return "\n".join(lines) + "\n"


def to_html(table: ExportTable, number: int) -> str:
    """An HTML ``<table>`` with ``<caption>`` and a note paragraph; every text is escaped."""
    shown = table.display()
    lead, caption = table.caption_line(number)
    out = [f'<table class="export-table" id="{escape_html(table.stem)}">',
           f"<caption><strong>{escape_html(lead)}</strong> {escape_html(caption)}</caption>",
           "<thead><tr>" + "".join(f"<th>{escape_html(c.header)}</th>" for c in table.columns) + "</tr></thead>",
           "<tbody>"]
    for row in shown.itertuples(index=False):
        cells = "".join(f'<td style="text-align:{"left" if c.kind == "text" else "right"}">{escape_html(v)}</td>'
                        for c, v in zip(table.columns, row))
        out.append(f"<tr>{cells}</tr>")
    out.append("</tbody></table>")
    if table.note:
        out.append(f'<p class="export-note"><em>{escape_html(table.note)}</em></p>')
    return "\n".join(out) + "\n"


def to_csv_bytes(table: ExportTable) -> bytes:
    """UTF-8 with BOM, comma-separated, raw values (decimal point), text cells neutralised."""
    raw = table.raw()
    stream = io.StringIO(newline="")
    writer = csv.writer(stream, lineterminator="\r\n")
    writer.writerow([neutralise(h) for h in raw.columns])
    for row in raw.itertuples(index=False):
        writer.writerow(["" if _missing(v) else neutralise(_plain(v)) for v in row])
    return ("\ufeff" + stream.getvalue()).encode("utf-8")


def _plain(value):
    """A raw value as a CSV/XLSX cell: Python numbers, exact fractions as floats."""
    if hasattr(value, "numerator") and hasattr(value, "denominator") and not isinstance(value, int):
        return float(value)
    if hasattr(value, "item") and not isinstance(value, str):
        return value.item()
    return value


# ---------------------------------------------------------------- Office formats

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


def write_table(table: ExportTable, out_dir: str | Path, number: int,
                formats: tuple[str, ...] = TABLE_FORMATS) -> tuple[Path, ...]:
    """Write ``table`` in each of ``formats`` (see :data:`TABLE_FORMATS`) as ``<stem>.<format>``.

    Returns the paths written, in the order of ``formats``.
    """
    unknown = [f for f in formats if f not in TABLE_FORMATS]
    if unknown:
        raise ValueError(f"'formats' must be among {', '.join(TABLE_FORMATS)} (got {unknown}).")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    makers = {
        "docx": lambda: to_docx_bytes(table, number),
        "tex": lambda: to_latex(table, number).encode("utf-8"),
        "md": lambda: to_markdown(table, number).encode("utf-8"),
        "html": lambda: to_html(table, number).encode("utf-8"),
        "xlsx": lambda: to_xlsx_bytes(table, number),
        "csv": lambda: to_csv_bytes(table),
    }
    written = []
    for fmt in formats:
        path = out / f"{table.stem}.{fmt}"
        paths.write_atomic(path, makers[fmt]())
        written.append(path)
    return tuple(written)


# ---------------------------------------------------------------- the three tables of a study

def _header(key: str, language: str) -> str:
    return header(key, language)


def descriptive_table(distribution: pd.DataFrame, language: str = "vi", source: str = "",
                      stem: str = "descriptive") -> ExportTable:
    """Counts and percentages per rating, year and group.

    Parameters
    ----------
    distribution : DataFrame
        :data:`helpers.export.data.DISTRIBUTION_COLUMNS`.
    source : str
        Where the numbers come from (file names, article), printed in the note.

    Returns
    -------
    ExportTable
        Columns group, year, rating, count, total, % printed (as the source printed it, with
        its decimals) and % recomputed (count / total, one decimal more than needed never added).
    """
    check_language(language)
    data = distribution.copy()
    data["group_shown"] = [group_label(g, language) for g in data["group"]]
    data["rating"] = [code_label(c, language, str(c)) for c in data["rating_code"]]
    data["percent_printed_value"] = [p if s == "printed" else math.nan
                                     for p, s in zip(data["percent"], data["percent_source"])]
    data["percent_computed"] = [
        math.nan if _missing(c) or _missing(b) or int(b) == 0 else float(int(c) * 100 / int(b))
        for c, b in zip(data["count"], data["base"])]
    columns = (
        Column("group_shown", _header("group", language)),
        Column("year", _header("year", language), "year"),
        Column("rating", _header("rating", language)),
        Column("count", _header("count", language), "count"),
        Column("base", _header("base", language), "count"),
        Column("percent_printed_value", _header("percent_printed", language), "percent", "percent_decimals"),
        Column("percent_computed", _header("percent_computed", language), "percent", "percent_decimals"),
    )
    caption = term("caption_descriptive", language)
    # an abbreviation is explained; a level printed in full ("Yếu kém") needs no "= yếu kém"
    names = "; ".join(f"{v[language]} = {CODE_NAMES[k][language]}" for k, v in CODE_LABELS.items()
                      if k in set(data["rating_code"]) and v[language].lower() != CODE_NAMES[k][language].lower())
    note = (f"{text('source', language)}: {source or term('study_data', language)}. "
            f"{term('note_descriptive', language)}" + (f" {names}." if names else ""))
    return ExportTable(stem=stem, caption=caption, columns=columns, data=data.reset_index(drop=True),
                       note=note, language=language, repeat_blank=("group_shown", "year"))


def findings_table(findings: pd.DataFrame, language: str = "vi", source: str = "",
                   stem: str = "published-findings") -> ExportTable:
    """The checks of published numbers that found a problem: errors and warnings.

    Derived facts (severity ``info``: recovered bases, implied counts) stay in
    ``published/findings.csv``; a journal table lists what is wrong or doubtful.

    Parameters
    ----------
    findings : DataFrame
        Columns source_id, table_id, year, category, check, severity, printed, expected,
        message_vi, message_en (check, file, row are kept out of the printed table: the
        message says what was checked).
    """
    check_language(language)
    data = findings.loc[findings["severity"] != "info"].copy()
    data["message"] = data[f"message_{language}"]
    data["severity"] = [severity(str(v), language) for v in data["severity"]]
    columns = tuple(Column(k, _header(k, language), "year" if k == "year" else "text")
                    for k in ("table_id", "year", "category", "severity", "printed", "expected", "message"))
    caption = term("caption_findings", language)
    note = f"{text('source', language)}: {source or term('source_articles', language)}."
    return ExportTable(stem=stem, caption=caption, columns=columns, data=data.reset_index(drop=True),
                       note=note, language=language)


def results_table(results: pd.DataFrame, language: str = "vi", stem: str = "test-results",
                  labels: dict | None = None) -> ExportTable:
    """The statistical tests (results.csv): statistic, df, p, adjusted p, effect size with CI, n.

    Only rows with a p-value or an effect size are listed (verdicts, refusals and power
    statements are sentences of the article). The printed formats show the analysis by its
    label in the study file, the test by its name in ``language``, the confidence interval
    as one column (``[0,12; 0,91]``); XLSX and CSV also keep ``ci_low``, ``ci_high`` as
    numbers and the diagnostic ``note``.

    Parameters
    ----------
    labels : dict, optional
        Analysis id → label in ``language`` (the ``label`` of each entry of the study's
        ``analyses``); the id is shown where no label is given.
    """
    check_language(language)
    from helpers.export.figures import effect_label
    from helpers.inference.results import sentence_test_name

    numbers = pd.to_numeric(results["p_value"], errors="coerce").notna() | \
        pd.to_numeric(results["effect"], errors="coerce").notna()
    data = results.loc[numbers].copy()
    split = data["test"].astype(str).str.extract(r"^(?P<name>.*?)(?: \[(?P<analysis>[^\]]*)\])?$")
    data["analysis"] = [(labels or {}).get(a, a) if isinstance(a, str) else "" for a in split["analysis"]]
    data["test"] = [sentence_test_name(name, language) for name in split["name"]]
    for column in ("p_low", "p_high"):  # results.csv written before these columns existed has none
        if column not in data.columns:
            data[column] = math.nan
    for column in ("statistic", "df", "p_value", "p_adjusted", "p_low", "p_high", "effect", "ci_low", "ci_high", "n"):
        data[column] = pd.to_numeric(data[column], errors="coerce")
    data["effect_shown"] = [effect_label(e, language) if isinstance(e, str) and e else "" for e in
                            data["effect_name"].fillna("")]
    data["ci"] = [format_ci(lo, hi, 2, language) for lo, hi in zip(data["ci_low"], data["ci_high"])]
    data["note"] = [n if isinstance(n, str) else "" for n in data["note"]]
    # Printed: "statistic (df)" and "effect = value [CI]" in one column each, as journals set them.
    data["statistic_df"] = ["" if _missing(st) else format_statistic(st, language)
                            + ("" if _missing(df) else f" ({format_df(df, language)})")
                            for st, df in zip(data["statistic"], data["df"])]
    data["effect_ci"] = ["" if _missing(value) else f"{name} = {format_number(value, 2, language)}"
                         + (f" {ci}" if ci else "")
                         for name, value, ci in zip(data["effect_shown"], data["effect"], data["ci"])]
    statistic_header = header("statistic_df", language)
    effect_header = header("effect_ci", language)
    columns = (
        Column("analysis", _header("analysis", language)),
        Column("test", _header("test", language)),
        Column("statistic_df", statistic_header),
        Column("p_value", _header("p_value", language), "p_value"),
        Column("p_adjusted", _header("p_adjusted", language), "p_value"),
        Column("effect_ci", effect_header),
        Column("n", _header("n", language), "count"),
    )
    raw_columns = (
        Column("question", _header("question", language)),
        Column("analysis", _header("analysis", language)),
        Column("test", _header("test", language)),
        Column("statistic", _header("statistic", language), "statistic"),
        Column("df", _header("df", language), "df"),
        Column("p_value", _header("p_value", language), "p_value"),
        Column("p_adjusted", _header("p_adjusted", language), "p_value"),
        Column("p_low", _header("p_low", language), "p_value"),
        Column("p_high", _header("p_high", language), "p_value"),
        Column("effect_shown", _header("effect_name", language)),
        Column("effect", _header("effect", language), "number", 2),
        Column("ci_low", _header("ci_low", language), "number", 2),
        Column("ci_high", _header("ci_high", language), "number", 2),
        Column("n", _header("n", language), "count"),
        Column("note", _header("note", language)),
    )
    caption = term("caption_results", language)
    note = f"{term('note', language)}: {term('note_results', language)}"
    return ExportTable(stem=stem, caption=caption, columns=columns, data=data.reset_index(drop=True),
                       note=note, language=language, raw_columns=raw_columns, repeat_blank=("analysis",))
