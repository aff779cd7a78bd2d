"""The three tables of a study, as :class:`~helpers.export.tables.ExportTable`: the rating
distribution, the published-number findings and the test battery. Every header and note comes from
:mod:`helpers.export.glossary`; numbers are printed by :mod:`helpers.numbers`."""

from __future__ import annotations

import math

import pandas as pd

from helpers.export.figures import group_label
from helpers.export.glossary import CLAIMS, category_name, claim_name, header, severity, term, test_name
from helpers.export.tables import Column, ExportTable, _missing
from helpers.export.theme import CODE_LABELS, CODE_NAMES, code_label, text
from helpers.numbers import check_language, format_ci, format_df, format_number, format_statistic


def _header(key: str, language: str) -> str:
    return header(key, language)


def analysis_label(analysis, labels: dict | None, language: str) -> str:
    """The printed name of an analysis or claim id: its label in the study file, a claim's words from the
    glossary, else the id itself ('' when missing)."""
    if not isinstance(analysis, str) or not analysis:
        return ""
    if labels and analysis in labels:
        return labels[analysis]
    return claim_name(analysis, language) if analysis in CLAIMS else analysis


def descriptive_table(distribution: pd.DataFrame, language: str = "vi", source: str = "",
                      stem: str = "descriptive") -> ExportTable:
    """Counts and percentages per rating, year and group.

    Parameters
    ----------
    distribution : DataFrame
        :data:`helpers.export.data.DISTRIBUTION_COLUMNS`.
    source : str
        Where the numbers come from (file names, article), printed in the note.

    Returns
    -------
    ExportTable
        Columns group, year, rating, count, total, % printed (as the source printed it, with
        its decimals) and % recomputed (count / total, one decimal more than needed never added).
    """
    check_language(language)
    if len(distribution) and (distribution["percent_source"] != "printed").all() \
            and (distribution["table_id"] == "panel").all():
        return panel_descriptive_table(distribution, language, source, stem)
    data = distribution.copy()
    data["group_shown"] = [group_label(g, language) for g in data["group"]]
    data["rating"] = [code_label(c, language, str(c)) for c in data["rating_code"]]
    data["percent_printed_value"] = [p if s == "printed" else math.nan
                                     for p, s in zip(data["percent"], data["percent_source"])]
    data["percent_computed"] = [
        math.nan if _missing(c) or _missing(b) or int(b) == 0 else float(int(c) * 100 / int(b))
        for c, b in zip(data["count"], data["base"])]
    columns = (
        Column("group_shown", _header("group", language)),
        Column("year", _header("year", language), "year"),
        Column("rating", _header("rating", language)),
        Column("count", _header("count", language), "count"),
        Column("base", _header("base", language), "count"),
        Column("percent_printed_value", _header("percent_printed", language), "percent", "percent_decimals"),
        Column("percent_computed", _header("percent_computed", language), "percent", "percent_decimals"),
    )
    caption = term("caption_descriptive", language)
    names = _code_names_note(data["rating_code"], language)
    note = (f"{text('source', language)}: {source or term('study_data', language)}. "
            f"{term('note_descriptive', language)}" + (f" {names}." if names else ""))
    return ExportTable(stem=stem, caption=caption, columns=columns, data=data.reset_index(drop=True),
                       note=note, language=language, repeat_blank=("group_shown", "year"),
                       group_rows="group_shown")


def _code_names_note(codes, language: str) -> str:
    """"TSVM = trong sạch, vững mạnh; …" for the abbreviations among ``codes`` (a level printed in full,
    "Yếu kém", needs no "= yếu kém")."""
    return "; ".join(f"{v[language]} = {CODE_NAMES[k][language]}" for k, v in CODE_LABELS.items()
                     if k in set(codes) and v[language].lower() != CODE_NAMES[k][language].lower())


