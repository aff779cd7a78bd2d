"""Words of the genre: where the extractor finds numbers, rating labels, units, years, places and cues.

Rating labels are not listed here: they come from ``scales.yaml`` through
:mod:`helpers.cleaning.labels` (every label, abbreviation and variant of every scale), so a
new variant added there is found in articles too. This module only turns those
forms into one search pattern and keeps the words that are not labels: the units a
table counts, the cues of totals, nesting and qualifiers, and the cues of the
sentences that must not become ratings (targets, changes, admissions, attendance,
commendations).

Matching runs on a *folded* copy of the text (:func:`fold`): one character per
character of the article (lower case, no diacritics, ``đ`` → ``d``), so an offset
in the folded text is the same offset in the article.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one (offsets are kept).

    Examples
    --------
    >>> fold("Đạt TSVM 30/56")
    'dat tsvm 30/56'
    """
    table = {ord(ch): _fold_char(ch) for ch in set(text) if _fold_char(ch) != ch}
    return text.translate(table) if table else text


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    base = unicodedata.normalize("NFD", ch)[0].lower()
    return base if len(base) == 1 else ch


def _words(form: str) -> str:
    """A regex for a folded phrase: its words separated by spaces, commas, dashes or quotes."""
    words = re.findall(r"[a-z0-9]+", fold(form))
    return r"[\s,\-–\"“”']+".join(re.escape(w) for w in words)


@lru_cache(maxsize=1)
def label_forms() -> tuple[str, ...]:
    """Every label, abbreviation and variant of every scale (from ``scales.yaml``), longest first."""
    from helpers import scales

    forms = set()
    for scale in scales.book().scales.values():
        for level in scale.levels:
            forms.add(level.label_vi)
            if level.abbreviation:
                forms.add(level.abbreviation)
            forms.update(level.variants)
    return tuple(sorted(forms, key=lambda f: (-len(f), f)))


@lru_cache(maxsize=1)
def _one_word_forms() -> dict[str, str]:
    """Folded one-word label forms that carry diacritics ("yeu" → "yếu")."""
    return {fold(f).lower(): f.lower() for f in label_forms() if " " not in f.strip() and fold(f).lower() != f.lower()}


def diacritics_differ(text: str, scan: str, start: int, end: int) -> bool:
    """Whether a label found in the folded ``scan`` is a one-word form whose diacritics in ``text`` are another
    word's ("yêu" of "yêu cầu" is not the level "yếu")."""
    forms = _one_word_forms()
    for word in re.finditer(r"[a-z]+", scan[start:end]):
        meant = forms.get(word.group())
        if meant is None:
            continue
        printed = text[start + word.start():start + word.end()].lower()
        if printed != meant and printed != word.group():
            return True
    return False


@lru_cache(maxsize=1)
def _abbreviations_by_letters() -> dict[str, str]:
    """The scales' abbreviations keyed by their sorted letters ("HNSTVX" → "HTXSNV")."""
    out = {}
    for form in label_forms():
        if re.fullmatch(r"[A-ZĐ]{4,8}", form):
            out.setdefault("".join(sorted(form)), form)
    return out


#: An abbreviation-like word of capitals (folded: lower case letters only).
_CAPITALS = re.compile(r"(?<![\w])[A-ZĐ]{4,8}(?![\w])")


