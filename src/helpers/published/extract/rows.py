"""Groups → draft rows: filters, context (year, place, level, population), totals, nesting, table ids.

The draft has the columns of ``data/raw/published/template.csv`` plus ``start``,
``end`` (offsets of ``quote`` in the article text), ``confidence`` (1 when sure)
and ``reason`` (why it is below 1). See :mod:`.patterns` for how a sentence is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.published.extract import lexicon as lx
from helpers.published.extract import patterns as pt

CONTRACT_COLUMNS = ["source_id", "table_id", "year", "category", "count", "percent", "base", "parent", "place",
                    "level", "group", "quote", "url"]
#: The draft written by ``extract-published``: the contract, then where each quote is and how sure the reader is.
DRAFT_COLUMNS = CONTRACT_COLUMNS + ["start", "end", "confidence", "reason"]


@dataclass(frozen=True)
class Options:
    """What the command line gives: fallbacks for year and place, the source id and the url."""

    source_id: str
    year: int | None = None
    place: str | None = None
    url: str = ""


@dataclass
class Population:
    """A population named in a paragraph ("xếp loại 56 tổ chức đảng làm điểm"): its tag and size."""

    tag: str
    category: str
    size: str | None
    quote: tuple[int, int]
    line: int
    pilot: bool = False


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", lx.fold(text)).strip("-")[:40] or "x"


def _strip_label(text: str) -> str:
    text = text.strip(" \"“”',:")
    return re.sub(r"^(?:đạt|Đạt)\s+", "", text).strip(" \"“”'")


def _match(category: str, year, level):
    from helpers.published.reader import rating_of

    unit = "member" if level == "đảng viên" else "organisation"
    return rating_of(category, year, unit)


def _filtered(group: pt.Group, scan: str, target_at: int, clause: tuple[int, int], topics: dict) -> str | None:
    """Why a group must not become a row (None when it may). ``target_at``: where the sentence's first target cue
    starts (or past its end); ``topics``: clause → whether it speaks of another topic (filled here)."""
    if target_at < group.start:
        return "target"
    token = group.count or group.percent
    if lx.CHANGE_BEFORE.search(scan[max(0, token.start - 20):token.start]):
        return "change"
    after = lx.CHANGE_AFTER.match(scan, group.end)
    if after:
        rest = scan[after.end():clause[1]]
        rest = rest[:min([i for i in (rest.find(")"), rest.find(";")) if i >= 0], default=len(rest))]
        if lx.PERIOD_AFTER.match(rest) or lx.label_pattern().search(rest):
            return "change"       # "tăng 14% so với năm 2021"; "16,19% so với tổng số đảng viên … HTTNV"
    if group.percent is not None and lx.THRESHOLD_AFTER.match(scan, group.percent.end):
        return "target"
    if clause not in topics:
        topics[clause] = lx.OTHER_TOPIC_CUES.search(scan, clause[0], clause[1]) is not None
    if topics[clause]:
        return "other topic"
    return None


def _clause(scan: str, group: pt.Group, sentence: tuple[int, int], barriers: list[int]) -> tuple[int, int]:
    import bisect

    i = bisect.bisect_right(barriers, group.start)
    left = barriers[i - 1] if i else sentence[0]
    right = barriers[i] if i < len(barriers) else sentence[1]
    return left, right


def _window(scan: str, group: pt.Group, previous_end: int, clause: tuple[int, int]) -> tuple[int, int, str]:
    """The text that qualifies a group: from the previous group to its label/number, outer parentheses blanked."""
    if group.paren >= 0:
        close = scan.find(")", group.paren)
        end = close if close > 0 else clause[1]
        return group.paren, end, scan[group.paren:end]
    start = max(previous_end, clause[0])
    end = max(group.end, group.label[1] if group.label else 0)
    if group.label and group.label[0] < start:
        start = group.label[0]
    return start, end, re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), scan[start:end])


def _total_category(text: str, scan: str, start: int, end: int) -> str | None:
    """The printed phrase of a total ("số lượng tổ chức cơ sở đảng … được đánh giá") in ``[start, end)``."""
    cue = None
    for m in lx.TOTAL_CUES.finditer(scan, start, end):
        cue = m
    if cue is None:
        return None
    first = next(_units(scan, start, end), None)
    tong = re.search(r"(?<![a-z])(?:tong\s+so|so\s+luong)(?![a-z])", scan[start:end])
    begin = min([p for p in (first.start() if first else None, start + tong.start() if tong else None)
                 if p is not None], default=None)
    if begin is None:
        return None
    phrase = text[begin:cue.end() if cue.end() > begin else end].strip(" ,:")
    phrase = re.sub(r"\s+(?:là|có)$", "", phrase)
    from helpers.published.reader import is_total_label

    return phrase if phrase and is_total_label(phrase) else None


def _population(text: str, scan: str, token: pt.Token, line: int) -> Population | None:
    """A named population: "<xếp loại|đánh giá|phân loại> N <unit phrase>"."""
    if token.kind != "count" or token.unit_kind != "party":
        return None
    if not lx.POPULATION_VERB.search(scan[max(0, token.start - 25):token.start]):
        return None
    tail = re.match(r"[^,.;()\d]*?(?=\s+(?:toan|nam|trong|cua|o|tai|qua|cho\s+thay|\d)|[,.;()]|$)",
                    scan[token.unit_end:token.unit_end + 80])
    end = token.unit_end + (tail.end() if tail else 0)
    category = text[token.end:end].strip()
    return Population(tag=text[token.start:end].strip(), category=category, size=token.printed,
                      quote=(token.start, end), line=line,
                      pilot=lx.PILOT_PATTERN.search(scan, token.start, end) is not None)


def extract_rows(text: str, options: Options) -> list[dict]:
    """Every rating number of an article as draft rows (see :data:`DRAFT_COLUMNS`).

    Parameters
    ----------
    text : str
        The article (from :func:`helpers.published.extract.documents.read_document`).
    options : Options
        Source id, url, and the year and place used when the text names none.

    Returns
    -------
    list of dict
        One dict per row with the keys of :data:`DRAFT_COLUMNS`; offsets index ``text``.
    """
    scan = lx.fold(text)
    scan = _blank_definitions(text, scan)
    parens = pt.Parentheses(text)
    mentions = pt.Mentions(text, scan)
    rows: list[dict] = []
    last_level = None
    populations: list[Population] = []
    every_population: list[Population] = []
    plain: list = []           # plain counts "có N <unit>", a total when ratings of those units follow
    last_total_end = None
    line_starts = [0] + [m.end() for m in re.finditer(r"\n", text)]
    import bisect

    for s_start, s_end in pt.sentences(text):
        line = bisect.bisect_right(line_starts, s_start)
        populations = [p for p in populations if p.line == line]
        labels = pt.labels_in(scan, s_start, s_end)
        tokens = pt.numbers_in(text, scan, s_start, s_end, parens)
        if not tokens:
            continue
        barriers = pt.barrier_positions(text, s_start, s_end)
        cue = lx.TARGET_CUES.search(scan, s_start, s_end)
        target_at = cue.start() if cue else s_end
        topics: dict = {}
        groups = pt.make_groups(tokens, scan, labels)
        named = {id(g): _population(text, scan, g.count, line) for g in groups if g.count is not None}
        pt.assign_labels([g for g in groups if named.get(id(g)) is None], labels, scan, barriers)
        composition = _composition(text, scan, groups, barriers, (s_start, s_end))
        for i, group in enumerate(groups):
            token = group.count or group.percent
            clause = _clause(scan, group, (s_start, s_end), barriers)
            if id(group) in composition:
                category, quote, head = composition[id(group)]
                level = head.count.level or "tổ chức cơ sở đảng"
                year = _year(mentions, group, s_start, s_end, options)
                place = mentions.place_before(group.start) or options.place or ""
                group.reasons.append("a composition of units (not a rating): kept because its parts can be "
                                     "checked against its total")
                rows.append(_row(options, year, category, group, level, place, "", None, text, quote, "composition",
                                 scan))
                continue
            if named.get(id(group)) is not None:
                populations.append(named[id(group)])
                every_population.append(named[id(group)])
                last_level = group.count.level or last_level
                continue
            why_not = _filtered(group, scan, target_at, clause, topics)
            if why_not:
                continue
            previous_end = groups[i - 1].end if i else s_start
            window = _window(scan, group, previous_end, clause)
            level = _level(scan, group, clause, last_level)
            if level == "chi bộ" and _CBTT.search(scan, s_start, group.start):
                level = "chi bộ trực thuộc đảng ủy cơ sở"     # "chi bộ" refers back to "chi bộ trực thuộc …"
            year = _year(mentions, group, s_start, s_end, options)
            place = mentions.place_before(group.start) or options.place or ""
            group_tag, pop = _group_of(text, scan, window, populations, every_population,
                                       lx.PILOT_PATTERN.search(scan, s_start, group.start) is not None)
            if group.label is None:
                total = _total_row(text, scan, group, clause, previous_end, last_total_end)
                if total is None:
                    if group.count is not None and group.count.kind == "count" and group.count.unit_kind == "party" \
                            and re.search(r"(?<![a-z])co(?:\s+tong\s+so)?\s*$", scan[max(0, group.start - 15):group.start]):
                        if not labels:       # a sentence of its own: "Đảng bộ thành phố có 709 TCCSĐ."
                            plain.append((group, level, year, place, line))
                    continue
                category, quote = total
                kind = "total"
                last_total_end = group.count.unit_end if group.count is not None else None
            else:
                moved = _transition(scan, group, labels)
                if moved is not None:
                    year, group.label = moved
                category = _strip_label(text[group.label[0]:group.label[1]])
                quote = (min(group.label[0], group.start), max(group.label[1], group.end))
                kind = "rating"
            if level is None:
                level = "tổ chức cơ sở đảng"
                group.reasons.append("no unit printed near the number: level assumed")
            if re.search(r"(?i)tư cách", category):
                level = "đảng viên"
            quote = _close_parentheses(text, *quote)
            last_level = level
            rows.append(_row(options, year, category, group, level, place, group_tag, pop, text, quote, kind, scan))
    _add_plain_totals(rows, plain, text, options)
    _add_population_totals(rows, text, options)
    _finish_tables(rows)
    return rows


_PART_END = re.compile(r"\s*(?:,|\bvà\b|\bvới\b|;|\.|\(|$)")


def _composition(text, scan, groups, barriers, sentence) -> dict:
    """Rows of "N <unit>, trong đó (có) a <unit>, b <unit> và c <unit>": {id(group): (category, quote)}."""
    out = {}
    for i, total in enumerate(groups):
        count = total.count
        if (count is None or count.kind != "count" or count.unit_kind != "party" or total.label is not None
                or total.percent is not None):
            continue
        cue = re.search(r",?\s*(?:trong\s+do(?:\s+co)?|bao\s+gom|gom(?:\s+co)?)\s*:?\s*", scan[count.unit_end:])
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


_TRANSITION = re.compile(r"\s*,?\s*(?:thi|nhung|den)\s+nam\s+((?:19|20)\d\d)\s*(?:da\s+)?(?:bi\s+)?"
                         r"(?:xuong|len|chuyen\s+sang|tut\s+xuong|vuon\s+len|xep\s+loai)\s+(?:muc\s+)?$")


def _transition(scan: str, group: pt.Group, labels):
    """ "N <unit> HTNV thì năm 2013 xuống yếu kém": the N belong to the second label, in the second year."""
    after = [l for l in labels if l[0] > group.label[1]]
    if not after:
        return None
    match = _TRANSITION.match(scan[group.label[1]:after[0][0]])
    if not match:
        return None
    return int(match.group(1)), after[0]


def _blank_definitions(text: str, scan: str) -> str:
    """Blank the abbreviation definitions "(TCCS)" in the folded text, so "tổ chức cơ sở (TCCS) đảng" reads whole."""
    out = list(scan)
    for m in lx.ABBREVIATION_DEFINITION.finditer(text):
        for i in range(m.start(), m.end()):
            out[i] = " "
    return "".join(out)


def _close_parentheses(text: str, start: int, end: int) -> tuple[int, int]:
    quote = text[start:end]
    if quote.count("(") > quote.count(")") and end < len(text) and text[end] == ")":
        end += 1
    return start, end


def _units(scan: str, start: int, end: int):
    for m in lx.UNIT_PATTERN.finditer(scan, start, end):
        if m.group(0).startswith("dang bo") and lx.OWNER_AFTER.match(scan, m.end()):
            continue
        yield m


def _level(scan: str, group: pt.Group, clause, last_level, before_only: bool = False):
    """The unit of a group: printed after its count, else the nearest before it in its clause, else the
    label's neighbourhood, else the context."""
    token = group.count or group.percent
    if token.level:
        return token.level
    start = min(group.start, group.label[0] if group.label else group.start)
    before = list(_units(scan, clause[0], start))
    if before:
        return lx.level_of(before[-1].group(0))
    if before_only:
        return last_level
    end = max(group.end, group.label[1] if group.label else group.end)
    inside = next(_units(scan, start, end), None)
    if inside:
        return lx.level_of(inside.group(0))
    return last_level