def panel_descriptive_table(distribution: pd.DataFrame, language: str = "vi", source: str = "",
                            stem: str = "descriptive") -> ExportTable:
    """Counts of a unit-level panel as one row per group and year, one column per common level.

    Each level cell prints ``15 (37,5%)`` (count and share of the row's total); XLSX and CSV keep the
    counts and shares as numbers, two columns per level. A panel of many years fits on a page this way
    (8 years × 2 groups: 16 rows instead of 64).
    """
    from helpers.export.figure_parts import _level_names
    from helpers.export.theme import LEVELS
    from helpers.numbers import format_count, format_percent

    data = distribution.copy()
    names = _level_names(data, language)
    levels = [lv for lv in LEVELS if (data["rating_common"] == lv).any()]
    rows = []
    for (group, year), part in data.groupby(["group", "year"], sort=False):
        row = {"group_shown": group_label(group, language), "year": int(year), "base": int(part["base"].iloc[0])}
        for level in levels:
            count = int(part.loc[part["rating_common"] == level, "count"].sum())
            share = count * 100 / row["base"] if row["base"] else math.nan
            row[f"count_{level}"], row[f"percent_{level}"] = count, share
            row[f"shown_{level}"] = f"{format_count(count, language)} ({format_percent(share, 1, language)})"
        rows.append(row)
    frame = pd.DataFrame(rows)
    columns = (Column("group_shown", _header("group", language)), Column("year", _header("year", language), "year"),
               *(Column(f"shown_{lv}", names[lv]) for lv in levels),
               Column("base", _header("base", language), "count"))
    share = _header("percent", language)
    raw_columns = (Column("group_shown", _header("group", language)), Column("year", _header("year", language), "year"),
                   *(c for lv in levels for c in (Column(f"count_{lv}", f"{names[lv]}: {_header('count', language)}",
                                                         "count"),
                                                  Column(f"percent_{lv}", f"{names[lv]}: {share}", "percent", 1))),
                   Column("base", _header("base", language), "count"))
    codes = _code_names_note(data["rating_code"], language)
    note = (f"{text('source', language)}: {source or term('study_data', language)}. "
            f"{term('note_panel_descriptive', language)}" + (f" {codes}." if codes else ""))
    return ExportTable(stem=stem, caption=term("caption_descriptive", language), columns=columns, data=frame,
                       note=note, language=language, raw_columns=raw_columns, repeat_blank=("group_shown",),
                       group_rows="group_shown")


def findings_table(findings: pd.DataFrame, language: str = "vi", source: str = "",
                   stem: str = "published-findings", citations: dict | None = None) -> ExportTable:
    """The checks of published numbers that found a problem: errors and warnings.

    Derived facts (severity ``info``: recovered bases, implied counts) stay in
    ``published/findings.csv``; a journal table lists what is wrong or doubtful.

    Parameters
    ----------
    findings : DataFrame
        Columns source_id, table_id, year, category, check, severity, printed, expected,
        message_vi, message_en (check, file, row are kept out of the printed table: the
        message says what was checked).
    citations : dict, optional
        source_id → short citation ("Vi Thị Tuyết (2019)"). With several sources the printed table has
        a source column in these words; a table id (``td-2016``) is never printed.
    """
    check_language(language)
    data = findings.loc[findings["severity"] != "info"].copy()
    data["message"] = data[f"message_{language}"]
    data["severity"] = [severity(str(v), language) for v in data["severity"]]
    data["category"] = [category_name(v, language) if isinstance(v, str) else v for v in data["category"]]
    data["source"] = [(citations or {}).get(str(v), str(v)) for v in data["source_id"]] \
        if "source_id" in data else ""
    keys = ("year", "category", "severity", "printed", "expected", "message")
    if "source_id" in data and data["source_id"].nunique() > 1:
        keys = ("source",) + keys
    columns = tuple(Column(k, _header("source_id" if k == "source" else k, language),
                           "year" if k == "year" else "text") for k in keys)
    caption = term("caption_findings", language)
    note = f"{text('source', language)}: {source or term('source_articles', language)}."
    return ExportTable(stem=stem, caption=caption, columns=columns, data=data.reset_index(drop=True),
                       note=note, language=language)


