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
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from helpers import paths
from helpers.errors import InputError, Problem
from helpers.study import Study, list_studies, load_study

MANIFEST = "manifest.json"
REPORT = "report.html"


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


def notebook_stamps(study: Study, inputs: dict[str, str], environment: Environment) -> dict[str, str]:
    """The stamp of each of the study's notebooks, in order; each includes the previous one."""
    stamps = {}
    previous = ""
    for name in study.notebooks:
        digest = hashlib.sha256()
        for part in (previous, notebook_code(paths.NOTEBOOKS / f"{name}.ipynb"), study.parameters_digest(),
                     json.dumps(inputs, sort_keys=True), environment.digest()):
            digest.update(part.encode())
            digest.update(b"\x00")
        previous = stamps[name] = digest.hexdigest()
    return stamps


def input_hashes(study: Study) -> dict[str, str]:
    """SHA-256 of each input file, keyed by its path relative to data/raw/."""
    return {
        str(p.relative_to(paths.DATA_RAW)) if p.is_relative_to(paths.DATA_RAW) else str(p): _sha256_file(p)
        for p in study.input_files()
    }


def read_manifest(study: Study) -> dict:
    path = study.report_dir / MANIFEST
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError):
        return {}


def first_stale(study: Study, stamps: dict[str, str]) -> int | None:
    """Index of the first notebook whose stamp differs from the manifest's; None when all are current."""
    previous = {nb["name"]: nb.get("stamp") for nb in read_manifest(study).get("notebooks", [])}
    for index, name in enumerate(study.notebooks):
        if previous.get(name) != stamps[name]:
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
    from helpers.inference.battery import validate_analyses
    from helpers.panel import check_panel_config

    problems: list[Problem] = []
    if study.panel is not None:
        problems += check_panel_config(study.panel, study.file)
    if study.analyses:
        problems += validate_analyses(list(study.analyses), study.file)
    for name in study.notebooks:
        if not (paths.NOTEBOOKS / f"{name}.ipynb").exists():
            problems.append(Problem(file=str(study.file), column="notebooks", value=name,
                                    rule=f"notebook {name}.ipynb is missing from notebooks/"))
    if problems:
        raise InputError(problems, f"study file {study.file.name} has problems")


# ---------------------------------------------------------------- building one study

@dataclass(frozen=True)
class StudyOutcome:
    """What happened to one study in a run."""

    study: str
    status: str  # "built", "up to date" or "failed"
    notebooks_run: tuple[str, ...] = ()
    seconds: float = 0.0
    message: str = ""
    durations: dict = field(default_factory=dict)


def _failure_paragraph(study: str, notebook: str, error: BaseException, kept: Path) -> str:
    cell = getattr(error, "cell_index", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    where = f"cell {cell + 1}" if isinstance(cell, int) else "before the first cell ran"
    shown = kept.relative_to(paths.ROOT) if kept.is_relative_to(paths.ROOT) else kept
    return (
        f"Study '{study}' failed in notebook {notebook}.ipynb, {where}: {ename}: {evalue}\n"
        f"  The failed executed notebook is kept at {shown}; "
        f"the previous outputs of '{study}' are unchanged."
    )


def _copy_previous(study: Study, build: Path) -> None:
    """Seed a partial rebuild with the previous good outputs (notebooks before the stale one)."""
    if study.report_dir.exists():
        for item in study.report_dir.iterdir():
            if item.name in ("failed",):
                continue
            target = build / item.name
            if item.is_dir():
                shutil.copytree(item, target)
            else:
                shutil.copy2(item, target)
    if study.processed_dir.exists():
        shutil.copytree(study.processed_dir, build / "processed", dirs_exist_ok=True)


def _swap_in(new: Path, final: Path) -> None:
    """Replace ``final`` by ``new`` with renames only, so neither is ever half-written."""
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
    if final.exists():
        os.replace(final, old)
    os.replace(new, final)
    if old.exists():
        shutil.rmtree(old)


def build_study(name: str, start: int, stamps: dict, run_id: str, kernel: str,
                inputs: dict, packages: dict) -> StudyOutcome:
    """Run the notebooks of one study from index ``start`` on, in a build folder, then swap in."""
    import papermill

    study = load_study(name)
    began = time.perf_counter()
    build = paths.REPORTS / f".build-{name}-{run_id}"
    build.mkdir(parents=True)
    previous = read_manifest(study)
    durations = {nb["name"]: nb.get("seconds") for nb in previous.get("notebooks", [])}
    ran = []
    try:
        if start > 0:
            _copy_previous(study, build)
        (build / "processed").mkdir(exist_ok=True)
        for name_nb in study.notebooks[start:]:
            executed = build / f"{name_nb}.ipynb"
            t0 = time.perf_counter()
            try:
                papermill.execute_notebook(
                    str(paths.NOTEBOOKS / f"{name_nb}.ipynb"), str(executed),
                    parameters={"study": study.name, "language": study.language, "output_dir": str(build)},
                    kernel_name=kernel, progress_bar=False, log_output=False, cwd=str(build),
                )
            except Exception as error:  # papermill raises PapermillExecutionError, or kernel errors
                failed_dir = study.report_dir / "failed"
                failed_dir.mkdir(parents=True, exist_ok=True)
                kept = failed_dir / f"{name_nb}.ipynb"
                if executed.exists():
                    shutil.copy2(executed, kept)
                return StudyOutcome(study=name, status="failed", notebooks_run=tuple(ran),
                                    seconds=time.perf_counter() - began,
                                    message=_failure_paragraph(name, name_nb, error, kept))
            durations[name_nb] = round(time.perf_counter() - t0, 3)
            ran.append(name_nb)
        from helpers.report import write_report

        write_report(study, build, build / REPORT)
        manifest = {
            "run_id": run_id,
            "study": study.name,
            "study_file": str(study.file.relative_to(paths.ROOT)) if study.file.is_relative_to(paths.ROOT)
            else str(study.file),
            "parameters": study.raw,
            "language": study.language,
            "kernel": kernel,
            "inputs": inputs,
            "packages": packages,
            "notebooks": [
                {"name": nb, "stamp": stamps[nb], "seconds": durations.get(nb), "ran_in_this_run": nb in ran}
                for nb in study.notebooks
            ],
        }
        (build / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str),
                                      encoding="utf-8")
        processed = build / "processed"
        if any(processed.iterdir()):
            staged = paths.DATA_PROCESSED / f".build-{name}-{run_id}"
            os.replace(processed, staged) if processed.exists() else None
            _swap_in(staged, study.processed_dir)
        else:
            processed.rmdir()
        shutil.rmtree(study.report_dir / "failed", ignore_errors=True)
        _swap_in(build, study.report_dir)
        return StudyOutcome(study=name, status="built", notebooks_run=tuple(ran),
                            seconds=time.perf_counter() - began, durations=durations)
    finally:
        shutil.rmtree(build, ignore_errors=True)
        for leftover in paths.DATA_PROCESSED.glob(f".build-{name}-{run_id}"):
            shutil.rmtree(leftover, ignore_errors=True)


