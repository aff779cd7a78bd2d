"""Counts that must add up: implied counts, partial tables and sums, from the table's relations.

Each relation of :mod:`.structure` (``whole = Σ parts``) is reported once:

* a count it implies (one unknown part) → ``implied_count`` (info), naming
  the structure ("total = levels of the scale", "‘HTTNV trở lên’ = HTTNV + …");
* several unknown parts → ``partial_table`` (info): "the article prints 1 of 4
  levels; the other levels add up to 417";
* known parts exceeding the whole → error;
* every number known → ``parts_sum_to_total`` or ``cumulative_category``:
  info when it adds up; when it does not, an error if the parts certainly
  partition the whole (levels of the scale, a cumulative level), a warning
  when they are a list of kinds of unit that the article may not have
  completed (``trong đó có 25 …, 3 … và 42 …`` of 71), info when a list has a
  single category.

A relation is checked only when it is independent of those already checked or
used to imply a count (one mismatch is reported once, not once per way of
adding it up).
"""

from __future__ import annotations

from helpers.published.cell import one_digit_variants
from helpers.published.structure import count_text as format_count

_EQUATION_VI = {"levels": "tổng = các mức của thang xếp loại", "list": "tổng = các loại được liệt kê",
                "cumulative": "mức “trở lên” = mức đó và các mức trên", "derived": "tổng = mức “trở lên” và các mức dưới"}
_EQUATION_EN = {"levels": "total = the levels of the rating scale", "list": "total = the kinds listed",
                "cumulative": "a “trở lên” level = that level and those above",
                "derived": "total = the “trở lên” level and the levels below"}


def typo_hints(whole: int, parts: list[int], language: str) -> str:
    """One-keystroke typos that would make ``parts`` add up to ``whole``: in the whole (``71`` printed for
    ``70``) or, for a gap of 10 or more, in one part (``22`` printed for ``2``, DOMAIN.md); '' when none."""
    total = sum(parts)
    hints = []
    if total in one_digit_variants(whole):
        hints.append((total, whole, "total"))
    # Below 10 any part's last digit would explain the gap: such a hint says nothing.
    for count in dict.fromkeys(parts) if abs(whole - total) >= 10 else ():
        meant = count + whole - total
        if meant >= 0 and meant in one_digit_variants(count):
            hints.append((meant, count, "part"))
    if not hints:
        return ""
    if language == "vi":
        shown = "; ".join(f"{format_count(m)} in thành {format_count(p)}" for m, p, _ in hints)
        return f"; có thể là lỗi đánh máy một chữ số ({shown})"
    shown = "; ".join(f"{format_count(m, 'en')} printed as {format_count(p, 'en')}" for m, p, _ in hints)
    return f"; perhaps a one-digit typo ({shown})"


def _vector(rel) -> dict:
    v = {id(rel.whole): 1}
    for p in rel.parts:
        v[id(p)] = v.get(id(p), 0) - 1
    return v


def _reduce(vector: dict, basis: list) -> dict:
    """``vector`` with every pivot of ``basis`` eliminated (integer cross-multiplication: no fractions)."""
    v = dict(vector)
    for pivot, b in basis:
        x = v.get(pivot, 0)
        if x:
            y = b[pivot]
            keys = set(v) | set(b)
            v = {k: v.get(k, 0) * y - b.get(k, 0) * x for k in keys}
    return v


def _independent(vector: dict, basis: list) -> bool:
    """Whether ``vector`` is not a linear combination of ``basis`` (each reduced: pivot → vector)."""
    return any(_reduce(vector, basis).values())


def _add_to_basis(vector: dict, basis: list) -> None:
    v = _reduce(vector, basis)
    pivot = next((k for k, x in v.items() if x), None)
    if pivot is not None:
        basis.append((pivot, v))


def _structure(rel, language: str) -> str:
    if rel.kind == "cumulative" or (rel.kind == "derived" and rel.whole.kind == "cumulative"):
        return _EQUATION_VI["cumulative"] if language == "vi" else _EQUATION_EN["cumulative"]
    table = _EQUATION_VI if language == "vi" else _EQUATION_EN
    return table[rel.kind]


