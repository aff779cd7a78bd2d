"""Run the studies' notebooks with papermill, safely and only when something changed.

For each study the runner

1. checks the study file and every section of it before any kernel starts;
2. computes a *stamp* per notebook — a hash of the notebook's code cells, the
   study's parameters, the bytes of its input files, the ``helpers`` source,
   the installed package versions and the previous notebook's stamp — and
   skips the study when every stamp equals the one in its ``manifest.json``;
3. builds the outputs in ``reports/.build-<study>-<run id>/`` and, only when
   every notebook succeeded, swaps them into ``reports/<study>/`` (and the
   processed data into ``data/processed/<study>/``);
4. on failure keeps the previous outputs, saves the failed executed notebook
   under ``reports/<study>/failed/`` and prints one short paragraph.

Independent studies run in parallel, up to the number of cores. ``data/raw/``
is checksummed before and after; a change there fails the run loudly.

This module imports no heavy library at load time: a run with nothing to do
must finish within a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.study import Study, list_studies, load_study

MANIFEST = "manifest.json"
REPORT = "report.html"


# ---------------------------------------------------------------- jobs

@dataclass(frozen=True)
class Step:
    """One notebook of a job: its source, the parameters injected, and its version.

    ``version`` is ``""`` for a study notebook, ``"student"`` (solution cells
    removed before it runs) or ``"instructor"`` for a teaching lesson.
    ``output_dir`` is added to the parameters at build time.
    """

    name: str
    source: Path
    parameters: dict
    version: str = ""


@dataclass(frozen=True)
class Job:
    """A set of notebooks built together into one folder of reports/ (a study, or a lesson set)."""

    name: str
    report_dir: Path
    steps: tuple[Step, ...]
    inputs: tuple[Path, ...]
    parameters: dict
    processed_dir: Path | None = None
    study: Study | None = None

    @property
    def label(self) -> str:
        return f"Study '{self.name}'" if self.study else f"'{self.name}'"


def study_job(study: Study) -> Job:
    """The job that runs a study's notebooks in order."""
    steps = tuple(Step(name=nb, source=paths.NOTEBOOKS / f"{nb}.ipynb",
                       parameters={"study": study.name, "language": study.language})
                  for nb in study.notebooks)
    return Job(name=study.name, report_dir=study.report_dir, steps=steps, inputs=tuple(study.input_files()),
               parameters=study.raw, processed_dir=study.processed_dir, study=study)


def teaching_jobs(language: str = "vi") -> list[Job]:
    """Two jobs over notebooks/teaching/*.ipynb: the student and the instructor versions."""
    lessons = sorted((paths.NOTEBOOKS / "teaching").glob("*.ipynb"))
    inputs = tuple(sorted(p for p in paths.DATA_RAW.rglob("*") if p.is_file()))
    return [
        Job(name=f"teaching/{version}", report_dir=paths.REPORTS / "teaching" / version,
            steps=tuple(Step(name=lesson.stem, source=lesson, parameters={"language": language}, version=version)
                        for lesson in lessons),
            inputs=inputs, parameters={"language": language, "version": version})
        for version in ("student", "instructor")
    ]


# ---------------------------------------------------------------- hashing

def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def tree_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every file below ``root``, keyed by relative path."""
    if not root.exists():
        return {}
    return {
        str(p.relative_to(root)): _sha256_file(p)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def _helpers_source_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(paths.PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(paths.PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def package_versions() -> dict[str, str]:
    """Name → version of every installed distribution (the kernel uses the same environment)."""
    from importlib.metadata import distributions

    versions = {}
    for dist in distributions():
        name = dist.metadata["Name"]
        if name:
            versions[name.lower()] = dist.version
    return dict(sorted(versions.items()))


def notebook_code(path: Path) -> str:
    """The code cells of a notebook, joined; outputs and markdown do not count."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\x00\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")


