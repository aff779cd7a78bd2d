"""The one workbook reader both the panel reader and check-published use (helpers.workbook)."""

from openpyxl import Workbook, load_workbook
from openpyxl.chart import BarChart, Reference

from helpers.workbook import shown_text, sheet_rows, sheet_states, unsaved_formula, formula_workbook, value_text


def _book(path):
    book = Workbook()
    book.active.title = "Data"
    book.active.append(["unit_id", "rating"])
    book.active.append([1, 2016.0])
    book.active["C2"] = "=A2*2"          # openpyxl writes no cached value: an unsaved formula
    book.create_sheet("Old").sheet_state = "hidden"
    book.create_sheet("Lookup").sheet_state = "veryHidden"
    chart = BarChart()
    chart.add_data(Reference(book["Data"], min_col=1, min_row=2, max_row=2))
    book.create_chartsheet("Chart").add_chart(chart)   # a chart sheet: listed, marked as holding no cells
    book.save(path)


def test_sheet_states_name_hidden_and_very_hidden_sheets(tmp_path):
    _book(tmp_path / "b.xlsx")
    for read_only in (False, True):
        book = load_workbook(tmp_path / "b.xlsx", read_only=read_only, data_only=True)
        assert [(s.title, s.visible, s.chart) for s in sheet_states(book)] == [
            ("Data", True, False), ("Old", False, False), ("Lookup", False, False), ("Chart", True, True)]


def test_cells_read_as_stored_or_as_shown(tmp_path):
    _book(tmp_path / "b.xlsx")
    fast = load_workbook(tmp_path / "b.xlsx", read_only=True, data_only=True)
    # read-only rows end at their last written cell; the unsaved formula has no value: ''
    assert sheet_rows(fast["Data"]) == [["unit_id", "rating"], ["1", "2016", ""]]
    normal = load_workbook(tmp_path / "b.xlsx", data_only=True)
    assert sheet_rows(normal["Data"], shown_text, cells=True) == [["unit_id", "rating", ""], ["1", "2016", ""]]
    # a whole float stays '2016.0', so cleaning sees (and logs) a number stored with decimals
    assert value_text(2016.0) == "2016.0" and value_text(True) == "true" and value_text(None) == ""


def test_unsaved_formula_gives_the_formula_text(tmp_path):
    _book(tmp_path / "b.xlsx")
    ws = formula_workbook(tmp_path / "b.xlsx")["Data"]
    assert unsaved_formula(ws, 2, 3) == "=A2*2"
    assert unsaved_formula(ws, 2, 1) is None
