"""The ``panel:`` section of a study file: its check, and how its settings are read per file.

:func:`check_panel_config` lists every problem of the section (keys, required columns, years,
files, labels, pilots) before any data file is read; the small readers below give the accepted
headers of each field, the sheets to read and whether the year is in the sheet names, for
:mod:`helpers.cleaning.panel` (which documents the section) and :mod:`helpers.cleaning.check`.
"""

from __future__ import annotations

from pathlib import Path

from helpers import paths
from helpers import scales as _scales
from helpers.cleaning.labels import match_label
from helpers.errors import Problem
from helpers.study import model as _model
from helpers.study.model import problems_of


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value] if isinstance(value, list) else []


def check_panel_config(panel: dict, study_file: str | Path) -> list[Problem]:
    """Every problem of a study's ``panel:`` section; [] when it is fine.

    The shape, types, allowed values and unknown keys come from the declared model
    (:class:`helpers.study.model.Panel`). Checked here, because they need the files, the rating
    scales or several fields: the years in order, every listed file exists under data/raw/ and is a
    table, ``year_from_sheet`` and ``sheets`` name listed files, a ``year`` column unless every file
    takes its year from its sheet names, label targets are known levels, pilots given by a file or a
    column (not both) and the pilot file exists with a ``unit_id`` column.
    """
    file = str(study_file)

    def bad(key, rule, value=None):
        problems.append(Problem(file=file, column=f"panel.{key}", kind="field", value=value, rule=rule))

    if not isinstance(panel, dict) or not panel:
        return [Problem(file=file, column="panel", kind="field", value=panel,
                        rule="must be a mapping with level, years, files and columns (see helpers.cleaning.panel)")]
    problems = [p for p in problems_of(_model.Panel, _model.yaml11_panel(panel), file, "panel")
                if not str(p.column).startswith("panel.pilots.selection")]   # said by designs.check_design
    said = {p.column for p in problems}
    years = panel.get("years")
    if "panel.years" not in said and not any(str(c).startswith("panel.years[") for c in said) \
            and isinstance(years, list) and len(years) == 2 and years[0] > years[1]:
        bad("years", "must be [first year, last year], two integers in order", years)
    files = panel.get("files")
    files = files if isinstance(files, list) and all(isinstance(f, str) for f in files) else []
    for f in files:
        path = paths.raw_path(f)
        if not path.exists():
            bad("files", "file does not exist under data/raw/", f)
        elif path.suffix.lower() not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm"):
            bad("files", "unsupported file type; use .csv or .xlsx", f)
    yfs = panel.get("year_from_sheet", False)
    if isinstance(yfs, list) and not all(f in files for f in yfs):
        bad("year_from_sheet", "must be true/false or a list of files from panel.files", yfs)
    sheets = panel.get("sheets")
    if isinstance(sheets, dict) and not all(k in files for k in sheets):
        bad("sheets", "must be a list of sheet names or a mapping {file: [sheet names]} of files from panel.files",
            sheets)
    columns = panel.get("columns") if isinstance(panel.get("columns"), dict) else {}
    if "panel.columns" not in said and "year" not in columns and not (
            files and all(_year_from_sheet(panel, f) and paths.raw_path(f).suffix.lower().startswith(".xls")
                          for f in files)):
        bad("columns.year", "required field missing: give the header text of this column, or take the year "
                            "from the sheet names (year_from_sheet)")
    labels = panel.get("labels") if isinstance(panel.get("labels"), dict) else {}
    codes = {lv.code for s in _scales.load_scales().values() for lv in s.levels} if labels else set()
    for text, target in labels.items():
        if isinstance(target, str) and target not in codes and match_label(target) is None:
            bad(f"labels.{text}", f"must be a level code ({', '.join(sorted(codes))}) or a known label", target)
    pilots = panel.get("pilots")
    if isinstance(pilots, dict):
        if ("file" in pilots) == ("column" in pilots):
            bad("pilots", "must be {file: ..., columns: {...}} or {column: ...}", pilots)
        elif isinstance(pilots.get("file"), str):
            if not paths.raw_path(pilots["file"]).exists():
                bad("pilots.file", "file does not exist under data/raw/", pilots["file"])
            if "columns" not in pilots:
                bad("pilots.columns", "must map at least unit_id to its header")
    return problems


def _columns(mapping: dict) -> dict[str, list[str]]:
    return {k: _as_list(v) for k, v in (mapping or {}).items()}


def _year_from_sheet(panel: dict, file: str) -> bool:
    yfs = panel.get("year_from_sheet", False)
    return yfs is True or (isinstance(yfs, list) and file in yfs)


def _sheets(panel: dict, file: str):
    sheets = panel.get("sheets")
    if isinstance(sheets, dict):
        sheets = sheets.get(file)
    return [str(s) for s in sheets] if sheets else None