def _year(mentions: pt.Mentions, group: pt.Group, s_start: int, s_end: int, options: Options):
    year = mentions.year_before(group.start)
    if year is None:
        year = mentions.year_after(group.start, s_end)
    if year is None:
        year = options.year
    if year is None and mentions.article_year is not None:
        year = mentions.article_year
        group.reasons.append("no year printed before the number: the year of the article's date is used")
    if year is None:
        group.reasons.append("no year printed before the number: give --year")
    return year


def _group_of(text: str, scan: str, window, populations: list[Population], every_population, pilot_before):
    """The population of a group: a scope in its window ("toàn tỉnh"), else a population named earlier in the
    paragraph (a pilot one when the sentence speaks of pilots, from earlier paragraphs too)."""
    start, _, folded = window
    scope = lx.SCOPE_PATTERN.search(folded)
    pilot = lx.PILOT_PATTERN.search(folded)
    if scope and not pilot:
        # a scope ("toàn tỉnh") only separates tables where the article also names a population of its own
        return (text[start + scope.start():start + scope.end()] if populations else ""), None
    named = [p for p in populations]
    if pilot or pilot_before:
        pilots = [p for p in populations if p.pilot]
        if not pilots and not populations:
            pilots = [p for p in every_population if p.pilot][-1:]
        named = pilots or named
    if named:
        return named[-1].tag, named[-1]
    return "", None


