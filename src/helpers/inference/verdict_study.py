"""A whole study's verdict: its claims and analyses run together, results.csv and verdict.json written.

:func:`run_study` runs a study's claims (:mod:`helpers.inference.claims`, or
:mod:`helpers.inference.published_claims` without a panel) beside its ``analyses:``
(:mod:`helpers.inference.battery`), keeps the analyses biased under the study's design outside
the Holm family (:mod:`helpers.inference.designs`), and judges each claim with
:mod:`helpers.inference.verdict` (the only module that words a conclusion). The schema of
verdict.json is in :mod:`helpers.inference.verdict`. :func:`verdict_markdown` and
:func:`balance_frame` show them at the top of notebook 03.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers import paths
from helpers.inference import designs
from helpers.inference.claims import ClaimOutcome, run_claim
from helpers.inference.results import RESULT_COLUMNS, Reason, result_row, rows_to_frame
from helpers.inference.verdict import PRIMARY_TEST, cannot_tell_entry, headline, judge
from helpers.tabular import write_csv


@dataclass(frozen=True)
class StudyVerdict:
    """The results table (claims' rows included), verdict.json's content and each claim's balance table."""

    results: pd.DataFrame
    verdict: dict
    balance: pd.DataFrame

    def write(self, output_dir) -> dict:
        """Write results.csv and verdict.json into ``output_dir`` atomically; return name → path."""
        out = Path(output_dir)
        out.mkdir(parents=True, exist_ok=True)
        files = {"results.csv": out / "results.csv", "verdict.json": out / "verdict.json"}
        write_csv(self.results, files["results.csv"])  # guarded against formula injection, UTF-8 with BOM
        text = json.dumps(self.verdict, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
        paths.write_atomic(files["verdict.json"], text.encode("utf-8"))
        return files


def _panel_judge(selection: designs.Selection):
    def judge_entry(entry):
        made = designs.analysis_comparison(entry)
        return designs.bias(made[0], selection, made[1]) if made else None
    return judge_entry


def run_study(study, output_dir) -> StudyVerdict:
    """Run ``study``'s claims and analyses; return the table, the verdict and the balance tables.

    Reads ``output_dir/processed/panel.parquet`` when the study has a panel (notebook 01
    writes it). Never raises on data the claims cannot answer: such a claim is "cannot tell",
    with why.

    Raises
    ------
    InputError
        When the study file's ``analyses``, ``claims`` or ``selection`` have problems.
    """
    from helpers.errors import InputError
    from helpers.inference.battery import run_analyses
    from helpers.inference.published_claims import change_claim, published_claim

    problems = designs.check_design(study.raw, study.file)
    if problems:
        raise InputError(problems, f"the design of study {study.name} has problems")
    selection = designs.read_selection(study.panel)
    claims = designs.read_claims(study.raw)
    panel_file = Path(output_dir) / "processed" / "panel.parquet"
    has_pilots = bool(study.panel and study.panel.get("pilots"))
    outcomes: list[ClaimOutcome] = []
    entries: list[dict] = []
    if study.panel is not None and panel_file.exists():
        panel = pd.read_parquet(panel_file)
        for c in claims:
            try:
                outcomes.append(run_claim(panel, c, selection, study.name))
            except (ValueError, KeyError, IndexError, TypeError) as exc:
                entries.append(cannot_tell_entry(c, Reason(f"phân tích gặp lỗi ({type(exc).__name__}: {exc})",
                                                           f"the analysis failed ({type(exc).__name__}: {exc})")))
    elif study.panel is not None:
        reason = Reason("chưa có bảng dữ liệu từng đơn vị (processed/panel.parquet): chạy bước 01-clean trước",
                        "there is no unit-level panel yet (processed/panel.parquet): run step 01-clean first")
        entries = [cannot_tell_entry(c, reason) for c in claims]
    judge_entry = _panel_judge(selection) if (has_pilots or study.panel is None) else None
    extra = [(o.rows, 0 if o.primary_ran else None) for o in outcomes if len(o.rows)]
    table = run_analyses(study, output_dir, judge=judge_entry, extra_rows=extra)
    if study.panel is None:
        entries = [change_claim(study, c, table) if c.kind == "ratings-changed" else published_claim(study, c, table)
                   for c in claims]
    for o in outcomes:
        primary = None
        p_decision = None
        if o.primary_ran:
            primary = o.rows["test"].iloc[0]
            hit = table[table["test"] == primary]
            p_decision = float(hit["p_adjusted"].iloc[0]) if len(hit) else None
        entries.append(judge(o, p_decision, primary))
    vi, en = headline(entries)
    balance = pd.concat([o.balance.assign(claim=o.claim.id) for o in outcomes], ignore_index=True) if outcomes \
        else pd.DataFrame()
    # claims first in results.csv; a claim whose primary test could not run is a row saying why
    refused = [result_row(study.name, "d", f"{PRIMARY_TEST} [{e['id']}]", note=Reason(e["sentence_vi"], e["sentence_en"]),
                          text=Reason(e["sentence_vi"], e["sentence_en"]))
               for e in entries if e["primary_test"] is None]
    is_claim = table["test"].str.endswith(tuple(f"[{c.id}]" for c in claims)) if len(table) else \
        pd.Series([], dtype=bool)
    table = pd.concat([rows_to_frame(refused), table[is_claim], table[~is_claim]],
                      ignore_index=True)[RESULT_COLUMNS]
    return StudyVerdict(results=table, verdict={"headline_vi": vi, "headline_en": en, "claims": entries},
                        balance=balance)


def verdict_markdown(verdict: dict, language: str = "vi") -> str:
    """The verdict as Markdown for the top of notebook 03 (headline, then each claim's caveats)."""
    key = "vi" if language == "vi" else "en"
    title = "Kết luận" if key == "vi" else "Verdict"
    caveat = "Lưu ý" if key == "vi" else "Caveats"
    lines = [f"## {title}", "", f"**{verdict[f'headline_{key}']}**", ""]
    for entry in verdict["claims"]:
        if entry[f"sentence_{key}"] != verdict[f"headline_{key}"]:
            lines += [entry[f"sentence_{key}"], ""]
        if entry["caveats"]:
            lines += [f"*{caveat}:*", ""] + [f"- {c[key]}" for c in entry["caveats"]] + [""]
    return "\n".join(lines)


def balance_frame(balance: pd.DataFrame, language: str = "vi") -> pd.DataFrame:
    """The pre-programme balance table with reader-facing headers (shares as percentages)."""
    if balance.empty:
        return balance
    names = {"vi": ["năm", "số đơn vị làm điểm", "số đơn vị khác", "bậc TB làm điểm", "bậc TB đơn vị khác",
                    "% HTTNV trở lên (làm điểm)", "% HTTNV trở lên (đơn vị khác)", "p"],
             "en": ["year", "pilots", "other units", "mean step, pilots", "mean step, others",
                    "% HTTNV or better (pilots)", "% HTTNV or better (others)", "p"]}["vi" if language == "vi" else "en"]
    out = balance.drop(columns=["claim"], errors="ignore").copy()
    for col in ("good_or_better_pilots", "good_or_better_rest"):
        out[col] = 100 * out[col]
    out.columns = names
    return out
