"""export_study end to end on the real Bình Thuận published file, and the rating distributions it draws."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import docx
import numpy as np
import pandas as pd
import pytest

from helpers.errors import InputError
from helpers.export import EXPORT_COLUMNS, check_export, export_study
from helpers.export.data import distribution_from_panel, distribution_from_published
from helpers.paths import raw_path
from helpers.study import load_study

try:
    from helpers.published import read_published
except ImportError:
    from helpers.published.reader import read_published

from helpers.inference.results import RESULT_COLUMNS

BT56 = ["bt56-2011", "bt56-2013", "bt-province-2013"]


def _study(language="vi", **export):
    study = load_study("binh-thuan-56")
    return dataclasses.replace(study, language=language, export={"tables": BT56, **export})


def _results() -> pd.DataFrame:
    rows = [
        {"question": "a", "test": "exact sign test", "p_value": 0.016, "effect": 0.16,
         "effect_name": "net_improvement", "ci_low": 0.02, "ci_high": 0.3, "n": 56,
         "sentence_vi": "Tỷ lệ TSVM tăng (p = 0,016).", "sentence_en": "The TSVM share rose (p = .016)."},
    ] + [
        {"question": "b", "test": f"Fisher–Freeman–Halton exact, pilots vs rest of province (N = {base})",
         "p_value": p, "effect": 0.3, "effect_name": "cliffs_delta", "ci_low": np.nan, "ci_high": np.nan,
         "n": base, "sentence_vi": f"N = {base}: p = {p}", "sentence_en": f"N = {base}: p = {p}"}
        for base, p in ((495, 0.004), (990, 0.0002))
    ]
    return pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)


def _text(document) -> str:
    """Every paragraph of a document, those in tables too (figures side by side sit in a table)."""
    cells = [p.text for t in document.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.fixture
def build(tmp_path) -> Path:
    _results().to_csv(tmp_path / "results.csv", index=False)
    return tmp_path


def test_distribution_from_published_joins_count_and_percent_rows():
    table = read_published([raw_path("published/000-binh-thuan.csv")])
    dist = distribution_from_published(table.loc[table["table_id"].isin(BT56)])
    tsvm = dist.loc[(dist["table_id"] == "bt56-2013") & (dist["rating_code"] == "TSVM")]
    # Seed 000: "đạt TSVM tăng lên 39/56" and "(56 tổ chức đảng làm điểm đạt 69,64%)" — one category, two rows.
    assert len(tsvm) == 1 and tsvm["count"].iloc[0] == 39 and tsvm["percent_printed"].iloc[0] == "69,64%"
    # "trong đó có 5/39 ... TSVM tiêu biểu" is a part of TSVM, not a fifth bar segment.
    assert "TSVM_TB" not in set(dist["rating_code"])
    province = dist.loc[dist["table_id"] == "bt-province-2013"]
    assert province["count"].isna().all() and province["percent"].sum() == pytest.approx(96.97)  # 45,25+18,99+32,73


def test_distribution_from_panel_counts_pilots_and_rest():
    panel = pd.DataFrame({"unit_id": list("abcd"), "year": [2015] * 4, "rating_code": ["YK", "HTNV", "TSVM", "TSVM"],
                          "rating_common": ["fail", "pass", "top", "top"], "pilot": [True, True, False, False]})
    dist = distribution_from_panel(panel)
    assert dist[["group", "rating_code", "count", "base"]].values.tolist() == [
        ["pilots", "YK", 1, 2], ["pilots", "HTNV", 1, 2], ["rest", "TSVM", 2, 2]]


def test_export_study_writes_figures_tables_article_and_says_what_is_skipped(build):
    result = export_study(_study(), build)
    frame = result.to_frame()
    assert list(frame.columns) == EXPORT_COLUMNS
    written = set(frame.loc[frame["status"] == "written", "item"])
    assert {"distribution", "groups", "change", "forest", "sensitivity", "descriptive", "test-results",
            "article"} <= written
    skipped = frame.loc[frame["status"] == "skipped"].set_index("item")["reason"]
    assert "cấp đơn vị" in skipped["transitions"]  # no panel in a published-only study
    assert "kiểm tra số liệu đã công bố" in skipped["published-findings"]  # in words, no file name
    assert all(p.exists() for p in result.files)
    assert len(list((build / "figures").glob("*.svg"))) == 5
    document = docx.Document(build / "article.docx")
    text = _text(document)
    assert "Hình 1." in text and "Bảng 1." in text and "Tỷ lệ TSVM tăng (p = 0,016)." in text
    assert "Phương pháp" in text and "Figure" not in text


def test_export_study_english_and_rerun_identical(build, tmp_path):
    first = export_study(_study("en"), build)
    before = {p: p.read_bytes() for p in first.files}
    second = export_study(_study("en"), build)
    assert [p for p in second.files] == list(before)
    changed = [p.name for p in second.files if p.read_bytes() != before[p]]
    assert changed == []
    text = _text(docx.Document(build / "article.docx"))
    assert "Figure 1." in text and "Table 1." in text and "Hình" not in text


def test_export_study_refuses_bad_options_and_inputs_listing_all(build):
    pd.DataFrame({"question": ["a"]}).to_csv(build / "results.csv", index=False)
    with pytest.raises(InputError) as error:
        export_study(_study(colour="red", tables=["bt56-2011", "no-such-table"]), build)
    message = str(error.value)
    assert "export.colour" in message and "unknown field; known fields: font, tables, transition_years" in message
    assert "no-such-table" in message
    assert "results.csv" in message and "missing column(s)" in message and "effect_name" in message


def test_results_table_keeps_the_range_over_pairings_as_numbers(build):
    results = _results()
    # a range row as totals.totals_analysis writes it (p_value = the largest p of the range)
    results.loc[len(results)] = {"question": "a", "test": "exact sign test, range over pairings (p_value = largest)",
                                 "p_value": 0.6271, "p_low": 3.588e-05, "p_high": 0.6271, "n": 56,
                                 "sentence_vi": "khoảng", "sentence_en": "range"}
    results.to_csv(build / "results.csv", index=False)
    export_study(_study("en"), build)
    table = pd.read_csv(next((build / "tables").glob("*test-results.csv")))
    assert {"Smallest p", "Largest p"} <= set(table.columns)
    ranged = table[table["Test"].str.contains("range over all pairings")]
    assert ranged["Smallest p"].notna().all() and table.loc[~table.index.isin(ranged.index), "Smallest p"].isna().all()


def test_check_export_types():
    problems = check_export({"font": 12, "transition_years": [2015]}, "s.yaml")
    assert [p.column for p in problems] == ["export.font", "export.transition_years"]


def test_article_counts_only_errors_and_warnings_as_inconsistencies(build):
    # Seen in a rendered appendix: 14 derived facts (severity info) were announced as 14 inconsistencies.
    findings = pd.DataFrame({
        "source_id": ["000"] * 3, "table_id": ["t"] * 3, "year": [2013] * 3, "category": ["TSVM"] * 3,
        "check": ["recovered_base", "implied_count", "percent_of_count"], "severity": ["info", "info", "error"],
        "printed": ["", "", "54,85%"], "expected": ["", "", "54,84%"], "schemes": [""] * 3,
        "message_vi": ["a", "b", "c"], "message_en": ["a", "b", "c"], "file": ["f"] * 3, "row": [1, 2, 3]})
    (build / "published").mkdir()
    findings.to_csv(build / "published" / "findings.csv", index=False)
    export_study(_study(), build)
    text = _text(docx.Document(build / "article.docx"))
    assert "Kiểm tra phát hiện 1 điểm không nhất quán" in text
