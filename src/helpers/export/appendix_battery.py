"""Which rows of the test battery an appendix with a verdict prints (article.docx, report.html).

The rule
--------
An appendix **without** a verdict (no ``verdict.json``, or one without claims) prints every row:
the battery is then its result.

An appendix **with** a verdict answers its claims first; its battery table is the evidence of
that answer, not every test that was run. It prints a row when

1. the row is valid under the study's design: a primary test (the Holm family) or a supporting
   row — anything not marked "descriptive only" (:data:`helpers.inference.results.DESCRIPTIVE_ONLY`);
2. the row is the placebo comparison between pre-programme years
   (:data:`helpers.inference.claims.PLACEBO_TEST`), which shows whether and when the pilots were
   picked — the verdict rests on it whatever it finds; or
3. the verdict quotes it: a claim's ``primary_test`` or one of its ``tests_cited``
   (helpers.inference.verdict), so no number of the verdict is ever missing from its table.

Every other row is description biased under the design (kept outside every Holm family, its
reason in its sentence). Those rows are **not printed**; instead, one line per reason says how
many rows of which analyses (families) were left out and why (the reason's first clause, before
its explanation), and a last one that the complete battery ships with the appendix.
Rows without a p-value and without an effect (statements: what the totals support, regression to
the mean, power) are prose, not battery rows, and are always kept.

The figures drawn from the battery (forest plot, sensitivity to the recovered base) are drawn
from the printed rows only (:func:`helpers.export.study_export.export_study`), so a figure never
shows a result that its table or the verdict does not.

Where the full battery is
-------------------------
Always complete in ``reports/<study>/results.csv`` and in the XLSX and CSV of the battery table
(``reports/<study>/tables/table-N-test-results.xlsx`` / ``.csv``); the printed formats of that
table (DOCX, LaTeX, Markdown, HTML) and report.html show the rows of this rule.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from helpers.export.glossary import term
from helpers.export.study_tables import analysis_label
from helpers.inference.claims import PLACEBO_TEST
from helpers.inference.results import DESCRIPTIVE_ONLY, NOT_RUN
from helpers.numbers import check_language, format_count

__all__ = ["AppendixBattery", "LeftOut", "appendix_battery", "analysis_of", "is_tested", "shown_rows"]

#: The columns of the battery a report shows (report.html, step 3), after the analysis.
SHOWN_COLUMNS = ("test", "statistic", "df", "p_value", "p_adjusted", "effect_name", "effect", "ci_low", "ci_high",
                 "n", "note")


@dataclass(frozen=True)
class LeftOut:
    """Rows the appendix does not print for one reason: why (its words), how many, and of which analyses
    (``(label, count)`` per analysis, in the order of the results table)."""

    why: str
    count: int
    families: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class AppendixBattery:
    """The rows an appendix prints (:func:`appendix_battery`).

    Attributes
    ----------
    printed : Series of bool
        Aligned with the results table: True for a row the appendix prints.
    rows : DataFrame
        The printed rows (every column of the results table).
    left_out : tuple of LeftOut
        One entry per reason for rows not printed, in the order of the results table.
    total : int
        Rows of the complete battery (rows with a p-value or an effect): what XLSX and CSV hold.
    sentence : str
        What the reader needs about the rows not printed ('' when every row is printed).
    """

    printed: pd.Series
    rows: pd.DataFrame
    left_out: tuple[LeftOut, ...]
    total: int
    sentence: str


def analysis_of(test: str) -> str:
    """The analysis id at the end of a results.csv test name (``'… [bt56-change]'`` → ``'bt56-change'``)."""
    test = str(test).rstrip()
    if test.endswith("]") and " [" in test:
        return test[test.rindex(" [") + 2:-1]
    return ""


def is_tested(results: pd.DataFrame) -> pd.Series:
    """Rows with a p-value or an effect: the rows of the battery table."""
    return (pd.to_numeric(results["p_value"], errors="coerce").notna()
            | pd.to_numeric(results["effect"], errors="coerce").notna())


def _descriptive(results: pd.DataFrame) -> pd.Series:
    mark = DESCRIPTIVE_ONLY["en"]
    return results["assumptions"].astype(object).fillna("").astype(str).str.contains(mark, regex=False) \
        if "assumptions" in results else pd.Series(False, index=results.index)


def _why(sentence, language: str) -> str:
    """The reason a descriptive row gives at the end of its sentence, "… (chỉ để mô tả[, …]: <why>)", up to
    its explanation (the first ": " of the reason): "chỉ so đơn vị làm điểm với chính nó"."""
    if not isinstance(sentence, str):
        return ""
    start = sentence.rfind(f"({DESCRIPTIVE_ONLY[language]}")
    colon = sentence.find(": ", start) if start >= 0 else -1
    if colon < 0 or not sentence.rstrip().endswith(")"):
        return ""
    why = sentence[colon + 2:sentence.rstrip().rindex(")")].strip()
    return why.split(": ", 1)[0]


def cited_tests(verdict: dict | None) -> set[str]:
    """Every results.csv test a verdict quotes (each claim's ``primary_test`` and ``tests_cited``)."""
    cited = set()
    for claim in (verdict or {}).get("claims") or []:
        if claim.get("primary_test"):
            cited.add(str(claim["primary_test"]))
        cited.update(str(t) for t in claim.get("tests_cited") or [])
    return cited


def appendix_battery(results: pd.DataFrame, verdict: dict | None, language: str = "vi",
                     study=None) -> AppendixBattery:
    """The rows of ``results`` an appendix prints under :mod:`the rule <helpers.export.appendix_battery>`.

    Parameters
    ----------
    results : DataFrame
        The results table (columns of :data:`helpers.inference.results.RESULT_COLUMNS`; ``assumptions`` and
        ``sentence_<language>`` are read when present).
    verdict : dict or None
        ``verdict.json`` (:func:`helpers.export.article.read_verdict`); None or no claims: every row printed.
    study : helpers.study.Study, optional
        For the analyses' labels in the line about the rows left out.
    """
    check_language(language)
    results = results if results is not None else pd.DataFrame(columns=["test", "p_value", "effect"])
    tested = is_tested(results)
    total = int(tested.sum())
    if not (verdict or {}).get("claims"):
        printed = pd.Series(True, index=results.index)
        return AppendixBattery(printed, results, (), total, "")
    tests = results["test"].astype(str)
    cited = cited_tests(verdict)
    printed = ~tested | ~_descriptive(results) | tests.str.startswith(PLACEBO_TEST) | tests.isin(cited)
    labels = _labels(study, language)
    reasons: dict[str, dict[str, int]] = {}  # why -> analysis label -> rows left out
    column = f"sentence_{language}"
    for index in results.index[~printed]:
        why = _why(results.at[index, column], language) if column in results else ""
        key = analysis_of(tests[index])
        label = analysis_label(key, labels, language) or key
        reasons.setdefault(why, {}).setdefault(label, 0)
        reasons[why][label] += 1
    left_out = tuple(LeftOut(why, sum(counts.values()), tuple(counts.items())) for why, counts in reasons.items())
    return AppendixBattery(printed, results.loc[printed], left_out, total, _sentence(left_out, total, language))


def _labels(study, language: str) -> dict[str, str]:
    """Analysis id → its label in ``language`` (the study file's ``label``; the id where none is given)."""
    return {str(a.get("id")): (a.get("label") or {}).get(language, str(a.get("id")))
            for a in getattr(study, "analyses", ()) or ()}


def shown_note(note, sentence_en, sentence, language: str):
    """The note of a results.csv row as a reader of ``language`` reads it, when results.csv holds it in English
    only: a note that is the row's whole English sentence (a verdict, a statement) is the row's ``sentence``;
    a refused test's note (the why after :data:`~helpers.inference.results.NOT_RUN`) is the why of ``sentence``.
    Any other note is returned as it is (:func:`helpers.export.glossary.note_text` puts it into words).

    >>> shown_note("n = 1: too small", "exact test: Test not run: n = 1: too small",
    ...            "kiểm định chính xác: Không thực hiện kiểm định: n = 1: quá nhỏ", "vi")
    'n = 1: quá nhỏ'
    """
    if language == "en" or not isinstance(note, str) or not note or not isinstance(sentence, str):
        return note
    if note == sentence_en:
        return sentence
    vi_mark, en_mark = NOT_RUN
    if isinstance(sentence_en, str) and sentence_en.endswith(en_mark + note) and vi_mark in sentence:
        return sentence.split(vi_mark, 1)[1]
    return note


def shown_rows(battery: AppendixBattery, language: str = "vi", study=None) -> pd.DataFrame:
    """The printed rows as a report shows them, as the appendix's table does: first the analysis by its label
    in the study file (:func:`helpers.export.study_tables.analysis_label`), then :data:`SHOWN_COLUMNS`, the
    test named without the analysis id it carries in results.csv (a key of the study file, not a word). A note
    that is its row's whole English sentence (a refusal written in both languages, such as the verdict's) is
    shown as the row's sentence in ``language``."""
    check_language(language)
    labels = _labels(study, language)
    rows = battery.rows.reindex(columns=list(SHOWN_COLUMNS))
    if {"sentence_en", f"sentence_{language}"} <= set(battery.rows.columns):
        rows["note"] = [shown_note(note, en, own, language) for note, en, own in
                        zip(rows["note"], battery.rows["sentence_en"], battery.rows[f"sentence_{language}"])]
    tests = rows["test"].astype(str)
    analyses = [analysis_of(t) for t in tests]
    rows["test"] = [t[:-len(f" [{a}]")] if a else t for t, a in zip(tests, analyses)]
    rows.insert(0, "analysis", [analysis_label(a, labels, language) for a in analyses])
    return rows.reset_index(drop=True)


def _sentence(left_out: tuple[LeftOut, ...], total: int, language: str) -> str:
    """"Bảng chỉ in … Không in N kiểm định … k kiểm định của “A” (i), “B” (j), vì …. Đủ cả T kiểm định ở …"."""
    if not left_out:
        return ""
    count = sum(x.count for x in left_out)
    parts = [term("battery_printed", language),
             term("battery_left_out", language, n=format_count(count, language))]
    for group in left_out:
        families = ", ".join(f"“{label}”" + (f" ({format_count(n, language)})" if len(group.families) > 1 else "")
                             for label, n in group.families)
        why = term("battery_family_why", language, why=group.why) if group.why else ""
        parts.append(term("battery_family", language, families=families, n=format_count(group.count, language))
                     + why + ".")
    parts.append(term("battery_full", language, n=format_count(total, language)))
    return " ".join(parts)
