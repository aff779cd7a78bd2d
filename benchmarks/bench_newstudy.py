"""Benchmark: ``new-study`` and ``check`` on a 1,000,000-row panel vs pyarrow just reading the file, and both on
the bundled example with no kernel.

Targets (issue 17): on 1M rows each ≤ 3 × the cleaning benchmark's read time (pyarrow ``read_csv`` of the same
file); on the bundled example (data/raw/example-panel) each ≤ 1 s.

The 1M-row CSV is the cleaning benchmark's (``bench_cleaning.make_csv``: 125,000 organisations × 8 years,
labels typed in 24 ways), generated into a temporary project (``HELPERS_ROOT``), never into the repository.
Each measurement runs in a fresh child process; the time is taken inside the child around the measured call
only: the modules a command imports are loaded before its clock starts (as pyarrow is for the read), and
their import time is printed apart. Before its clock starts each child reads the file once,
so that every child finds it in the page cache. Read, new-study and check alternate so that all see the same
machine load; ratios are of medians. Beside the wall time the child's CPU time (``time.process_time``: every
thread of the process, pyarrow's too) is printed with its own ratio: on a shared machine the wall time counts the
waits for a core, the CPU time does not. The load average is printed before and after.

``new-study`` is timed from the folder to the written study file; ``check`` on the study file new-study wrote
(every section, the files read and validated, labels, ids and years), which it finds clean.

Run: ``.venv/bin/python benchmarks/bench_newstudy.py [--rows 1000000] [--repeats 5]``
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cleaning import make_csv  # noqa: E402  (the cleaning benchmark's 1M-row file)

TARGET_RATIO = 3.0
TARGET_EXAMPLE_S = 1.0
REPO = Path(__file__).resolve().parents[1]

CHILD = textwrap.dedent("""
    import json, sys, time
    t_start = time.perf_counter()
    mode, folder, name = sys.argv[1], sys.argv[2], sys.argv[3]
    from pathlib import Path
    for f in Path(folder).glob("*"):
        with open(f, "rb") as fh:
            while fh.read(1 << 24):
                pass
    if mode == "read":
        import pyarrow.csv as pacsv
        path = next(Path(folder).glob("*.csv"))
        t, c = time.perf_counter(), time.process_time()
        pacsv.read_csv(path)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print(json.dumps({"seconds": dt, "cpu": dc}))
    elif mode == "new-study":
        from helpers.study.draft import new_study
        import helpers.cleaning.survey, helpers.cleaning.labels
        imported = time.perf_counter()
        t, c = time.perf_counter(), time.process_time()
        draft = new_study(name, folder)
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print(json.dumps({"seconds": dt, "cpu": dc, "imports": imported - t_start, "labels": len(draft.survey.labels)}))
    else:
        # the modules check imports on first use (export, inference, runner): loaded before the clock
        from helpers.study.check import check_study_files
        import helpers.cleaning.check, helpers.export, helpers.inference.analyses, helpers.runner.plan
        helpers.export.check_export
        imported = time.perf_counter()
        t, c = time.perf_counter(), time.process_time()
        report = check_study_files([name])
        dt, dc = time.perf_counter() - t, time.process_time() - c
        print(json.dumps({"seconds": dt, "cpu": dc, "imports": imported - t_start, "ok": report.ok,
                          "text": report.text("en")}))
""")


def run_child(mode: str, root: Path, folder: Path, name: str) -> dict:
    env = {**os.environ, "HELPERS_ROOT": str(root)}
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(folder), name], capture_output=True, text=True,
                          env=env, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child ({mode}) failed:\n{done.stderr}")
    return json.loads(done.stdout)


def project(tmp: Path, name: str, source: Path | None = None) -> tuple[Path, Path]:
    root = tmp / name
    folder = root / "data" / "raw" / name
    (root / "studies").mkdir(parents=True)
    (root / "notebooks").symlink_to(REPO / "notebooks")       # check names the study's notebooks
    if source is not None:
        shutil.copytree(source, folder)
    else:
        folder.mkdir(parents=True)
    return root, folder


def measure(root: Path, folder: Path, name: str, repeats: int, with_read: bool) -> dict:
    runs = {"read": [], "new-study": [], "check": [], "imports": [], "check_imports": [],
            "read_cpu": [], "new-study_cpu": [], "check_cpu": []}
    study = root / "studies" / f"{name}.yaml"
    for _ in range(repeats):
        if with_read:
            read = run_child("read", root, folder, name)
            runs["read"].append(read["seconds"])
            runs["read_cpu"].append(read["cpu"])
        study.unlink(missing_ok=True)
        made = run_child("new-study", root, folder, name)
        runs["new-study"].append(made["seconds"])
        runs["new-study_cpu"].append(made["cpu"])
        runs["imports"].append(made["imports"])
        checked = run_child("check", root, folder, name)
        if not checked["ok"]:
            raise SystemExit(f"check found problems in the study new-study wrote:\n{checked['text']}")
        runs["check"].append(checked["seconds"])
        runs["check_cpu"].append(checked["cpu"])
        runs["imports"][-1] = max(runs["imports"][-1], checked["imports"])
    return runs


def show(runs: dict, key: str) -> str:
    cpu = f"  cpu median {statistics.median(runs[key + '_cpu']):.3f} s" if runs.get(key + "_cpu") else ""
    return f"median {statistics.median(runs[key]):.3f} s  (runs: {', '.join(f'{x:.3f}' for x in runs[key])}){cpu}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    verdict = lambda ok: "OK" if ok else "MISSED"  # noqa: E731
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (before)")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        root, folder = project(tmp, "big")
        make_csv(folder / "panel.csv", args.rows)
        print(f"file: {args.rows:,} rows, {(folder / 'panel.csv').stat().st_size / 1e6:.1f} MB (temporary)")
        big = measure(root, folder, "big", args.repeats, with_read=True)
        read = statistics.median(big["read"])
        print(f"  pyarrow read_csv : {show(big, 'read')}")
        print(f"  new-study        : {show(big, 'new-study')}")
        print(f"  check            : {show(big, 'check')}")
        read_cpu = statistics.median(big["read_cpu"])
        for k in ("new-study", "check"):
            r = statistics.median(big[k]) / read
            print(f"RATIO {k + '/read':<15}: {r:.2f} -> {verdict(r <= TARGET_RATIO)}  (target ≤ {TARGET_RATIO:.0f}; "
                  f"cpu ratio {statistics.median(big[k + '_cpu']) / read_cpu:.2f})")
        root, folder = project(tmp, "example", REPO / "data" / "raw" / "example-panel")
        small = measure(root, folder, "example", args.repeats, with_read=False)
        print(f"imports (not timed; a fresh process pays them once): median "
              f"{statistics.median(big['imports']):.3f} s")
        print(f"example (data/raw/example-panel, no kernel)")
        for k in ("new-study", "check"):
            m = statistics.median(small[k])
            print(f"EXAMPLE {k:<10}: {show(small, k)} -> {verdict(m <= TARGET_EXAMPLE_S)}  "
                  f"(target ≤ {TARGET_EXAMPLE_S:.0f} s; {m / TARGET_EXAMPLE_S:.2f} of it)")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (after)")


if __name__ == "__main__":
    main()
