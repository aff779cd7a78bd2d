"""Do the printed percentages of a table add up to 100 %?

Only percentages of parts that partition the total are added: the levels of
the scale, or a cumulative level with the levels below it ("604 HTTNV trở
lên, 91,2 %" + "HTNV 8,8 %" + "KHTNV 0" = 100,0 %). A part whose percentage is
not printed counts with its exact share when its count and the total are
printed (``count/total``), and as 0 when its count is 0. A "trong đó" part,
whose percentage is of its parent, is never added to the levels.

When every part of a partition has a percentage, the sum must reach 100 within
the rounding slack of the printed values (error when no scheme allows it,
warning when only an unusual scheme does). When some part has none (a partial
table), the printed ones must not exceed 100, and what is left is information.
"""

from __future__ import annotations

from fractions import Fraction

from helpers.numbers import format_number
from helpers.published.cell import SUM_CATEGORY, english, percent_text, scheme_words
from helpers.published.printed import QUALIFIER_WINDOWS, PrintedNumber
from helpers.published.rounding import ACCEPTED_SCHEMES


def _term(model, node):
    """(printed PrintedNumber or None, exact Fraction or None, row or None) of one part at the total base."""
    for r in node.percent_rows:
        if node.parent is None and node.kind != "absent" and (r["base"] is None or r["base"] == model.total.count):
            from helpers.published.printed import parse_printed

            return parse_printed(r["percent_printed"], "percent"), None, r
    total = model.total.count if model.total.known and not model.total_approx else None
    if node.known and node.count == 0:
        return None, Fraction(0), node.count_row
    if node.known and total and node.count <= total:
        return None, Fraction(100 * node.count, total), node.count_row
    return None, None, None


def check_percent_sums(checker) -> None:
    """Add the percentages of the partitions of ``checker.model``'s total (see module notes)."""
    model = checker.model
    partitions = [r for r in model.relations if r.whole is model.total]
    if not partitions or (model.total.known and model.total.count <= 0):
        return   # no parts, or a total of 0 (reported by base_positive): no percentage to add
    chosen = None
    for rel in partitions:
        terms = [(p, *_term(model, p)) for p in rel.parts]
        printed = [t for t in terms if t[1] is not None]
        if printed and len(terms) >= 2 and all(t[1] is not None or t[2] is not None for t in terms):
            chosen = (rel, terms, True)
            break
    if chosen is None:
        rel = partitions[0]
        chosen = (rel, [(p, *_term(model, p)) for p in rel.parts], False)
    rel, terms, exhaustive = chosen
    printed_terms = [t for t in terms if t[1] is not None]
    if not printed_terms:
        return
    used = [t for t in terms if t[1] is not None or (exhaustive and t[2] is not None)]
    d = max(t[1].decimals for t in printed_terms)
    exact_part = sum((t[2] for t in used if t[1] is None), Fraction(0))
    fits = sum_hulls([t[1] for t in printed_terms], exact_part, checker.schemes)

    def show(language):
        parts = []
        for node, p, exact, _ in used:
            if p is not None:
                parts.append(p.text)
            elif exact:
                base = model.total.count
                parts.append(f"({node.count}/{base} = {percent_text(exact, d, language)})")
            else:
                parts.append(f"0 ({node.label})" if language == "vi" else f"0 ({node.label})")
        return " + ".join(parts)

    exact_sum = sum((t[1].value if t[1] is not None else t[2]) for t in used)
    s_vi = percent_text(exact_sum, d, sign=False)
    s_en = english(s_vi) if exact_sum < 1000 else format_number(exact_sum, d, "en")
    rows = tuple(t[3] for t in used if t[3] is not None)
    first = printed_terms[0][3]
    rest_rows = tuple(r for r in rows if r is not first)
    structure_vi = ("mức “trở lên” và các mức dưới" if rel.kind == "derived" else
                    "các mức của thang xếp loại" if rel.kind == "levels" else "các loại được liệt kê")
    structure_en = ("the “trở lên” level and the levels below" if rel.kind == "derived" else
                    "the levels of the rating scale" if rel.kind == "levels" else "the kinds listed")
    if exhaustive:
        ok = tuple(s for s, lo, hi in fits if lo <= 100 <= hi)
        accepted = [s for s in ok if s in ACCEPTED_SCHEMES]
        sev = "info" if accepted else ("warning" if ok else "error")
        verdict_vi = "nằm trong sai số làm tròn" if accepted else (
            f"chỉ khớp khi {scheme_words(ok, 'vi')}" if ok else "vượt quá sai số làm tròn của mọi cách làm tròn")
        verdict_en = "within the rounding slack" if accepted else (
            f"only under {scheme_words(ok, 'en')}" if ok else "beyond the rounding slack of every scheme")
        if sev != "info" and all(node.known for node, p, _, _ in printed_terms):
            # Every printed percentage was checked against its own count: a sum off 100 % is the sum of
            # those cells' findings, not a second problem.
            sev = "info"
            verdict_vi += " — do các tỉ lệ không khớp số đếm của chúng (xem các phát hiện theo từng ô)"
            verdict_en += " — because of the percentages that do not match their counts (see the cell findings)"
        checker.add(first, "percents_sum_to_100", sev, s_vi + "%", "100%", ok,
                    f"Tổng các tỉ lệ của {structure_vi}: {show('vi')} = {s_vi} %; so với 100 %: {verdict_vi}.",
                    f"Sum of the percentages of {structure_en}: {show('en')} = {s_en} %; against 100 %: "
                    f"{verdict_en}.", category=SUM_CATEGORY, rows=rest_rows)
        return
    if all(lo > 100 for _, lo, _ in fits):
        checker.add(first, "percents_sum_to_100", "error", s_vi + "%", "≤ 100%", (),
                    f"Các tỉ lệ của {structure_vi} cộng lại vượt 100 %: {show('vi')} = {s_vi} %, kể cả khi tính sai số "
                    f"làm tròn.",
                    f"The percentages of {structure_en} add up to more than 100 %: {show('en')} = {s_en} %, even "
                    f"allowing for rounding.", category=SUM_CATEGORY, rows=rest_rows)
    elif exact_sum < 100:
        missing = [t[0] for t in terms if t[1] is None and t[2] is None]
        names = ", ".join(f"“{n.label}”" for n in missing)
        rest = 100 - exact_sum
        checker.add(first, "percents_sum_to_100", "info", s_vi + "%", None, (),
                    f"Các tỉ lệ in ra cộng lại {s_vi} %; còn {format_number(rest, d)} % thuộc các mục bài không in "
                    f"tỉ lệ ({names}).",
                    f"The printed percentages add up to {s_en} %; {format_number(rest, d, 'en')} % belongs to the "
                    f"categories the article prints no percentage for ({names}).",
                    category=SUM_CATEGORY, rows=rest_rows)


