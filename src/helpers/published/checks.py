"""Checks of published numbers: one printed cell, then one whole table.

Layers (in the manner of scrutiny's round → grim → grim_map → audit):
:func:`check_percent` judges one printed percentage against a count and a
base; :func:`check_table` applies every rule to one table (rows sharing
``source_id`` and ``table_id``) and returns findings as dicts with the keys
of :data:`FINDING_COLUMNS`; :mod:`.audit` maps it over all tables.

Rules of a table
----------------
percent_of_count      count ÷ base reproduces the printed percentage? Base: the
                      row's own ``base``, else the parent's count for a nested
                      ("trong đó") cell, else the table's printed total.
detectability         agreement that proves nothing: a percentage with d
                      decimals cannot reveal anything about a base N ≥ 100·10^d.
implied_count         a category printed without its count when the total and
                      the other counts are printed: its count is implied.
parts_sum_to_total    the parts add up to the printed total.
percents_sum_to_100   the exhaustive percentages add up to 100 within their
                      rounding slack (never over 100 for any table).
duplicate_category    one category printed twice with different counts.
count_two_percents    one count printed with two different percentages.
repeated_number       the same number printed again (consistently).
nested_within_parent  a "trong đó" part is not larger than its parent and its
                      printed base is the parent's count.
cumulative_category   "X trở lên" equals the sum of X and the levels above it.
scale_of_year         a label of one rating scale printed in a year of another.
count_within_base     a count larger than its own printed base.
total_printed_twice   two different totals printed for one table.
recovered_base        bases that reproduce the table's percentages (when the
                      base is not printed, or the printed total does not fit).

Severity (issue 3): ``error`` — no accepted rounding (half-up, half-to-even)
of the stated numbers reproduces a printed number, or parts do not sum to the
stated total; ``warning`` — reproduced only under another reading
(truncation or ceiling, another base within ±2, a qualifier window);
``info`` — derived facts and agreements.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

from helpers.numbers import format_count, format_number, format_percent
from helpers.published.bases import recover_bases
from helpers.published.printed import QUALIFIER_MEANING, QUALIFIER_WINDOWS, PrintedNumber, parse_printed
from helpers.published.reader import normalise_category
from helpers.published.rounding import (
    ACCEPTED_SCHEMES, SCHEME_NAMES, SCHEMES, detectable, reproducing_schemes, window_interval,
)

#: Columns of the findings table (fixed, in this order).
FINDING_COLUMNS = [
    "source_id", "table_id", "year", "category", "check", "severity", "printed", "expected", "schemes",
    "message_vi", "message_en", "file", "row",
]
SEVERITIES = ("error", "warning", "info")
CHECKS = (
    "percent_of_count", "detectability", "implied_count", "parts_sum_to_total", "percents_sum_to_100",
    "duplicate_category", "count_two_percents", "repeated_number", "nested_within_parent",
    "cumulative_category", "scale_of_year", "count_within_base", "total_printed_twice", "recovered_base",
)
#: A printed base within this distance of the stated one counts as "another base" (evaluated vs existing).
OTHER_BASE_DISTANCE = 2
#: Candidates shown in a message and kept in the denominators list.
CANDIDATES_SHOWN = 5
CANDIDATES_KEPT = 20


# --- one cell ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PercentVerdict:
    """What one printed percentage says about ``count / base``.

    Attributes
    ----------
    status : {'consistent', 'undetectable', 'other_reading', 'qualifier', 'other_base', 'inconsistent'}
    severity : {'info', 'warning', 'error'}
    true_percent : Fraction
        ``100·count/base``.
    schemes : tuple of str
        Schemes under which the printed value is reproduced.
    expected : str
        The percentage rounded half-up to the printed decimals (Vietnamese form).
    explanation_vi, explanation_en : str
        The nearest explanation of a mismatch ('' when consistent).
    other_base : int or None
        A base within ±2 that reproduces the printed value.
    """

    status: str
    severity: str
    true_percent: Fraction
    schemes: tuple[str, ...]
    expected: str
    explanation_vi: str = ""
    explanation_en: str = ""
    other_base: int | None = None


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _one_digit_apart(a: str, b: str) -> bool:
    """Same length and one digit different, or two neighbouring digits swapped."""
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def _count_typos(count: int, base: int, printed: PrintedNumber) -> list[int]:
    """Counts one digit away from ``count`` (replace, drop, add) whose percentage prints as ``printed``."""
    text = str(count)
    options = set()
    for i in range(len(text)):
        options.add(text[:i] + text[i + 1:])
        for d in "0123456789":
            options.add(text[:i] + d + text[i + 1:])
    for i in range(len(text) + 1):
        for d in "0123456789":
            options.add(text[:i] + d + text[i:])
    found = []
    for option in options:
        if not option or (len(option) > 1 and option[0] == "0"):
            continue
        k = int(option)
        if k != count and k <= base and reproducing_schemes(Fraction(100 * k, base), printed.value,
                                                            printed.decimals, ACCEPTED_SCHEMES):
            found.append(k)
    return sorted(found)


def check_percent(count: int, base: int, printed: PrintedNumber | str,
                  schemes: Sequence[str] = SCHEMES) -> PercentVerdict:
    """Judge one printed percentage against ``count / base``.

    Parameters
    ----------
    count, base : int
        The stated numbers (``base`` > 0).
    printed : PrintedNumber or str
        The percentage as printed (``"54,85%"``).
    schemes : sequence of str
        Schemes tried; ``half_up`` and ``half_even`` are accepted, the others
        are other readings.

    Returns
    -------
    PercentVerdict

    Examples
    --------
    Seed 004: "34 đơn vị (chiếm 54,85%)" of 62 evaluated:

    >>> v = check_percent(34, 62, "54,85%")
    >>> v.severity, v.expected
    ('error', '54,84%')
    """
    if isinstance(printed, str):
        printed = parse_printed(printed, "percent")
    if isinstance(base, bool) or int(base) <= 0:
        raise ValueError(f"'base' must be a positive integer (got {base!r}).")
    x = Fraction(100 * int(count), int(base))
    d = printed.decimals
    expected = format_percent(x, d, "vi")
    reproduced = reproducing_schemes(x, printed.value, d, schemes)
    accepted = tuple(s for s in reproduced if s in ACCEPTED_SCHEMES)
    if accepted:
        status = "consistent" if detectable(base, d) else "undetectable"
        return PercentVerdict(status, "info", x, reproduced, expected)
    if printed.qualifier is not None:
        lower, upper = QUALIFIER_WINDOWS[printed.qualifier]
        if window_interval(printed.value, printed.qualifier_unit, lower, upper).contains(x):
            meaning = QUALIFIER_MEANING[printed.qualifier]
            return PercentVerdict(
                "qualifier", "warning", x, reproduced, expected,
                f"chỉ khớp khi đọc “{printed.qualifier_text}” là {meaning['vi']}",
                f"reproduced only when “{printed.qualifier_text}” is read as {meaning['en']}")
    if reproduced:
        names_vi = ", ".join(SCHEME_NAMES[s]["vi"] for s in reproduced)
        names_en = ", ".join(SCHEME_NAMES[s]["en"] for s in reproduced)
        return PercentVerdict("other_reading", "warning", x, reproduced, expected,
                              f"chỉ khớp nếu {names_vi} thay vì làm tròn",
                              f"reproduced only by {names_en} instead of rounding")
    for distance in range(1, OTHER_BASE_DISTANCE + 1):
        for other in (base - distance, base + distance):
            if other > 0 and other >= count and reproducing_schemes(
                    Fraction(100 * count, other), printed.value, d, ACCEPTED_SCHEMES):
                return PercentVerdict(
                    "other_base", "warning", x, (), expected,
                    f"khớp nếu mẫu số là {format_count(other)} thay vì {format_count(base)} "
                    f"(có thể là số được đánh giá thay vì số hiện có)",
                    f"reproduced if the base is {format_count(other, 'en')} instead of {format_count(base, 'en')} "
                    f"(perhaps the number evaluated rather than the number existing)",
                    other_base=other)
    hints_vi, hints_en = [], []
    if _one_digit_apart(_digits(expected), _digits(printed.text)):
        hints_vi.append("có thể là lỗi đánh máy một chữ số")
        hints_en.append("probably a one-digit typo")
    typos = _count_typos(int(count), int(base), printed)
    if typos:
        shown = ", ".join(format_count(k) for k in typos[:3])
        hints_vi.append(f"khớp nếu số đếm là {shown} thay vì {format_count(count)}")
        hints_en.append(f"reproduced if the count were {', '.join(format_count(k, 'en') for k in typos[:3])} "
                        f"instead of {format_count(count, 'en')}")
    return PercentVerdict("inconsistent", "error", x, (), expected, "; ".join(hints_vi), "; ".join(hints_en))


# --- one table -----------------------------------------------------------------------------------------------

@dataclass
class _Fact:
    """One category of a table: the rows that print it, its count and its percentages."""

    key: tuple
    label: str
    code: str | None
    common: str | None
    cumulative: bool
    parent_key: tuple | None
    rows: list = field(default_factory=list)
    count: int | None = None
    count_row: dict | None = None
    count_qualified: bool = False
    base: int | None = None
    implied: bool = False


def _category_key(row: dict) -> tuple:
    if row["rating_code"]:
        return ("code", row["rating_code"], bool(row["cumulative"]))
    return ("text", normalise_category(row["category"]))


def _pct(printed: PrintedNumber, language: str = "vi") -> str:
    """A printed percentage shown in a message: exactly as printed (both languages)."""
    return printed.text


def _exact(x: Fraction, decimals: int, language: str) -> str:
    """A true percentage with one decimal more than printed (e.g. ``54,839``)."""
    return format_number(x, decimals + 1, language)


@dataclass
class TableResult:
    """Findings and denominators of one table (internal to the audit)."""

    findings: list
    denominators: list
    checked_rows: set


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

    # -- helpers
    def add(self, row, check, severity, printed, expected, schemes, vi, en, category=None, rows=()):
        self.findings.append({
            "source_id": self.source_id, "table_id": self.table_id, "year": self.year,
            "category": category if category is not None else (row["category"] if row else None),
            "check": check, "severity": severity, "printed": printed, "expected": expected,
            "schemes": ";".join(schemes) if schemes else "", "message_vi": vi, "message_en": en,
            "file": row["file"] if row else self.rows[0]["file"], "row": row["row"] if row else None,
        })
        for r in (row, *rows):
            if r is not None:
                self.checked.add((r["file"], r["row"]))

    def run(self) -> TableResult:
        totals = [r for r in self.rows if r["is_total"]]
        self.total, self.total_row, self.total_approx = self._total(totals)
        self.facts = self._facts([r for r in self.rows if not r["is_total"]])
        self._scale_of_year()
        self._nested_and_bases()
        self._implied_counts()
        self._percent_cells()
        self._parts_sum()
        self._percent_sum()
        self._cumulative()
        self._recover()
        return TableResult(self.findings, self.denominators, self.checked)

    def _total(self, totals):
        if not totals:
            return None, None, False
        with_count = [r for r in totals if r["count"] is not None]
        if not with_count:
            return None, None, False
        first = with_count[0]
        for other in with_count[1:]:
            if other["count"] != first["count"]:
                self.add(other, "total_printed_twice", "error", other["count_printed"],
                         first["count_printed"], (),
                         f"Bảng in hai tổng khác nhau: {first['count_printed']} (dòng {first['row']}) và "
                         f"{other['count_printed']}.",
                         f"The table prints two different totals: {first['count_printed']} (row {first['row']}) "
                         f"and {other['count_printed']}.", rows=(first,))
        approx = parse_printed(first["count_printed"], "count").qualifier is not None
        return first["count"], first, approx

    def _facts(self, rows):
        total_keys = {normalise_category(r["category"]) for r in self.rows if r["is_total"]}
        by_text = {}
        for r in rows:
            by_text.setdefault(normalise_category(r["category"]), _category_key(r))
        facts: list[_Fact] = []
        for r in rows:
            parent = normalise_category(r["parent"]) if r["parent"] else None
            parent_key = None if parent is None or parent in total_keys else by_text.get(parent, ("text", parent))
            key = (parent_key, _category_key(r))
            same = [f for f in facts if f.key == key]
            count = r["count"]
            target = None
            if count is not None:
                target = next((f for f in same if f.count == count), None) or \
                    next((f for f in same if f.count is None), None)
                if target is None and same:
                    first = same[0]
                    self.add(r, "duplicate_category", "error", r["count_printed"], None, (),
                             self._duplicate_message(r, first, "vi"), self._duplicate_message(r, first, "en"),
                             rows=(first.count_row,) if first.count_row else ())
            elif same:
                target = self._fact_for_percent(same, r)
            if target is None:
                target = _Fact(key=key, label=r["category"], code=r["rating_code"], common=r["rating_common"],
                               cumulative=bool(r["cumulative"]), parent_key=parent_key)
                facts.append(target)
            elif target.rows:
                self._repeat(target, r)
            target.rows.append(r)
            if count is not None and target.count is None:
                target.count, target.count_row = count, r
                target.count_qualified = parse_printed(r["count_printed"], "count").qualifier is not None
            if r["base"] is not None and target.base is None:
                target.base = r["base"]
        return facts

    def _fact_for_percent(self, same, row):
        if row["percent"] is None or len(same) == 1:
            return same[0]
        printed = parse_printed(row["percent_printed"], "percent")
        for f in same:
            base = f.base or self.total
            if f.count is not None and base and reproducing_schemes(
                    Fraction(100 * f.count, base), printed.value, printed.decimals, ACCEPTED_SCHEMES):
                return f
        return same[0]

    def _duplicate_message(self, row, first, language):
        missing = self._missing_levels(language)
        if language == "vi":
            text = (f"Nhãn “{row['category']}” được in hai lần với hai số khác nhau: "
                    f"{first.count_row['count_printed'] if first.count_row else '?'} (dòng "
                    f"{first.count_row['row'] if first.count_row else '?'}) và {row['count_printed']}; "
                    f"một mức không thể có hai số đếm.")
            if missing:
                text += f" Mức của thang năm {self.year} chưa xuất hiện trong bảng: {', '.join(missing)} — " \
                        f"có thể một trong hai nhãn là mức này."
            return text
        text = (f"The label “{row['category']}” is printed twice with two different numbers: "
                f"{first.count_row['count_printed'] if first.count_row else '?'} (row "
                f"{first.count_row['row'] if first.count_row else '?'}) and {row['count_printed']}; "
                f"one level cannot have two counts.")
        if missing:
            text += f" Levels of the {self.year} scale absent from the table: {', '.join(missing)} — " \
                    f"one of the two labels is probably this level."
        return text

    def _missing_levels(self, language):
        try:
            from helpers.scales import scale_for

            unit = "member" if (self.rows[0]["level"] or "").lower().startswith("đảng viên") else "organisation"
            scale = scale_for(int(self.year), unit)
        except (ValueError, ImportError):
            return []
        present = {r["rating_code"] for r in self.rows if r["rating_code"]}
        return [lv.label(language) for lv in scale.levels if lv.subset_of is None and lv.code not in present]

    def _repeat(self, fact, row):
        """A row that adds to an existing category: a repeated number, or a second, different percentage."""
        earlier_percent = next((r for r in fact.rows if r["percent"] is not None), None)
        if row["percent"] is not None and earlier_percent is not None:
            other = earlier_percent
            if (row["percent"], row["percent_decimals"]) != (other["percent"], other["percent_decimals"]):
                self.add(row, "count_two_percents", "error", row["percent_printed"], other["percent_printed"], (),
                         f"“{row['category']}” được in với hai tỉ lệ khác nhau: {other['percent_printed']} "
                         f"(dòng {other['row']}) và {row['percent_printed']}.",
                         f"“{row['category']}” is printed with two different percentages: "
                         f"{other['percent_printed']} (row {other['row']}) and {row['percent_printed']}.",
                         rows=(other,))
            else:
                self._repeated(row, other, row["percent_printed"])
        elif row["count"] is not None and fact.count == row["count"] and row["percent"] is None:
            self._repeated(row, fact.count_row, row["count_printed"])

    def _repeated(self, row, earlier, printed):
        self.add(row, "repeated_number", "info", printed, None, (),
                 f"Số {printed} của “{row['category']}” được in lại (như ở dòng {earlier['row']}).",
                 f"The number {printed} of “{row['category']}” is printed again (as in row {earlier['row']}).",
                 rows=(earlier,))

    # -- scale
    def _scale_of_year(self):
        try:
            from helpers.scales import scale_for
        except ImportError:  # pragma: no cover
            return
        for r in self.rows:
            if not r["rating_code"]:
                continue
            unit = "member" if (r["level"] or "").lower().startswith("đảng viên") else "organisation"
            try:
                scale = scale_for(int(r["year"]), unit)
            except ValueError:
                continue
            if r["rating_code"] not in scale.codes:
                self.add(r, "scale_of_year", "warning", r["category"], None, (),
                         f"Nhãn “{r['category']}” ({r['rating_code']}) không thuộc thang xếp loại áp dụng năm "
                         f"{r['year']} ({scale.id}: {', '.join(scale.codes)}).",
                         f"The label “{r['category']}” ({r['rating_code']}) is not a level of the scale used in "
                         f"{r['year']} ({scale.id}: {', '.join(scale.codes)}).")

    # -- bases
    def _fact_by_key(self, key):
        return next((f for f in self.facts if f.key[1] == key), None) if key else None

    def _base_of(self, fact, row):
        """(base, how) for a row's percentage: its own base, the parent's count, or the total."""
        if row["base"] is not None:
            return row["base"], "printed"
        if fact.parent_key is not None:
            parent = self._fact_by_key(fact.parent_key)
            if parent is not None and parent.count is not None:
                return parent.count, "parent"
            return None, None
        if fact.base is not None:
            return fact.base, "printed"
        if self.total is not None and not self.total_approx:
            return self.total, "total"
        return None, None

    def _nested_and_bases(self):
        for fact in self.facts:
            for r in fact.rows:
                if r["count"] is not None and r["base"] is not None and r["count"] > r["base"]:
                    self.add(r, "count_within_base", "error", f"{r['count_printed']}/{r['base']}", None, (),
                             f"Số đếm {r['count_printed']} lớn hơn mẫu số {r['base']} in cùng chỗ.",
                             f"The count {r['count_printed']} is larger than its printed base {r['base']}.")
            if fact.parent_key is not None:
                parent = self._fact_by_key(fact.parent_key)
                if parent is None or parent.count is None or fact.count is None:
                    continue
                row = fact.count_row
                if fact.count > parent.count:
                    self.add(row, "nested_within_parent", "error", row["count_printed"], None, (),
                             f"“{fact.label}” ({fact.count}) là một phần của “{parent.label}” nhưng lớn hơn nó "
                             f"({parent.count}).",
                             f"“{fact.label}” ({fact.count}) is part of “{parent.label}” but larger than it "
                             f"({parent.count}).", rows=(parent.count_row,))
                elif row["base"] is not None and row["base"] != parent.count:
                    self.add(row, "nested_within_parent", "warning", f"{row['count_printed']}/{row['base']}",
                             f"{row['count_printed']}/{parent.count}", (),
                             f"“{fact.label}” là một phần của “{parent.label}” ({parent.count}) nhưng in trên "
                             f"mẫu số {row['base']}.",
                             f"“{fact.label}” is part of “{parent.label}” ({parent.count}) but printed over "
                             f"{row['base']}.", rows=(parent.count_row,))
                else:
                    self.add(row, "nested_within_parent", "info", row["count_printed"], None, (),
                             f"“{fact.label}” ({fact.count}) nằm trong “{parent.label}” ({parent.count}): hợp lệ.",
                             f"“{fact.label}” ({fact.count}) lies within “{parent.label}” ({parent.count}): valid.",
                             rows=(parent.count_row,))
            elif fact.count_row is not None and fact.count_row["base"] is not None and self.total is not None \
                    and not self.total_approx and fact.count_row["base"] != self.total:
                row = fact.count_row
                self.add(row, "parts_sum_to_total", "warning", f"{row['count_printed']}/{row['base']}",
                         f"{row['count_printed']}/{self.total}", (),
                         f"Mẫu số in ra {row['base']} khác tổng của bảng {self.total}.",
                         f"The printed base {row['base']} differs from the table's total {self.total}.",
                         rows=(self.total_row,))

    def _top(self):
        return [f for f in self.facts if f.parent_key is None and not f.cumulative]

    def _implied_counts(self):
        if self.total is None or self.total_approx:
            return
        top = self._top()
        missing = [f for f in top if f.count is None]
        if not missing or any(f.count_qualified for f in top):
            return
        known = sum(f.count for f in top if f.count is not None)
        rest = self.total - known
        terms = " + ".join(str(f.count) for f in top if f.count is not None) or "0"
        if len(missing) == 1 and rest >= 0:
            fact = missing[0]
            fact.count, fact.implied = rest, True
            row = fact.rows[0]
            self.add(row, "implied_count", "info", row["percent_printed"], format_count(rest), (),
                     f"Số đếm của “{fact.label}” không in ra; suy ra từ tổng: {self.total} − ({terms}) = {rest}.",
                     f"The count of “{fact.label}” is not printed; implied by the total: "
                     f"{self.total} − ({terms}) = {rest}.", rows=(self.total_row,))
        elif rest >= 0:
            labels = ", ".join(f"“{f.label}”" for f in missing)
            self.add(missing[0].rows[0], "implied_count", "info", None, format_count(rest), (),
                     f"Các mục không in số đếm ({labels}) cộng lại phải là {self.total} − ({terms}) = {rest}.",
                     f"The categories printed without a count ({labels}) must add up to "
                     f"{self.total} − ({terms}) = {rest}.", category=", ".join(f.label for f in missing),
                     rows=(self.total_row,))

    # -- percentages
    def _percent_cells(self):
        for fact in self.facts:
            for r in fact.rows:
                if r["percent"] is None:
                    continue
                base, how = self._base_of(fact, r)
                if base is None:
                    continue
                printed = parse_printed(r["percent_printed"], "percent")
                if fact.count is None:
                    self._percent_without_count(r, printed, base)
                    continue
                self._percent_cell(r, fact, printed, base, how)

    def _percent_cell(self, r, fact, printed, base, how):
        count = fact.count
        if count > base:
            return  # reported by count_within_base / nested_within_parent
        v = check_percent(count, base, printed, self.schemes)
        where_vi = {"printed": "", "parent": f" (mẫu số là số của mục cha “{self._parent_label(fact)}”)",
                    "total": ""}[how]
        where_en = {"printed": "", "parent": f" (base: the count of the parent “{self._parent_label(fact)}”)",
                    "total": ""}[how]
        source_vi = " (số đếm suy ra)" if fact.implied else (
            f" (số đếm ở dòng {fact.count_row['row']})" if fact.count_row is not None and fact.count_row is not r
            else "")
        source_en = " (implied count)" if fact.implied else (
            f" (count from row {fact.count_row['row']})" if fact.count_row is not None and fact.count_row is not r
            else "")
        ratio = f"{count}/{base}"
        x_vi, x_en = _exact(v.true_percent, printed.decimals, "vi"), _exact(v.true_percent, printed.decimals, "en")
        p_vi, p_en = _pct(printed, "vi"), _pct(printed, "en")
        rows = tuple(x for x in (fact.count_row,) if x is not None and x is not r)
        if v.status == "consistent":
            self.add(r, "percent_of_count", "info", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio} = {x_vi} %{source_vi}{where_vi}; in ra {p_vi}: khớp.",
                     f"{ratio} = {x_en} %{source_en}{where_en}; printed {p_en}: reproduced.", rows=rows)
        elif v.status == "undetectable":
            limit = 100 * 10**printed.decimals
            self.add(r, "detectability", "info", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio} = {x_vi} %{source_vi}; in ra {p_vi} khớp, nhưng với mẫu số {format_count(base)} "
                     f"(≥ {format_count(limit)}) một tỉ lệ có {printed.decimals} chữ số thập phân không kiểm tra "
                     f"được gì: mọi giá trị đều có một số đếm khớp.",
                     f"{ratio} = {x_en} %{source_en}; printed {p_en} agrees, but with a base of "
                     f"{format_count(base, 'en')} (≥ {format_count(limit, 'en')}) a percentage with "
                     f"{printed.decimals} decimals reveals nothing: every value has a matching count.", rows=rows)
        elif v.status == "inconsistent":
            hint_vi = f"; {v.explanation_vi}" if v.explanation_vi else ""
            hint_en = f"; {v.explanation_en}" if v.explanation_en else ""
            exp_en = format_percent(v.true_percent, printed.decimals, "en")
            self.add(r, "percent_of_count", "error", r["percent_printed"], v.expected, (),
                     f"{ratio} = {x_vi} %{source_vi}{where_vi}; in ra {p_vi} không khớp với bất kỳ cách làm tròn "
                     f"nào (đúng: {v.expected}){hint_vi}.",
                     f"{ratio} = {x_en} %{source_en}{where_en}; the printed {p_en} matches no rounding "
                     f"(correct: {exp_en}){hint_en}.", rows=rows)
        else:
            exp_en = format_percent(v.true_percent, printed.decimals, "en")
            self.add(r, "percent_of_count", "warning", r["percent_printed"], v.expected, v.schemes,
                     f"{ratio} = {x_vi} %{source_vi}{where_vi}; in ra {p_vi}: {v.explanation_vi} "
                     f"(làm tròn đúng: {v.expected}).",
                     f"{ratio} = {x_en} %{source_en}{where_en}; printed {p_en}: {v.explanation_en} "
                     f"(correctly rounded: {exp_en}).", rows=rows)

    def _parent_label(self, fact):
        parent = self._fact_by_key(fact.parent_key)
        return parent.label if parent else ""

    def _percent_without_count(self, r, printed, base):
        from helpers.published.bases import count_ranges
        import numpy as np

        ok = []
        for scheme in self.schemes:
            lo, hi = count_ranges([printed], np.array([base], dtype=np.int64), scheme)
            if lo[0, 0] <= hi[0, 0]:
                ok.append((scheme, int(lo[0, 0]), int(hi[0, 0])))
        accepted = [x for x in ok if x[0] in ACCEPTED_SCHEMES]
        if accepted:
            _, lo, hi = accepted[0]
            counts = str(lo) if lo == hi else f"{lo}–{hi}"
            self.add(r, "percent_of_count", "info", r["percent_printed"], counts, tuple(x[0] for x in ok),
                     f"Không in số đếm; {_pct(printed)} của {base} ứng với số đếm {counts}.",
                     f"No count printed; {_pct(printed, 'en')} of {base} corresponds to a count of {counts}.")
        else:
            sev = "warning" if ok else "error"
            self.add(r, "percent_of_count", sev, r["percent_printed"], None, tuple(x[0] for x in ok),
                     f"Không có số đếm nguyên nào trên {base} cho ra {_pct(printed)} khi làm tròn"
                     + (" (chỉ khi cắt bỏ/làm tròn lên)." if ok else "."),
                     f"No whole count out of {base} gives {_pct(printed, 'en')} when rounded"
                     + (" (only by truncation/ceiling)." if ok else "."))

    # -- sums
    def _parts_sum(self):
        if self.total is None or self.total_approx:
            return
        top = self._top()
        if not top or any(f.count is None or f.count_qualified for f in top) or all(f.implied for f in top):
            return
        if any(f.implied for f in top):
            return  # an implied count makes the sum hold by construction (reported as implied_count)
        total = sum(f.count for f in top)
        terms = " + ".join(str(f.count) for f in top)
        rows = tuple(f.count_row for f in top if f.count_row is not None)
        if total == self.total:
            self.add(self.total_row, "parts_sum_to_total", "info", self.total_row["count_printed"],
                     format_count(total), (),
                     f"Các phần cộng lại bằng tổng: {terms} = {total}.",
                     f"The parts add up to the total: {terms} = {total}.", rows=rows)
        else:
            diff = self.total - total
            gap_vi = f"thiếu {abs(diff)}" if diff > 0 else f"thừa {abs(diff)}"
            gap_en = f"{abs(diff)} missing" if diff > 0 else f"{abs(diff)} too many"
            self.add(self.total_row, "parts_sum_to_total", "error", self.total_row["count_printed"],
                     format_count(total), (),
                     f"Các phần không cộng lại bằng tổng in ra: {terms} = {total}, nhưng tổng in ra là "
                     f"{self.total_row['count_printed']} ({gap_vi}).",
                     f"The parts do not add up to the printed total: {terms} = {total}, but the printed total is "
                     f"{self.total_row['count_printed']} ({gap_en}).", rows=rows)

    def _percent_sum(self):
        top = self._top()
        if not top:
            return
        base = self.total if self.total is not None and not self.total_approx else None
        terms = []  # (fact, printed PrintedNumber or None, row or None, exact Fraction or None)
        for f in top:
            row = next((r for r in f.rows if r["percent"] is not None), None)
            if row is not None:
                terms.append((f, parse_printed(row["percent_printed"], "percent"), row, None))
            elif f.count is not None and (base or f.count == 0) and not f.count_qualified:
                terms.append((f, None, f.count_row, Fraction(100 * f.count, base) if base else Fraction(0)))
            else:
                terms.append((f, None, None, None))
        printed_terms = [t for t in terms if t[1] is not None]
        if len(printed_terms) < 2 and not (printed_terms and base):
            return
        exhaustive = base is not None and all(t[1] is not None or t[3] is not None for t in terms)
        used = [t for t in terms if t[1] is not None or (exhaustive and t[3] is not None)]
        d = max(t[1].decimals for t in printed_terms)
        fits = _sum_hulls([t[1] for t in used if t[1] is not None],
                          sum((t[3] for t in used if t[1] is None), Fraction(0)), self.schemes)

        def show(language):
            parts = []
            for f, p, r, exact in used:
                if p is not None:
                    parts.append(_pct(p, language))
                elif exact:
                    parts.append(f"({f.count}/{base} = {format_percent(exact, d, language)})")
            return " + ".join(parts)

        exact_sum = sum((t[1].value if t[1] is not None else t[3]) for t in used)
        s_vi, s_en = format_number(exact_sum, d), format_number(exact_sum, d, "en")
        rows = tuple(t[2] for t in used if t[2] is not None)
        first = printed_terms[0][2]
        rest_rows = tuple(r for r in rows if r is not first)
        if exhaustive:
            ok = tuple(s for s, lo, hi in fits if lo <= 100 <= hi)
            accepted = [s for s in ok if s in ACCEPTED_SCHEMES]
            sev = "info" if accepted else ("warning" if ok else "error")
            verdict_vi = "nằm trong sai số làm tròn" if accepted else (
                "chỉ khớp khi cắt bỏ/làm tròn lên" if ok else "vượt quá sai số làm tròn")
            verdict_en = "within the rounding slack" if accepted else (
                "only under truncation/ceiling" if ok else "beyond the rounding slack")
            self.add(first, "percents_sum_to_100", sev, s_vi + "%", "100%", ok,
                     f"Tổng các tỉ lệ: {show('vi')} = {s_vi} %; so với 100 %: {verdict_vi}.",
                     f"Sum of the percentages: {show('en')} = {s_en} %; against 100 %: {verdict_en}.",
                     category="(tổng tỉ lệ)", rows=rest_rows)
        elif len(printed_terms) >= 2:
            if all(lo > 100 for _, lo, _ in fits):
                self.add(first, "percents_sum_to_100", "error", s_vi + "%", "≤ 100%", (),
                         f"Các tỉ lệ cộng lại vượt 100 %: {show('vi')} = {s_vi} %, kể cả khi tính sai số làm tròn.",
                         f"The percentages add up to more than 100 %: {show('en')} = {s_en} %, even allowing for "
                         f"rounding.", category="(tổng tỉ lệ)", rows=rest_rows)
            elif exact_sum < 100:
                rest = 100 - exact_sum
                self.add(first, "percents_sum_to_100", "info", s_vi + "%", None, (),
                         f"Các tỉ lệ in ra cộng lại {s_vi} %; còn {format_number(rest, d)} % không được in "
                         f"(một mức khác, ví dụ yếu kém).",
                         f"The printed percentages add up to {s_en} %; {format_number(rest, d, 'en')} % is not "
                         f"printed (another level, e.g. weak).", category="(tổng tỉ lệ)", rows=rest_rows)

    def _cumulative(self):
        order = {"fail": 0, "pass": 1, "good": 2, "top": 3}
        top = [f for f in self._top() if f.common in order]
        for fact in self.facts:
            if not fact.cumulative or fact.count is None or fact.common not in order:
                continue
            covered = [f for f in top if order[f.common] >= order[fact.common]]
            levels = {f.common for f in covered}
            wanted = {c for c, o in order.items() if o >= order[fact.common]}
            if not covered or levels != wanted or any(f.count is None for f in covered):
                continue
            total = sum(f.count for f in covered)
            row = fact.count_row
            terms = " + ".join(str(f.count) for f in covered)
            sev = "info" if total == fact.count else "error"
            self.add(row, "cumulative_category", sev, row["count_printed"], format_count(total), (),
                     f"“{fact.label}” gồm mức này và các mức trên: {terms} = {total}; in ra {row['count_printed']}"
                     + (": khớp." if sev == "info" else ": không khớp."),
                     f"“{fact.label}” holds this level and those above: {terms} = {total}; printed "
                     f"{row['count_printed']}" + (": reproduced." if sev == "info" else ": not reproduced."),
                     rows=tuple(f.count_row for f in covered if f.count_row))

    # -- bases
    def _recover(self):
        top = self._top()
        cells = []
        for f in top:
            row = next((r for r in f.rows if r["percent"] is not None), None)
            if row is not None and row["base"] is None:
                cells.append((f, row))
        if not cells:
            return
        has_base = self.total is not None and not self.total_approx
        if has_base:
            bad = [fi for fi in self.findings if fi["check"] == "percent_of_count" and fi["severity"] != "info"
                   and any(fi["row"] == r["row"] for _, r in cells)]
            if not bad:
                return
        printed = [parse_printed(r["percent_printed"], "percent") for _, r in cells]
        decimals = min(p.decimals for p in printed)
        limit = min(self.max_base, 100 * 10**decimals - 1)
        if has_base:
            limit = min(limit, 2 * self.total + 10)  # bases near the printed total explain it; far ones do not
        exhaustive = has_base and len(cells) == len(top)
        candidates = recover_bases(printed, max_base=limit, exhaustive=exhaustive, schemes=ACCEPTED_SCHEMES)
        labels = [f.label for f, _ in cells]
        self.denominators.append({
            "source_id": self.source_id, "table_id": self.table_id, "year": self.year,
            "categories": labels, "percents": [r["percent_printed"] for _, r in cells],
            "exhaustive": exhaustive, "max_base": limit, "n_candidates": len(candidates),
            "every_base_fits_from": 100 * 10**decimals,
            "candidates": [{"base": c.base, "counts": dict(zip(labels, c.counts)), "schemes": list(c.schemes)}
                           for c in candidates[:CANDIDATES_KEPT]],
        })
        first = cells[0][1]
        rows = tuple(r for _, r in cells[1:])
        after_vi = f"; từ {format_count(100 * 10**decimals)} trở lên mọi mẫu số đều khớp (không còn thông tin)"
        after_en = f"; from {format_count(100 * 10**decimals, 'en')} on every base fits (no information left)"
        if not candidates:
            self.add(first, "recovered_base", "info" if has_base else "error",
                     "; ".join(r["percent_printed"] for _, r in cells), None, (),
                     f"Không có mẫu số nào đến {format_count(limit)} tái tạo được mọi tỉ lệ của bảng"
                     + (": chỗ sai nằm ở tỉ lệ in ra, không phải ở mẫu số." if has_base else "."),
                     f"No base up to {format_count(limit, 'en')} reproduces every percentage of the table"
                     + (": the error is in a printed percentage, not in the base." if has_base else "."),
                     category="(mẫu số)", rows=rows)
            return
        shown = candidates[:CANDIDATES_SHOWN]
        if has_base:
            shown = sorted(candidates, key=lambda c: (abs(c.base - self.total), c.base))[:CANDIDATES_SHOWN]
        def describe(c, language):
            parts = ", ".join(f"{format_count(k, language)}" for k in c.counts)
            left = c.base - sum(c.counts)
            extra = ""
            if left and not exhaustive:
                share = format_percent(Fraction(100 * left, c.base), decimals, language)
                extra = f"; {'còn' if language == 'vi' else 'leaving'} {format_count(left, language)} = {share}"
            return f"N = {format_count(c.base, language)} ({parts}{extra})"
        list_vi = "; ".join(describe(c, "vi") for c in shown)
        list_en = "; ".join(describe(c, "en") for c in shown)
        lead_vi = (f"Tổng in ra {self.total} không tái tạo được mọi tỉ lệ; các mẫu số khớp gần nhất: "
                   if has_base else "Mẫu số không in ra; các mẫu số nhỏ nhất tái tạo mọi tỉ lệ: ")
        lead_en = (f"The printed total {self.total} does not reproduce every percentage; the nearest bases that do: "
                   if has_base else "The base is not printed; the smallest bases reproducing every percentage: ")
        self.add(first, "recovered_base", "info", "; ".join(r["percent_printed"] for _, r in cells),
                 format_count(shown[0].base), shown[0].schemes,
                 f"{lead_vi}{list_vi} ({format_count(len(candidates))} mẫu số đến {format_count(limit)}{after_vi}).",
                 f"{lead_en}{list_en} ({format_count(len(candidates), 'en')} bases up to "
                 f"{format_count(limit, 'en')}{after_en}).", category="(mẫu số)", rows=rows)


def _sum_hulls(printed: list[PrintedNumber], exact: Fraction, schemes) -> list[tuple[str, Fraction, Fraction]]:
    """(scheme, low, high) of the sum of the true values behind ``printed`` plus ``exact``.

    Integer arithmetic in units of ``1/(2·10**d)`` (d the most decimals printed), since
    this runs once per table.
    """
    d = max(p.decimals for p in printed)
    scale = 2 * 10**d
    out = []
    hulls = {}
    for scheme in schemes:
        key = "half" if scheme in ("half_up", "half_even") else scheme
        if key not in hulls:
            lo = hi = 0
            for p in printed:
                if p.qualifier is not None:
                    a, b = _interval(p, scheme)
                    lo += a * scale
                    hi += b * scale
                    continue
                v = p.value.numerator * scale // p.value.denominator
                u = 10 ** (d - p.decimals)
                if key == "half":
                    lo, hi = lo + max(v - u, 0), hi + v + u
                elif key == "truncate":
                    lo, hi = lo + v, hi + v + 2 * u
                else:
                    lo, hi = lo + max(v - 2 * u, 0), hi + v
            hulls[key] = (Fraction(lo, scale) + exact, Fraction(hi, scale) + exact)
        out.append((scheme, *hulls[key]))
    return out


def _interval(printed: PrintedNumber, scheme: str) -> tuple[Fraction, Fraction]:
    """Closed hull of the true values of one printed percentage (qualifier windows included)."""
    if printed.qualifier is not None:
        lower, upper = QUALIFIER_WINDOWS[printed.qualifier]
        w = printed.qualifier_unit
        return printed.value + lower * w, printed.value + upper * w
    u = printed.unit
    if scheme in ("half_up", "half_even"):
        return max(printed.value - u / 2, Fraction(0)), printed.value + u / 2
    if scheme == "truncate":
        return printed.value, printed.value + u
    return max(printed.value - u, Fraction(0)), printed.value


def check_table(rows: list[dict], schemes: Sequence[str] = SCHEMES, max_base: int = 100_000) -> TableResult:
    """Apply every rule to one table.

    Parameters
    ----------
    rows : list of dict
        Rows of :func:`helpers.published.read_published` sharing ``source_id`` and
        ``table_id`` (missing values as None).
    schemes : sequence of str
        Rounding schemes tried (accepted: half_up, half_even).
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
