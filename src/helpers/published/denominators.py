"""The denominator of a table: another base that fits it, or the bases its percentages allow.

wrong_denominator
    When some percentage of the total does not match, and one base near the
    printed total — within ±:data:`helpers.published.cell.OTHER_BASE_DISTANCE`,
    or one keystroke away (``62`` for ``61``) — reproduces *every* percentage
    of the table under an accepted rounding, the table gets one warning naming
    that base instead of an error per cell. The counts must agree too: when
    the parts of a relation of the total (levels, or a "trở lên" level with
    the levels below) all have counts that do not hang on the printed total,
    they must add up to that base (the pattern "545 existing, 543 evaluated,
    percentages of 543"); parts adding up to the printed total confirm it, and
    no other base is offered. When no such sum exists, one cell alone is too
    weak a proof (at one decimal a random base near 60 fits a given percentage
    6 % of the time): the base must fit at least two percentages.
recovered_base
    When the base is not printed (or the printed total fits nothing), every
    base that reproduces all percentages (:func:`helpers.published.recover_bases`).
"""

from __future__ import annotations

from fractions import Fraction

from helpers.numbers import format_count, format_percent
from helpers.published.bases import recover_bases
from helpers.published.cell import BASE_CATEGORY, OTHER_BASE_DISTANCE, one_digit_variants, reproduces
from helpers.published.printed import parse_printed
from helpers.published.rounding import ACCEPTED_SCHEMES, printed_interval

#: Candidates shown in a message and kept in the denominators list.
CANDIDATES_SHOWN = 5
CANDIDATES_KEPT = 20


def _fits(cell, base: int, shift: int) -> bool:
    node, printed = cell.node, cell.printed
    if printed.qualifier is not None:
        return False
    if node.count is None:
        return any(lo <= hi for lo, hi in (printed_interval(printed.value, printed.decimals, s).count_range(base)
                                           for s in ACCEPTED_SCHEMES))
    count = node.count + (shift if node.implied and node.source is not None and
                          node.source.whole is cell.total else 0)
    return reproduces(count, base, printed)


def _fits_any(cell, base: int, schemes) -> bool:
    """Whether some count out of ``base`` gives a percentage printed without its count, under any scheme tried
    (the cell is then not an error at that base)."""
    printed = cell.printed
    if printed.qualifier is not None:
        return True
    return any(lo <= hi for lo, hi in (printed_interval(printed.value, printed.decimals, s).count_range(base)
                                       for s in schemes if s != "up_or_down"))


def wrong_denominator(checker, cells) -> int | None:
    """The base that fits the whole table when the printed total does not (see module notes), reported; or None."""
    model = checker.model
    at_total = [c for c in cells if c.how == "total" and c.repeat_of is None]
    if not model.total.known or model.total.count <= 0:
        return None
    total = model.total.count
    bad = [c for c in at_total if (c.verdict.severity == "error" if c.verdict is not None else
                                   c.node.count is None and not _fits_any(c, total, checker.schemes))]
    if not bad:
        return None
    for c in at_total:
        c.total = model.total
    def fixed(p):   # a count that does not hang on the printed total
        return p.known and not (p.implied and p.source is not None and p.source.whole is model.total)

    sums = {sum(p.count for p in rel.parts) for rel in model.relations
            if rel.whole is model.total and all(fixed(p) for p in rel.parts)}
    if total in sums or len(sums) > 1:
        return None   # the counts confirm the printed total (or contradict each other: no single base)
    parts_sum = sums.pop() if sums else None
    near = [total + s * d for d in range(1, OTHER_BASE_DISTANCE + 1) for s in (-1, 1)]
    typos = sorted(one_digit_variants(total) - set(near), key=lambda b: (abs(b - total), b))
    for base in near + typos:
        if base <= 0 or not all(_fits(c, base, base - total) for c in at_total):
            continue
        if parts_sum is not None and parts_sum != base or parts_sum is None and len(at_total) < 2:
            continue
        _report(checker, at_total, bad, base, total, base not in near)
        for c in bad:
            c.explained = True
        return base
    return None


