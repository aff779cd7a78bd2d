"""Build one job: run its stale notebooks in a build folder, then swap the outputs in with renames only.

The build folder is ``reports/.build-<job>-<run id>/``. Only when every notebook succeeded, and the job's
input files still hold the bytes they held when the run began, are its outputs swapped into
``reports/<job>/`` (and the processed data into ``data/processed/<job>/``). On any failure the previous
outputs stay, the failed executed notebook is kept under ``reports/<job>/failed/``, and the outcome carries
one short paragraph.

Jobs run in worker processes (see :mod:`helpers.runner.lifecycle`): a worker dies with the runner, cleans its
build folder, kernel and socket folder when it is told to stop, and never swaps anything in after the runner
is gone.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers.errors import SHOWN_CHARACTERS, cut
from helpers.runner import lifecycle
from helpers.runner.jobs import Job, Step
from helpers.runner.plan import (MANIFEST, _relative, _sha256_file, manifest_notebooks, output_record,
                                  read_manifest)

REPORT = "report.html"


# ---------------------------------------------------------------- outcome and messages

@dataclass(frozen=True)
class JobOutcome:
    """What happened to one job in a run."""

    name: str
    status: str  # "built", "up to date", "failed" or "refused" (a bad study file)
    notebooks_run: tuple[str, ...] = ()
    seconds: float = 0.0
    message: str = ""
    #: Input files (relative to data/raw/) that changed while the job read them; its build was not swapped in.
    changed_inputs: tuple[str, ...] = ()


def _failure_paragraph(job: Job, notebook: str, error: BaseException, kept: Path | None) -> str:
    cell = getattr(error, "cell_index", None)
    ename = getattr(error, "ename", type(error).__name__)
    evalue = getattr(error, "evalue", str(error))
    where = f"cell {cell + 1}" if isinstance(cell, int) else "before the first cell ran"
    if getattr(error, "problems", None) is not None:  # an InputError of the handout checks, after the run
        where, ename, evalue = "after it ran", "InputError", str(error)
    keep = (f"The failed executed notebook is kept at {_relative(kept, paths.ROOT)}; " if kept
            else "No executed notebook could be kept; ")
    return (
        f"{job.label} failed in notebook {notebook}.ipynb, {where}: {ename}: {cut(evalue, 10 * SHOWN_CHARACTERS)}\n"
        f"  {keep}the previous outputs of '{job.name}' are unchanged."
    )


def failure(job: Job, doing: str, error: BaseException, began: float | None = None, ran=(),
            swapped: bool = False) -> JobOutcome:
    """The outcome of a job that failed outside a notebook (permissions, a full disk, a crashed worker)."""
    text = str(error) or type(error).__name__
    unchanged = (f"part of the outputs of '{job.name}' may already be new; the next run rebuilds it"
                 if swapped else f"the previous outputs of '{job.name}' are unchanged")
    message = (f"{job.label} failed while {doing}: {type(error).__name__}: {cut(text)}\n"
               f"  Nothing was half-written: {unchanged}.")
    return JobOutcome(name=job.name, status="failed", notebooks_run=tuple(ran), message=message,
                      seconds=time.perf_counter() - began if began else 0.0)


# ---------------------------------------------------------------- the build folder

def build_folder(job: Job, run_id: str, root: Path | None = None) -> Path:
    """``reports/.build-<job>-<run id>`` (or the same name under ``root``)."""
    slug = job.name.replace("/", "-")
    return (root or paths.REPORTS) / f".build-{slug}-{run_id}"


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
    """Replace ``final`` by ``new`` with renames only, so neither is ever half-written.

    Both paths are checked to lie inside reports/ or data/processed/ before anything is renamed.
    """
    paths.check_generated(new)
    paths.check_generated(final)
    final.parent.mkdir(parents=True, exist_ok=True)
    old = final.with_name(f".old-{final.name}-{uuid.uuid4().hex[:8]}")
    with lifecycle.blocked_stop():
        if final.exists():
            paths.move_generated(final, old)
        paths.move_generated(new, final)
    paths.remove_generated(old)


def _prepare_source(step: Step, build: Path) -> Path:
    """The notebook to execute, its bilingual text in the step's language only (:func:`helpers.teaching.in_language`:
    a Vietnamese study or lesson leaves out its English, an English one its Vietnamese); for teaching, the
    student or instructor version of the lesson."""
    import nbformat

    from helpers.teaching import in_language, instructor_version, student_version

    prepared = build / ".sources" / step.source.name
    prepared.parent.mkdir(exist_ok=True)
    notebook = nbformat.read(step.source, as_version=4)
    if step.version:
        notebook = (student_version if step.version == "student" else instructor_version)(notebook)
    nbformat.write(in_language(notebook, step.parameters.get("language", "vi")), prepared)
    return prepared


#: Papermill metadata that changes from run to run; durations are kept in manifest.json instead.
_PAPERMILL_TIMES = ("start_time", "end_time", "duration")


def strip_run_details(executed: Path) -> None:
    """Remove the times and paths papermill writes into an executed notebook, and give the parameters cell it
    adds a fixed id, so that a rerun of the same inputs gives the same bytes (durations stay in
    manifest.json)."""
    notebook = json.loads(executed.read_text(encoding="utf-8"))
    papermill = notebook.get("metadata", {}).get("papermill", {})
    for key in (*_PAPERMILL_TIMES, "input_path", "output_path"):
        papermill.pop(key, None)
    for cell in notebook.get("cells", []):
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"  # papermill gives the cell it adds a random id
        cell_papermill = cell.get("metadata", {}).get("papermill", {})
        for key in _PAPERMILL_TIMES:
            cell_papermill.pop(key, None)
        cell.get("metadata", {}).pop("execution", None)  # nbclient's iopub/shell timestamps
    paths.write_atomic(executed, (json.dumps(notebook, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))


def _write_outputs(job: Job, build: Path, ran: list[str]) -> None:
    """The HTML report(s): one merged code-hidden report for a study, one page per lesson otherwise."""
    if job.study is not None:
        from helpers.report import write_report

        write_report(job.study, build, build / REPORT)
        return
    from helpers.report import write_notebook_html

    for name in ran:
        write_notebook_html(build / f"{name}.ipynb", build / f"{name}.html")


def changed_inputs(job: Job, inputs: dict[str, str]) -> list[str]:
    """The job's input files (relative to data/raw/) whose bytes differ from ``inputs`` now, or are gone."""
    changed = []
    for path in job.inputs:
        key = _relative(path, paths.DATA_RAW)
        try:
            now = _sha256_file(path)
        except OSError:
            now = None
        if now != inputs.get(key):
            changed.append(key)
    return changed