def misspelt_abbreviations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of words in capitals that are a scale's abbreviation with its letters swapped ("HTSXNV" for
    "HTXSNV"): a typo of the genre, read as the abbreviation it has the letters of."""
    known = _abbreviations_by_letters()
    return [(m.start(), m.end()) for m in _CAPITALS.finditer(text, start, end)
            if m.group() not in known.values() and "".join(sorted(m.group())) in known]


def label_as_meant(category: str) -> str | None:
    """A label printed with a wrong diacritic ("trọng sạch vững mạnh", "đủ từ cách …") written with the words of
    the scale's form it folds to; None when no form of several words folds to a part of it, or it is printed right.

    Examples
    --------
    >>> label_as_meant("trọng sạch vững mạnh")
    'trong sạch vững mạnh'
    >>> label_as_meant("HTSXNV")
    'HTXSNV'
    """
    swapped = _abbreviations_by_letters().get("".join(sorted(category)))
    if re.fullmatch(r"[A-ZĐ]{4,8}", category) and swapped and swapped != category:
        return swapped
    words = list(re.finditer(r"\w+", category))
    folded = [fold(w.group()).lower() for w in words]
    for form in label_forms():          # longest first
        form_words = re.findall(r"\w+", form)
        key = [fold(w).lower() for w in form_words]
        if len(key) < 3:
            continue
        for i in range(len(words) - len(key) + 1):
            if folded[i:i + len(key)] != key:
                continue
            wrong = [(words[i + k], form_words[k]) for k in range(len(key))
                     if words[i + k].group().lower() != form_words[k].lower()]
            if not wrong:
                return None
            out = category
            for printed, meant in reversed(wrong):
                meant = meant[:1].upper() + meant[1:] if printed.group()[:1].isupper() else meant.lower()
                out = out[:printed.start()] + meant + out[printed.end():]
            return out
    return None


_GOOD = r"(?:hoan\s+thanh\s+tot\s+nhiem\s+vu|httnv)"
_TOP = r"(?:hoan\s+thanh\s+xuat\s+sac\s+nhiem\s+vu|htxsnv|trong\s+sach\s*,?\s*vung\s+manh|tsvm)"
_AND = r"[\"”’']?\s+(?:va|hoac)\s+[\"“‘']?"          # the two labels may each be in quotes
#: Labels the scales do not list, written as the scale's form they mean (with the printed form in the reason):
#: "hoàn thành tốt và (hoàn thành) xuất sắc nhiệm vụ", "hoàn thành nhiệm vụ tốt và xuất sắc", "TSVM và HTTNV" (the
#: two top levels together: good or better) and "chưa hoàn thành nhiệm vụ" (not completed: the fail level).
COMPOUND_LABELS = (
    (re.compile(r"(?<![a-z])(?:hoan\s+thanh\s+(?:tot\s*(?:va|,|hoac)\s*(?:hoan\s+thanh\s+)?xuat\s+sac|xuat\s+sac\s*(?:va|,|hoac)\s*"
                r"(?:hoan\s+thanh\s+)?tot)"
                r"\s+nhiem\s+vu|hoan\s+thanh\s+nhiem\s+vu\s+(?:tot\s*(?:va|,)\s*xuat\s+sac|xuat\s+sac\s*(?:va|,)\s*tot)|"
                + _GOOD + _AND + _TOP + "|" + _TOP + _AND + _GOOD +
                r")(?![a-z])(?!\s*(?:deu\s+|tuong\s+ung\s+)?(?:la\s+)?lan\s+luot)"),
     "hoàn thành tốt nhiệm vụ trở lên", "the two top levels together: good or better"),
    (re.compile(r"(?<![a-z])chua\s+hoan\s+thanh\s+nhiem\s+vu(?![a-z])"), "không hoàn thành nhiệm vụ",
     "not completed: the fail level"),
    # "đảng viên đủ tư cách: 98,84%" (the members' scale before 2018): every level but the fail one
    (re.compile(r"(?<![a-z])(?<!khong\s)(?<!chua\s)du\s+tu\s+cach(?![a-z])(?!\s*,?\s*(?:va\s+)?(?:hoan\s+thanh|htx?t?nv))"),
     "hoàn thành nhiệm vụ trở lên", "'đủ tư cách' alone: qualified, pass or better"),
    # "40 chi bộ hoàn thành tốt, 12 chi bộ hoàn thành xuất sắc", "số đảng viên hoàn thành tốt đạt 100%": "nhiệm vụ"
    # left out, the clause ends there or gives its share (not
    # "hoàn thành tốt các chỉ tiêu", a task)
    (re.compile(r"(?<![a-z])(?<!khong\s)hoan\s+thanh\s+tot(?=\s*(?:[,;.:()]|$|(?:dat|chiem|la)\s+(?:ty\s+le\s+)?"
                r"(?:gan\s+|tren\s+|hon\s+)?\d))"), "hoàn thành tốt nhiệm vụ",
     "'nhiệm vụ' left out"),
)


def compound_label(category: str):
    """(the scale's form, why) for a label of :data:`COMPOUND_LABELS`, else None."""
    folded = re.sub(r"\s+", " ", fold(category).lower()).strip()
    for pattern, form, why in COMPOUND_LABELS:
        if pattern.fullmatch(folded):
            return form, why
    return None


#: A label may be followed by these (kept in the printed category): "tiêu biểu", "cấp tỉnh", "trở lên" (also after
#: the label's closing quote: "đạt “Hoàn thành tốt nhiệm vụ” trở lên").
LABEL_TAIL = r"(?:\s+(?:cap\s+(?:tinh|huyen|tren\s+co\s+so|co\s+so|thanh\s+pho)))?(?:[\"”’']?\s+(?:tro\s+len))?"


@lru_cache(maxsize=1)
def label_pattern() -> re.Pattern:
    """One pattern for every rating label form, on folded text (word boundaries on both sides)."""
    alternatives = "|".join(_words(f) for f in label_forms())
    return re.compile(rf"(?<![a-z0-9])(?:tu\s+)?(?:{alternatives})(?:[\"”’']?\s+tieu\s+bieu)?{LABEL_TAIL}(?![a-z0-9])")


# --- units -------------------------------------------------------------------------------------------------------

#: Folded unit phrase -> the level written in the draft (longest first when searching).
UNITS = {
    "to chuc co so dang": "tổ chức cơ sở đảng",
    "to chuc co so cua dang": "tổ chức cơ sở đảng",
    "tccs dang": "tổ chức cơ sở đảng",
    "tccsd": "tổ chức cơ sở đảng",
    "chi, dang bo co so": "tổ chức cơ sở đảng",
    "chi, dang bo": "tổ chức cơ sở đảng",
    "chi bo, dang bo co so": "tổ chức cơ sở đảng",
    "dang bo, chi bo": "tổ chức cơ sở đảng",
    "chi bo, dang bo": "tổ chức cơ sở đảng",
    "dang bo, chi bo co so": "tổ chức cơ sở đảng",
    "co so dang": "tổ chức cơ sở đảng",
    "to chuc co so": "tổ chức cơ sở đảng",
    "to chuc dang co so": "tổ chức cơ sở đảng",
    "to chuc dang": "tổ chức đảng",
    "dang bo bo phan": "đảng bộ bộ phận",
    "dang bo co so": "tổ chức cơ sở đảng",
    "dang bo cap tren co so": "đảng bộ",
    "chi bo truc thuoc dang bo co so": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo truc thuoc dang uy": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo truc thuoc dang uy co so": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo truc thuoc": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo duoi co so": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo co so": "tổ chức cơ sở đảng",
    "chi bo": "chi bộ",
    "dang bo xa": "đảng bộ xã",
    "dang bo cac xa": "đảng bộ xã",
    "dang bo phuong": "đảng bộ xã",
    "dang bo thi tran": "đảng bộ xã",
    "dang bo": "đảng bộ",
    "dang vien": "đảng viên",
    "dang vien chinh thuc": "đảng viên",
    "ca nhan dang vien": "đảng viên",
    "dang vien du bi": "đảng viên",
    "dv": "đảng viên",
}
#: Generic nouns after a count: the level comes from the context.
GENERIC_UNITS = ("don vi", "to chuc", "co so", "dong chi", "tap the")
#: Nouns that show a count is not of party units or members (the sentence rates something else).
FOREIGN_UNITS = (
    "can bo", "cong chuc", "vien chuc", "chi tieu", "tieu chi", "nhiem vu", "co quan", "doanh nghiep", "ho",
    "nguoi", "hoc vien", "luot", "thon", "ban", "to dan pho", "khu pho", "truong", "nam", "lan", "lop", "hoi vien",
    "doan vien", "chi hoi", "doan the", "mat tran", "chinh quyen", "xa", "phuong", "thi tran", "huyen", "tinh",
    "ky", "buoi", "hoi nghi", "cuoc", "ty", "trieu", "ngay", "thang", "diem", "ban ve", "de tai", "ca nhan",
    "cap uy vien", "uy vien", "hoi", "lao dong", "cong trinh", "van ban", "nghi quyet", "tap the lanh dao",
    "hoc sinh", "sinh vien", "giao vien", "to",
)

UNIT_PATTERN = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(u).replace(r"\ ", r"\s+").replace(",", r",?")
                                  for u in sorted(UNITS, key=len, reverse=True)) + r")(?![a-z0-9])")