@dataclass(frozen=True)
class Environment:
    """What every stamp shares: helpers source, package versions, kernel name."""

    helpers_source: str
    packages: dict
    kernel: str

    @classmethod
    def current(cls, kernel: str) -> "Environment":
        return cls(helpers_source=_helpers_source_digest(), packages=package_versions(), kernel=kernel)

    def digest(self) -> str:
        text = json.dumps([self.helpers_source, self.packages, self.kernel], sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def input_hashes(job: Job, raw_checksums: dict[str, str]) -> dict[str, str]:
    """SHA-256 of each input file, keyed by its path relative to data/raw/."""
    hashes = {}
    for path in job.inputs:
        key = _relative(path, paths.DATA_RAW)
        hashes[key] = raw_checksums.get(key) or _sha256_file(path)
    return hashes


def step_stamps(job: Job, inputs: dict[str, str], environment: Environment) -> dict[str, str]:
    """The stamp of each step, in order; each includes the previous one, so a change reruns what follows."""
    stamps = {}
    previous = ""
    parameters = json.dumps(job.parameters, sort_keys=True, ensure_ascii=False, default=str)
    for step in job.steps:
        digest = hashlib.sha256()
        for part in (previous, notebook_code(step.source), parameters,
                     json.dumps([step.parameters, step.version], sort_keys=True),
                     json.dumps(inputs, sort_keys=True), environment.digest()):
            digest.update(part.encode())
            digest.update(b"\x00")
        previous = stamps[step.name] = digest.hexdigest()
    return stamps


def read_manifest(report_dir: Path) -> dict:
    path = report_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def first_stale(job: Job, stamps: dict[str, str]) -> int | None:
    """Index of the first step whose stamp differs from the manifest's; None when all are current."""
    previous = {nb["name"]: nb.get("stamp") for nb in read_manifest(job.report_dir).get("notebooks", [])}
    for index, step in enumerate(job.steps):
        if previous.get(step.name) != stamps[step.name]:
            return index
    return None


# ---------------------------------------------------------------- checking studies

def check_study(study: Study) -> None:
    """Check every section of a study file with the module that uses it.

    Raises
    ------
    InputError
        Listing every problem in the ``panel`` and ``analyses`` sections.
    """
    from helpers.export import check_export
    from helpers.inference.battery import validate_analyses
    from helpers.inference.designs import check_design
    from helpers.panel import check_panel_config

    problems: list[Problem] = []
    shown = _relative(study.file, paths.ROOT)
    if study.panel is not None:
        problems += check_panel_config(study.panel, shown)
    if study.analyses:
        problems += validate_analyses(list(study.analyses), shown)
    problems += check_design(study.raw, shown)
    if study.export:
        problems += check_export(study.export, shown)
    for name in study.notebooks:
        if not (paths.NOTEBOOKS / f"{name}.ipynb").exists():
            problems.append(Problem(file=shown, column="notebooks", value=name, kind="field",
                                    rule=f"notebook {name}.ipynb is missing from notebooks/"))
    if problems:
        raise InputError(problems, f"study file {study.file.name} has problems")


# ---------------------------------------------------------------- building one job

@dataclass(frozen=True)
class JobOutcome:
    """What happened to one job in a run."""

    name: str
    status: str  # "built", "up to date" or "failed"
    notebooks_run: tuple[str, ...] = ()
    seconds: float = 0.0
    message: str = ""


def _failure_paragraph(job: Job, notebook: str, error: BaseException, kept: Path) -> str:
    cell = getattr(error, "cell_index", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    where = f"cell {cell + 1}" if isinstance(cell, int) else "before the first cell ran"
    return (
        f"{job.label} failed in notebook {notebook}.ipynb, {where}: {ename}: {evalue}\n"
        f"  The failed executed notebook is kept at {_relative(kept, paths.ROOT)}; "
        f"the previous outputs of '{job.name}' are unchanged."
    )


def _copy_previous(job: Job, build: Path) -> None:
    """Seed a partial rebuild with the previous good outputs (of the steps before the stale one)."""
    if job.report_dir.exists():
        for item in job.report_dir.iterdir():
            if item.name == "failed":
                continue
            if item.is_dir():
                shutil.copytree(item, build / item.name)
            else:
                shutil.copy2(item, build / item.name)
    if job.processed_dir and job.processed_dir.exists():
        shutil.copytree(job.processed_dir, build / "processed", dirs_exist_ok=True)


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with renames only, so neither is ever half-written."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


def _prepare_source(step: Step, build: Path) -> Path:
    """The notebook to execute: the source itself, or its student version for teaching."""
    if step.version != "student":
        return step.source
    import nbformat

    from helpers.teaching import student_version

    prepared = build / ".sources" / step.source.name
    prepared.parent.mkdir(exist_ok=True)
    nbformat.write(student_version(nbformat.read(step.source, as_version=4)), prepared)
    return prepared


def _write_outputs(job: Job, build: Path, ran: list[str]) -> None:
    """The HTML report(s): one merged code-hidden report for a study, one page per lesson otherwise."""
    if job.study is not None:
        from helpers.report import write_report

        write_report(job.study, build, build / REPORT)
        return
    from helpers.report import write_notebook_html

    for name in ran:
        write_notebook_html(build / f"{name}.ipynb", build / f"{name}.html")


def build_job(job: Job, start: int, stamps: dict, run_id: str, kernel: str,
              inputs: dict, packages: dict) -> JobOutcome:
    """Run the steps of one job from index ``start`` on, in a build folder, then swap it in."""
    import papermill
    from jupyter_client.manager import KernelManager

    began = time.perf_counter()
    sockets = Path(tempfile.mkdtemp(prefix="helpers-kernel-"))  # IPC, not unencrypted TCP
    slug = job.name.replace("/", "-")
    build = paths.REPORTS / f".build-{slug}-{run_id}"
    build.mkdir(parents=True)
    durations = {nb["name"]: nb.get("seconds") for nb in read_manifest(job.report_dir).get("notebooks", [])}
    ran: list[str] = []
    try:
        if start > 0:
            _copy_previous(job, build)
        (build / "processed").mkdir(exist_ok=True)
        for step in job.steps[start:]:
            executed = build / f"{step.name}.ipynb"
            t0 = time.perf_counter()
            manager = KernelManager(kernel_name=kernel, transport="ipc", ip=str(sockets / step.name))
            try:
                papermill.execute_notebook(
                    str(_prepare_source(step, build)), str(executed),
                    parameters={**step.parameters, "output_dir": str(build)},
                    kernel_name=kernel, language="python", progress_bar=False, log_output=False, cwd=str(build),
                    km=manager,
                )
            except Exception as error:  # PapermillExecutionError, or the kernel could not start
                failed_dir = job.report_dir / "failed"
                failed_dir.mkdir(parents=True, exist_ok=True)
                kept = failed_dir / f"{step.name}.ipynb"
                if executed.exists():
                    shutil.copy2(executed, kept)
                return JobOutcome(name=job.name, status="failed", notebooks_run=tuple(ran),
                                  seconds=time.perf_counter() - began,
                                  message=_failure_paragraph(job, step.name, error, kept))
            finally:
                if manager.has_kernel:  # nbclient leaves a kernel it did not create running
                    manager.shutdown_kernel(now=True)
            durations[step.name] = round(time.perf_counter() - t0, 3)
            ran.append(step.name)
        shutil.rmtree(build / ".sources", ignore_errors=True)
        _write_outputs(job, build, ran)
        manifest = {
            "run_id": run_id,
            "job": job.name,
            "study_file": _relative(job.study.file, paths.ROOT) if job.study else None,
            "parameters": job.parameters,
            "kernel": kernel,
            "inputs": inputs,
            "packages": packages,
            "notebooks": [
                {"name": step.name, "stamp": stamps[step.name], "seconds": durations.get(step.name),
                 "ran_in_this_run": step.name in ran}
                for step in job.steps
            ],
        }
        (build / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str),
                                      encoding="utf-8")
        processed = build / "processed"
        if job.processed_dir is not None and any(processed.iterdir()):
            staged = paths.DATA_PROCESSED / f".build-{slug}-{run_id}"
            staged.parent.mkdir(parents=True, exist_ok=True)
            os.replace(processed, staged)
            _swap_in(staged, job.processed_dir)
        else:
            shutil.rmtree(processed)
        shutil.rmtree(job.report_dir / "failed", ignore_errors=True)
        _swap_in(build, job.report_dir)
        return JobOutcome(name=job.name, status="built", notebooks_run=tuple(ran),
                          seconds=time.perf_counter() - began)
    finally:
        shutil.rmtree(sockets, ignore_errors=True)
        shutil.rmtree(build, ignore_errors=True)
        shutil.rmtree(paths.DATA_PROCESSED / f".build-{slug}-{run_id}", ignore_errors=True)


# ---------------------------------------------------------------- the whole run

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
