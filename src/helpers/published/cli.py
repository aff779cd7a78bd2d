"""``python -m helpers check-published FILE... [--json] [--language vi|en]``.

Reads the published-number tables, checks them and prints the findings (or
one JSON object with ``--json``). Exit codes: 0 when no finding is an error,
1 when some finding is an error, 2 when the input cannot be read (the message
names file, row and column; nothing is printed on standard output then).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from pathlib import Path

import pandas as pd

from helpers.errors import InputError
from helpers.numbers import check_language

_MARK = {"error": "✗", "warning": "!", "info": "·"}


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m helpers check-published",
        description="Check every count, total and percentage printed in published tables "
                    "(kiểm tra số liệu đã công bố).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="published-number tables (.csv or .xlsx), articles (.txt, .md, .docx, .pdf, .html: "
                             "extracted first) or a folder of articles (with --summary)")
    parser.add_argument("--summary", action="store_true",
                        help="corpus mode: one summary row per article and a figure of the share with an error")
    parser.add_argument("--output", help="folder for the corpus summary (default: reports/published-corpus)")
    parser.add_argument("--json", action="store_true", help="print one JSON object {findings, denominators, summary}")
    parser.add_argument("--language", default="vi", choices=("vi", "en"), help="language of the messages")
    parser.add_argument("--all", action="store_true", help="also list info findings (default: errors and warnings)")
    return parser


def _report(audit, language: str, show_all: bool) -> str:
    message = f"message_{language}"
    lines = []
    findings = audit.findings
    if not show_all:
        findings = findings[findings["severity"] != "info"]
    for row in findings.itertuples(index=False):
        word = "dòng" if language == "vi" else "row"
        where = (Path(row.file).name if pd.isna(row.source_id) else f"{row.source_id}/{row.table_id}") + \
            ("" if pd.isna(row.row) else f" ({word} {row.row})")
        lines.append(f"{_MARK[row.severity]} {row.severity:<7} {where} [{row.check}] {getattr(row, message)}")
    lines.append("")
    header = "Tóm tắt theo bài báo" if language == "vi" else "Summary per article"
    lines.append(header)
    for row in audit.summary.itertuples(index=False):
        verdict = row.verdict_vi if language == "vi" else row.verdict_en
        counts = (f"{row.n_numbers} số, {row.n_checked} đã kiểm tra" if language == "vi"
                  else f"{row.n_numbers} numbers, {row.n_checked} checked")
        lines.append(f"  {row.source_id} ({row.files}; {row.encodings}): {counts}; {verdict}")
    return "\n".join(lines)


def main(argv: list[str] | None = None, corpus_figure=None) -> int:
    """Run the checker; returns the exit code (0 no error finding, 1 some error finding, 2 bad input).

    ``corpus_figure`` draws the figure of the corpus mode; it belongs to the export floor, above this one, so
    the command line on top (:mod:`helpers.cli`) passes it in
    (:func:`helpers.export.figures_corpus.share_figure`); without it the corpus mode writes its summary only.
    """
    from helpers.published import check_published, read_published

    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _parser().parse_args(argv)
    except SystemExit as stop:
        return int(stop.code or 0)
    language = check_language(args.language)
    # --- articles (issue 15): extract first, then check the drafts; helpers.published.extract owns this part
    from helpers.published.extract import cli as articles

    if args.summary or any(Path(f).is_dir() for f in args.files):
        return articles.corpus_main(args.files, language, args.output, corpus_figure)
    with articles.temporary_folder() as folder:
        try:
            files, drafts = articles.drafts_for_check(args.files, folder)
            if not files:
                print(articles.WORDS[language]["no_numbers"], file=sys.stderr)
                return 0
            audit = check_published(read_published(files))
        except InputError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        audit = articles.point_to_articles(audit, drafts)
    # --- end of the article part
    if args.json:
        print(audit.to_json())
    else:
        print(_report(audit, language, args.all))
        if drafts:
            print(articles.quoted_findings(audit, drafts, language, args.all))
    return audit.exit_code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
