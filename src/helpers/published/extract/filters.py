"""Which rating numbers must not become rows: targets, changes, ranges, comparisons, other topics.

A group (a count and its share, see :mod:`.patterns`) is left out, with its reason kept in the draft's
``skipped`` table, when it is a target ("phấn đấu …", a resolution's "đạt 98% trở lên" — in its own reach only), a
change ("tăng 14% so với năm 2021"), a range ("từ 83,3% đến 85,6%"), the standard a result is compared with
("so với Nghị quyết … là dưới 0,4%"), or a number of a clause about another topic (admissions, attendance,
commendations, other bodies).
"""

from __future__ import annotations

import re

from helpers.published.extract import lexicon as lx
from helpers.published.extract import patterns as pt


_RANGE_START = re.compile(r"(?<![a-z])tu\s+(?:hon\s+|gan\s+|tren\s+)?$")
_RANGE_NEXT = re.compile(r"\s*%?\s*(?:den|toi|-|–)\s*(?:hon\s+|gan\s+|tren\s+)?\d")
_RANGE_END = re.compile(r"(?<![a-z])tu\s+(?:hon\s+|gan\s+|tren\s+)?[\d.,]+\s*%?\s*(?:den|toi|-|–)\s*"
                        r"(?:hon\s+|gan\s+|tren\s+)?$")


def target_scopes(text: str, scan: str, start: int, end: int, parens) -> list[tuple[int, int]]:
    """Where the target cues of a sentence reach: to the end of the sentence, but only to the end of its
    parentheses for a target cited in parentheses ("… là 98,45% (Nghị quyết … đạt 98% trở lên); …"), and only to
    the next comma for one cited after "so với" ("97,4%, so với Nghị quyết … đạt 95% trở lên; …")."""
    scopes = []
    for cue in lx.TARGET_CUES.finditer(scan, start, end):
        if cue.group().startswith(("chi", "muc", "de", "dat", "ke")) and _achieved(text, scan, start, cue.start()):
            continue               # "kết quả … thực hiện các chỉ tiêu chủ yếu: 95% …": the results of the targets
        if cue.group().startswith("hang") and _PAST_TERM.search(scan, start, cue.start()):
            continue               # "Đến nay, hằng năm có 92% …", "Nhiệm kỳ qua, hằng năm có …": a term's average
        if parens[cue.start()] >= 0:
            close = text.find(")", cue.start(), end)
            scopes.append((cue.start(), close if close >= 0 else end))
        elif cue.group().startswith("chi") and _counted_and_met(text, scan, start, cue, end):
            continue               # "đề ra 18 chỉ tiêu, đến nay đạt 16 chỉ tiêu; năm 2023 có 95% …": a count of
                                   # targets and how many were met, in their own clause
        elif re.search(r"so\s+voi\s*$", scan[max(0, cue.start() - 10):cue.start()]):
            stop = re.compile(r"[,;]").search(text, cue.end(), end)
            scopes.append((cue.start(), stop.start() if stop else end))
        else:
            result = _RESULT_AFTER.search(scan, cue.end(), end)     # "Hàng năm, có 90% … được kiểm tra, kết quả
            scopes.append((cue.start(), result.start() if result else end))   # …": the result is no target
            break
    return scopes


#: Before "chỉ tiêu", "mục tiêu": the targets were met, what follows are results ("đạt và vượt các chỉ tiêu", "kết quả tích cực
#: trong thực hiện các chỉ tiêu", "đạt 119,41% chỉ tiêu nghị quyết; …").
_ACHIEVED_BEFORE = re.compile(r"(?<![a-z])(?:dat|vuot|hoan\s+thanh(?:\s+thang\s+loi)?|thuc\s+hien(?:\s+duoc)?)"
                              r"\s+(?:va\s+vuot\s+)?(?:(?:cac|\d+/\d+|\d[\d.,]*\s*%?)\s+)?(?:(?:muc|chi)\s+tieu\s+)?$")
#: Before "hằng năm có" in its sentence: the term looked back on, so the figure is a result (a term's average).
_PAST_TERM = re.compile(r"(?<![a-z])(?:den\s+nay|nhiem\s+ky\s+(?:vua\s+)?qua|(?:qua|trong)\s+\d+\s+nam(?:\s+qua)?|"
                        r"\d+\s+nam\s+qua|binh\s+quan|trung\s+binh|ket\s+qua)(?![a-z])")


