"""Tests of ``new-study``: a first study file proposed from a folder of real XLSX files (tests/_province.py).

In-process tests point helpers.paths at a scratch project in tmp_path; the end-to-end test runs the real
commands (new-study, check, run) in a scratch project with the real notebooks and kernel.
"""

from __future__ import annotations

import openpyxl
import pytest
import yaml

from _province import N_UNITS, PILOTS, YEARS, code, label, write_province
from helpers import paths
from helpers.errors import InputError
from helpers.study import load_study
from helpers.study.check import check_study_files
from helpers.study.draft import SCHEMA_LINE, draft_study, new_study


@pytest.fixture
def root(tmp_path, monkeypatch):
    for name, sub in (("ROOT", ""), ("DATA_RAW", "data/raw"), ("STUDIES", "studies"), ("REPORTS", "reports")):
        (tmp_path / sub).mkdir(parents=True, exist_ok=True)
        monkeypatch.setattr(paths, name, tmp_path / sub if sub else tmp_path)
    return tmp_path


def test_columns_sheets_years_labels_and_pilots_come_from_the_content(root):
    write_province(root / "data/raw/tinh")
    draft = draft_study("tinh")
    s = draft.survey
    assert [t.sheet for t in s.panel] == [f"Năm {y}" for y in YEARS]
    assert all(t.header_row == 3 and t.sheet_year == int(t.sheet[-4:]) for t in s.panel)
    # none of these headers says what it holds; the content does ("STT" holds row numbers: never an id)
    assert s.panel[0].roles == {"rating": "Kết quả", "unit_id": "Ký hiệu", "unit_name": "Đơn vị",
                                "parent": "Trực thuộc"}
    assert s.years == list(YEARS) and s.level == "organisation"
    assert s.pilot_table.file == "tinh/pilots.xlsx"
    assert s.pilot_roles == {"unit_id": "Mã", "start": "Năm bắt đầu", "end": "Năm kết thúc",
                             "programme": "Chương trình"}
    assert s.pilot_years == (2016, 2017)
    assert any(p.sheet == "Ghi chú" for p in s.problems)        # the notes sheet: no header row
    # every distinct text, each with its level per year; counts from the generator
    typed = {}
    for i in range(N_UNITS):
        for y in YEARS:
            typed.setdefault(label(i, y), {})[y] = code(i, y)
    assert {r.text for r in s.labels} == set(typed)
    rows = {r.text: r for r in s.labels}
    assert rows["Hoµn thµnh tèt nhiÖm vô"].rule == "legacy_tcvn3_cell"
    assert rows["YÕu kÐm"].levels == {2017: "YK"}
    assert rows["Đạt TSVM"].rule == "variant"
    typo = rows["Hoàn thàn tốt nhiệm vụ"]
    assert typo.rule == "unknown" and typo.proposal == "HTTNV" and typo.closest[0][1] == "Hoàn thành tốt nhiệm vụ"
    for text, levels in typed.items():
        if text != "Hoàn thàn tốt nhiệm vụ":
            assert rows[text].levels == levels, text


