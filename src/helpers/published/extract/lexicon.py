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
    return "".join(_fold_char(ch) for ch in text)


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


#: A label may be followed by these (kept in the printed category): "tiêu biểu", "cấp tỉnh", "trở lên".
LABEL_TAIL = r"(?:\s+(?:cap\s+(?:tinh|huyen|tren\s+co\s+so|co\s+so|thanh\s+pho)))?(?:\s+(?:tro\s+len))?"


@lru_cache(maxsize=1)
def label_pattern() -> re.Pattern:
    """One pattern for every rating label form, on folded text (word boundaries on both sides)."""
    alternatives = "|".join(_words(f) for f in label_forms())
    return re.compile(rf"(?<![a-z0-9])(?:tu\s+)?(?:{alternatives})(?:\s+tieu\s+bieu)?{LABEL_TAIL}(?![a-z0-9])")


# --- units -------------------------------------------------------------------------------------------------------

#: Folded unit phrase -> the level written in the draft (longest first when searching).
UNITS = {
    "to chuc co so dang": "tổ chức cơ sở đảng",
    "to chuc co so cua dang": "tổ chức cơ sở đảng",
    "tccs dang": "tổ chức cơ sở đảng",
    "tccsd": "tổ chức cơ sở đảng",
    "chi, dang bo co so": "tổ chức cơ sở đảng",
    "chi bo, dang bo co so": "tổ chức cơ sở đảng",
    "dang bo, chi bo co so": "tổ chức cơ sở đảng",
    "co so dang": "tổ chức cơ sở đảng",
    "to chuc co so": "tổ chức cơ sở đảng",
    "to chuc dang": "tổ chức đảng",
    "dang bo bo phan": "đảng bộ bộ phận",
    "chi bo truc thuoc dang uy co so": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo truc thuoc": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo duoi co so": "chi bộ trực thuộc đảng ủy cơ sở",
    "chi bo co so": "tổ chức cơ sở đảng",
    "chi bo": "chi bộ",
    "dang bo xa": "đảng bộ xã",
    "dang bo": "đảng bộ",
    "dang vien": "đảng viên",
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
)

UNIT_PATTERN = re.compile(
    r"(?<![a-z0-9])(?:" + "|".join(re.escape(u).replace(r"\ ", r"\s+").replace(",", r",?")
                                  for u in sorted(UNITS, key=len, reverse=True)) + r")(?![a-z0-9])")
_AFTER_COUNT = re.compile(
    r"\s*(?:[\"“”']\s*)?(" + "|".join(re.escape(u).replace(r"\ ", r"\s+") for u in
                                    sorted(set(UNITS) | set(GENERIC_UNITS) | set(FOREIGN_UNITS), key=len,
                                           reverse=True)) + r")(?![a-z0-9])")


def unit_after(folded: str, position: int) -> tuple[str | None, str | None, int]:
    """The unit noun printed right after a count: (kind, level, end) with kind ``party``/``generic``/``foreign``."""
    match = _AFTER_COUNT.match(folded, position)
    if not match:
        return None, None, position
    word = re.sub(r"\s+", " ", match.group(1))
    if word in UNITS:
        return "party", UNITS[word], match.end()
    if word in GENERIC_UNITS:
        return "generic", None, match.end()
    return "foreign", None, match.end()


def level_of(folded_unit: str) -> str:
    """The draft level of a folded unit phrase found by :data:`UNIT_PATTERN`."""
    key = re.sub(r"\s+", " ", folded_unit)
    if key in UNITS:
        return UNITS[key]
    return UNITS.get(key.replace(",", ", ").replace("  ", " "), "tổ chức đảng")


# --- numbers --------------------------------------------------------------------------------------------------

_QUALIFIER = r"(?:gan\s+nhu|gan|tren|khoang|hon|xap\s+xi|uoc\s+tinh|chung|duoi|it\s+nhat|toi\s+thieu|toi\s+da)"
_DIGITS = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
#: A percentage, a fraction "X/Y" or a count, each with an optional qualifier word before it.
NUMBER_PATTERN = re.compile(
    rf"(?<![\w/.,-])(?:(?P<qual>{_QUALIFIER})\s+)?"
    rf"(?:(?P<pct>{_DIGITS})\s?%|(?P<num>{_DIGITS})\s?/\s?(?P<den>{_DIGITS})(?![\d/])|(?P<count>{_DIGITS}))"
    r"(?![\w/]|[.,]\d|-\w)"
)
#: "không có", "không còn", "không có … nào": a printed zero.
ZERO_PATTERN = re.compile(r"(?<![a-z])khong\s+(?:co|con)(?![a-z])")
YEAR_PATTERN = re.compile(r"(?<![a-z0-9/])(?:nam|đen\s+nam|den\s+nam)\s+((?:19|20)\d\d)(?![\d/-])")
#: Words before a count that make it a date, a document number or a year.
NOT_A_COUNT_BEFORE = re.compile(
    r"(?:ngay|thang|nam|so|khoa|lan\s+thu|thu|ky|ky\s+hop|hoi\s+nghi|quy|trung\s+uong|dieu|khoan|muc|chuong|"
    r"chi\s+thi|nghi\s+quyet|quyet\s+dinh|ket\s+luan|huong\s+dan|quy\s+dinh|thong\s+tu|cong\s+van|ke\s+hoach|"
    r"tieu\s+chi|tieu\s+chi\s+thu|giai\s+doan|nhiem\s+ky|bang|hinh|trang)\s*$")

# --- places --------------------------------------------------------------------------------------------------

