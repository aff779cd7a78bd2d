"""Totals and populations of the draft tables: the rows that say how many units a table is about.

* a total printed with its cue ("… được đánh giá là 61", "N <unit> được đánh giá, xếp loại", "100% … được đánh
  giá", "đánh giá chất lượng ở 117/120 …"): :func:`total_row`;
* a named population ("xếp loại 56 tổ chức đảng làm điểm"): its size becomes the total of each table of it
  (:func:`population`, :func:`add_population_totals`);
* a plain count of the units in a sentence of its own ("Đảng bộ thành phố có 709 TCCSĐ.") followed in the same
  paragraph by ratings of those units: their total, with ``confidence`` 0.8 (:func:`add_plain_totals`);
* a composition of units ("71 tổ chức cơ sở Đảng trực thuộc, trong đó có 25 …, 3 … và 42 …"): not a rating, kept
  because its parts can be checked against its total (:func:`composition`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.published.extract import lexicon as lx
from helpers.published.extract import patterns as pt
from helpers.published.extract import sentences as st


def units_in(scan: str, start: int, end: int):
    """Unit nouns of ``scan[start:end]``, less "đảng bộ huyện/tỉnh …" (the owner of the units, not a unit)."""
    for m in lx.UNIT_PATTERN.finditer(scan, start, end):
        if lx.is_owner(scan, m.start(), m.end()):
            continue
        yield m


@dataclass
class Population:
    """A population named in a paragraph ("xếp loại 56 tổ chức đảng làm điểm"): its tag and size."""

    tag: str
    category: str
    size: str | None
    quote: tuple[int, int]
    line: int
    pilot: bool = False



def total_category(text: str, scan: str, start: int, end: int) -> tuple[str, str] | None:
    """The category and the printed phrase of a total ("số lượng tổ chức cơ sở đảng … được đánh giá") in
    ``[start, end)``. A phrase the checker would not read as a total ("Chi bộ trực thuộc … kiểm điểm, đánh giá")
    gets "tổng số" before it in the category."""
    cue = None
    for m in lx.TOTAL_CUES.finditer(scan, start, end):
        cue = m
    if cue is None:
        return None
    first = next(units_in(scan, start, end), None)
    tong = re.search(r"(?<![a-z])(?:tong\s+so|so\s+luong)(?![a-z])", scan[start:end])
    begin = min([p for p in (first.start() if first else None, start + tong.start() if tong else None)
                 if p is not None], default=None)
    if begin is None:
        generic = re.match(r"\s*(?:" + "|".join(lx.GENERIC_UNITS).replace(" ", r"\s+") + r")(?![a-z])", scan[start:end])
        if generic is None:
            return None
        begin = start + len(generic.group(0)) - len(generic.group(0).lstrip())
    phrase = text[begin:cue.end() if cue.end() > begin else end].strip(" ,:")
    phrase = re.sub(r"\s+(?:là|có)$", "", phrase)
    from helpers.published.reader import is_total_label

    if not phrase:
        return None
    if is_total_label(phrase):
        return phrase, phrase
    category = f"tổng số {phrase}"
    if is_total_label(category):
        return category, phrase
    if first is not None and first.start() >= start:   # "đảng viên [tỷ lệ 99,2%] đã … hoàn thành kiểm điểm, đánh giá"
        return f"tổng số {text[first.start():first.end()]}", phrase
    return None



def population(text: str, scan: str, token: pt.Token, line: int) -> Population | None:
    """A named population: "<xếp loại|đánh giá|phân loại> N <unit phrase>"."""
    if token.kind != "count" or token.unit_kind != "party":
        return None
    if not lx.POPULATION_VERB.search(scan[max(0, token.start - 25):token.start]):
        return None
    if lx.RATED_BEFORE.search(scan, max(0, token.start - 60), token.start):
        return None      # "đã đánh giá 10 chi bộ = 100%": the total rated, not a population named for its own tables
    if lx.label_pattern().match(scan, re.compile(r"[\s\"“”':]*(?:la|muc|dat)?[\s\"“”':]*").match(
            scan, token.unit_end).end()):
        return None      # "xếp loại 4 đảng bộ “Hoàn thành tốt nhiệm vụ”": N units rated as a level, not a population
    tail = re.match(r"[^,.;()\d]*?(?=\s+(?:toan|nam|trong|cua|o|tai|qua|cho\s+thay|\d)|[,.;()]|$)",
                    scan[token.unit_end:token.unit_end + 80])
    end = token.unit_end + (tail.end() if tail else 0)
    category = text[token.end:end].strip(" :;,")
    return Population(tag=text[token.start:end].strip(), category=category, size=token.printed,
                      quote=(token.start, end), line=line,
                      pilot=lx.PILOT_PATTERN.search(scan, token.start, end) is not None)



_PART_END = re.compile(r"\s*(?:,|\bvà\b|\bvới\b|;|\.|\(|$)")


def composition(text, scan, groups, barriers, sentence) -> dict:
    """Rows of "N <unit>, trong đó (có) a <unit>, b <unit> và c <unit>": {id(group): (category, quote)}."""
    out = {}
    for i, total in enumerate(groups):
        count = total.count
        if (count is None or count.kind != "count" or count.unit_kind != "party" or total.label is not None
                or total.percent is not None):
            continue
        cue = re.search(r",?\s*(?:trong\s+do(?:\s+co)?|bao\s+gom|gom(?:\s+co)?)\s*:?\s*",
                        scan[count.unit_end:count.unit_end + 80])     # the cue follows the total's unit
        parts = []
        previous = total
        for g in groups[i + 1:]:
            if (g.count is None or g.count.kind != "count" or g.label is not None or g.percent is not None
                    or g.count.unit_kind not in ("party", "generic")):
                break
            if any(count.end < b < g.start for b in barriers):
                break
            between = scan[previous.count.unit_end:g.start]
            if parts and (re.search(r"\d", between) or len(between) > 50 or lx.CHANGE_AFTER.match(scan, g.end)):
                break
            parts.append(g)
            previous = g
        if cue is None or len(parts) < 2 or parts[0].start > count.unit_end + cue.end() + 2:
            continue
        lead = re.split(r"[,;()]|\s(?:toàn|năm|trong|của|ở|tại|qua|chỉ đạo|để|nhằm|xây dựng)\s",
                        text[count.end:count.unit_end + cue.start()])[0].strip(" ,")
        out[id(total)] = (lead, (count.start, count.unit_end + cue.start()), total)
        for k, part in enumerate(parts):
            stop = parts[k + 1].start if k + 1 < len(parts) else sentence[1]
            piece = text[part.count.end:stop]
            if k + 1 < len(parts):
                piece = re.sub(r"\s*(?:,|và)\s*$", "", piece)
            else:
                piece = re.split(r",|;|\.|\(|\s(?:với|để|nhằm|trong)\s", piece)[0]
            out[id(part)] = (piece.strip(), (part.start, part.count.end + len(piece.rstrip())), total)
        break
    return out



#: Between a total's cue and its number: "… được đánh giá là 61", "… được đánh giá chiếm 99,6%", "… được đánh giá
#: đạt chất lượng bình quân hằng năm là 93,2%" (a few words, no number).
_TOTAL_BEFORE = re.compile(r"(?:(?:[a-z]+\s+){0,8}?(?:la|chiem|dat|bang)|:|co|gom|voi)?\s*$")


_OWNER_PHRASE = re.compile(r"\s+(?:truc\s+thuoc|thuoc|cua)\s+(?:[a-z]+\s+){1,4}?(?=(?:duoc|du|phai|da)\s)")


def total_row(text, scan, group: pt.Group, clause, previous_end, previous_total_end=None):
    """A total: "<unit …> được đánh giá là N" or "N <unit> được đánh giá[, xếp loại]" (or "100% … được đánh giá")."""
    token = group.count or group.percent
    if token.kind == "zero":
        return None
    skip = lambda position: re.compile(r"\s*").match(scan, position).end()
    after = lx.TOTAL_CUES.match(scan, skip(token.unit_end or token.end)) if token.kind != "percent" else None
    if after is None and token.kind != "percent" and token.unit_kind == "party":
        owner = _OWNER_PHRASE.match(scan, token.unit_end)      # "50/52 cơ sở Đảng trực thuộc Huyện ủy được đánh giá"
        after = lx.TOTAL_CUES.match(scan, owner.end()) if owner else None
    if after is None and token.kind != "percent" and group.percent is not None:
        after = lx.TOTAL_CUES.match(scan, re.compile(r"[\s\])]*").match(scan, group.end).end())
    if after is None and group.percent is not None and group.count is None:
        unit = lx.UNIT_PATTERN.match(scan, skip(token.end))
        after = lx.TOTAL_CUES.match(scan, skip(unit.end())) if unit else None
    if after is None and token.kind != "percent" and token.unit_kind == "party" and (
            lx.RATED_BEFORE.search(scan, max(0, token.start - 60), token.start)
            or (previous_total_end is not None and re.fullmatch(r"\s*va\s*", scan[previous_total_end:token.start]))):
        from helpers.published.reader import is_total_label

        category = text[token.end:token.unit_end].strip()
        return (category if is_total_label(category) else f"tổng số {category}"), (token.start, token.unit_end)
    if after is None and token.kind == "count" and token.unit_kind == "party" \
            and lx.TOTAL_BEFORE.search(scan, max(0, token.start - 20), token.start) \
            and not re.search(r"\d\s*%?\s*(?:so\s+)?[^\d,;]{0,30}(?:trong|tren)\s+(?:tong\s+)?so\s*$",
                              scan[max(0, token.start - 50):token.start]) \
            and lx.label_pattern().search(scan, token.unit_end, clause[1]):
        # "trong tổng số 42 TCCSĐ, có 8 … <label>" — not "99,8% số chi bộ trong tổng số 5.587 chi bộ …"
        from helpers.published.reader import is_total_label

        category = text[token.end:token.unit_end].strip()
        return (category if is_total_label(category) else f"tổng số {category}"), (token.start, token.unit_end)
    if after is not None:
        start, end = token.end, after.end()
    else:
        cue = None
        for m in lx.TOTAL_CUES.finditer(scan, max(clause[0], previous_end), token.start):
            cue = m
        if cue is None or not _TOTAL_BEFORE.fullmatch(scan[cue.end():token.start].strip()) \
                or lx.label_pattern().search(scan, cue.end(), token.start):
            return None
        start, end = max(clause[0], previous_end), cue.end()
    found = total_category(text, scan, start, end)
    if found is None:
        return None
    category, phrase = found
    begin = text.find(phrase, start)
    return category, (min(begin, token.start), max(begin + len(phrase), group.end))



def add_plain_totals(rows: list[dict], plain: list, text: str, options) -> None:
    """ "Đảng bộ thành phố có 709 TCCSĐ. Qua đánh giá có 439 TCCSĐ …": the plain count is the total of the ratings
    of the same units, year and place printed after it in the same paragraph (when they have no total)."""
    import bisect

    from helpers.published.reader import is_total_label

    if not plain:
        return
    breaks = st.paragraph_breaks(text)
    folded = lx.fold(text)
    line_of = lambda position: bisect.bisect_right(breaks, position)
    by_key: dict[tuple, list[dict]] = {}
    for row in rows:
        by_key.setdefault((row["place"], row["year"], row["level"], line_of(row["start"])), []).append(row)
    for group, level, year, place, _ in plain:
        key = (place, "" if year is None else str(year), level, line_of(group.start))
        if year is None:     # "Đảng bộ huyện hiện có 41 TCCSĐ. Qua đánh giá … năm 2015 có 24 …": the year comes after
            years = {k[1] for k, rs in by_key.items() if k[0] == place and k[2] == level and k[3] == key[3]
                     and any(r["start"] > group.start for r in rs)}
            first_year = lx.YEAR_PATTERN.search(folded, group.end)      # and no other year is named before it
            if len(years) == 1 and first_year and first_year.group(1) in years:
                key = (place, years.pop(), level, key[3])
        same = [r for r in by_key.get(key, []) if r["start"] > group.start]
        if not same or any(r["_kind"] != "rating" for r in same) or len({r["group"] for r in same}) != 1:
            continue
        if any(r.get("_list") for r in same):
            continue    # "… là trên 97%, chi bộ đơn vị sự nghiệp đạt tỷ lệ trên 90%, …": shares of parts, not of it
        total = dict(same[0])
        count = group.count
        category = text[count.end:count.unit_end].strip()
        if not is_total_label(category):
            category = f"tổng số {category}"
        total.update(category=category, count=count.printed, percent="", base="", parent="",
                     quote=text[count.start:count.unit_end], start=count.start, end=count.unit_end, confidence=0.8,
                     reason="a plain count of the units, taken as the total of the ratings after it",
                     _kind="total", _pop=None)
        rows.insert(rows.index(same[0]), total)
        by_key[key].insert(0, total)


def add_population_totals(rows: list[dict], text: str, options) -> None:
    """Each table of a named population gets the population's size as its total row (before its first row)."""
    table_of = lambda r: (r["place"], r["year"], r["level"], r["group"])
    has_total = {table_of(r) for r in rows if r["_kind"] == "total"}
    first: dict[tuple, int] = {}
    totals: dict[tuple, dict] = {}
    for index, row in enumerate(rows):
        key = table_of(row)
        first.setdefault(key, index)
        pop = row["_pop"]
        if pop is None or pop.size is None or key in has_total or key in totals:
            continue
        total = dict(row)
        from helpers.published.reader import is_total_label

        category = pop.category if is_total_label(pop.category) else f"tổng số {pop.category}"
        total.update(category=category, count=pop.size, percent="", base="", parent="",
                     quote=text[pop.quote[0]:pop.quote[1]], start=pop.quote[0], end=pop.quote[1],
                     confidence=1.0, reason="", _kind="total")
        totals[key] = total
    for key in sorted(totals, key=lambda k: first[k], reverse=True):
        rows.insert(first[key], totals[key])