def test_the_written_file_is_commented_valid_and_checks_clean(root):
    write_province(root / "data/raw/tinh")
    draft = new_study("tinh")
    text = draft.file.read_text(encoding="utf-8")
    assert text.startswith(SCHEMA_LINE + "\n")
    raw = yaml.safe_load(text)
    panel = raw["panel"]
    assert panel["files"] == ["tinh/ratings.xlsx"]
    assert panel["sheets"] == {"tinh/ratings.xlsx": ["Năm 2015", "Năm 2016", "Năm 2017"]}
    assert panel["year_from_sheet"] == ["tinh/ratings.xlsx"] and panel["years"] == [2015, 2017]
    assert panel["labels"] == {"Hoàn thàn tốt nhiệm vụ": "HTTNV"}
    assert panel["pilots"]["file"] == "tinh/pilots.xlsx"
    # every guess is marked for review: columns, labels, pilots, analyses, level, title
    for line in ("  columns:", "  labels:", "  pilots:", "  level:", "  vi:"):
        assert any(l.startswith(line) and "XEM LẠI / REVIEW" in l for l in text.splitlines()), line
    # pilots: no hand-picked tests; the default claim, 2015 (last year before the 2016 start) → 2017 (the end),
    # and the selection left for review
    assert "analyses" not in raw and "claims" not in raw
    assert panel["pilots"]["selection"] == "unknown"
    assert "#   - {id: pilots-improved-more, from: 2015, to: 2017}" in text
    assert any(l.startswith("    selection: unknown") and "XEM LẠI / REVIEW" in l for l in text.splitlines())
    load_study("tinh")
    report = check_study_files(["tinh"])
    assert report.ok, report.text("en")
    assert "tinh: không có vấn đề (120 dòng, các năm 2015–2017)" in report.text("vi")
    summary = draft.summary("vi")
    assert "Đã tạo tệp nghiên cứu studies/tinh.yaml" in summary and "“Hoàn thàn tốt nhiệm vụ”" in summary
    assert "python -m helpers check tinh" in summary


def test_an_existing_study_file_is_never_overwritten(root):
    write_province(root / "data/raw/tinh")
    (root / "studies/tinh.yaml").write_text("title: mine\n", encoding="utf-8")
    with pytest.raises(InputError, match="never overwritten"):
        new_study("tinh")
    assert (root / "studies/tinh.yaml").read_text(encoding="utf-8") == "title: mine\n"


def test_without_pilots_the_change_of_all_units_is_proposed_with_a_contrast_across_2018(root):
    folder = write_province(root / "data/raw/tinh")
    (folder / "pilots.xlsx").unlink()
    book = openpyxl.load_workbook(folder / "ratings.xlsx")
    book["Năm 2017"].title = "Năm 2018"
    ws = book["Năm 2018"]
    ws["A1"] = "KẾT QUẢ XẾP LOẠI NĂM 2018"
    for row in ws.iter_rows(min_row=4):
        if "TSVM" in str(row[4].value) or row[4].value == "Trong sạch vững mạnh":
            row[4].value = "Hoàn thành xuất sắc nhiệm vụ"
        elif row[4].value in ("Yếu kém", "YÕu kÐm"):
            row[4].value = "Không hoàn thành nhiệm vụ"
    book.save(folder / "ratings.xlsx")
    draft = new_study("tinh")
    # 2015 uses org-2008 and 2018 org-2018 (DOMAIN.md): the top levels differ, so good-or-better is compared
    assert list(draft.analyses) == [{"id": "tinh-all-2015-2018", "question": "a", "design": "paired",
                                     "years": [2015, 2018], "group": "all", "contrast": "good_or_better"}]
    assert "pilots:" not in yaml.safe_load(draft.file.read_text(encoding="utf-8"))["panel"]
    assert check_study_files(["tinh"]).ok, check_study_files(["tinh"]).text("en")


# --- bad input: a clear message naming the file and sheet, and no study file -----------------------------------

def _refused(root, match):
    with pytest.raises(InputError) as err:
        new_study("tinh")
    assert not (root / "studies/tinh.yaml").exists()
    text = str(err.value)
    assert all(m in text for m in match), text
    return text


def test_a_folder_with_no_readable_table_is_refused(root):
    folder = root / "data/raw/tinh"
    folder.mkdir(parents=True)
    (folder / "ghi-chu.md").write_text("# ghi chú\n", encoding="utf-8")
    book = openpyxl.Workbook()
    book.active.title = "Bìa"
    book.active.append(["Báo cáo tổng hợp"])
    book.save(folder / "bia.xlsx")
    _refused(root, ["no readable table in data/raw/tinh", "tinh/bia.xlsx, sheet 'Bìa'", "no header row"])


