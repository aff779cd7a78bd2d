"""The whole run: plan every job, build the stale ones in parallel, report on all of them.

Every job ends in one line (built, up to date) or one paragraph (failed, refused), and the run always
ends with the ``data/raw/`` check, whatever happened before: a worker that crashed, a full disk, Ctrl-C.
A bad study file fails only its own study, unless the user named the studies to run.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from helpers import paths
from helpers.errors import InputError, Problem, cut
from helpers.runner import lock
from helpers.runner.build import JobOutcome, build_folder, build_job, failure
from helpers.runner.lifecycle import STOP_GRACE, remove_dead_sockets, start_worker
from helpers.runner.jobs import Job, study_job
from helpers.runner.plan import (Environment, check_study, input_hashes, input_problems, stale_from, step_stamps,
                                 tree_checksums)
from helpers.study import Study, list_studies, load_study


@dataclass(frozen=True)
class RunSummary:
    """Outcome of a run: one entry per job, and the run's exit code."""

    run_id: str
    outcomes: tuple[JobOutcome, ...]
    raw_changed: tuple[str, ...]
    seconds: float
    #: The signal that stopped the run (SIGINT for Ctrl-C, SIGTERM), or 0.
    interrupted: int = 0

    @property
    def exit_code(self) -> int:
        if self.interrupted:
            return 128 + self.interrupted
        if self.raw_changed:
            return 3
        if any(o.status == "refused" for o in self.outcomes):
            return 2
        return 1 if any(o.status == "failed" for o in self.outcomes) else 0

    @property
    def kernels_started(self) -> int:
        return sum(len(o.notebooks_run) for o in self.outcomes)


def _name_problem(name: str) -> Problem:
    return Problem(file=f"studies/{cut(name, 100)}.yaml", rule=f"{paths.STUDY_NAME_RULE}; rename the study file",
                   value=name, column="name", kind="field")


def load_one(name: str) -> Study:
    """Load one study file by name or path, refusing a name that cannot be a folder name, and refusing input
    paths outside data/raw/ or of a type the notebooks cannot read."""
    if not name.endswith((".yaml", ".yml")) and not paths.is_study_name(name):
        raise InputError([_name_problem(name)], f"cannot run study '{cut(name, 100)}'")
    study = load_study(name)
    if not paths.is_study_name(study.name):
        raise InputError([_name_problem(study.name)], f"cannot run study '{cut(study.name, 100)}'")
    problems = input_problems(study)
    if problems:
        raise InputError(problems, f"study file {paths.shown(study.file)} has problems")
    return study


def load_studies(names: list[str] | None) -> tuple[list[Study], list[JobOutcome]]:
    """Load the named study files (all when empty).

    Returns the loaded studies and one refused outcome per bad study file.

    Raises
    ------
    InputError
        When the user named the studies and any of them is bad, listing every problem of every file.
    """
    problems: list[Problem] = []
    studies: list[Study] = []
    refused: list[JobOutcome] = []
    for name in names or list_studies():
        try:
            studies.append(load_one(name))
        except InputError as error:
            problems += error.problems
            refused.append(JobOutcome(name=name, status="refused", message=f"Study '{cut(name, 100)}' was not "
                                      f"run: {error}"))
    if problems and names:
        raise InputError(problems, "cannot run: study files have problems")
    return studies, refused


def run(names: list[str] | None = None, jobs: int | None = None, force: bool = False,
        kernel: str = paths.KERNEL_NAME, echo=print) -> RunSummary:
    """Run the named studies (all when ``names`` is empty); see the module docstring.

    Raises
    ------
    InputError
        Before anything runs, when the user named the studies: an unknown study, a malformed study file, an
        input outside data/raw/ or missing. Nothing under reports/ or data/ is touched then. Without names, a
        bad study file only fails its own study.
    """
    studies, refused = load_studies(names)
    return execute([study_job(s) for s in studies], jobs=jobs, force=force, kernel=kernel, echo=echo,
                   refused=refused, strict=bool(names))


class RunInterrupted(BaseException):
    """The runner received SIGTERM (Ctrl-C arrives as KeyboardInterrupt)."""


def _on_sigterm(signum, frame):
    raise RunInterrupted()


def _stop_workers() -> None:
    """Tell every worker to stop (SIGTERM: each cleans its build folder and kernel), then kill stragglers."""
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + STOP_GRACE + 5
    for child in children:
        child.join(max(0.0, deadline - time.monotonic()))
        if child.is_alive():
            child.kill()
            child.join(5)


def execute(job_list: list[Job], jobs: int | None = None, force: bool = False,
            kernel: str = paths.KERNEL_NAME, echo=print, refused: list[JobOutcome] = (),
            strict: bool = True) -> RunSummary:
    """Build the stale jobs in parallel (up to the number of cores) and report on all of them.

    ``strict``: a study file refused by its section checks stops the whole run (InputError) instead of
    failing its own study only.
    """
    began = time.perf_counter()
    run_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    outcomes: list[JobOutcome] = list(refused)
    raw_before = tree_checksums(paths.DATA_RAW)
    interrupted = 0
    held: list[lock.JobLock] = []
    previous_handler = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        try:
            environment = Environment.current(kernel)
            plan = _plan(job_list, force, environment, outcomes, held, echo, strict, raw_before)
            if plan:
                _build_all(plan, jobs, run_id, kernel, outcomes, echo, environment.packages)
        except KeyboardInterrupt:
            interrupted = signal.SIGINT
        except RunInterrupted:
            interrupted = signal.SIGTERM
        if interrupted:
            _stop_workers()
            done = {o.name for o in outcomes}
            stopped = [j.name for j in job_list if j.name not in done]
            outcomes += [JobOutcome(name=n, status="failed") for n in stopped]
            print(f"Run stopped by {signal.Signals(interrupted).name}: "
                  + (f"{', '.join(stopped)} stopped before finishing; their previous outputs are unchanged."
                     if stopped else "every job had already finished."), file=sys.stderr)
    finally:
        for held_lock in held:
            held_lock.release()
        signal.signal(signal.SIGTERM, previous_handler)
    return _report(run_id, outcomes, raw_before, began, interrupted, echo)


