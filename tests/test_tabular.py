"""The one formula-injection guard (helpers.tabular), on values, DataFrames and Arrow tables."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pyarrow as pa
import pytest

from helpers.tabular import GUARD, csv_bytes, neutralise, neutralise_arrow, read_csv, restore, write_csv

# OWASP "CSV injection": a cell starting with = + - @ tab or CR runs as a formula in a spreadsheet.
DANGEROUS = ["=1+1", "+cmd", "-Yếu kém", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"http://x\")", "'=already"]
HARMLESS = ["Tốt", "HTNV", "a=b", " =x", "", "-3", "-0,5", "+12.5%", "-12"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_dangerous_text_gets_the_guard_and_comes_back_exactly(text):
    assert neutralise(text) == GUARD + text
    assert restore(neutralise(text)) == text


@pytest.mark.parametrize("value", [*HARMLESS, -3, -0.5, 0, None])
def test_numbers_and_ordinary_text_are_untouched(value):
    assert neutralise(value) == value if value == value else neutralise(value) is value


def test_frames_and_arrow_tables_are_guarded_alike_and_negative_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame({"label": DANGEROUS + HARMLESS,
                          "kind": pd.Categorical(["=c"] * len(DANGEROUS) + ["c"] * len(HARMLESS)),
                          "value": range(-8, -8 + len(DANGEROUS) + len(HARMLESS))})
    written = write_csv(frame, tmp_path / "t.csv")
    raw = written.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "\r\n'=1+1," in text and "\r\n-3," in text and ",-8\r\n" in text  # -8 stays a number
    assert "\"'\rx\"" in text, "a CR inside a cell is quoted, so it never splits a row"
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [restore(r[0]) for r in rows[1:]] == frame["label"].tolist()  # every text comes back exactly
    back = read_csv(written, keep_default_na=False)
    assert back["label"].tolist() == frame["label"].tolist()
    assert back["value"].tolist() == frame["value"].tolist()

    arrow = neutralise_arrow(pa.Table.from_pandas(frame, preserve_index=False))
    assert arrow.column("label").to_pylist() == [neutralise(v) for v in frame["label"]]
    assert arrow.column("kind").to_pylist() == [neutralise(v) for v in frame["kind"]]
    assert arrow.column("value").to_pylist() == frame["value"].tolist()
    assert csv_bytes(frame).decode("utf-8-sig").splitlines()[1].startswith("'=1+1,'=c,")
