"""Per-cell and per-table rules, on the five source articles and on small tables."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from helpers.paths import raw_path
from helpers.published import FINDING_COLUMNS, check_percent, check_published, read_published
from helpers.published.rounding import ACCEPTED_SCHEMES

SEEDS = Path("/work/shared/seeds")
FILES = {
    "000": "published/000-binh-thuan.csv", "001": "published/001-mien-trung.csv",
    "002": "published/002-lang-son.csv", "003": "published/003-hoang-su-phi.csv",
    "004": "published/004-trang-dinh.csv",
}


@pytest.fixture(scope="module")
def audit():
    return check_published(read_published([raw_path(f) for f in FILES.values()]))


def _findings(audit, table_id, check=None, severity=None):
    f = audit.findings[audit.findings["table_id"] == table_id]
    if check:
        f = f[f["check"] == check]
    if severity:
        f = f[f["severity"] == severity]
    return f


def write_table(tmp_path: Path, rows: list[dict], name: str = "t.csv") -> Path:
    columns = ["source_id", "table_id", "year", "category", "count", "percent", "base", "parent"]
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({"source_id": "t", "table_id": "t1", "year": "2016", **row})
    return path


def check_rows(tmp_path, rows):
    return check_published(read_published(write_table(tmp_path, rows)))


# --- the transcriptions -------------------------------------------------------------------------------------

@pytest.mark.skipif(not SEEDS.exists(), reason="the seed articles are not available")
@pytest.mark.parametrize("source", sorted(FILES))
def test_transcription_quotes_are_verbatim(source):
    """Every row's quote is a verbatim substring of its article, and holds the printed numbers."""
    article = next(SEEDS.glob(f"{source}_*.txt")).read_text(encoding="utf-8")
    table = read_published(raw_path(FILES[source]))
    assert (table["source_id"] == source).all()
    for row in table.itertuples():
        assert row.quote in article, f"row {row.row}: quote not in the article"
        for printed in (row.count_printed, row.percent_printed):
            if isinstance(printed, str):
                assert printed.rstrip("%") in row.quote, f"row {row.row}: {printed!r} not in its quote"


def test_transcription_uses_the_fixed_table_ids():
    # The brief fixes these table ids for the studies.
    ids = set(read_published([raw_path(FILES["000"]), raw_path(FILES["004"])])["table_id"])
    assert {"bt56-2011", "bt56-2013", "bt-province-2013", "bt7-2011", "bt7-2013", "td-2016", "td-2017",
            "td-2018"} <= ids


def test_findings_have_the_fixed_columns(audit):
    assert list(audit.findings.columns) == FINDING_COLUMNS
    assert set(audit.findings["severity"]) <= {"error", "warning", "info"}


# --- seed 000 -----------------------------------------------------------------------------------------------

def test_seed_000_province_2013_recovers_495_first(audit):
    # Seed 000: "Năm 2013 toàn tỉnh có 45,25% tổ chức đảng đạt TSVM ..., HTTNV toàn tỉnh đạt 18,99% ...,
    # hoàn thành nhiệm vụ toàn tỉnh đạt 32,73%" — no base printed. Hand: 224/94/162 of 495, 15 left = 3,03 %.
    found = _findings(audit, "bt-province-2013", "recovered_base")
    assert len(found) == 1
    message = found.iloc[0]["message_vi"]
    assert found.iloc[0]["expected"] == "495"
    assert "N = 495 (224, 94, 162; còn 15 = 3,03%); N = 990" in message
    assert "N = 1.222" in message
    entry = next(d for d in audit.denominators if d["table_id"] == "bt-province-2013")
    assert [c["base"] for c in entry["candidates"][:3]] == [495, 990, 1222]
    assert entry["candidates"][0]["counts"] == {"TSVM": 224, "HTTNV": 94, "hoàn thành nhiệm vụ": 162}


