"""Benchmark and correctness gate of the verdicts (issue 12): prints the simulation table and the timings.

Run: .venv/bin/python benchmarks/bench_verdicts.py [provinces per scenario, default 1000]

1. Battery plus verdicts (``helpers.inference.verdict.run_study``) on the bundled 500 × 8 example within 2 s
   (median of 3, after one cleaning of the example).
2. The simulation of :mod:`helpers.inference.simulate`: 1,000 provinces per scenario on 2 worker processes
   within 10 minutes. For each scenario: how often the verdict says "effect" (± Monte Carlo SE), how often
   "cannot tell", and how often each descriptive comparison has p < .05 (naive before/after on pilots,
   pilots vs the rest at the end, change scores (DiD), matching on the last pre-programme year only).
   Null scenarios must stay within 7 %; "over-conservative" marks a rate below 2 %.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    from helpers.inference.simulate import format_table, simulation_table
    from helpers.inference.verdict import run_study
    from helpers.cleaning.panel import clean_study
    from helpers.study import load_study

    out = Path(tempfile.mkdtemp())
    study = load_study("example-panel")
    clean_study(study, out / "processed")
    times = []
    for _ in range(3):
        start = time.perf_counter()
        run_study(study, out)
        times.append(time.perf_counter() - start)
    t = statistics.median(times)
    print(f"{'battery + verdicts, example-panel, 500 units x 8 years':<62} median {t:8.3f} s  target   2.0 s  "
          f"ratio {t / 2.0:6.3f}  (n = 3)")
    provinces = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    start = time.perf_counter()
    table = simulation_table(provinces=provinces, workers=2, described=min(200, provinces))
    seconds = time.perf_counter() - start
    print()
    print(f"Simulated provinces ({provinces} per scenario; verdict 'effect' rate ± Monte Carlo SE; other columns: "
          "share with p < .05)")
    print(format_table(table))
    print()
    print(f"{'simulation, all scenarios, 2 workers':<62} total  {seconds:8.1f} s  target 600.0 s  "
          f"ratio {seconds / 600:6.3f}")
    nulls = table[table["effect_sd"] == 0]
    worst = nulls["verdict_effect"].max()
    print(f"largest false-positive rate of the verdict under a null design: {100 * worst:.1f} % (gate: 7 %) -> "
          f"{'PASS' if worst <= 0.07 else 'FAIL'}")
    if worst > 0.07:
        sys.exit(1)


if __name__ == "__main__":
    main()
