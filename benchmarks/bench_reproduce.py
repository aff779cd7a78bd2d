"""Benchmark of issue 2: a cold reproduce of every bundled study, and a no-op rerun.

Floor  = one papermill CLI execution of a notebook that only imports pandas,
         seaborn, statsmodels and helpers (median of 5).
Target = cold run within 1.5 × floor × notebooks ÷ cores; no-op rerun within 1 s
         wall with no kernel started.
Runs in a scratch copy of the project (studies/, data/raw/, notebooks/), so the
real reports/ are left alone. Prints medians and ratios.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from helpers import paths

REPEATS_FLOOR = 5
REPEATS_COLD = 3
REPEATS_NOOP = 5


def _timed(command: list[str], env: dict | None = None) -> tuple[float, subprocess.CompletedProcess]:
    start = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"benchmark command failed: {' '.join(command)}\n{result.stdout}\n{result.stderr}")
    return elapsed, result


def floor_seconds(workdir: Path) -> float:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import pandas, seaborn, statsmodels.api, helpers")]
    source = workdir / "floor.ipynb"
    nbformat.write(notebook, source)
    papermill = str(Path(sys.executable).with_name("papermill"))
    times = [_timed([papermill, str(source), str(workdir / "floor-out.ipynb"), "-k", paths.KERNEL_NAME,
                     "--no-progress-bar"])[0] for _ in range(REPEATS_FLOOR)]
    return statistics.median(times)


def scratch_project(workdir: Path) -> Path:
    root = workdir / "project"
    for folder in ("studies", "notebooks", "data/raw"):
        shutil.copytree(paths.ROOT / folder, root / folder)
    (root / "reports").mkdir()
    (root / "data" / "processed").mkdir()
    return root


def main() -> None:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        floor = floor_seconds(workdir)
        print(f"floor (papermill CLI, imports only): median {floor:.2f} s over {REPEATS_FLOOR} runs")
        cold, noop = [], []
        notebooks = 0
        for _ in range(REPEATS_COLD):
            root = scratch_project(workdir / f"cold-{len(cold)}")
            env = {**os.environ, "HELPERS_ROOT": str(root)}
            elapsed, result = _timed([sys.executable, "-m", "helpers", "run"], env)
            cold.append(elapsed)
            notebooks = int(result.stdout.rsplit(": ", 1)[1].split(" notebook")[0])
            for _ in range(REPEATS_NOOP if len(cold) == 1 else 0):
                elapsed, result = _timed([sys.executable, "-m", "helpers", "run"], env)
                if "0 notebook(s) executed" not in result.stdout:
                    sys.exit(f"no-op rerun executed notebooks:\n{result.stdout}")
                noop.append(elapsed)
        target = 1.5 * floor * notebooks / cores
        cold_median = statistics.median(cold)
        print(f"cold reproduce: {notebooks} notebooks on {cores} cores, median {cold_median:.1f} s "
              f"over {REPEATS_COLD} runs; target 1.5 × {floor:.2f} × {notebooks} ÷ {cores} = {target:.1f} s; "
              f"ratio {cold_median / target:.2f} (≤ 1 meets the target)")
        noop_median = statistics.median(noop)
        print(f"no-op rerun: median {noop_median:.2f} s over {REPEATS_NOOP} runs, 0 kernels started; "
              f"target 1 s; ratio {noop_median / 1.0:.2f}")


if __name__ == "__main__":
    main()
