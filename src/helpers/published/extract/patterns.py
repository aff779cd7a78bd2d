"""Sentences → rows: find the rating numbers of an article and lay them out in the published-table contract.

How a sentence is read (each step is one function below):

1. *Tokens.* Rating labels (every form in ``scales.yaml``, :mod:`.lexicon`), numbers
   (counts, ``X/Y`` fractions, percentages, printed zeros "không có"/"không còn")
   with their qualifier ("gần", "trên", …) and the unit noun printed after a count.
   Dates, document numbers, years and counts of other things (criteria, cadres,
   years, …) are not numbers of a table.
2. *Groups.* A count and the percentage that goes with it ("33 đơn vị (chiếm
   54,1%)", "39/43 … đạt TSVM, chiếm 90,7%") are one group.
3. *Labels.* Each group takes one label: one printed tightly before it ("HTNV
   14/56", "… là 33 đơn vị") or tightly after it ("3/7 tổ chức đảng HTTNV",
   "không có … được đánh giá là TSVM tiêu biểu"), else the nearest one in its
   clause (``confidence`` < 1). A group in parentheses without a label of its own
   takes the label outside ("45,25% … TSVM (… làm điểm đạt 69,64%)"). Lists that
   say the labels once: "A, B và C lần lượt là a, b và c"; "(… tương ứng là x% và
   y%)"; "năm 2016 và 2017 … lần lượt 40 và 42 … <label>"; "X% <unit> và Y% <unit>
   <label>"; "<label> năm 2020 là 4, năm 2021 là 2". A label the scales do not list
   but plainly mean ("TSVM và HTTNV", "chưa hoàn thành nhiệm vụ", "HTSXNV",
   "trọng sạch vững mạnh") is written as the scale's form, the printed one in the
   reason.
4. *Filters* (:mod:`.filters`). Targets ("phấn đấu", "chỉ tiêu", "… 98% trở lên"), changes ("tăng
   14% so với"), admissions, attendance, commendations and ratings of other
   bodies give no row.
5. *Context.* Year and place: in the clause, else the nearest earlier mention, else
   the options. Level: the unit noun of the group, else the nearest earlier one.
   Group (population): a scope ("toàn tỉnh") in the clause, else a population
   named earlier in the paragraph ("xếp loại 56 tổ chức đảng làm điểm").
6. *Tables.* Rows of one place, year, level and group form one table. Totals
   ("… được đánh giá là 61", a named population's size) are rows of their table;
   a level that is part of another ("TSVM tiêu biểu" of TSVM, anything "trong
   đó" after a cumulative "… trở lên") gets that row as ``parent``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from helpers.published.extract import lexicon as lx

#: "xây dựng tổ chức đảng trong sạch vững mạnh" names a programme, not a rating.
_PROGRAMME_BEFORE = re.compile(r"(?:xay\s+dung|cung\s+co)(?:\s+(?:diem|to\s+chuc\s+dang|chi\s*,?\s*dang\s+bo|"
                               r"dang\s+bo|chi\s+bo|to\s+chuc\s+co\s+so\s+dang|co\s+so\s+dang))*\s*[\"“]?\s*$")
_TASK_TAIL = re.compile(r"\s+(?:chinh\s+tri|duoc\s+giao|cong\s+tac|chuyen\s+mon|ke\s+hoach|cua\s+(?:co\s+quan|"
                        r"don\s+vi|dia\s+phuong))")
#: After a label: "và … chưa đánh giá": the share that follows is of the label's units and the unrated together.
_WITH_UNRATED = re.compile(r"\s*(?:va|,)\s*(?:[a-z]+\s+){0,6}?chua\s+(?:duoc\s+)?(?:danh\s+gia|xep\s+loai|phan\s+(?:tich|loai))")
#: Right before a label: a count and its party unit ("2 chi bộ …"), the units rated (not a task).
_COUNTED_UNIT_BEFORE = re.compile(r"(?<![\d.,])\d[\d.]*(?:/\d[\d.]*)?\s+(?:chi\s+bo|dang\s+bo|to\s+chuc(?:\s+co\s+so)?"
                                  r"(?:\s+dang)?|tccsd|dang\s+vien|dong\s+chi)\s+$")
_GLUE_WORDS = re.compile(r"(?<![a-z])(?:duoc|cong\s+nhan|chiem|ty\s+le|ti\s+le|bang|danh\s+gia|xep\s+loai|phan\s+loai|chat\s+luong|la|dat|deu|muc|o|nao|co|"
                         r"con|tang\s+len|giam\s+con|giam\s+xuong\s+con|xuong\s+con|voi|gom|cu\s+the|tat\s+ca|ca|"
                         r"trong\s+do|so|chi)(?![a-z])")
#: Right before a number printed without a % sign: the number is a share ("tỷ lệ … đạt 13,2", "chiếm 2,3").
#: Right before a whole number printed without its % sign: a ratio by its name ("tỷ lệ 80", "chiếm tỷ lệ 12").
_RATIO_BEFORE = re.compile(r"(?<![a-z])(?:t[yi]\s+le(?:\s+(?:la|dat))?|chiem\s+t[yi]\s+le|chiem)\s*:?\s*$")
#: A clause whose subject is a ratio ("tỷ lệ đảng viên hoàn thành tốt nhiệm vụ là 85"), up to the number.
_RATIO_SUBJECT = re.compile(r"(?<![a-z])t[yi]\s+le(?![a-z])[^;.\d]*?(?:la|dat|:)\s*$")
_SHARE_BEFORE = re.compile(r"(?<![a-z])(?:t[yi]\s+le|chiem|dat)\s*$")
_ATTACH = re.compile(r"^[\s,\"“”'(\[:\-–]*(?:chiem|bang|dat|=|voi)?\s*(?:ty\s+le|ti\s+le)?\s*(?:la)?\s*$")


@dataclass
class Token:
    """One number as printed: its kind, text and place in the article."""

    kind: str                 # count | fraction | percent | zero
    start: int
    end: int
    printed: str              # count (or numerator), with its qualifier, as printed
    base: str | None = None   # denominator of a fraction
    unit_kind: str | None = None
    level: str | None = None
    unit_end: int | None = None
    depth_start: int = -1     # position of the '(' the token sits in, -1 outside parentheses


@dataclass
class Group:
    """A count and its percentage (either may be missing), and the label it gets."""

    count: Token | None = None
    percent: Token | None = None
    label: tuple | None = None        # (start, end)
    how: str = ""
    reasons: list = field(default_factory=list)
    year: int | None = None           # set when the sentence gives each number its own year ("năm A và B … lần lượt")

    @property
    def first(self) -> Token:
        """The token printed first (the count, unless the share comes first: "85,3% TCCSĐ (58/68)")."""
        count, percent = self.count, self.percent
        return percent if count is None or percent is not None and percent.start < count.start else count

    @property
    def start(self) -> int:
        return self.first.start

    @property
    def end(self) -> int:
        return max(t.end for t in (self.count, self.percent) if t is not None)

    @property
    def paren(self) -> int:
        return self.first.depth_start


# --- tokens ------------------------------------------------------------------------------------------------------

class Parentheses:
    """The innermost '(' each offset lies in (-1 outside), from the spans of the parentheses of a text."""

    def __init__(self, text: str):
        spans, stack = [], []
        for m in re.finditer(r"[()]", text):
            if m.group() == "(":
                stack.append(m.start())
            elif stack:
                spans.append((stack.pop(), m.start()))
        spans += [(start, len(text)) for start in stack]      # an unclosed '(' runs to the end
        self.spans = sorted(spans)
        self.opens = [s for s, _ in self.spans]

    def __getitem__(self, position: int) -> int:
        i = bisect.bisect_right(self.opens, position) - 1
        while i >= 0:
            start, end = self.spans[i]
            if start <= position <= end:
                return start
            i -= 1
            if i >= 0 and self.spans[i][1] < position and i < len(self.spans) - 8:
                break
        return -1


def labels_in(scan: str, start: int, end: int, text: str | None = None) -> list[tuple[int, int]]:
    """Spans of rating labels in ``scan[start:end]`` (folded text). With the article ``text``, a one-word label
    form must also match with its diacritics: folded, "yêu cầu" would read as the level "yếu"."""
    out = []
    for match in lx.label_pattern().finditer(scan, start, end):
        if text is not None and lx.diacritics_differ(text, scan, match.start(), match.end()):
            continue
        window = scan[max(0, match.start() - 60):match.start()]
        tail = _TASK_TAIL.match(scan, match.end())
        if tail and tail.group().strip() == "duoc giao" and _COUNTED_UNIT_BEFORE.search(window):
            tail = None            # "2 chi bộ hoàn thành xuất sắc nhiệm vụ được giao": counted units rated
        if _WITH_UNRATED.match(scan, match.end()):
            continue               # "TCCSĐ yếu kém và TCCSĐ chưa đánh giá …: 10,54%": one share of two groups
        if tail or (("xay dung" in window or "cung co" in window)
                                                   and _PROGRAMME_BEFORE.search(window)):
            continue
        if scan.startswith("yeu", match.start()) and re.search(r"(?<![a-z])chu\s+$", window):
            continue               # "các chỉ tiêu chủ yếu: …": "main", not the level "yếu"
        out.append((match.start(), match.end()))
    if text is not None:
        out += [span for span in lx.misspelt_abbreviations(text, start, end) if span not in out]
    for pattern, _, _ in lx.COMPOUND_LABELS:
        for match in pattern.finditer(scan, start, end):
            if not _TASK_TAIL.match(scan, match.end()) and not any(
                    l[0] < match.start() < l[1] or l[0] < match.end() < l[1] for l in out if l[1] - l[0] > len(match.group())):
                out = [l for l in out if l[1] <= match.start() or l[0] >= match.end()] + [(match.start(), match.end())]
    return sorted(out)


def numbers_in(text: str, scan: str, start: int, end: int, parens: list[int]) -> list[Token]:
    """The numbers of ``text[start:end]`` that can be numbers of a table (see module notes)."""
    tokens = []
    for m in lx.NUMBER_PATTERN.finditer(scan, start, end):
        begin = m.start()
        if tokens and begin < tokens[-1].end:
            continue              # the base of "662 trong tổng số 686", read with its count
        before = scan[max(0, begin - 25):begin]
        if m.group("pct"):
            kind, printed, base = "percent", text[begin:m.end()], None
        elif m.group("num"):
            kind, printed, base = "fraction", text[begin:m.start("den")].rstrip(" /"), m.group("den")
        else:
            kind, printed, base = "count", text[begin:m.end()], None
        if kind != "percent" and lx.not_a_count_before(before):
            continue
        if kind == "count" and lx.unit_after(scan, m.end())[0] is None and (
                "," in m.group("count") and (_SHARE_BEFORE.search(before) or not re.search(r",\d{3}$", m.group("count")))
                or not m.group("qual") and (_RATIO_BEFORE.search(before) or _RATIO_SUBJECT.search(
                    scan, max(start, begin - 100), begin))):
            kind = "percent"      # "tỷ lệ … đạt 13,2", "tỷ lệ … là 85": a share printed without its % sign (and no
                                  # count has a decimal part)
        if kind == "fraction" and m.group("qual") and scan.startswith(" so ", m.end()):
            continue              # "trên 1/3 số tổ chức …": a proportion in a rule, not a count of units
        out_of = lx.OUT_OF.match(scan, m.end()) if kind == "count" else None
        if out_of:      # "662 trong tổng số 686" reads as 662/686
            kind, base = "fraction", out_of.group(1)
        value = (m.group("count") or m.group("num") or "")
        end_of_number = out_of.end() if out_of else m.end()
        token = Token(kind, begin, end_of_number, printed, base, depth_start=parens[begin])
        if kind == "percent":
            after = m.end() + 4 if scan.startswith(" so ", m.end()) else m.end()
            unit_kind, level, _ = lx.unit_after(scan, after)
            if unit_kind == "party":       # "96% đảng viên", "8,8% số TCCSĐ"
                token.level = level
            elif unit_kind == "foreign" and (after > m.end() or not _MEMBERS_TOO.match(scan, m.end())):
                continue                   # "30% số nhiệm vụ", "95% hội viên": a share of something else than party
                                           # units (but "100% cán bộ, đảng viên" are members too)
        if kind in ("count", "fraction"):
            token.unit_kind, token.level, token.unit_end = lx.unit_after(scan, end_of_number)
            if token.unit_kind == "foreign":
                continue
            if kind == "count" and re.fullmatch(r"(19|20)\d\d", value) and token.unit_kind is None:
                continue   # a year
            if kind == "count" and token.unit_kind is None and re.match(r"\s*(?:-|–|tuoi|gio|km|ha)", scan[m.end():]):
                continue
        tokens.append(token)
    for m in lx.ZERO_PATTERN.finditer(scan, start, end):
        printed = text[m.start():m.end()]
        token = Token("zero", m.start(), m.end(), printed, depth_start=parens[m.start()])
        token.unit_kind, token.level, token.unit_end = lx.unit_after(scan, m.end())
        if token.unit_kind is None and scan.startswith(" co ", m.end()):
            token.unit_kind, token.level, token.unit_end = lx.unit_after(scan, m.end() + 3)
        if token.unit_kind == "foreign" or _ZERO_OF_OTHER.match(scan, token.unit_end or m.end()):
            continue               # "không có học sinh kém", "không có đảng viên vi phạm": not a rating
        tokens.append(token)
    return sorted(tokens, key=lambda t: t.start)


#: After a percentage: "cán bộ, đảng viên" — cadres who are members, not a foreign unit.
_MEMBERS_TOO = re.compile(r"\s*can\s+bo\s*,?\s*(?:va\s+)?dang\s+vien")
#: After a zero and its unit: what the units did is not a rating ("không có đảng viên vi phạm, chi bộ được đánh giá
#: trong sạch, vững mạnh": the zero counts offenders).
_ZERO_OF_OTHER = re.compile(r"\s*(?:nao\s+)?(?:vi\s+pham|bi\s+(?:ky\s+luat|xu\s+ly|thi\s+hanh\s+ky\s+luat))(?![a-z])")


# --- groups and labels -------------------------------------------------------------------------------------------

def _without(scan: str, start: int, end: int, spans) -> str:
    """``scan[start:end]`` with the given spans and unit nouns removed (for "what lies between")."""
    piece = list(scan[start:end])
    for s, e in spans:
        for i in range(max(s, start), min(e, end)):
            piece[i - start] = " "
    text = "".join(piece)
    return lx.UNIT_PATTERN.sub(" ", text)


def make_groups(tokens: list[Token], scan: str, labels) -> list[Group]:
    """Pair each count with the percentage printed for it."""
    groups: list[Group] = []
    for token in tokens:
        last = groups[-1] if groups else None
        if token.kind == "percent" and token.depth_start < 0:
            # "Hoàn thành tốt nhiệm vụ 35 (có 07 đảng bộ và 28 chi bộ), chiếm tỷ lệ 68,62%": the parts in parentheses
            # are not what the share is of; the count before them is
            outside = [g for g in groups if g.paren < 0]
            if outside and all(g.paren > outside[-1].end for g in groups[groups.index(outside[-1]) + 1:]):
                last = outside[-1]
        if (token.kind == "percent" and last is not None and last.count is not None and last.percent is None
                and last.count.kind in ("count", "fraction", "zero") and token.start - last.count.end < 120
                and not _own_subject(scan, token, last.count)):
            between = _without(scan, max(last.count.end, last.count.unit_end or 0), token.start, labels)
            between = re.sub(r"\([^()]*\)", " ", between)
            between = re.sub(r"(?<![a-z])(?:don\s+vi|to\s+chuc|dong\s+chi|d\s?/\s?c|co\s+so)(?![a-z])", " ", between)
            between = lx.TOTAL_CUES.sub(" ", between)   # "543/545 chi bộ … kiểm điểm, đánh giá, đạt 99,6%"
            if re.search(r"chiem|\(|\[|(?<![a-z])t[yi]\s+le(?![a-z])|(?<![a-z])dat\s*$", between):
                between = _GLUE_WORDS.sub(" ", between)  # "…, đạt tỷ lệ 22 %", "…, đạt 99,6%"
            if _ATTACH.match(between) and len(between) < 120:
                last.percent = token
                continue
        if (token.kind in ("count", "fraction") and last is not None and last.count is None
                and last.percent is not None and token.depth_start > last.percent.end
                and _COUNT_IN_PARENTHESES.fullmatch(_without(scan, last.percent.end, token.start, ()))):
            last.count = token      # "85,3% tổ chức cơ sở đảng (58/68)", "chiếm 20,5% (12 chi bộ)"
            continue
        if token.kind == "percent":
            groups.append(Group(percent=token))
        else:
            groups.append(Group(count=token))
    return groups


def _own_subject(scan: str, percent: Token, count: Token) -> bool:
    """ "12 chi bộ hoàn thành tốt nhiệm vụ, 95% đảng viên …": a share followed by its own unit, of another level than
    the count before it, is the subject of a clause of its own, not that count's share."""
    if percent.level is None or count.level is None or percent.level == count.level:
        return False
    return lx.unit_after(scan, percent.end)[0] == "party"