def _report(checker, cells, bad, base, total, typo):
    first = bad[0].row

    def count_at(c, language):
        if c.node.count is not None:
            hangs = c.node.implied and c.node.source is not None and c.node.source.whole is checker.model.total
            return format_count(c.node.count + (base - total if hangs else 0), language)
        lo, hi = printed_interval(c.printed.value, c.printed.decimals, "half_up").count_range(base)
        return format_count(lo, language) if lo == hi else f"{format_count(lo, language)}–{format_count(hi, language)}"

    listed_vi = "; ".join(f"{count_at(c, 'vi')}/{format_count(base)} → {c.printed.text}" for c in cells)
    listed_en = "; ".join(f"{count_at(c, 'en')}/{format_count(base, 'en')} → {c.printed.text}" for c in cells)
    why_vi = ("có thể là lỗi đánh máy một chữ số ở tổng" if typo else
              "có thể tỉ lệ được tính trên số được đánh giá, không phải số hiện có")
    why_en = ("perhaps a one-digit typo in the total" if typo else
              "perhaps the percentages are of the number evaluated rather than the number existing")
    checker.add(first, "wrong_denominator", "warning", checker.model.total.count_row["count_printed"],
                format_count(base), ACCEPTED_SCHEMES,
                f"Với tổng in ra {format_count(total)}, {len(bad)} tỉ lệ không khớp; với mẫu số {format_count(base)} "
                f"thì mọi tỉ lệ của bảng đều khớp khi làm tròn nửa lên ({listed_vi}): {why_vi}.",
                f"With the printed total {format_count(total, 'en')}, {len(bad)} percentage(s) do not match; with a "
                f"base of {format_count(base, 'en')} every percentage of the table is reproduced by rounding half up "
                f"({listed_en}): {why_en}.",
                category=BASE_CATEGORY, rows=tuple(c.row for c in cells) + (checker.model.total.count_row,))


def recover_table_base(checker) -> None:
    """Bases reproducing the percentages of the levels printed without a base (``recovered_base``)."""
    model = checker.model
    partition = model.partition
    cells = []
    for node in model.levels():
        if node.parent is not None:
            continue
        row = next((r for r in node.percent_rows if r["base"] is None), None)
        if row is not None:
            cells.append((node, row))
    if not cells:
        return
    has_base = model.total.known and not model.total_approx
    if has_base:
        rows = {r["row"] for _, r in cells}
        bad = [f for f in checker.findings if f["check"] == "percent_of_count" and f["severity"] == "error"
               and f["row"] in rows]
        if not bad:
            return
    printed = [parse_printed(r["percent_printed"], "percent") for _, r in cells]
    decimals = min(p.decimals for p in printed)
    limit = min(checker.max_base, 100 * 10**decimals - 1)
    if has_base:
        limit = min(limit, 2 * model.total.count + 10)  # bases near the printed total explain it; far ones do not
    exhaustive = (partition is not None and partition.certain and not model.absent
                  and len(cells) == len(partition.parts))
    candidates = recover_bases(printed, max_base=limit, exhaustive=exhaustive, disjoint=True,
                               schemes=ACCEPTED_SCHEMES)
    labels = [n.label for n, _ in cells]
    checker.denominators.append({
        "source_id": checker.source_id, "table_id": checker.table_id, "year": checker.year,
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
    printed_text = "; ".join(r["percent_printed"] for _, r in cells)
    if not candidates:
        # Without a printed base this is the table's only verdict on its percentages, unless another
        # finding (their sum over 100 %) already says they are wrong.
        known_error = any(f["severity"] == "error" for f in checker.findings)
        checker.add(first, "recovered_base", "info" if has_base or known_error else "error", printed_text, None, (),
                    f"Không có mẫu số nào đến {format_count(limit)} tái tạo được mọi tỉ lệ của bảng khi làm tròn nửa "
                    f"lên hay nửa về số chẵn"
                    + (": chỗ sai nằm ở tỉ lệ in ra, không phải ở mẫu số." if has_base else "."),
                    f"No base up to {format_count(limit, 'en')} reproduces every percentage of the table by "
                    f"rounding half up or half to even"
                    + (": the error is in a printed percentage, not in the base." if has_base else "."),
                    category=BASE_CATEGORY, rows=rows)
        return
    shown = candidates[:CANDIDATES_SHOWN]
    if has_base:
        shown = sorted(candidates, key=lambda c: (abs(c.base - model.total.count), c.base))[:CANDIDATES_SHOWN]

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
    lead_vi = (f"Tổng in ra {model.total.count} không tái tạo được mọi tỉ lệ; các mẫu số khớp gần nhất: "
               if has_base else "Mẫu số không in ra; các mẫu số nhỏ nhất tái tạo mọi tỉ lệ: ")
    lead_en = (f"The printed total {model.total.count} does not reproduce every percentage; the nearest bases "
               f"that do: " if has_base else "The base is not printed; the smallest bases reproducing every "
                                             "percentage: ")
    checker.add(first, "recovered_base", "info", printed_text, format_count(shown[0].base), shown[0].schemes,
                f"{lead_vi}{list_vi} ({format_count(len(candidates))} mẫu số đến {format_count(limit)}, làm tròn "
                f"nửa lên hoặc nửa về số chẵn{after_vi}).",
                f"{lead_en}{list_en} ({format_count(len(candidates), 'en')} bases up to "
                f"{format_count(limit, 'en')}, rounding half up or half to even{after_en}).",
                category=BASE_CATEGORY, rows=rows)
