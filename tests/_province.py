"""A small generated province: a ratings workbook (one sheet per year under a title block, a notes sheet)
and a pilot list, written as real XLSX files. Used by tests/test_new_study.py and tests/test_study_check.py.

40 organisations, 2015–2017. Units P01–P08 are pilots of a programme running 2016–2017. The workbook mixes
label spellings the way merged office files do: canonical labels, abbreviations, prefixed forms ("Đạt TSVM"),
two cells typed with a TCVN3 font inside the Unicode sheet, and one typo ("Hoàn thàn tốt nhiệm vụ", 3 rows).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl

from helpers.cleaning.legacy import unicode_to_tcvn3

YEARS = (2015, 2016, 2017)
N_UNITS = 40
PILOTS = tuple(f"P{i:02d}" for i in range(1, 9))
HEADER = ["STT", "Ký hiệu", "Đơn vị", "Trực thuộc", "Kết quả"]
#: level code per (unit index, year): a fixed cycle, pilots one level lower in 2015 (hand-made, not random)
CYCLE = ["HTTNV", "TSVM", "HTNV", "HTTNV", "TSVM", "HTTNV", "YK", "HTTNV"]
TEXT = {"HTTNV": "Hoàn thành tốt nhiệm vụ", "TSVM": "Trong sạch vững mạnh", "HTNV": "Hoàn thành nhiệm vụ",
        "YK": "Yếu kém"}


def unit_id(i: int) -> str:
    return PILOTS[i] if i < len(PILOTS) else f"DV-{i:03d}"


def code(i: int, year: int) -> str:
    base = CYCLE[(i + year) % len(CYCLE)]
    if i < len(PILOTS) and year == 2015:
        return "HTNV"
    return base


def label(i: int, year: int) -> str:
    """The text typed for unit i in a year: mostly canonical, some variants (see the module docstring)."""
    c = code(i, year)
    if (i, year) in ((10, 2015), (11, 2016), (12, 2017)) and c == "HTTNV":
        return "Hoàn thàn tốt nhiệm vụ"                       # the typo (3 rows at most)
    if (i, year) in ((13, 2016), (13, 2017)):
        return unicode_to_tcvn3(TEXT[c])                       # TCVN3 cells in a Unicode sheet
    if c == "TSVM" and i % 3 == 0:
        return "Đạt TSVM"
    if i % 5 == 0 and c != "YK":
        return c                                               # the abbreviation (YK has none)
    return TEXT[c]


def write_province(folder: Path, typo: bool = True) -> Path:
    """Write ratings.xlsx and pilots.xlsx into ``folder``; return the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year in YEARS:
        ws = book.create_sheet(f"Năm {year}")
        ws.append([f"KẾT QUẢ XẾP LOẠI TỔ CHỨC CƠ SỞ ĐẢNG NĂM {year}"])
        ws.append([])
        ws.append(HEADER)
        for i in range(N_UNITS):
            text = label(i, year)
            if not typo and text == "Hoàn thàn tốt nhiệm vụ":
                text = TEXT[code(i, year)]
            ws.append([i + 1, unit_id(i), f"Chi bộ thôn {i + 1}", f"Đảng bộ xã {'Đông' if i % 2 else 'Tây'}",
                       text])
    notes = book.create_sheet("Ghi chú")
    notes.append(["Số liệu tổng hợp từ các huyện."])
    book.save(folder / "ratings.xlsx")
    pilots = openpyxl.Workbook()
    ws = pilots.active
    ws.title = "Danh sách"
    ws.append(["Mã", "Chương trình", "Năm bắt đầu", "Năm kết thúc"])
    for p in PILOTS:
        ws.append([p, "củng cố", 2016, 2017])
    pilots.save(folder / "pilots.xlsx")
    return folder
