"""One language out of a bilingual lesson: the Vietnamese text, or the English text.

A lesson (and a study notebook) is written in both languages: each Vietnamese
heading, paragraph or list item is followed by its English in italics (``*…*``),
and a short label is written ``Vietnamese / English`` (``**Thời lượng / Duration:**``,
a code comment ``# ← gõ câu trả lời thay cho None / type your answer instead of None``).
A span is English when it holds no letter only Vietnamese writes.

:func:`vietnamese_only` leaves the English out; :func:`english_only` keeps the
English, without its italics, in the place of the Vietnamese it translates (the
heading marker, the list bullet and a bold label stay), so that an English handout
holds no Vietnamese sentence. :func:`comments_in_language` does the same for the
``# Vietnamese / English`` comments of a code cell, and :func:`code_in_language` also keeps a code line
written for one language only (ending with the comment ``# vi`` or ``# en``: a solution's text answer,
``answer = "tăng"  # vi`` then ``answer = "up"  # en``) in that language's build.
"""

from __future__ import annotations

import re

#: Letters only Vietnamese writes: a span without any of them is the English of a bilingual lesson.
VIETNAMESE_LETTERS = frozenset("àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ"
                               "ÀÁẠẢÃÂẦẤẬẨẪĂẰẮẶẲẴÈÉẸẺẼÊỀẾỆỂỄÌÍỊỈĨÒÓỌỎÕÔỒỐỘỔỖƠỜỚỢỞỠÙÚỤỦŨƯỪỨỰỬỮỲÝỴỶỸĐ")
#: An italic span (``*…*``, not bold), possibly over several lines: how a lesson writes its English.
_ITALIC = re.compile(r"(?<![*\w])\*(?![*\s])(.+?)(?<![*\s])\*(?![*\w])", re.DOTALL)
#: `` / English`` after a Vietnamese phrase (``**Thời lượng / Duration:**``, ``40 phút / about 40 minutes``).
_SLASH_ENGLISH = re.compile(r"[ \t]/[ \t](?=[A-Za-z])[^\n*:/`]*?(?=\*\*|:|$)", re.MULTILINE)
#: ``Vietnamese / English`` with the Vietnamese phrase: it starts after a line start, ``**``, ``:`` or ``—``.
_SLASH_PAIR = re.compile(r"(?P<vi>[^\s*:/—][^\n*:/—]*?)[ \t]/[ \t](?P<en>[A-Za-z][^\n*:/`]*?)(?=\*\*|:|$)",
                         re.MULTILINE)
#: A code comment ``# Vietnamese / English`` (after an optional ``←``), to the end of its line.
_COMMENT_PAIR = re.compile(r"(?P<mark>#[ \t]*(?:←[ \t]*)?)(?P<vi>[^\n]*?)[ \t]/[ \t](?P<en>[^\n]*)$", re.MULTILINE)
#: A code comment ``# Vietnamese (English)``, the English in parentheses at the end of its line.
_COMMENT_PAREN = re.compile(r"(?P<mark>#[ \t]*)(?P<vi>[^\n]*?)[ \t]+\((?P<en>[^()\n]*)\)[ \t]*$", re.MULTILINE)
#: A code line for one language only: it ends with the comment ``# vi`` or ``# en``.
_LANGUAGE_LINE = re.compile(r"^(?P<code>[^\n]*?)[ \t]*#[ \t]*(?P<language>vi|en)[ \t]*$")
#: What starts a line and stays when its Vietnamese goes: heading marks, a bullet or number, an English bold label.
_PREFIX = re.compile(r"^(?P<prefix>[ \t]*(?:#+[ \t]+(?:►[ \t]*)?|[-*+][ \t]+|\d+\.[ \t]+)?"
                     r"(?:\*\*[^*\n]+\*\*[ \t]*(?:—[ \t]*)?)?)(?P<body>.*)$")
_REMOVED = "\x00"
_TOKEN = re.compile("\x01([0-9]+)\x02")


def is_vietnamese(text: str) -> bool:
    """``text`` holds a letter only Vietnamese writes."""
    return any(c in VIETNAMESE_LETTERS for c in text)


def _is_english(text: str) -> bool:
    """No Vietnamese letter outside quotes (an English line may quote a Vietnamese word: ``("tăng")``)."""
    text = re.sub(r"\"[^\"]*\"|“[^”]*”|'[^']*'", "", text)
    return any(c.isalpha() for c in text) and not is_vietnamese(text)