#: Between a share and the count printed after it in parentheses: at most a word or two and the '('.
_COUNT_IN_PARENTHESES = re.compile(r"\s*(?:so\s+)?\s*\(\s*(?:tuc\s+la|tuc|voi|gom|co|=)?\s*")


def _tight(scan: str, start: int, end: int) -> bool:
    between = _without(scan, start, end, ())
    between = re.sub(r"(?<![a-z])nam\s+(?:19|20)\d\d(?!\d)", " ", between)   # "<label> năm 2022 là 12"
    between = re.sub(r"\([^()]*%[^()]*\)", " ", between)
    between = _GLUE_WORDS.sub(" ", between)
    between = re.sub(r"(?<![a-z])(?:don\s+vi|to\s+chuc|dong\s+chi|d\s?/\s?c|co\s+so|tieu\s+bieu)(?![a-z])", " ", between)
    return end - start <= 80 and re.fullmatch(r"\)?[\s\"“”':]*", between) is not None   # ")": of the group's share


#: Between two shares of a list that says the label once: ", <other units> đạt (tỷ lệ)".
_ELLIPSIS = re.compile(r"\s*,\s*[^\d;()]{3,80}?(?<![a-z])(?:dat|chiem|la)(?:\s+t[yi]\s+le)?\s*")
_YEAR_ELLIPSIS = re.compile(r"\s*[,;]\s*(?:va\s+|con\s+)?(?:den\s+|sang\s+)?nam\s+(?:19|20)\d\d\s*,?\s*"
                            r"(?:la|co|dat|con|tang\s+len|giam\s+con|len)?\s*")