def test_two_equally_good_unit_id_columns_are_refused(root):
    folder = root / "data/raw/tinh"
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Năm 2016"
    ws.append(["Mã đơn vị", "Mã cũ", "Xếp loại"])
    for i in range(30):
        ws.append([f"A{i:03d}", f"B{i:03d}", "Hoàn thành tốt nhiệm vụ"])
    book.save(folder / "bang.xlsx")
    _refused(root, ["tinh/bang.xlsx, sheet 'Năm 2016'", "Mã đơn vị | Mã cũ", "two columns could be the unit id"])


def test_a_rating_column_with_more_than_50_unknown_texts_is_refused(root):
    folder = root / "data/raw/tinh"
    folder.mkdir(parents=True)
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Năm 2016"
    ws.append(["Mã đơn vị", "Xếp loại"])
    for i in range(70):
        ws.append([f"A{i:03d}", "Hoàn thành tốt nhiệm vụ"])
    for i in range(51):                     # 51 distinct texts no scale knows
        ws.append([f"B{i:03d}", f"ghi chú số {i}"])
    book.save(folder / "bang.xlsx")
    _refused(root, ["tinh/bang.xlsx, sheet 'Năm 2016'", "column 'Xếp loại'", "51 distinct texts",
                    "probably not the rating column"])


# --- end to end: new-study, a review, check, run ---------------------------------------------------------------

def test_end_to_end_from_province_files_to_a_report(project):
    write_province(project.root / "data/raw/tinh")
    made = project.run("new-study", "tinh", "data/raw/tinh/")
    assert made.returncode == 0, made.stderr
    assert "Đã tạo tệp nghiên cứu studies/tinh.yaml" in made.stdout
    # the review: the lecturer reads the file and gives the study its title (nothing else is needed)
    study = project.root / "studies/tinh.yaml"
    study.write_text(study.read_text(encoding="utf-8").replace('"Nghiên cứu tinh"', '"Tỉnh thử nghiệm"'),
                     encoding="utf-8")
    checked = project.run("check", "tinh")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    ran = project.run("run", "tinh")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    import pandas as pd

    report, processed = project.root / "reports/tinh", project.root / "data/processed/tinh"
    panel = pd.read_parquet(processed / "panel.parquet")
    assert len(panel) == N_UNITS * len(YEARS)
    assert sorted(panel.loc[panel.pilot, "unit_id"].unique()) == list(PILOTS)
    expected = {(f"P{i + 1:02d}" if i < len(PILOTS) else f"DV-{i:03d}", y): code(i, y)
                for i in range(N_UNITS) for y in YEARS}
    got = {(u, int(y)): c for u, y, c in zip(panel.unit_id, panel.year, panel.rating_code)}
    assert got == expected
    log = pd.read_csv(processed / "cleaning_log.csv")
    assert set(log.loc[log.rule.str.startswith("legacy_tcvn3_cell"), "before"]) == {"Hoµn thµnh tèt nhiÖm vô",
                                                                                     "YÕu kÐm"}
    results = pd.read_csv(report / "results.csv")
    assert len(results) and (report / "report.html").exists()


def test_the_new_study_notebook_writes_and_checks_the_study(project, kernel):
    import os

    import papermill

    write_province(project.root / "data/raw/tinh")
    out = project.root / "00-new-study.out.ipynb"
    before = dict(os.environ)
    os.environ["HELPERS_ROOT"] = str(project.root)          # the kernel inherits it, as under the runner
    try:
        papermill.execute_notebook(str(project.root / "notebooks/00-new-study.ipynb"), str(out),
                                   parameters={"study": "tinh", "language": "vi"}, kernel_name=kernel,
                                   cwd=str(project.root), progress_bar=False)
    finally:
        os.environ.clear()
        os.environ.update(before)
    assert (project.root / "studies/tinh.yaml").read_text(encoding="utf-8").startswith(SCHEMA_LINE)
    import nbformat

    printed = "".join(o.get("text", "") for c in nbformat.read(out, as_version=4).cells if c.cell_type == "code"
                      for o in c.outputs)
    assert "Đã tạo tệp nghiên cứu studies/tinh.yaml" in printed
    assert "tinh: không có vấn đề (120 dòng, các năm 2015–2017)" in printed
