"""Tables flattened into text: the levels as column headers, or one cell per line.

A Word, web or PDF table reaches the extractor as lines of cells: tabs (from :mod:`.documents`), ``|``, runs of
spaces, or single spaces when a PDF's text layer lost the columns::

    Năm     HTXSNV   HTTNV        HTNV   KHTNV            Xếp loại TCCSĐ HTXSNV HTTNV HTNV KHTNV
    2019    10       40 (67,8%)   5      0                Số lượng 10 40 5 1
                                                          Tỷ lệ (%) 17,9 71,4 8,9 1,8

*Column headers.* A header line has at least two rating labels as columns (and maybe a "Tổng số" column), no
number, and little else. Each following line that ends in exactly one number per column is a row of numbers: the
number under a label is that level's count (or both as "40 (67,8%)"); the text before the numbers says what the
row is — a year, "Tỷ lệ"/"%" (the row's numbers are the shares of the counts above them, kept as printed), a unit
("Đảng viên": the row's level), or anything else (a named unit: kept as the row's group, with ``confidence`` < 1).
The level of unit is otherwise the nearest one printed above the table.

*One cell per line* (a web table copied as text)::

    Hoàn thành xuất sắc nhiệm vụ
    12
    20,3

A line that is only a label, followed by lines that are only numbers: the first whole number is the count, a
number with a % sign or a decimal comma (or under a "Tỷ lệ" column named above) the share.

Tables with the levels as row names on one line ("HTXSNV <tab> 10 <tab> 20,3%") need nothing from here: they read
as sentences.
"""

from __future__ import annotations

import re

from helpers.published.extract import lexicon as lx

_QUAL = r"(?:(?:gần|trên|khoảng|hơn|dưới)\s+)?"
_NUM = _QUAL + r"(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?(?:\s?%)?"
#: One numeric cell: "40", "40 (67,8%)", "67,8%", "gần 120", a printed zero, a dash for an empty cell.
_CELL = rf"(?:{_NUM}(?:\s*\(\s*{_NUM}\s*\))?|không có|không|-|–)"
_TAIL = re.compile(rf"(?<![^\s|:])({_CELL}(?:[\s|]+{_CELL})*)[\s|.;]*$")
_CELL_PARTS = re.compile(rf"(?P<a>{_NUM})(?:\s*\(\s*(?P<b>{_NUM})\s*\))?|(?P<zero>không có|không)|(?P<dash>[-–])")
_COLUMN_WORDS = re.compile(r"(?<![a-z])(?:tong\s+so|tong\s+cong|tong)(?![a-z])|(?<![a-z])t[yi]\s+le(?:\s*\(\s*%\s*\))?"
                           r"(?![a-z])|%")
_PERCENT_ROW = re.compile(r"^\W*(?:t[yi]\s+le|%|\(%\))")
_YEAR = re.compile(r"^\W*(?:nam\s+)?((?:19|20)\d\d)\W*$")
_HEADER_FILLER = re.compile(r"[\s|\t:.,()\"“”'/-]+|(?<![a-z])(?:nam|xep\s+loai|muc|muc\s+xep\s+loai|so\s+luong|"
                            r"don\s+vi|chi\s+tieu|noi\s+dung|stt|tt|ket\s+qua|phan\s+loai|danh\s+gia|chat\s+luong)"
                            r"(?![a-z])")


