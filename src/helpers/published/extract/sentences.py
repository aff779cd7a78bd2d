"""Sentences, paragraphs and clauses of an article, and the nearest earlier mention of a year or a place.

A line break ends a sentence unless it only wraps one (:func:`soft_wrap`: a PDF's text layer, a hard-wrapped
.txt); the breaks that do end a line of text are the paragraph breaks. Clauses are parted by ';', "thì" and a
dash between spaces.
"""

from __future__ import annotations

import bisect
import re

from helpers.published.extract import lexicon as lx

_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[\"“(]?[A-ZĐÀ-Ỹ0-9])|\n")
_BARRIER = re.compile(r";|(?<!\w)thì(?!\w)|\s[-–]\s")

_NEXT_CHAR = re.compile(r"[ \t]*[(\"“'‘]*(\S)")


def looks_wrapped(text: str) -> bool:
    """Whether the text was wrapped at line ends (a PDF's text layer, a hard-wrapped .txt): at least half of its
    long lines end inside a sentence. A Word or web article has one paragraph per line: its long lines end one."""
    ends = [line.rstrip()[-1] for line in text.split("\n") if len(line.strip()) >= 40]
    return bool(ends) and sum(ch not in ".!?…:;" for ch in ends) >= len(ends) / 2


def soft_wrap(text: str, at: int, wrapped: bool = True) -> bool:
    """Whether the line break at ``at`` only wraps a sentence (a PDF's text layer, a hard-wrapped .txt): the line
    does not end a sentence, a heading or a cell, and either the next line goes on in lower case ("… hoàn thành
    tốt\nnhiệm vụ") or, in a ``wrapped`` text (:func:`looks_wrapped`), the line is as long as a wrapped line of prose
    and the next one starts no list item ("… trong đó có 6\nTCCSĐ …", "… 451 tổ chức cơ sở đảng\n'Hoàn thành tốt
    nhiệm vụ'", "… chiếm\n81,8%")."""
    line_start = text.rfind("\n", 0, at) + 1
    line = text[line_start:at].rstrip()
    following = _NEXT_CHAR.match(text, at + 1)
    if len(line) < 25 or following is None or "\t" in line or line[-1] in ".!?…:|":
        return False
    if following.group(1).islower():
        return True
    return wrapped and len(line) >= 40 and line[-1] not in ")]" and not _LIST_ITEM.match(text, at + 1)


#: The start of a list item or a table line: a bullet, "1.", "a)", "Năm 2019:", a cell.
_LIST_ITEM = re.compile(r"[ \t]*(?:[-–+•*●▪]|\d{1,2}[.)]\s|[a-zđ]\)\s|(?:Năm|NĂM)\s+\d{4}\s*:|\S+\t)")


def sentences(text: str, start: int = 0, end: int | None = None):
    """(start, end) of each sentence of ``text`` (line breaks end sentences too, unless the text was wrapped there:
    :func:`soft_wrap`)."""
    end = len(text) if end is None else end
    position = start
    wrapped = looks_wrapped(text)
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.group() == "\n" and soft_wrap(text, match.start(), wrapped):
            continue
        if match.start() > position:
            yield position, match.start()
        position = match.end()
    if position < end:
        yield position, end


def paragraph_breaks(text: str) -> list[int]:
    """Offsets of the line breaks that end a paragraph or a line of a list or table (not those that only wrap a
    sentence, :func:`soft_wrap`)."""
    wrapped = looks_wrapped(text)
    return [m.start() for m in re.finditer(r"\n", text) if not soft_wrap(text, m.start(), wrapped)]


def barrier_positions(text: str, start: int, end: int) -> list[int]:
    """Offsets of clause barriers (';', 'thì', a dash between spaces) in the article text."""
    return [m.start() for m in _BARRIER.finditer(text, start, end)]


_DATE = re.compile(r"(?<!\d)\d{1,2}[/.-]\d{1,2}[/.-]((?:19|20)\d\d)(?!\d)")


class Mentions:
    """Nearest earlier mention of a year or a place, by offset."""

    def __init__(self, text: str, scan: str):
        # a year after "so với" names the year compared with, not the year of the numbers
        self.years = [(m.start(), int(m.group(1))) for m in lx.YEAR_PATTERN.finditer(scan)
                      if not re.search(r"so\s+voi\s*$", scan[max(0, m.start() - 12):m.start()])]
        self.year_positions = [p for p, _ in self.years]
        found = [(m.start(), m.group(1).strip()) for m in lx.PLACE_PATTERN.finditer(text)]
        # a name printed once after "tỉnh" may be a capitalised common word ("toàn tỉnh Lần thứ nhất")
        counts: dict[str, int] = {}
        for _, name in found:
            if name not in counts:
                counts[name] = text.count(name)
        self.places = [(p, name) for p, name in found if counts[name] >= 2 or " " in name]
        self.place_positions = [p for p, _ in self.places]
        dated = _DATE.search(text, 0, 600)
        self.article_year = int(dated.group(1)) if dated else None

    def year_before(self, position: int, not_before: int = 0):
        i = bisect.bisect_left(self.year_positions, position)
        return self.years[i - 1][1] if i and self.years[i - 1][0] >= not_before else None

    def year_after(self, position: int, until: int):
        i = bisect.bisect_left(self.year_positions, position)
        return self.years[i][1] if i < len(self.years) and self.years[i][0] < until else None

    def place_before(self, position: int):
        i = bisect.bisect_left(self.place_positions, position)
        return self.places[i - 1][1] if i else (self.places[0][1] if self.places else None)