_COUNTED_TARGETS = re.compile(r"(?<![\d.,])\d+(?:/\d+)?\s+(?:cac\s+)?$")
_MET_COUNT = re.compile(r"(?<![a-z])(?:dat|vuot|hoan\s+thanh)\s+(?:va\s+vuot\s+)?\d+(?:/\d+)?\s+(?:chi|muc)\s+tieu")


def _counted_and_met(text: str, scan: str, start: int, cue, end: int) -> bool:
    """Whether "chỉ tiêu" at ``cue`` follows a number of targets ("18 chỉ tiêu") and its clause says how many were
    met ("…, đạt 16 chỉ tiêu;"): a count, not a target's share."""
    if not _COUNTED_TARGETS.search(scan, max(start, cue.start() - 12), cue.start()):
        return False
    stop = text.find(";", cue.end(), end)
    return stop >= 0 and _MET_COUNT.search(scan, cue.end(), stop) is not None


def _achieved(text: str, scan: str, start: int, cue: int) -> bool:
    """Whether the targets named at ``cue`` are said to be met: "đạt", "vượt", "hoàn thành", "thực hiện" right before
    them — "đạt" with its dot below, as printed: "đặt mục tiêu" (set) folds alike."""
    verb = _ACHIEVED_BEFORE.search(scan, max(start, cue - 40), cue)
    return verb is not None and not (scan.startswith("dat", verb.start()) and text[verb.start() + 1] != "ạ")


_RESULT_AFTER = re.compile(r"(?<![a-z])ket\s+qua(?![a-z])")


#: A sentence that announces targets: "Nghị quyết đại hội xác định 5 chỉ tiêu chủ yếu.", "… phấn đấu giữ vững …".
_ANNOUNCES = re.compile(r"(?<![a-z])(?:phan\s+dau|muc\s+tieu|phuong\s+huong|(?:xac\s+dinh|de\s+ra|thong\s+qua|voi|gom)\s+"
                        r"(?:[a-z0-9]+\s+){0,4}?chi\s+tieu|chi\s+tieu\s+(?:chu\s+yeu|cu\s+the|chinh)|"
                        r"chi\s+tieu[^.;:\d]{0,20}(?:\d{4}[^.;:\d]{0,20})?:|xac\s+dinh\s*:)(?![a-z])")
#: … unless it speaks of their outcome: "đề ra 18 chỉ tiêu, đạt và vượt 16 chỉ tiêu".
_OUTCOME = re.compile(r"(?<![a-z])(?:dat\s+va\s+vuot|hoan\s+thanh|vuot|da\s+dat|dat\s+\d|ket\s+qua|"
                      r"thuc\s+hien\s+duoc)(?![a-z])")
_DONE = re.compile(r"(?<![a-z])da\s+(?!ra(?![a-z]))")
#: The first words of a sentence that goes on with the targets announced before it.
_CONTINUES = re.compile(r"[\s\"“”'(]*(?:[-–•*+]|(?:trong\s+do|cu\s+the|hang\s+nam|dong\s+thoi|phan\s+dau|den\s+nam|"
                        r"bao\s+dam|dam\s+bao|trong\s+nhiem\s+ky|ve)(?![a-z])|\d{1,2}\s*[.)]\s|[a-z]\)\s)")
#: Anywhere in a sentence: a plan's threshold of admissions ("phát triển từ 10 đảng viên trở lên/năm"), which only
#: a list of targets prints; the whole sentence is that list.
_PLAN_ANYWHERE = re.compile(r"(?<![a-z])(?:ket\s+nap|kep\s+nap|phat\s+trien)\s+(?:moi\s+|duoc\s+)?(?:tu\s+)?"
                            r"\d[\d.]*(?:\s*[-–]\s*\d+)?\s+dang\s+vien(?:\s+moi)?\s+tro\s+len|tro\s+len\s*/\s*nam")


