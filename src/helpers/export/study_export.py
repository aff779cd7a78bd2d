"""Export one study: its figures, tables and ``article.docx``, written into its build folder.

:func:`export_study` reads what the earlier steps wrote and writes ``figures/``,
``tables/`` and ``article.docx``. Each figure or table is made only when its input
exists; what is skipped, and why, is listed in the returned :class:`ExportResult`.

Study file options (``export:`` section, all optional)
------------------------------------------------------
font : str
    Figure font family (default Times New Roman, else Liberation Serif 2, else DejaVu Serif;
    a font missing or lacking a Vietnamese glyph falls back, said in :attr:`ExportResult.notes`).
tables : list of str
    Published table ids to draw and tabulate (default: every table with rating categories).
transition_years : [int, int]
    Years of the transition matrix (default: the first and last year of the panel).
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from helpers.errors import InputError, Problem
from helpers.study.model import Export, problems_of
from helpers.export import article as _article
from helpers.export import figures as _figures
from helpers.export import parallel as _parallel
from helpers.export import study_tables as _study_tables
from helpers.export import tables as _tables
from helpers.export.appendix_battery import appendix_battery
from helpers.export.data import distribution_from_panel, distribution_from_published, printed_twice
from helpers.export.glossary import term, test_name
from helpers.export.sources import source_citations, study_citations
from helpers.export.theme import (
    DOUBLE_COLUMN_CM, FONT_PREFERENCE, SINGLE_COLUMN_CM, FontFallbackWarning, house_style, resolve_font, year_label,
)
from helpers.tabular import read_csv

__all__ = ["EXPORT_COLUMNS", "EXPORT_OPTIONS", "ExportItem", "ExportResult", "check_export", "export_study"]

#: Columns of :meth:`ExportResult.to_frame`: one row per file written, one per item skipped.
EXPORT_COLUMNS = ["item", "kind", "number", "caption", "status", "reason", "format", "path"]
#: Options of a study file's ``export:`` section, as the study-file model declares them.
EXPORT_OPTIONS = tuple(Export.model_fields)
#: Columns each input must have (the rest is optional).
RESULTS_REQUIRED = ["question", "test", "p_value", "effect", "effect_name", "ci_low", "ci_high"]
FINDINGS_REQUIRED = ["table_id", "year", "category", "check", "severity", "printed", "expected",
                     "message_vi", "message_en"]
PANEL_REQUIRED = ["unit_id", "year", "rating_code", "rating_common"]


@dataclass(frozen=True)
class ExportItem:
    """One figure, table or the article: written (with its files) or skipped (with the reason)."""

    item: str
    kind: str
    number: int | None
    caption: str
    status: str
    reason: str = ""
    files: tuple[Path, ...] = ()


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_study` wrote and skipped.

    Attributes
    ----------
    study : str
    output_dir : Path
    language : str
    items : tuple of ExportItem
    notes : tuple of str
        What the reader should know about how the files were made (a font fallback), in words.
    """

    study: str
    output_dir: Path
    language: str
    items: tuple[ExportItem, ...] = field(default=())
    notes: tuple[str, ...] = field(default=())

    @property
    def files(self) -> tuple[Path, ...]:
        """Every file written, in order."""
        return tuple(p for item in self.items for p in item.files)

    @property
    def skipped(self) -> tuple[ExportItem, ...]:
        return tuple(i for i in self.items if i.status == "skipped")

    def to_frame(self) -> pd.DataFrame:
        """Columns :data:`EXPORT_COLUMNS`: item, kind (figure/table/article), number, caption,
        status (written/skipped), reason (why skipped), format (file suffix), path (relative to
        ``output_dir``)."""
        rows = []
        for item in self.items:
            base = {"item": item.item, "kind": item.kind, "number": item.number, "caption": item.caption,
                    "status": item.status, "reason": item.reason}
            if not item.files:
                rows.append({**base, "format": "", "path": ""})
            for path in item.files:
                shown = path.relative_to(self.output_dir) if path.is_relative_to(self.output_dir) else path
                rows.append({**base, "format": "".join(path.suffixes).lstrip(".") if "dpi" not in path.stem
                             else f"{path.stem.rsplit('_', 1)[-1]}.png", "path": str(shown)})
        frame = pd.DataFrame(rows, columns=EXPORT_COLUMNS)
        frame["number"] = frame["number"].astype("Int64")
        return frame


def _caption(key: str, language: str, **fields) -> str:
    return term(f"caption_{key}", language, **fields)