#: A label followed by its own number heads the next item of a list ("trong đó: Hoàn thành xuất sắc nhiệm vụ 08",
#: "… đủ tư cách hoàn thành tốt nhiệm vụ chiếm 66,5%"): it is not the label of a number before it.
_HEADS_A_NUMBER = re.compile(r"\s*[:=]?\s*(?:(?:chiem|la|dat|bang|co)\s+(?:t[yi]\s+le\s+)?)?"
                             r"(?:gan\s+|tren\s+|khoang\s+|hon\s+|duoi\s+)?\d(?!\d{3}(?!\d))")
_SHARED_PREDICATE = re.compile(r"\)?\s*(?:\([^()]*\))?\s*(?:so\s+)?(?:va|,)\s*")   # "82% số chi bộ và …"
_RESPECTIVELY = re.compile(r"(?<![a-z])tuong\s+ung(?![a-z])")


def _heads_another_number(scan: str, label_end: int, group: Group) -> bool:
    """Whether the label ending at ``label_end`` is followed by a number of its own (not the group's own share, as
    in "02 đảng viên hoàn thành nhiệm vụ chiếm tỷ lệ 2,7%")."""
    m = _HEADS_A_NUMBER.match(scan, label_end)
    return m is not None and not any(t is not None and t.start <= m.end() - 1 < t.end for t in (group.count, group.percent))