def carried_target(scan: str, start: int, end: int, carried) -> tuple[bool, bool | str]:
    """Whether a whole sentence is a target, and whether the next one may be: a sentence that announces targets
    ("… xác định 5 chỉ tiêu chủ yếu.", "… phấn đấu giữ vững …") makes the sentences right after it that go on with
    them ("Trong đó, …", "Hằng năm, …", "Cụ thể …", a list's "- …") targets too, and the sentence right after a
    heading that announces them ("Chỉ tiêu năm 2024:", returned as "colon") whatever its first word; so is a sentence
    that prints a plan's threshold of admissions ("phát triển từ 10 đảng viên trở lên/năm")."""
    whole = bool(_PLAN_ANYWHERE.search(scan, start, end))
    if carried == "colon" or carried and _CONTINUES.match(scan, start):
        whole = True        # the sentence right after "Chỉ tiêu năm 2024:" is the first of its list
    announces = _ANNOUNCES.search(scan, start, end)
    if announces and announces.group().startswith(("phan", "muc")) and (
            _DONE.search(scan, announces.end(), end) or not lx.label_pattern().search(scan, start, end)):
        announces = None    # "phấn đấu vươn lên", "Với mục tiêu …, Đảng ủy đã lãnh đạo …": an effort, not a list
    carries = whole or bool(announces and not _OUTCOME.search(scan, start, end))
    if carries and announces and scan[start:end].rstrip().endswith(":"):
        return whole, "colon"
    return whole, carries


def why_not(group: pt.Group, scan: str, targets: list, clause: tuple[int, int], topics: dict) -> str | None:
    """Why a group must not become a row (None when it may). ``targets``: the reach of the sentence's target cues
    (:func:`target_scopes`); ``topics``: clause → whether it speaks of another topic (filled here)."""
    if any(a < group.start < b for a, b in targets):
        return "target"
    token = group.count or group.percent
    if _BOUND.match(scan, group.first.start):
        return "target"           # "ít nhất 20% …", "tối thiểu 90%": a bound set, not a result
    if lx.CHANGE_BEFORE.search(scan[max(0, token.start - 20):token.start]):
        return "change"
    after = lx.CHANGE_AFTER.match(scan, group.end)
    if after:
        rest = scan[after.end():clause[1]]
        rest = rest[:min([i for i in (rest.find(")"), rest.find(";")) if i >= 0], default=len(rest))]
        own_change = re.search(r"(?<![a-z])(?:tang|giam)\s+(?:len\s+|xuong\s+)?(?:hon\s+)?\d", rest)
        if (lx.PERIOD_AFTER.match(rest) or lx.label_pattern().search(rest)) and not own_change:
            return "change"       # "tăng 14% so với năm 2021"; "16,19% so với tổng số đảng viên … HTTNV"
            # (but in "28%, so với năm 2016 tăng 4,48%" the change is the number after "so với")
    if group.percent is not None and lx.THRESHOLD_AFTER.match(scan, group.percent.end):
        return "target"
    if _RANGE_START.search(scan, max(0, token.start - 12), token.start) and _RANGE_NEXT.match(scan, token.end) \
            or _RANGE_END.search(scan, max(0, token.start - 30), token.start):
        return "range"            # "từ 83,3% đến 85,6%": a span over several years or units, not one value
    chunk = max(scan.rfind(",", clause[0], group.start), scan.rfind("(", clause[0], group.start), clause[0])
    if re.search(r"(?<![a-z])so\s+voi(?![a-z])", scan[chunk:group.start]):
        return "comparison"       # "0,33%, so với Nghị quyết … là dưới 0,4%": the standard compared with
    voters = lx.VOTERS_AFTER.match(scan, token.unit_end or token.end)
    if voters and voters.end() <= clause[1]:
        return "other topic"      # "100% đảng viên nhất trí xếp loại chi bộ …": the share of the voters
    statement = _statement(scan, group.start, clause)
    if statement != clause and lx.COMMENDATION_CUES.search(scan, clause[0], statement[0]):
        return "other topic"      # "tặng giấy khen cho 20 tập thể, có 12 …": the recipients of the commendation
    if statement not in topics:
        topics[statement] = [cue for cue in lx.OTHER_TOPIC_CUES.finditer(scan, statement[0], statement[1])
                             if not _names_a_rating(scan, cue)]
    if any(not (cue.start() > group.end and (_MEASURED_AGAINST.search(scan, max(0, cue.start() - 12), cue.start())
                                              or scan.rfind("(", group.end, cue.start())
                                              > scan.rfind(")", group.end, cue.start())))
           for cue in topics[statement]):
        return "other topic"
    return None


