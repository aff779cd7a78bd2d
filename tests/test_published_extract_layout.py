"""How the extractor reads the layout of an article: tables flattened into text (columns of labels, one cell per line,
rows of a kind of unit), captions and headings, text wrapped at line ends (a PDF's text layer). Each text is
written here in the genre's layout; the expected rows are read off it by hand."""

from __future__ import annotations

from helpers.published.extract import extract_text


def rows(text, **options):
    draft = extract_text(text, source_id="t", **options)
    return [tuple(r) for r in draft.rows[["category", "count", "percent", "base", "parent", "level"]].values]


def numbers(text, **options):
    return [(c, p, b) for _, c, p, b, _, _ in rows(text, **options)]


def test_a_heading_without_numbers_names_the_units_of_the_lines_under_it():
    # a table's title "Kết quả xếp loại đảng viên năm 2022" over rows "<label> <tab> N <tab> X%": members, not
    # organisations (before: level assumed, and the assumption carried to the next rows with confidence 1)
    text = ("Kết quả xếp loại đảng viên năm 2022\nHoàn thành xuất sắc nhiệm vụ\t210\t11,5%\n"
            "Hoàn thành tốt nhiệm vụ\t1.480\t81,1%")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["count"], got["level"], got["confidence"])) == [
        ("210", "đảng viên", 1.0), ("1.480", "đảng viên", 1.0)]


def test_a_table_whose_columns_lost_their_tabs():
    # a PDF's text layer: the header's labels and the row's numbers separated by single spaces; the "Tỷ lệ (%)" row
    # holds the shares of the counts above it, printed without a % sign
    text = ("Kết quả xếp loại tổ chức cơ sở đảng năm 2019\nMức HTXSNV HTTNV HTNV KHTNV\nSố lượng 7 36 4 1\n"
            "Tỷ lệ (%) 14,6 75,0 8,3 2,1")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["category"], got["count"], got["percent"])) == [
        ("HTXSNV", "7", "14,6"), ("HTTNV", "36", "75,0"), ("HTNV", "4", "8,3"), ("KHTNV", "1", "2,1")]
    assert set(got["level"]) == {"tổ chức cơ sở đảng"} and set(got["year"]) == {"2019"}


def test_a_table_with_a_row_per_kind_of_unit_and_share_columns():
    text = ("Bảng 3. Xếp loại năm 2020\nĐối tượng | HTXSNV | HTTNV | HTNV\nTổ chức cơ sở đảng | 6 | 30 | 2\n"
            "Đảng viên | 205 | 1.730 | 64")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["count"], got["level"])) == [
        ("6", "tổ chức cơ sở đảng"), ("30", "tổ chức cơ sở đảng"), ("2", "tổ chức cơ sở đảng"),
        ("205", "đảng viên"), ("1.730", "đảng viên"), ("64", "đảng viên")]
    text = ("Chi bộ trực thuộc qua các năm\nNăm\tTổng số\tHTXSNV\tTỷ lệ\tHTTNV\tTỷ lệ\n"
            "2021\t30\t6\t20%\t22\t73,3%")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["category"], got["count"], got["percent"], got["year"])) == [
        ("tổng số chi bộ trực thuộc đảng ủy cơ sở", "30", "", "2021"), ("HTXSNV", "6", "20%", "2021"),
        ("HTTNV", "22", "73,3%", "2021")]


def test_a_table_row_of_a_named_unit_is_kept_unsure():
    # rows named by a commune count that commune's chi bộ: kept, with the row's name as group and confidence < 1
    text = "Xếp loại chi bộ năm 2021 theo đảng bộ xã\nĐơn vị HTXSNV HTTNV\nXã Đông Sơn 2 9\nXã Tây Sơn 1 11"
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["count"], got["group"], got["level"])) == [
        ("2", "Xã Đông Sơn", "chi bộ"), ("9", "Xã Đông Sơn", "chi bộ"), ("1", "Xã Tây Sơn", "chi bộ"),
        ("11", "Xã Tây Sơn", "chi bộ")]
    assert (got["confidence"] < 1).all()


def test_a_table_with_one_cell_per_line():
    # a web table copied as text: the label on its line, then its numbers; the header says which is the share
    text = ("Xếp loại đảng viên năm 2022\nMức xếp loại\nSố lượng\nTỷ lệ (%)\nHoàn thành xuất sắc nhiệm vụ\n95\n"
            "12,2\nHoàn thành tốt nhiệm vụ\n640\n82,2")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["category"], got["count"], got["percent"], got["level"])) == [
        ("Hoàn thành xuất sắc nhiệm vụ", "95", "12,2", "đảng viên"), ("Hoàn thành tốt nhiệm vụ", "640", "82,2", "đảng viên")]
    text = "Mức xếp loại\nTỷ lệ (%)\nSố lượng\nHoàn thành tốt nhiệm vụ\n60\n30"
    assert numbers(text, year=2022) == [("30", "60", "")]