#: Right before a label: the verb that rates the units named before it, however long their name.
_RATED_AS = re.compile(r"(?<![a-z])(?:duoc\s+)?(?:xep\s+loai|danh\s+gia|cong\s+nhan)(?:\s+chat\s+luong)?"
                       r"(?:\s+(?:la|dat|o\s+muc|muc))?\s*[\"“]?\s*$")


#: A score on the 100-point scale of 2025 between a count and its label: the level's threshold, not a count.
_SCORE = re.compile(r"(?<![a-z])(?:tu\s+|dat\s+|tren\s+|duoi\s+)?\d{1,3}(?:[,.]\d+)?\s+diem(?:\s+tro\s+len)?(?![a-z])")


def _far_ok(scan: str, group: Group, start: int, end: int) -> bool:
    """A label several words away is taken by a percentage, or by a count when a rating verb links them."""
    limit = 100 if _RATED_AS.search(scan, start, end) else 60   # "16/16 Đảng bộ, ban thường vụ cấp ủy trực thuộc
    between = _SCORE.sub(" ", scan[start:end])          # "đạt từ 90 điểm trở lên, xếp loại <label>" (2025 scale)
    between = re.sub(r"(?<![a-z])nam\s+(?:19|20)\d\d(?!\d)", " ", between)   # "<label> …, năm 2020 đạt 98%"
    if end - start > limit or re.search(r"\d", between):  # tỉnh được xếp loại chất lượng <label>"
        return False
    if group.count is None or group.count.kind == "zero":
        return True
    return re.search(r"(?<![a-z])(?:dat|xep\s+loai|danh\s+gia|cong\s+nhan|xet|la|con|xuong|len)(?![a-z])",
                     scan[start:end]) is not None


