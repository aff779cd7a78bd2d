"""The whole run: plan every job, build the stale ones in parallel, report on all of them.

``data/raw/`` is checksummed before and after; a change there fails the run loudly.
"""

from __future__ import annotations

import os
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.runner.build import JobOutcome, build_job
from helpers.runner.jobs import Job, study_job
from helpers.runner.plan import Environment, check_study, first_stale, input_hashes, step_stamps, tree_checksums
from helpers.study import Study, list_studies, load_study


@dataclass(frozen=True)
class RunSummary:
    """Outcome of a run: one entry per job, and the run's exit code."""

    run_id: str
    outcomes: tuple[JobOutcome, ...]
    raw_changed: tuple[str, ...]
    seconds: float

    @property
    def exit_code(self) -> int:
        if self.raw_changed:
            return 3
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0

    @property
    def kernels_started(self) -> int:
        return sum(len(o.notebooks_run) for o in self.outcomes)


def load_studies(names: list[str] | None) -> list[Study]:
    """Load the named study files (all when empty), listing every problem of every file at once."""
    problems: list[Problem] = []
    studies: list[Study] = []
    for name in names or list_studies():
        try:
            studies.append(load_study(name))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems, "cannot run: study files have problems")
    return studies


def run(names: list[str] | None = None, jobs: int | None = None, force: bool = False,
        kernel: str = paths.KERNEL_NAME, echo=print) -> RunSummary:
    """Run the named studies (all when ``names`` is empty); see the module docstring.

    Raises
    ------
    InputError
        Before anything runs: an unknown study, a malformed study file, a
        missing input file. Nothing under reports/ or data/ is touched then.
    """
    studies = load_studies(names)
    return execute([study_job(s) for s in studies], jobs=jobs, force=force, kernel=kernel, echo=echo)


def execute(job_list: list[Job], jobs: int | None = None, force: bool = False,
            kernel: str = paths.KERNEL_NAME, echo=print) -> RunSummary:
    """Build the stale jobs in parallel (up to the number of cores) and report on all of them."""
    began = time.perf_counter()
    run_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    raw_before = tree_checksums(paths.DATA_RAW)
    environment = Environment.current(kernel)
    plan: list[tuple[Job, int, dict, dict]] = []
    for job in job_list:
        inputs = input_hashes(job, raw_before)
        stamps = step_stamps(job, inputs, environment)
        start = 0 if force else first_stale(job, stamps)
        if start is not None:
            plan.append((job, start, stamps, inputs))
    problems: list[Problem] = []
    for job, *_ in plan:
        if job.study is not None:
            try:
                check_study(job.study)
            except InputError as error:
                problems += error.problems
    if problems:
        raise InputError(problems, "cannot run: study files have problems")
    planned = {job.name for job, *_ in plan}
    outcomes = [JobOutcome(name=j.name, status="up to date") for j in job_list if j.name not in planned]
    if plan:
        paths.REPORTS.mkdir(parents=True, exist_ok=True)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
        echo(f"Running {len(plan)} job(s) on {workers} worker(s): " + ", ".join(j.name for j, *_ in plan))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build_job, job, start, stamps, run_id, kernel, inputs, environment.packages)
                       for job, start, stamps, inputs in plan]
            for future in futures:
                outcome = future.result()
                outcomes.append(outcome)
                if outcome.status == "built":
                    echo(f"  built {outcome.name}: {', '.join(outcome.notebooks_run)} in {outcome.seconds:.1f} s")
                else:
                    echo(outcome.message)
    raw_after = tree_checksums(paths.DATA_RAW)
    changed = tuple(sorted(k for k in raw_before.keys() | raw_after.keys() if raw_before.get(k) != raw_after.get(k)))
    summary = RunSummary(run_id=run_id, outcomes=tuple(sorted(outcomes, key=lambda o: o.name)),
                         raw_changed=changed, seconds=time.perf_counter() - began)
    up_to_date = [o.name for o in summary.outcomes if o.status == "up to date"]
    if up_to_date:
        echo(f"Up to date (no kernel started): {', '.join(up_to_date)}")
    if changed:
        print("ERROR: data/raw/ CHANGED DURING THE RUN — raw data must never be written.\n  Changed: "
              + ", ".join(changed), file=sys.stderr)
    failed = [o.name for o in summary.outcomes if o.status == "failed"]
    echo(f"Done in {summary.seconds:.1f} s: {summary.kernels_started} notebook(s) executed"
         + (f"; FAILED: {', '.join(failed)}" if failed else "") + ".")
    return summary
