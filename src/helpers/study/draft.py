"""``python -m helpers new-study NAME data/raw/NAME/``: a first study file proposed from the raw files.

The folder is surveyed (:func:`helpers.cleaning.survey.survey_folder`: header rows, sheets, columns
judged by their content, every distinct rating label with its level per year, the pilot file), and
``studies/NAME.yaml`` is written with comments; every guess carries a ``# XEM LẠI / REVIEW`` comment.
An existing study file is never overwritten, and nothing is written when the survey fails (no readable
table, two equally good unit-id columns, a rating column full of unknown texts).

With pilots, no analyses are written: the study answers the default claim of
:mod:`helpers.inference.designs` ("did the pilots improve more than comparable units?", from the last
year before the programme to its end) with the test its ``selection`` allows; ``selection: unknown`` is
written for review. Without pilots, one paired comparison of all units between the first and last
year; across the 2018 change of scale with a harmonised contrast (``good_or_better``), since the top
levels are not comparable.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from helpers import paths
from helpers import scales as _scales
from helpers.cleaning.survey import LabelRow, Survey, survey_folder
from helpers.errors import InputError, Problem

SCHEMA_LINE = "# yaml-language-server: $schema=study.schema.json"
REVIEW = "XEM LẠI / REVIEW"
FIELD_ORDER = ("unit_id", "year", "rating", "unit_name", "parent", "unit_type", "score")
#: Reader-facing words of this module, per language (the summary printed after new-study).
WORDS = {
    "vi": {
        "written": "Đã tạo tệp nghiên cứu {file}.",
        "tables": "Đọc {n} bảng trong {folder}: {sheets}.",
        "skipped": "Bỏ qua (không phải bảng): {files}.",
        "years": "Các năm có xếp loại: {years}; cấp đánh giá: {level}.",
        "columns": "Cột đề xuất: {columns}.",
        "labels": "{n} cách ghi xếp loại khác nhau; {known} đã nhận ra, {unknown} chưa rõ.",
        "unknown": "  chưa rõ: “{text}” ({rows} dòng) — gần nhất: {closest}{proposal}",
        "proposal": "; đề xuất {code}",
        "pilots": "Danh sách làm điểm: {file} ({roles}); các năm {start}–{end}.",
        "pilot_column": "Cột đánh dấu làm điểm trong bảng: {column}.",
        "no_pilots": "Không tìm thấy danh sách đơn vị làm điểm.",
        "analyses": "Phân tích đề xuất: {ids}.",
        "claim": "Câu hỏi chính: đơn vị làm điểm có tiến bộ hơn các đơn vị tương đương không, {before} → {after}; "
                 "cách chọn đơn vị làm điểm: chưa khai báo (cần xem lại).",
        "next": "Bước tiếp: đọc lại các dòng “# XEM LẠI” trong tệp, rồi chạy: python -m helpers check {name}",
        "organisation": "tổ chức đảng", "member": "đảng viên",
        "field": {"unit_id": "mã đơn vị", "year": "năm", "rating": "xếp loại", "unit_name": "tên",
                  "parent": "cấp trên", "unit_type": "loại hình", "score": "điểm",
                  "programme": "chương trình", "start": "năm bắt đầu", "end": "năm kết thúc"},
        "sheet_year": "năm lấy từ tên trang tính",
    },
    "en": {
        "written": "Wrote the study file {file}.",
        "tables": "Read {n} tables in {folder}: {sheets}.",
        "skipped": "Skipped (not a table): {files}.",
        "years": "Rated years: {years}; level: {level}.",
        "columns": "Proposed columns: {columns}.",
        "labels": "{n} distinct rating texts; {known} recognised, {unknown} unknown.",
        "unknown": "  unknown: “{text}” ({rows} rows) — closest: {closest}{proposal}",
        "proposal": "; proposed {code}",
        "pilots": "Pilot list: {file} ({roles}); years {start}–{end}.",
        "pilot_column": "Pilot flag column in the panel: {column}.",
        "no_pilots": "No pilot list found.",
        "analyses": "Proposed analyses: {ids}.",
        "claim": "Main question: did the pilots improve more than comparable units, {before} → {after}; "
                 "how the pilots were chosen: not declared (to review).",
        "next": "Next: review the lines marked “# XEM LẠI / REVIEW” in the file, then run: "
                "python -m helpers check {name}",
        "organisation": "party organisations", "member": "party members",
        "field": {"unit_id": "unit id", "year": "year", "rating": "rating", "unit_name": "name",
                  "parent": "parent", "unit_type": "unit type", "score": "score",
                  "programme": "programme", "start": "start year", "end": "end year"},
        "sheet_year": "year from the sheet name",
    },
}


@dataclass(frozen=True)
class Draft:
    """A proposed study file: its text, where it goes, the survey behind it and the summary lines."""

    name: str
    file: Path
    text: str
    survey: Survey
    analyses: tuple[dict, ...]

    def summary(self, language: str = "vi") -> str:
        return summary(self, language)


def _q(text) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(str(text), ensure_ascii=False)


def _years_text(years: list[int]) -> str:
    """'2014–2017, 2019' for a list of years."""
    years = sorted(years)
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)


def _headers(survey: Survey, role: str) -> list[str]:
    out: list[str] = []
    for t in survey.panel:
        h = t.roles.get(role)
        if h is not None and h not in out:
            out.append(h)
    return out


def _year_from_sheet(survey: Survey) -> list[str]:
    """Files whose tables have no year column (the year is in the sheet or file name)."""
    files = []
    for t in survey.panel:
        if "year" not in t.roles and t.file not in files:
            files.append(t.file)
    return files


def _sheets(survey: Survey) -> dict[str, list[str]]:
    """Per workbook, the sheets holding ratings when some of its sheets do not."""
    out = {}
    for file in dict.fromkeys(t.file for t in survey.tables if t.sheet is not None):
        rated = [t.sheet for t in survey.panel if t.file == file]
        others = [t.sheet for t in survey.tables if t.file == file and t not in survey.panel]
        if rated and (others or any(p.file == file and p.sheet for p in survey.problems)):
            out[file] = rated
    return out


def _slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "study"


def claim_years(survey: Survey) -> tuple[int | None, int | None]:
    """The years the default claim compares (as :mod:`helpers.inference.claims` chooses them): the last rated
    year before the programme starts, and the programme's end (or the last rated year)."""
    years, (start, end) = survey.years, survey.pilot_years
    if not years or start is None:
        return None, None
    before = max((y for y in years if y < start), default=None)
    return before, min(end if end is not None else years[-1], years[-1])