# ---------------------------------------------------------------- the whole run

@dataclass(frozen=True)
class RunSummary:
    """Outcome of ``helpers run``: one entry per study, and the run's exit code."""

    run_id: str
    outcomes: tuple[StudyOutcome, ...]
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

    def to_dict(self) -> dict:
        return {**asdict(self), "exit_code": self.exit_code, "kernels_started": self.kernels_started}


def run(names: list[str] | None = None, jobs: int | None = None, force: bool = False,
        kernel: str = paths.KERNEL_NAME, echo=print) -> RunSummary:
    """Run the named studies (all when ``names`` is empty); see the module docstring.

    Raises
    ------
    InputError
        Before anything runs: an unknown study, a malformed study file, a
        missing input file. Nothing under reports/ or data/ is touched then.
    """
    began = time.perf_counter()
    run_id = time.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:6]
    names = list(names or list_studies())
    problems: list[Problem] = []
    studies: list[Study] = []
    for name in names:
        try:
            studies.append(load_study(name))
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems, "cannot run: study files have problems")
    raw_before = tree_checksums(paths.DATA_RAW)
    environment = Environment.current(kernel)
    plan: list[tuple[Study, int, dict, dict]] = []
    for study in studies:
        inputs = input_hashes(study)
        stamps = notebook_stamps(study, inputs, environment)
        start = 0 if force else first_stale(study, stamps)
        if start is not None:
            plan.append((study, start, stamps, inputs))
    for study, *_ in plan:
        try:
            check_study(study)
        except InputError as error:
            problems += error.problems
    if problems:
        raise InputError(problems, "cannot run: study files have problems")
    outcomes = [StudyOutcome(study=s.name, status="up to date") for s in studies
                if s.name not in {p[0].name for p in plan}]
    if plan:
        paths.REPORTS.mkdir(parents=True, exist_ok=True)
        workers = max(1, min(jobs or os.cpu_count() or 1, len(plan)))
        echo(f"Running {len(plan)} stud{'y' if len(plan) == 1 else 'ies'} on {workers} worker(s): "
             + ", ".join(s.name for s, *_ in plan))
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(build_study, s.name, start, stamps, run_id, kernel, inputs,
                                   environment.packages)
                       for s, start, stamps, inputs in plan]
            for future in futures:
                outcome = future.result()
                outcomes.append(outcome)
                if outcome.status == "built":
                    echo(f"  built {outcome.study}: {', '.join(outcome.notebooks_run)} "
                         f"in {outcome.seconds:.1f} s")
                else:
                    echo(outcome.message)
    raw_after = tree_checksums(paths.DATA_RAW)
    changed = tuple(sorted(k for k in raw_before.keys() | raw_after.keys() if raw_before.get(k) != raw_after.get(k)))
    summary = RunSummary(run_id=run_id, outcomes=tuple(sorted(outcomes, key=lambda o: o.study)),
                         raw_changed=changed, seconds=time.perf_counter() - began)
    up_to_date = [o.study for o in summary.outcomes if o.status == "up to date"]
    if up_to_date:
        echo(f"Up to date (no kernel started): {', '.join(up_to_date)}")
    if changed:
        print("ERROR: data/raw/ CHANGED DURING THE RUN — raw data must never be written.\n  Changed: "
              + ", ".join(changed), file=sys.stderr)
    failed = [o.study for o in summary.outcomes if o.status == "failed"]
    echo(f"Done in {summary.seconds:.1f} s: {summary.kernels_started} notebook(s) executed"
         + (f"; FAILED: {', '.join(failed)}" if failed else "") + ".")
    return summary