@pytest.mark.parametrize("table_id", ["bt56-2011", "bt56-2013", "bt7-2011", "bt7-2013"])
def test_seed_000_pilots_reproduce(audit, table_id):
    # Seed 000: "Năm 2011: HTNV 14/56, HTTNV 12/56, đạt TSVM 30/56 thì Năm 2013: HTNV giảm còn 3/56, đạt TSVM
    # tăng lên 39/56 ... (56 tổ chức đảng làm điểm đạt 69,64%) ... (tổ chức đảng làm điểm đạt 21,43%) ...
    # (tổ chức đảng làm điểm còn 5,36%)"; "năm 2012 có 2 tổ chức đảng HTNV thì năm 2013 xuống yếu kém".
    f = _findings(audit, table_id)
    assert not f.empty
    assert set(f["severity"]) == {"info"}


def test_seed_000_pilots_2013_percentages(audit):
    # Hand: 39/56 = 69,643 % → 69,64; 3/56 = 5,357 % → 5,36; HTTNV not printed as a count:
    # 56 − (3 + 39 + 2) = 12 and 12/56 = 21,429 % → 21,43.
    f = _findings(audit, "bt56-2013", "percent_of_count")
    assert sorted(f["printed"]) == ["21,43%", "5,36%", "69,64%"]
    assert (f["severity"] == "info").all()
    implied = _findings(audit, "bt56-2013", "implied_count").iloc[0]
    assert implied["expected"] == "12" and "56 − (3 + 39 + 2) = 12" in implied["message_vi"]
    nested = _findings(audit, "bt56-2013", "nested_within_parent").iloc[0]
    assert nested["severity"] == "info" and "(5)" in nested["message_vi"] and "(39)" in nested["message_vi"]


def test_seed_000_pilots_2011_parts_sum(audit):
    # Seed 000, 2011: "HTNV 14/56, HTTNV 12/56, đạt TSVM 30/56" — yếu kém is not printed. Hand: the three printed
    # levels add up to the total, so the fourth level of the 2008 scale has 56 − (14 + 12 + 30) = 0.
    f = _findings(audit, "bt56-2011", "implied_count").iloc[0]
    assert f["severity"] == "info" and "56 − (14 + 12 + 30) = 0" in f["message_vi"]
    assert f["category"] == "Yếu kém" and "các mức của thang xếp loại" in f["message_vi"]


# --- seed 004 -----------------------------------------------------------------------------------------------

def test_seed_004_tsvm_2017_is_an_error(audit):
    # Seed 004: "số lượng tổ chức cơ sở đảng được đánh giá là 62. Tổ chức cơ sở đảng "trong sạch vững mạnh" là
    # 34 đơn vị (chiếm 54,85%)"; hand: 34/62 = 54,8387 % → 54,84 under every rounding, 54,83/54,84 otherwise.
    f = _findings(audit, "td-2017", "percent_of_count", "error")
    assert list(f["printed"]) == ["54,85%"]
    first = f.iloc[0]
    assert first["expected"] == "54,84%"
    assert first["schemes"] == ""
    assert "34/62 = 54,839 %; in ra 54,85% không khớp với cách làm tròn nào" in first["message_vi"]
    assert "đúng: 54,84%" in first["message_vi"] and "one-digit typo" in first["message_en"]
    # GRIM probability at 62 with two decimals: (10000 − 62) / 10001 = 0,9937 (hand)
    assert first["grim_probability"] == 0.9937
    # Printed twice ("Năm 2017 tỉ lệ ... là 54,85%"): one error, the repeat refers to it.
    repeat = _findings(audit, "td-2017", "repeated_number")
    assert list(repeat["printed"]) == ["54,85%"] and "dòng 18" in repeat.iloc[0]["message_vi"]


def test_seed_004_2016_duplicate_label(audit):
    # Seed 004: "tổ chức cơ sở đảng hoàn thành nhiệm vụ là 18 đơn vị (chiếm 29,5%); tổ chức cơ sở đảng hoàn
    # thành nhiệm vụ là 10 đơn vị (chiếm 16,4%)"
    f = _findings(audit, "td-2016", "duplicate_category")
    assert len(f) == 1
    row = f.iloc[0]
    assert row["severity"] == "error" and row["category"] == "hoàn thành nhiệm vụ"
    assert "18" in row["message_vi"] and "10" in row["message_vi"]
    assert "Hoàn thành tốt nhiệm vụ" in row["message_vi"]  # the 2008 scale level missing from the table