_AFTER_COUNT = re.compile(
    r"\s*(?:[\"“”']\s*)?(" + "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in
                                    sorted(set(UNITS) | set(GENERIC_UNITS) | set(FOREIGN_UNITS), key=len,
                                           reverse=True)) + r")(?![a-z0-9])")


_UNIT_KINDS = {**{u: "foreign" for u in FOREIGN_UNITS}, **{u: "generic" for u in GENERIC_UNITS},
               **{u: "party" for u in UNITS}}
_LONGEST_UNIT = max(len(u.split()) for u in _UNIT_KINDS)
_NEXT_WORDS = re.compile(r"\s*(?:[\"“”']\s*)?([a-z0-9]+(?:,?\s+[a-z0-9]+){0,%d})" % (_LONGEST_UNIT - 1))


#: Generic nouns that count people: in a party table, the people rated are members.
PERSON_UNITS = re.compile(r"\s*(?:dong\s+chi|d\s?/\s?c|truong\s+hop)(?![a-z])")


_LEADERS_AFTER = re.compile(r"\s*(?:la\s+)?(?:trong\s+|thuoc\s+)?(?:ban\s+thuong\s+vu|ban\s+chap\s+hanh|cap\s+uy|chi\s+uy|"
                            r"dang\s+uy\s+vien|thuong\s+truc|lanh\s+dao|can\s+bo|bi\s+thu|pho\s+bi\s+thu)(?![a-z])")


