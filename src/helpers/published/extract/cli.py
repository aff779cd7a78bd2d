"""``python -m helpers extract-published FILE... [-o draft.csv] [--year Y] [--place P] [--source-id ID]``.

Reads each article and writes one draft table (the contract of
``data/raw/published/template.csv`` plus ``start``, ``end``, ``confidence``,
``reason``). Without ``-o`` the draft is printed. Exit codes: 0 (also when no
rating number is found: the draft is then empty and the message says so), 2 when
an article cannot be read (nothing is written then).

Also the article side of ``check-published``: :func:`drafts_for_check` turns the
article files among its arguments into draft CSVs the checker reads.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from helpers.errors import InputError
from helpers.paths import shown

#: Suffixes read as articles by check-published (a .txt is an article unless its first line is a CSV header).
ARTICLE_SUFFIXES = (".docx", ".pdf", ".html", ".htm", ".md", ".txt")
WORDS = {
    "vi": {"no_numbers": "không tìm thấy số xếp loại nào", "rows": "dòng", "unsure": "chưa chắc chắn",
           "written": "đã ghi", "not_taken": "số không lấy"},
    "en": {"no_numbers": "no rating numbers found", "rows": "rows", "unsure": "unsure", "written": "written", "not_taken": "numbers not taken"},
}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers extract-published",
        description="Extract every rating number of Vietnamese articles into a draft table to review and check "
                    "(trích số liệu xếp loại từ bài báo).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="articles (.txt, .md, .docx, .pdf, .html)")
    parser.add_argument("-o", "--output", help="draft CSV to write (default: print it)")
    parser.add_argument("--year", type=int, help="year of the numbers when the text names none")
    parser.add_argument("--place", help="place of the numbers when the text names none")
    parser.add_argument("--source-id", help="source id (default: each file's stem)")
    parser.add_argument("--url", default="", help="url written in every row")
    parser.add_argument("--language", default="en", choices=("vi", "en"), help="language of the messages")
    return parser


def extract_all(files, source_id=None, year=None, place=None, url=""):
    """Drafts of every file; every unreadable file is reported at once (:class:`InputError`)."""
    from helpers.published.extract.draft import extract_article

    drafts, problems = [], []
    for file in files:
        try:
            drafts.append(extract_article(file, source_id=source_id, year=year, place=place, url=url))
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise InputError(problems, f"{len(problems)} article(s) cannot be read")
    return drafts


def main(argv: list[str] | None = None) -> int:
    """Run the extractor; returns the exit code (0 written, 2 bad input)."""
    from helpers.published.extract.draft import write_draft

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    words = WORDS[args.language]
    try:
        drafts = extract_all(args.files, args.source_id, args.year, args.place, args.url)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for draft in drafts:
        n = len(draft.rows)
        note = words["no_numbers"] if n == 0 else f"{n} {words['rows']}, {draft.n_unsure} {words['unsure']}"
        not_taken = draft.skipped_summary()
        if not_taken:
            note += f"; {words['not_taken']}: " + ", ".join(f"{reason} {k}" for reason, k in not_taken.items())
        print(f"{draft.document.path}: {note}", file=sys.stderr)
    if args.output:
        write_draft(drafts, args.output)
        print(f"{words['written']} {args.output}", file=sys.stderr)
    else:
        import pandas as pd

        from helpers.published.extract.draft import Draft
        from helpers.published.extract.documents import Document

        frame = pd.concat([d.rows for d in drafts], ignore_index=True)
        sys.stdout.write(Draft(Document("", "text", ""), frame).to_csv())
    return 0


def is_article(path: str | Path) -> bool:
    """Whether check-published should read ``path`` as an article (not a table of typed numbers)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in ARTICLE_SUFFIXES:
        return False
    if suffix == ".txt" and path.is_file():
        with open(path, "rb") as handle:
            head = handle.readline(4000).decode("utf-8", errors="replace").lower()
        return not ("source_id" in head and "category" in head)
    return True


