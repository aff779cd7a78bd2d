"""Corpus mode: ``check-published DIR --summary`` — extract and check every article of a folder.

One summary row per article (:data:`CORPUS_COLUMNS`) and one figure: the share of
the articles with rating numbers that print at least one error. An article that
cannot be read is a row with status ``unreadable`` and its reason (the run goes on);
an article without rating numbers is a row with status ``no_numbers``.

Outputs (``summary.csv``, ``share-with-error`` figure files) go to the folder given
by ``--output`` (default ``reports/published-corpus/<folder name>``); each file is
written under a temporary name and renamed.

The figure is drawn by the export floor (:func:`helpers.export.figures_corpus.share_figure`),
which sits above this one: :func:`run_corpus` takes it as an argument, handed down by the
command line on top (``python -m helpers check-published``), and never imports it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd

from helpers.errors import InputError, Problem

CORPUS_COLUMNS = ["source_id", "file", "status", "n_rows", "n_unsure", "n_tables", "n_numbers", "n_checked",
                  "n_errors", "n_warnings", "message"]


def corpus_files(arguments) -> list[Path]:
    """The article files of the given folders (sorted) and files."""
    from helpers.published.extract.documents import SUFFIXES

    files: list[Path] = []
    problems = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES
                            and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            problems.append(Problem(file=str(path), rule="neither a folder nor a file"))
    if problems:
        raise InputError(problems, "check-published --summary: some arguments do not exist")
    return files


def summarise_article(path: Path) -> dict:
    """Extract and check one article; one summary row."""
    from helpers.published import check_published, read_published
    from helpers.published.extract.draft import extract_article

    row = dict.fromkeys(CORPUS_COLUMNS, 0)
    row.update(source_id=path.stem, file=str(path), message="")
    try:
        draft = extract_article(path)
    except InputError as error:
        row.update(status="unreadable", message="; ".join(p.rule for p in error.problems))
        return row
    row.update(n_rows=len(draft.rows), n_unsure=draft.n_unsure)
    if draft.rows.empty:
        row.update(status="no_numbers", message="no rating numbers found")
        return row
    with tempfile.TemporaryDirectory(prefix="corpus-") as folder:
        target = Path(folder) / f"{path.stem}.csv"
        target.write_text(draft.to_csv(), encoding="utf-8")
        try:
            audit = check_published(read_published(target))
        except InputError as error:
            row.update(status="unreadable", message="; ".join(p.rule for p in error.problems))
            return row
    summary = audit.summary.iloc[0]
    row.update(n_tables=int(summary.n_tables), n_numbers=int(summary.n_numbers), n_checked=int(summary.n_checked),
               n_errors=int(summary.n_errors), n_warnings=int(summary.n_warnings), message=summary.verdict_en)
    row["status"] = "error" if row["n_errors"] else "warning" if row["n_warnings"] else "ok"
    return row


def run_corpus(arguments, output=None, language: str = "vi", figure=None) -> pd.DataFrame:
    """Summarise every article; write ``summary.csv`` and the figure; return the summary.

    Parameters
    ----------
    arguments : list of str
        Folders of articles and article files.
    output : str or Path, optional
    language : {'vi', 'en'}
    figure : callable, optional
        ``figure(summary, folder, language)`` draws the figure (the command line passes
        :func:`helpers.export.figures_corpus.share_figure`); None writes the summary only.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CORPUS_COLUMNS`, one row per article, in file order.
    """
    from helpers.paths import REPORTS
    from helpers.tabular import write_csv

    files = corpus_files(arguments)
    summary = pd.DataFrame([summarise_article(p) for p in files], columns=CORPUS_COLUMNS)
    first = Path(arguments[0])
    out = Path(output) if output else REPORTS / "published-corpus" / (first.name if first.is_dir() else first.stem)
    out.mkdir(parents=True, exist_ok=True)
    write_csv(summary, out / "summary.csv")
    if figure is not None:
        figure(summary, out, language)
    return summary