_TIMES = re.compile(r"\s*luot(?![a-z])")
#: After "đảng bộ xã": the other kinds of commune it stands with ("đảng bộ xã, phường, thị trấn"), part of the unit.
_COMMUNE_KINDS = re.compile(r"(?:\s*(?:,|va)\s*(?:phuong|thi\s+tran|dac\s+khu)(?![a-z]))+")


def unit_after(folded: str, position: int) -> tuple[str | None, str | None, int]:
    """The unit noun printed right after a count: (kind, level, end) with kind ``party``/``generic``/``foreign``.

    The next few words are looked up, longest first, in the unit lists (a dictionary look-up, not a regex
    alternation: this runs for every number of an article).
    """
    times = _TIMES.match(folded, position)
    if times:       # "3 lượt đảng bộ xã … yếu kém": unit-years of those units
        kind, level, end = unit_after(folded, times.end())
        if kind == "party":
            return kind, level, end
    person = PERSON_UNITS.match(folded, position)
    if person:      # "18/22 đ/c", "2.645 đồng chí": people; in a party table the people rated are members, unless
        kind, level, end = unit_after(folded, person.end())        # the words after them say who they are
        if kind in ("party", "foreign"):
            return kind, level, end
        if _LEADERS_AFTER.match(folded, person.end()):
            return "foreign", None, person.end()    # "5 đồng chí trong Ban Thường vụ …": leaders, not members rated
        return "party", "đảng viên", person.end()
    match = _NEXT_WORDS.match(folded, position)
    if not match:
        return None, None, position
    words = [(w.group(), w.end()) for w in re.finditer(r"[a-z0-9]+,?", match.group(1))]
    for n in range(len(words), 0, -1):
        key = " ".join(w for w, _ in words[:n])
        kind = _UNIT_KINDS.get(key) or _UNIT_KINDS.get(key.replace(",", ""))
        if kind is None or key.endswith(",") and n > 1 and kind != "party":
            continue
        end = match.start(1) + words[n - 1][1] - (1 if words[n - 1][0].endswith(",") else 0)
        if kind == "party":
            level = UNITS.get(key) or UNITS.get(key.replace(",", ""))
            tail = _COMMUNE_KINDS.match(folded, end) if level == "đảng bộ xã" else None
            return kind, level, tail.end() if tail else end
        return kind, None, end
    return None, None, position


