"""What a run writes (issue 16): no cell a spreadsheet would run as a formula in any CSV or XLSX file, and the
same bytes in every file but manifest.json when the study is built again.

One small panel study, built twice by the real runner with the real kernel, serves both tests. Its labels, unit
names, parent names, programme, published table id and quotes, and analysis label all start with one of
= + - @ (a tab or CR is stripped by the readers as surrounding space, so it cannot reach an output).
"""

from __future__ import annotations

import csv
import io
import re
import shutil

import openpyxl
import pytest

pytestmark = pytest.mark.slow

LABELS = {"=Tốt": "HTTNV", "+Khá": "HTNV", "-Yếu": "KHTNV", "@Xuất sắc": "HTXSNV"}
STUDY = """
title: {vi: "=Tiêm công thức", en: "=Injection"}
published: [published/inj.csv]
panel:
  level: organisation
  years: [2019, 2020]
  files: [inj/panel.csv]
  columns: {unit_id: "Mã", year: "Năm", rating: "Xếp loại", unit_name: "Tên", parent: "Cấp trên"}
  labels: {"=Tốt": HTTNV, "+Khá": HTNV, "-Yếu": KHTNV, "@Xuất sắc": HTXSNV}
  pilots:
    file: inj/pilots.csv
    columns: {unit_id: "Mã", programme: "Chương trình", start: "Năm bắt đầu", end: "Năm kết thúc"}
analyses:
  - id: inj-two
    question: b
    design: two-sample
    year: 2019
    label: {vi: "=Làm điểm 2019", en: "=Pilots 2019"}
"""
#: A text only a number cannot run as a formula (and a negative number must stay a number).
NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)*%?")


@pytest.fixture(scope="module")
def built_twice(tmp_path_factory, kernel):
    """The study built once, its outputs copied, then built again with --force."""
    from conftest import ScratchProject
    from helpers import paths

    root = tmp_path_factory.mktemp("outputs") / "project"
    for folder in ("studies", "data/raw", "data/processed", "reports"):
        (root / folder).mkdir(parents=True)
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    project = ScratchProject(root)
    labels = list(LABELS)
    rows = ["Mã,Tên,Cấp trên,Năm,Xếp loại"]
    for unit in range(1, 41):
        for year in (2019, 2020):
            label = labels[(unit + (year == 2020) * (unit % 3)) % 4]
            rows.append(f'U{unit:02d},"=HYPERLINK(""http://x"",""{unit}"")",+Đảng bộ {unit % 3},{year},{label}')
    project.write("data/raw/inj/panel.csv", "\n".join(rows) + "\n")
    project.write("data/raw/inj/pilots.csv", "Mã,Chương trình,Năm bắt đầu,Năm kết thúc\n"
                  + "".join(f"U{unit:02d},=chương trình,2019,2020\n" for unit in range(1, 11)))
    project.write("data/raw/published/inj.csv",
                  "source_id,table_id,year,category,count,percent,base,quote\n"
                  '000,@bt56,2013,HTNV,3,"5,36%",56,"-giảm còn 3/56"\n'
                  '000,@bt56,2013,TSVM,39,"69,64%",56,"=đạt TSVM 39/56"\n')
    project.study("inj", STUDY)
    first = project.run("run", "inj")
    assert first.returncode == 0, first.stdout + first.stderr
    before = {**project.tree("reports/inj"), **{f"processed/{k}": v for k, v in project.tree("data/processed/inj").items()}}
    second = project.run("run", "inj", "--force")
    assert second.returncode == 0, second.stdout + second.stderr
    after = {**project.tree("reports/inj"), **{f"processed/{k}": v for k, v in project.tree("data/processed/inj").items()}}
    return project, before, after


def _cells(name: str, data: bytes):
    """Every cell of a CSV or XLSX file, as (where, value)."""
    if name.endswith(".csv"):
        for number, row in enumerate(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")), start=1):
            for value in row:
                yield f"{name} row {number}", value
    elif name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data))
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{name} {cell.coordinate} holds a formula: {cell.value}"
                    yield f"{name} {cell.coordinate}", cell.value


def test_no_written_csv_or_xlsx_cell_starts_like_a_formula(built_twice):
    _, _, files = built_twice
    written = [name for name in files if name.endswith((".csv", ".xlsx"))]
    # The files the issue names are all there, so the scan below covers them.
    for name in ("processed/panel.csv", "processed/cleaning_log.csv", "processed/published.csv",
                 "published/findings.csv", "results.csv"):
        assert name in written, name
    unsafe = [(where, value) for name in written for where, value in _cells(name, files[name])
              if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r")
              and not NUMBER.fullmatch(value)]
    assert unsafe == []
    # The dangerous texts did reach the files, guarded, and the CSV files open in Excel (BOM).
    panel = files["processed/panel.csv"].decode("utf-8-sig")
    assert "'=HYPERLINK(" in panel and "'+Đảng bộ 1" in panel
    assert "'=Làm điểm 2019" in files["results.csv"].decode("utf-8-sig")
    assert "'-giảm còn 3/56" in files["processed/published.csv"].decode("utf-8-sig")
    assert all(files[name].startswith(b"\xef\xbb\xbf") for name in written if name.endswith(".csv"))


def test_a_rebuild_writes_the_same_bytes_in_every_file_but_the_manifest(built_twice):
    _, before, after = built_twice
    assert before.keys() == after.keys()
    assert any(name.endswith(".svg") for name in after) and "report.html" in after
    differing = sorted(name for name in after if name != "manifest.json" and before[name] != after[name])
    assert differing == []
    assert before["manifest.json"] != after["manifest.json"]  # a new run id and durations: the only difference
    # The report does not show the quotes of a guard: the readers take it off again.
    assert "=Làm điểm 2019" in after["report.html"].decode("utf-8")
    assert "&#x27;=Làm điểm" not in after["report.html"].decode("utf-8")
