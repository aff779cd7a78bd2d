"""Benchmark of the published-number checker (issue 3).

Targets: 10,000 printed rows checked within 2 s; base recovery up to N = 100,000
for a four-category table within 0.2 s. Each measurement is repeated (≥ 5 times)
and the median is quoted with the ratio median / target (below 1 = within target).

Run: ``.venv/bin/python benchmarks/bench_published.py``
"""

from __future__ import annotations

import csv
import random
import statistics
import tempfile
import time
from fractions import Fraction
from pathlib import Path

from helpers.numbers import format_number
from helpers.published import check_published, read_published, recover_bases
from helpers.published.rounding import round_fraction

REPEATS = 5
LABELS = ["yếu kém", "hoàn thành nhiệm vụ", "hoàn thành tốt nhiệm vụ", "trong sạch vững mạnh"]


def make_rows(n_rows: int = 10_000, seed: int = 20240611) -> list[dict]:
    """Tables of one total and four categories (count and percentage), about 1 in 20 percentages wrong."""
    rng = random.Random(seed)
    rows = []
    table = 0
    while len(rows) < n_rows:
        table += 1
        counts = [rng.randint(0, 120) for _ in LABELS]
        base = sum(counts) or 1
        year = rng.randint(2008, 2017)
        rows.append({"source_id": f"s{table % 50:02d}", "table_id": f"t{table}", "year": year,
                     "category": "tổng số", "count": str(base), "percent": ""})
        for label, count in zip(LABELS, counts):
            value = round_fraction(Fraction(100 * count, base), 2)
            if rng.random() < 0.05:
                value = min(value + Fraction(1, 100), Fraction(100))
            rows.append({"source_id": f"s{table % 50:02d}", "table_id": f"t{table}", "year": year,
                         "category": label, "count": str(count), "percent": format_number(value, 2) + "%"})
    return rows[:n_rows]


def clear_caches() -> None:
    """Start every repeat cold: the parsers and label matchers cache per distinct string."""
    from helpers.cleaning import labels
    from helpers.published import printed, reader, rounding, structure

    for function in (printed._parse_cached, reader.normalise_category, reader.is_total_label,
                     structure.cached_scale, rounding._known):
        function.cache_clear()
    for name in dir(labels):
        clear = getattr(getattr(labels, name), "cache_clear", None)
        if clear is not None:
            clear()


#: CPU seconds of the last :func:`timed` call (median): on a shared machine the wall clock also counts the
#: time other processes hold the cores; the CPU time of this process shows what the code itself costs.
LAST_CPU = [0.0]


def timed(function, repeats: int = REPEATS) -> tuple[float, object]:
    times, cpu, result = [], [], None
    for _ in range(repeats):
        clear_caches()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = function()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    LAST_CPU[0] = statistics.median(cpu)
    return statistics.median(times), result


def report(name: str, median: float, target: float, note: str = "") -> None:
    print(f"{name:<52} median {median:7.3f} s   target {target:5.2f} s   ratio {median / target:5.2f}"
          f"   (cpu {LAST_CPU[0]:.3f} s, ratio {LAST_CPU[0] / target:.2f}){'   ' + note if note else ''}")


def main() -> None:
    rows = make_rows()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
        read_time, table = timed(lambda: read_published(path))
        read_cpu = LAST_CPU[0]
        check_time, audit = timed(lambda: check_published(table))
        check_cpu = LAST_CPU[0]
        both_time, _ = timed(lambda: check_published(read_published(path)))
    n_findings = len(audit.findings)
    n_errors = int((audit.findings["severity"] == "error").sum())
    print(f"published checker benchmark ({REPEATS} repeats, medians); {len(table):,} printed rows in "
          f"{table['table_id'].nunique():,} tables; {n_findings:,} findings, {n_errors:,} errors")
    both_cpu, LAST_CPU[0] = LAST_CPU[0], read_cpu
    report("read 10,000 printed rows (CSV → table)", read_time, 2.0, "(not in the target)")
    LAST_CPU[0] = check_cpu
    report("check 10,000 printed rows (check_published)", check_time, 2.0)
    LAST_CPU[0] = both_cpu
    report("read + check 10,000 printed rows", both_time, 2.0)
    percents = ["45,25%", "18,99%", "32,73%", "3,03%"]
    for exhaustive in (False, True):
        recover_time, candidates = timed(lambda: recover_bases(percents, max_base=100_000, exhaustive=exhaustive))
        report(f"recover_bases 4 categories, N ≤ 100,000, exhaustive={exhaustive}", recover_time, 0.2,
               f"({len(candidates):,} candidates, first {candidates[0].base})")
    # the candidates are made when read (BaseCandidates); reading every one of them costs this much more
    listing_time, listed = timed(lambda: list(candidates))
    print(f"{'  then list() of all ' + format(len(listed), ',') + ' candidates':<52} median {listing_time:7.3f} s"
          "   (not in the target: a caller usually reads the first few)")


if __name__ == "__main__":
    main()
