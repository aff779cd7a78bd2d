"""Groups → draft rows: filters, context (year, place, level, population), totals, nesting, table ids.

The draft has the columns of ``data/raw/published/template.csv`` plus ``start``,
``end`` (offsets of ``quote`` in the article text), ``confidence`` (1 when sure)
and ``reason`` (why it is below 1). See :mod:`.patterns` for how a sentence is read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from helpers.published.extract import filters as fl
from helpers.published.extract import grid as gr
from helpers.published.extract import levels as lv
from helpers.published.extract import lexicon as lx
from helpers.published.extract import patterns as pt
from helpers.published.extract import sentences as st
from helpers.published.extract import totals as tt
from helpers.published.extract.totals import Population

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


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", lx.fold(text)).strip("-")[:40] or "x"


def _strip_label(text: str) -> str:
    text = re.sub(r"\s+", " ", text)                               # a label wrapped at a line's end
    text = re.sub(r"[\"“”’](?=\s+tiêu biểu)", "", text)       # "“trong sạch vững mạnh” tiêu biểu"
    text = text.strip(" \"“”',:")
    return re.sub(r"^(?:đạt|Đạt)\s+", "", text).strip(" \"“”'")


def _match(category: str, year, level):
    from helpers.published.reader import rating_of

    unit = "member" if level == "đảng viên" else "organisation"
    return rating_of(category, year, unit)


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


def extract_rows(text: str, options: Options, skipped: list | None = None) -> list[dict]:
    """Every rating number of an article as draft rows (see :data:`DRAFT_COLUMNS`).

    Parameters
    ----------
    text : str
        The article (from :func:`helpers.published.extract.documents.read_document`).
    options : Options
        Source id, url, and the year and place used when the text names none.
    skipped : list, optional
        Receives one dict (start, end, quote, reason) per rating number that was not taken because it is a
        target, a change, a range, about another topic, or about civil servants rather than party units.

    Returns
    -------
    list of dict
        One dict per row with the keys of :data:`DRAFT_COLUMNS`; offsets index ``text``.
    """
    scan = lx.fold(text)
    scan = _blank_definitions(text, scan)
    parens = pt.Parentheses(text)
    mentions = st.Mentions(text, scan)
    rows: list[dict] = []
    last_level = last_org_level = None
    populations: list[Population] = []
    every_population: list[Population] = []
    plain: list = []           # plain counts "có N <unit>", a total when ratings of those units follow
    last_total_end = None
    line_starts = [0] + [b + 1 for b in st.paragraph_breaks(text)]     # a wrapped line is no new paragraph
    import bisect

    grid, grid_lines = gr.grid_rows(text, scan, mentions, options)
    in_grid = {start for start, _ in grid_lines}
    carried = False            # the sentence before announced targets that this one may go on with
    for s_start, s_end in st.sentences(text):
        if s_start in in_grid:
            continue               # a data line of a column-header table: read by grid_rows
        whole_target, carried = fl.carried_target(scan, s_start, s_end, carried)
        line = bisect.bisect_right(line_starts, s_start)
        populations = [p for p in populations if p.line == line]
        caption = lv.caption_below(text, scan, s_start)
        last_level = caption or last_level     # a table whose caption is printed under it ("Bảng 2: … đảng viên")
        labels = pt.labels_in(scan, s_start, s_end, text)
        tokens = pt.numbers_in(text, scan, s_start, s_end, parens)
        if not tokens:
            # a heading without numbers ("Kết quả xếp loại đảng viên năm 2022:", a table's title) names the units
            # of the lines under it
            last_level = lv.heading_level(scan, s_start, s_end) or last_level
            continue
        barriers = st.barrier_positions(text, s_start, s_end)
        targets = fl.target_scopes(text, scan, s_start, s_end, parens) + ([(s_start - 1, s_end)] if whole_target else [])
        topics: dict = {}
        groups = pt.make_groups(tokens, scan, labels)
        named = {id(g): tt.population(text, scan, g.count, line) for g in groups if g.count is not None}
        pt.assign_labels([g for g in groups if named.get(id(g)) is None], labels, scan, barriers)
        composition = tt.composition(text, scan, groups, barriers, (s_start, s_end))
        listed: list = []          # unlabelled counts of units before a total: "A; B và C đã … đánh giá"
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
            why_not = fl.why_not(group, scan, targets, clause, topics)
            if why_not:
                if group.label is not None and skipped is not None:
                    skipped.append(fl.skip_record(text, group, why_not))
                continue
            previous_end = groups[i - 1].end if i else s_start
            window = _window(scan, group, previous_end, clause)
            level = lv.group_level(scan, group, clause, last_level, sentence_start=s_start)
            kept = _one_of_the_table(rows, group, level, s_start)
            if kept:
                level = kept
                group.reasons.append("one unit of a table of tổ chức cơ sở đảng named by its own kind: the table's "
                                     "level kept")
            elif level == "chi bộ" and lv.CBTT.search(scan, line_starts[line - 1], group.start):
                level = "chi bộ trực thuộc đảng ủy cơ sở"     # "chi bộ" refers back to "chi bộ trực thuộc …"
                                                             # named earlier in the paragraph
            if level == "tổ chức đảng":
                level = lv.loose_level(scan, group, s_start, s_end) or level
            elif level == "đảng bộ":
                level = lv.bare_dang_bo_level(scan, group, s_start, s_end) or level
            if level in (None, "đảng viên") and last_org_level and lv.counts_organisations(scan, group):
                level = last_org_level      # "có 20 chi bộ trực thuộc. … 4 đơn vị hoàn thành …": units, not members
            year = _year(mentions, group, s_start, s_end, options)
            place = mentions.place_before(group.start) or options.place or ""
            group_tag, pop = _group_of(text, scan, window, populations, every_population,
                                       lx.PILOT_PATTERN.search(scan, s_start, group.start) is not None)
            if group.label is None:
                total = tt.total_row(text, scan, group, clause, previous_end, last_total_end)
                if total is None and group.count is not None and group.count.unit_kind == "party" \
                        and group.count.kind in ("count", "fraction"):
                    listed.append((group, level, year, place, group_tag, pop))
                elif total is not None:
                    rows += _listed_totals(listed, group, level, text, scan, options)
                listed = [] if total is not None else listed
                if total is None:
                    if group.count is not None and group.count.kind == "count" and group.count.unit_kind == "party" \
                            and re.search(r"(?<![a-z])co(?:\s+tong\s+so)?\s*$", scan[max(0, group.start - 15):group.start]):
                        if not any(clause[0] <= l[0] < clause[1] for l in labels) \
                                and _PLAIN_END.match(scan, group.count.unit_end) \
                                and not _COUNT_LIST.match(scan, group.count.unit_end):
                            # a sentence of its own, the count its last word: "Đảng bộ thành phố có 709 TCCSĐ."
                            # (not "có 1.388 đảng viên miễn đánh giá", which says something of them, nor "có 40 chi
                            # bộ, 968 đảng viên", which says what the committee is made of)
                            plain.append((group, level, year, place, line))
                            last_org_level = level if level != "đảng viên" else last_org_level
                        if _BROKEN_DOWN.match(scan, group.count.unit_end) and \
                                lx.label_pattern().search(scan, group.count.unit_end, s_end):
                            # "có 260 chi bộ …, trong đó đạt … là 207": the count the ratings after it are parts of
                            group.reasons.append("a count whose ratings follow 'trong đó', taken as their total")
                            unit = text[group.count.end:group.count.unit_end].strip()
                            rows.append(_row(options, year, f"tổng số {unit}", group, level, place, group_tag, pop,
                                             text, (group.start, group.count.unit_end), "total", scan))
                    continue
                category, quote = total
                kind = "total"
                last_total_end = group.count.unit_end if group.count is not None else None
            else:
                moved = _transition(scan, group, labels)
                if moved is not None:
                    year, group.label = moved
                category = _strip_label(text[group.label[0]:group.label[1]])
                meant = lx.compound_label(category)
                if meant is not None:
                    group.reasons.append(f"label printed '{category}' ({meant[1]})")
                    category = meant[0]
                elif _match(category, year, level or "tổ chức cơ sở đảng") is None and lx.label_as_meant(category):
                    group.reasons.append(f"label printed '{category}', read as the scale's form")
                    category = lx.label_as_meant(category)
                if _cumulative_pass(scan, group, labels, clause, category):
                    group.reasons.append(f"label printed '{category}', then 'trong đó' the better levels: "
                                         "the pass level or better")
                    category = "hoàn thành nhiệm vụ trở lên"
                quote = (min(group.label[0], group.start), max(group.label[1], group.end))
                kind = "rating"
            if fl.leadership_collectives(scan, group, line_starts[line - 1]):
                if skipped is not None:  # "75 tập thể cấp ủy … được đánh giá. Kết quả, có 71/75 tập thể …"
                    skipped.append(fl.skip_record(text, group, "leadership collectives"))
                continue
            if fl.cadres(scan, group, s_start):
                if skipped is not None:  # "xếp loại chất lượng cán bộ lãnh đạo, quản lý, có 14 đồng chí xếp loại A"
                    skipped.append(fl.skip_record(text, group, "cadres"))
                continue
            if level is None and lx.FOREIGN_SUBJECT.search(scan, s_start, group.start):
                if skipped is not None:  # "công chức, viên chức … trong đó, hoàn thành xuất sắc nhiệm vụ chiếm 27,7%"
                    skipped.append(fl.skip_record(text, group, "civil servants"))
                continue
            assumed = level is None
            if level is None:
                level = "tổ chức cơ sở đảng"
                group.reasons.append("no unit printed near the number: level assumed")
            if re.search(r"(?i)tư cách", category):
                level, assumed = "đảng viên", False
            quote = _close_parentheses(text, *quote)
            last_level = None if assumed else level      # an assumed level is not context for the next numbers
            last_org_level = last_level if last_level not in (None, "đảng viên") else last_org_level
            rows.append(_row(options, year, category, group, level, place, group_tag, pop, text, quote, kind, scan))
            other = lv.joint_level(scan, group, clause, level) if kind == "rating" else None
            if other is not None:    # "tỷ lệ tổ chức cơ sở đảng và đảng viên hoàn thành tốt … đạt 95%": one share,
                twin = _row(options, year, category, group, other, place, group_tag, pop, text, quote, kind, scan)
                twin["confidence"] = min(twin["confidence"], 0.8)                  # said of both kinds of unit
                twin["reason"] = "; ".join(r for r in (twin["reason"], "one share said of two kinds of unit") if r)
                rows.append(twin)
    rows = sorted(rows + grid, key=lambda r: r["start"]) if grid else rows
    tt.add_plain_totals(rows, plain, text, options)
    tt.add_population_totals(rows, text, options)
    _finish_tables(rows)
    return rows


def _one_of_the_table(rows: list[dict], group: pt.Group, level, sentence_start: int):
    """ "Trong sạch vững mạnh 06 cơ sở …; Hoàn thành nhiệm vụ 18 … và 01 chi bộ yếu kém chiếm 3,13%": the last item
    of a list of tổ chức cơ sở đảng, named by its own kind (a chi bộ cơ sở, a đảng bộ cơ sở), is one unit of that
    table. The level of the table, when the rows before it in the sentence, all with a share, are of it."""
    if level not in ("chi bộ", "đảng bộ") or group.count is None or group.percent is None or group.label is None:
        return None
    before = rows[-2:]             # the two rows before it, both in its sentence
    if len(before) < 2 or any(r["start"] < sentence_start or r["level"] != "tổ chức cơ sở đảng" or not r["percent"]
                              for r in before):
        return None
    return "tổ chức cơ sở đảng"


#: Between two counts of a list that share one predicate: a few words of the unit, then ";", "," or "và".
_LIST_GAP = re.compile(r"[^\d]{0,40}?(?:[;,]\s*(?:va\s+)?|\s+va\s+)(?:co\s+)?")


def _listed_totals(listed: list, total: pt.Group, total_level, text: str, scan: str, options: Options) -> list[dict]:
    """ "Có 42/42 chi, đảng bộ …; 336/336 chi bộ … và 4.336/4.371 đảng viên đã … kiểm điểm, đánh giá": the counts
    listed right before a total share its predicate and are totals too (each of its own units). A list names
    different units: "có 18 chi bộ; 18/18 chi bộ được đánh giá" is one total, printed twice."""
    out = []
    following, following_level = total, total_level
    for group, level, year, place, group_tag, pop in reversed(listed):
        gap = scan[group.count.unit_end:following.start]
        if not _LIST_GAP.fullmatch(gap) or lx.label_pattern().search(gap) or level == following_level:
            break
        category = f"tổng số {text[group.count.end:group.count.unit_end].strip()}"
        group.reasons.append("a count listed before a total's predicate, taken as a total too")
        quote = (group.start, group.count.unit_end)
        out.insert(0, _row(options, year, category, group, level, place, group_tag, pop, text, quote, "total", scan))
        following, following_level = group, level
    return out


_PASS = re.compile(r"(?:du\s+tu\s+cach\s*,?\s*)?hoan\s+thanh\s+nhiem\s+vu")
_PARTS_FOLLOW = re.compile(r"[\"”’']?\s*,?\s*trong\s+do(?![a-z])")
_BETTER = re.compile(r"(?<![a-z])(?:tot|xuat\s+sac|trong\s+sach|httnv|htxsnv|tsvm)(?![a-z])")


def _cumulative_pass(scan: str, group: pt.Group, labels, clause: tuple[int, int], category: str) -> bool:
    """ "100% đảng viên (đủ tư cách) hoàn thành nhiệm vụ, trong đó 95% hoàn thành tốt …, 15% hoàn thành xuất sắc …":
    the pass level followed by "trong đó" and better levels of its clause counts those better levels too (HTNV+)."""
    if not _PASS.fullmatch(re.sub(r"\s+", " ", lx.fold(category).lower()).strip()):
        return False
    parts = _PARTS_FOLLOW.match(scan, group.label[1])
    return parts is not None and any(parts.end() <= a < clause[1] and _BETTER.search(scan, a, b) for a, b in labels)


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


def _year(mentions: st.Mentions, group: pt.Group, s_start: int, s_end: int, options: Options):
    if group.year is not None:
        return group.year
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


#: After a count's unit: its ratings follow as parts ("…, trong đó đạt trong sạch vững mạnh là 207").
_BROKEN_DOWN = re.compile(r"[^\d,.;()]{0,40}?,?\s*trong\s+do\s*(?:co\s*)?[:,]?\s*(?!\d)")
#: After a count's unit: another count of another unit ("có 40 chi bộ, 968 đảng viên").
_COUNT_LIST = re.compile(r"\s*(?:,|va|voi)\s*\d")
#: After the unit of a plain count: the end of its clause (a parenthesis, a comma, "trong đó"), nothing said of them.
_PLAIN_END = re.compile(r"(?:\s+truc\s+thuoc(?:\s+[a-z]+){0,3}?)?\s*(?:[.,;:()]|$|trong\s+do(?![a-z]))")


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
        "category": _one_line(category),
        "count": "" if count is None else _one_line(count.printed),
        "percent": "" if group.percent is None else _one_line(group.percent.printed),
        "base": "" if count is None or count.base is None else count.base,
        "parent": "", "place": place, "level": level, "group": group_tag,
        "quote": text[quote[0]:quote[1]], "url": options.url, "start": quote[0], "end": quote[1],
        "confidence": confidence, "reason": "; ".join(dict.fromkeys(reasons)),
        "_pop": pop, "_kind": kind, "_list": group.how == "ellipsis",
        "_nested": bool(lx.NESTING_CUE.search(scan, max(0, quote[0] - 40), quote[0])),
    }


def _one_line(value: str) -> str:
    """A printed value or label as one line: the line breaks of a wrapped text are layout, not print."""
    return re.sub(r"\s+", " ", value).strip() if "\n" in value else value


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
        for key in ("_pop", "_kind", "_nested", "_list"):
            row.pop(key, None)
