"""Article-ready tables: one :class:`ExportTable`, written as DOCX, LaTeX, Markdown, HTML, XLSX and CSV.

The Office formats are in :mod:`.office`, the three tables of a study in :mod:`.study_tables`.

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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.tabular import FORMULA_STARTS, neutralise  # noqa: F401  (one guard for every file written)
from helpers.export.theme import text
from helpers.numbers import VALUE_KINDS, check_language, format_value

#: Kinds of column and how each prints.
COLUMN_KINDS = VALUE_KINDS
#: Formats written by :func:`write_table`.
TABLE_FORMATS = ("docx", "tex", "md", "html", "xlsx", "csv")


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
    group_rows : str, optional
        Key of a text column that DOCX prints as a row spanning the table each time its value changes
        (an analysis, a group), instead of as a narrow column; the other formats keep the column.
    raw_data : DataFrame, optional
        Every row, for XLSX and CSV, when the printed formats (DOCX, LaTeX, Markdown, HTML) show only
        some of them in ``data`` (the battery of an appendix with a verdict, helpers.export.appendix_battery).
    """

    stem: str
    caption: str
    columns: tuple[Column, ...]
    data: pd.DataFrame = field(repr=False)
    note: str = ""
    language: str = "vi"
    raw_columns: tuple[Column, ...] | None = None
    repeat_blank: tuple[str, ...] = ()
    group_rows: str | None = None
    raw_data: pd.DataFrame | None = field(default=None, repr=False)

    def __post_init__(self):
        check_language(self.language)
        every = self.columns + (self.raw_columns or ())
        missing = [c.key for c in every if c.key not in self.data.columns]
        missing += [c.decimals for c in every if isinstance(c.decimals, str)
                    and c.decimals not in self.data.columns]
        if self.raw_data is not None:
            missing += [c.key for c in self.raw_columns or self.columns if c.key not in self.raw_data.columns]
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
        """The raw values of every row (:attr:`raw_data` when given) with printed headers (numbers stay
        numbers), for XLSX and CSV."""
        columns = self.raw_columns or self.columns
        data = self.data if self.raw_data is None else self.raw_data
        frame = data[[c.key for c in columns]].copy()
        for column in columns:  # a count is an integer (61, never 61.0), missing or not
            if column.kind in ("count", "year"):
                frame[column.key] = pd.to_numeric(frame[column.key], errors="coerce").round().astype("Int64")
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
    from helpers.export.office import to_docx_bytes, to_xlsx_bytes

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


