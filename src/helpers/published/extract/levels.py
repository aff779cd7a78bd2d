"""The level of unit of a group: the unit printed with its count, else the nearest before it, else the context;
what loose words ("tổ chức đảng", a bare "chi bộ") refer to; the units a heading names for the lines under it."""

from __future__ import annotations

import re

from helpers.published.extract import lexicon as lx
from helpers.published.extract import patterns as pt


def group_level(scan: str, group: pt.Group, clause, last_level, before_only: bool = False, sentence_start=None):
    """The unit of a group: printed after its count, else the nearest before it in its clause, else the
    label's neighbourhood, else the nearest before it in its sentence ("Kết quả xếp loại đảng viên: …; 186 HTTNV,
    chiếm 73,2%"), else the context."""
    token = group.count or group.percent
    if token.level:
        return token.level
    start = min(group.start, group.label[0] if group.label else group.start)
    # units inside parentheses break down another number ("35 (có 07 đảng bộ và 28 chi bộ)"): they are skipped
    before = units_outside_parentheses(scan, clause[0], start)
    if before:
        return lx.level_of(before[-1])
    if before_only:
        return last_level
    end = max(group.end, group.label[1] if group.label else group.end)
    inside = units_outside_parentheses(scan, start, end)
    if inside:
        return lx.level_of(inside[0])
    if sentence_start is not None and sentence_start < clause[0]:
        earlier = units_outside_parentheses(scan, sentence_start, clause[0])
        if earlier:
            return lx.level_of(earlier[-1])
    return last_level


def units_outside_parentheses(scan: str, start: int, end: int) -> list[str]:
    """The unit nouns of ``scan[start:end]`` that are not inside parentheses (as :func:`totals.units_in`)."""
    piece = scan[start:end]
    if "(" in piece:
        piece = re.sub(r"\([^()]*\)", lambda m: " " * len(m.group(0)), piece)
    return [m.group(0) for m in lx.UNIT_PATTERN.finditer(piece)
            if not lx.is_owner(scan, start + m.start(), start + m.end())]


#: A heading: the words of a rating result ("kết quả", "xếp loại", "đánh giá") and the units rated.
_HEADING_CUE = re.compile(r"(?<![a-z])(?:ket\s+qua|xep\s+loai|danh\s+gia|phan\s+loai)(?![a-z])")


def heading_level(scan: str, start: int, end: int):
    """The units named by a sentence without numbers that announces ratings (None when it does not)."""
    if end - start > 200 or not _HEADING_CUE.search(scan, start, end):
        return None
    units = units_outside_parentheses(scan, start, end)
    return lx.level_of(units[-1]) if units else None


#: A breakdown of a count into "đảng bộ" and "chi bộ" (not "đảng bộ bộ phận"): the units are chi, đảng bộ cơ sở.
_BASE_BREAKDOWN = re.compile(r"\(\s*(?:co\s+|gom\s+|trong\s+do\s*:?\s*)?[\d.]+\s+dang\s+bo(?!\s+bo\s+phan)"
                             r"[^()]*?(?:va|,)\s*[\d.]+\s+chi\s+bo(?!\s+truc)")


def loose_level(scan: str, group: pt.Group, sentence_start: int, sentence_end: int):
    """The level meant by the loose "tổ chức đảng": tổ chức cơ sở đảng when its count is broken down into
    "đảng bộ" and "chi bộ" ("08 (có 01 đảng bộ và 07 chi bộ)"; for a total, the counts after it in its sentence),
    or when the last organisation level named before it in the sentence is tổ chức cơ sở đảng ("tỷ lệ tổ chức cơ sở đảng … trên 74%; tỷ lệ tổ chức đảng yếu kém
    dưới 1%"). None when nothing says more than "tổ chức đảng".
    """
    if group.count is not None and _BASE_BREAKDOWN.match(scan, re.compile(r"\s*").match(
            scan, group.count.unit_end or group.count.end).end()):
        return "tổ chức cơ sở đảng"
    if group.label is None and _BASE_BREAKDOWN.search(scan, group.end, sentence_end):
        return "tổ chức cơ sở đảng"
    end = min(group.start, group.label[0] if group.label else group.start)
    levels = [lx.level_of(m.group(0)) for m in lx.UNIT_PATTERN.finditer(scan, sentence_start, end)]
    levels = [lvl for lvl in levels if lvl != "đảng viên"]
    if len(levels) >= 2 and levels[-1] == "tổ chức đảng" and levels[-2] == "tổ chức cơ sở đảng":
        return "tổ chức cơ sở đảng"
    return None


