"""Tests of ``check``: a dry run listing every problem of a study at once, each with its fix.

The study copies the example's settings onto a different province (tests/_province.py), the way a new user
starts (issue 17): columns that do not exist there, a unit_ids mapping that matches no unit, analysis years
outside the panel, a cut the design ignores, a label mapping that matches nothing.
"""

from __future__ import annotations

import pytest

from _province import write_province
from helpers import paths
from helpers.cleaning.check import check_panel_data
from helpers.cleaning.panel import clean_panel
from helpers.errors import InputError
from helpers.runner.plan import check_study
from helpers.study import load_study
from helpers.study.check import check_study_files

COPIED = """\
title: {vi: "Tỉnh", en: "Province"}
notebooks: [01-clean, 03-test-pilots]
panel:
  level: organisation
  years: [2015, 2017]
  files: [tinh/ratings.xlsx]
  sheets: {tinh/ratings.xlsx: ["Năm 2015", "Năm 2016", "Năm 2017"]}
  year_from_sheet: true
  columns:
    unit_id: "Ký hiệu"
    rating: "Kết quả"
    unit_name: "Đơn vị"
    parent: "Đảng bộ cấp trên"
    score: "Điểm tự chấm"
  labels:
    "Hoàn thàn tốt nhiệm vụ": HTTNV
    "Trong sach vưng mạnh": TSVM
  unit_ids:
    "VD-0137": "VD-0937"
  pilots:
    file: tinh/pilots.xlsx
    columns: {unit_id: "Mã", start: "Năm bắt đầu", end: "Năm kết thúc"}
analyses:
  - {id: p-2014-2021, question: a, design: paired, years: [2014, 2021], cut: good}
  - {id: did-2015-2017, question: c, design: did, years: [2015, 2017], cut: good}
  - {id: p-2015-2017, question: a, design: paired, years: [2015, 2017], cut: good, contrast: good_or_better}
  - {id: rest-2016, question: b, design: two-sample, year: 2016, group: pilot}
"""


@pytest.fixture
def root(tmp_path, monkeypatch):
    for name, sub in (("ROOT", ""), ("DATA_RAW", "data/raw"), ("STUDIES", "studies"), ("REPORTS", "reports")):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setattr(paths, name, tmp_path / sub if sub else tmp_path)
    write_province(tmp_path / "data/raw/tinh")
    return tmp_path


def test_every_unused_or_wrong_setting_is_listed_at_once_with_its_fix(root):
    (root / "studies/tinh.yaml").write_text(COPIED, encoding="utf-8")
    report = check_study_files(["tinh"])
    assert not report.ok
    problems, _ = report.results["tinh"]
    by_field = {p.column: p.rule for p in problems}
    assert set(by_field) == {
        "panel.columns.parent", "panel.columns.score", "panel.labels.Trong sach vưng mạnh",
        "panel.unit_ids.VD-0137", "analyses[1].years", "analyses[2].cut", "analyses[3].cut",
        "analyses[4].group"}, by_field
    assert "no file or sheet of the panel has this column" in by_field["panel.columns.parent"]
    assert "Kết quả" in by_field["panel.columns.parent"]          # the headers found are listed
    assert "delete the line" in by_field["panel.labels.Trong sach vưng mạnh"]
    assert "no unit of the panel has this id" in by_field["panel.unit_ids.VD-0137"]
    assert "year(s) 2014, 2021 not in the study's panel (panel years: 2015–2017)" in by_field["analyses[1].years"]
    assert "design 'did' does not use 'cut'" in by_field["analyses[2].cut"]
    assert "with a contrast the cut would be ignored" in by_field["analyses[3].cut"]
    assert "design 'two-sample' does not use 'group'" in by_field["analyses[4].group"]
    text = report.text("en")
    assert text.count("studies/tinh.yaml, field") == len(problems) == 8 and "1 studies have problems" in text


def test_the_runner_refuses_the_same_study_before_any_notebook(root):
    (root / "studies/tinh.yaml").write_text(COPIED, encoding="utf-8")
    with pytest.raises(InputError) as err:
        check_study(load_study("tinh"))
    assert {p.column for p in err.value.problems} >= {"panel.columns.parent", "analyses[2].cut"}


def test_a_year_the_panel_covers_but_nobody_is_rated_in_is_named(root):
    text = COPIED.replace("years: [2015, 2017]\n  files", "years: [2015, 2018]\n  files")
    text = text[:text.index("analyses:")] + "analyses:\n  - {id: p, question: a, design: paired, years: [2015, 2018]}\n"
    text = text.replace('    parent: "Đảng bộ cấp trên"\n    score: "Điểm tự chấm"\n', "")
    text = text.replace('    "Trong sach vưng mạnh": TSVM\n', "").replace('  unit_ids:\n    "VD-0137": "VD-0937"\n', "")
    (root / "studies/tinh.yaml").write_text(text, encoding="utf-8")
    problems, _ = check_study_files(["tinh"]).results["tinh"]
    assert [(p.column, p.value) for p in problems] == [("analyses[1].years", [2015, 2018])]
    assert "year(s) 2018 not in the study's panel (panel years: 2015–2017)" in problems[0].rule


