"""Tables flattened into text with the levels as column headers.

A Word or web table reaches the extractor as lines of cells (tabs from :mod:`.documents`, or ``|``, or runs of
two or more spaces)::

    Năm     HTXSNV   HTTNV        HTNV   KHTNV
    2019    10       40 (67,8%)   5      0

A header line has at least two cells that are rating labels and no number; each following line with as many
cells is a row of numbers: the cell under a label is that level's count (or percentage, or both as
"40 (67,8%)"), a first cell that is a year gives the year, a "Tổng"/"Tổng số" column gives the total. The level
of unit is the nearest one printed above the table (or in the header's first cell). Tables with the levels as
row names ("HTXSNV <tab> 10 <tab> 20,3%") need nothing from here: they read as sentences.
"""

from __future__ import annotations

import re

from helpers.published.extract import lexicon as lx

_CELL_SPLIT = re.compile(r"\t+|\s*\|\s*|\s{2,}")
_NUMBER_CELL = re.compile(
    r"^(?P<count>(?:gần|trên|khoảng|hơn)?\s*\d{1,3}(?:\.\d{3})+|(?:gần|trên|khoảng|hơn)?\s*\d+|không có|không|-|–)?"
    r"\s*(?:\(?\s*(?P<pct>(?:gần|trên|khoảng|hơn)?\s*\d+(?:,\d+)?\s?%)\s*\)?)?$")
_TOTAL_HEADER = re.compile(r"^(?:tong|tong so|tong cong|cong)$")


def _cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each non-empty cell of the line ``text[start:end]``."""
    cells, position = [], start
    for m in _CELL_SPLIT.finditer(text, start, end):
        if m.start() > position:
            cells.append((position, m.start()))
        position = m.end()
    if position < end:
        cells.append((position, end))
    return [(s, e) for s, e in cells if text[s:e].strip()]


def _header(text: str, scan: str, cells) -> list[str | None] | None:
    """For a header line: per cell, ``"label"``, ``"total"`` or None; None when the line is no header."""
    kinds = []
    for s, e in cells:
        cell = scan[s:e].strip(" .:\"“”'")
        if re.search(r"\d", cell):
            return None
        if lx.label_pattern().fullmatch(cell):
            kinds.append("label")
        elif _TOTAL_HEADER.match(cell):
            kinds.append("total")
        else:
            kinds.append(None)
    return kinds if kinds.count("label") >= 2 else None


def grid_rows(text: str, scan: str, mentions, options) -> tuple[list[dict], list[tuple[int, int]]]:
    """Rows of the column-header tables of ``text`` and the spans of their data lines (skipped as sentences).

    Each row dict has the keys of the draft (see :mod:`.rows`) plus the private ``_kind``/``_pop``/``_nested``.
    """
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text)]
    out, spans = [], []
    i = 0
    while i < len(lines):
        cells = _cells(text, *lines[i])
        kinds = _header(text, scan, cells) if len(cells) >= 2 else None
        if kinds is None:
            i += 1
            continue
        header = cells
        unit = None
        for m in lx.UNIT_PATTERN.finditer(scan, max(0, lines[i][0] - 400), lines[i][1]):
            unit = lx.level_of(m.group(0))
        j = i + 1
        while j < len(lines):
            row_cells = _cells(text, *lines[j])
            if len(row_cells) != len(header):
                break
            parsed = [_NUMBER_CELL.match(text[s:e].strip()) for s, e in row_cells]
            numeric = [p is not None and (p.group("count") or p.group("pct")) for p in parsed]
            if not any(numeric[k] for k, kind in enumerate(kinds) if kind):
                break
            first = text[row_cells[0][0]:row_cells[0][1]].strip()
            year = int(first) if re.fullmatch(r"(19|20)\d\d", first) else (
                mentions.year_before(lines[j][0]) or options.year)
            place = mentions.place_before(lines[j][0]) or options.place or ""
            for k, kind in enumerate(kinds):
                if kind is None or not numeric[k]:
                    continue
                s, e = row_cells[k]
                count = (parsed[k].group("count") or "").strip()
                percent = (parsed[k].group("pct") or "").strip()
                if count in ("-", "–"):
                    count = ""
                if not count and not percent:
                    continue
                name = text[header[k][0]:header[k][1]].strip(" .:\"“”'")
                category = name if kind == "label" else f"tổng số {unit or 'tổ chức cơ sở đảng'}"
                out.append({
                    "source_id": options.source_id, "table_id": "", "year": "" if year is None else str(year),
                    "category": category, "count": count, "percent": percent, "base": "", "parent": "",
                    "place": place, "level": unit or "tổ chức cơ sở đảng", "group": "",
                    "quote": text[s:e], "url": options.url, "start": s, "end": e,
                    "confidence": 1.0 if unit and year else 0.8,
                    "reason": "" if unit and year else "a table cell: level or year taken from above the table",
                    "_pop": None, "_kind": "rating" if kind == "label" else "total", "_nested": False,
                })
            spans.append(lines[j])
            j += 1
        i = j
    return out, spans
