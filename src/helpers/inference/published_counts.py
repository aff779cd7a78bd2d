"""Counts per common rating level of one published table (``published:`` files of a study)."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from helpers.inference.results import Reason
from helpers.scales import COMMON_ORDER, scale_for


@dataclass(frozen=True)
class PublishedCounts:
    """Counts of one published table in the common order (fail, pass, good, top)."""

    table_id: str
    year: int
    counts: tuple
    n: int
    scale_id: str
    percents: tuple          # printed percentages (strings) per common level, '' where none
    percent_values: tuple    # Fractions or None


def published_counts(table: pd.DataFrame, ref: str) -> PublishedCounts | Reason:
    """Counts per common level of a published table, or the Reason they cannot be had.

    Subsets (``parent`` set, e.g. TSVM tiêu biểu inside TSVM), totals and cumulative
    categories are left out. A level printed only as a percentage gets the count whose
    percentage of the table's total rounds to the printed one (when exactly one does).
    """
    source, _, table_id = ref.rpartition(":")
    rows = table[table["table_id"].astype(str) == table_id]
    if source:
        rows = rows[rows["source_id"].astype(str) == source]
    if rows.empty:
        return Reason(f"không có bảng '{ref}' trong số liệu đã công bố", f"no published table '{ref}'")
    year = int(rows["year"].dropna().iloc[0])
    totals_rows = rows[rows["is_total"].astype(bool) & rows["count"].notna()]
    n_total = int(totals_rows["count"].iloc[0]) if len(totals_rows) else None
    parent = rows["parent"].astype("string").fillna("").str.strip()
    cats = rows[rows["rating_common"].notna() & ~rows["is_total"].astype(bool) & ~rows["cumulative"].astype(bool)
                & (parent == "")]
    counts = [None] * 4
    percents = [""] * 4
    values = [None] * 4
    conflicts = []
    for common, g in cats.groupby("rating_common"):
        idx = COMMON_ORDER.index(common)
        printed = g["count"].dropna().astype(int).unique()
        if len(printed) > 1:
            conflicts.append(f"{common}: {', '.join(map(str, printed))}")
        elif len(printed) == 1:
            counts[idx] = int(printed[0])
        pct = g[g["percent_printed"].notna()]
        if len(pct):
            percents[idx] = str(pct["percent_printed"].iloc[0])
            values[idx] = pct["percent"].iloc[0]
    if conflicts:
        return Reason(f"bảng '{ref}' in cùng một mức hai lần với số khác nhau ({'; '.join(conflicts)})",
                      f"table '{ref}' prints one level twice with different counts ({'; '.join(conflicts)})")
    missing = [i for i in range(4) if counts[i] is None and values[i] is not None]
    if missing and n_total:
        for i in missing:
            decimals = len(percents[i].rstrip("%").replace(",", ".").partition(".")[2])
            fits = [c for c in range(n_total + 1)
                    if abs(Fraction(100 * c, n_total) - Fraction(values[i])) <= Fraction(1, 2 * 10 ** decimals)]
            if len(fits) == 1:
                counts[i] = fits[0]
    known = [c for c in counts if c is not None]
    if not known and all(v is None for v in values):
        return Reason(f"bảng '{ref}' không có số theo mức xếp loại", f"table '{ref}' has no rating counts")
    scale_id = scale_for(year).id
    if known:
        filled = tuple(0 if c is None else c for c in counts)
        n = sum(filled)
        if n_total is not None and n != n_total:
            return Reason(f"bảng '{ref}': các mức cộng lại {n} khác tổng in {n_total}",
                          f"table '{ref}': levels add up to {n}, the printed total is {n_total}")
        return PublishedCounts(table_id, year, filled, n, scale_id, tuple(percents), tuple(values))
    return PublishedCounts(table_id, year, (None,) * 4, 0, scale_id, tuple(percents), tuple(values))