def sum_hulls(printed: list[PrintedNumber], exact: Fraction, schemes) -> list[tuple[str, Fraction, Fraction]]:
    """(scheme, low, high) of the sum of the true values behind ``printed`` plus ``exact``.

    Integer arithmetic in units of ``1/(2·10**d)`` (d the most decimals printed); the half rules
    (half up, to even, down, up or down) share one closed hull.
    """
    d = max(p.decimals for p in printed)
    scale = 2 * 10**d
    plain, extra_lo, extra_hi = [], Fraction(0), Fraction(0)
    for p in printed:
        if p.qualifier is not None:
            a, b = _interval(p, "half_up")
            extra_lo, extra_hi = extra_lo + a, extra_hi + b
        else:
            value = p.value
            plain.append((value.numerator * scale // value.denominator, 10 ** (d - p.decimals)))
    v_sum = sum(v for v, _ in plain)
    u_sum = sum(u for _, u in plain)
    low_half = sum(max(v - u, 0) for v, u in plain)
    low_ceiling = sum(max(v - 2 * u, 0) for v, u in plain)
    bounds = {"half": (low_half, v_sum + u_sum), "truncate": (v_sum, v_sum + 2 * u_sum),
              "ceiling": (low_ceiling, v_sum)}
    exact_lo, exact_hi = exact + extra_lo, exact + extra_hi
    hulls, out = {}, []
    for scheme in schemes:
        key = scheme if scheme in ("truncate", "ceiling") else "half"
        if key not in hulls:
            lo, hi = bounds[key]
            hulls[key] = (Fraction(lo, scale) + exact_lo, Fraction(hi, scale) + exact_hi)
        out.append((scheme, *hulls[key]))
    return out


def _interval(printed: PrintedNumber, scheme: str) -> tuple[Fraction, Fraction]:
    """Closed hull of the true values of one printed percentage (qualifier windows included)."""
    if printed.qualifier is not None:
        lower, upper = QUALIFIER_WINDOWS[printed.qualifier]
        w = printed.qualifier_unit
        return printed.value + lower * w, printed.value + upper * w
    u = printed.unit
    if scheme in ("half_up", "half_even", "half_down", "up_or_down"):
        return max(printed.value - u / 2, Fraction(0)), printed.value + u / 2
    if scheme == "truncate":
        return printed.value, printed.value + u
    return max(printed.value - u, Fraction(0)), printed.value