_CBTT = re.compile(r"chi\s+bo\s+(?:truc\s+thuoc|duoi\s+co\s+so)")
_TOTAL_BEFORE = re.compile(r"(?:la|:|co|gom|voi)?\s*$")


def _total_row(text, scan, group: pt.Group, clause, previous_end, previous_total_end=None):
    """A total: "<unit …> được đánh giá là N" or "N <unit> được đánh giá[, xếp loại]" (or "100% … được đánh giá")."""
    token = group.count or group.percent
    if token.kind == "zero":
        return None
    skip = lambda position: re.compile(r"\s*").match(scan, position).end()
    after = lx.TOTAL_CUES.match(scan, skip(token.unit_end or token.end)) if token.kind != "percent" else None
    if after is None and group.percent is not None and group.count is None:
        unit = lx.UNIT_PATTERN.match(scan, skip(token.end))
        after = lx.TOTAL_CUES.match(scan, skip(unit.end())) if unit else None
    if after is None and token.kind != "percent" and token.unit_kind == "party" and (
            lx.RATED_BEFORE.search(scan, max(0, token.start - 60), token.start)
            or (previous_total_end is not None and re.fullmatch(r"\s*va\s*", scan[previous_total_end:token.start]))):
        from helpers.published.reader import is_total_label

        category = text[token.end:token.unit_end].strip()
        return (category if is_total_label(category) else f"tổng số {category}"), (token.start, token.unit_end)
    if after is not None:
        start, end = token.end, after.end()
    else:
        cue = None
        for m in lx.TOTAL_CUES.finditer(scan, max(clause[0], previous_end), token.start):
            cue = m
        if cue is None or not _TOTAL_BEFORE.fullmatch(scan[cue.end():token.start].strip()):
            return None
        start, end = max(clause[0], previous_end), cue.end()
    category = _total_category(text, scan, start, end)
    if category is None:
        return None
    begin = text.find(category, start)
    return category, (min(begin, token.start), max(begin + len(category), group.end))


