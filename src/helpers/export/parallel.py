"""Draw and save a study's figures on two cores (used by :func:`helpers.export.export_study`).

Rendering six figures in four formats is most of the export time, and matplotlib
draws in one thread only. :func:`render_figures` therefore forks one helper
process on Linux: both processes take figures from one shared counter, each draws
its figure from the data and writes its files (each file is written atomically by
:func:`~helpers.export.figures.save_figure`). The helper starts at once; this
process first runs other work (the tables), then joins in. A figure is drawn by
the same code in either process, so the files are the same bytes as when every
figure is drawn here (a test checks this); on a single core, or where ``fork`` is
not available, everything simply runs here in order.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import sys
import traceback
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TypeVar

import matplotlib.pyplot as plt

from helpers.export.figures import save_figure

T = TypeVar("T")


@dataclass(frozen=True)
class FigureJob:
    """One figure to write: ``draw()`` returns the matplotlib figure, saved as ``stem`` (four files)."""

    stem: str
    draw: Callable[[], plt.Figure]


def helper_processes() -> int:
    """Helper processes to fork: one on Linux with two or more usable cores, else none."""
    if not sys.platform.startswith("linux") or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    return 1 if len(os.sched_getaffinity(0)) > 1 else 0


def _render(job: FigureJob, folder: Path) -> tuple[Path, ...]:
    fig = job.draw()
    try:
        return save_figure(fig, job.stem, folder)
    finally:
        plt.close(fig)


def render_figures(jobs: list[FigureJob], folder: str | Path,
                   meanwhile: Callable[[], T] = lambda: None) -> tuple[list[tuple[Path, ...]], T]:
    """Write every figure of ``jobs`` into ``folder``, and run ``meanwhile`` while a helper process starts on them.

    Returns the files of each job (in the order of ``jobs``) and what ``meanwhile`` returned. An error
    raised while drawing a figure is raised here (the first, in the order of ``jobs``), after both
    processes have stopped; warnings raised in the helper process are raised again here.
    """
    folder = Path(folder)
    if not jobs or helper_processes() == 0:
        done = meanwhile()
        return [_render(job, folder) for job in jobs], done
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 0)
    receive, send = context.Pipe(duplex=False)

    def take() -> int | None:
        with counter.get_lock():
            k = counter.value
            if k >= len(jobs):
                return None
            counter.value = k + 1
            return k

    def helper() -> None:
        # the helper only draws and writes files: its output streams (a notebook's, in a kernel) are not used
        sys.stdout = sys.stderr = open(os.devnull, "w")
        while (k := take()) is not None:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    message = ("ok", k, _render(jobs[k], folder))
                except BaseException as exc:  # noqa: BLE001 — sent to the parent, which raises it
                    message = ("error", k, _portable(exc))
            send.send(message + ([(str(w.message), w.category) for w in caught],))
        send.send(("done",))

    with warnings.catch_warnings():
        # Python 3.12+ warns that forking a multi-threaded process (a Jupyter kernel) may deadlock the child;
        # the child here takes no lock of the kernel's threads: it draws, writes files and exits
        warnings.filterwarnings("ignore", message=".*fork.*", category=DeprecationWarning)
        process = context.Process(target=helper, name="export-figures", daemon=True)
        process.start()
    send.close()
    paths: dict[int, tuple[Path, ...]] = {}
    errors: dict[int, BaseException] = {}
    try:
        done = meanwhile()
        while (k := take()) is not None:
            try:
                paths[k] = _render(jobs[k], folder)
            except Exception as exc:  # noqa: BLE001 — raised below in job order, after the helper stops
                errors[k] = exc
        _collect(receive, process, paths, errors)
    finally:
        if process.is_alive():
            process.terminate()
        process.join()
        receive.close()
    missing = [jobs[k].stem for k in range(len(jobs)) if k not in paths and k not in errors]
    if missing:
        errors[min(k for k in range(len(jobs)) if jobs[k].stem in missing)] = RuntimeError(
            f"the figure helper process stopped (exit code {process.exitcode}) before writing: {', '.join(missing)}")
    if errors:
        raise errors[min(errors)]
    return [paths[k] for k in range(len(jobs))], done


def _collect(receive, process, paths: dict, errors: dict) -> None:
    """Read the helper's messages until it says it is done (or stops without saying so)."""
    while True:
        if not receive.poll(0.05):
            if process.is_alive():
                continue
            if not receive.poll():
                return
        try:
            message = receive.recv()
        except EOFError:
            return
        if message[0] == "done":
            return
        status, k, value, caught = message
        for text, category in caught:
            warnings.warn(text, category, stacklevel=3)
        if status == "ok":
            paths[k] = value
        else:
            errors[k] = value


def _portable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives pickling, else a RuntimeError carrying its traceback; either way the
    helper's traceback goes along as a note."""
    text = "".join(traceback.format_exception(exc)).rstrip()
    if hasattr(exc, "add_note"):
        exc.add_note(f"(raised in the figure helper process)\n{text}")
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:  # noqa: BLE001
        return RuntimeError(text)