@pytest.mark.parametrize("table_id, terms", [
    # Seed 004: 2016 "61 ... 33 ... 18 ... 10 ... yếu kém không có"; 2017 "62 ... 34 ... 27 ... 01 ...";
    # 2018 "59 ... 05 ... 50 ... 04 ... không hoàn thành nhiệm vụ không có". Hand sums below.
    ("td-2016", "33 + 18 + 10 + 0 = 61"),
    ("td-2017", "34 + 27 + 1 + 0 = 62"),
    ("td-2018", "5 + 50 + 4 + 0 = 59"),
])
def test_seed_004_counts_sum_to_totals(audit, table_id, terms):
    f = _findings(audit, table_id, "parts_sum_to_total")
    assert list(f["severity"]) == ["info"]
    assert terms in f.iloc[0]["message_vi"]


def test_seed_004_other_percentages_reproduce(audit):
    # Hand: 33/61 = 54,10; 18/61 = 29,51; 10/61 = 16,39; 27/62 = 43,55; 1/62 = 1,61; 5/59 = 8,47; 50/59 = 84,75;
    # 4/59 = 6,78 — all reproduce the printed one- or two-decimal values.
    f = audit.findings[(audit.findings["source_id"] == "004") & (audit.findings["check"] == "percent_of_count")]
    ok = f[f["severity"] == "info"]
    # 8,5 % is printed twice (row 24 and row 28): checked once, the repeat is a repeated_number.
    assert sorted(ok["printed"]) == sorted(["54,1%", "29,5%", "16,4%", "43,55%", "1,6%", "8,5%", "84,7%", "6,8%"])


# --- seed 003 -----------------------------------------------------------------------------------------------

def test_seed_003_parts_do_not_make_71(audit):
    # Seed 003: "có 71 tổ chức cơ sở Đảng trực thuộc, trong đó có 25 Đảng bộ xã, thị trấn, 3 Đảng bộ và 42 chi bộ
    # khối cơ quan"; hand: 25 + 3 + 42 = 70. The parts are kinds of unit, not levels of a rating scale: the
    # sentence may not list every kind, so this is a warning (consistent if one unit of another kind exists),
    # and 70 → 71 is one keystroke.
    f = _findings(audit, "hsp-2011", "parts_sum_to_total")
    assert list(f["severity"]) == ["warning"]
    assert f.iloc[0]["printed"] == "71" and f.iloc[0]["expected"] == "70"
    message = f.iloc[0]["message_vi"]
    assert "25 + 3 + 42 = 70" in message and "các loại được liệt kê" in message
    assert "lỗi đánh máy một chữ số (70 in thành 71)" in message


def test_summary_per_article(audit):
    summary = audit.summary.set_index("source_id")
    # Errors: seed 004 two (54,85 %, checked once though printed twice; the duplicate label); seed 003 none (its
    # list of kinds may be incomplete: a warning). Hand count above.
    assert summary.loc["003", "n_errors"] == 0 and summary.loc["003", "n_warnings"] == 1
    assert summary.loc["004", "n_errors"] == 2
    assert summary.loc["000", "n_errors"] == 0
    assert summary.loc["001", "n_checked"] == 0 and "No number could be checked" in summary.loc["001", "verdict_en"]
    assert (summary["encodings"] == "UTF-8").all()


# --- one cell -----------------------------------------------------------------------------------------------

def test_check_percent_consistent():
    # Hand: 39/56 = 69,643 % → 69,64 half-up and half-even
    verdict = check_percent(39, 56, "69,64%")
    assert verdict.status == "consistent" and set(ACCEPTED_SCHEMES) <= set(verdict.schemes)


def test_check_percent_truncation_is_a_warning():
    # DOMAIN.md: "16/49 printed as 32,6 %"; hand: 32,653 % — only truncation gives 32,6
    verdict = check_percent(16, 49, "32,6%")
    assert (verdict.status, verdict.severity, verdict.schemes) == ("other_reading", "warning", ("truncate",))
    assert verdict.expected == "32,7%"