def test_unknown_labels_come_with_suggestions_and_the_dry_run_agrees_with_the_cleaning(root):
    panel = {"level": "organisation", "years": [2015, 2017], "files": ["tinh/ratings.xlsx"],
             "sheets": ["Năm 2015", "Năm 2016", "Năm 2017"], "year_from_sheet": True,
             "columns": {"unit_id": "Ký hiệu", "rating": "Kết quả", "unit_name": "Đơn vị", "parent": "Trực thuộc"}}
    checked = check_panel_data(panel, "tinh.yaml")
    with pytest.raises(InputError) as err:
        clean_panel(panel, "tinh.yaml")
    assert set(checked.problems) == set(err.value.problems)
    unknown = [p for p in checked.problems if "unknown label" in p.rule]
    assert [p.value for p in unknown] == ["Hoàn thàn tốt nhiệm vụ"] * 2          # one per sheet it is in
    assert all("closest known labels: Hoàn thành tốt nhiệm vụ" in p.rule for p in unknown)


def test_every_bundled_study_checks_clean():
    report = check_study_files()
    assert report.ok, report.text("en")


def _large_panel_with_every_kind_of_problem(folder):
    """A CSV above the 64 KiB sample (read from disk by pyarrow, the path a dry run reads dictionary-encoded)
    with a score column: 3,000 units rated in 2024 and 2025, then one row per problem."""
    import csv

    from helpers.cleaning.encoding import _SAMPLE_BYTES

    header = ["Mã đơn vị", "Tên", "Cấp trên", "Năm", "Xếp loại", "Điểm"]
    rows = [[f"B{u:05d}", f"Chi bộ thôn {u}", f"Huyện {u % 7}", str(year), "HTTNV", "80" if year == 2025 else ""]
            for u in range(3000) for year in (2024, 2025)]
    # QĐ 366 bands (scales.yaml, org-2025): KHTNV < 50 ≤ HTNV < 70 ≤ HTTNV < 90 ≤ HTXSNV; each row below
    # disagrees with its band in another way: four (rating, band) pairs
    for k, (label, score) in enumerate((("HTXSNV", "75"), ("HTNV", "75"), ("HTTNV", "95"), ("KHTNV", "60"))):
        rows[2 * k + 1][4:6] = [label, score]
    rows[20][4] = "Hoàn thàn tốt nhiệm vụ lạ"          # unknown label
    rows[22][0] = ""                                   # unit id missing
    rows[24][3] = "2030"                               # year out of range
    rows[26][3] = "năm nay"                            # non-numeric year
    rows[28][4] = "HTTNV trở lên"                      # a cumulative category
    rows.append(list(rows[40]))                        # a duplicate unit-year
    rows[50][1] = " Chi bộ thôn 25 "                   # trimmed (a log entry, no problem)
    path = folder / "big.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([header] + rows)
    assert path.stat().st_size > _SAMPLE_BYTES
    return {"level": "organisation", "years": [2020, 2025], "files": [str(path)],
            "columns": {"unit_id": "Mã đơn vị", "unit_name": "Tên", "parent": "Cấp trên", "year": "Năm",
                        "rating": "Xếp loại", "score": "Điểm"}}


def test_the_dry_run_of_a_large_csv_lists_the_problems_of_the_cleaning_in_its_order(tmp_path):
    panel = _large_panel_with_every_kind_of_problem(tmp_path)
    checked = check_panel_data(panel, "big.yaml")
    with pytest.raises(InputError) as err:
        clean_panel(panel, "big.yaml")
    assert list(checked.problems) == list(err.value.problems)
    rules = " | ".join(p.rule for p in checked.problems)
    for found in ("unknown label", "unit id missing", "year out of range", "non-numeric year", "cumulative",
                  "duplicate unit-year", "rating disagrees with the score band"):
        assert found in rules, found
    assert sum("disagrees with the score band" in p.rule for p in checked.problems) == 4
    assert checked.n_rows == 6001 and checked.years == frozenset({2024, 2025, 2030})


def test_the_problems_come_in_the_same_order_whatever_the_hash_seed(tmp_path):
    """Python's string hashing changes with each process (PYTHONHASHSEED): the order of the problems may not."""
    import json
    import os
    import subprocess
    import sys

    panel = _large_panel_with_every_kind_of_problem(tmp_path)
    code = ("import json, sys; from helpers.cleaning.check import check_panel_data; "
            "print(json.dumps([str(p) for p in check_panel_data(json.loads(sys.argv[1]), 'big.yaml').problems]))")
    listed = [json.loads(subprocess.run([sys.executable, "-c", code, json.dumps(panel)], capture_output=True,
                                        text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout)
              for seed in ("1", "2", "3", "4", "5")]
    assert all(problems == listed[0] for problems in listed[1:])
    assert len(listed[0]) >= 10