def _plan(job_list: list[Job], force: bool, environment: Environment, outcomes: list[JobOutcome], held: list, echo,
          strict: bool, raw_before: dict) -> list[tuple[Job, int, dict, dict]]:
    """List the stale jobs with their first stale step; check their study files; then lock every job and clean
    what killed runs of it left. Nothing is written before the study files are checked."""
    staleness = []
    for job in job_list:
        try:
            inputs = input_hashes(job, raw_before)
            stamps = step_stamps(job, inputs, environment)
            start, reason = (0, "") if force else stale_from(job, stamps)
        except OSError as error:
            outcomes.append(failure(job, "reading its inputs and previous outputs", error))
            continue
        staleness.append((job, start, reason, stamps, inputs))
    problems: list[Problem] = []
    checked = []
    for entry in staleness:
        job, start = entry[0], entry[1]
        try:
            if start is not None and job.study is not None:
                check_study(job.study)
            checked.append(entry)
        except InputError as error:
            problems += error.problems
            outcomes.append(JobOutcome(name=job.name, status="refused", message=f"{job.label} was not run: {error}"))
    if problems and strict:
        raise InputError(problems, "cannot run: study files have problems")
    for outcome in outcomes:
        echo(outcome.message)
    remove_dead_sockets()
    plan: list[tuple[Job, int, dict, dict]] = []
    for job, start, reason, stamps, inputs in checked:
        try:
            taken = lock.acquire(job)
            if isinstance(taken, str):
                outcomes.append(JobOutcome(name=job.name, status="failed", message=taken))
                echo(taken)
                continue
            held.append(taken)
            lock.remove_leftovers(job)
            if start is None:  # a failure kept from an earlier run no longer describes the outputs
                paths.remove_generated(job.report_dir / "failed")
        except OSError as error:
            outcomes.append(failure(job, "preparing its build", error))
            echo(outcomes[-1].message)
            continue
        if start is None:
            outcomes.append(JobOutcome(name=job.name, status="up to date"))
            continue
        if reason:
            echo(f"  {job.name} is rebuilt: {reason}")
        plan.append((job, start, stamps, inputs))
    return plan


def _build_all(plan, jobs: int | None, run_id: str, kernel: str, outcomes: list[JobOutcome], echo,
               packages: dict) -> None:
    """Build the planned jobs in worker processes; a crashed worker fails its job only."""
    workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
    echo(f"Running {len(plan)} job(s) on {workers} worker(s): " + ", ".join(j.name for j, *_ in plan))
    pool = ProcessPoolExecutor(max_workers=workers, initializer=start_worker, initargs=(os.getpid(),))
    try:
        futures = [(job, pool.submit(build_job, job, start, stamps, run_id, kernel, inputs, packages))
                   for job, start, stamps, inputs in plan]
        for job, future in futures:
            try:
                outcome = future.result()
            except Exception as error:  # the worker died (BrokenProcessPool) or the job could not be sent
                outcome = failure(job, "running in its worker process", error)
                for root in (paths.REPORTS, paths.DATA_PROCESSED):  # what the dead worker could not clean
                    paths.remove_generated(build_folder(job, run_id, root))
            outcomes.append(outcome)
            if outcome.status == "built":
                echo(f"  built {outcome.name}: {', '.join(outcome.notebooks_run)} in {outcome.seconds:.1f} s")
            else:
                echo(outcome.message)
    except BaseException:  # Ctrl-C or SIGTERM: the workers stop and clean up before the runner reports
        _stop_workers()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)
    remove_dead_sockets()


def _report(run_id: str, outcomes: list[JobOutcome], raw_before: dict, began: float, interrupted: int,
            echo) -> RunSummary:
    """Check data/raw/ and print the run's last lines; this always runs, whatever happened before."""
    raw_after = tree_checksums(paths.DATA_RAW)
    # A file added to data/raw/ during the run is the user's business; a file changed or removed is not
    # (when it is a job's input, that job already said so and kept its previous outputs).
    reported = {key for o in outcomes for key in o.changed_inputs}
    changed = tuple(sorted(k for k in raw_before if raw_before[k] != raw_after.get(k) and k not in reported))
    summary = RunSummary(run_id=run_id, outcomes=tuple(sorted(outcomes, key=lambda o: o.name)),
                         raw_changed=changed, seconds=time.perf_counter() - began, interrupted=interrupted)
    up_to_date = [o.name for o in summary.outcomes if o.status == "up to date"]
    if up_to_date:
        echo(f"Up to date (no kernel started): {', '.join(up_to_date)}")
    if changed:
        print("ERROR: files under data/raw/ changed or vanished during the run: " + cut(", ".join(changed))
              + ".\n  The runner and the notebooks must never write there; if you edited these files yourself, "
                "run again once they are complete.", file=sys.stderr)
    failed = [o.name for o in summary.outcomes if o.status in ("failed", "refused")]
    echo(f"Done in {summary.seconds:.1f} s: {summary.kernels_started} notebook(s) executed"
         + (f"; FAILED: {', '.join(failed)}" if failed else "") + ".")
    return summary