CBTT = re.compile(r"chi\s+bo\s+(?:truc\s+thuoc|duoi\s+co\s+so)")


def bare_dang_bo_level(scan: str, group: pt.Group, sentence_start: int, sentence_end: int):
    """A count of bare "đảng bộ" listed beside counts of grassroots organisations ("5 Đảng bộ đạt trong sạch vững
    mạnh tiêu biểu, 24 chi, Đảng bộ đạt trong sạch vững mạnh"): the đảng bộ cơ sở among them, tổ chức cơ sở đảng.
    None for any other "đảng bộ" (a named "đảng bộ cấp trên cơ sở" keeps its level)."""
    count = group.count
    if count is None or count.unit_end is None or not re.fullmatch(r"\s*dang\s+bo", scan[count.end:count.unit_end]):
        return None
    for m in lx.UNIT_PATTERN.finditer(scan, sentence_start, sentence_end):
        if lx.level_of(m.group(0)) == "tổ chức cơ sở đảng" and not lx.is_owner(scan, m.start(), m.end()):
            return "tổ chức cơ sở đảng"
    return None


def joint_level(scan: str, group: pt.Group, clause, level):
    """The second kind of unit of a share said of two ("tỷ lệ tổ chức cơ sở đảng và đảng viên hoàn thành tốt nhiệm
    vụ trở lên đạt 95%"): the other level, None when the share names one kind (or has a count: a count is of one)."""
    if group.count is not None or group.label is None or group.percent.level is not None:
        return None
    start = max(clause[0], group.label[0] - 90)
    pair = _JOINT.search(scan, start, group.label[0])
    if pair is None:
        return None
    levels = {lx.level_of(pair.group(1)), lx.level_of(pair.group(2))}
    if len(levels) != 2 or level not in levels:
        return None
    return (levels - {level}).pop()


_JOINT = re.compile(rf"({lx.UNIT_PATTERN.pattern})\s*(?:,|va)?\s*({lx.UNIT_PATTERN.pattern})\s*(?:dat|duoc\s+xep\s+loai|"
                    r"xep\s+loai)?\s*[\"“]?\s*$")


_ORGANISATION_NOUN = re.compile(r"\s*(?:don\s+vi|to\s+chuc|co\s+so|tap\s+the)(?![a-z])")


def counts_organisations(scan: str, group: pt.Group) -> bool:
    """Whether a group's count is of a generic noun for organisations ("4 đơn vị", "10 tổ chức"): it cannot be a
    count of members, whatever unit the sentence names last."""
    count = group.count
    return count is not None and count.unit_kind == "generic" and _ORGANISATION_NOUN.match(scan, count.end) is not None


_CAPTION = re.compile(r"[ \t]*(?:bang|bieu|hinh)(?:\s+\d+)?\s*[.:]")


def caption_below(text: str, scan: str, start: int):
    """At the first line of a table (lines of cells parted by tabs), the units named by its caption when the caption
    is printed under the table ("Bảng 2: Kết quả xếp loại đảng viên năm 2022"); None elsewhere."""
    first_end = text.find("\n", start)
    if text.find("\t", start, first_end if first_end >= 0 else len(text)) < 0 or \
            (start > 0 and text.find("\t", text.rfind("\n", 0, start - 1) + 1, start) >= 0):
        return None
    position = start
    while True:                                     # the line after the last line of cells
        end = text.find("\n", position)
        if end < 0:
            return None
        position = end + 1
        line_end = text.find("\n", position)
        line_end = len(text) if line_end < 0 else line_end
        if "\t" not in text[position:line_end]:
            break
    if not _CAPTION.match(scan, position):
        return None
    return heading_level(scan, position, line_end)