def test_check_percent_suggests_count_typo():
    # DOMAIN.md: "9 of 10 printed as 80 %"; hand: 8/10 = 80 %, so a count of 8 would fit
    verdict = check_percent(9, 10, "80%")
    assert verdict.severity == "error" and verdict.expected == "90%"
    assert "khớp nếu số đếm là 8" in verdict.explanation_vi


def test_check_percent_other_base_is_an_explanation_of_an_error():
    # Hand: 34/61 = 55,74 %, so 55,74 % printed with a stated base of 62 fits the base 61 (evaluated vs existing);
    # for one cell that is an explanation, not a reading: still an error (issue 14).
    verdict = check_percent(34, 62, "55,74%")
    assert (verdict.status, verdict.severity, verdict.other_base) == ("inconsistent", "error", 61)
    assert "khớp nếu mẫu số là 61 thay vì 62" in verdict.explanation_vi


def test_check_percent_qualifier_window():
    # "gần 59%" = 58 ≤ x ≤ 59; hand: 29/50 = 58 % is in the window but does not round to 59
    verdict = check_percent(29, 50, "gần 59%")
    assert (verdict.status, verdict.severity) == ("qualifier", "warning")
    assert check_percent(27, 50, "gần 59%").severity == "error"   # 54 % is not "nearly 59 %"


def test_check_percent_refuses_zero_base():
    with pytest.raises(ValueError, match="'base' must be a positive integer"):
        check_percent(1, 0, "5%")


# --- one table ----------------------------------------------------------------------------------------------

def test_detectability_reported_for_large_base(tmp_path):
    # Hand: base 20.000 ≥ 100·10² so a two-decimal percentage cannot reveal anything; 5.000/20.000 = 25,00 %
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "20.000"},
        {"category": "TSVM", "count": "5.000", "percent": "25,00%"},
        {"category": "HTTNV", "count": "15.000", "percent": "75,00%"},
    ])
    f = a.findings[a.findings["check"] == "detectability"]
    assert len(f) == 2 and (f["severity"] == "info").all()
    assert "không kiểm tra được" in f.iloc[0]["message_vi"]


def test_count_printed_with_two_percents(tmp_path):
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "62"},
        {"category": "TSVM", "count": "34", "percent": "54,84%"},
        {"category": "TSVM", "percent": "54,48%"},
    ])
    f = a.findings[a.findings["check"] == "count_two_percents"]
    assert list(f["severity"]) == ["error"] and f.iloc[0]["expected"] == "54,84%"


def test_nested_part_larger_than_parent(tmp_path):
    a = check_rows(tmp_path, [
        {"category": "TSVM", "count": "5"},
        {"category": "TSVM tiêu biểu", "count": "6", "parent": "TSVM"},
    ])
    f = a.findings[a.findings["check"] == "nested_within_parent"]
    assert list(f["severity"]) == ["error"]


def test_nested_percent_uses_parent_as_base(tmp_path):
    # Hand: 5 of the 39 TSVM = 12,82 %, not 5 of 56 (8,93 %)
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "56"},
        {"category": "TSVM", "count": "39"},
        {"category": "HTTNV", "count": "17"},
        {"category": "TSVM tiêu biểu", "count": "5", "percent": "12,82%", "parent": "TSVM"},
    ])
    f = a.findings[a.findings["check"] == "percent_of_count"]
    assert list(f["severity"]) == ["info"] and "5/39" in f.iloc[0]["message_vi"]


def test_cumulative_category_checked(tmp_path):
    # "HTTNV trở lên" = HTTNV + TSVM; hand: 20 + 30 = 50, printed 49
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "60"},
        {"category": "yếu kém", "count": "2"},
        {"category": "HTNV", "count": "8"},
        {"category": "HTTNV", "count": "20"},
        {"category": "TSVM", "count": "30"},
        {"category": "HTTNV trở lên", "count": "49"},
    ])
    f = a.findings[a.findings["check"] == "cumulative_category"]
    assert list(f["severity"]) == ["error"] and f.iloc[0]["expected"] == "50"
    sums = a.findings[a.findings["check"] == "parts_sum_to_total"]
    assert list(sums["severity"]) == ["info"]   # the cumulative row is not counted as a part


