"""Command line: ``python -m helpers run|teach|check-published|list`` (also the ``helpers`` script).

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
        from helpers.published.cli import main as check_published_main

        return check_published_main(argv[1:])
    parser = argparse.ArgumentParser(prog="helpers", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
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
    listing = commands.add_parser("list", help="list the study files")
    listing.set_defaults(handler=_list)
    args = parser.parse_args(argv)
    return args.handler(args)
