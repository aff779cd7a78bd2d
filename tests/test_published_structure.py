"""The table model (total → levels → "trong đó", "trở lên"), severities, and property tests (issue 14)."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.numbers import format_number
from helpers.published import check_published, read_published
from helpers.published.rounding import DEFAULT_SCHEMES, round_fraction, round_scaled

COLUMNS = ["source_id", "table_id", "year", "category", "count", "percent", "base", "parent"]


def write_table(folder: Path, rows: list[dict], year: str = "2016") -> Path:
    path = folder / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({"source_id": "t", "table_id": "t1", "year": year, **row})
    return path


def check_rows(folder, rows, year="2016"):
    return check_published(read_published(write_table(folder, rows, year)))


def found(audit, check=None, severity=None):
    f = audit.findings
    if check:
        f = f[f["check"] == check]
    if severity:
        f = f[f["severity"] == severity]
    return f


def errors(audit):
    return found(audit, severity="error")


# --- a cumulative level and a nested level together ------------------------------------------------------------

ROWS_662 = [
    # Issue 14: "662 rated; 604 HTTNV trở lên, 91,2 %; trong đó 23,8 % HTXSNV (of the 604); HTNV 8,8 %; KHTNV 0".
    {"category": "tổng số được đánh giá", "count": "662"},
    {"category": "HTTNV trở lên", "count": "604", "percent": "91,2%"},
    {"category": "HTXSNV", "percent": "23,8%", "parent": "HTTNV trở lên"},
    {"category": "HTNV", "percent": "8,8%"},
    {"category": "KHTNV", "count": "0"},
]


def test_cumulative_and_nested_levels_imply_the_remainder(tmp_path):
    # Hand: HTNV = 662 − 604 − 0 = 58 (total = "HTTNV trở lên" + HTNV + KHTNV); 58/662 = 8,761 % → 8,8 %.
    a = check_rows(tmp_path, ROWS_662, "2019")
    assert errors(a).empty
    implied = found(a, "implied_count").iloc[0]
    assert implied["category"] == "HTNV" and implied["expected"] == "58"
    assert "662 − (604 + 0) = 58" in implied["message_vi"] and "trở lên" in implied["message_vi"]
    cell = found(a, "percent_of_count")
    htnv = cell[cell["printed"] == "8,8%"].iloc[0]
    assert htnv["severity"] == "info" and "58/662 = 8,76 %" in htnv["message_vi"]


def test_nested_level_percentage_is_of_the_cumulative_count(tmp_path):
    # Hand: 23,8 % of 604 = 143,75; counts 144/604 = 23,84 % → 23,8 (143/604 = 23,68 → 23,7): the count is 144.
    a = check_rows(tmp_path, ROWS_662, "2019")
    cell = found(a, "percent_of_count")
    top = cell[cell["printed"] == "23,8%"].iloc[0]
    assert top["severity"] == "info" and top["expected"] == "144" and "HTTNV trở lên" in top["message_vi"]


def test_percentages_of_a_cumulative_level_and_the_levels_below_add_to_100(tmp_path):
    # Hand: 91,2 + 8,8 + 0 (KHTNV count 0) = 100,0 — the levels below "HTTNV trở lên" partition the rest.
    a = check_rows(tmp_path, ROWS_662, "2019")
    sums = found(a, "percents_sum_to_100")
    assert list(sums["severity"]) == ["info"]
    assert "91,2% + 8,8% + 0" in sums.iloc[0]["message_vi"] and "100,0 %" in sums.iloc[0]["message_vi"]


def test_cumulative_level_with_every_level_printed_is_checked(tmp_path):
    # Hand: 2019 scale; 150 + 454 = 604 = "HTTNV trở lên"; 150 + 454 + 58 + 0 = 662.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "662"},
        {"category": "HTTNV trở lên", "count": "604"},
        {"category": "HTXSNV", "count": "150"},
        {"category": "HTTNV", "count": "454"},
        {"category": "HTNV", "count": "58"},
        {"category": "KHTNV", "count": "0"},
    ], "2019")
    assert errors(a).empty
    assert list(found(a, "cumulative_category")["severity"]) == ["info"]
    assert "150 + 454 + 58 + 0 = 662" in found(a, "parts_sum_to_total").iloc[0]["message_vi"]


def test_cumulative_level_that_does_not_match_is_one_error(tmp_path):
    # Hand: 150 + 450 = 600 ≠ 604 printed; the total 662 − 604 − 58 − 0 = 0 cannot hold together with 600:
    # one error on the cumulative level (the other sums are then dependent on it or on each other).
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "662"},
        {"category": "HTTNV trở lên", "count": "604"},
        {"category": "HTXSNV", "count": "150"},
        {"category": "HTTNV", "count": "450"},
        {"category": "HTNV", "count": "58"},
        {"category": "KHTNV", "count": "0"},
    ], "2019")
    bad = errors(a)
    assert len(bad) == 2   # 150 + 450 ≠ 604, and 150 + 450 + 58 + 0 = 658 ≠ 662: two independent sums
    assert set(bad["check"]) == {"cumulative_category", "parts_sum_to_total"}


# --- partial tables ------------------------------------------------------------------------------------------

def test_partial_table_is_information(tmp_path):
    # Issue 14: "991 rated; 574 TSVM (57,92 %)". Hand: 574/991 = 57,921 % → 57,92; the other three levels of the
    # 2008 scale add up to 991 − 574 = 417, and their share is 100 − 57,92 = 42,08 %.
    a = check_rows(tmp_path, [
        {"category": "tổng số được đánh giá", "count": "991"},
        {"category": "TSVM", "count": "574", "percent": "57,92%"},
    ])
    assert errors(a).empty and found(a, severity="warning").empty
    partial = found(a, "partial_table").iloc[0]
    assert "Bài in 1 trên 4 mức" in partial["message_vi"] and "991 − (574) = 417" in partial["message_vi"]
    assert "prints 1 of the 4 levels" in partial["message_en"]
    assert "42,08 %" in found(a, "percents_sum_to_100").iloc[0]["message_vi"]


def test_every_level_printed_and_not_adding_up_is_an_error(tmp_path):
    # Hand: 2019 scale, all four levels printed: 10 + 20 + 30 + 5 = 65 ≠ 66 (1 missing).
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "66"},
        {"category": "HTXSNV", "count": "10"},
        {"category": "HTTNV", "count": "20"},
        {"category": "HTNV", "count": "30"},
        {"category": "KHTNV", "count": "5"},
    ], "2019")
    bad = errors(a)
    assert list(bad["check"]) == ["parts_sum_to_total"]
    assert "10 + 20 + 30 + 5 = 65" in bad.iloc[0]["message_vi"] and "thiếu 1" in bad.iloc[0]["message_vi"]
    assert "các mức của thang xếp loại" in bad.iloc[0]["message_vi"]
    assert "lỗi đánh máy một chữ số (65 in thành 66)" in bad.iloc[0]["message_vi"]


def test_printed_levels_exceeding_the_total_are_an_error_even_when_partial(tmp_path):
    # Hand: 40 + 30 = 70 > 60 with two of four levels printed: no count of the others can make it hold.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "60"},
        {"category": "TSVM", "count": "40"},
        {"category": "HTTNV", "count": "30"},
    ])
    assert list(errors(a)["check"]) == ["parts_sum_to_total"]
    assert "40 + 30 = 70 > 60" in errors(a).iloc[0]["message_vi"]


def test_list_of_kinds_grades_by_what_it_can_claim(tmp_path):
    # Kinds of unit (not levels of a scale): 25 + 3 + 42 = 70 < 71 → warning (the list may be incomplete);
    # 25 + 3 + 44 = 72 > 71 → error; a single kind 25 of 71 → info.
    short = check_rows(tmp_path, [{"category": "tổng số", "count": "71"}, {"category": "đảng bộ xã", "count": "25"},
                                  {"category": "đảng bộ khác", "count": "3"},
                                  {"category": "chi bộ cơ quan", "count": "42"}])
    assert list(found(short, "parts_sum_to_total")["severity"]) == ["warning"]
    over = check_rows(tmp_path, [{"category": "tổng số", "count": "71"}, {"category": "đảng bộ xã", "count": "25"},
                                 {"category": "đảng bộ khác", "count": "3"},
                                 {"category": "chi bộ cơ quan", "count": "44"}])
    assert list(found(over, "parts_sum_to_total")["severity"]) == ["error"]
    single = check_rows(tmp_path, [{"category": "tổng số", "count": "71"},
                                   {"category": "đảng bộ xã", "count": "25"}])
    assert list(found(single, "parts_sum_to_total")["severity"]) == ["info"]


# --- severities ----------------------------------------------------------------------------------------------

def test_tie_rounded_down_is_named_half_down(tmp_path):
    # Issue 14: 49/56 = 87,5 % exactly, printed "87%": round half down (truncation happens to agree), a warning.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "56"},
        {"category": "TSVM", "count": "49", "percent": "87%"},
        {"category": "HTTNV", "count": "7", "percent": "12,5%"},
        {"category": "HTNV", "count": "0"},
        {"category": "yếu kém", "count": "0"},
    ])
    cell = found(a, "percent_of_count", "warning").iloc[0]
    assert cell["printed"] == "87%" and set(cell["schemes"].split(";")) == {"half_down", "truncate"}
    assert "chỉ khớp nếu làm tròn nửa xuống hoặc cắt bỏ" in cell["message_vi"]
    assert "reproduced only by round half down or truncation" in cell["message_en"]
    assert errors(a).empty


def test_wrong_denominator_fitting_the_whole_table_is_one_warning(tmp_path):
    # DOMAIN.md: "evaluated 543 vs total 545". Counts 300 + 200 + 43 + 0 = 543; percentages of 543 (hand,
    # half-up): 300/543 = 55,249 → 55,25; 200/543 = 36,832 → 36,83; 43/543 = 7,919 → 7,92. Of 545 they would
    # be 55,05 / 36,70 / 7,89: three cells wrong at the printed total, all right at 543.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "545"},
        {"category": "TSVM", "count": "300", "percent": "55,25%"},
        {"category": "HTTNV", "count": "200", "percent": "36,83%"},
        {"category": "HTNV", "count": "43", "percent": "7,92%"},
        {"category": "yếu kém", "count": "không có"},
    ])
    assert errors(a).empty
    wrong = found(a, "wrong_denominator")
    assert list(wrong["severity"]) == ["warning"] and wrong.iloc[0]["expected"] == "543"
    assert "với mẫu số 543 thì mọi tỉ lệ của bảng đều khớp" in wrong.iloc[0]["message_vi"]
    parts = found(a, "parts_sum_to_total").iloc[0]
    assert parts["severity"] == "warning" and "số được đánh giá" in parts["message_vi"]


def test_another_base_fitting_one_cell_only_stays_an_error(tmp_path):
    # Hand: 34/62 = 54,839 % printed 55,74 %: 34/61 = 55,738 → 55,74 fits, but 27/61 = 44,26 ≠ 43,55 printed
    # (27/62 = 43,548 → 43,55): 61 does not fit the whole table, so the cell stays an error with 61 as a hint.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "62"},
        {"category": "TSVM", "count": "34", "percent": "55,74%"},
        {"category": "HTTNV", "count": "27", "percent": "43,55%"},
        {"category": "HTNV", "count": "1", "percent": "1,6%"},
        {"category": "yếu kém", "count": "0"},
    ])
    bad = found(a, "percent_of_count", "error")
    assert list(bad["printed"]) == ["55,74%"] and "mẫu số là 61 thay vì 62" in bad.iloc[0]["message_vi"]
    assert found(a, "wrong_denominator").empty


def test_zero_base_is_a_finding_on_its_row(tmp_path):
    # A total of 0 with a printed percentage: no percentage can be computed; one error on that row, no crash.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "0"},
        {"category": "TSVM", "percent": "5%"},
    ])
    bad = found(a, "base_positive")
    assert list(bad["severity"]) == ["error"] and bad.iloc[0]["row"] == 3
    assert "Tổng của bảng là 0" in bad.iloc[0]["message_vi"]


def test_printed_zero_or_negative_base_is_a_finding(tmp_path):
    # A base column of 0 or −5 is read (not an unreadable file) and reported on its row.
    a = check_rows(tmp_path, [
        {"category": "TSVM", "count": "3", "percent": "5%", "base": "0"},
        {"category": "HTTNV", "count": "3", "percent": "5%", "base": "-5"},
    ])
    bad = found(a, "base_positive")
    assert list(bad["row"]) == [2, 3] and (bad["severity"] == "error").all()
    assert "Mẫu số in ra là -5" in bad.iloc[1]["message_vi"]


def test_messages_name_the_scheme(tmp_path):
    # Hand: 39/56 = 69,643 % → 69,64 under half up and half to even.
    a = check_rows(tmp_path, [{"category": "tổng số", "count": "56"},
                              {"category": "TSVM", "count": "39", "percent": "69,64%"}])
    cell = found(a, "percent_of_count").iloc[0]
    assert "làm tròn nửa lên hoặc làm tròn nửa về số chẵn" in cell["message_vi"]
    # GRIM probability: (10000 − 56) / 10001 = 0,9943 (hand)
    assert cell["grim_probability"] == 0.9943


# --- property tests ------------------------------------------------------------------------------------------

LEVELS = {"2016": ["yếu kém", "HTNV", "HTTNV", "TSVM"], "2019": ["KHTNV", "HTNV", "HTTNV", "HTXSNV"]}


def _show(x: Fraction, decimals: int, scheme: str, shift: int = 0) -> str:
    scaled = round_scaled(x, decimals, scheme) + shift
    return format_number(Fraction(scaled, 10**decimals), decimals) + "%"


@st.composite
def partition_tables(draw, every_count=False):
    """A table from integer counts partitioning a total: four levels, optionally a "trở lên" row derived from
    them (with the top level printed as its "trong đó"), optionally a nested part of the top level, and, unless
    ``every_count``, one level printed without its count and up to two levels not printed at all. Returns (rows, year, cells) where cells lists, per
    printed percentage with a count, (row index, true percentage)."""
    year = draw(st.sampled_from(["2016", "2019"]))
    counts = draw(st.lists(st.integers(0, 400), min_size=4, max_size=4))
    if sum(counts) == 0:
        counts[3] = 1
    total = sum(counts)
    decimals = draw(st.integers(0, 2))
    scheme = draw(st.sampled_from(DEFAULT_SCHEMES))
    cumulative = draw(st.booleans())
    names = LEVELS[year]
    hidden = None if every_count else draw(st.sampled_from([None, 0, 1]))
    # A partial table: some levels not printed at all (never in the moved-percentage test, whose counts must
    # pin the total down).
    dropped = set() if every_count else draw(st.sets(st.sampled_from([0, 1, 2, 3]), max_size=2))
    rows = [{"category": "tổng số", "count": str(total)}]
    cells = []

    def percent(count, base):
        return Fraction(100 * count, base)

    if cumulative:
        good_up = counts[2] + counts[3]
        rows.append({"category": f"{names[2]} trở lên", "count": str(good_up),
                     "percent": _show(percent(good_up, total), decimals, scheme)})
        cells.append((len(rows) - 1, percent(good_up, total), decimals, scheme))
        if good_up:
            rows.append({"category": names[3], "count": str(counts[3]), "parent": f"{names[2]} trở lên",
                         "percent": _show(percent(counts[3], good_up), decimals, scheme)})
            cells.append((len(rows) - 1, percent(counts[3], good_up), decimals, scheme))
        lower = [0, 1]
    else:
        lower = [0, 1, 2, 3]
    for i in lower:
        if i in dropped and i != hidden:
            continue
        row = {"category": names[i], "percent": _show(percent(counts[i], total), decimals, scheme)}
        if i != hidden:
            row["count"] = str(counts[i])
            cells.append((len(rows), percent(counts[i], total), decimals, scheme))
        rows.append(row)
    if year == "2016" and counts[3] and (cumulative or 3 not in dropped) and draw(st.booleans()):
        part = draw(st.integers(0, counts[3]))
        rows.append({"category": "TSVM tiêu biểu", "count": str(part), "parent": "TSVM",
                     "percent": _show(percent(part, counts[3]), decimals, scheme)})
        cells.append((len(rows) - 1, percent(part, counts[3]), decimals, scheme))
    return rows, year, cells


@settings(max_examples=80, deadline=None)
@given(partition_tables())
def test_table_printed_from_a_partition_is_never_an_error(tmp_path_factory, table):
    rows, year, _ = table
    a = check_rows(tmp_path_factory.mktemp("t"), rows, year)
    assert errors(a).empty, errors(a)[["check", "message_en"]].to_string()


@settings(max_examples=80, deadline=None)
@given(partition_tables(every_count=True), st.data())
def test_moving_one_percentage_beyond_its_slack_is_an_error(tmp_path_factory, table, data):
    """Two units of the last digit is beyond every scheme's slack (half a unit for the half schemes, one unit for
    truncation and ceiling), so no reading of the moved cell is consistent."""
    rows, year, cells = table
    index, true, decimals, scheme = data.draw(st.sampled_from(cells))
    step = 2 * data.draw(st.sampled_from([-1, 1]))
    printed = round_scaled(true, decimals, scheme)
    if not 0 <= printed + step <= 100 * 10**decimals:
        step = -step
    rows = [dict(r) for r in rows]
    rows[index]["percent"] = _show(true, decimals, scheme, step)
    a = check_rows(tmp_path_factory.mktemp("t"), rows, year)
    moved = a.findings[(a.findings["row"] == index + 2) & (a.findings["check"] == "percent_of_count")]
    assert list(moved["severity"]) == ["error"], a.findings[["row", "check", "severity", "message_en"]].to_string()


def test_round_fraction_is_the_printing_of_the_generator():
    # The generator prints with round_scaled; round_fraction is the same number as a Fraction (hand: 87,5 → 87 / 88).
    assert round_fraction(Fraction(175, 2), 0, "half_down") == 87
    assert round_scaled(Fraction(175, 2), 0, "half_up") == 88


def test_sum_off_100_from_a_wrong_cell_is_not_a_second_error(tmp_path):
    # Hand: 55,74 + 43,55 + 1,6 + 0 = 100,89 % — but 55,74 % is already an error against 34/62 = 54,84 %;
    # with every percentage checked against its count, the sum only repeats that cell's finding.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "62"},
        {"category": "TSVM", "count": "34", "percent": "55,74%"},
        {"category": "HTTNV", "count": "27", "percent": "43,55%"},
        {"category": "HTNV", "count": "1", "percent": "1,6%"},
        {"category": "yếu kém", "count": "0"},
    ])
    assert list(errors(a)["check"]) == ["percent_of_count"]
    sums = found(a, "percents_sum_to_100").iloc[0]
    assert sums["severity"] == "info" and "100,89 %" in sums["message_vi"]


def test_large_counts_are_written_with_thousands(tmp_path):
    # Hand: 5.000 of 20.000 = 25 %; the other levels add up to 20.000 − 5.000 = 15.000 (Vietnamese grouping).
    a = check_rows(tmp_path, [{"category": "tổng số", "count": "20.000"},
                              {"category": "TSVM", "count": "5.000", "percent": "25,00%"}])
    assert "20.000 − (5.000) = 15.000" in found(a, "partial_table").iloc[0]["message_vi"]
    assert "20,000 − (5,000) = 15,000" in found(a, "partial_table").iloc[0]["message_en"]
    assert "5.000/20.000 = 25,000 %" in found(a, "detectability").iloc[0]["message_vi"]


def test_count_typo_in_a_part_is_suggested(tmp_path):
    # DOMAIN.md: a count typo ("22" for 2). Hand: 30 + 22 + 4 + 0 = 56 ≠ 36; with 2 for 22: 30 + 2 + 4 + 0 = 36.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "36"},
        {"category": "TSVM", "count": "30"},
        {"category": "HTTNV", "count": "22"},
        {"category": "HTNV", "count": "4"},
        {"category": "yếu kém", "count": "0"},
    ])
    bad = errors(a)
    assert list(bad["check"]) == ["parts_sum_to_total"]
    # Hand: the total as a typo of 56, 30 as a typo of 10 and 22 as a typo of 2 each close the gap of 20.
    assert "lỗi đánh máy một chữ số (56 in thành 36; 10 in thành 30; 2 in thành 22)" in bad.iloc[0]["message_vi"]


def test_tsvm_tieu_bieu_as_its_own_bucket(tmp_path):
    # DOMAIN.md: "elsewhere 'TSVM tiêu biểu' is printed as its own exclusive bucket". Hand: 34 TSVM + 5 TSVM tiêu
    # biểu (no parent: a bucket beside TSVM) + 17 HTTNV = 56, HTNV and yếu kém not printed → 0 between them.
    a = check_rows(tmp_path, [
        {"category": "tổng số", "count": "56"},
        {"category": "TSVM", "count": "34"},
        {"category": "TSVM tiêu biểu", "count": "5"},
        {"category": "HTTNV", "count": "17"},
    ])
    assert errors(a).empty
    partial = found(a, "partial_table").iloc[0]
    assert "56 − (34 + 5 + 17) = 0" in partial["message_vi"]
    # Printed as its "trong đó" instead, the same numbers leave 5 units unaccounted: 56 − (34 + 17) = 5.
    nested = check_rows(tmp_path, [
        {"category": "tổng số", "count": "56"},
        {"category": "TSVM", "count": "34"},
        {"category": "TSVM tiêu biểu", "count": "5", "parent": "TSVM"},
        {"category": "HTTNV", "count": "17"},
    ])
    assert errors(nested).empty
    assert "56 − (34 + 17) = 5" in found(nested, "partial_table").iloc[0]["message_vi"]


def test_scrutiny_up_or_down_alone_accepts_the_up_side_and_names_the_down_side(tmp_path):
    # schemes=("up_or_down",), scrutiny's default: 7/56 = 12,5 % printed 12,5 % is plain agreement (info);
    # 49/56 = 87,5 % printed 87 % is its half-down side, a warning naming round half down.
    path = write_table(tmp_path, [
        {"category": "tổng số", "count": "56"},
        {"category": "TSVM", "count": "49", "percent": "87%"},
        {"category": "HTTNV", "count": "7", "percent": "12,5%"},
        {"category": "HTNV", "count": "0"},
        {"category": "yếu kém", "count": "0"},
    ])
    a = check_published(read_published(path), schemes=("up_or_down",))
    cells = found(a, "percent_of_count").set_index("printed")
    assert cells.loc["12,5%", "severity"] == "info" and "khớp (làm tròn nửa lên)" in cells.loc["12,5%", "message_vi"]
    assert cells.loc["87%", "severity"] == "warning" and "làm tròn nửa xuống" in cells.loc["87%", "message_vi"]
