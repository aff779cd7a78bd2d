"""Workbook cases of the panel reader (issue 16): hidden sheets and formula cells without a saved value.

Real XLSX files written with openpyxl; as in tests/test_panel.py the file paths are absolute."""

from __future__ import annotations

import openpyxl
import pytest

from helpers.cleaning.panel import clean_panel
from helpers.errors import InputError

HEAD = ["Mã đơn vị", "Tên", "Cấp trên", "Năm", "Xếp loại"]
COLUMNS = {"unit_id": "Mã đơn vị", "unit_name": "Tên", "parent": "Cấp trên", "year": "Năm", "rating": "Xếp loại"}


def _rows(n: int, year: int, label: str = "Hoàn thành tốt nhiệm vụ"):
    return [[f"A{i}", f"Chi bộ {i}", "Huyện X", year, label] for i in range(1, n + 1)]


def _panel(path, **extra):
    return {"level": "organisation", "years": [2014, 2021], "files": [str(path)], "columns": dict(COLUMNS), **extra}


def _workbook(path, sheets: dict, hidden=()):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append(HEAD)
        for row in rows:
            sheet.append(row)
        if name in hidden:
            sheet.sheet_state = "hidden"
    book.save(path)
    return path


def test_a_hidden_sheet_is_skipped_with_a_note_naming_it(tmp_path):
    # 20 visible rows (2017) and a hidden "old copy" of 5 rows (2018): the 25 instead of 20.
    path = _workbook(tmp_path / "p.xlsx", {"2017": _rows(20, 2017), "old copy": _rows(5, 2018)}, hidden={"old copy"})
    result = clean_panel(_panel(path), "study.yaml")
    assert len(result.table) == 20
    note = result.log[result.log["rule"] == "hidden_sheet_skipped"]
    assert note[["sheet", "before", "after"]].values.tolist() == [["old copy", "old copy", "not read"]]


def test_a_hidden_sheet_the_study_names_is_read(tmp_path):
    path = _workbook(tmp_path / "p.xlsx", {"2017": _rows(20, 2017), "old copy": _rows(5, 2018)}, hidden={"old copy"})
    result = clean_panel(_panel(path, sheets=["2017", "old copy"]), "study.yaml")
    assert len(result.table) == 25
    assert "hidden_sheet_skipped" not in set(result.log["rule"])


def test_a_workbook_whose_data_sheets_are_all_hidden_says_so(tmp_path):
    # A workbook needs one visible sheet: here one with a heading only.
    path = _workbook(tmp_path / "p.xlsx", {"notes": [], "2017": _rows(3, 2017), "2018": _rows(3, 2018)},
                     hidden={"2017", "2018"})
    with pytest.raises(InputError) as error:
        clean_panel(_panel(path), "study.yaml")
    assert "value '2017, 2018' — hidden sheets, not read; name them under panel.sheets to read them" \
        in str(error.value)
    assert "sheet 'notes', row 1 — empty sheet: a header row but no data rows" in str(error.value)


def test_a_formula_cell_without_a_saved_value_says_so_not_rating_missing(tmp_path):
    rows = _rows(3, 2017)
    rows[1][4] = '=IF(B3="","","Hoàn thành nhiệm vụ")'  # openpyxl saves formulas without computed values
    path = _workbook(tmp_path / "p.xlsx", {"2017": rows})
    with pytest.raises(InputError) as error:
        clean_panel(_panel(path), "study.yaml")
    text = str(error.value)
    assert ("sheet '2017', row 3, column 'Xếp loại': value '=IF(B3=\"\",\"\",\"Hoàn thành nhiệm vụ\")' — a formula "
            "cell with no saved value") in text
    assert "rating missing" not in text
