"""Command line: ``python -m helpers new-study|check|run|teach|check-published|extract-published|list`` (also the
``helpers`` script).

Exit codes: 0 success; 1 a study failed (or, for check-published, an error
finding); 2 bad input (unknown study, malformed study file, unreadable file);
3 a file under data/raw/ changed or vanished during a run; 128 + the signal number when the run was
stopped (130 for Ctrl-C, 143 for SIGTERM).
"""

from __future__ import annotations

import argparse
import sys

from helpers.errors import InputError


def _run(args: argparse.Namespace) -> int:
    from helpers import runner

    try:
        summary = runner.run(args.studies, jobs=args.jobs, force=args.force)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while the study files were being read: nothing was started
        print("Run stopped by SIGINT before any study started; nothing was changed.", file=sys.stderr)
        return 130
    return summary.exit_code


def _teach(args: argparse.Namespace) -> int:
    from helpers import runner

    summary = runner.execute(runner.teaching_jobs(args.language), jobs=args.jobs, force=args.force)
    return summary.exit_code


def _new_study(args: argparse.Namespace) -> int:
    from helpers.study.draft import new_study

    try:
        draft = new_study(args.name, args.folder)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        print("(no study file was written)", file=sys.stderr)
        return 2
    print(draft.summary(args.language))
    return 0


def _check(args: argparse.Namespace) -> int:
    from helpers.study.check import check_study_files

    report = check_study_files(args.studies or None)
    print(report.text(args.language))
    return 0 if report.ok else 2


def _list(args: argparse.Namespace) -> int:
    from helpers.study import list_studies, load_study

    for name in list_studies():
        try:
            study = load_study(name)
            print(f"{name:<20} {study.title['en']}")
        except InputError as error:
            print(f"{name:<20} (cannot be loaded: {error.headline})")
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "check-published":
        from helpers.export.figures_corpus import share_figure
        from helpers.published.cli import main as check_published_main

        return check_published_main(argv[1:], corpus_figure=share_figure)   # the figure: export, above published
    if argv and argv[0] == "extract-published":
        from helpers.published.extract.cli import main as extract_published_main

        return extract_published_main(argv[1:])
    parser = argparse.ArgumentParser(prog="helpers", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    new = commands.add_parser("new-study", help="propose studies/NAME.yaml from the files of a folder")
    new.add_argument("name", metavar="NAME", help="name of the new study (studies/NAME.yaml)")
    new.add_argument("folder", metavar="FOLDER", nargs="?", default=None,
                     help="folder of raw files (default: data/raw/NAME/)")
    new.add_argument("--language", choices=("vi", "en"), default="vi", help="language of the summary")
    new.set_defaults(handler=_new_study)
    check = commands.add_parser("check", help="check studies without running them (every problem, with its fix)")
    check.add_argument("studies", nargs="*", metavar="STUDY", help="study names (default: all)")
    check.add_argument("--language", choices=("vi", "en"), default="vi", help="language of the summary line")
    check.set_defaults(handler=_check)
    run = commands.add_parser("run", help="run the notebooks of the named studies (default: all)")
    run.add_argument("studies", nargs="*", metavar="STUDY", help="study names (files in studies/)")
    run.add_argument("--jobs", type=int, default=None, help="studies run at once (default: number of cores)")
    run.add_argument("--force", action="store_true", help="rerun even when nothing changed")
    run.set_defaults(handler=_run)
    teach = commands.add_parser("teach", help="build the lessons into reports/teaching/student and /instructor")
    teach.add_argument("--language", choices=("vi", "en"), default="vi", help="language of the lessons")
    teach.add_argument("--jobs", type=int, default=None, help="versions built at once (default: cores)")
    teach.add_argument("--force", action="store_true", help="rerun even when nothing changed")
    teach.set_defaults(handler=_teach)
    commands.add_parser("check-published", help="check printed numbers: check-published FILE... [--json]")
    commands.add_parser("extract-published", help="extract rating numbers from articles: extract-published FILE... "
                                                  "[-o draft.csv]")
    listing = commands.add_parser("list", help="list the study files")
    listing.set_defaults(handler=_list)
    args = parser.parse_args(argv)
    return args.handler(args)
