"""Which battery rows an appendix with a verdict prints (helpers.export.appendix_battery): the rule on a small
table, then a real build of the bundled Bình Thuận 56 study through the runner (real notebooks, real kernel),
whose article.docx and report.html must not print a row the rule drops while XLSX and CSV keep every row."""

from __future__ import annotations

import html
import json
import re
import shutil

import docx
import pandas as pd
import pytest

from helpers import paths
from helpers.export.appendix_battery import appendix_battery, cited_tests
from helpers.export import glossary
from helpers.export.glossary import english_words_in
from helpers.inference.results import RESULT_COLUMNS

PRIMARY = "exact stratified test of good or better, strata = ratings 2014–2015 [claim]"
PLACEBO = "placebo: exact stratified test at the median cut in 2015, strata = ratings 2014 [claim]"
WHY_VI = "chỉ so đơn vị làm điểm với chính nó: thay đổi quy định đều trông như tác động"


def _row(test, p=None, effect=None, descriptive=False, sentence="câu"):
    why = f" (chỉ để mô tả: {WHY_VI})" if descriptive else ""
    return {"question": "a", "test": test, "p_value": p, "effect": effect,
            "assumptions": "descriptive only: compares the pilots only with themselves" if descriptive else "",
            "sentence_vi": sentence + why, "sentence_en": "sentence"}


def _results() -> pd.DataFrame:
    rows = [_row(PRIMARY, 0.001, 7.6),
            _row("exact McNemar at cut good_or_better [claim]", 0.2, descriptive=True),
            _row(PLACEBO, 0.0006, descriptive=True),  # a placebo row is marked descriptive (claims.py) yet kept
            _row("exact sign test [change]", 0.01, 0.3, descriptive=True),
            _row("Friedman [change]", 0.04, descriptive=True),
            _row("Fisher exact [change]", 0.3, descriptive=True),  # quoted by the verdict below: kept
            _row("regression to the mean: can the data separate it? [rtm]"),  # a statement, no p: prose, kept
            _row("proportional-odds logit [rtm]", 0.001, 1.46)]  # valid under the design: kept
    return pd.DataFrame(rows).reindex(columns=RESULT_COLUMNS)


def _verdict(**claim) -> dict:
    return {"headline_vi": "…", "headline_en": "…",
            "claims": [{"id": "claim", "primary_test": PRIMARY, "tests_cited": [PRIMARY, "Fisher exact [change]"],
                        **claim}]}


def test_without_a_verdict_every_row_is_printed():
    results = _results()
    for verdict in (None, {"headline_vi": "", "headline_en": "", "claims": []}):
        battery = appendix_battery(results, verdict, "vi")
        assert battery.printed.all() and battery.left_out == () and battery.sentence == ""
        assert battery.total == 7  # rows with a p-value or an effect (the statement has neither)


def test_with_a_verdict_only_biased_descriptive_rows_it_does_not_quote_are_left_out():
    results = _results()
    battery = appendix_battery(results, _verdict(), "vi")
    kept = list(battery.rows["test"])
    assert kept == [PRIMARY, PLACEBO, "Fisher exact [change]",
                    "regression to the mean: can the data separate it? [rtm]", "proportional-odds logit [rtm]"]
    # three rows left out, for one reason, of two analyses (1 of "claim", 2 of "change"); the reason is cut
    # before its explanation; the total counts every tested row, as XLSX and CSV hold them
    (group,) = battery.left_out
    assert group.count == 3 and group.families == (("claim", 1), ("change", 2))
    assert group.why == "chỉ so đơn vị làm điểm với chính nó" and battery.total == 7
    assert "Không in 3 kiểm định" in battery.sentence and "Đủ cả 7 kiểm định" in battery.sentence
    assert "“change” (2)" in battery.sentence
    english = appendix_battery(results, _verdict(), "en").sentence
    assert "Not printed: 3 descriptive tests" in english and "All 7 tests" in english


def test_a_row_the_verdict_quotes_is_never_left_out():
    results = _results()
    every = set(results["test"])
    battery = appendix_battery(results, _verdict(tests_cited=sorted(every)), "vi")
    assert battery.printed.all() and battery.sentence == ""
    assert cited_tests(_verdict()) == {PRIMARY, "Fisher exact [change]"}