def level_of(folded_unit: str) -> str:
    """The draft level of a folded unit phrase found by :data:`UNIT_PATTERN`."""
    key = re.sub(r"\s+", " ", folded_unit)
    if key in UNITS:
        return UNITS[key]
    return UNITS.get(key.replace(",", ", ").replace("  ", " "), "tổ chức đảng")


# --- numbers --------------------------------------------------------------------------------------------------

_QUALIFIER = r"(?:gan\s+nhu|gan|tren|khoang|hon|xap\s+xi|uoc\s+tinh|chung|duoi|it\s+nhat|toi\s+thieu|toi\s+da)"
_DIGITS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
#: A percentage, a fraction "X/Y" or a count, each with an optional qualifier word before it. A percentage may
#: print a decimal point ("19.2%": no thousands separator fits a share).
NUMBER_PATTERN = re.compile(
    rf"(?<![\w/.,-])(?:(?P<qual>{_QUALIFIER})\s+)?"
    rf"(?:(?P<pct>{_DIGITS}|\d{{1,3}}\.\d{{1,2}})\s?%|(?P<num>{_DIGITS})\s?/\s?(?P<den>{_DIGITS})(?![\d/])|(?P<count>{_DIGITS}))"
    r"(?:(?![\w/]|[.,]\d|-\w)|(?<=%)(?=/\s*[a-z]))"     # "84,32%/tổng số đảng viên": a share of the total
)
#: "không có", "không còn", "không (có) … nào": a printed zero (the "… nào" form prints as its first word(s)).
ZERO_PATTERN = re.compile(r"(?<![a-z])khong\s+(?:co|con)(?![a-z])|(?<![a-z])khong(?=\s+(?:co\s+)?(?:[^\s,;.]+\s+){1,5}?nao(?![a-z]))")
#: "trong tổng số 42 TCCSĐ, có …": the count after it is the total of the ratings that follow.
TOTAL_BEFORE = re.compile(r"(?<![a-z])(?:trong|tren)\s+(?:tong\s+)?so\s*$")
#: "662 trong tổng số 686", "45 trên tổng số 50": a count and its base.
OUT_OF = re.compile(r"\s+(?:trong\s+(?:tong\s+)?|tren\s+tong\s+)so\s+(\d{1,3}(?:\.\d{3})+|\d+)(?![\d,])")
YEAR_PATTERN = re.compile(r"(?<![a-z0-9/])(?:nam|đen\s+nam|den\s+nam)\s+((?:19|20)\d\d)(?![\d/-])")
#: Words before a count that make it a date, a document number or a year.
NOT_A_COUNT_BEFORE = re.compile(
    r"(?:ngay|thang|nam|so|khoa|lan\s+thu|thu|ky|ky\s+hop|hoi\s+nghi|quy|trung\s+uong|dieu|khoan|muc|chuong|"
    r"chi\s+thi|nghi\s+quyet|quyet\s+dinh|ket\s+luan|huong\s+dan|quy\s+dinh|thong\s+tu|cong\s+van|ke\s+hoach|"
    r"tieu\s+chi|tieu\s+chi\s+thu|giai\s+doan|nhiem\s+ky|bang|hinh|trang)\s*$")

_NOT_A_COUNT_WORDS = {
    "ngay", "thang", "nam", "so", "khoa", "lan thu", "thu", "ky", "ky hop", "hoi nghi", "quy", "trung uong", "dieu",
    "khoan", "muc", "chuong", "chi thi", "nghi quyet", "quyet dinh", "ket luan", "huong dan", "quy dinh", "thong tu",
    "cong van", "ke hoach", "tieu chi", "tieu chi thu", "giai doan", "nhiem ky", "bang", "hinh", "trang"}