def _skip_reason(key: str, language: str) -> str:
    return term(f"skip_{key}", language)


def check_export(export: dict, file: str = "study file") -> list[Problem]:
    """Every problem of a study's ``export:`` section (unknown option, wrong type), as a list.

    The options and their types are declared once, by :class:`helpers.study.model.Export`.
    """
    return problems_of(Export, export, file, "export")


def _read_csv(path: Path, required: list[str], problems: list[Problem]) -> pd.DataFrame | None:
    if not path.exists():
        return None
    table = read_csv(path, keep_default_na=True, dtype={"source_id": str})  # the formula guards removed
    missing = [c for c in required if c not in table.columns]
    if missing:
        problems.append(Problem(file=str(path), column=", ".join(missing),
                                rule=f"missing column(s); this file needs at least: {', '.join(required)}"))
        return None
    return table


def _read_published(study) -> pd.DataFrame | None:
    if not study.published:
        return None
    try:
        from helpers.published import read_published
    except ImportError:  # the package's __init__ may not re-export it yet
        from helpers.published.reader import read_published
    return read_published(study.published)


def _sensitivity(results: pd.DataFrame | None) -> tuple[str, pd.DataFrame] | None:
    """Rows of the results run at several recovered bases ("… (N = 495)"), as (test name, table)."""
    if results is None or results.empty:
        return None
    pattern = re.compile(r"^(?P<name>.*?)\s*\(N = (?P<base>\d+)\)")
    rows = []
    for test, p in zip(results["test"].astype(str), pd.to_numeric(results["p_value"], errors="coerce")):
        match = pattern.match(test)
        if match and pd.notna(p):
            rows.append({"name": match["name"], "base": int(match["base"]), "p_value": float(p)})
    if not rows:
        return None
    frame = pd.DataFrame(rows)
    counts = frame.groupby("name", sort=False).size()
    several = counts[counts > 1]
    if several.empty:
        return None
    name = several.index[0]
    part = frame.loc[frame["name"] == name].drop_duplicates("base").sort_values("base")
    return name, part[_figures.SENSITIVITY_COLUMNS].reset_index(drop=True)


def _test_family(test: str) -> str:
    """The test's own name: without the analysis id and the qualifiers after a top-level comma.

    >>> _test_family("Mann–Whitney (normal approximation, ties), years as samples [bt56-change]")
    'Mann–Whitney (normal approximation, ties)'
    """
    test = re.sub(r"\s*\[[^\]]*\]$", "", test)
    depth = 0
    for index, char in enumerate(test):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            return test[:index]
    return test