def has_pilots(survey: Survey) -> bool:
    return survey.pilot_table is not None or any("pilot" in t.roles for t in survey.panel)


def propose_analyses(survey: Survey, name: str) -> list[dict]:
    """Analyses to write: none with pilots (the default claim and its design answer "did the pilots improve
    more than comparable units?"); without pilots, the change of all units between the first and last year."""
    years = survey.years
    if has_pilots(survey) or len(years) < 2:
        return []
    first, last = years[0], years[-1]
    entry = {"id": f"{_slug(name)}-all-{first}-{last}", "question": "a", "design": "paired", "years": [first, last],
             "group": "all"}
    _contrast(entry, survey.level, first, last)
    return [entry]


def _contrast(entry: dict, level: str, a: int, b: int) -> None:
    if _scales.scale_for(a, level).id != _scales.scale_for(b, level).id:
        entry["contrast"] = "good_or_better"


def _label_comment(row: LabelRow) -> str:
    groups: dict[str, list[int]] = {}
    for year, code in row.levels.items():
        groups.setdefault("?" if code is None else code, []).append(year)
    parts = []
    for code, years in groups.items():
        shown = _years_text([y for y in years if y is not None]) or "?"
        if code.startswith("!"):
            parts.append(f"{code[1:]} of another scale in {shown}: refused, map it or correct the file")
        else:
            parts.append(f"{code} ({shown})")
    return f"#   {_q(row.text)} → {'; '.join(parts)}, {row.rows} rows" + (
        "" if row.rule in ("exact", "unknown") else f" [{row.rule}]")