def vietnamese_only(markdown: str) -> str:
    """The Vietnamese of a bilingual lesson text: its English (italic spans and `` / English`` after a
    Vietnamese phrase, recognised by holding no Vietnamese letter) left out.

    Examples
    --------
    >>> vietnamese_only("**Thời lượng / Duration:** khoảng 40 phút / about 40 minutes")
    '**Thời lượng:** khoảng 40 phút'
    >>> vietnamese_only('## Tóm tắt\\n*Summary*\\n\\n- Một tỉ lệ.  \\n  *A percentage.*\\n- *"trích có dấu"*')
    '## Tóm tắt\\n\\n- Một tỉ lệ.\\n- *"trích có dấu"*'
    """
    def drop(match):
        return _REMOVED if _is_english(match.group(0)) else match.group(0)

    text = _SLASH_ENGLISH.sub(drop, _ITALIC.sub(drop, markdown))
    lines = []
    for line in text.split("\n"):
        if _REMOVED in line and not line.replace(_REMOVED, "").strip():
            if lines:
                lines[-1] = lines[-1].rstrip()  # its line break went with it
            continue  # a line that held only English
        lines.append(line.replace(_REMOVED, "").rstrip() if _REMOVED in line else line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


def _english_line(line: str, pending: str, in_vietnamese: bool) -> tuple[str | None, str]:
    """One line of :func:`english_only` (its English spans already tokens): the line to keep (None: drop it)
    and the prefix left waiting for the English of the next line. ``in_vietnamese``: the line before was
    Vietnamese text, so a line without a Vietnamese letter (``HTTNV < TSVM.``) still continues it."""
    match = _PREFIX.match(line)
    prefix, body = match.group("prefix"), match.group("body")
    if is_vietnamese(prefix):  # a Vietnamese bold phrase opens the line: it is body, not a label
        prefix, body = re.match(r"^([ \t]*(?:#+[ \t]+(?:►[ \t]*)?|[-*+][ \t]+|\d+\.[ \t]+)?)(.*)$", line).groups()
    tokens = _TOKEN.findall(body)
    rest = _TOKEN.sub("", body)
    if not line.strip():
        return line, ""  # a blank line ends the paragraph and what was waiting
    if not is_vietnamese(rest) and not (in_vietnamese and not tokens and not prefix.strip()):
        return (pending + line.lstrip() if pending and body.strip() else line), ""
    kept = " ".join(f"\x01{t}\x02" for t in tokens)
    if not kept:  # a Vietnamese line: its label waits for the English that follows
        return None, pending or (prefix if prefix.strip() else "")
    start = pending or (prefix if prefix.strip() else prefix[:len(prefix) - len(prefix.lstrip())])
    return start + kept, ""


def english_only(markdown: str) -> str:
    """The English of a bilingual lesson text: each English span, without its italics, in the place of the
    Vietnamese it translates; heading marks, bullets and English bold labels kept, the rest left out.

    Examples
    --------
    >>> english_only("**Thời lượng / Duration:** khoảng 40 phút / about 40 minutes")
    '**Duration:** about 40 minutes'
    >>> english_only('# Bài 1. Đọc bảng\\n*Lesson 1. Reading a table*\\n\\n- Một tỉ lệ.  \\n  *A percentage.*')
    '# Lesson 1. Reading a table\\n\\n- A percentage.'
    >>> english_only('Tỉ lệ = số lượng ÷ tổng số. *Share = count ÷ total.*')
    'Share = count ÷ total.'
    """
    text = _SLASH_PAIR.sub(lambda m: m.group("en") if is_vietnamese(m.group("vi")) and _is_english(m.group("en"))
                           else m.group(0), markdown)
    spans: list[str] = []

    def token(match):
        if not _is_english(match.group(0)):
            return match.group(0)
        spans.append(match.group(1))
        return f"\x01{len(spans) - 1}\x02"

    text = _ITALIC.sub(token, text)
    lines, pending = [], ""
    in_vietnamese = False
    for line in text.split("\n"):
        kept, pending = _english_line(line, pending, in_vietnamese)
        in_vietnamese = kept is None
        if kept is not None:
            lines.append(kept.rstrip())
    text = _TOKEN.sub(lambda m: spans[int(m.group(1))], "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def comments_in_language(code: str, language: str) -> str:
    """``code`` with each ``# Vietnamese / English`` or ``# Vietnamese (English)`` comment in ``language`` only
    (other comments unchanged).

    >>> comments_in_language("answer = None  # ← gõ câu trả lời / type your answer", "en")
    'answer = None  # ← type your answer'
    >>> comments_in_language('study = "x"  # tên tệp trong studies/ (a study file name)', "en")
    'study = "x"  # a study file name'
    """
    def choose(match):
        vi, en = match.group("vi"), match.group("en")
        if not (is_vietnamese(vi) and _is_english(en)):
            return match.group(0)
        return match.group("mark") + (vi if language == "vi" else en)

    return _COMMENT_PAREN.sub(choose, _COMMENT_PAIR.sub(choose, code))


def code_in_language(code: str, language: str) -> str:
    """``code`` as a ``language`` build shows it: each line ending with ``# vi`` or ``# en`` kept (without that
    tag) only in that language, and the ``# Vietnamese / English`` comments in ``language``
    (:func:`comments_in_language`). The bilingual source runs as it is: the last tagged line wins.

    >>> code_in_language('answer = "tăng"  # vi\\nanswer = "up"  # en\\ncheck(answer)', "en")
    'answer = "up"\\ncheck(answer)'
    >>> code_in_language('answer = "tăng"  # vi\\nanswer = "up"  # en', "vi")
    'answer = "tăng"'
    """
    lines = []
    for line in code.split("\n"):
        match = _LANGUAGE_LINE.match(line)
        if match is None:
            lines.append(line)
        elif match.group("language") == language:
            lines.append(match.group("code"))
    return comments_in_language("\n".join(lines), language)