#: "… HTXSNV, HTTNV và HTNV lần lượt là 12, 40 và 3": the labels said first, the numbers after them in order.
_IN_ORDER = re.compile(r"(?<![a-z])lan\s+luot(?:\s+(?:la|dat|chiem|co))?\s*:?\s*$")


def _in_order(groups: list[Group], labels, scan: str) -> set:
    """Labels given to the numbers printed after "lần lượt là", in order; returns the labels used."""
    used = set()
    for index, group in enumerate(groups):
        if group.label is not None or not _IN_ORDER.search(scan, max(0, group.start - 25), group.start):
            continue
        run = [group]
        for other in groups[index + 1:]:
            if re.fullmatch(r"\s*(?:,|va|;)\s*", scan[run[-1].end:other.start]) is None:
                break
            run.append(other)
        previous_end = groups[index - 1].end if index else 0
        said = [l for l in labels if previous_end <= l[0] and l[1] <= group.start]
        if len(said) == len(run) >= 2:
            for g, label in zip(run, said):
                g.label, g.how = label, "in order"
                g.reasons.append("'lần lượt': the labels said before, in order")
                used.add(label)
            continue
        # "Năm 2016 và 2017, … có lần lượt 40 và 42 tổ chức … đạt <label>": one label, a year for each number
        years = [y for m in _YEARS_LISTED.finditer(scan, max(0, previous_end), group.start)
                 for y in re.findall(r"(?:19|20)\d\d", m.group())]
        after = [l for l in labels if l[0] >= run[-1].end and l not in used]
        if len(years) == len(run) >= 2 and after and after[0][0] - run[-1].end < 60 \
                and not re.search(r"\d", _SCORE.sub(" ", scan[run[-1].end:after[0][0]])):
            last = run[-1].count
            for g, y in zip(run, years):
                g.label, g.how, g.year = after[0], "in order", int(y)
                g.reasons.append("'lần lượt': one label, each number in the order of the dates said before")
                if g.count is not None and last is not None and g.count.level is None:
                    g.count.level, g.count.unit_kind = last.level, last.unit_kind    # "40 và 42 tổ chức …"
            used.add(after[0])
    return used