PLACE_PATTERN = re.compile(
    r"(?<![\w])(?:tỉnh|huyện|thành phố|thị xã|quận|Tỉnh|Huyện|Thành phố|Thị xã|Quận|TP\.?|Tỉnh uỷ|Tỉnh ủy|Huyện uỷ|"
    r"Huyện ủy|Thành uỷ|Thành ủy|Quận ủy|Thị ủy|tỉnh ủy|huyện ủy|thành ủy|tỉnh uỷ|huyện uỷ|thành uỷ|địa bàn)[ ]+"
    r"((?:[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ][\w’']*"
    r"(?:[ ](?=[A-ZĐÂĂÊÔƠƯÁÀẢÃẠÉÈẺẼẸÍÌỈĨỊÓÒỎÕỌÚÙỦŨỤÝỲỶỸỴẤẦẨẪẬẮẰẲẴẶẾỀỂỄỆỐỒỔỖỘỚỜỞỠỢỨỪỬỮỰ])|(?<=\w)))+)")

# --- cues (all on folded text) ------------------------------------------------------------------------------------

#: Before the number in its sentence: a target, not a result.
TARGET_CUES = re.compile(
    r"(?<![a-z])(?:phan\s+dau|chi\s+tieu|muc\s+tieu|ke\s+hoach\s+de\s+ra|du\s+kien|se\s+dat|nghi\s+quyet\s+[^.;]*?"
    r"dat\s+\d|can\s+dat|phai\s+dat|yeu\s+cau\s+dat|den\s+nam\s+20\d\d\s*,?\s*(?:co|dat)|hang\s+nam\s+co)(?![a-z])")
#: Right before the number: a change, not a level ("tăng 14%", but not "tăng lên 39/56", "giảm còn 3/56").
CHANGE_BEFORE = re.compile(r"(?<![a-z])(?:tang|giam|cao\s+hon|thap\s+hon|nhieu\s+hon|it\s+hon|vuot)\s*$")
CHANGE_AFTER = re.compile(r"^\s*(?:%\s*)?(?:\S+\s+){0,4}?so\s+voi(?![a-z])")
#: In the clause: the number is about something else than a rating.
OTHER_TOPIC_CUES = re.compile(
    r"(?<![a-z])(?:ket\s+nap|phat\s+trien\s+dang\s+vien|tham\s+du|du\s+hop|co\s+mat|tham\s+gia\s+sinh\s+hoat|"
    r"sinh\s+hoat\s+dinh\s+ky|khen\s+thuong|giay\s+khen|bang\s+khen|tang\s+thuong|tang\s+giay|bieu\s+duong|"
    r"nam\s+lien|nam\s+lien\s+tuc|lien\s+tuc\s+\d|ky\s+luat|thi\s+hanh\s+ky\s+luat|de\s+nghi\s+khen|"
    r"danh\s+hieu|co\s+thi\s+dua|chien\s+si\s+thi\s+dua|to\s+chuc\s+chinh\s+tri\s*-?\s*xa\s+hoi|mat\s+tran|"
    r"doan\s+the|chinh\s+quyen\s+(?:xa|cap)|chi\s+tieu|tieu\s+chi|can\s+bo,?\s+cong\s+chuc|cong\s+chuc|"
    r"vien\s+chuc|hoc\s+tap\s+nghi\s+quyet|quan\s+triet)(?![a-z])")
#: "đạt 98% trở lên": a percentage threshold is a target.
THRESHOLD_AFTER = re.compile(r"^\s*%?\s*tro\s+len")
TOTAL_CUES = re.compile(r"(?<![a-z])duoc\s+(?:kiem\s+diem,?\s*)?(?:danh\s+gia|xep\s+loai|phan\s+loai)"
                        r"(?:\s*,\s*(?:xep|phan)\s+loai)?(?:\s+chat\s+luong)?(?![a-z])")
#: "đảng bộ huyện", "đảng bộ tỉnh": the owner of the units, not a unit counted.
OWNER_AFTER = re.compile(r"\s+(?:huyen|tinh|thanh\s+pho|quan|thi\s+xa|khoi|cap\s+tren|toan)(?![a-z])")
POPULATION_VERB = re.compile(r"(?<![a-z])(?:xep\s+loai|danh\s+gia|phan\s+loai|chon|lua\s+chon)\s*$")
NESTING_CUE = re.compile(r"(?<![a-z])trong\s+do(?![a-z])")
COMPOSITION_CUE = re.compile(r"^\s*,?\s*(?:trong\s+do(?:\s+co)?|bao\s+gom|gom(?:\s+co)?)\s*:?\s*$")
SCOPE_PATTERN = re.compile(r"(?<![a-z])toan\s+(?:tinh|huyen|thanh\s+pho|thi\s+xa|quan|quoc|dang\s+bo|khoi|nganh)"
                           r"(?![a-z])")
PILOT_PATTERN = re.compile(r"(?<![a-z])(?:lam\s+diem|xay\s+dung\s+diem|diem\s+chi\s+dao|duoc\s+chon)(?![a-z])")
#: Abbreviation defined in the text: "(TCCSĐ)", "(sau đây viết tắt TSVM)", "(gọi tắt là HTXSNV)".
ABBREVIATION_DEFINITION = re.compile(
    r"\(\s*(?:sau\s+đây\s+)?(?:viết\s+tắt(?:\s+là)?|gọi\s+tắt(?:\s+là)?)?\s*([A-ZĐ][A-ZĐa-z]{1,9})\s*\)")