def not_a_count_before(before: str) -> bool:
    """Whether the words right before a number make it a date, a document number or a year (fast
    :data:`NOT_A_COUNT_BEFORE`)."""
    words = re.findall(r"[a-z]+", before[-20:])
    if words[-2:-1] in (["tong"], ["trong"]) and words[-1] == "so" and before.rstrip().endswith("so"):
        return False       # "tổng số 42", "trong số 42": a count, not "số 42" of a document
    return any(" ".join(words[-n:]) in _NOT_A_COUNT_WORDS for n in (1, 2, 3) if len(words) >= n and
               before.rstrip().endswith(words[-1]))


# --- places --------------------------------------------------------------------------------------------------

PLACE_PATTERN = re.compile(
    r"(?<![\w])(?:tỉnh|huyện|thành phố|thị xã|quận|Tỉnh|Huyện|Thành phố|Thị xã|Quận|TP\.?|Tỉnh uỷ|Tỉnh ủy|Huyện uỷ|"
    r"Huyện ủy|Thành uỷ|Thành ủy|Quận ủy|Thị ủy|tỉnh ủy|huyện ủy|thành ủy|tỉnh uỷ|huyện uỷ|thành uỷ|địa bàn)[ ]+"
    r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ][\w’']*"
    r"(?:[ ](?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ])|(?<=\w)))+)")

# --- cues (all on folded text) ------------------------------------------------------------------------------------

#: Patterns used with ``pattern.match(text, position)`` never start with "^" (it would anchor at offset 0).
#: Before the number in its sentence: a target, not a result.
TARGET_CUES = re.compile(
    r"(?<![a-z])(?:phan\s+dau|chi\s+tieu|muc\s+tieu|ke\s+hoach\s+de\s+ra|ke\s+hoach\s+nam\s+\d{4}\s*:|du\s+kien|du\s+uoc|uoc\s+dat|se\s+dat|nghi\s+quyet\s+[^.;]*?"
    r"dat\s+\d(?![\d/]*\s*(?:chi|muc)\s+tieu)|can\s+dat|phai\s+dat|phai\s+co|can\s+co|yeu\s+cau\s+dat|khong\s+(?:vuot\s+)?qua|den\s+nam\s+20\d\d\s*,?\s*(?:co|dat)|(?<!binh\squan\s)hang\s+nam\s+co|"
    # a plan's words: "đặt ra:", "xác định:", "phương hướng", "Kế hoạch … nêu rõ:", "(kế hoạch 90%)", "đề ra 85%", "đăng ký 90% …", "sẽ …" (not "chia sẻ"), "nhiệm kỳ tới", "thời gian tới"
    r"(?:de|dat)\s+ra\s*:|xac\s+dinh\s*:|phuong\s+huong|ke\s+hoach(?:(?!ket\s+qua|(?<![a-z])da\s)[^.;:]){0,60}:|"
    r"(?:de\s+ra|ke\s+hoach)(?=\s*:?\s*(?:la\s+)?(?:tren\s+|it\s+nhat\s+)?[\d.,]+\s*%)|dang\s+ky(?=\s+(?:phan\s+dau\s+)?(?:dat\s+)?(?:tren\s+|it\s+nhat\s+)?\d)|"
    r"(?<!chia\s)(?<!san\s)se(?=\s+[a-z])|"
    r"(?:nhiem\s+ky|giai\s+doan|thoi\s+gian|nam)\s+toi)(?![a-z])")
#: Right before the number: a change, not a level ("tăng 14%", but not "tăng lên 39/56", "giảm còn 3/56").
CHANGE_BEFORE = re.compile(r"(?<![a-z])(?:tang|giam|cao\s+hon|thap\s+hon|nhieu\s+hon|it\s+hon|vuot)\s*$")
CHANGE_AFTER = re.compile(r"\s*(?:%\s*)?(?:[^\d\s;(]\S*\s+){0,4}?so\s+voi(?![a-z])")
#: After "so với": a period ("năm 2021", "cùng kỳ") makes the number a change.
PERIOD_AFTER = re.compile(r"\s*(?:nam|cung\s+ky|ky\s+truoc|nhiem\s+ky|dau|cuoi|truoc|thang|quy)(?![a-z])")
#: In the sentence, when no party unit is printed near a number: the rated are cadres or civil servants.
FOREIGN_SUBJECT = re.compile(r"(?<![a-z])(?:cong\s+chuc|vien\s+chuc|can\s+bo,?\s+cong\s+chuc|nguoi\s+lao\s+dong|"
                             r"hoc\s+sinh|sinh\s+vien|hoi\s+vien|doan\s+vien)(?![a-z])")
