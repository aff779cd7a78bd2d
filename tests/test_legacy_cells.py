"""Labels typed with a legacy font (TCVN3, VNI) in single cells of a Unicode sheet, and prefixed label forms.

Fixtures are real XLSX files written with openpyxl in tmp_path. The legacy strings are the ones a lecturer
met in a spreadsheet merged from several offices (issue 17): "Hoµn thµnh tèt nhiÖm vô", "YÕu kÐm",
"Kh«ng hoµn thµnh nhiÖm vô" are the TCVN3 bytes of "Hoàn thành tốt nhiệm vụ", "Yếu kém",
"Không hoàn thành nhiệm vụ" shown in a Unicode font (checked against unicode_to_tcvn3 below).
"""

import openpyxl
import pytest

from helpers.cleaning import legacy
from helpers.cleaning.labels import match_label, match_legacy_label
from helpers.cleaning.panel import clean_panel
from helpers.errors import InputError

HEADER = ["Mã đơn vị", "Tên", "Năm", "Xếp loại"]
COLUMNS = {"unit_id": "Mã đơn vị", "unit_name": "Tên", "year": "Năm", "rating": "Xếp loại"}


def _book(path, rows):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Tổng hợp"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


def _panel(path):
    return {"level": "organisation", "years": [2014, 2021], "files": [str(path)], "columns": dict(COLUMNS)}


def test_the_issue_strings_are_the_tcvn3_forms_of_the_labels():
    assert legacy.unicode_to_tcvn3("Hoàn thành tốt nhiệm vụ") == "Hoµn thµnh tèt nhiÖm vô"
    assert legacy.unicode_to_tcvn3("Yếu kém") == "YÕu kÐm"
    assert legacy.unicode_to_tcvn3("Không hoàn thành nhiệm vụ") == "Kh«ng hoµn thµnh nhiÖm vô"


def test_tcvn3_and_vni_cells_in_a_unicode_sheet_are_converted_and_logged(tmp_path):
    rows = [["A1", "Đảng bộ xã Hoà Bình", 2016, "Hoµn thµnh tèt nhiÖm vô"],
            ["A2", "Chi bộ trường Tân Lập", 2016, "YÕu kÐm"],
            ["A3", "Chi bộ thôn Đông", 2016, "Trong sạch vững mạnh"],
            ["A1", "Đảng bộ xã Hoà Bình", 2019, "Kh«ng hoµn thµnh nhiÖm vô"],
            ["A2", "Chi bộ trường Tân Lập", 2019, legacy.unicode_to_vni("Hoàn thành tốt nhiệm vụ")],
            ["A3", "Chi bộ thôn Đông", 2019, "Hoàn thành nhiệm vụ"]]
    result = clean_panel(_panel(_book(tmp_path / "mixed.xlsx", rows)), "mixed.yaml")
    t = result.table
    # hand-checked: the Unicode forms above and DOMAIN.md's scales (2016: org-2008, 2019: org-2018)
    assert t.rating_code.tolist() == ["HTTNV", "YK", "TSVM", "KHTNV", "HTTNV", "HTNV"]
    log = result.log[result.log.column == "Xếp loại"].set_index("row")
    assert log.loc[2, "rule"] == "legacy_tcvn3_cell" and log.loc[2, "after"] == "Hoàn thành tốt nhiệm vụ"
    assert log.loc[3, "rule"] == "legacy_tcvn3_cell" and log.loc[5, "rule"] == "legacy_tcvn3_cell"
    assert log.loc[6, "rule"] == "legacy_vni_cell"
    assert 4 not in log.index and 7 not in log.index        # Unicode labels typed exactly: no change
    # the sheet itself is Unicode: names are not converted
    assert "legacy_tcvn3" not in set(result.log.rule)
    assert t.unit_name.tolist()[0] == "Đảng bộ xã Hoà Bình"


def test_a_converted_label_matching_two_levels_is_refused(tmp_path, monkeypatch):
    # Two conversions that disagree: TCVN3 gives "Yếu kém" (YK); a second converter, standing in for an
    # encoding whose table would read the same bytes as "Trong sạch vững mạnh" (TSVM), disagrees.
    text = "YÕu kÐm"
    monkeypatch.setitem(legacy.CONVERTERS, "vni", lambda s: "Trong sạch vững mạnh" if s == text else s)
    found = match_legacy_label(text, 2016)
    assert found.ambiguous and found.match is None and found.codes == {"tcvn3": "YK", "vni": "TSVM"}
    path = _book(tmp_path / "two.xlsx", [["A1", "Đảng bộ xã Hoà Bình", 2016, text]])
    with pytest.raises(InputError) as err:
        clean_panel(_panel(path), "two.yaml")
    message = str(err.value)
    assert "matches several levels (tcvn3: YK, vni: TSVM)" in message and "two.xlsx" in message


def test_an_unknown_label_that_no_conversion_explains_stays_unknown(tmp_path):
    assert match_legacy_label("Chưa xếp loại", 2016).match is None
    path = _book(tmp_path / "u.xlsx", [["A1", "Đảng bộ xã Hoà Bình", 2016, "Chưa xếp loại"]])
    with pytest.raises(InputError, match="unknown label"):
        clean_panel(_panel(path), "u.yaml")


@pytest.mark.parametrize("text, year, code", [
    ("Đạt TSVM", 2016, "TSVM"), ("Xếp loại: HTTNV", 2019, "HTTNV"), ("xep loai: httnv", 2016, "HTTNV"),
    ("Đạt HTXSNV", 2020, "HTXSNV"), ("§¹t TSVM", 2016, None)])
def test_prefixed_forms_are_variants(text, year, code):
    m = match_label(text, year)
    if code is None:          # the TCVN3 form of "Đạt TSVM" is known only through the per-cell conversion
        assert m is None and match_legacy_label(text, year).match.code == "TSVM"
    else:
        assert m.code == code and "variant" in m.rule