def drafts_for_check(files, folder: str | Path):
    """Split check-published's arguments: tables are kept, articles are extracted into CSVs in ``folder``.

    Returns
    -------
    (paths, drafts)
        The files the checker reads, and ``{draft csv path: Draft}`` for the articles.
    """
    from helpers.published.extract.draft import write_draft

    from helpers.errors import Problem

    paths, drafts, articles = [], {}, [f for f in files if is_article(f)]
    extracted = extract_all(articles) if articles else []
    by_article = dict(zip(articles, extracted))
    problems = [Problem(file=str(file), column="year", value=row["quote"],
                        rule="no year is printed before this number: run extract-published FILE --year Y -o "
                             "draft.csv, then check the draft")
                for file, draft in by_article.items() for _, row in draft.rows.iterrows() if not row["year"]]
    if problems:
        raise InputError(problems, "some numbers of the articles have no year")
    for file in files:
        if file in by_article:
            draft = by_article[file]
            if draft.rows.empty:
                continue
            target = Path(folder) / f"{Path(file).stem}.draft.csv"
            write_draft([draft], target)
            drafts[str(target)] = draft
            paths.append(str(target))
        else:
            paths.append(file)
    return paths, drafts


def point_to_articles(audit, drafts: dict):
    """The audit with each finding's ``file`` naming the article its draft row came from."""
    import dataclasses

    if not drafts:
        return audit
    findings = audit.findings.copy()
    names = {shown(path): draft.document.path for path, draft in drafts.items()}  # as read_published names it
    findings["file"] = [names.get(f, f) for f in findings["file"]]
    summary = audit.summary.copy()
    summary["files"] = [";".join(_article_name(x, drafts) for x in str(files).split(";"))
                        for files in summary["files"]]
    return dataclasses.replace(audit, findings=findings, summary=summary)


def _article_name(name: str, drafts: dict) -> str:
    for path, draft in drafts.items():
        if Path(path).name == name:
            return Path(draft.document.path).name
    return name


def highlight(quote: str, printed: str | None) -> str:
    """The quote with the printed number marked ``⟦…⟧`` (the quote itself when the number is not in it)."""
    if not printed or printed not in quote:
        return quote
    at = quote.index(printed)
    return f"{quote[:at]}⟦{printed}⟧{quote[at + len(printed):]}"


def quoted_findings(audit, drafts: dict, language: str, show_all: bool) -> str:
    """Each finding of an article's draft with its sentence, the number highlighted."""
    head = {"vi": "Câu trong bài báo", "en": "Sentences in the articles"}[language]
    lines = ["", head]
    rows_by_file = {draft.document.path: draft for draft in drafts.values()}
    findings = audit.findings if show_all else audit.findings[audit.findings["severity"] != "info"]
    for finding in findings.itertuples(index=False):
        draft = rows_by_file.get(finding.file)
        if draft is None or finding.row is None or str(finding.row) == "<NA>":
            continue
        index = int(finding.row) - 2        # spreadsheet row: the header is row 1
        if not 0 <= index < len(draft.rows):
            continue
        row = draft.rows.iloc[index]
        printed = finding.printed if isinstance(finding.printed, str) else None
        lines.append(f"  {finding.source_id}/{finding.table_id} [{finding.check}] "
                     f"({row['start']}–{row['end']}): {highlight(row['quote'], printed)}")
    return "\n".join(lines) if len(lines) > 2 else ""


def corpus_main(files, language: str, output, figure=None) -> int:
    """check-published DIR --summary: see :mod:`helpers.published.extract.corpus` (``figure``: drawn by the
    caller's floor, see :func:`~helpers.published.extract.corpus.run_corpus`)."""
    from helpers.published.extract.corpus import run_corpus

    try:
        summary = run_corpus(files, output=output, language=language, figure=figure)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(summary.to_string(index=False))
    return 1 if (summary["n_errors"] > 0).any() else 0


def temporary_folder():
    """A folder for the drafts of one check-published run (removed afterwards)."""
    return tempfile.TemporaryDirectory(prefix="check-published-")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
