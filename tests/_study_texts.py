"""What a reader of a built study sees, file by file: used by tests/test_english_study.py and
tests/test_vietnamese_study.py (the two mirrors: no Vietnamese in an English build, no English in a
Vietnamese one)."""

from __future__ import annotations

import html
import re

import docx
import nbformat

from helpers.teaching.leaks import output_texts


def html_text(path) -> str:
    """The text an HTML page shows (scripts and styles left out, entities unescaped)."""
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", path.read_text(encoding="utf-8"), flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", " ", text))


def code_comments(notebook, injected: bool = True) -> list[str]:
    """The comments of a notebook's code cells; ``injected=False`` leaves out the parameters cell papermill adds
    (its ``# Parameters`` is papermill's)."""
    return [line.split("#", 1)[1] for c in notebook.cells if c.cell_type == "code"
            and (injected or "injected-parameters" not in c.metadata.get("tags", []))
            for line in c.source.splitlines() if "#" in line]


def reader_texts(folder) -> dict[str, str]:
    """What a reader of the study's outputs sees, per file: article.docx, report.html, the SVG figures, the
    Markdown tables and the executed notebooks (markdown, code comments and outputs)."""
    document = docx.Document(folder / "article.docx")
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    texts = {"article.docx": "\n".join([p.text for p in document.paragraphs] + cells),
             "report.html": html_text(folder / "report.html")}
    for svg in sorted((folder / "figures").glob("*.svg")):
        texts[svg.name] = "\n".join(html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>",
                                                                         svg.read_text(encoding="utf-8")))
    for table in sorted((folder / "tables").glob("*.md")):
        texts[table.name] = table.read_text(encoding="utf-8")
    for executed in sorted(folder.glob("*.ipynb")):  # the executed notebooks the report points to
        notebook = nbformat.read(executed, as_version=4)
        texts[executed.name] = "\n".join(
            [c.source for c in notebook.cells if c.cell_type == "markdown"]
            + code_comments(notebook)
            + [text for c in notebook.cells for _, text in output_texts(c)])
    return texts