def _row(options, year, category, group: pt.Group, level, place, group_tag, pop, text, quote, kind,
         scan: str = "") -> dict:
    count = group.count
    reasons = list(group.reasons)
    if kind == "rating" and _match(category, year, level) is None:
        reasons.append("the label is not in scales.yaml")
    confidence = 1.0
    for reason in reasons:
        confidence = min(confidence, 0.5 if "year" in reason or "scales" in reason else
                         0.8 if "apart" in reason or "assumed" in reason else 0.9)
    return {
        "source_id": options.source_id, "table_id": "", "year": "" if year is None else str(year),
        "category": category,
        "count": "" if count is None else count.printed,
        "percent": "" if group.percent is None else group.percent.printed,
        "base": "" if count is None or count.base is None else count.base,
        "parent": "", "place": place, "level": level, "group": group_tag,
        "quote": text[quote[0]:quote[1]], "url": options.url, "start": quote[0], "end": quote[1],
        "confidence": confidence, "reason": "; ".join(dict.fromkeys(reasons)),
        "_pop": pop, "_kind": kind, "_nested": bool(lx.NESTING_CUE.search(scan, max(0, quote[0] - 40), quote[0])),
    }


def _add_plain_totals(rows: list[dict], plain: list, text: str, options: Options) -> None:
    """ "Đảng bộ thành phố có 709 TCCSĐ. Qua đánh giá có 439 TCCSĐ …": the plain count is the total of the ratings
    of the same units, year and place printed after it in the same paragraph (when they have no total)."""
    import bisect

    from helpers.published.reader import is_total_label

    if not plain:
        return
    breaks = [i for i, ch in enumerate(text) if ch == "\n"]
    line_of = lambda position: bisect.bisect_right(breaks, position)
    by_key: dict[tuple, list[dict]] = {}
    for row in rows:
        by_key.setdefault((row["place"], row["year"], row["level"], line_of(row["start"])), []).append(row)
    for group, level, year, place, _ in plain:
        key = (place, "" if year is None else str(year), level, line_of(group.start))
        same = [r for r in by_key.get(key, []) if r["start"] > group.start]
        if not same or any(r["_kind"] != "rating" for r in same) or len({r["group"] for r in same}) != 1:
            continue
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