def results_table(results: pd.DataFrame, language: str = "vi", stem: str = "test-results",
                  labels: dict | None = None, printed: pd.Series | None = None, left_out: str = "") -> ExportTable:
    """The statistical tests (results.csv): statistic, df, p, adjusted p, effect size with CI, n.

    Only rows with a p-value or an effect size are listed (verdicts, refusals and power
    statements are sentences of the article). The printed formats show the analysis by its
    label in the study file, the test by its name in ``language``, the confidence interval
    as one column (``[0,12; 0,91]``); XLSX and CSV also keep ``ci_low``, ``ci_high`` as
    numbers and the diagnostic ``note``.

    Parameters
    ----------
    labels : dict, optional
        Analysis id → label in ``language`` (the ``label`` of each entry of the study's
        ``analyses``); the id is shown where no label is given.
    printed : Series of bool, optional
        Aligned with ``results``: the rows DOCX, LaTeX, Markdown and HTML print (default all); XLSX and CSV
        keep every row (:mod:`helpers.export.appendix_battery` says which rows an appendix prints).
    left_out : str
        What the reader needs about the rows not printed, added to the note.
    """
    check_language(language)
    from helpers.export.figures import effect_label

    numbers = pd.to_numeric(results["p_value"], errors="coerce").notna() | \
        pd.to_numeric(results["effect"], errors="coerce").notna()
    data = results.loc[numbers].copy()
    split = data["test"].astype(str).str.extract(r"^(?P<name>.*?)(?: \[(?P<analysis>[^\]]*)\])?$")
    data["analysis"] = [analysis_label(a, labels, language) for a in split["analysis"]]
    data["test"] = [test_name(name, language) for name in split["name"]]
    for column in ("p_low", "p_high"):  # results.csv written before these columns existed has none
        if column not in data.columns:
            data[column] = math.nan
    for column in ("statistic", "df", "p_value", "p_adjusted", "p_low", "p_high", "effect", "ci_low", "ci_high", "n"):
        data[column] = pd.to_numeric(data[column], errors="coerce")
    data["effect_shown"] = [effect_label(e, language) if isinstance(e, str) and e else "" for e in
                            data["effect_name"].fillna("")]
    data["ci"] = [format_ci(lo, hi, 2, language) for lo, hi in zip(data["ci_low"], data["ci_high"])]
    data["note"] = [n if isinstance(n, str) else "" for n in data["note"]]
    # Printed: "statistic (df)" and "effect = value [CI]" in one column each, as journals set them.
    data["statistic_df"] = ["" if _missing(st) else format_statistic(st, language)
                            + ("" if _missing(df) else f" ({format_df(df, language)})")
                            for st, df in zip(data["statistic"], data["df"])]
    data["effect_ci"] = ["" if _missing(value) else f"{name} = {format_number(value, 2, language)}"
                         + (f" {ci}" if ci else "")
                         for name, value, ci in zip(data["effect_shown"], data["effect"], data["ci"])]
    statistic_header = header("statistic_df", language)
    effect_header = header("effect_ci", language)
    columns = (
        Column("analysis", _header("analysis", language)),
        Column("test", _header("test", language)),
        Column("statistic_df", statistic_header),
        Column("p_value", _header("p_value", language), "p_value"),
        Column("p_adjusted", _header("p_adjusted", language), "p_value"),
        Column("effect_ci", effect_header),
        Column("n", _header("n", language), "count"),
    )
    raw_columns = (
        Column("question", _header("question", language)),
        Column("analysis", _header("analysis", language)),
        Column("test", _header("test", language)),
        Column("statistic", _header("statistic", language), "statistic"),
        Column("df", _header("df", language), "df"),
        Column("p_value", _header("p_value", language), "p_value"),
        Column("p_adjusted", _header("p_adjusted", language), "p_value"),
        Column("p_low", _header("p_low", language), "p_value"),
        Column("p_high", _header("p_high", language), "p_value"),
        Column("effect_shown", _header("effect_name", language)),
        Column("effect", _header("effect", language), "number", 2),
        Column("ci_low", _header("ci_low", language), "number", 2),
        Column("ci_high", _header("ci_high", language), "number", 2),
        Column("n", _header("n", language), "count"),
        Column("note", _header("note", language)),
    )
    caption = term("caption_results", language)
    note = f"{term('note', language)}: {term('note_results', language)}" + (f" {left_out}" if left_out else "")
    shown = data if printed is None else data.loc[printed.reindex(data.index, fill_value=False).astype(bool)]
    return ExportTable(stem=stem, caption=caption, columns=columns, data=shown.reset_index(drop=True),
                       note=note, language=language, raw_columns=raw_columns, repeat_blank=("analysis",),
                       group_rows="analysis", raw_data=None if printed is None else data.reset_index(drop=True))