#: In the clause: the number is about something else than a rating.
OTHER_TOPIC_CUES = re.compile(
    r"(?<![a-z])(?:ket\s+nap|phat\s+trien\s+dang\s+vien|tham\s+du|du\s+hop|co\s+mat|tham\s+gia\s+sinh\s+hoat|"
    r"sinh\s+hoat\s+dinh\s+ky|khen\s+thuong|giay\s+khen|bang\s+khen|tang\s+thuong|tang\s+giay|bieu\s+duong|"
    r"huy\s+hieu|duoc\s+tang|duoc\s+khen|to\s+chuc\s+dai\s+hoi|tien\s+hanh\s+dai\s+hoi|hoan\s+thanh\s+dai\s+hoi|"
    r"dai\s+hoi\s+(?:xong|diem|thi\s+diem|thanh\s+cong)|"
    r"nam\s+lien|nam\s+lien\s+tuc|lien\s+tuc\s+\d|ky\s+luat|thi\s+hanh\s+ky\s+luat|de\s+nghi\s+khen|de\s+nghi\s+(?:[a-z]+\s+){0,6}?cong\s+nhan|"
    r"danh\s+hieu|co\s+thi\s+dua|chien\s+si\s+thi\s+dua|to\s+chuc\s+chinh\s+tri\s*-?\s*xa\s+hoi|mat\s+tran|"
    r"doan\s+the|chinh\s+quyen\s+(?:co\s+so|xa|cap)|de\s+cu|de\s+xuat|de\s+nghi\s+(?:[a-z]+\s+){0,6}?xep\s+loai|de\s+nghi(?=\s+(?:[a-z]+\s+){0,5}?(?:xet\s|\d))|chi\s+tieu|tieu\s+chi|can\s+bo,?\s+cong\s+chuc|cong\s+chuc|"
    r"vien\s+chuc|hoc\s+tap\s+nghi\s+quyet|quan\s+triet|(?:kiem\s+tra|giam\s+sat)(?=\s+(?:doi\s+voi\s+)?\d))(?![a-z])")
#: Right after a number and its unit: what they did is vote ("100% đảng viên nhất trí xếp loại chi bộ …"), the number
#: counts voters (a vote as the way of rating, "Qua biểu quyết, chi bộ có 8/8 đảng viên …", is no such cue).
VOTERS_AFTER = re.compile(r"\s*(?:[a-z]+\s+){0,3}?(?:bo\s+phieu|nhat\s+tri|thong\s+nhat|dong\s+y|tan\s+thanh|bieu\s+quyet|"
                          r"tin\s+nhiem)(?![a-z])")
#: The cues of commendations: they speak for the whole clause, the recipients listed after them included ("tặng giấy
#: khen cho 20 tập thể, có 12 tổ chức cơ sở đảng …").
COMMENDATION_CUES = re.compile(r"(?<![a-z])(?:khen\s+thuong|giay\s+khen|bang\s+khen|tang\s+thuong|tang\s+giay|"
                               r"bieu\s+duong|de\s+nghi\s+khen|co\s+thi\s+dua)(?![a-z])")
#: "đạt 98% trở lên": a percentage threshold is a target.
THRESHOLD_AFTER = re.compile(r"\s*%?\s*tro\s+len")
#: Who rates, between "được" and "đánh giá": "được cấp ủy cơ sở Đảng đánh giá", "được Ban Thường vụ … đánh giá".
_RATER = r"(?:(?:cap\s+uy|chi\s+uy|dang\s+uy|ban\s+thuong\s+vu|thuong\s+truc|huyen\s+uy|tinh\s+uy|thanh\s+uy|quan\s+uy|" \
         r"thi\s+uy|co\s+so|dang|khoi|cap\s+tren|truc\s+tiep|chi\s+bo|cac\s+cap)\s+){0,6}"
