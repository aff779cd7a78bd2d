"""Checks of one published table, on its model (:mod:`.structure`).

Layers (in the manner of scrutiny's round → grim → grim_map → audit):
:func:`helpers.published.cell.check_percent` judges one printed percentage;
:func:`check_table` builds the table's tree, derives what it implies and
applies every rule, returning findings as dicts with the keys of
:data:`FINDING_COLUMNS`; :mod:`.audit` maps it over all tables.

Rules of a table
----------------
percent_of_count      count ÷ base reproduces the printed percentage? Base: the
                      row's own ``base``, else the parent's count for a nested
                      ("trong đó") cell, else the table's printed total.
detectability         agreement that proves nothing: a percentage with d
                      decimals cannot reveal anything about a base N ≥ 100·10^d.
base_positive         a base (printed, a total or a parent's count) of 0 or less.
implied_count         a count the tree implies: one unknown part of a relation
                      whose other numbers are printed (662 − (604 + 0) = 58).
partial_table         levels or categories not printed; what they add up to.
parts_sum_to_total    the parts add up to their whole (a total, or a
                      cumulative level counted with the levels below it).
percents_sum_to_100   the percentages of parts that partition the total add up
                      to 100 within their rounding slack (never over 100).
wrong_denominator     one base near the printed total (±2, or one digit away)
                      reproduces every percentage of the table.
duplicate_category    one category printed twice with different counts.
count_two_percents    one count printed with two different percentages.
repeated_number       the same number printed again (consistently).
nested_within_parent  a "trong đó" part is not larger than its parent and its
                      printed base is the parent's count.
cumulative_category   "X trở lên" equals the sum of X and the levels above it.
scale_of_year         a label of one rating scale printed in a year of another.
count_within_base     a count larger than its own printed base.
total_printed_twice   two different totals printed for one table.
hidden_sheet          a table on a hidden sheet of a workbook (not read).
recovered_base        bases that reproduce the table's percentages (when the
                      base is not printed, or the printed total does not fit).

Severity (issue 14)
-------------------
``error``: no reading of the printed numbers is consistent. ``warning``:
consistent only under an unusual convention (round half down, truncation,
ceiling, a qualifier window, another base that fits the *whole* table, a list
of kinds of unit that may be incomplete). ``info``: derived facts,
agreements, partial tables. Every message names the rounding scheme or the
structure (total, level, "trong đó", "trở lên") it relied on.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Sequence

import numpy as np

from helpers.numbers import format_count
from helpers.published.bases import count_ranges
from helpers.published.cell import (
    check_percent, english, percent_text, scheme_words,
)
from helpers.published.printed import parse_printed
from helpers.published.relations import check_relations
from helpers.published.rounding import ACCEPTED_SCHEMES, DEFAULT_SCHEMES, SCHEME_NAMES, grim_probability
from helpers.published.structure import TableModel, build_table, cached_scale, count_text, unit_of

#: Columns of the findings table (fixed, in this order).
FINDING_COLUMNS = [
    "source_id", "table_id", "year", "category", "check", "severity", "printed", "expected", "schemes",
    "message_vi", "message_en", "file", "row", "grim_probability",
]
SEVERITIES = ("error", "warning", "info")
CHECKS = (
    "percent_of_count", "detectability", "base_positive", "implied_count", "partial_table", "parts_sum_to_total",
    "percents_sum_to_100", "wrong_denominator", "duplicate_category", "count_two_percents", "repeated_number",
    "nested_within_parent", "cumulative_category", "scale_of_year", "count_within_base", "total_printed_twice",
    "hidden_sheet", "recovered_base",
)


def _exact(x: Fraction, decimals: int, language: str) -> str:
    """A true percentage with one decimal more than printed (e.g. ``54,839``)."""
    return percent_text(x, decimals + 1, language, sign=False)


@dataclass
class TableResult:
    """Findings and denominators of one table (internal to the audit)."""

    findings: list
    denominators: list
    checked_rows: set


@dataclass
class _Cell:
    """One printed percentage of the table and its verdict at its base."""

    node: object
    row: dict
    printed: object
    base: int
    how: str
    verdict: object = None      # PercentVerdict, or None for a percentage printed without a count
    repeat_of: dict | None = None
    explained: bool = False     # wrong at the printed total, right at the base the wrong_denominator finding names


class _TableChecker:
    def __init__(self, rows: list[dict], schemes: Sequence[str], max_base: int):
        self.rows = rows
        self.schemes = tuple(schemes)
        self.max_base = max_base
        first = rows[0]
        self.source_id, self.table_id, self.year = first["source_id"], first["table_id"], first["year"]
        self.findings: list[dict] = []
        self.denominators: list[dict] = []
        self.checked: set = set()
        self.wrong_base: int | None = None

    def add(self, row, check, severity, printed, expected, schemes, vi, en, category=None, rows=(), grim=None):
        self.findings.append({
            "source_id": self.source_id, "table_id": self.table_id, "year": self.year,
            "category": category if category is not None else (row["category"] if row else None),
            "check": check, "severity": severity, "printed": printed, "expected": expected,
            "schemes": ";".join(schemes) if schemes else "", "message_vi": vi, "message_en": en,
            "file": row["file"] if row else self.rows[0]["file"], "row": row["row"] if row else None,
            "grim_probability": None if grim is None else round(float(grim), 4),
        })
        for r in (row, *rows):
            if r is not None:
                self.checked.add((r["file"], r["row"]))

    def run(self) -> TableResult:
        from helpers.published.denominators import recover_table_base, wrong_denominator
        from helpers.published.sums import check_percent_sums

        self.model: TableModel = build_table(self.rows)
        self._totals_twice()
        self._duplicates_and_repeats()
        self._scale_of_year()
        self._bases_and_nesting()
        events = self.model.derive()
        cells = self._cells()
        self.wrong_base = wrong_denominator(self, cells)
        self._emit_cells(cells)
        check_relations(self, events)
        check_percent_sums(self)
        recover_table_base(self)
        return TableResult(self.findings, self.denominators, self.checked)

    # -- printed twice ------------------------------------------------------------------------------------
    def _totals_twice(self):
        totals = self.model.total_rows
        first = totals[0] if totals else None
        for other in totals[1:]:
            if other["count"] != first["count"]:
                self.add(other, "total_printed_twice", "error", other["count_printed"], first["count_printed"], (),
                         f"Bảng in hai tổng khác nhau: {first['count_printed']} (dòng {first['row']}) và "
                         f"{other['count_printed']}.",
                         f"The table prints two different totals: {first['count_printed']} (row {first['row']}) "
                         f"and {other['count_printed']}.", rows=(first,))

    def _duplicates_and_repeats(self):
        for row, first in self.model.duplicates:
            self.add(row, "duplicate_category", "error", row["count_printed"], None, (),
                     self._duplicate_message(row, first, "vi"), self._duplicate_message(row, first, "en"),
                     rows=(first.count_row,) if first.count_row else ())
        for node, row, earlier in self.model.repeats:
            if row["percent"] is not None:
                if (row["percent"], row["percent_decimals"]) != (earlier["percent"], earlier["percent_decimals"]):
                    self.add(row, "count_two_percents", "error", row["percent_printed"], earlier["percent_printed"],
                             (), f"“{row['category']}” được in với hai tỉ lệ khác nhau: {earlier['percent_printed']} "
                                 f"(dòng {earlier['row']}) và {row['percent_printed']}.",
                             f"“{row['category']}” is printed with two different percentages: "
                             f"{earlier['percent_printed']} (row {earlier['row']}) and {row['percent_printed']}.",
                             rows=(earlier,))
                else:
                    self._repeated(row, earlier, row["percent_printed"])
            elif row["count"] is not None and node.count == row["count"]:
                self._repeated(row, earlier, row["count_printed"])

    def _repeated(self, row, earlier, printed):
        self.add(row, "repeated_number", "info", printed, None, (),
                 f"Số {printed} của “{row['category']}” được in lại (như ở dòng {earlier['row']}); "
                 f"kết quả kiểm tra ở dòng {earlier['row']} áp dụng cho cả dòng này.",
                 f"The number {printed} of “{row['category']}” is printed again (as in row {earlier['row']}); "
                 f"the check of row {earlier['row']} applies to this row too.", rows=(earlier,))

    def _duplicate_message(self, row, first, language):
        missing = [n.label if language == "vi" else self.model.scale.level(n.code).label("en")
                   for n in self.model.missing]
        earlier = first.count_row
        printed = earlier["count_printed"] if earlier else "?"
        where = earlier["row"] if earlier else "?"
        if language == "vi":
            text = (f"Nhãn “{row['category']}” được in hai lần với hai số khác nhau: {printed} (dòng {where}) và "
                    f"{row['count_printed']}; một mức không thể có hai số đếm.")
            if missing:
                text += (f" Mức của thang năm {self.year} chưa xuất hiện trong bảng: {', '.join(missing)} — "
                         f"có thể một trong hai nhãn là mức này.")
            return text
        text = (f"The label “{row['category']}” is printed twice with two different numbers: {printed} (row {where}) "
                f"and {row['count_printed']}; one level cannot have two counts.")
        if missing:
            text += (f" Levels of the {self.year} scale absent from the table: {', '.join(missing)} — "
                     f"one of the two labels is probably this level.")
        return text

    # -- scale ----------------------------------------------------------------------------------------------
    def _scale_of_year(self):
        for r in self.rows:
            if not r["rating_code"]:
                continue
            scale = cached_scale(r["year"], unit_of(r["level"]))
            if scale is None:
                continue
            if r["rating_code"] not in scale.codes:
                levels_vi = ", ".join(lv.label("vi") for lv in scale.levels)
                levels_en = ", ".join(lv.label("en") for lv in scale.levels)
                self.add(r, "scale_of_year", "warning", r["category"], None, (),
                         f"Nhãn “{r['category']}” không thuộc thang xếp loại áp dụng năm {r['year']} "
                         f"({scale.label_vi.lower()}: {levels_vi}).",
                         f"The label “{r['category']}” ({r['rating_code']}) is not a level of the scale used in "
                         f"{r['year']} ({scale.id}, {scale.label_en.lower()}: {levels_en}).")

    # -- bases and nesting ------------------------------------------------------------------------------------
    def _bases_and_nesting(self):
        m = self.model
        for node in m.nodes:
            for r in node.rows:
                if r["base"] is not None and r["base"] <= 0:
                    self._base_not_positive(r, r["base"], "printed")
                elif r["count"] is not None and r["base"] is not None and r["count"] > r["base"]:
                    self.add(r, "count_within_base", "error", f"{r['count_printed']}/{r['base']}", None, (),
                             f"Số đếm {r['count_printed']} lớn hơn mẫu số {r['base']} in cùng chỗ.",
                             f"The count {r['count_printed']} is larger than its printed base {r['base']}.")
            parent = node.parent
            if parent is not None:
                if parent.count is None or node.count is None:
                    continue
                row = node.count_row
                nested = "mức nằm trong" if parent.kind == "cumulative" else "phần “trong đó” của"
                nested_en = "a level within" if parent.kind == "cumulative" else "a “trong đó” part of"
                if node.count > parent.count:
                    self.add(row, "nested_within_parent", "error", row["count_printed"], None, (),
                             f"“{node.label}” ({node.count}) là {nested} “{parent.label}” nhưng lớn hơn nó "
                             f"({parent.count}).",
                             f"“{node.label}” ({node.count}) is {nested_en} “{parent.label}” but larger than it "
                             f"({parent.count}).", rows=(parent.count_row,))
                elif row["base"] is not None and row["base"] != parent.count:
                    self.add(row, "nested_within_parent", "warning", f"{row['count_printed']}/{row['base']}",
                             f"{row['count_printed']}/{parent.count}", (),
                             f"“{node.label}” là {nested} “{parent.label}” ({parent.count}) nhưng in trên "
                             f"mẫu số {row['base']}.",
                             f"“{node.label}” is {nested_en} “{parent.label}” ({parent.count}) but printed over "
                             f"{row['base']}.", rows=(parent.count_row,))
                else:
                    self.add(row, "nested_within_parent", "info", row["count_printed"], None, (),
                             f"“{node.label}” ({node.count}) nằm trong “{parent.label}” ({parent.count}): hợp lệ.",
                             f"“{node.label}” ({node.count}) lies within “{parent.label}” ({parent.count}): valid.",
                             rows=(parent.count_row,))
            elif node.count_row is not None and node.count_row["base"] is not None and m.total.known \
                    and not m.total_approx and node.count_row["base"] != m.total.count and node.count_row["base"] > 0:
                row = node.count_row
                self.add(row, "parts_sum_to_total", "warning", f"{row['count_printed']}/{row['base']}",
                         f"{row['count_printed']}/{m.total.count}", (),
                         f"Mẫu số in ra {row['base']} khác tổng của bảng {m.total.count}.",
                         f"The printed base {row['base']} differs from the table's total {m.total.count}.",
                         rows=(m.total.count_row,))

    def _base_not_positive(self, row, base, how):
        what_vi = {"printed": "Mẫu số in ra", "total": "Tổng của bảng", "parent": "Số của mục cha"}[how]
        what_en = {"printed": "The printed base", "total": "The table's total", "parent": "The parent's count"}[how]
        self.add(row, "base_positive", "error", str(base), None, (),
                 f"{what_vi} là {base}: không có tỉ lệ nào tính được trên mẫu số này.",
                 f"{what_en} is {base}: no percentage can be computed over it.")

    # -- percentages ------------------------------------------------------------------------------------------
    def _cells(self) -> list[_Cell]:
        cells = []
        zero_reported = set()
        for node in self.model.nodes:
            first_percent = {}
            for r in node.percent_rows:
                base, how = self.model.percent_base(node, r)
                if base is None:
                    continue
                if base <= 0:
                    if how != "printed" and (how, base) not in zero_reported:
                        zero_reported.add((how, base))
                        self._base_not_positive(r, base, how)
                    continue
                printed = parse_printed(r["percent_printed"], "percent")
                key = (r["percent"], r["percent_decimals"], base)
                cell = _Cell(node, r, printed, base, how, repeat_of=first_percent.get(key))
                first_percent.setdefault(key, r)
                if node.count is not None and not node.count_qualified and node.count <= base:
                    cell.verdict = check_percent(node.count, base, printed, self.schemes)
                cells.append(cell)
        return cells

    def _emit_cells(self, cells):
        for cell in cells:
            if cell.repeat_of is not None:
                continue   # the same percentage printed again: reported by repeated_number
            if cell.explained:
                continue   # explained by the one wrong_denominator finding
            if cell.node.count is None:
                self._percent_without_count(cell)
            elif cell.verdict is not None:
                self._percent_cell(cell)

    def _percent_cell(self, cell):
        r, node, printed, base, v = cell.row, cell.node, cell.printed, cell.base, cell.verdict
        count = node.count
        parent = node.parent.label if node.parent is not None else ""
        where_vi = {"printed": "", "total": "",
                    "parent": f" (mẫu số là số của mục cha “{parent}”)"}[cell.how]
        where_en = {"printed": "", "total": "", "parent": f" (base: the count of the parent “{parent}”)"}[cell.how]
        if node.implied:
            source_vi = f" (số đếm suy ra: {node.equation('vi')})"
            source_en = f" (implied count: {node.equation('en')})"
        elif node.count_row is not None and node.count_row is not r:
            source_vi = f" (số đếm ở dòng {node.count_row['row']})"
            source_en = f" (count from row {node.count_row['row']})"
        else:
            source_vi = source_en = ""
        ratio_vi = f"{count_text(count)}/{count_text(base)}"
        ratio_en = f"{count_text(count, 'en')}/{count_text(base, 'en')}"
        x_vi = _exact(v.true_percent, printed.decimals, "vi")
        x_en = english(x_vi)                        # a percentage (≤ 100) has no thousands separator
        p = printed.text
        exp_en = english(v.expected)
        rows = tuple(x for x in (node.count_row,) if x is not None and x is not r)
        accepted = [s for s in v.schemes if s in ACCEPTED_SCHEMES] or ["half_up"]   # up_or_down: its up side
        scheme_vi = " hoặc ".join(SCHEME_NAMES[s]["vi"] for s in accepted)
        scheme_en = " or ".join(SCHEME_NAMES[s]["en"] for s in accepted)
        if v.status == "consistent":
            self.add(r, "percent_of_count", "info", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio_vi} = {x_vi} %{source_vi}{where_vi}; in ra {p}: khớp ({scheme_vi}).",
                     f"{ratio_en} = {x_en} %{source_en}{where_en}; printed {p}: reproduced ({scheme_en}).",
                     rows=rows, grim=v.grim_probability)
        elif v.status == "undetectable":
            limit = 100 * 10**printed.decimals
            self.add(r, "detectability", "info", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio_vi} = {x_vi} %{source_vi}; in ra {p} khớp, nhưng với mẫu số {format_count(base)} "
                     f"(≥ {format_count(limit)}) một tỉ lệ có {printed.decimals} chữ số thập phân không kiểm tra "
                     f"được gì: mọi giá trị đều có một số đếm khớp.",
                     f"{ratio_en} = {x_en} %{source_en}; printed {p} agrees, but with a base of "
                     f"{format_count(base, 'en')} (≥ {format_count(limit, 'en')}) a percentage with "
                     f"{printed.decimals} decimals reveals nothing: every value has a matching count.",
                     rows=rows, grim=v.grim_probability)
        elif v.status == "inconsistent":
            hint_vi = f"; {v.explanation_vi}" if v.explanation_vi else ""
            hint_en = f"; {v.explanation_en}" if v.explanation_en else ""
            self.add(r, "percent_of_count", "error", r["percent_printed"], v.expected, (),
                     f"{ratio_vi} = {x_vi} %{source_vi}{where_vi}; in ra {p} không khớp với cách làm tròn nào (nửa "
                     f"lên, nửa về số chẵn, nửa xuống, cắt bỏ, làm tròn lên); đúng: {v.expected}{hint_vi}.",
                     f"{ratio_en} = {x_en} %{source_en}{where_en}; the printed {p} matches no rounding (half up, half "
                     f"to even, half down, truncation, ceiling); correct: {exp_en}{hint_en}.",
                     rows=rows, grim=v.grim_probability)
        else:
            self.add(r, "percent_of_count", "warning", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio_vi} = {x_vi} %{source_vi}{where_vi}; in ra {p}: {v.explanation_vi} "
                     f"(làm tròn nửa lên cho {v.expected}).",
                     f"{ratio_en} = {x_en} %{source_en}{where_en}; printed {p}: {v.explanation_en} "
                     f"(round half up gives {exp_en}).", rows=rows, grim=v.grim_probability)

    def _percent_without_count(self, cell):
        r, printed, base = cell.row, cell.printed, cell.base
        ok = []
        for scheme in self.schemes:
            if scheme == "up_or_down":
                continue
            lo, hi = count_ranges([printed], np.array([base], dtype=np.int64), scheme)
            if lo[0, 0] <= hi[0, 0]:
                ok.append((scheme, int(lo[0, 0]), int(hi[0, 0])))
        accepted = [x for x in ok if x[0] in ACCEPTED_SCHEMES]
        parent = cell.node.parent.label if cell.node.parent is not None else ""
        of_vi = f" (số của mục cha “{parent}”)" if cell.how == "parent" else ""
        of_en = f" (the count of the parent “{parent}”)" if cell.how == "parent" else ""
        grim = grim_probability(base, printed.decimals)
        if accepted:
            _, lo, hi = accepted[0]
            counts = str(lo) if lo == hi else f"{lo}–{hi}"
            self.add(r, "percent_of_count", "info", r["percent_printed"], counts, tuple(x[0] for x in ok),
                     f"Không in số đếm; {printed.text} của {base}{of_vi} ứng với số đếm {counts} (làm tròn nửa lên).",
                     f"No count printed; {printed.text} of {base}{of_en} corresponds to a count of {counts} "
                     f"(round half up).", grim=grim)
        else:
            names = tuple(x[0] for x in ok)
            sev = "warning" if ok else "error"
            tail_vi = f" (chỉ khi {scheme_words(names, 'vi')})." if ok else "."
            tail_en = f" (only by {scheme_words(names, 'en')})." if ok else "."
            self.add(r, "percent_of_count", sev, r["percent_printed"], None, names,
                     f"Không có số đếm nguyên nào trên {base}{of_vi} cho ra {printed.text} khi làm tròn nửa lên hay "
                     f"nửa về số chẵn{tail_vi}",
                     f"No whole count out of {base}{of_en} gives {printed.text} when rounded half up or half to "
                     f"even{tail_en}", grim=grim)


def check_table(rows: list[dict], schemes: Sequence[str] = DEFAULT_SCHEMES, max_base: int = 100_000) -> TableResult:
    """Apply every rule to one table.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`helpers.published.read_published` sharing ``source_id`` and
        ``table_id`` (missing values as None).
    schemes : sequence of str
        Rounding schemes tried (accepted: half_up, half_even; the others give warnings).
    max_base : int
        Largest base tried when recovering an unknown base (capped further at
        ``100·10**d − 1``, beyond which every base fits).

    Returns
    -------
    TableResult
        ``findings`` (dicts with :data:`FINDING_COLUMNS`), ``denominators``
        (dicts: source_id, table_id, year, categories, percents, exhaustive,
        max_base, n_candidates, every_base_fits_from, candidates), and
        ``checked_rows`` ((file, row) pairs some check looked at).
    """
    return _TableChecker(rows, schemes, max_base).run()