def _columns(scan: str, start: int, end: int) -> list[tuple[int, int, str]] | None:
    """The columns of a header line: (start, end, kind) with kind ``label``, ``total`` or ``percent``; None when
    the line is no header (a number, fewer than two labels, or words that make it a sentence)."""
    if end - start > 200:
        return None
    line = scan[start:end]
    if re.search(r"\d", re.sub(r"(?<![a-z])nam\s+(?:19|20)\d\d(?!\d)", "", line)) :
        return None
    columns = [(m.start(), m.end(), "label") for m in lx.label_pattern().finditer(scan, start, end)]
    if len(columns) < 2:
        return None
    taken = list(line)
    for s, e, _ in columns:
        taken[s - start:e - start] = " " * (e - s)
    rest = "".join(taken)
    for m in _COLUMN_WORDS.finditer(rest):
        kind = "total" if m.group().startswith("tong") else "percent"
        columns.append((start + m.start(), start + m.end(), kind))
        taken[m.start():m.end()] = " " * (m.end() - m.start())
    rest = "".join(taken)
    units = [m for m in lx.UNIT_PATTERN.finditer(rest)]
    leftover = re.sub(r"(?<![a-z])nam\s+(?:19|20)\d\d", " ", lx.UNIT_PATTERN.sub(" ", rest))
    if len(_HEADER_FILLER.sub("", leftover)) > 12 or len(units) > 2:
        return None
    columns.sort()
    if columns[0][2] == "percent":
        return None
    return columns


def _value(text: str, cell: tuple[int, int], percent_column: bool) -> tuple[str, str]:
    """(count, percent) printed in a numeric cell."""
    m = _CELL_PARTS.search(text, *cell)
    if m is None or m.group("dash"):
        return "", ""
    if m.group("zero"):
        return m.group("zero"), ""
    a, b = m.group("a").strip(), (m.group("b") or "").strip()
    if b:
        return a, b
    if percent_column or "%" in a or "," in a:
        return "", a
    return a, ""


def _row(options, year, place, level, group, category, count, percent, quote, confident, reason, kind):
    return {
        "source_id": options.source_id, "table_id": "", "year": "" if year is None else str(year),
        "category": category, "count": count, "percent": percent, "base": "", "parent": "",
        "place": place, "level": level or "tổ chức cơ sở đảng", "group": group,
        "quote": quote[2], "url": options.url, "start": quote[0], "end": quote[1],
        "confidence": 1.0 if confident else 0.8, "reason": "" if confident else reason,
        "_pop": None, "_kind": kind, "_nested": False,
    }


def _unit_above(scan: str, position: int, end: int):
    """The unit of a table: the last one named above it (not one that only says whose units they are: "chi bộ …
    theo đảng bộ xã")."""
    unit = None
    for m in lx.UNIT_PATTERN.finditer(scan, max(0, position - 400), end):
        if not re.search(r"(?<![a-z])(?:theo|cua|thuoc|tung)\s*$", scan[max(0, m.start() - 8):m.start()]):
            unit = lx.level_of(m.group(0))
    return unit