def _add_population_totals(rows: list[dict], text: str, options: Options) -> None:
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
        total.update(category=pop.category, count=pop.size, percent="", base="", parent="",
                     quote=text[pop.quote[0]:pop.quote[1]], start=pop.quote[0], end=pop.quote[1],
                     confidence=1.0, reason="", _kind="total")
        totals[key] = total
    for key in sorted(totals, key=lambda k: first[k], reverse=True):
        rows.insert(first[key], totals[key])


def _finish_tables(rows: list[dict]) -> None:
    """Table ids, parents, and the private keys removed."""
    from helpers import scales

    subset_of = {lvl.code: lvl.subset_of for s in scales.book().scales.values() for lvl in s.levels if lvl.subset_of}
    tables: dict[tuple, list[dict]] = {}
    for row in rows:
        key = (row["place"], row["year"], row["level"], row["group"])
        tables.setdefault(key, []).append(row)
    for (place, year, level, group), members in tables.items():
        table_id = "-".join(p for p in (_slug(place) if place else "", year or "na", _slug(level),
                                        _slug(group) if group else "") if p)
        codes = {}
        previous = None
        for row in members:
            row["table_id"] = table_id
            match = _match(row["category"], int(year) if year else None, level) if row["_kind"] == "rating" else None
            if match is not None:
                parent_code = subset_of.get(match.code)
                if parent_code and parent_code in codes:
                    row["parent"] = codes[parent_code]
                elif previous is not None and row["_nested"] and previous[1].cumulative:
                    row["parent"] = previous[0]["category"]
                codes.setdefault(match.code, row["category"])
                previous = (row, match)
    for row in rows:
        for key in ("_pop", "_kind", "_nested"):
            row.pop(key, None)