def _battery_table(document) -> list[str]:
    """Every cell text of the article's table of tests (its header starts with "Kiểm định")."""
    for table in document.tables:
        if table.rows and table.rows[0].cells[0].text.strip() == "Kiểm định":
            return [_plain(c.text) for row in table.rows[1:] for c in row.cells]
    raise AssertionError("article.docx has no table of tests")


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2060", "").replace("\u00a0", " ")).strip()


def _name(test: str) -> str:
    return _plain(glossary.test_name(re.sub(r" \[[^\]]*\]$", "", test), "vi"))


@pytest.mark.slow
def test_a_real_appendix_with_a_verdict_prints_no_row_the_rule_drops(project):
    """Bình Thuận 56 (issue 13: 5 pages, its 15-row battery): the verdict says "cannot tell" and quotes the McNemar
    range; the 14 other tested rows are description biased under the design and must not be printed."""
    shutil.copy(paths.ROOT / "studies" / "binh-thuan-56.yaml", project.root / "studies")
    shutil.copy(paths.ROOT / "studies" / "study.schema.json", project.root / "studies")
    (project.root / "data" / "raw" / "published").mkdir(parents=True)
    shutil.copy(paths.raw_path("published/000-binh-thuan.csv"), project.root / "data" / "raw" / "published")
    ran = project.run("run", "binh-thuan-56")
    assert ran.returncode == 0, ran.stdout + ran.stderr
    report = project.root / "reports" / "binh-thuan-56"
    verdict = json.loads((report / "verdict.json").read_text(encoding="utf-8"))
    results = pd.read_csv(report / "results.csv", encoding="utf-8-sig")
    # the rule, restated from its definition (appendix_battery's docstring), on the real files
    tested = results["p_value"].notna() | results["effect"].notna()
    quoted = {c["primary_test"] for c in verdict["claims"] if c["primary_test"]} | \
        {t for c in verdict["claims"] for t in c["tests_cited"]}
    biased = results["assumptions"].fillna("").str.contains("descriptive only") & \
        ~results["test"].str.startswith("placebo: ") & ~results["test"].isin(quoted)
    dropped, kept = results[tested & biased], results[tested & ~biased]
    assert verdict["claims"] and len(dropped) == 14 and len(kept) == 1  # 8 + 7 rows of the two analyses, 1 quoted
    assert kept["test"].iloc[0].startswith("exact McNemar at cut good, range over pairings")

    cells = _battery_table(docx.Document(report / "article.docx"))
    shown = " | ".join(cells)
    assert all(_name(t) in cells for t in kept["test"])
    kept_names = {_name(t) for t in kept["test"]}
    printed = [t for t in dropped["test"] if _name(t) not in kept_names and _name(t) in shown]
    assert printed == [], f"article.docx prints rows the rule drops: {printed}"
    # the note under the table says how many rows are left out, why, and where the whole battery is
    paragraphs = [_plain(p.text) for p in docx.Document(report / "article.docx").paragraphs]
    note = next(p for p in paragraphs if "Không in 14 kiểm định chỉ để mô tả" in p)
    assert "Đủ cả 15 kiểm định" in note and english_words_in(note) == []
    # a figure never shows a dropped row: none of the printed rows has an effect or several bases here
    figures = {p.name.split("_")[0] for p in (report / "figures").glob("*.svg")}
    assert not [f for f in figures if "forest" in f or "sensitivity" in f], figures

    # XLSX and CSV of the same table keep the whole battery
    csv = pd.read_csv(next((report / "tables").glob("*test-results.csv")), encoding="utf-8-sig")
    xlsx = pd.read_excel(next((report / "tables").glob("*test-results.xlsx")), header=2)  # caption, blank, header
    assert len(csv) == int(tested.sum()) == 15 and xlsx["Kiểm định"].notna().sum() == 15

    page = html.unescape((report / "report.html").read_text(encoding="utf-8"))
    assert kept["sentence_vi"].iloc[0][:80] in page
    leaked = [s for s in dropped["sentence_vi"] if s in page]
    assert leaked == [], f"report.html prints rows the rule drops: {leaked[:2]}"
    assert "Không in 14 kiểm định chỉ để mô tả" in page
    # the figures left out say why (their rows are descriptive, not printed), not "no result has an effect size"
    assert "các kiểm định có cỡ hiệu ứng đều chỉ để mô tả nên không in trong phụ lục" in page
    assert "không có kết quả nào có cỡ hiệu ứng" not in page