def test_label_of_another_scale_flagged(tmp_path):
    # DOMAIN.md: TSVM belongs to the scale before 2018; printed for 2019 it is of the wrong scale
    path = write_table(tmp_path, [{"category": "trong sạch vững mạnh", "count": "3", "year": "2019"}])
    a = check_published(read_published(path))
    f = a.findings[a.findings["check"] == "scale_of_year"]
    assert list(f["severity"]) == ["warning"] and "org-2018" in f.iloc[0]["message_en"]
    # The Vietnamese message names the scale and its levels in words, never the configuration key (issue 14).
    message = f.iloc[0]["message_vi"]
    assert "org-2018" not in message and "tổ chức đảng, 2018–2024" in message and "Hoàn thành xuất sắc nhiệm vụ" in message


def test_percentages_over_100_flagged_without_total(tmp_path):
    # Hand: 60,5 + 40,2 = 100,7 > 100 + slack 0,1
    a = check_rows(tmp_path, [
        {"category": "TSVM", "percent": "60,5%"},
        {"category": "HTTNV", "percent": "40,2%"},
    ])
    f = a.findings[a.findings["check"] == "percents_sum_to_100"]
    assert list(f["severity"]) == ["error"]


def test_count_larger_than_its_base(tmp_path):
    a = check_rows(tmp_path, [{"category": "TSVM", "count": "12", "base": "10"}])
    f = a.findings[a.findings["check"] == "count_within_base"]
    assert list(f["severity"]) == ["error"]


def test_printed_total_that_does_not_fit_shows_other_bases(tmp_path):
    # DOMAIN.md: "printed total 709 but percentages of 701". Percentages of 701 (hand, half-up):
    # 400/701 = 57,06 %; 301/701 = 42,94 %. Of 709 no count gives 57,06 % (404/709 = 56,98; 405/709 = 57,12).
    # The nearest base fitting both is 708 (hand: 404/708 = 57,062 → 57,06; 304/708 = 42,938 → 42,94): one
    # wrong_denominator warning instead of two errors (issue 14: another base fitting the whole table).
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "709"},
        {"category": "TSVM", "percent": "57,06%"},
        {"category": "HTTNV", "percent": "42,94%"},
    ])
    assert not (a.findings["severity"] == "error").any()
    f = a.findings[a.findings["check"] == "wrong_denominator"]
    assert list(f["severity"]) == ["warning"] and f.iloc[0]["expected"] == "708"
    assert "404/708 → 57,06%; 304/708 → 42,94%" in f.iloc[0]["message_vi"]
    # Without the bases near 709 (a table printing 3 decimals would not fit them), recover_bases still finds 701.
    from helpers.published import recover_bases

    assert 701 in recover_bases(["57,06%", "42,94%"], max_base=709, exhaustive=True).bases


def test_read_published_without_files_gives_an_empty_checkable_table():
    # A study with unit-level data only (example-panel) lists no published file; step 01 still runs.
    from helpers.published import check_published, read_published

    table = read_published([])
    assert len(table) == 0 and {"source_id", "table_id", "percent_printed", "rating_code"} <= set(table.columns)
    audit = check_published(table)
    assert len(audit.findings) == 0 and not audit.has_errors


@settings(max_examples=300, deadline=None)
@given(numerator=st.integers(0, 10**7), denominator=st.integers(1, 10**5), decimals=st.integers(0, 3),
       language=st.sampled_from(["vi", "en"]))
# Found by Hypothesis: 1102449/1103 = 999,5467…% rounds up to 1000, which format_percent writes "1.000%".
@example(numerator=1102449, denominator=1103, decimals=0, language="vi")
def test_percent_text_writes_what_format_percent_writes(numerator, denominator, decimals, language):
    """The checker's integer formatter of percentages agrees with helpers.numbers.format_percent (half up)."""
    from fractions import Fraction

    from helpers.numbers import format_percent
    from helpers.published.cell import percent_text

    x = Fraction(numerator, denominator)
    assert percent_text(x, decimals, language) == format_percent(x, decimals, language)