TOTAL_CUES = re.compile(r"(?<![a-z])(?<!khong\s)(?<!chua\s)(?:(?:duoc|phai)\s+" + _RATER + r"(?:(?:kiem\s+diem|phan\s+tich),?\s*)?|"
                        r"(?:du|tham\s+gia)\s+|(?:da\s+)?(?:thuc\s+hien\s+)?"
                        r"(?:hoan\s+thanh\s+)?kiem\s+diem\s*,?\s*|(?=danh\s+gia\s*,\s*xep\s+loai))"
                        r"(?:danh\s+gia|xep\s+loai|phan\s+loai|phan\s+tich(?=\s*(?:,|chat\s+luong|:|$|\s+la\s)))"
                        r"(?:\s*,\s*(?:xep|phan)\s+loai)?(?:\s+chat\s+luong)?(?![a-z])"
                        r"|(?<![a-z])(?<!khong\s)(?<!chua\s)duoc\s+kiem\s+diem(?![a-z])")   # "N đảng viên được kiểm điểm"
#: "đảng bộ huyện", "đảng bộ tỉnh": the owner of the units, not a unit counted.
OWNER_AFTER = re.compile(r"\s+(?:huyen|tinh|thanh\s+pho|quan|thi\s+xa|khoi|cap\s+tren(?!\s+co\s+so)|toan)(?![a-z])")
#: "toàn Đảng bộ có …", "của Đảng bộ": the committee whose units are counted, not a unit counted.
OWNER_BEFORE = re.compile(r"(?<![a-z])(?:toan|cua|trong)\s+$")


def is_owner(scan: str, start: int, end: int) -> bool:
    """Whether the "đảng bộ" found at ``scan[start:end]`` names the owner of the units ("Đảng bộ huyện", "toàn
    Đảng bộ"), not a unit counted."""
    return scan.startswith("dang bo", start) and (
        OWNER_AFTER.match(scan, end) is not None or OWNER_BEFORE.search(scan, max(0, start - 6), start) is not None)
#: "đánh giá chất lượng (năm 2013) ở N …": the N units rated.
RATED_BEFORE = re.compile(r"danh\s+gia(?:\s*,?\s*(?:xep|phan)\s+loai)?(?:\s+chat\s+luong)?(?:\s+nam\s+\d{4})?\s+"
                          r"(?:o|cho|doi\s+voi)\s*$|(?<![a-z])da\s+(?:kiem\s+diem,?\s*)?danh\s+gia"
                          r"(?:\s*,?\s*(?:xep|phan)\s+loai)?\s*$")
POPULATION_VERB = re.compile(r"(?<![a-z])(?:xep\s+loai|danh\s+gia|phan\s+loai|chon|lua\s+chon)"
                             r"(?:\s+chat\s+luong)?(?:\s+(?:doi\s+voi|cho|o))?\s*$")
NESTING_CUE = re.compile(r"(?<![a-z])trong\s+do(?![a-z])")
COMPOSITION_CUE = re.compile(r"\s*,?\s*(?:trong\s+do(?:\s+co)?|bao\s+gom|gom(?:\s+co)?)\s*:?\s*$")
SCOPE_PATTERN = re.compile(r"(?<![a-z])toan\s+(?:tinh|huyen|thanh\s+pho|thi\s+xa|quan|quoc|dang\s+bo|khoi|nganh)"
                           r"(?![a-z])")
PILOT_PATTERN = re.compile(r"(?<![a-z])(?:lam\s+diem|xay\s+dung\s+diem|diem\s+chi\s+dao|duoc\s+chon)(?![a-z])")
#: Abbreviation defined in the text: "(TCCSĐ)", "(sau đây viết tắt TSVM)", "(gọi tắt là HTXSNV)".
ABBREVIATION_DEFINITION = re.compile(
    r"\(\s*(?:sau\s+đây\s+)?(?:viết\s+tắt(?:\s+là)?|gọi\s+tắt(?:\s+là)?)?\s*([A-ZĐ][A-ZĐa-z]{1,9})\s*\)")