#: "… đạt 92,5%, vượt chỉ tiêu Nghị quyết", "… 82,5% (chỉ tiêu 80%)": after the result, the target it is measured
#: against (not its topic).
_MEASURED_AGAINST = re.compile(r"(?<![a-z])(?:vuot|dat|so\s+voi|bang|hon)\s+(?:muc\s+)?$")


#: ", có N …", ", kết quả …" or a heading's ":" before a number, after a clause about something else, start a new
#: statement: "kết nạp 196 đảng viên mới, có 48/66 tổ chức cơ sở đảng đạt trong sạch vững mạnh".
_NEW_STATEMENT = re.compile(r",\s*(?:va\s+|con\s+)?co(?=\s+(?:gan\s+|tren\s+|hon\s+)?\d)|,\s*(?=ket\s+qua)|:\s*(?=\d)")


def _statement(scan: str, position: int, clause: tuple[int, int]) -> tuple[int, int]:
    """The part of a clause a topic cue speaks for: between the ", có N" that start new statements."""
    start, end = clause
    for m in _NEW_STATEMENT.finditer(scan, clause[0], clause[1]):
        if m.start() < position:
            start = m.start()
        else:
            end = m.start()
            break
    return start, end


def _names_a_rating(scan: str, cue) -> bool:
    """ "đạt danh hiệu trong sạch vững mạnh": the title named is a rating level, not a commendation."""
    return cue.group().startswith("danh hieu") and lx.label_pattern().match(
        scan, re.compile(r"[\s\"“”':]*").match(scan, cue.end()).end()) is not None


#: "cán bộ" (or "người đứng đầu") as whom a sentence rates ("xếp loại chất lượng cán bộ lãnh đạo, quản lý", "kết
#: quả cán bộ hoàn thành tốt …"), not "cán bộ, đảng viên" nor "cán bộ, công chức" (civil servants, found apart), nor
#: "đảng viên là cán bộ …" (what the members are) or "công tác cán bộ" (a topic).
_CADRES = re.compile(r"(?<![a-z])(?<!la\s)(?<!tac\s)(?:can\s+bo(?!\s*,?\s*(?:va\s+)?(?:dang\s+vien|cong\s+chuc))|nguoi\s+dung\s+dau)(?![a-z])")


def cadres(scan: str, group: pt.Group, sentence_start: int) -> bool:
    """Whether a number rates cadres, not party units or members: its count prints no unit of its own (or only
    "đồng chí") and the last subject named before it in the sentence is "cán bộ" (issue 15: ratings of other
    bodies)."""
    count = group.count
    if count is not None and count.unit_kind == "party" and not lx.PERSON_UNITS.match(scan, count.end):
        return False
    if count is None and group.percent.level is not None:
        return False               # "98% đảng viên …": the share prints whom it is of
    start = group.label[0] if group.label is not None and group.label[0] < group.start else group.start
    cadre = None
    for cadre in _CADRES.finditer(scan, sentence_start, start):
        pass
    if cadre is None:
        return False
    return lx.UNIT_PATTERN.search(scan, cadre.end(), start) is None


_LEADERSHIP = re.compile(r"(?<![a-z])tap\s+the\s+(?:cap\s+uy|lanh\s+dao|ban\s+thuong\s+vu|thuong\s+truc)(?![a-z])")


def leadership_collectives(scan: str, group: pt.Group, paragraph_start: int) -> bool:
    """Whether a count of "tập thể" refers to the leadership collectives ("tập thể cấp ủy", "tập thể lãnh đạo")
    named in its paragraph: they are rated too, but they are not party units (issue 15: ratings of other bodies)."""
    count = group.count
    if count is None or count.unit_end is None or not re.match(r"\s*tap\s+the(?![a-z])", scan[count.end:count.end + 12]):
        return False
    return _LEADERSHIP.search(scan, paragraph_start, count.unit_end + 20) is not None


_BOUND = re.compile(r"(?:it\s+nhat|toi\s+thieu|toi\s+da)\s")


def skip_record(text: str, group: pt.Group, reason: str) -> dict:
    start = min(group.start, group.label[0]) if group.label else group.start
    end = max(group.end, group.label[1]) if group.label else group.end
    return {"start": start, "end": end, "quote": text[start:end], "reason": reason}
