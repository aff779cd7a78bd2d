"""``python -m helpers check-published`` run as a real process on real files."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from helpers.paths import raw_path
from helpers.published import read_published

PUBLISHED = [raw_path(f"published/{name}") for name in (
    "000-binh-thuan.csv", "001-mien-trung.csv", "002-lang-son.csv", "003-hoang-su-phi.csv", "004-trang-dinh.csv")]

# Seed 004, 2017: "được đánh giá là 62 ... 34 đơn vị (chiếm 54,85%) ... 27 đơn vị (chiếm 43,55%) ... 01 đơn vị (chiếm 1,6%)"
GOOD = (
    "source_id,table_id,year,category,count,percent,base,parent,quote\n"
    "004,td-2018,2018,tổng số tổ chức cơ sở đảng được đánh giá,59,,,,\"Năm 2018, tổng số\"\n"
    "004,td-2018,2018,hoàn thành xuất sắc nhiệm vụ,05,\"8,5%\",,,\"05 đơn vị (chiếm 8,5%)\"\n"
    "004,td-2018,2018,hoàn thành tốt nhiệm vụ,50,\"84,7%\",,,\"50 đơn vị (chiếm 84,7%)\"\n"
    "004,td-2018,2018,hoàn thành nhiệm vụ,04,\"6,8%\",,,\"04 đơn vị (chiếm 6,8%)\"\n"
)


def run(*args: str | Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run([sys.executable, "-m", "helpers", "check-published", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", env=env, timeout=120)


def to_cp1258(text: str) -> bytes:
    """Encode as Windows-1258 saves Vietnamese: precomposed where the code page has the letter,
    otherwise the base letter (with circumflex/breve/horn) followed by a combining tone mark."""
    out = bytearray()
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out += base.encode("cp1258") + "".join(c for c in decomposed if c in tones).encode("cp1258")
    return bytes(out)


# --- real files ---------------------------------------------------------------------------------------------

def test_cli_on_source_articles_exits_1_with_the_errors():
    result = run(*PUBLISHED)
    assert result.returncode == 1, result.stderr
    # Seed 004: 34/62 printed 54,85 %; seed 003: 25 + 3 + 42 = 70 printed 71
    assert "34/62 = 54,839 %; in ra 54,85% không khớp" in result.stdout
    assert "25 + 3 + 42 = 70" in result.stdout
    assert "Tóm tắt theo bài báo" in result.stdout


def test_cli_json_object():
    result = run(*PUBLISHED, "--json")
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert {"findings", "denominators"} <= set(data)
    province = next(d for d in data["denominators"] if d["table_id"] == "bt-province-2013")
    # Seed 000 province 2013: 45,25 / 18,99 / 32,73 % fit 495 first (224, 94, 162)
    assert province["source_id"] == "000"
    assert province["candidates"][0] == {"base": 495, "counts": {"TSVM": 224, "HTTNV": 94, "hoàn thành nhiệm vụ": 162},
                                         "schemes": ["half_up", "half_even"]}
    assert any(f["check"] == "duplicate_category" and f["severity"] == "error" for f in data["findings"])


def test_cli_exit_0_without_errors(tmp_path):
    path = tmp_path / "good.csv"
    path.write_text(GOOD, encoding="utf-8")
    result = run(path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr == ""


def test_cli_seed_000_alone_is_consistent():
    # Every checkable number of seed 000 is reproduced (see test_published_checks for the sentences).
    assert run(PUBLISHED[0]).returncode == 0


# --- encodings ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("encoding, data", [
    ("utf-8-sig", GOOD.encode("utf-8-sig")),
    ("utf-16", GOOD.encode("utf-16")),
    ("utf-16-le", GOOD.encode("utf-16-le")),
    ("cp1258", to_cp1258(GOOD)),
])
def test_read_published_detects_encoding(tmp_path, encoding, data):
    path = tmp_path / "t.csv"
    path.write_bytes(data)
    table = read_published(path)
    assert table.attrs["encodings"][str(path)] == encoding
    assert list(table["category"])[1] == "hoàn thành xuất sắc nhiệm vụ"
    assert list(table["count"]) == [59, 5, 50, 4]


def test_cp1258_really_uses_combining_tone_marks():
    # The helper must produce what Windows-1258 stores: "ố" is "ô" (0xF4) + combining acute (0xEC)
    assert to_cp1258("tốt") == b"t\xf4\xect"


def test_cli_reports_encoding_in_summary(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes(to_cp1258(GOOD))
    result = run(path)
    assert result.returncode == 0
    assert "Windows-1258" in result.stdout


def test_read_published_xlsx(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["source_id", "table_id", "year", "category", "count", "percent"])
    sheet.append(["004", "td-2018", 2018, "tổng số", 59, None])
    sheet.append(["004", "td-2018", 2018, "hoàn thành xuất sắc nhiệm vụ", 5, 0.085])
    sheet["F3"].number_format = "0.0%"
    sheet.append(["004", "td-2018", 2018, "hoàn thành tốt nhiệm vụ", 50, "84,7%"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_published(path)
    assert list(table["percent_printed"].fillna("")) == ["", "8.5%", "84,7%"]
    assert table.attrs["encodings"][str(path)] == "xlsx"


# --- bad input: exit 2, file/row/column named, nothing on stdout -----------------------------------------------

def _bad(tmp_path, text: str | bytes, name: str = "bad.csv"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    result = run(path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""            # no partial report
    assert str(path) in result.stderr     # the file is named
    return result.stderr


def test_bad_missing_required_column(tmp_path):
    stderr = _bad(tmp_path, "source_id,table_id,year,count\n004,t,2016,5\n")
    assert "row 1, column 'category'" in stderr and "required column 'category' is missing" in stderr


def test_bad_non_numeric_count(tmp_path):
    stderr = _bad(tmp_path, "source_id,table_id,year,category,count\n004,t,2016,TSVM,ba mươi\n")
    assert "row 2, column 'count': value 'ba mươi'" in stderr and "whole number" in stderr


def test_bad_percent_over_100(tmp_path):
    stderr = _bad(tmp_path, "source_id,table_id,year,category,percent\n004,t,2016,TSVM,\"101,5%\"\n")
    assert "row 2, column 'percent': value '101,5%'" in stderr and "over 100" in stderr


def test_bad_parent_not_in_table(tmp_path):
    stderr = _bad(tmp_path, "source_id,table_id,year,category,count,parent\n"
                            "004,t,2016,TSVM,5,\n004,t,2016,TSVM tiêu biểu,2,HTXSNV\n")
    assert "row 3, column 'parent': value 'HTXSNV'" in stderr and "not a category of table 't'" in stderr


def test_bad_undecodable_encoding(tmp_path):
    # Shift-JIS text: byte 0x81 is undefined in UTF-8 (as a start byte) and in Windows-1258.
    data = "source_id,table_id,year,category,count\n004,t,2016,".encode() + "日本語".encode("shift_jis") + b",5\n"
    stderr = _bad(tmp_path, data)
    assert "row 2, column 'category'" in stderr and "cannot be decoded" in stderr


def test_bad_input_lists_every_problem_at_once(tmp_path):
    stderr = _bad(tmp_path, "source_id,table_id,year,category,count,percent\n"
                            "004,t,20l6,TSVM,x,\"120%\"\n004,t,2016,,5,\n")
    for expected in ("row 2, column 'year'", "row 2, column 'count'", "row 2, column 'percent'",
                     "row 3, column 'category'"):
        assert expected in stderr
    assert "(4 found)" in stderr


def test_bad_usage_exit_2():
    result = run()
    assert result.returncode == 2


def test_byte_undefined_in_windows_1258_is_refused(tmp_path):
    # 0x81 is undefined in Windows-1258 and not a UTF-8 start byte (Python's cp1258 table)
    from helpers.errors import InputError

    path = tmp_path / "t.csv"
    path.write_bytes(b"source_id,table_id,year,category\n004,t,2016,TSVM\n004,t,2017,\x81x\n")
    with pytest.raises(InputError) as caught:
        read_published(path)
    problem = caught.value.problems[0]
    assert (problem.row, problem.column, problem.value) == (3, "category", "byte 0x81")


def test_xlsx_reads_visible_sheets_and_names_a_hidden_table(tmp_path):
    # Issue 14: a workbook whose first sheet is hidden (an old draft) and whose visible sheet holds the table.
    from openpyxl import Workbook

    book = Workbook()
    draft = book.active
    draft.title = "Nháp"
    draft.append(["source_id", "table_id", "year", "category", "count"])
    draft.append(["x", "old", 2016, "tổng số", 99])
    draft.sheet_state = "hidden"
    shown = book.create_sheet("Bảng 1")
    shown.append(["source_id", "table_id", "year", "category", "count", "percent"])
    shown.append(["004", "td-2018", 2018, "tổng số", 59, None])
    shown.append(["004", "td-2018", 2018, "hoàn thành tốt nhiệm vụ", 50, "84,7%"])
    notes = book.create_sheet("Ghi chú")
    notes.append(["nguồn: Tạp chí"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    table = read_published(path)
    assert list(table["table_id"]) == ["td-2018", "td-2018"]     # the visible sheet, not the hidden first one
    assert table.attrs["hidden_sheets"] == [{"file": str(path), "sheet": "Nháp"}]
    from helpers.published import check_published

    audit = check_published(table)
    hidden = audit.findings[audit.findings["check"] == "hidden_sheet"]
    assert list(hidden["severity"]) == ["warning"] and "“Nháp”" in hidden.iloc[0]["message_vi"]
    result = run(path)
    assert result.returncode == 0 and "Nháp" in result.stdout


def test_xlsx_problem_names_the_sheet(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Bảng 2"
    sheet.append(["source_id", "table_id", "year", "category", "count"])
    sheet.append(["004", "t", 2018, "tổng số", "abc"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    result = run(path)
    assert result.returncode == 2 and "sheet 'Bảng 2', row 2, column 'count'" in result.stderr
