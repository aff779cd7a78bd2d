"""Tests of helpers.cleaning.panel: reading, cleaning, validating and writing unit-level rating panels.

Fixtures are real CSV/XLSX files written in tmp_path with pandas/openpyxl; file paths in the panel
sections are absolute (helpers.paths.raw_path keeps absolute paths as they are).
"""

import csv
import os
import hashlib
import unicodedata
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from helpers import paths
from helpers.errors import InputError
from helpers.cleaning.legacy import unicode_to_tcvn3
from helpers.cleaning.panel import CleaningResult, OUTPUT_FILES, PANEL_COLUMNS, clean_panel, clean_study
from helpers.cleaning.panel_config import check_panel_config
from helpers.study import Study, load_study

HEAD = ["Mã đơn vị", "Tên", "Cấp trên", "Năm", "Xếp loại"]
COLUMNS = {"unit_id": "Mã đơn vị", "unit_name": "Tên", "parent": "Cấp trên", "year": "Năm", "rating": "Xếp loại"}


def write_csv(path: Path, rows, header=HEAD, encoding="utf-8", delimiter=","):
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def panel_for(*files, **extra):
    panel = {"level": "organisation", "years": [2014, 2021], "files": [str(f) for f in files],
             "columns": dict(COLUMNS)}
    panel.update(extra)
    return panel


def problems_text(err: InputError) -> str:
    return str(err)


GOOD_ROWS = [
    ["A1", "Đảng bộ xã Hoà Bình", "Huyện X", "2017", "TSVM"],
    ["A1", "Đảng bộ xã Hoà Bình", "Huyện X", "2018", "Hoàn thành tốt nhiệm vụ"],
    ["A2", "Chi bộ trường Y", "Huyện X", "2017", "hoan thanh nhiem vu"],
    ["A2", "Chi bộ trường Y", "Huyện X", "2018", " 'HTXSNV' "],
    [" A3 ", "Đảng bộ xã Tân Lập", "Huyện X", "2017", "Hòan thành tốt nhiệm vụ"],
    ["A3", "Đảng bộ xã Tân Lập", "Huyện X", "2018", "Không hoàn thành nhiệm vụ"],
]


def test_clean_panel_csv_values_and_log(tmp_path):
    f = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    result = clean_panel(panel_for(f), "study.yaml")
    t = result.table
    assert list(t.columns) == PANEL_COLUMNS
    # hand-checked against GOOD_ROWS and DOMAIN.md's scale table
    assert t.rating_code.tolist() == ["TSVM", "HTTNV", "HTNV", "HTXSNV", "HTTNV", "KHTNV"]
    assert t.scale.tolist() == ["org-2008", "org-2018"] * 3
    assert t.rating_order.tolist() == [3, 2, 1, 3, 2, 0]
    assert t.unit_id.tolist() == ["A1", "A1", "A2", "A2", "A3", "A3"]
    assert t.source_row.tolist() == [2, 3, 4, 5, 6, 7]
    log = result.log.set_index(["row", "column"])
    assert log.loc[(2, "Xếp loại"), "rule"] == "abbreviation"
    assert log.loc[(4, "Xếp loại"), "rule"] == "no_diacritics"
    assert log.loc[(5, "Xếp loại"), "rule"] == "case_spaces_quotes+abbreviation"
    assert log.loc[(6, "Xếp loại"), "rule"] == "tone_marks"
    assert tuple(log.loc[(6, "Mã đơn vị"), ["before", "after", "rule"]]) == (" A3 ", "A3", "trim_spaces")
    assert (3, "Xếp loại") not in log.index          # an exact label is not a change
    assert set(result.validation.columns) == {"check", "status", "n", "detail"}


