"""The audit of all published tables: findings, a summary per article, recovered bases.

:func:`check_published` maps :func:`helpers.published.checks.check_table` over
every table read by :func:`helpers.published.read_published` and gathers the
results in a :class:`PublishedAudit`.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import pandas as pd

from helpers import paths
from helpers.published.checks import FINDING_COLUMNS, check_table
from helpers.published.reader import ENCODING_NAMES, PUBLISHED_COLUMNS
from helpers.published.rounding import DEFAULT_SCHEMES, check_schemes
from helpers.tabular import csv_bytes

#: Columns of the audit summary (one row per article).
SUMMARY_COLUMNS = [
    "source_id", "files", "encodings", "n_tables", "n_numbers", "n_checked", "n_unchecked", "n_errors",
    "n_warnings", "n_info", "n_undetectable", "verdict_vi", "verdict_en",
]


_PLAIN = (str, int, bool)


def _clean(value):
    if value is None or type(value) in _PLAIN:
        return value
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()
    return value


def _json_default(value):
    value = _clean(value)
    if value is None:
        return None
    return str(value)


@dataclass(frozen=True)
class PublishedAudit:
    """Everything the published-number checker found.

    Attributes
    ----------
    findings : pandas.DataFrame
        One row per finding, columns :data:`FINDING_COLUMNS` (source_id, table_id,
        year, category, check, severity ∈ error|warning|info, printed, expected,
        schemes — the rounding schemes that reproduce it, ';'-joined —,
        message_vi, message_en, file, row, grim_probability — for a
        percentage, the share of printable values its base would catch as
        inconsistent (:func:`helpers.published.rounding.grim_probability`),
        else empty). A ``hidden_sheet`` warning has no source_id or table_id.
    summary : pandas.DataFrame
        One row per article, columns :data:`SUMMARY_COLUMNS`.
    denominators : list of dict
        Per table whose base was recovered: source_id, table_id, year,
        categories, percents, exhaustive, max_base, n_candidates,
        every_base_fits_from, candidates (list of {base, counts: {category: n},
        schemes}).
    encodings : dict
        File → encoding it was read in.
    """

    findings: pd.DataFrame
    summary: pd.DataFrame
    denominators: list = field(default_factory=list)
    encodings: dict = field(default_factory=dict)

    @property
    def has_errors(self) -> bool:
        return bool((self.findings["severity"] == "error").any())

    @property
    def exit_code(self) -> int:
        """0 when no finding is an error, 1 otherwise (the CLI's exit code)."""
        return 1 if self.has_errors else 0

    def to_frame(self) -> pd.DataFrame:
        """The findings table."""
        return self.findings.copy()

    def to_dict(self) -> dict:
        """``{"findings": [...], "denominators": [...], "summary": [...]}`` with plain JSON values."""
        findings = [{k: _clean(v) for k, v in row.items()} for row in self.findings.to_dict("records")]
        summary = [{k: _clean(v) for k, v in row.items()} for row in self.summary.to_dict("records")]
        return {"findings": findings, "denominators": self.denominators, "summary": summary}

    def to_json(self, indent: int | None = 2) -> str:
        """The audit as one JSON object (see :meth:`to_dict`)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent, default=_json_default)

    def save(self, directory: str | Path) -> dict[str, Path]:
        """Write findings.csv, summary.csv and denominators.json into ``directory``.

        Each file is written to a temporary name and moved into place, so a
        failure never leaves a half-written file. Returns the paths by name.
        """
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        out = {}
        for name, writer in (
            ("findings.csv", lambda f: f.write(csv_bytes(self.findings).decode("utf-8"))),  # guarded, with BOM
            ("summary.csv", lambda f: f.write(csv_bytes(self.summary).decode("utf-8"))),
            ("denominators.json", lambda f: f.write(json.dumps(self.denominators, ensure_ascii=False, indent=2,
                                                                 default=_json_default))),
        ):
            temp = paths.temporary_beside(directory / name)
            try:
                with open(temp, "w", encoding="utf-8", newline="") as f:
                    writer(f)
                os.replace(temp, directory / name)
            except BaseException:
                Path(temp).unlink(missing_ok=True)
                raise
            out[name] = directory / name
        return out


def _records(table: pd.DataFrame) -> list[dict]:
    missing = [c for c in PUBLISHED_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"'table' must be the result of read_published(); columns missing: {', '.join(missing)}.")
    columns = {}
    for column in PUBLISHED_COLUMNS:
        values = table[column]
        if column == "percent":
            columns[column] = [None if v is None or (isinstance(v, float) and v != v) else v for v in values]
        else:
            mask = values.isna().tolist()
            columns[column] = [None if m else _clean(v) for v, m in zip(values.astype(object).tolist(), mask)]
    records = [dict(zip(PUBLISHED_COLUMNS, row)) for row in zip(*columns.values())]
    for r in records:
        r["is_total"] = bool(r["is_total"])
        r["cumulative"] = bool(r["cumulative"])
    return records


def check_published(table: pd.DataFrame, schemes: Sequence[str] = DEFAULT_SCHEMES,
                    max_base: int = 100_000) -> PublishedAudit:
    """Check every count, total and percentage of the published tables.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`helpers.published.read_published`.
    schemes : sequence of str
        Rounding schemes tried (default: half up, half to even, half down,
        truncation, ceiling; half up and half to even are the accepted ones,
        the others give warnings naming the scheme; ``up_or_down`` may be
        added, as scrutiny's default).
    max_base : int
        Largest base tried when a table's base must be recovered.

    Returns
    -------
    PublishedAudit

    Examples
    --------
    >>> from helpers.paths import raw_path
    >>> from helpers.published import read_published
    >>> audit = check_published(read_published(raw_path("published/004-trang-dinh.csv")))
    >>> audit.findings.query("severity == 'error'")["expected"].dropna().iloc[0]
    '54,84%'
    """
    schemes = check_schemes(schemes)
    records = _records(table)
    tables: dict[tuple, list[dict]] = {}
    for r in records:
        tables.setdefault((r["source_id"], r["table_id"]), []).append(r)
    findings, denominators, checked = [], [], set()
    for rows in tables.values():
        result = check_table(rows, schemes, max_base)
        findings.extend(result.findings)
        denominators.extend(result.denominators)
        checked |= result.checked_rows
    findings.extend(_hidden_sheet_findings(table.attrs.get("hidden_sheets", [])))
    frame = pd.DataFrame(findings, columns=FINDING_COLUMNS)
    frame["year"] = pd.array(frame["year"].tolist(), dtype="Int64")
    frame["row"] = pd.array(frame["row"].tolist(), dtype="Int64")
    encodings = dict(table.attrs.get("encodings", {}))
    summary = _summary(records, frame, checked, encodings, tables)
    return PublishedAudit(findings=frame, summary=summary, denominators=denominators, encodings=encodings)


def _hidden_sheet_findings(hidden: list) -> list[dict]:
    """One warning per hidden sheet of a workbook that holds a table (those sheets are not read)."""
    out = []
    for entry in hidden:
        file, sheet = entry["file"], entry["sheet"]
        out.append({
            "source_id": None, "table_id": None, "year": None, "category": None, "check": "hidden_sheet",
            "severity": "warning", "printed": sheet, "expected": None, "schemes": "",
            "message_vi": f"Trang tính ẩn “{sheet}” của tệp {Path(file).name} có một bảng số liệu; trang ẩn không "
                          f"được đọc — hãy hiện trang đó nếu bảng cần được kiểm tra.",
            "message_en": f"The hidden sheet “{sheet}” of {Path(file).name} holds a table; hidden sheets are not "
                          f"read — unhide it if the table should be checked.",
            "file": file, "row": None, "grim_probability": None,
        })
    return out


def _summary(records, findings, checked, encodings, tables) -> pd.DataFrame:
    rows = []
    by_source: dict = {}
    for r in records:
        by_source.setdefault(r["source_id"], []).append(r)
    tally: dict = {}
    for source, severity, check in zip(findings["source_id"].tolist(), findings["severity"].tolist(),
                                       findings["check"].tolist()):
        mine_tally = tally.setdefault(source, {"error": 0, "warning": 0, "info": 0, "detectability": 0})
        mine_tally[severity] += 1
        mine_tally["detectability"] += check == "detectability"
    for source, mine in by_source.items():
        numbers = [r for r in mine if r["count_printed"] or r["percent_printed"]]
        n_checked = sum((r["file"], r["row"]) in checked for r in numbers)
        counts = tally.get(source, {"error": 0, "warning": 0, "info": 0, "detectability": 0})
        undetectable = counts["detectability"]
        files = sorted({r["file"] for r in mine})
        if counts["error"]:
            vi = f"{counts['error']} lỗi: có số in ra không tái tạo được."
            en = f"{counts['error']} error(s): some printed numbers cannot be reproduced."
        elif counts["warning"]:
            vi = (f"Không có lỗi; {counts['warning']} cảnh báo (số chỉ khớp theo một cách đọc khác thường, "
                  f"hoặc một danh sách có thể chưa đủ).")
            en = (f"No errors; {counts['warning']} warning(s) (numbers reproduced only under an unusual reading, "
                  f"or a list that may be incomplete).")
        elif n_checked == 0:
            vi = "Không có số nào kiểm tra được (không có tổng, mẫu số hay tỉ lệ để đối chiếu)."
            en = "No number could be checked (no total, base or percentage to compare with)."
        else:
            vi, en = "Mọi số kiểm tra được đều khớp.", "Every checkable number is reproduced."
        rows.append({
            "source_id": source, "files": ";".join(Path(x).name for x in files),
            "encodings": ";".join(ENCODING_NAMES.get(encodings.get(x, ""), encodings.get(x, "")) for x in files),
            "n_tables": sum(1 for key in tables if key[0] == source), "n_numbers": len(numbers),
            "n_checked": n_checked, "n_unchecked": len(numbers) - n_checked, "n_errors": counts["error"],
            "n_warnings": counts["warning"], "n_info": counts["info"], "n_undetectable": undetectable,
            "verdict_vi": vi, "verdict_en": en,
        })
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
