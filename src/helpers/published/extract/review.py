"""Articles beside typed tables, for a study: read both, and show each finding with its sentence.

A study's ``published:`` list may name article files (.docx, .pdf, .html, .txt, .md) beside typed tables
(.csv, .xlsx): :func:`read_with_articles` extracts each article into a draft table (kept beside the findings,
``<output>/published/drafts/<article>.draft.csv``, for review) and reads everything as one table.
:func:`quoted_findings` adds to each finding the sentence its number was printed in, the number marked ⟦…⟧.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd


def read_with_articles(files, drafts_dir: str | Path) -> pd.DataFrame:
    """Typed tables and articles as one published-number table (see :func:`helpers.published.read_published`).

    Raises
    ------
    InputError
        An article cannot be read, or one of its numbers has no year (the message says to give one).
    """
    from helpers.published import read_published
    from helpers.published.extract.cli import drafts_for_check

    from helpers.published.extract.cli import is_article

    files = [str(f) for f in files]
    folder = Path(drafts_dir)
    if any(is_article(f) for f in files):
        folder.mkdir(parents=True, exist_ok=True)
    paths, _ = drafts_for_check(files, folder)
    return read_published(paths)


def quoted_findings(findings: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The findings with a ``quote`` column: the sentence of the row the finding is about, its number marked."""
    from helpers.published.extract.cli import highlight

    quotes = {(str(f), int(r)): q for f, r, q in zip(table["file"], table["row"], table["quote"])
              if q is not None and r is not pd.NA}
    out = findings.copy()
    out["quote"] = [
        highlight(quotes[(str(f), int(r))], p if isinstance(p, str) else None)
        if r is not pd.NA and r is not None and (str(f), int(r)) in quotes else None
        for f, r, p in zip(findings["file"], findings["row"], findings["printed"])]
    return out