def test_clean_study_writes_four_files_atomically(tmp_path):
    f = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    study = Study(name="t", file=tmp_path / "t.yaml", title={"vi": "t", "en": "t"}, language="vi", notebooks=(),
                  published=(), panel=panel_for(f), analyses=(), export={}, raw={})
    out = tmp_path / "out"
    umask = os.umask(0o022)
    try:
        result = clean_study(study, out)
    finally:
        os.umask(umask)
    assert isinstance(result, CleaningResult)
    assert sorted(p.name for p in out.iterdir()) == sorted(OUTPUT_FILES)   # no temporary file left behind
    assert {oct(p.stat().st_mode & 0o777) for p in out.iterdir()} == {oct(0o644)}   # not mkstemp's owner-only 0600
    assert (out / "panel.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    back = pd.read_parquet(out / "panel.parquet")
    assert back.rating_code.tolist() == result.table.rating_code.tolist()
    assert pd.read_csv(out / "cleaning_log.csv", encoding="utf-8-sig").shape[0] == len(result.log)
    no_panel = Study(name="t", file=tmp_path / "t.yaml", title={"vi": "t", "en": "t"}, language="vi",
                     notebooks=(), published=(), panel=None, analyses=(), export={}, raw={})
    assert clean_study(no_panel, out) is None


def test_bad_input_undecodable_encoding(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_bytes("Mã đơn vị,Năm,Xếp loại\n".encode("utf-8") + "東京都,二〇一六,優良\n".encode("shift_jis"))
    with pytest.raises(InputError, match=r"bad\.csv.*undecodable encoding"):
        clean_panel(panel_for(f, columns={"unit_id": "Mã đơn vị", "year": "Năm", "rating": "Xếp loại"}))


def test_bad_input_missing_required_column(tmp_path):
    f = write_csv(tmp_path / "p.csv", [["A1", "x", "y", "2017"]], header=HEAD[:4])
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    text = problems_text(err.value)
    assert "p.csv" in text and "required column 'rating' not found" in text and "Mã đơn vị" in text


def test_bad_input_empty_sheet_and_merged_header_listed_together(tmp_path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "2016"
    ws.append(["Kết quả xếp loại 2016"])
    ws.append(HEAD)
    ws.append(["A1", "n", "p", "2016", "TSVM"])
    ws.merge_cells("D2:E2")
    book.create_sheet("2017")
    f = tmp_path / "w.xlsx"
    book.save(f)
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    probs = err.value.problems
    merged = [p for p in probs if "merged header cells" in p.rule]
    empty = [p for p in probs if "empty sheet" in p.rule]
    assert merged and merged[0].sheet == "2016" and merged[0].row == 2 and merged[0].value == "D2:E2"
    assert empty and empty[0].sheet == "2017"


def test_bad_input_non_numeric_year(tmp_path):
    f = write_csv(tmp_path / "p.csv", [["A1", "n", "p", "2O16", "TSVM"], ["A2", "n2", "p", "2016", "TSVM"]])
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    (p,) = err.value.problems
    assert (p.row, p.column, p.value) == (2, "Năm", "2O16") and "non-numeric year" in p.rule


def test_year_with_too_many_digits_is_reported_and_the_other_labels_still_checked(tmp_path):
    # 99999999999 does not fit the 32-bit (label, year) pair codes: the 64-bit ones are used instead
    f = write_csv(tmp_path / "p.csv", [["A1", "n", "p", "2016", "TSVM"], ["A2", "n2", "p", "99999999999", "HTNV"],
                                       ["A3", "n3", "p", "2016", "HTNVx"], ["A4", "n4", "p", "2019", "TSVM"]])
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    found = {(p.row, p.column, str(p.value), p.rule.split(":")[0]) for p in err.value.problems}
    # rows by hand: header on line 1, A2 on line 3, A3 on line 4, A4 (a 2008-scale label in 2019) on line 5
    assert found == {(3, "Năm", "99999999999", "year out of range 2014–2021 (panel.years)"),
                     (4, "Xếp loại", "HTNVx", "unknown label"),
                     (5, "Xếp loại", "TSVM", "label of the wrong scale for its year")}


def test_bad_input_unknown_label_lists_rows_and_closest(tmp_path):
    rows = [["A1", "n", "p", "2017", "Hoàn thàn tốt nhiệm vụ"], ["A2", "n2", "p", "2017", "TSVM"],
            ["A3", "n3", "p", "2017", "Hoàn thàn tốt nhiệm vụ"]]
    f = write_csv(tmp_path / "p.csv", rows)
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    (p,) = err.value.problems
    assert p.value == "Hoàn thàn tốt nhiệm vụ" and p.row == 2 and "(rows 2, 4)" in p.rule
    assert "closest known labels: Hoàn thành tốt nhiệm vụ" in p.rule and "panel.labels" in p.rule
    # the study maps it: the run goes through and logs the mapping
    ok = clean_panel(panel_for(f, labels={"hoàn thàn tốt nhiệm vụ": "HTTNV"}))
    assert ok.table.rating_code.tolist() == ["HTTNV", "TSVM", "HTTNV"]
    assert (ok.log.rule == "study_mapping").sum() == 2


def test_every_validation_problem_listed_at_once(tmp_path):
    rows = [
        ["A1", "Xã Một", "H", "2017", "TSVM"],
        ["A1", "Xã Một", "H", "2017", "HTTNV"],                     # duplicate unit-year
        ["A2", "Xã Hai", "H", "2013", "TSVM"],                      # year out of range
        ["A3", "Xã Ba", "H", "2019", "Trong sạch vững mạnh"],       # label of the wrong scale
        ["A4", "Xã Bốn", "H", "2017", "HTTNV trở lên"],             # cumulative label for one unit
        ["A5", "Xã Năm", "H", "2017", "Đủ tư cách, hoàn thành tốt nhiệm vụ"],   # a member label
        ["A6", "Xã Sáu", "H", "2017", "HTNV"],                      # id A6 until 2017 ...
        ["A7", "Xã Sáu", "H", "2018", "HTNV"],                      # ... and A7 from 2018: a unit that changes id
    ]
    f = write_csv(tmp_path / "p.csv", rows)
    pilots = write_csv(tmp_path / "pilots.csv", [["A1", "củng cố", "2016", "2019"], ["Z9", "củng cố", "2016", "2019"]],
                       header=["Mã đơn vị", "Chương trình", "Bắt đầu", "Kết thúc"])
    panel = panel_for(f, pilots={"file": str(pilots), "columns": {"unit_id": "Mã đơn vị", "programme": "Chương trình",
                                                                   "start": "Bắt đầu", "end": "Kết thúc"}})
    with pytest.raises(InputError) as err:
        clean_panel(panel)
    rules = [p.rule for p in err.value.problems]
    expected = ["duplicate unit-year 2017", "year out of range", "label of the wrong scale",
                "cumulative category", "members and organisations mixed", "a unit that changes id",
                "a pilot id absent from the panel"]
    for text in expected:
        assert sum(text in r for r in rules) == 1, (text, rules)
    where = {p.rule.split(":")[0]: (p.row, p.value) for p in err.value.problems}
    assert where["duplicate unit-year 2017"] == (3, None)
    assert where["a pilot id absent from the panel"] == (3, "Z9")


def test_scores_decimal_comma_range_and_2025_bands(tmp_path):
    header = HEAD + ["Điểm"]
    rows = [["A1", "n1", "p", "2025", "", "92,5"], ["A2", "n2", "p", "2025", "HTTNV", "75"],
            ["A3", "n3", "p", "2025", "HTXSNV", "75"], ["A4", "n4", "p", "2024", "HTNV", "101"]]
    f = write_csv(tmp_path / "p.csv", rows, header=header)
    panel = panel_for(f, years=[2020, 2025], columns={**COLUMNS, "score": "Điểm"})
    with pytest.raises(InputError) as err:
        clean_panel(panel)
    rules = {p.row: p.rule for p in err.value.problems}
    # QĐ 366 bands (DOMAIN.md): 75 points is HTTNV, so HTXSNV with 75 disagrees; 101 is outside 0–100.
    assert "disagrees with the score band (HTTNV)" in rules[4] and "outside 0–100" in rules[5]
    f2 = write_csv(tmp_path / "q.csv", rows[:2], header=header)
    ok = clean_panel(panel_for(f2, years=[2020, 2025], columns={**COLUMNS, "score": "Điểm"}))
    assert ok.table.rating_code.tolist() == ["HTXSNV", "HTTNV"] and ok.table.score.tolist() == [92.5, 75.0]
    assert set(ok.log.rule) == {"decimal_comma", "score_band", "abbreviation"}


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1258", "tcvn3"])
def test_csv_encodings_are_detected(tmp_path, encoding):
    f = tmp_path / "p.csv"
    text = "\n".join(",".join(r) for r in [HEAD] + [r for r in GOOD_ROWS if r[0] != " A3 "]) + "\n"
    if encoding == "tcvn3":
        f.write_bytes(unicode_to_tcvn3(text).encode("latin-1"))
    elif encoding == "cp1258":
        f.write_bytes(_to_cp1258(text))
    else:
        f.write_bytes(text.encode(encoding))
    result = clean_panel(panel_for(f))
    assert result.table.unit_name.tolist()[0] == "Đảng bộ xã Hoà Bình"
    assert result.table.rating_code.tolist() == ["TSVM", "HTTNV", "HTNV", "HTXSNV", "KHTNV"]
    assert result.validation.set_index("check").loc["encoding", "detail"].endswith(
        {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "cp1258": "windows-1258", "tcvn3": "tcvn3"}[encoding])
    if encoding == "tcvn3":
        legacy = result.log[result.log.rule == "legacy_tcvn3"]
        assert "Đảng bộ xã Hoà Bình" in legacy.after.tolist()
        assert unicode_to_tcvn3("Đảng bộ xã Hoà Bình") in legacy.before.tolist()


def _to_cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese Windows writes it: letters with ă â ê ô ơ ư đ precomposed, tones combining."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            tone = next(p for p in parts if p in "\u0300\u0301\u0303\u0309\u0323")
            base = unicodedata.normalize("NFC", parts.replace(tone, ""))
            out += base.encode("cp1258") + tone.encode("cp1258")
    return bytes(out)


def test_xlsx_title_block_year_from_sheet_and_tcvn3_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for year, legacy in ((2016, True), (2017, False)):
        ws = book.create_sheet(f"Năm {year}")
        enc = unicode_to_tcvn3 if legacy else str
        ws.append([enc(f"KẾT QUẢ XẾP LOẠI NĂM {year}")])
        ws.merge_cells("A1:D1")                      # a merged title above the header is fine
        ws.append([])
        ws.append([enc(h) for h in ["Mã đơn vị", "Tên", "Cấp trên", "Xếp loại"]])
        ws.append(["A1", enc("Đảng bộ xã Hoà Bình"), enc("Huyện X"), enc("Hoàn thành tốt nhiệm vụ")])
        ws.append([2.0, enc("Chi bộ Y"), enc("Huyện X"), enc("Trong sạch vững mạnh")])
    f = tmp_path / "w.xlsx"
    book.save(f)
    cols = {k: v for k, v in COLUMNS.items() if k != "year"}
    result = clean_panel(panel_for(f, columns=cols, year_from_sheet=True))
    t = result.table
    assert t.year.tolist() == [2016, 2016, 2017, 2017] and t.source_row.tolist() == [4, 5, 4, 5]
    assert t.unit_id.tolist() == ["A1", "2", "A1", "2"]         # an id stored as a number
    assert t.rating_code.tolist() == ["HTTNV", "TSVM", "HTTNV", "TSVM"]
    rules = set(result.log.rule)
    assert "legacy_tcvn3" in rules
    assert (result.log[result.log.rule == "legacy_tcvn3"].sheet == "Năm 2016").all()


def test_pilots_from_a_column(tmp_path):
    header = HEAD + ["Làm điểm"]
    rows = [["A1", "n", "p", "2016", "HTNV", "x"], ["A1", "n", "p", "2017", "HTTNV", "X"],
            ["A2", "m", "p", "2016", "TSVM", ""], ["A2", "m", "p", "2017", "TSVM", "không"]]
    f = write_csv(tmp_path / "p.csv", rows, header=header)
    result = clean_panel(panel_for(f, pilots={"column": "Làm điểm", "programme": "củng cố"}))
    t = result.table
    assert t.pilot.tolist() == [True, True, False, False]
    assert t.pilot_start.tolist()[:2] == [2016, 2016] and t.pilot_end.tolist()[:2] == [2017, 2017]
    assert t.programme.tolist()[0] == "củng cố"
    bad = write_csv(tmp_path / "q.csv", rows[:1] + [["A2", "m", "p", "2016", "TSVM", "maybe"]], header=header)
    with pytest.raises(InputError, match="pilot flag not understood"):
        clean_panel(panel_for(bad, pilots={"column": "Làm điểm"}))


def test_check_panel_config_lists_every_problem(tmp_path):
    panel = {"level": "cell", "years": [2021, 2014], "files": ["nope/missing.csv"],
             "columns": {"unit_id": "Mã", "colour": "Màu"}, "labels": {"x": "GREAT"},
             "pilots": {"file": "a.csv", "column": "b"}, "extra": 1}
    probs = check_panel_config(panel, "studies/x.yaml")
    where = {p.column for p in probs}
    assert {"panel.level", "panel.years", "panel.files", "panel.columns.colour", "panel.columns.rating",
            "panel.columns.year", "panel.labels.x", "panel.pilots", "panel.extra"} <= where
    assert all(p.file == "studies/x.yaml" for p in probs)
    assert check_panel_config(load_study("example-panel").panel, "studies/example-panel.yaml") == []


def _tree_digest(root: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(root.rglob("*")):
        if p.is_file():
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_example_study_runs_every_rule_and_leaves_data_raw_untouched(tmp_path):
    before = _tree_digest(paths.DATA_RAW)
    study = load_study("example-panel")
    result = clean_study(study, tmp_path / "processed")
    assert _tree_digest(paths.DATA_RAW) == before
    rules = set(result.log.rule.str.split("+").explode())
    assert {"legacy_tcvn3", "trim_spaces", "number_as_text", "decimal_comma", "study_unit_id", "study_mapping",
            "unicode_nfc", "tone_marks", "case_spaces_quotes", "no_diacritics", "abbreviation", "variant"} <= rules
    t = result.table
    # scripts/make_example_panel.py: 500 units x 8 years, 40 pilots, VD-0137 renamed VD-0937 in 2018
    assert len(t) == 4000 and t.unit_id.nunique() == 500 and t[t.pilot].unit_id.nunique() == 40
    assert "VD-0137" not in set(t.unit_id) and (t.unit_id == "VD-0937").sum() == 8
    # TSVM about half before 2018, HTXSNV rare after (the generator's cut points)
    top = t.groupby("year").rating_common.apply(lambda s: (s == "top").mean())
    assert top.loc[2014:2017].between(0.4, 0.6).all() and top.loc[2018:2021].between(0.02, 0.15).all()


def test_failed_run_writes_nothing_and_raw_is_refused(tmp_path):
    f = write_csv(tmp_path / "p.csv", [["A1", "n", "p", "2017", "???"]])
    study = Study(name="t", file=tmp_path / "t.yaml", title={"vi": "t", "en": "t"}, language="vi", notebooks=(),
                  published=(), panel=panel_for(f), analyses=(), export={}, raw={})
    out = tmp_path / "out"
    with pytest.raises(InputError):
        clean_study(study, out)
    assert not out.exists() or not any(out.iterdir())
    good = Study(name="t", file=tmp_path / "t.yaml", title={"vi": "t", "en": "t"}, language="vi", notebooks=(),
                 published=(), panel=panel_for(write_csv(tmp_path / "g.csv", GOOD_ROWS)), analyses=(), export={},
                 raw={})
    with pytest.raises(InputError, match="never written under data/raw"):
        clean_study(good, paths.DATA_RAW / "processed-here")
    assert not (paths.DATA_RAW / "processed-here").exists()


# --- the fast paths of the million-row cleaning (issue 4) must give the same answers as the plain rules ------

def _full_key(values):
    """The name key as the module docstring defines it: NFC, lower case, whitespace runs → one space, trimmed."""
    import pyarrow.compute as pc
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(
        pc.utf8_lower(pc.utf8_normalize(values, "NFC")), r"\s+", " "))


def test_plain_text_ranges_are_left_alone_by_nfc():
    # source: the Unicode Character Database as shipped in Python's unicodedata — a character of the "plain"
    # ranges is its own NFC form, has combining class 0 and is never the second half of a canonical pair,
    # so NFC cannot change a text made only of them
    from helpers.cleaning.identity import _PLAIN_TEXT_RANGES
    plain = {c for a, b in _PLAIN_TEXT_RANGES for c in range(a, b + 1)}
    seconds = set()
    for cp in range(0x110000):
        d = unicodedata.decomposition(chr(cp))
        if d and not d.startswith("<") and len(d.split()) == 2:
            seconds.add(int(d.split()[1], 16))
    seconds |= set(range(0x1161, 0x1176)) | set(range(0x11A8, 0x11C3))      # Hangul V and T jamo
    for cp in plain:
        ch = chr(cp)
        assert unicodedata.normalize("NFC", ch) == ch and unicodedata.combining(ch) == 0, hex(cp)
        assert cp not in seconds, hex(cp)
    assert not {0x09, 0x0A, 0x0C, 0x0D} & plain                             # RE2's \s besides the space


def test_name_keys_equal_the_full_normalisation():
    import pyarrow as pa
    import pyarrow.compute as pc
    from hypothesis import given, settings, strategies as st
    from helpers.cleaning.identity import _name_keys, _not_plain

    tricky = ["Đảng bộ xã Hoà Bình", "  ĐẢNG BỘ  xã\tHoà\nBình ", unicodedata.normalize("NFD", "Chi bộ thôn Nà Pồng"),
              "Chi bộ\u00a0thôn", "x\u3000y", "Å\u212b", "a  ", "", " ", "ǅ", "İstanbul", "Ω\u2126", "ỹ\u0301"]
    values = pa.array(tricky, pa.large_string())
    assert pc.all(pc.equal(_name_keys(values), _full_key(values))).as_py()
    # hand-checked against the ranges: tab/line break or double space (1, 6), combining marks (2, 12), U+3000 (4),
    # U+212B (5), U+2126 (11); NBSP (3), İ (10) and ǅ (9) are plain (RE2's \s does not match NBSP)
    assert _not_plain(values).tolist() == [1, 2, 4, 5, 6, 11, 12]

    alphabet = st.sampled_from([chr(c) for c in range(0x20, 0x7F)] + list("\t\n\r\f\u00a0\u0300\u0301\u0323\u1ea1"
                                                                           "\u1ec7đĐ\u2003\u212b\U0001F600"))

    @settings(max_examples=60, deadline=None)
    @given(st.lists(st.text(alphabet, max_size=12), min_size=1, max_size=30))
    def same(texts):
        arr = pa.array(texts, pa.large_string())
        assert _name_keys(arr).to_pylist() == _full_key(arr).to_pylist()

    same()


def _big_rows(n_units=2500):
    rows = []
    for u in range(n_units):
        for year in (2017, 2018):
            rows.append([f"B{u:05d}", f"Chi bộ thôn {u}", "Huyện Z", str(year),
                         "Hoàn thành tốt nhiệm vụ" if year == 2017 else "HTXSNV"])
    return rows


def test_large_csv_read_from_disk_matches_the_whole_file_reader(tmp_path):
    from helpers.cleaning.encoding import _SAMPLE_BYTES
    from helpers.cleaning.read import _read_csv_bytes, read_csv
    rows = _big_rows()
    rows[3][0] = " B00001 "
    f = tmp_path / "big.csv"
    with open(f, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEAD)
        w.writerows(rows[:1000])
        fh.write("\n")                                   # a blank line: the rows below move down one line
        w.writerows(rows[1000:])
    assert f.stat().st_size > _SAMPLE_BYTES              # large enough for the read-from-disk path
    cols = {k: [v] for k, v in COLUMNS.items()}
    fast = read_csv(f, "big.csv", cols, {"unit_id", "year", "rating"}, [])
    whole = _read_csv_bytes(f, "big.csv", cols, {"unit_id", "year", "rating"}, [])
    assert len(fast) == len(whole) == 1
    for name in COLUMNS:
        assert fast[0].columns[name].cast("large_string").to_pylist() == \
            whole[0].columns[name].cast("large_string").to_pylist()
    # hand count: header on line 1, data rows from line 2; the blank line is line 1002
    assert fast[0].rows[:2].tolist() == [2, 3] and fast[0].rows[999] == 1001 and fast[0].rows[1000] == 1003
    assert fast[0].rows.tolist() == whole[0].rows.tolist()
    result = clean_panel(panel_for(f), "study.yaml")
    assert len(result.table) == 5000 and result.table.unit_id.nunique() == 2500
    row = result.log[result.log.column == "Mã đơn vị"]
    assert row[["row", "before", "after", "rule"]].values.tolist() == [[5, " B00001 ", "B00001", "trim_spaces"]]


@pytest.mark.parametrize("big", [False, True], ids=["whole-file reader", "read from disk"])
def test_csv_rows_keep_their_line_numbers_past_blank_lines_empty_rows_and_multiline_values(tmp_path, big):
    """Spreadsheet programs write ',,,,' lines after the data and line breaks inside a quoted cell; pyarrow
    skips only the empty lines. Every problem must still name the line a person sees."""
    from helpers.cleaning.encoding import _SAMPLE_BYTES
    head = HEAD + ["Ghi chú"]
    lines = [",".join(head)]
    filler = [f"B{u:05d},Chi bộ thôn {u},Huyện Z,2017,HTTNV," for u in range(2500 if big else 0)]
    lines += filler
    lines += ["A1,Đảng bộ xã Hoà Bình,Huyện X,2017,TSVM,",           # line len(filler) + 2
              "",                                                    # + 3: empty line
              'A2,Chi bộ trường Y,Huyện X,2017,HTNV,"dòng một',      # + 4 and + 5: one record on two lines
              'dòng hai"',
              ",,,,,",                                               # + 6: empty cells only: skipped
              "A3,Đảng bộ xã Tân Lập,Huyện X,2017,HTNVv,",           # + 7: an unknown label
              ",,,,,ghi chú lẻ",                                     # + 8: a note only: a row without an id
              ",,,,,", ""]
    f = tmp_path / "panel.csv"
    f.write_bytes("\r\n".join(lines).encode("utf-8"))
    assert (f.stat().st_size > _SAMPLE_BYTES) == big
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f), "study.yaml")
    text = problems_text(err.value)
    k = len(filler)
    # hand count of the lines above: the unknown label on line k + 7, the note-only row on line k + 8
    assert f"row {k + 7}, column 'Xếp loại': value 'HTNVv' — unknown label" in text
    assert f"row {k + 8}, column 'Mã đơn vị': value '' — unit id missing" in text
    assert len(err.value.problems) == 4          # the note-only row: no id, no year, no rating; and HTNVv
    f.write_bytes("\r\n".join(lines).replace("HTNVv", "HTNV").replace(",,,,,ghi chú lẻ", ",,,,,").encode("utf-8"))
    result = clean_panel(panel_for(f), "study.yaml")
    tail = result.table.tail(3)
    assert tail.unit_id.tolist() == ["A1", "A2", "A3"] and tail.source_row.tolist() == [k + 2, k + 4, k + 7]
    assert len(result.table) == k + 3


def test_csv_with_only_empty_rows_under_its_header_is_an_empty_table(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text(",".join(HEAD) + "\n,,,,\n\n,,,,\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f))
    (p,) = err.value.problems
    assert p.row == 1 and p.rule == "empty table: a header row but no data rows"


def test_changed_id_found_when_names_differ_in_case_spaces_and_unicode_form(tmp_path):
    rows = _big_rows()
    # unit 7 takes id N00007 from 2018 on, its name typed in capitals, a double space and decomposed marks
    for r in rows:
        if r[0] == "B00007" and r[3] == "2018":
            r[0], r[1] = "N00007", unicodedata.normalize("NFD", "CHI BỘ  thôn 7")
    f = write_csv(tmp_path / "big.csv", rows)
    with pytest.raises(InputError) as err:
        clean_panel(panel_for(f), "study.yaml")
    text = problems_text(err.value)
    assert "a unit that changes id" in text and "'B00007' until 2017 and id 'N00007' from 2018" in text
    # mapped, the same file is clean; an id that keeps its name in every year is never flagged
    result = clean_panel(panel_for(f, unit_ids={"B00007": "N00007"}), "study.yaml")
    assert result.validation.set_index("check").loc["unit_changes_id", "n"] == 0
    assert result.table.unit_id.nunique() == 2500


def test_result_table_is_an_ordinary_writable_frame(tmp_path):
    f = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    t = clean_panel(panel_for(f), "study.yaml").table
    assert str(t.pilot_start.dtype) == "Int64" and t.pilot_start.isna().all()
    assert t.level.tolist() == ["organisation"] * 6 and t.source_file.tolist() == [str(f)] * 6
    t.loc[0, "year"] = 2016                               # numbers are not read-only views
    t.loc[0, "rating_order"] = 0
    assert t.year.tolist()[:2] == [2016, 2018]


def test_large_csv_plain_columns_give_the_cleaned_texts_not_the_texts_read(tmp_path):
    # the read-from-disk path keeps unit_id, unit_name, parent and rating as read (RawTable.plain); a column a
    # cleaning step changes must still come out cleaned, an unchanged one as read
    from helpers.cleaning.encoding import _SAMPLE_BYTES
    from helpers.cleaning.read import read_csv
    rows = _big_rows()
    rows[4][1] = " Chi bộ thôn 2  "                       # row 6 of the file (header on line 1)
    rows[6][0] = "OLD3"                                    # 2017 row of unit 3 under an old id
    rows[8][4] = "  HTTNV"                                 # rating typed with spaces: kept raw, matched
    f = write_csv(tmp_path / "big.csv", rows)
    assert f.stat().st_size > _SAMPLE_BYTES
    fast = read_csv(f, "big.csv", {k: [v] for k, v in COLUMNS.items()}, {"unit_id", "year", "rating"}, [])
    assert set(fast[0].plain) == {"unit_id", "unit_name", "parent", "rating"}
    result = clean_panel(panel_for(f, unit_ids={"OLD3": "B00003"}), "study.yaml")
    t = result.table
    # hand check: row 6 is unit 2 in 2017, row 8 unit 3 in 2017, row 10 unit 4 in 2017
    assert t.loc[t.source_row == 6, "unit_name"].tolist() == ["Chi bộ thôn 2"]
    assert t.loc[t.source_row == 8, "unit_id"].tolist() == ["B00003"]
    assert t.loc[t.source_row == 10, ["rating_raw", "rating_code"]].values.tolist() == [["  HTTNV", "HTTNV"]]
    assert t.unit_id.nunique() == 2500 and (t.parent == "Huyện Z").all()
    assert t.unit_name.str.strip().eq(t.unit_name).all()
    rules = result.log.set_index("row")["rule"]
    assert rules[6] == "trim_spaces" and rules[8] == "study_unit_id"


def test_encode_plain_joins_chunks_into_one_dictionary_in_first_appearance_order():
    import pyarrow as pa
    import pyarrow.compute as pc
    from helpers.cleaning.read import _encode_plain
    column = pa.chunked_array([pa.array(t, pa.large_string()) for t in (["b", "a", "b"], ["c", "a"], [], ["d"])])
    enc = _encode_plain(column)
    # hand check: distinct values in order of first appearance, indices into them row by row
    assert enc.dictionary.to_pylist() == ["b", "a", "c", "d"]
    assert enc.indices.to_pylist() == [0, 1, 0, 2, 1, 3]
    assert enc.type == pa.dictionary(pa.int32(), pa.large_string())
    single = _encode_plain(pa.chunked_array([pa.array(["x", "x"], pa.large_string())]))
    assert single.dictionary.to_pylist() == ["x"] and single.indices.to_pylist() == [0, 0]
    assert pc.dictionary_encode(column.combine_chunks()).equals(enc)


def test_rating_columns_are_categories_with_the_texts_of_every_row(tmp_path):
    f = write_csv(tmp_path / "p.csv", GOOD_ROWS)
    t = clean_panel(panel_for(f), "study.yaml").table
    for column in ("scale", "rating_code", "rating_label", "rating_common"):
        assert isinstance(t[column].dtype, pd.CategoricalDtype), column
        assert t[column].cat.categories.is_unique
    # GOOD_ROWS by hand: 2017 TSVM, 2018 HTTNV, 2017 HTNV, 2018 HTXSNV, 2017 HTTNV, 2018 KHTNV
    assert t.rating_code.tolist() == ["TSVM", "HTTNV", "HTNV", "HTXSNV", "HTTNV", "KHTNV"]
    assert t.rating_common.tolist() == ["top", "good", "pass", "top", "good", "fail"]
    assert t.scale.tolist() == ["org-2008", "org-2018"] * 3
    # a year-by-level count shows the levels seen, not every level of every scale
    counts = t.groupby(["year", "rating_code"]).size()
    assert counts.to_dict() == {(2017, "HTNV"): 1, (2017, "HTTNV"): 1, (2017, "TSVM"): 1,
                                (2018, "HTTNV"): 1, (2018, "HTXSNV"): 1, (2018, "KHTNV"): 1}


def test_jobs_give_the_same_result_whether_the_helper_thread_or_the_caller_runs_them():
    import threading
    from concurrent.futures import ThreadPoolExecutor

    from helpers.cleaning.panel import _Job
    gate = threading.Event()
    with ThreadPoolExecutor(max_workers=1) as pool:
        blocker = pool.submit(gate.wait)                   # the helper thread is busy: the jobs below wait
        waiting = _Job(pool, sorted, ["b", "c", "a"])
        queued = _Job(pool, sum, [1, 2, 3])
        assert queued.result() == 6                        # run here: the helper had not started it
        assert queued.future.cancelled()
        gate.set()
        blocker.result()
        waiting.future.result()
        assert waiting.result() == ["a", "b", "c"]         # run by the helper thread once it was free
        started = _Job(pool, sum, [4, 5])
        started.future.result()
        assert started.result() == 9                       # run by the helper thread


def test_two_large_csv_files_stack_their_plain_columns_in_file_order(tmp_path):
    rows = _big_rows()
    a = write_csv(tmp_path / "a.csv", rows)
    b = write_csv(tmp_path / "b.csv", [[f"C{r[0][1:]}", r[1].upper(), "Huyện Y", r[3], r[4]] for r in rows])
    t = clean_panel(panel_for(a, b), "study.yaml").table
    # hand check: 5000 rows of a.csv then 5000 of b.csv, each file's texts on its own rows
    assert len(t) == 10000 and t.source_file.iloc[[0, 9999]].tolist() == [str(a), str(b)]
    assert t.unit_id.iloc[[0, 5000]].tolist() == ["B00000", "C00000"]
    assert t.unit_name.iloc[[1, 5001]].tolist() == ["Chi bộ thôn 0", "CHI BỘ THÔN 0"]
    assert (t.parent.iloc[:5000] == "Huyện Z").all() and (t.parent.iloc[5000:] == "Huyện Y").all()
    assert t.rating_raw.iloc[[0, 1, 5000]].tolist() == ["Hoàn thành tốt nhiệm vụ", "HTXSNV", "Hoàn thành tốt nhiệm vụ"]