def draft_text(survey: Survey, name: str, analyses: list[dict]) -> str:
    """The commented YAML text of the proposed study file."""
    folder = (str(survey.folder.relative_to(paths.ROOT)) if survey.folder.is_relative_to(paths.ROOT)
              else str(survey.folder))
    lines = [SCHEMA_LINE,
             f"# Proposed by `python -m helpers new-study {name} {folder}/` from the files of {folder}/.",
             f"# Every line marked `# {REVIEW}` is a guess: read it, correct it if needed, then run",
             f"# `python -m helpers check {name}` (it lists every problem with its fix) and `python -m helpers run {name}`.",
             "title:",
             f"  vi: {_q('Nghiên cứu ' + name)}   # {REVIEW}: tên nghiên cứu",
             f"  en: {_q('Study ' + name)}",
             "language: vi",
             "notebooks: [01-clean, 03-test-pilots, 04-export]" if analyses or has_pilots(survey) else "notebooks: [01-clean, 04-export]",
             "panel:",
             f"  level: {survey.level}   # {REVIEW}: organisation (tổ chức đảng) or member (đảng viên)",
             f"  years: [{survey.years[0]}, {survey.years[-1]}]   # the years found in the files",
             "  files:"]
    for file in dict.fromkeys(t.file for t in survey.panel):
        sheets = [t for t in survey.panel if t.file == file]
        where = ", ".join(f"'{t.sheet}' header row {t.header_row}" if t.sheet else f"header row {t.header_row}"
                          for t in sheets)
        lines.append(f"    - {_q(file)}   # {sum(t.n_rows for t in sheets)} rows; {where}")
    sheets = _sheets(survey)
    if sheets:
        lines.append(f"  sheets:   # {REVIEW}: only the sheets that hold ratings")
        for file, names in sheets.items():
            lines.append(f"    {_q(file)}: [{', '.join(_q(s) for s in names)}]")
    yfs = _year_from_sheet(survey)
    if yfs:
        lines.append(f"  year_from_sheet: [{', '.join(_q(f) for f in yfs)}]   # {REVIEW}: no year column; "
                     "the year is in each sheet's name")
    lines.append(f"  columns:   # {REVIEW}: chosen from the content of each column")
    for role in FIELD_ORDER:
        headers = _headers(survey, role)
        if not headers:
            continue
        value = _q(headers[0]) if len(headers) == 1 else "[" + ", ".join(_q(h) for h in headers) + "]"
        lines.append(f"    {role}: {value}")
    unmapped = sorted({h for t in survey.panel for h in t.columns if h not in t.roles.values()})
    if unmapped:
        lines.append(f"    # not used: {', '.join(_q(h) for h in unmapped)}")
    unknown = [r for r in survey.labels if r.rule == "unknown"]
    proposed = [r for r in unknown if r.proposal]
    if proposed or unknown:
        lines.append(f"  labels:   # {REVIEW}: typed labels that are not known; each mapped to a level code")
        for r in unknown:
            near = ", ".join(f"{label} ({score:.2f})" for score, label in r.closest)
            if r.proposal:
                lines.append(f"    {_q(r.text)}: {r.proposal}   # {REVIEW}: {r.rows} rows; closest {near}")
            else:
                lines.append(f"    # {_q(r.text)}: ?   # {REVIEW}: {r.rows} rows, no close label (closest {near}); "
                             "give its level code or correct the file")
    if survey.id_changes:
        lines.append(f"  unit_ids:   # {REVIEW}: same name and parent, one id ends the year before the other starts")
        lines += [f"    {_q(old)}: {_q(new)}" for old, new in survey.id_changes]
    lines.append("  # Every distinct rating text, the level it maps to per year, and how it was recognised:")
    lines += ["  " + _label_comment(r) for r in survey.labels]
    pilot_flag = _headers(survey, "pilot")
    selection = [f"    selection: unknown   # {REVIEW}: how were the pilots chosen? unknown (nobody wrote it down),",
                 "    #   random (drawn by lot), or {on: rating, years: [...], rule: \"...\"} (chosen by their ratings"
                 " of those years); the verdict's test depends on it"]
    if survey.pilot_table is not None:
        t, roles = survey.pilot_table, survey.pilot_roles
        cols = ", ".join(f"{k}: {_q(v)}" for k, v in roles.items())
        lines += [f"  pilots:   # {REVIEW}: the pilot list, found because its ids are ids of the panel",
                  f"    file: {_q(t.file)}" + (f"   # sheet '{t.sheet}'" if t.sheet else ""),
                  f"    columns: {{{cols}}}"] + selection
    elif pilot_flag:
        lines += [f"  pilots:   # {REVIEW}: a column of pilot flags (x, có, 1)",
                  f"    column: {_q(pilot_flag[0])}"] + selection
    else:
        lines.append("  # pilots: none found (a pilot list is a table of unit ids, or a column of flags x/có/1)")
    if has_pilots(survey):
        before, after = claim_years(survey)
        span = f"from {before} (the last rated year before the programme) to {after} (its end)" if before else \
            "over the years the pilot list gives"
        lines += ["# No claims: and no analyses: written: the study answers the default claim, \"did the pilots improve",
                  f"# more than comparable units?\", {span}, with the test its selection allows. To change",
                  f"# the years ({REVIEW}):",
                  "# claims:",
                  f"#   - {{id: pilots-improved-more, from: {before or 'YEAR'}, to: {after or 'YEAR'}}}"]
    if analyses:
        lines.append(f"analyses:   # {REVIEW}: proposed from the years (no pilot list was found)")
        for e in analyses:
            lines.append(f"  - id: {e['id']}")
            for key in ("question", "design", "years", "year", "group", "contrast"):
                if key in e:
                    value = e[key]
                    text = "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list) else str(value)
                    note = ("   # the two years use different scales: compare good-or-better only"
                            if key == "contrast" else "")
                    lines.append(f"    {key}: {text}{note}")
    return "\n".join(lines) + "\n"


