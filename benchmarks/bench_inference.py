"""Benchmark of helpers.inference: prints each measured median, its target and the ratio.

Run: .venv/bin/python benchmarks/bench_inference.py
Targets (issue 5): exact 2 x 4 Fisher–Freeman–Halton with n = 500 within 1 s; the paired range for
4 x 4 margins with n = 56 within 2 s, and a quick fallback when enumeration is infeasible; the whole
battery on a 500 x 8 synthetic panel within 10 s; the exact conditional Mann–Whitney (issue 12) within 1 s
up to two groups of a few hundred units. Medians of 5 repeats (3 for the battery).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path


def median_time(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report(name: str, seconds: float, target: float, repeats: int) -> None:
    print(f"{name:<62} median {seconds:8.3f} s  target {target:5.1f} s  ratio {seconds / target:6.3f}  "
          f"(n = {repeats})")


def main() -> None:
    from helpers.inference import run_analyses
    from helpers.inference.contingency import fisher_freeman_halton_p
    from helpers.inference.synthetic import synthetic_panel
    from helpers.inference.totals import paired_range
    from helpers.study import load_study

    table = [[60, 70, 60, 60], [70, 50, 70, 60]]
    report("exact FFH 2x4, n = 500", median_time(lambda: fisher_freeman_halton_p(table), 5), 1.0, 5)
    unbalanced = [[10, 90, 120, 30], [40, 80, 100, 30]]
    report("exact FFH 2x4, n = 500 (unbalanced)", median_time(lambda: fisher_freeman_halton_p(unbalanced), 5), 1.0, 5)
    report("paired range 4x4, n = 56 (Binh Thuan margins, enumeration)",
           median_time(lambda: paired_range([0, 14, 12, 30], [2, 3, 12, 39], cut=2), 5), 2.0, 5)
    report("paired range 4x4, n = 56 (even margins -> bounds)",
           median_time(lambda: paired_range([14, 14, 14, 14], [10, 12, 16, 18], cut=2), 5), 2.0, 5)
    report("paired range 4x4, n = 5600 (fallback: LP bounds)",
           median_time(lambda: paired_range([1400] * 4, [1000, 1200, 1600, 1800], cut=2), 5), 2.0, 5)
    from helpers.inference.contingency import mann_whitney_counts

    report("exact conditional Mann–Whitney, 56 pilots vs 439 (32 509 tables)",
           median_time(lambda: mann_whitney_counts([2, 3, 12, 39], [13, 159, 82, 185]), 5), 1.0, 5)
    report("exact conditional Mann–Whitney, 225 vs 240 (1 053 876 tables)",
           median_time(lambda: mann_whitney_counts([50, 60, 60, 55], [60, 50, 70, 60]), 5), 1.0, 5)
    out = Path(tempfile.mkdtemp())
    (out / "processed").mkdir()
    synthetic_panel(n_units=500, years=range(2014, 2022)).to_parquet(out / "processed" / "panel.parquet")
    study = load_study("example-panel")
    report("whole battery, example-panel, 500 units x 8 years", median_time(lambda: run_analyses(study, out), 3),
           10.0, 3)


if __name__ == "__main__":
    main()
