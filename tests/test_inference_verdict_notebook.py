"""A real papermill run of notebooks 01 and 03 on a tiny panel: verdict.json is written beside results.csv."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.slow

LABELS = ["Yếu kém", "Hoàn thành nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Trong sạch vững mạnh"]
STUDY = """
title: {vi: "Bảng nhỏ có đơn vị làm điểm", en: "Tiny panel with pilots"}
notebooks: [01-clean, 03-test-pilots]
panel:
  level: organisation
  years: [2014, 2016]
  files: [tiny/ratings.csv]
  columns: {unit_id: "Mã", year: "Năm", rating: "Xếp loại"}
  pilots:
    file: tiny/pilots.csv
    columns: {unit_id: "Mã", start: "Bắt đầu", end: "Kết thúc"}
    selection: {on: rating, years: [2014], rule: "drawn among units rated HTNV in 2014"}
"""


def _ratings() -> str:
    # 24 units; units 0–11 rated HTNV (1) in 2014, the others TSVM (3); pilots: units 0–5.
    # 2016: pilots all HTTNV (2), the other HTNV units stay HTNV, the rest stay TSVM.
    rows = ["Mã,Năm,Xếp loại"]
    for u in range(24):
        base = 1 if u < 12 else 3
        for year in (2014, 2015, 2016):
            level = 2 if (u < 6 and year == 2016) else base
            rows.append(f"U{u:02d},{year},{LABELS[level]}")
    return "\n".join(rows) + "\n"


def test_notebook_03_writes_the_verdict_first(project):
    project.write("data/raw/tiny/ratings.csv", _ratings())
    project.write("data/raw/tiny/pilots.csv", "Mã,Bắt đầu,Kết thúc\n" + "".join(f"U{u:02d},2015,2016\n"
                                                                               for u in range(6)))
    project.study("tiny-pilots", STUDY)
    result = project.run("run", "tiny-pilots")
    assert result.returncode == 0, result.stdout + result.stderr
    report = project.root / "reports" / "tiny-pilots"
    verdict = json.loads((report / "verdict.json").read_text(encoding="utf-8"))
    claim = verdict["claims"][0]
    # by hand: one stratum (HTNV in 2014, HTNV in 2014 only — selection years [2014] and history 2014 agree),
    # 6 pilots all reach HTTNV or better in 2016, 6 comparable non-pilots none: p = 2 / C(12, 6) = 2/924
    assert claim["conclusion"] == "effect" and claim["n_pilots"] == 6 and claim["n_comparison"] == 6
    assert claim["p_value"] == pytest.approx(2 / 924)
    assert verdict["headline_vi"].startswith("Có: đơn vị làm điểm tiến bộ hơn các đơn vị tương đương")
    assert (report / "results.csv").exists()
    executed = json.loads((report / "03-test-pilots.ipynb").read_text(encoding="utf-8"))
    first_output = next(c for c in executed["cells"] if c["cell_type"] == "code" and c.get("outputs")
                        and "text/markdown" in c["outputs"][0].get("data", {}))
    assert "Kết luận" in "".join(first_output["outputs"][0]["data"]["text/markdown"])
