"""``report.html``: a study's executed notebooks without code, opening with a summary.

The summary lists the result sentences of ``results.csv`` and counts the
published-number findings by severity, in the study's language. Every text
that comes from data (labels, messages) is HTML-escaped, so a label such as
``<script>`` shows as text.
"""

from __future__ import annotations

import hashlib
import html
from pathlib import Path

from helpers import paths
from helpers.export.article import read_verdict
from helpers.export.glossary import (
    HEADERS, category_name, check_name, code_label, effect_name, header, note_text, replace_keys, rule_name,
    scale_name, severity, term, test_name,
)
from helpers.study import Study
from helpers.tabular import read_csv

#: Most findings listed under the verdict in the summary.
SUMMARY_FINDINGS = 5


def summary_markdown(study: Study, output_dir: Path) -> str:
    """Markdown summary: the verdict headline, then at most :data:`SUMMARY_FINDINGS` findings.

    The findings are the verdict's claim sentences when ``verdict.json`` exists, else the
    result sentences of the tests that ran; then one line counting the published-number
    findings by severity. Every data text is escaped.
    """
    import pandas as pd

    language = study.language
    lines = [f"# {html.escape(study.title[language])}", "", f"*{term('report_subtitle', language)}*", "",
             f"## {term('summary', language)}", ""]
    found = []
    verdict = read_verdict(output_dir)
    if verdict is not None:
        headline = replace_keys(str(verdict[f"headline_{language}"]), language)
        lines += [f"**{html.escape(headline)}**", ""]
        for claim in verdict.get("claims", []):  # each claim's sentence (unless it is the headline), then caveats
            sentence = replace_keys(str(claim.get(f"sentence_{language}", "")), language)
            found += [] if sentence == headline else [sentence]
            found += [replace_keys(c.get(language, "") if isinstance(c, dict) else str(c), language)
                      for c in claim.get("caveats") or []]
    results = output_dir / "results.csv"
    if verdict is None and results.exists():
        table = read_csv(results)
        column = f"sentence_{language}"
        if column in table and len(table):
            ran = (pd.to_numeric(table["p_value"], errors="coerce").notna() if "p_value" in table
                   else pd.Series(True, index=table.index))
            found = [replace_keys(str(s), language) for s in table.loc[ran, column].dropna()]
    found = [s for s in found if s.strip()][:SUMMARY_FINDINGS]
    lines += [f"- {html.escape(s)}" for s in found] + ([""] if found else [])
    findings = output_dir / "published" / "findings.csv"
    if findings.exists():
        table = read_csv(findings)
        counts = {k: int((table.get("severity", pd.Series(dtype=str)) == k).sum())
                  for k in ("error", "warning", "info")}
        lines += [f"{term('findings', language)}: {term('findings_counts', language, **counts)}.", ""]
    if verdict is None and not found and not findings.exists():
        lines.append(term("report_none", language))
    return "\n".join(lines)