_YEARS_LISTED = re.compile(r"(?<![a-z])nam\s+(?:19|20)\d\d(?:\s*(?:,|va)\s*(?:nam\s+)?(?:19|20)\d\d)+(?!\d)")


def assign_labels(groups: list[Group], labels, scan: str, barriers: list[int]) -> None:
    """Give each group a label (see module notes, step 3)."""
    used = _in_order(groups, labels, scan)

    def crosses(a, b):
        i = bisect.bisect_left(barriers, min(a, b))     # a barrier right at the end of a number counts too
        return i < len(barriers) and barriers[i] < max(a, b)

    for index, group in enumerate(groups):
        if group.label is not None:
            continue
        previous_end = groups[index - 1].end if index else -1
        next_start = groups[index + 1].start if index + 1 < len(groups) else len(scan)
        core_end = group.count.unit_end or group.count.end if group.count else group.end
        left = [l for l in labels if l not in used and l[1] <= group.start and l[0] >= previous_end
                and not crosses(l[1], group.start)]
        right = [l for l in labels if l not in used and l[0] >= core_end and l[1] <= next_start
                 and not crosses(group.end, l[0]) and not _heads_another_number(scan, l[1], group)]
        same_paren = lambda l: (l[0] > group.paren if group.paren >= 0 else True)
        left = [l for l in left if same_paren(l)]
        right = [l for l in right if group.paren < 0 or (l[0] > group.paren and scan.find(")", group.paren) > l[0])]
        choice = how = None
        if left and _tight(scan, left[-1][1], group.start):
            choice, how = left[-1], "left"
        elif right and _tight(scan, max(group.end, core_end), right[0][0]):
            choice, how = right[0], "right"
        elif left and _far_ok(scan, group, left[-1][1], group.start):
            choice, how = left[-1], "left_far"
        elif right and _far_ok(scan, group, max(group.end, core_end), right[0][0]):
            choice, how = right[0], "right_far"
        if choice is not None:
            used.add(choice)
            group.label, group.how = choice, how
            if how.endswith("far"):
                group.reasons.append("label and number are several words apart")
    # a list with the label said once: "số chi bộ … hoàn thành tốt nhiệm vụ trở lên là trên 97%, chi bộ đơn vị sự
    # nghiệp đạt tỷ lệ trên 90%, …": a share whose clause names other units and no label takes the label before it
    for index, group in enumerate(groups):
        previous = groups[index - 1] if index else None
        if (group.label is None and group.count is None and group.paren < 0 and previous is not None
                and previous.label is not None and previous.paren < 0 and not crosses(previous.end, group.start)):
            gap = scan[previous.end:group.start]
            if _ELLIPSIS.fullmatch(gap) and lx.UNIT_PATTERN.search(gap) and not lx.label_pattern().search(gap):
                group.label, group.how = previous.label, "ellipsis"
                group.reasons.append("label said once for the list, taken from the clause before")
    # one predicate for two kinds of unit: "95,8% tổ chức cơ sở đảng và 96,5% đảng viên hoàn thành tốt nhiệm vụ trở
    # lên", "2 tổ chức cơ sở đảng (chiếm 3,3%) và 45 đảng viên (chiếm 1,2%) bị xếp loại …", also inside one pair of
    # parentheses ("(trong đó 20% TCCSĐ và 15% đảng viên hoàn thành xuất sắc nhiệm vụ)")
    for index in range(len(groups) - 2, -1, -1):
        group, following = groups[index], groups[index + 1]
        levels = (group.first.level, following.first.level)
        if (group.label is None and following.label is not None and following.how in ("right", "right_far")
                and group.paren == following.paren and None not in levels and levels[0] != levels[1]
                and _SHARED_PREDICATE.fullmatch(_without(scan, group.end, following.start, ()))):
            group.label, group.how = following.label, "shared"
            group.reasons.append("one predicate for two kinds of unit: label taken from the one after")
    # the same label for another year: "… hoàn thành xuất sắc nhiệm vụ năm 2022 là 12, năm 2023 là 15"
    for index, group in enumerate(groups):
        previous = groups[index - 1] if index else None
        if (group.label is None and previous is not None and previous.label is not None and group.paren < 0
                and (group.count is None or group.count.unit_kind != "foreign")
                and _YEAR_ELLIPSIS.fullmatch(scan, previous.end, group.start)):
            group.label, group.how = previous.label, "ellipsis"
            group.reasons.append("label said once, repeated for the next period")
    # "… 98,1%, trong đó … 18% (năm 2020 đạt tỷ lệ tương ứng là 79,85% và 17%)": the shares said "respectively"
    # take the labels of as many labelled shares before them, in order
    for index, group in enumerate(groups):
        if group.label is not None or group.how == "respectively":
            continue
        run = [group]
        for other in groups[index + 1:]:
            if other.label is not None or scan.find(";", run[-1].end, other.start) >= 0:
                break
            run.append(other)
        before = [g for g in groups[:index] if g.label is not None]
        if len(run) < 2 or len(before) < len(run):
            continue
        if _RESPECTIVELY.search(scan, before[-1].end, group.start):
            for g, source in zip(run, before[-len(run):]):
                g.label, g.how = source.label, "respectively"
                g.reasons.append("'tương ứng': the label of the share in the same place before")
    # a group in parentheses without a label takes the label printed just before the parentheses
    for index, group in enumerate(groups):
        if group.label is None and group.paren >= 0 and (group.count is None or group.count.kind == "zero"):
            outside = [g for g in groups[:index] if g.label is not None and g.end <= group.paren and g.paren < 0]
            if outside and not crosses(outside[-1].end, group.paren):
                group.label, group.how = outside[-1].label, "outside"
                group.reasons.append("label taken from the sentence outside the parentheses")