def _names(nodes, language: str) -> str:
    return ", ".join(f"“{n.label}”" for n in nodes)


def check_relations(checker, events) -> None:
    """Report implied counts, partial tables and sums of ``checker.model`` (see module notes)."""
    model = checker.model
    basis: list = []
    for event in events:
        if event[0] == "implied":
            _, node, rel = event
            _add_to_basis(_vector(rel), basis)
            row = node.rows[0] if node.rows else (rel.whole.count_row or model.rows[0])
            what_vi = "không in ra" if node.kind != "absent" else "không có trong bài"
            what_en = "is not printed" if node.kind != "absent" else "is absent from the article"
            checker.add(row, "implied_count", "info", row.get("percent_printed") if node.rows else None,
                        format_count(node.count), (),
                        f"Số đếm của “{node.label}” {what_vi}; suy ra theo quan hệ {_structure(rel, 'vi')}: "
                        f"{node.equation('vi')}.",
                        f"The count of “{node.label}” {what_en}; implied by the relation {_structure(rel, 'en')}: "
                        f"{node.equation('en')}.", category=node.label,
                        rows=tuple(n.count_row for n in (rel.whole, *rel.parts) if n.count_row is not None))
    seen = set()
    for event in events:
        if event[0] == "remainder" and frozenset(map(id, event[2])) not in seen:
            seen.add(frozenset(map(id, event[2])))
            _partial(checker, event[1], event[2], event[3])
    negative = [e[1:] for e in events if e[0] == "negative"]
    first = [e for e in negative if e[0].kind != "derived"] or negative[:1]
    for rel, value in first:
        _negative(checker, rel, value)
    for rel in model.relations:
        if rel.used or rel.unknown() or any(p.count_qualified for p in rel.parts) or model.total_approx \
                and rel.whole is model.total:
            continue
        vector = _vector(rel)
        if not _independent(vector, basis):
            continue
        _add_to_basis(vector, basis)
        rel.checked = True
        _check_sum(checker, rel)


def _partial(checker, rel, unknown, value):
    model = checker.model
    row = rel.whole.count_row or model.rows[0]
    known = [p for p in rel.parts if p.known]
    t_vi = " + ".join(format_count(p.count) for p in known) or "0"
    t_en = " + ".join(format_count(p.count, "en") for p in known) or "0"
    w_vi, w_en, v_vi, v_en = (format_count(rel.whole.count), format_count(rel.whole.count, "en"), format_count(value),
                              format_count(value, "en"))
    absent = [p for p in unknown if p.kind == "absent"]
    if rel.kind == "levels" and absent:
        n_levels = len({p.common for p in rel.parts})
        printed = n_levels - len({p.common for p in absent})
        scale_vi = f" ({model.scale.label_vi.lower()})" if model.scale is not None and model.scale.label_vi else ""
        scale_en = f" ({model.scale.label_en.lower()})" if model.scale is not None and model.scale.label_en else ""
        lead_vi = f"Bài in {printed} trên {n_levels} mức của thang xếp loại{scale_vi}; "
        lead_en = f"The article prints {printed} of the {n_levels} levels of the rating scale{scale_en}; "
    else:
        lead_vi = lead_en = ""
    body_vi = (f"các mục chưa có số đếm ({_names(unknown, 'vi')}) cộng lại là {w_vi} − ({t_vi}) = {v_vi} "
               f"(quan hệ {_structure(rel, 'vi')}).")
    body_en = (f"the categories without a count ({_names(unknown, 'en')}) add up to {w_en} − ({t_en}) = {v_en} "
               f"(relation {_structure(rel, 'en')}).")
    checker.add(row, "partial_table", "info", None, format_count(value), (),
                lead_vi + body_vi if lead_vi else body_vi[0].upper() + body_vi[1:],
                lead_en + body_en if lead_en else body_en[0].upper() + body_en[1:],
                category=", ".join(n.label for n in unknown), rows=tuple(p.count_row for p in known if p.count_row))