def draft_study(name: str, folder: str | Path | None = None) -> Draft:
    """Survey ``folder`` (default ``data/raw/NAME/``) and build the study file for ``name`` (nothing is written).

    Raises
    ------
    InputError
        The study file exists already, the name is not a plain file name, or the survey fails.
    """
    file = paths.STUDIES / f"{name}.yaml"
    shown = str(file.relative_to(paths.ROOT)) if file.is_relative_to(paths.ROOT) else str(file)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]*", name):
        raise InputError([Problem(file=shown, value=name, rule="a study name is letters, digits, '-', '_' or '.'")],
                         "bad study name")
    if file.exists():
        raise InputError([Problem(file=shown, rule="the study file exists already: it is never overwritten; "
                                  "choose another name or delete the file")], "the study file exists")
    survey = survey_folder(paths.DATA_RAW / name if folder is None else folder)
    analyses = propose_analyses(survey, name)
    return Draft(name=name, file=file, text=draft_text(survey, name, analyses), survey=survey,
                 analyses=tuple(analyses))


def write_draft(draft: Draft) -> Path:
    """Write the study file; refuse when it exists (checked again at the moment of writing)."""
    draft.file.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(draft.file, "x", encoding="utf-8") as fh:
            fh.write(draft.text)
    except FileExistsError:
        shown = draft.file.name
        raise InputError([Problem(file=shown, rule="the study file exists already: it is never overwritten")],
                         "the study file exists") from None
    return draft.file


def summary(draft: Draft, language: str = "vi") -> str:
    """A short summary of what was found, in ``language``."""
    w = WORDS[language]
    s = draft.survey
    rel = lambda p: str(p.relative_to(paths.ROOT)) if p.is_relative_to(paths.ROOT) else str(p)  # noqa: E731
    sheets = ", ".join(t.where for t in s.tables)
    lines = [w["written"].format(file=rel(draft.file)),
             w["tables"].format(n=len(s.tables), folder=rel(s.folder), sheets=sheets)]
    if s.skipped:
        lines.append(w["skipped"].format(files=", ".join(s.skipped)))
    lines.append(w["years"].format(years=_years_text(s.years), level=w[s.level]))
    columns = []
    for role in FIELD_ORDER:
        headers = _headers(s, role)
        if headers:
            columns.append(f"{w['field'][role]} = " + " / ".join(f"“{h}”" for h in headers))
    if _year_from_sheet(s):
        columns.append(w["sheet_year"])
    lines.append(w["columns"].format(columns="; ".join(columns)))
    unknown = [r for r in s.labels if r.rule == "unknown"]
    lines.append(w["labels"].format(n=len(s.labels), known=len(s.labels) - len(unknown), unknown=len(unknown)))
    for r in unknown:
        lines.append(w["unknown"].format(text=r.text, rows=r.rows, closest=", ".join(l for _, l in r.closest),
                                         proposal=w["proposal"].format(code=r.proposal) if r.proposal else ""))
    if s.pilot_table is not None:
        roles = ", ".join(f"{w['field'][k]} = “{v}”" for k, v in s.pilot_roles.items())
        lines.append(w["pilots"].format(file=s.pilot_table.where, roles=roles, start=s.pilot_years[0] or "?",
                                        end=s.pilot_years[1] or "?"))
    elif _headers(s, "pilot"):
        lines.append(w["pilot_column"].format(column=_headers(s, "pilot")[0]))
    else:
        lines.append(w["no_pilots"])
    if has_pilots(s):
        before, after = claim_years(s)
        lines.append(w["claim"].format(before=before or "?", after=after or "?"))
    if draft.analyses:
        lines.append(w["analyses"].format(ids=", ".join(a["id"] for a in draft.analyses)))
    lines.append(w["next"].format(name=draft.name))
    return "\n".join(lines)


def new_study(name: str, folder: str | Path | None = None) -> Draft:
    """Survey, write ``studies/NAME.yaml`` and return the draft (print ``draft.summary(language)``)."""
    draft = draft_study(name, folder)
    write_draft(draft)
    return draft
