"""Build one job: run its stale notebooks in a build folder, then swap the outputs in with renames only.

The build folder is ``reports/.build-<job>-<run id>/``. Only when every notebook succeeded are its outputs
swapped into ``reports/<job>/`` (and the processed data into ``data/processed/<job>/``); on failure the
previous outputs stay and the failed executed notebook is kept under ``reports/<job>/failed/``.
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
from helpers.runner.jobs import Job, Step
from helpers.runner.plan import MANIFEST, _relative, read_manifest

REPORT = "report.html"


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
            if step.version:  # a lesson handout: no build path, no missing glyph, no answer given away
                from helpers.errors import InputError
                from helpers.teaching.handout import finish_handout

                try:
                    finish_handout(executed, step.version, build, job.report_dir, step.source)
                except InputError as error:
                    kept = job.report_dir / "failed" / f"{step.name}.ipynb"
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(executed, kept)
                    return JobOutcome(name=job.name, status="failed", notebooks_run=tuple(ran),
                                      seconds=time.perf_counter() - began,
                                      message=f"{job.label} failed in notebook {step.name}.ipynb: {error}\n"
                                              f"  The executed notebook is kept at {_relative(kept, paths.ROOT)}; "
                                              f"the previous outputs of '{job.name}' are unchanged.")
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
