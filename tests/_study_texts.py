"""What a reader of a built study sees, file by file: used by tests/test_english_study.py and
tests/test_vietnamese_study.py (the two mirrors: no Vietnamese in an English build, no English in a
Vietnamese one)."""

from __future__ import annotations

import html
import re

import docx
import nbformat
import pandas as pd

from helpers.study import load_study
from helpers.teaching.leaks import output_texts

#: Text columns of a published table: what the source printed, quoted verbatim.
SOURCE_COLUMNS = ("category", "count", "percent", "place", "level", "group", "quote")


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


def printed_texts(root) -> set[str]:
    """The texts of the printed tables under ``data/raw/published`` (their text columns): what an output may quote."""
    values = set()
    for file in sorted((root / "data" / "raw" / "published").glob("*.csv")):
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
        for column in SOURCE_COLUMNS:
            if column in table:
                values.update(v.strip() for v in table[column] if v.strip())
    return values


def longest_first(values) -> list[str]:
    """Only texts with a letter, longest first: a printed number (``5``, ``2016``) is no word, and removing it
    would cut keys such as ``org-2008``."""
    return sorted((v for v in values if re.search(r"[^\W\d_]", v)), key=len, reverse=True)


def source_texts(root, study: str) -> list[str]:
    """What a study's outputs may quote verbatim from its sources, longest first: the printed tables
    (:func:`printed_texts`) and the cited articles (author, title, site)."""
    values = printed_texts(root)
    for source in load_study(study).raw.get("sources") or []:
        values.update(str(source[key]) for key in ("author", "title", "site") if source.get(key))
    return longest_first(values)


def without_quotes(text: str, quotes: list[str]) -> str:
    """``text`` without the source texts it quotes (and the marks the report puts round a checked number)."""
    rest = text.replace("⟦", "").replace("⟧", "")
    for quote in quotes:
        rest = rest.replace(quote, " ")
    return rest