# ---------------------------------------------------------------- one job

def build_job(job: Job, start: int, stamps: dict, run_id: str, kernel: str,
              inputs: dict, packages: dict) -> JobOutcome:
    """Run the steps of one job from index ``start`` on, in a build folder, then swap it in.

    Every failure ends in a failed :class:`JobOutcome` with one paragraph, never a traceback.
    """
    try:
        return _build(job, start, stamps, run_id, kernel, inputs, packages)
    finally:
        lifecycle.building.clear()


def _build(job: Job, start: int, stamps: dict, run_id: str, kernel: str, inputs: dict, packages: dict) -> JobOutcome:
    began = time.perf_counter()
    build = build_folder(job, run_id)
    staged = build_folder(job, run_id, paths.DATA_PROCESSED)
    sockets: Path | None = None
    ran: list[str] = []
    doing = "creating its build folder " + paths.shown(build)
    swapped = False
    lifecycle.building[:] = [build, staged]
    try:
        build.mkdir(parents=True)
        sockets = Path(tempfile.mkdtemp(prefix=f"{lifecycle.SOCKETS_PREFIX}{os.getpid()}-"))  # IPC, not unencrypted TCP
        lifecycle.building.append(sockets)
        durations = {name: entry.get("seconds")
                     for name, entry in manifest_notebooks(read_manifest(job.report_dir)).items()}
        if start > 0:
            doing = "copying the previous outputs"
            _copy_previous(job, build)
        (build / "processed").mkdir(exist_ok=True)
        for step in job.steps[start:]:
            doing = f"running notebook {step.name}.ipynb"
            t0 = time.perf_counter()
            error = _run_step(job, step, build, sockets, kernel)
            if error is not None:
                return _failed_step(job, step, build, error, ran, began)
            if step.version:  # a lesson handout: no build path, no missing glyph, no answer given away
                from helpers.errors import InputError
                from helpers.teaching.handout import finish_handout

                try:
                    finish_handout(build / f"{step.name}.ipynb", step.version, build, job.report_dir, step.source)
                except InputError as error:
                    return _failed_step(job, step, build, error, ran, began)
            durations[step.name] = round(time.perf_counter() - t0, 3)
            ran.append(step.name)
        doing = "writing the report"
        shutil.rmtree(build / ".sources", ignore_errors=True)
        for name in ran:
            strip_run_details(build / f"{name}.ipynb")
        _write_outputs(job, build, ran)
        changed = changed_inputs(job, inputs)
        if changed:
            return JobOutcome(
                name=job.name, status="failed", notebooks_run=tuple(ran), seconds=time.perf_counter() - began,
                changed_inputs=tuple(changed),
                message=(f"{job.label} was not updated: data/raw/{cut(', data/raw/'.join(changed))} changed while "
                         f"the run was reading it, so the new outputs were not swapped in; the previous outputs "
                         f"of '{job.name}' are unchanged. Run again once the file is complete."))
        doing = "staging the processed data"
        processed = build / "processed"
        has_processed = job.processed_dir is not None and any(processed.iterdir())
        if has_processed:
            staged.parent.mkdir(parents=True, exist_ok=True)
            os.replace(processed, staged)
        else:
            shutil.rmtree(processed)
        doing = "writing manifest.json"
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
            "outputs": output_record(job, build, staged if has_processed else None),
        }
        paths.write_atomic(build / MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False, default=str)
                           .encode("utf-8"))
        doing = "swapping the new outputs in"
        with lifecycle.blocked_stop():  # a stop waits until both folders are swapped
            if has_processed:
                _swap_in(staged, job.processed_dir)
                swapped = True
            elif job.processed_dir is not None and job.processed_dir.exists():
                paths.remove_generated(job.processed_dir)  # the outputs are exactly what the manifest lists
                swapped = True
            _swap_in(build, job.report_dir)
        return JobOutcome(name=job.name, status="built", notebooks_run=tuple(ran),
                          seconds=time.perf_counter() - began)
    except Exception as error:  # permissions, a full disk, a damaged previous output: one paragraph
        return failure(job, doing, error, began, ran, swapped)
    finally:
        if sockets is not None:
            shutil.rmtree(sockets, ignore_errors=True)
        for folder in (build, staged):
            try:
                paths.remove_generated(folder)
            except paths.OutsideGeneratedFolders:
                pass


