"""Benchmark: clean and validate 1,000,000 unit-year rows from CSV vs pyarrow just reading the file.

Target (issue 4): cleaning + validation ≤ 3 × the time pyarrow takes to read the file, peak memory ≤ 2 GB.

The CSV (125,000 organisations × 8 years, 2014–2021, labels typed in 24 ways) is generated into a temporary
folder, never into the repository. Each measurement runs in a fresh child process (so imports and caches do
not carry over); the time is taken inside the child around the measured call only, and the peak resident
memory of the children comes from ``resource.getrusage(RUSAGE_CHILDREN)`` (the largest child of all: reads, cleans
and the one clean that also writes). Read and clean runs alternate so that both see the same machine load, and the
ratio of the medians is quoted.
The stages line splits the clean time by step (``helpers.panel.LAST_TIMINGS``; a stage that waits for the
helper thread includes the wait).

Run: ``.venv/bin/python benchmarks/bench_cleaning.py [--rows 1000000] [--repeats 9]``
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

TARGET_RATIO = 3.0
TARGET_PEAK_MB = 2048
LABELS_2008 = {"YK": ["Yếu kém", "yeu kem"], "HTNV": ["Hoàn thành nhiệm vụ", "HTNV", "hoan thanh nhiem vu"],
               "HTTNV": ["Hoàn thành tốt nhiệm vụ", "HTTNV", " httnv ", "Hòan thành tốt nhiệm vụ"],
               "TSVM": ["Trong sạch vững mạnh", "TSVM", "TRONG SẠCH VỮNG MẠNH", "\"TSVM\""],
               "TSVM_TB": ["TSVM tiêu biểu"]}
LABELS_2018 = {"KHTNV": ["Không hoàn thành nhiệm vụ", "KHTNV"], "HTNV": ["Hoàn thành nhiệm vụ", "HTNV"],
               "HTTNV": ["Hoàn thành tốt nhiệm vụ", "HTTNV", "hoan thanh tot nhiem vu"],
               "HTXSNV": ["Hoàn thành xuất sắc nhiệm vụ", "HTXSNV"]}


def make_csv(path: Path, n_rows: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    years = np.arange(2014, 2022)
    n_units = n_rows // len(years)
    unit = np.repeat(np.arange(n_units), len(years))
    year = np.tile(years, n_units)
    z = np.repeat(rng.normal(size=n_units), len(years)) + rng.normal(0, 0.6, n_units * len(years))
    old = np.select([z < -1.9, z < -1.1, z < 0, z < 2.05], ["YK", "HTNV", "HTTNV", "TSVM"], "TSVM_TB")
    new = np.select([z < -2.05, z < -1.0, z < 1.57], ["KHTNV", "HTNV", "HTTNV"], "HTXSNV")
    code = np.where(year < 2018, old, new)
    label = np.empty(len(code), dtype=object)
    for table, mask in ((LABELS_2008, year < 2018), (LABELS_2018, year >= 2018)):
        for c, forms in table.items():
            sel = np.flatnonzero(mask & (code == c))
            # 70 % canonical, the rest spread over the variants
            pick = np.where(rng.random(len(sel)) < 0.7, 0, rng.integers(0, len(forms), len(sel)))
            label[sel] = np.asarray(forms, dtype=object)[pick]
    ids = np.char.add("U", np.char.zfill(unit.astype(str), 6))
    table = pa.table({
        "Mã đơn vị": pa.array(ids),
        "Tên tổ chức": pa.array(np.char.add("Đảng bộ xã Số ", unit.astype(str))),
        "Cấp trên": pa.array(np.char.add("Huyện ", (unit % 40).astype(str))),
        "Năm": pa.array(year),
        "Xếp loại": pa.array(label.tolist(), type=pa.string()),
    })
    pacsv.write_csv(table, path)


CHILD = textwrap.dedent("""
    import json, sys, time
    mode, path = sys.argv[1], sys.argv[2]
    if mode == "read":
        import pyarrow.csv as pacsv
        t = time.perf_counter(); table = pacsv.read_csv(path); dt = time.perf_counter() - t
        print(json.dumps({"seconds": dt, "rows": table.num_rows}))
    else:
        from helpers.panel import clean_panel, write_outputs
        panel = {"level": "organisation", "years": [2014, 2021], "files": [path],
                 "columns": {"unit_id": "Mã đơn vị", "unit_name": "Tên tổ chức", "parent": "Cấp trên",
                             "year": "Năm", "rating": "Xếp loại"}}
        t = time.perf_counter(); result = clean_panel(panel, "bench"); dt = time.perf_counter() - t
        from helpers.panel import LAST_TIMINGS
        out = {"seconds": dt, "rows": len(result.table), "log_rows": len(result.log), "stages": dict(LAST_TIMINGS)}
        if mode == "clean+write":
            import tempfile
            t = time.perf_counter(); write_outputs(result, tempfile.mkdtemp()); out["write_seconds"] = time.perf_counter() - t
        print(json.dumps(out))
""")


def run_child(mode: str, path: Path) -> tuple[dict, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(path)], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"child ({mode}) failed:\n{done.stderr}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024   # KiB on Linux
    return json.loads(done.stdout), peak_mb


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "panel.csv"
        make_csv(path, args.rows)
        print(f"file: {args.rows:,} rows, {path.stat().st_size / 1e6:.1f} MB (temporary)")
        reads, cleans, writes, stages = [], [], [], []
        peak_clean = 0.0
        # read and clean alternate, so that both see the same machine load (a busy spell during one phase
        # would otherwise move the ratio); the first clean also writes the outputs (timed separately)
        for i in range(args.repeats):
            r, _ = run_child("read", path)
            reads.append(r["seconds"])
            c, peak_clean = run_child("clean+write" if i == 0 else "clean", path)
            cleans.append(c["seconds"])
            stages.append(c["stages"])
            if "write_seconds" in c:
                writes.append(c["write_seconds"])
        read, clean = statistics.median(reads), statistics.median(cleans)
        ratio = clean / read
        print(f"pyarrow read_csv     : median {read:.3f} s  (runs: {', '.join(f'{x:.3f}' for x in reads)})")
        print(f"clean + validate     : median {clean:.3f} s  (runs: {', '.join(f'{x:.3f}' for x in cleans)}); "
              f"{c['rows']:,} rows, {c['log_rows']:,} log rows")
        print("  stages (median ms)  : " + ", ".join(
            f"{k} {statistics.median(st.get(k, 0.0) for st in stages) * 1000:.0f}" for k in stages[0]))
        print(f"write 4 outputs      : {writes[0]:.3f} s (one run; not part of the ratio)")
        print(f"RATIO clean/read     : {ratio:.2f}  (target ≤ {TARGET_RATIO:.0f}) -> {'OK' if ratio <= TARGET_RATIO else 'MISSED'}")
        print(f"PEAK RSS (children)  : {peak_clean:.0f} MB  (target ≤ {TARGET_PEAK_MB} MB) -> "
              f"{'OK' if peak_clean <= TARGET_PEAK_MB else 'MISSED'}")


if __name__ == "__main__":
    main()