def write_report(study: Study, build_dir: Path, out_path: Path) -> Path:
    """Merge the executed notebooks found in ``build_dir`` into one code-hidden HTML file.

    Their text is already in the study's language only: the runner executes each notebook's text in that
    language (:func:`helpers.teaching.in_language`), so the executed notebooks shipped beside the report
    read as it does.
    """
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.cells.append(nbformat.v4.new_markdown_cell(summary_markdown(study, build_dir), id="summary"))
    for name in study.notebooks:
        path = build_dir / f"{name}.ipynb"
        if not path.exists():
            continue
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            if cell.cell_type == "code":  # a warning is said in words by the step itself, never as a stderr box
                cell.outputs = [o for o in cell.get("outputs", [])
                                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
            merged.cells.append(cell)
        for key in ("kernelspec", "language_info"):
            if key in notebook.metadata:
                merged.metadata.setdefault(key, notebook.metadata[key])
    # Data texts are escaped where they are displayed (show_table, sentences_markdown, the summary);
    # nbconvert's sanitize_html would also escape the notebooks' own headings and tables.
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(merged, resources={"metadata": {"name": study.title[study.language]}})
    paths.write_atomic(out_path, body.encode("utf-8"))
    return out_path



def sentences_markdown(results, language: str):
    """The result sentences of a results table as a Markdown list, for display in a notebook: keys put into
    words as the summary and the article do (:func:`helpers.export.glossary.replace_keys`)."""
    from IPython.display import Markdown

    column = f"sentence_{language}"
    sentences = [html.escape(replace_keys(str(s), language)) for s in results[column].dropna()] \
        if column in results else []
    return Markdown("\n".join(f"- {s}" for s in sentences) or "—")


def _column_kind(name: str) -> str:
    """How a column of a shown table prints, from its (fixed, snake_case) name."""
    name = str(name)
    if name == "year" or name.endswith("_year"):
        return "year"
    if name in ("p", "p_value", "p_adjusted", "p_low", "p_high") or name.startswith("p_"):
        return "p_value"
    if name == "df":
        return "df"
    if name == "statistic":
        return "statistic"
    if name in ("n", "count", "base", "number", "row") or name.startswith("n_") or name.endswith("_count") \
            or name.startswith("count_"):
        return "count"
    return "number"


def _stable_styler():
    """A pandas Styler whose plain-text form names its size, not its memory address, so an executed notebook
    holds the same bytes on every run."""
    from pandas.io.formats.style import Styler

    class Table(Styler):
        def __repr__(self) -> str:
            return f"<table: {self.data.shape[0]} rows, {self.data.shape[1]} columns>"

    return Table


def _in_words(value, words, language: str):
    if not isinstance(value, str) or not value:
        return value
    try:
        return words(value, language)
    except KeyError:
        return value


#: Columns whose values are keys, and the glossary function that puts each into words.
VALUE_WORDS = {"effect_name": effect_name, "severity": severity, "check": check_name, "test": test_name,
               "category": category_name, "note": note_text, "rating_code": code_label, "rule": rule_name,
               "scale": scale_name}


def show_table(frame, language: str, decimals: int = 3):
    """A DataFrame as a notebook displays it in a report: headers in words (the glossary), numbers by
    :func:`helpers.numbers.format_value` from the kind of their column (counts whole and grouped,
    p-values as p, decimal comma in Vietnamese), missing values as "–", labels HTML-escaped, no index.
    ``None`` (a step with nothing to show) displays as a short note."""
    import numbers as _numbers

    import pandas as pd

    from helpers.numbers import format_value

    if frame is None:
        from IPython.display import Markdown

        return Markdown(f"*{term('nothing_here', language)}*")

    def formatter(column):
        kind = _column_kind(column)

        def cell(value):
            if value is None or value is pd.NA or (isinstance(value, float) and value != value):
                return "–"
            if isinstance(value, bool):
                return "✓" if value else ""
            if isinstance(value, _numbers.Real):
                if kind == "number" and float(value).is_integer():
                    return format_value(value, "count", language)
                return format_value(value, kind, language, decimals)
            return str(value)
        return cell

    def shown_header(column) -> str:
        name = str(column)
        for suffix in ("_vi", "_en"):  # message_vi → message
            if name.endswith(suffix) and name[:-3] in HEADERS:
                name = name[:-3]
        return header(name, language) if name in HEADERS else name

    shown = frame.map(lambda v: "–" if v is pd.NA else v)
    for column in shown.columns:  # keys kept in data (an effect's, a check's, a test's name) shown in words
        words = VALUE_WORDS.get(str(column))
        if words is not None:
            shown[column] = shown[column].map(lambda v, w=words: _in_words(v, w, language))
    styler = _stable_styler()(shown).format({c: formatter(c) for c in shown.columns}, escape="html")
    styler = styler.hide(axis="index")
    # The HTML ids come from the table's content, not from a random uuid, so a rerun writes the same bytes.
    styler.set_uuid(hashlib.sha256(shown.to_csv(index=False).encode("utf-8", "replace")).hexdigest()[:8])
    return styler.relabel_index([shown_header(c) for c in shown.columns], axis="columns")


def export_summary(exported):
    """What step 4 wrote, in words: the numbered figures and tables, what was left out and why,
    and the notes (a font fallback, said in words, never as a warning box)."""
    from IPython.display import Markdown

    language = exported.language
    lines = []
    for item in exported.items:
        if item.status == "written" and item.kind in ("figure", "table"):
            lines.append(f"- **{term(item.kind, language)} {item.number}.** {html.escape(item.caption)}")
        elif item.status == "skipped":
            lines.append(f"- *{term('skipped_' + item.kind, language)}* ({html.escape(item.reason)})")
    notes = getattr(exported, "notes", ())
    if notes:
        lines += ["", f"**{term('notes', language)}**", ""] + [f"- {html.escape(n)}" for n in notes]
    return Markdown("\n".join(lines) or f"*{term('nothing_here', language)}*")


def figures_html(output_dir: Path, exported=None, language: str = "vi"):
    """Show the figures of a study in a notebook, each with its numbered caption ("Hình N. …").

    Parameters
    ----------
    output_dir : Path
        The build folder (its ``figures/`` holds the 300-dpi PNGs).
    exported : helpers.export.ExportResult, optional
        What :func:`helpers.export.export_study` wrote: its numbers and captions are shown. Without
        it, every 300-dpi PNG is shown in name order with its number only.
    """
    from IPython.display import Image, Markdown, display

    if exported is not None:
        language = exported.language
        figures = [(item.number, item.caption, next(p for p in item.files if p.name.endswith("_300dpi.png")))
                   for item in exported.items if item.kind == "figure" and item.status == "written"]
    else:
        figures = [(i, "", p) for i, p in enumerate(sorted((Path(output_dir) / "figures").glob("*_300dpi.png")), 1)]
    for number, caption, png in figures:
        display(Image(filename=str(png), width=700))
        display(Markdown(f"**{term('figure', language)} {number}.** {html.escape(caption)}"))


def write_notebook_html(notebook_path: Path, out_path: Path) -> Path:
    """One executed notebook as HTML with its code shown (teaching lessons are about the code)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    paths.write_atomic(out_path, body.encode("utf-8"))
    return out_path