def export_study(study, output_dir: str | Path) -> ExportResult:
    """Write the figures, tables and ``article.docx`` of a study into its build folder.

    Parameters
    ----------
    study : helpers.study.Study
        The loaded study; its ``language`` chooses the language of every label, number and caption.
    output_dir : str or Path
        The build folder. Read from it (each optional): ``results.csv``,
        ``published/findings.csv``, ``processed/panel.parquet``; the published tables are read
        from ``study.published``. Written: ``figures/`` (each figure as 300 and 600 dpi PNG, SVG,
        PDF), ``tables/`` (each table as DOCX, LaTeX, Markdown, HTML, XLSX, CSV) and ``article.docx``.

    Returns
    -------
    ExportResult
        The items written and skipped (with the reason), ``.files`` and ``.to_frame()``.

    Raises
    ------
    InputError
        Listing every problem at once: a bad ``export:`` option, an input file missing the
        columns it needs (the file and the columns are named).

    Examples
    --------
    >>> from helpers.study import load_study
    >>> result = export_study(load_study("binh-thuan-56"), "/tmp/build")   # doctest: +SKIP
    >>> result.to_frame()[["item", "status", "format"]].head(3)             # doctest: +SKIP
    """
    out = Path(output_dir)
    language = study.language
    options = study.export or {}
    problems = check_export(options, str(study.file))
    results = _read_csv(out / "results.csv", RESULTS_REQUIRED, problems)
    findings = _read_csv(out / "published" / "findings.csv", FINDINGS_REQUIRED, problems)
    panel = None
    panel_path = out / "processed" / "panel.parquet"
    if panel_path.exists():
        panel = pd.read_parquet(panel_path)
        missing = [c for c in PANEL_REQUIRED if c not in panel.columns]
        if missing:
            problems.append(Problem(file=str(panel_path), column=", ".join(missing),
                                    rule=f"missing column(s); the panel needs at least: {', '.join(PANEL_REQUIRED)}"))
            panel = None
    published = _read_published(study)
    if published is not None and options.get("tables"):
        unknown = [t for t in options["tables"] if t not in set(published["table_id"])]
        if unknown:
            problems.append(Problem(file=str(study.file), column="export.tables", value=unknown,
                                    rule=f"not a table id of the study's published files; known: "
                                         f"{', '.join(dict.fromkeys(published['table_id']))}"))
        published = published.loc[published["table_id"].isin(options["tables"])]
    if problems:
        raise InputError(problems, f"cannot export study '{study.name}'")
    verdict = _article.read_verdict(out)
    # with a verdict, the battery's printed formats and the figures drawn from it show only the rows the verdict
    # rests on or quotes; XLSX and CSV keep every row (the rule and where the full battery is: appendix_battery)
    battery = None if results is None else appendix_battery(results, verdict, language, study)
    shown = None if battery is None else battery.rows

    if panel is not None and len(panel):
        distribution = distribution_from_panel(panel)
        source = term("study_data", language)
    else:
        distribution = distribution_from_published(published)
        used = None if published is None else set(published["source_id"].astype(str))
        source = "; ".join(study_citations(study, language, used)[0]) or term("source_articles", language)

    items: list[ExportItem] = []
    figures_dir, tables_dir = out / "figures", out / "tables"
    # each figure is decided first (skipped with its reason, or numbered); all are drawn together below
    figure_slots: list[ExportItem | tuple[str, int, str, float]] = []
    figure_jobs: list[_parallel.FigureJob] = []

    def figure(item, caption, skip_key, draw, width_cm=SINGLE_COLUMN_CM):
        if skip_key:
            figure_slots.append(ExportItem(item, "figure", None, caption, "skipped", _skip_reason(skip_key, language)))
            return
        number = len(figure_jobs) + 1
        figure_slots.append((item, number, caption, width_cm))
        figure_jobs.append(_parallel.FigureJob(f"figure-{number}-{item}", draw))

    has_distribution = len(distribution) > 0
    figure("distribution", _caption("distribution", language),
           None if has_distribution else "no_distribution",
           lambda: _figures.plot_distribution(distribution, language))
    groups_ok = has_distribution and (distribution.groupby("year")["group"].nunique() > 1).any()
    group_years = (distribution.groupby("year")["group"].nunique() > 1).sum() if has_distribution else 0
    groups_width = "single" if group_years <= 1 else "double"
    figure("groups", _caption("groups", language), None if groups_ok else "no_groups",
           lambda: _figures.plot_groups(distribution, language, width=groups_width),
           width_cm=SINGLE_COLUMN_CM if groups_width == "single" else DOUBLE_COLUMN_CM)
    years = sorted(panel["year"].unique()) if panel is not None and len(panel) else []
    pair = options.get("transition_years") or (years[:1] + years[-1:] if len(years) > 1 else [])
    skip = "no_panel" if panel is None or not len(panel) else None if len(pair) == 2 else "no_pairs"
    if skip is None:
        paired = set(panel.loc[panel["year"] == pair[0], "unit_id"]) & set(panel.loc[panel["year"] == pair[1],
                                                                                     "unit_id"])
        skip = None if paired else "no_pairs"
    with_pilots = panel is not None and "pilot" in panel.columns and panel["pilot"].fillna(False).astype(bool).any()
    transitions_width = "double" if with_pilots else "single"
    figure("transitions", _caption("transitions", language,
                                   a=year_label(pair[0], language) if pair else "",
                                   b=year_label(pair[1], language) if pair else ""),
           skip, lambda: _figures.plot_transitions(panel, pair[0], pair[1], language, width=transitions_width),
           width_cm=SINGLE_COLUMN_CM if transitions_width == "single" else DOUBLE_COLUMN_CM)
    # the change figure leaves out a year whose source prints one level twice (data.printed_twice)
    changeable = distribution.loc[~printed_twice(distribution)] if has_distribution else distribution
    change_groups = (changeable.groupby("group")["year"].nunique() > 1) if len(changeable) else pd.Series()
    one_pair = bool(change_groups.sum() == 1) and changeable["year"].nunique() == 2
    figure("change", _caption("change", language), None if change_groups.any() else "no_change",
           lambda: _figures.plot_change(distribution, language, width="single" if one_pair else "double"),
           width_cm=SINGLE_COLUMN_CM if one_pair else DOUBLE_COLUMN_CM)
    def has_effects(frame):
        return frame is not None and (pd.to_numeric(frame["effect"], errors="coerce").notna()
                                      & ~frame["effect_name"].isin(_figures.NOT_EFFECTS)).any()

    # a figure left out because its rows are not printed says so (the rows are in the full battery)
    figure("forest", _caption("forest", language),
           None if has_effects(shown) else "no_results" if results is None
           else "effects_not_printed" if has_effects(results) else "no_effects",
           lambda: _figures.plot_forest(shown, language))
    sensitivity = _sensitivity(shown)
    figure("sensitivity", _caption("sensitivity", language,
                                   test=test_name(sensitivity[0], language) if sensitivity else ""),
           None if sensitivity else "no_results" if results is None
           else "bases_not_printed" if _sensitivity(results) else "no_bases",
           lambda: _figures.plot_base_sensitivity(sensitivity[1], language), width_cm=SINGLE_COLUMN_CM)

    table_items: list[ExportItem] = []
    article_tables: list[tuple[int, _tables.ExportTable]] = []

    def table(item, skip_key, build):
        if skip_key:
            table_items.append(ExportItem(item, "table", None, "", "skipped", _skip_reason(skip_key, language)))
            return
        number = len(article_tables) + 1
        made = build(f"table-{number}-{item}")
        paths = _tables.write_table(made, tables_dir, number)
        table_items.append(ExportItem(item, "table", number, made.caption, "written", files=paths))
        article_tables.append((number, made))

    def all_tables():
        table("descriptive", None if len(distribution) else "no_distribution",
              lambda stem: _study_tables.descriptive_table(distribution, language, source, stem))
        table("published-findings", None if findings is not None and (findings["severity"] != "info").any()
              else "no_findings",
              lambda stem: _study_tables.findings_table(
                  findings, language, stem=stem,
                  source="; ".join(study_citations(study, language, set(findings["source_id"].astype(str)))[0]),
                  citations=source_citations(study, language)))
        table("test-results", None if results is not None and len(results) else "no_results",
              lambda stem: _study_tables.results_table(results, language, stem, labels={
                  str(a.get("id")): (a.get("label") or {}).get(language, str(a.get("id"))) for a in study.analyses},
                  printed=battery.printed, left_out=battery.sentence))


    # the figures are drawn in the house style, on two cores where there are two: the tables meanwhile
    # a font fallback is said in words (a note of the result), never as a warning box in the report
    notes = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", FontFallbackWarning)
        family = resolve_font(options.get("font"))
    if any(issubclass(w.category, FontFallbackWarning) for w in caught):
        notes.append(term("note_font_fallback", language, wanted=options.get("font") or FONT_PREFERENCE[0],
                          used=family))
    with house_style(family):
        figure_files, _ = _parallel.render_figures(figure_jobs, figures_dir, meanwhile=all_tables)
    article_figures: list[tuple[int, _article.ArticleFigure]] = []
    for slot in figure_slots:
        if isinstance(slot, ExportItem):
            items.append(slot)
            continue
        item, number, caption, width_cm = slot
        paths = figure_files[number - 1]
        items.append(ExportItem(item, "figure", number, caption, "written", files=paths))
        article_figures.append((number, _article.ArticleFigure(paths[0], caption, width_cm)))
    items += table_items

    labels = {str(a.get("id")): (a.get("label") or {}).get(language, str(a.get("id"))) for a in study.analyses}
    citations, references = study_citations(
        study, language, None if published is None else set(published["source_id"].astype(str)))
    methods = _article.methods_paragraph(
        language,
        published_sources=0 if published is None else published["source_id"].nunique(),
        published_rows=0 if published is None else len(published),
        panel_units=0 if panel is None else panel["unit_id"].nunique(),
        panel_years=tuple(int(y) for y in years),
        tests=tuple(dict.fromkeys(test_name(_test_family(str(t)), language)
                                  for t, p in zip(results["test"], results["p_value"]) if pd.notna(p)))
        if results is not None else (),
        findings=0 if findings is None else int((findings["severity"] != "info").sum()),
        citations=tuple(c for c in study_citations(
            study, language, None if published is None else set(published["source_id"].astype(str)),
            parenthetical=True)[0]),
    )
    path = _article.write_article(
        out / "article.docx", study.title[language], language, methods,
        _article.results_paragraphs(results, language, labels), article_tables, article_figures,
        verdict=_article.verdict_paragraphs(verdict, language, labels), references=references)
    items.append(ExportItem("article", "article", None, study.title[language], "written", files=(path,)))
    return ExportResult(study=study.name, output_dir=out, language=language, items=tuple(items), notes=tuple(notes))