def test_a_sentence_with_two_labels_over_a_line_of_numbers_is_no_table():
    text = ("Các chi bộ hoàn thành nhiệm vụ giảm, hoàn thành tốt nhiệm vụ tăng khá qua các năm\n"
            "Năm 2013 có 12 chi bộ đạt 14 tiêu chí.")
    assert rows(text) == []


def test_text_wrapped_at_line_ends_reads_as_one_sentence(tmp_path):
    # a PDF's text layer or a hard-wrapped .txt breaks lines inside sentences, labels and "chiếm … %"
    from helpers.published.extract import extract_article

    path = tmp_path / "bai.txt"
    path.write_text("Năm 2020, toàn huyện có 38 tổ chức cơ sở đảng hoàn thành tốt\nnhiệm vụ, chiếm 80,9%; 7 tổ chức "
                    "cơ sở đảng hoàn thành xuất sắc nhiệm vụ, chiếm\n14,9%.\n- Hoàn thành nhiệm vụ: 2 (4,2%)\n",
                    encoding="utf-8")
    draft = extract_article(path)
    got = draft.rows
    assert list(zip(got["category"], got["count"], got["percent"])) == [
        ("hoàn thành tốt nhiệm vụ", "38", "80,9%"), ("hoàn thành xuất sắc nhiệm vụ", "7", "14,9%"),
        ("Hoàn thành nhiệm vụ", "2", "4,2%")]
    assert all(draft.document.text[r.start:r.end] == r.quote for r in got.itertuples())

    # a wrapped line may end in a number, a ';' or a comma, and the next start with an abbreviation or a quote; a
    # line that ends a heading (':'), or a next line that starts a list item, is no wrap
    text = ("Qua khảo sát đánh giá năm 2015, toàn thành phố có 40/52 TCCSĐ đạt trong sạch vững mạnh, trong đó có 6\n"
            "TCCSĐ trong sạch vững mạnh tiêu biểu; 216 tổ chức cơ sở đảng được xếp loại\n"
            "“Hoàn thành tốt nhiệm vụ”.\nKết quả xếp loại đảng viên của Đảng bộ thành phố năm 2015:\n"
            "- Hoàn thành tốt nhiệm vụ: 900 đảng viên")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["count"], got["level"])) == [("40", "tổ chức cơ sở đảng"), ("6", "tổ chức cơ sở đảng"),
                                                    ("216", "tổ chức cơ sở đảng"), ("900", "đảng viên")]


def test_a_heading_without_a_period_stays_apart_in_a_text_of_paragraphs():
    # one paragraph per line (Word, web): most long lines end a sentence, so a heading that does not is no wrap
    from helpers.published.extract import sentences as st

    text = ("Kết quả đánh giá tổ chức cơ sở đảng và đảng viên năm 2022 của huyện\n"
            "Năm 2022, toàn huyện có 60 tổ chức cơ sở đảng được đánh giá, xếp loại chất lượng.\n"
            "Có 2.900 đảng viên được đánh giá; 400 đảng viên hoàn thành xuất sắc nhiệm vụ.\n"
            "Công tác kết nạp đảng viên được chú trọng, kết nạp mới 120 đảng viên trong năm.\n")
    assert not st.looks_wrapped(text)
    assert len(list(st.sentences(text))) == 4


def test_a_caption_under_a_table_names_its_units():
    # a web table (cells parted by tabs) with its caption printed under it: the rows are of the caption's units, not
    # of the organisations of the paragraph above
    text = ("Năm 2022, 10 tổ chức cơ sở đảng hoàn thành xuất sắc nhiệm vụ.\nXếp loại\tSố lượng\tTỷ lệ\n"
            "Hoàn thành xuất sắc nhiệm vụ\t290\t14,1%\nHoàn thành tốt nhiệm vụ\t1.700\t82,5%\n"
            "Bảng 2: Kết quả xếp loại đảng viên năm 2022.")
    got = extract_text(text, source_id="t").rows
    assert list(zip(got["count"], got["level"])) == [("10", "tổ chức cơ sở đảng"), ("290", "đảng viên"),
                                                    ("1.700", "đảng viên")]
