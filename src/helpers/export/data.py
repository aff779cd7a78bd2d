"""Rating distributions in one tidy shape, from published tables or from a unit-level panel.

Figures and descriptive tables both draw from :data:`DISTRIBUTION_COLUMNS`, so a
figure and the table beside it always show the same numbers.

A published table gives, per printed table (``table_id``: one place, year and
group), a count and/or a printed percentage per rating category. Totals give the
base; nested subsets ("trong đó 5/39 đạt TSVM tiêu biểu") and cumulative
categories ("HTTNV trở lên") are left out, since they would be counted twice in a
100 % bar. A panel gives one row per unit and year; it is counted here.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd

from helpers.export.theme import LEVELS

#: One row per group, year and rating code.
#:
#: group : str — who is counted ("pilots", "rest", a published group name)
#: year : int
#: table_id : str — the published table, or "panel"
#: rating_code, rating_common : str — the level and its common level (fail/pass/good/top)
#: count : Int64 — units at that level (NA when only a percentage was printed)
#: base : Int64 — units rated in that group and year (NA when unknown)
#: percent : float — share on the 0–100 scale: the printed one when printed, else count/base
#: percent_printed : str — the percentage as printed ("" when none was printed)
#: percent_decimals : Int64 — decimals to show (printed decimals, else 1)
#: percent_source : str — "printed" or "computed"
DISTRIBUTION_COLUMNS = ["group", "year", "table_id", "rating_code", "rating_common", "count", "base",
                        "percent", "percent_printed", "percent_decimals", "percent_source"]

#: Decimals shown for a percentage computed here.
COMPUTED_DECIMALS = 1


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=t) for c, t in zip(
        DISTRIBUTION_COLUMNS,
        ["object", "int64", "object", "object", "object", "Int64", "Int64", "float64", "object", "Int64",
         "object"])})


def _is_missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _truthy(value) -> bool:
    return (not _is_missing(value)) and bool(value)


def _group_name(row) -> str:
    group = row.get("group")
    if _is_missing(group) or str(group).strip() == "":
        place = row.get("place")
        return "" if _is_missing(place) else str(place)
    return str(group)


def distribution_from_published(table: pd.DataFrame) -> pd.DataFrame:
    """The rating distributions printed in published tables.

    Parameters
    ----------
    table : DataFrame
        As returned by ``helpers.published.read_published`` (columns table_id, year, group,
        count, base, percent, percent_printed, percent_decimals, rating_code, rating_common,
        is_total, cumulative, parent; place is used when group is empty).

    Returns
    -------
    DataFrame
        Columns :data:`DISTRIBUTION_COLUMNS`; one row per printed rating category. Tables with no
        rating category (e.g. staff counts) give no row.

    Notes
    -----
    The base is the ``base`` column when given, else the printed total of the table, else the
    sum of its counts when every category has a count. A percentage is computed from exact
    integers only where none was printed.
    """
    if table is None or len(table) == 0:
        return _empty()
    rows = []
    for table_id, part in table.groupby("table_id", sort=False):
        part = [r for r in part.to_dict("records") if not is_target(r)]
        totals = [r for r in part if _truthy(r.get("is_total"))]
        levels = [r for r in part
                  if not _truthy(r.get("is_total")) and not _truthy(r.get("cumulative"))
                  and _is_missing(r.get("parent")) and not _is_missing(r.get("rating_common"))
                  and r.get("rating_common") in LEVELS]
        levels = _merge_split_rows(levels)
        if not levels:
            continue
        base = next((r["base"] for r in part if not _is_missing(r.get("base"))), None)
        if base is None:
            base = next((r["count"] for r in totals if not _is_missing(r.get("count"))), None)
        counts = [r.get("count") for r in levels]
        if base is None and all(not _is_missing(c) for c in counts):
            base = sum(int(c) for c in counts)
        printed_decimals = [int(r["percent_decimals"]) for r in levels
                            if not _is_missing(r.get("percent")) and not _is_missing(r.get("percent_decimals"))]
        # a share computed beside printed ones is shown with as many decimals as the article used
        computed_decimals = max(printed_decimals) if printed_decimals else COMPUTED_DECIMALS
        for r in levels:
            count = None if _is_missing(r.get("count")) else int(r["count"])
            printed = "" if _is_missing(r.get("percent_printed")) else str(r["percent_printed"])
            if not _is_missing(r.get("percent")):
                percent, source = float(Fraction(r["percent"])), "printed"
                decimals = r.get("percent_decimals")
                decimals = COMPUTED_DECIMALS if _is_missing(decimals) else int(decimals)
            elif count is not None and base:
                percent, source, decimals = float(Fraction(count * 100, int(base))), "computed", computed_decimals
            else:
                percent, source, decimals = math.nan, "", COMPUTED_DECIMALS
            rows.append({
                "group": _group_name(r), "year": int(r["year"]), "table_id": str(table_id),
                "rating_code": r.get("rating_code"), "rating_common": r["rating_common"],
                "count": count, "base": None if base is None else int(base), "percent": percent,
                "percent_printed": printed, "percent_decimals": decimals, "percent_source": source,
            })
    return _frame(rows)


#: Words that mark a printed number as a target, not a rating achieved (seed 000: "chỉ tiêu phấn đấu năm 2014").
TARGET_WORDS = ("chỉ tiêu", "phấn đấu")


def is_target(row: dict) -> bool:
    """True when a published row is a target ("chỉ tiêu phấn đấu") rather than a rating achieved: its group,
    category or table id says so. A target is never drawn or tabled as a rating."""
    words = " ".join(str(row.get(k) or "") for k in ("group", "category", "table_id")).lower()
    return any(w in words for w in TARGET_WORDS) or str(row.get("table_id") or "").endswith("-target")


def _merge_split_rows(levels: list[dict]) -> list[dict]:
    """Join a category printed twice — once as a count, once as a percentage — into one row.

    Articles often print "TSVM 39/56" in one sentence and "69,64%" in another; the published
    table keeps them as two rows. A percentage-only row is attached to the count-only row of the
    same rating code; a percentage-only row repeating a percentage already printed with a count
    is dropped. Two rows that both carry a count (a label printed twice, seed 004, 2016) stay two.
    """
    kept = []
    for row in levels:
        has_count = not _is_missing(row.get("count"))
        has_percent = not _is_missing(row.get("percent"))
        if has_percent and not has_count:
            same = [r for r in kept if r.get("rating_code") == row.get("rating_code")]
            partner = next((r for r in same if not _is_missing(r.get("count")) and _is_missing(r.get("percent"))),
                           None)
            if partner is not None:
                partner.update({k: row.get(k) for k in ("percent", "percent_printed", "percent_decimals")})
                continue
            if any(r.get("percent_printed") == row.get("percent_printed") for r in same):
                continue
        elif has_count and not has_percent:
            partner = next((r for r in kept if r.get("rating_code") == row.get("rating_code")
                            and _is_missing(r.get("count")) and not _is_missing(r.get("percent"))), None)
            if partner is not None:
                partner.update({k: row.get(k) for k in ("count", "count_printed", "base")})
                continue
        kept.append(dict(row))
    return kept


def distribution_from_panel(panel: pd.DataFrame) -> pd.DataFrame:
    """Count a unit-level panel by year, group (pilots / rest) and rating.

    Parameters
    ----------
    panel : DataFrame
        The processed panel (columns year, pilot, rating_code, rating_common; rows with a
        missing rating are not counted).

    Returns
    -------
    DataFrame
        Columns :data:`DISTRIBUTION_COLUMNS`; ``group`` is ``"pilots"`` or ``"rest"`` (``"all"``
        when the panel marks no pilot); percentages computed from the counts.
    """
    if panel is None or len(panel) == 0:
        return _empty()
    data = panel.loc[panel["rating_common"].isin(LEVELS)].copy()
    if "pilot" in data.columns and data["pilot"].fillna(False).astype(bool).any():
        data["group"] = data["pilot"].fillna(False).astype(bool).map({True: "pilots", False: "rest"})
    else:
        data["group"] = "all"
    rows = []
    for (group, year), part in data.groupby(["group", "year"], sort=True):
        base = len(part)
        counts = part.groupby(["rating_common", "rating_code"], sort=False).size()
        for (common, code), count in counts.items():
            rows.append({
                "group": group, "year": int(year), "table_id": "panel", "rating_code": code,
                "rating_common": common, "count": int(count), "base": base,
                "percent": float(Fraction(int(count) * 100, base)), "percent_printed": "",
                "percent_decimals": COMPUTED_DECIMALS, "percent_source": "computed",
            })
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    if not rows:
        return _empty()
    frame = pd.DataFrame(rows, columns=DISTRIBUTION_COLUMNS)
    frame["count"] = frame["count"].astype("Int64")
    frame["base"] = frame["base"].astype("Int64")
    frame["percent_decimals"] = frame["percent_decimals"].astype("Int64")
    order = {level: i for i, level in enumerate(LEVELS)}
    frame["_order"] = frame["rating_common"].map(order)
    group_order = {g: i for i, g in enumerate(dict.fromkeys(frame["group"]))}
    frame["_group"] = frame["group"].map(group_order)
    frame = frame.sort_values(["_group", "year", "table_id", "_order"], kind="stable")
    return frame.drop(columns=["_order", "_group"]).reset_index(drop=True)


def printed_twice(distribution: pd.DataFrame) -> pd.Series:
    """True on every row of a table-group-year in which one rating code is printed twice with a count.

    Seed 004 prints "hoàn thành nhiệm vụ" for two categories of 2016 (18 and 10 organisations): the
    second is surely "hoàn thành tốt nhiệm vụ", but the article does not say so, and the published-number
    check reports it. Such a year's shares cannot be attributed to levels, so no change is computed from it.
    """
    if len(distribution) == 0:
        return pd.Series(False, index=distribution.index)
    place = ["table_id", "group", "year"]
    counted = distribution.loc[distribution["count"].notna()]
    repeated = counted.duplicated(place + ["rating_code"], keep=False)
    bad = set(map(tuple, counted.loc[repeated, place].itertuples(index=False)))
    return pd.Series([key in bad for key in map(tuple, distribution[place].itertuples(index=False))],
                     index=distribution.index)


def by_level(distribution: pd.DataFrame) -> pd.DataFrame:
    """Sum a distribution over codes of the same common level (TSVM tiêu biểu printed as its own
    bucket joins TSVM) — one row per table and common level, same columns.

    Categories the source printed separately under one label (:func:`printed_twice`: seed 004
    prints "hoàn thành nhiệm vụ" twice in 2016, 18 and 10) are never summed: each stays its own row,
    so a figure shows 18 and 10, as the table does, and never a 28 that was not printed.
    """
    if len(distribution) == 0:
        return distribution
    data = distribution.copy()
    twice = printed_twice(data)
    data["_part"] = 0
    if twice.any():
        data.loc[twice, "_part"] = data.loc[twice].groupby(["table_id", "group", "year", "rating_code"],
                                                           sort=False).cumcount()
    rows = []
    for (table_id, group, year, common, _), part in data.groupby(
            ["table_id", "group", "year", "rating_common", "_part"], sort=False):
        counts = part["count"]
        rows.append({
            "group": group, "year": year, "table_id": table_id,
            "rating_code": " / ".join(dict.fromkeys(str(c) for c in part["rating_code"])),
            "rating_common": common,
            "count": None if counts.isna().any() else int(counts.sum()),
            "base": part["base"].iloc[0], "percent": float(part["percent"].sum(min_count=1)),
            "percent_printed": " + ".join(p for p in part["percent_printed"] if p),
            "percent_decimals": int(part["percent_decimals"].max()),
            "percent_source": part["percent_source"].iloc[0],
        })
    return _frame(rows)
