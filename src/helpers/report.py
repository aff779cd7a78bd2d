"""``report.html``: a study's executed notebooks without code, opening with a summary.

The summary lists the result sentences of ``results.csv`` and counts the
published-number findings by severity, in the study's language. Every text
that comes from data (labels, messages) is HTML-escaped, so a label such as
``<script>`` shows as text.
"""

from __future__ import annotations

import html
from pathlib import Path

from helpers.study import Study

_TEXT = {
    "vi": {
        "summary": "Tóm tắt kết quả",
        "results": "Kết quả kiểm định",
        "findings": "Kiểm tra số liệu đã công bố",
        "counts": "{error} lỗi, {warning} cảnh báo, {info} ghi chú",
        "none": "Nghiên cứu này không có kết quả kiểm định hay kiểm tra số liệu.",
        "subtitle": "Báo cáo tự động — mã nguồn được ẩn; xem các notebook trong cùng thư mục.",
    },
    "en": {
        "summary": "Summary of findings",
        "results": "Test results",
        "findings": "Published-number check",
        "counts": "{error} errors, {warning} warnings, {info} notes",
        "none": "This study has no test results or published-number findings.",
        "subtitle": "Generated report — code hidden; the executed notebooks are in the same folder.",
    },
}


def summary_markdown(study: Study, output_dir: Path) -> str:
    """Markdown summary of a study's results and findings, every data text escaped."""
    import pandas as pd

    text = _TEXT[study.language]
    lines = [f"# {html.escape(study.title[study.language])}", "", f"*{text['subtitle']}*", "",
             f"## {text['summary']}", ""]
    found = False
    results = output_dir / "results.csv"
    if results.exists():
        table = pd.read_csv(results, encoding="utf-8-sig")
        column = f"sentence_{study.language}"
        if column in table and len(table):
            found = True
            lines += [f"### {text['results']}", ""]
            lines += [f"- {html.escape(str(s))}" for s in table[column].dropna()]
            lines.append("")
    findings = output_dir / "published" / "findings.csv"
    if findings.exists():
        table = pd.read_csv(findings, encoding="utf-8-sig")
        found = True
        counts = {k: int((table.get("severity", pd.Series(dtype=str)) == k).sum())
                  for k in ("error", "warning", "info")}
        lines += [f"### {text['findings']}", "", text["counts"].format(**counts), ""]
        message = f"message_{study.language}"
        if message in table:
            errors = table[table["severity"] == "error"]
            lines += [f"- **{html.escape(str(r.source_id))} / {html.escape(str(r.table_id))}**: "
                      f"{html.escape(str(getattr(r, message)))}" for r in errors.itertuples()]
            lines.append("")
    if not found:
        lines.append(text["none"])
    return "\n".join(lines)


def write_report(study: Study, build_dir: Path, out_path: Path) -> Path:
    """Merge the executed notebooks found in ``build_dir`` into one code-hidden HTML file."""
    import nbformat
    from nbconvert import HTMLExporter

    merged = nbformat.v4.new_notebook()
    merged.cells.append(nbformat.v4.new_markdown_cell(summary_markdown(study, build_dir)))
    for name in study.notebooks:
        path = build_dir / f"{name}.ipynb"
        if not path.exists():
            continue
        notebook = nbformat.read(path, as_version=4)
        for cell in notebook.cells:
            tags = cell.get("metadata", {}).get("tags", [])
            if "parameters" in tags or "injected-parameters" in tags:
                continue
            merged.cells.append(cell)
        for key in ("kernelspec", "language_info"):
            if key in notebook.metadata:
                merged.metadata.setdefault(key, notebook.metadata[key])
    # Data texts are escaped where they are displayed (show_table, sentences_markdown, the summary);
    # nbconvert's sanitize_html would also escape the notebooks' own headings and tables.
    exporter = HTMLExporter(exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True)
    body, _ = exporter.from_notebook_node(merged, resources={"metadata": {"name": study.title[study.language]}})
    tmp = out_path.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(out_path)
    return out_path



def sentences_markdown(results, language: str):
    """The result sentences of a results table as a Markdown list, for display in a notebook."""
    from IPython.display import Markdown

    column = f"sentence_{language}"
    sentences = [html.escape(str(s)) for s in results[column].dropna()] if column in results else []
    return Markdown("\n".join(f"- {s}" for s in sentences) or "—")


def show_table(frame, language: str, decimals: int = 3):
    """A DataFrame as a notebook displays it in a report: numbers in the language's format
    (decimal comma in Vietnamese), missing values as "–", labels HTML-escaped, no index.
    ``None`` (a step with nothing to show) displays as a short note."""
    import numbers as _numbers

    if frame is None:
        from IPython.display import Markdown

        return Markdown("*Không có dữ liệu cho bước này.*" if language == "vi" else "*Nothing to show here.*")

    from helpers.numbers import format_number

    def cell(value):
        if value is None or (isinstance(value, float) and value != value):
            return "–"
        if isinstance(value, bool):
            return "✓" if value else ""
        if isinstance(value, _numbers.Integral):
            return format_number(int(value), 0, language, thousands=False)
        if isinstance(value, _numbers.Real):
            return format_number(float(value), decimals, language, thousands=False)
        return str(value)

    import pandas as pd

    shown = frame.map(lambda v: "–" if v is pd.NA else v)
    return shown.style.format(cell, escape="html").hide(axis="index")


def figures_html(output_dir: Path):
    """Show every 300-dpi PNG figure of ``output_dir/figures`` in a notebook, in name order."""
    from IPython.display import Image, display

    figures = sorted((Path(output_dir) / "figures").glob("*_300dpi.png"))
    for figure in figures:
        display(Image(filename=str(figure), width=700))
    return f"{len(figures)} figure(s)"


def write_notebook_html(notebook_path: Path, out_path: Path) -> Path:
    """One executed notebook as HTML with its code shown (teaching lessons are about the code)."""
    import nbformat
    from nbconvert import HTMLExporter

    exporter = HTMLExporter()
    body, _ = exporter.from_notebook_node(nbformat.read(notebook_path, as_version=4))
    tmp = out_path.with_suffix(".html.tmp")
    tmp.write_text(body, encoding="utf-8")
    tmp.replace(out_path)
    return out_path