def _negative(checker, rel, value):
    row = rel.whole.count_row or checker.model.rows[0]
    known = [p for p in rel.parts if p.known]
    total = sum(p.count for p in known)
    t_vi = " + ".join(format_count(p.count) for p in known)
    t_en = " + ".join(format_count(p.count, "en") for p in known)
    checker.add(row, "parts_sum_to_total", "error", row.get("count_printed"), format_count(total), (),
                f"Các phần đã in vượt quá “{rel.whole.label}”: {t_vi} = {format_count(total)} > "
                f"{format_count(rel.whole.count)} (quan hệ {_structure(rel, 'vi')}).",
                f"The printed parts exceed “{rel.whole.label}”: {t_en} = {format_count(total, 'en')} > "
                f"{format_count(rel.whole.count, 'en')} (relation {_structure(rel, 'en')}).", rows=tuple(p.count_row for p in known if p.count_row))


def _check_sum(checker, rel):
    whole = rel.whole
    row = whole.count_row
    total = sum(p.count for p in rel.parts)
    t_vi, t_en = rel.terms("vi"), rel.terms("en")
    n_vi, n_en = format_count(total), format_count(total, "en")
    rows = tuple(p.count_row for p in rel.parts if p.count_row is not None)
    cumulative = whole.kind == "cumulative"
    check = "cumulative_category" if cumulative else "parts_sum_to_total"
    s_vi, s_en = _structure(rel, "vi"), _structure(rel, "en")
    printed = row["count_printed"] if row else str(whole.count)
    if total == whole.count:
        checker.add(row, check, "info", printed, format_count(total), (),
                    f"“{whole.label}”: {t_vi} = {n_vi} (quan hệ {s_vi}); in ra {printed}: khớp.",
                    f"“{whole.label}”: {t_en} = {n_en} (relation {s_en}); printed {printed}: reproduced.",
                    rows=rows)
        return
    diff = whole.count - total
    gap_vi = f"thiếu {format_count(abs(diff))}" if diff > 0 else f"thừa {format_count(abs(diff))}"
    gap_en = f"{format_count(abs(diff), 'en')} missing" if diff > 0 else f"{format_count(abs(diff), 'en')} too many"
    counts = [p.count for p in rel.parts]
    hint_vi, hint_en = typo_hints(whole.count, counts, "vi"), typo_hints(whole.count, counts, "en")
    if rel.certain or diff < 0:
        severity = "error"
        why_vi, why_en = "", ""
    elif len(rel.parts) == 1:
        severity = "info"
        why_vi = "; bài chỉ in một loại, không nói đã liệt kê đủ"
        why_en = "; the article prints a single kind and does not claim to list them all"
    else:
        severity = "warning"
        why_vi = ("; các mục không phải các mức của một thang xếp loại, nên không biết bài đã liệt kê đủ chưa: "
                  f"nếu đủ thì {gap_vi}")
        why_en = ("; the parts are not the levels of a rating scale, so whether the article lists them all is "
                  f"unknown: if it does, {gap_en}")
    wrong = checker.wrong_base
    if severity == "error" and wrong is not None and whole is checker.model.total and total == wrong:
        severity = "warning"
        why_vi = (f"; các phần cộng lại bằng {format_count(wrong)}, đúng mẫu số mà mọi tỉ lệ của bảng được tính "
                  f"trên đó: có lẽ {format_count(wrong)} là số được đánh giá, {printed} là số hiện có")
        why_en = (f"; the parts add up to {format_count(wrong, 'en')}, the very base every percentage of the table "
                  f"was computed on: perhaps {format_count(wrong, 'en')} were evaluated out of {printed}")
    if severity == "warning" and not rel.certain:
        gap_vi = gap_en = ""
    else:
        gap_vi, gap_en = f" ({gap_vi})", f" ({gap_en})"
    checker.add(row, check, severity, printed, format_count(total), (),
                f"“{whole.label}”: {t_vi} = {n_vi} (quan hệ {s_vi}), nhưng in ra {printed}{gap_vi}{why_vi}"
                f"{hint_vi}.",
                f"“{whole.label}”: {t_en} = {n_en} (relation {s_en}), but printed {printed}{gap_en}{why_en}"
                f"{hint_en}.", rows=rows)
