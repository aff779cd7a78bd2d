"""How well the extractor reads: recall and precision against rows a person transcribed.

A row is *found* when an extracted row has the same rating level (or is a total), the
same count and percentage as printed, the same level of unit, and — when the expected
row has one — the same base ("count and percentage in the same row, right level",
issue 15). Matching is one to one.

Two sources of expected rows:

* ``tests/fixtures/extract/paragraphs.yaml``: real paragraphs (with their urls) and
  distractors, each with rows written by hand before the extractor saw them
  (:func:`load_cases`);
* the hand-typed tables of the five seed articles (``data/raw/published/*.csv``): the
  rows of every table that holds a rating, less the tables of targets, which the
  extractor must not return (:func:`seed_cases`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

SCORE_COLUMNS = ["case", "split", "kind", "n_expected", "n_extracted", "n_found", "n_composition", "missed", "extra"]
#: Rows of a composition of units ("71 tổ chức cơ sở đảng, trong đó 25 …") are not rating numbers: not scored,
#: counted apart.
COMPOSITION = "a composition of units"


@dataclass(frozen=True)
class Case:
    """One paragraph or article with the rows a careful reader transcribes."""

    id: str
    text: str
    rows: tuple[tuple, ...]
    split: str = "tune"
    kind: str = "rating"
    url: str = ""
    year: int | None = None
    must_not: str | None = None


@dataclass(frozen=True)
class Score:
    """Per-case results and the totals.

    Attributes
    ----------
    cases : pandas.DataFrame
        Columns :data:`SCORE_COLUMNS` (missed/extra: the unmatched keys, ``;``-joined).
    """

    cases: pd.DataFrame

    def _part(self, split=None, kind=None):
        frame = self.cases
        if split is not None:
            frame = frame[frame["split"] == split]
        if kind is not None:
            frame = frame[frame["kind"] == kind]
        return frame

    def recall(self, split=None) -> float:
        part = self._part(split, "rating")
        return part["n_found"].sum() / max(part["n_expected"].sum(), 1)

    def precision(self, split=None) -> float:
        part = self._part(split, "rating")
        return part["n_found"].sum() / max(part["n_extracted"].sum(), 1)

    def distractor_rows(self, split=None) -> int:
        return int(self._part(split, "distractor")["n_extracted"].sum())


def _key_of(category: str, count: str, percent: str, level: str, year) -> tuple:
    from helpers.published.reader import is_total_label, rating_of

    unit = "member" if level == "đảng viên" else "organisation"
    match = rating_of(category, int(year) if str(year).isdigit() else None, unit)
    if match is not None:
        code = match.code + ("+" if match.cumulative else "")
    elif is_total_label(category):
        code = "TOTAL"
    else:
        code = "OTHER"
    return code, count or "", percent or "", level or ""


def parse_row(text: str) -> tuple:
    """``"CODE|count|percent|base|level"`` → (code, count, percent, level, base)."""
    code, count, percent, base, level = (part.strip() for part in text.split("|"))
    return code, count, percent, level, base


def load_cases(path: str | Path) -> list[Case]:
    """The cases of a ``paragraphs.yaml`` file (see its header for the format)."""
    from helpers.paths import read_yaml

    raw = read_yaml(Path(path))
    return [Case(id=c["id"], text=c["text"], rows=tuple(parse_row(r) for r in c.get("rows") or []),
                 split=c.get("split", "tune"), kind=c.get("kind", "rating"), url=c.get("url") or "",
                 year=c.get("year"), must_not=c.get("must_not")) for c in raw["cases"]]


def seed_cases(seed_folder: str | Path, tables_folder: str | Path) -> list[Case]:
    """The five seed articles with the rating-table rows of their hand-typed CSVs (targets left out)."""
    import csv

    cases = []
    for article in sorted(Path(seed_folder).glob("*.txt")):
        table = Path(tables_folder) / f"{article.stem}.csv"
        rows = list(csv.DictReader(table.open(encoding="utf-8")))
        keyed = [(r, _key_of(r["category"], r["count"], r["percent"], r["level"], r["year"])) for r in rows]
        rating_tables = {r["table_id"] for r, key in keyed if key[0] not in ("TOTAL", "OTHER")}
        expected = tuple(key + (r["base"],) for r, key in keyed
                         if r["table_id"] in rating_tables and "target" not in r["table_id"]
                         and key[0] != "OTHER")
        cases.append(Case(id=article.stem, text=article.read_text(encoding="utf-8"), rows=expected,
                          split="seed", kind="rating" if expected else "distractor"))
    return cases


def score_cases(cases: list[Case]) -> Score:
    """Extract every case and match its rows to the expected ones."""
    from helpers.published.extract.draft import extract_text

    records = []
    for case in cases:
        draft = extract_text(case.text, source_id=case.id, year=case.year)
        scored = draft.rows[~draft.rows["reason"].str.contains(COMPOSITION, regex=False)]
        got = [(_key_of(r.category, r.count, r.percent, r.level, r.year), r.base) for r in scored.itertuples()]
        used = [False] * len(got)
        missed = []
        for code, count, percent, level, base in case.rows:
            index = next((i for i, (key, b) in enumerate(got) if not used[i]
                          and key == (code, count, percent, level) and (not base or b == base)), None)
            if index is None:
                missed.append("|".join((code, count, percent, base, level)))
            else:
                used[index] = True
        extra = ["|".join(key[:3] + (b, key[3])) for (key, b), u in zip(got, used) if not u]
        records.append({"case": case.id, "split": case.split, "kind": case.kind, "n_expected": len(case.rows),
                        "n_extracted": len(got), "n_found": sum(used),
                        "n_composition": len(draft.rows) - len(scored), "missed": "; ".join(missed),
                        "extra": "; ".join(extra)})
    return Score(pd.DataFrame(records, columns=SCORE_COLUMNS))
