"""Benchmark: export every figure and table of one study (issue 6: within 5 s once the kernel has started).

"Once the kernel has started" is measured in-process after the imports (matplotlib, python-docx, openpyxl,
the helpers) and after one warm-up export, as in notebook 04 where the kernel is already running: only
``export_study`` is timed. Two cases, each repeated (median quoted):

- ``published``: the Bình Thuận study from its real published file (data/raw/published/000-binh-thuan.csv,
  tables bt56-2011, bt56-2013, bt-province-2013) with a results table — 5 figures, 2 tables, the article;
- ``full``: the same plus a synthetic panel of 500 organisations × 8 years and a findings table — all
  6 figures (each as PNG 300 + 600 dpi, SVG, PDF), 3 tables (each as DOCX, LaTeX, Markdown, HTML, XLSX,
  CSV) and article.docx.

Everything is written under a temporary folder, never into the repository.

Run: ``.venv/bin/python benchmarks/bench_export.py [--repeats 5]``
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

import helpers.export
from helpers.export import export_study
from helpers.study import load_study

try:  # imported before timing, as a running kernel would have them
    import helpers.inference.results  # noqa: F401
    from helpers.published import read_published  # noqa: F401
except ImportError:
    import helpers.published.reader  # noqa: F401

TARGET_SECONDS = 5.0
RESULT_COLUMNS = ["study", "question", "test", "statistic", "df", "p_value", "p_adjusted", "p_low", "p_high", "effect",
                  "effect_name", "ci_low", "ci_high", "n", "assumptions", "note", "sentence_vi", "sentence_en"]


def make_results() -> pd.DataFrame:
    rows = [{"question": "a", "test": "exact sign test", "statistic": 11.0, "p_value": 0.016, "p_adjusted": 0.032,
             "effect": 0.16, "effect_name": "net_improvement", "ci_low": 0.02, "ci_high": 0.3, "n": 56,
             "sentence_vi": "Tỷ lệ TSVM tăng (p = 0,016).", "sentence_en": "The TSVM share rose (p = .016)."},
            {"question": "c", "test": "Brunner–Munzel", "statistic": 2.1, "df": 80.5, "p_value": 0.04,
             "effect": 0.6, "effect_name": "p_superiority", "ci_low": 0.5, "ci_high": 0.7, "n": 551,
             "sentence_vi": "…", "sentence_en": "…"}]
    rows += [{"question": "b", "test": f"Fisher–Freeman–Halton exact, pilots vs rest of province (N = {b})",
              "p_value": p, "effect": d, "effect_name": "cliffs_delta", "n": b, "sentence_vi": "…", "sentence_en": "…"}
             for b, p, d in ((495, 0.004, 0.30), (990, 0.0002, 0.31), (1222, 0.00004, 0.31), (1485, 1e-5, 0.31))]
    return pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)


def make_panel(n_units: int = 500, years=range(2014, 2022), seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    old, new = ["YK", "HTNV", "HTTNV", "TSVM"], ["KHTNV", "HTNV", "HTTNV", "HTXSNV"]
    rows = []
    for unit in range(n_units):
        order = int(rng.integers(0, 4))
        for year in years:
            order = int(np.clip(order + rng.integers(-1, 2), 0, 3))
            rows.append({"unit_id": f"u{unit:04d}", "year": year, "rating_code": (old if year < 2018 else new)[order],
                         "rating_common": ["fail", "pass", "good", "top"][order], "rating_order": order,
                         "pilot": unit < 40})
    return pd.DataFrame(rows)


def make_findings(n: int = 12) -> pd.DataFrame:
    return pd.DataFrame([{"source_id": "004", "table_id": "td-2016", "year": 2016, "category": "hoàn thành nhiệm vụ",
                          "check": "sum", "severity": "warning", "printed": str(61 + i), "expected": "61",
                          "message_vi": "Tổng các phần khác tổng in", "message_en": "Parts do not add up",
                          "file": "004-trang-dinh.csv", "row": i + 2} for i in range(n)])


def build(folder: Path, full: bool) -> None:
    make_results().to_csv(folder / "results.csv", index=False)
    if full:
        (folder / "processed").mkdir(parents=True, exist_ok=True)
        make_panel().to_parquet(folder / "processed" / "panel.parquet")
        (folder / "published").mkdir(parents=True, exist_ok=True)
        make_findings().to_csv(folder / "published" / "findings.csv", index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    study = load_study("binh-thuan-56")
    study = dataclasses.replace(study, export={"tables": ["bt56-2011", "bt56-2013", "bt-province-2013"]})
    print(f"helpers.export from {Path(helpers.export.__file__).parent}")
    with tempfile.TemporaryDirectory(prefix="bench-export-") as temporary:
        for case, full in (("published", False), ("full", True)):
            folder = Path(temporary) / case
            folder.mkdir()
            build(folder, full)
            result = export_study(study, folder)  # warm-up: font cache, first-use imports inside libraries
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                result = export_study(study, folder)
                times.append(time.perf_counter() - start)
            frame = result.to_frame()
            written = frame.loc[frame["status"] == "written"]
            median = statistics.median(times)
            skipped = ", ".join(frame.loc[frame["status"] == "skipped", "item"]) or "none"
            print(f"[{case}] {written['item'].nunique()} items written ({len(written)} files), skipped: {skipped}")
            print(f"[{case}] export_study: median {median:.2f} s over {args.repeats} repeats "
                  f"(min {min(times):.2f}, max {max(times):.2f}); target {TARGET_SECONDS:.1f} s; "
                  f"ratio {median / TARGET_SECONDS:.2f}")


if __name__ == "__main__":
    main()