def _run_step(job: Job, step: Step, build: Path, sockets: Path, kernel: str) -> Exception | None:
    """Execute one notebook into the build folder; the error when it failed, else None.

    ``output_dir`` is given as ``.`` (the kernel runs in the build folder), so no build path with the run id
    is written into the notebooks.
    """
    import papermill
    from jupyter_client.manager import KernelManager

    manager = KernelManager(kernel_name=kernel, transport="ipc", ip=str(sockets / step.name))
    lifecycle.watch_kernel(manager)
    try:
        papermill.execute_notebook(
            str(_prepare_source(step, build)), str(build / f"{step.name}.ipynb"),
            parameters={**step.parameters, "output_dir": "."},
            kernel_name=kernel, language="python", progress_bar=False, log_output=False, cwd=str(build),
            km=manager,
        )
    except Exception as error:  # PapermillExecutionError, or the kernel could not start
        return error
    finally:
        if manager.has_kernel:  # nbclient leaves a kernel it did not create running
            manager.shutdown_kernel(now=True)
        lifecycle.watch_kernel(None)
    return None


def _failed_step(job: Job, step: Step, build: Path, error: Exception, ran: list[str], began: float) -> JobOutcome:
    """Keep the failed executed notebook under reports/<job>/failed/ and describe the failure."""
    executed = build / f"{step.name}.ipynb"
    kept: Path | None = job.report_dir / "failed" / f"{step.name}.ipynb"
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        if executed.exists():
            shutil.copy2(executed, kept)
    except OSError:
        kept = None
    return JobOutcome(name=job.name, status="failed", notebooks_run=tuple(ran),
                      seconds=time.perf_counter() - began,
                      message=_failure_paragraph(job, step.name, error, kept))