def _header_table(text, scan, lines, i, columns, mentions, options, out, spans) -> int:
    """Read the data lines under the header ``lines[i]``; return the index of the first line after the table."""
    unit = _unit_above(scan, lines[i][0], lines[i][1])
    numeric = [c for c in columns]
    j = i + 1
    above: list[list[dict | None]] = []          # rows made from the last count line, by column
    while j < len(lines):
        start, end = lines[j]
        tail = _TAIL.search(text, start, end)
        if tail is None:
            break
        cells = [(m.start(), m.end()) for m in re.finditer(_CELL, text[tail.start(1):tail.end(1)])]
        cells = [(tail.start(1) + s, tail.start(1) + e) for s, e in cells]
        lead = scan[start:tail.start(1)].strip(" \t|:")
        if len(cells) == len(numeric) + 1 and not lead and _YEAR.match(text[cells[0][0]:cells[0][1]]):
            lead, cells = scan[cells[0][0]:cells[0][1]], cells[1:]
        if len(cells) != len(numeric) or len(lead) > 60:
            break
        year_match = _YEAR.match(lead)
        year = int(year_match.group(1)) if year_match else (mentions.year_before(start) or options.year)
        place = mentions.place_before(start) or options.place or ""
        percent_row = bool(_PERCENT_ROW.match(lead))
        lead_unit = lx.UNIT_PATTERN.search(lead) if lead else None
        level = lx.level_of(lead_unit.group(0)) if lead_unit else unit
        group = "" if (not lead or year_match or percent_row or lead_unit or re.fullmatch(r"so(?:\s+luong)?|so", lead)) \
            else text[start:tail.start(1)].strip(" \t|:")
        made: list[dict | None] = []
        for k, (s, e, kind) in enumerate(numeric):
            if kind == "percent":
                made.append(None)
                continue
            count, percent = _value(text, cells[k], percent_row)
            if k + 1 < len(numeric) and numeric[k + 1][2] == "percent":
                percent = percent or _value(text, cells[k + 1], True)[1]
            if percent_row and above and above[-1][k] is not None and not above[-1][k]["percent"]:
                target = above[-1][k]               # the shares of the counts on the line above
                target["percent"] = percent
                target["end"] = cells[k][1]
                target["quote"] = text[target["start"]:target["end"]]
                made.append(target)
                continue
            if not count and not percent:
                made.append(None)
                continue
            name = text[s:e].strip(" .:\"“”'")
            category = name if kind == "label" else f"tổng số {level or 'tổ chức cơ sở đảng'}"
            confident = bool(level and year and not group)
            reason = ("a table row of a named unit: its group is the row's name" if group else
                      "a table cell: level or year taken from above the table")
            row = _row(options, year, place, level, group, category, count, percent,
                       (cells[k][0], cells[k][1], text[cells[k][0]:cells[k][1]]), confident, reason,
                       "rating" if kind == "label" else "total")
            out.append(row)
            made.append(row)
        if not percent_row:
            above.append(made)
        spans.append(lines[j])
        j += 1
    return j


def _vertical_table(text, scan, lines, i, mentions, options, out, spans) -> int:
    """A label alone on its line and the numbers on the lines under it (one cell per line)."""
    start, end = lines[i]
    cells = []
    j = i + 1
    while j < len(lines) and len(cells) < 3 and re.fullmatch(rf"\s*{_CELL}\s*", text[lines[j][0]:lines[j][1]]):
        cells.append(lines[j])
        j += 1
    if not cells:
        return i + 1
    header = scan[max(0, start - 300):start]
    percent_first = re.search(r"t[yi]\s+le[^\n]*\n[^\n]*so\s+luong", header) is not None
    percent_named = re.search(r"t[yi]\s+le", header) is not None
    count = percent = ""
    for k, cell in enumerate(cells):
        c, p = _value(text, cell, percent_named and ((k == 0) == percent_first) and len(cells) > 1)
        count, percent = count or c, percent or p
    if not count and not percent:
        return j
    unit = _unit_above(scan, start, start)
    year = mentions.year_before(start) or options.year
    quote = (start, cells[-1][1], text[start:cells[-1][1]])
    out.append(_row(options, year, mentions.place_before(start) or options.place or "", unit, "",
                    text[start:end].strip(" -–•+*.:\"“”'\t"), count, percent, quote, bool(unit and year),
                    "a table cell: level or year taken from above the table", "rating"))
    spans.append(lines[i])
    spans.extend(cells)
    return j


def grid_rows(text: str, scan: str, mentions, options) -> tuple[list[dict], list[tuple[int, int]]]:
    """Rows of the tables of ``text`` laid out as above, and the spans of the lines they were read from (the
    sentence reader skips those lines).

    Each row dict has the keys of the draft (see :mod:`.rows`) plus the private ``_kind``/``_pop``/``_nested``.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out, spans = [], []
    i = 0
    while i < len(lines):
        start, end = lines[i]
        columns = _columns(scan, start, end) if i + 1 < len(lines) else None
        if columns is not None:
            i = _header_table(text, scan, lines, i, columns, mentions, options, out, spans)
            continue
        bare = scan[start:end].strip(" -–•+*.:\"“”'\t") if end - start < 80 else ""
        if bare and i + 1 < len(lines) and lx.label_pattern().fullmatch(bare):
            i = _vertical_table(text, scan, lines, i, mentions, options, out, spans)
            continue
        i += 1
    return out, spans
