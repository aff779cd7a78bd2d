"""Legacy 8-bit Vietnamese encodings (TCVN3/ABC, VNI): detect the mojibake and convert it.

Older government spreadsheets were typed with TCVN3 (ABC) fonts such as
``.VnTime`` or VNI fonts such as ``VNI-Times``. The bytes are ordinary Latin-1 /
Windows-1252 characters that only the font draws as Vietnamese, so read as
Unicode they show up as mojibake: ``"Hoµn thµnh tèt nhiÖm vô"`` (TCVN3) or
``"Hoaøn thaønh toát nhieäm vuï"`` (VNI) for "Hoàn thành tốt nhiệm vụ".

Tables
------
TCVN3 : TCVN 5712:1993, the byte → character table of glibc's ``TCVN5712-1``
    charmap (``/usr/share/i18n/charmaps/TCVN5712-1.gz``), bytes 0xA1–0xFF. ABC fonts
    use these lowercase positions (upper-case fonts such as ``.VnTimeH`` draw the
    same bytes as capitals) plus ĂÂÊÔƠƯĐ at 0xA1–0xA7. Bytes 0xB0–0xB4 are the
    combining tone marks of VN1.
VNI : VNI-Windows: a base letter followed by one mark byte (``a`` + ``ø`` = ``à``,
    ``a`` + ``ä`` = ``ậ``; ``ô`` = ``ơ``, ``ö`` = ``ư``, ``ñ`` = ``đ``; single bytes for
    ``ì í æ ó ò î`` = ì í ỉ ĩ ị ỵ). Built below from :data:`_VNI_MARKS`, checked
    against a published VNI-Windows code table in ``tests/test_legacy.py``.

Detection works on a block of text (all distinct texts of one sheet or file,
never one cell alone): a block is converted only when the conversion makes
clearly more of its words valid Vietnamese syllables (:func:`plausibility`), so
a sheet already in Unicode is never touched.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# --- TCVN3 -----------------------------------------------------------------------------------------------------

#: Characters for bytes 0xA1..0xFF in TCVN 5712:1993 (glibc charmap TCVN5712-1), in byte order.
_TCVN3_CHARS = (
    "ĂÂÊÔƠƯĐăâêôơưđ\u1eb0"           # A1..AF
    "\u0300\u0309\u0303\u0301\u0323"  # B0..B4 combining grave, hook, tilde, acute, dot below
    "àảãáạ\u1eb2ằẳẵắ\u1eb4"           # B5..BF
    "\u1eae\u1ea6\u1ea8\u1eaa\u1ea4\u1ec0ặầẩẫấậè\u1ec2ẻẽ"   # C0..CF
    "éẹềểễếệìỉ\u1ec4\u1ebe\u1ed2ĩíịò"                        # D0..DF
    "\u1ed4ỏõóọồổỗốộờởỡớợù"                                  # E0..EF
    "\u1ed6ủũúụừửữứựỳỷỹýỵ\u1ed0"                            # F0..FF
)
TCVN3_DECODE: dict[str, str] = {chr(0xA1 + i): ch for i, ch in enumerate(_TCVN3_CHARS)}
TCVN3_ENCODE: dict[str, str] = {ch: b for b, ch in TCVN3_DECODE.items() if not unicodedata.combining(ch)}
_TCVN3_TONE_BYTES = {"\u0300": "\xb0", "\u0309": "\xb1", "\u0303": "\xb2", "\u0301": "\xb3", "\u0323": "\xb4"}

# --- VNI -------------------------------------------------------------------------------------------------------

_TONES = ("\u0301", "\u0300", "\u0309", "\u0303", "\u0323")        # acute, grave, hook, tilde, dot below
#: VNI mark characters (lower case; the upper-case mark is the character's upper case):
#: plain vowel + tone; circumflex (+ tone); breve (+ tone).
_VNI_MARKS = {
    "tone": ("ù", "ø", "û", "õ", "ï"),
    "circumflex": ("â", "á", "à", "å", "ã", "ä"),       # alone, then + acute, grave, hook, tilde, dot
    "breve": ("ê", "é", "è", "ú", "ü", "ë"),
}
_VNI_I = {"\u0301": "í", "\u0300": "ì", "\u0309": "æ", "\u0303": "ó", "\u0323": "ò"}


def _build_vni() -> dict[str, str]:
    enc: dict[str, str] = {}

    def put(uni: str, vni: str):
        uni = unicodedata.normalize("NFC", uni)
        enc[uni] = vni
        enc[uni.upper()] = vni.upper()

    for base in "aeouy":
        for tone, mark in zip(_TONES, _VNI_MARKS["tone"]):
            put(base + tone, base + mark)
    for base in "aeo":
        put(base + "\u0302", base + _VNI_MARKS["circumflex"][0])
        for tone, mark in zip(_TONES, _VNI_MARKS["circumflex"][1:]):
            put(base + "\u0302" + tone, base + mark)
    put("a\u0306", "a" + _VNI_MARKS["breve"][0])
    for tone, mark in zip(_TONES, _VNI_MARKS["breve"][1:]):
        put("a\u0306" + tone, "a" + mark)
    for base, single in (("o\u031b", "ô"), ("u\u031b", "ö")):
        put(base, single)
        for tone, mark in zip(_TONES, _VNI_MARKS["tone"]):
            put(base + tone, single + mark)
    for tone, single in _VNI_I.items():
        put("i" + tone, single)
    put("y\u0323", "î")
    put("đ", "ñ")
    return enc


VNI_ENCODE: dict[str, str] = _build_vni()
VNI_DECODE: dict[str, str] = {v: k for k, v in VNI_ENCODE.items()}
_VNI_RE = re.compile("|".join(re.escape(k) for k in sorted(VNI_DECODE, key=len, reverse=True)))

# --- plausibility ----------------------------------------------------------------------------------------------

_VI_LATIN1 = set("àáâãèéêìíòóôõùúýÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝ")
#: Characters Unicode Vietnamese never contains but TCVN3/VNI mojibake does.
SIGNAL_CHARS = frozenset(
    (set(TCVN3_DECODE) | {c for k in VNI_DECODE for c in k if ord(c) > 0x7F}) - _VI_LATIN1
)
_INITIALS = ("ngh", "ng", "gh", "gi", "kh", "nh", "ph", "qu", "th", "tr", "ch",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ng", "nh", "ch", "c", "m", "n", "p", "t", "")
_WORD_RE = re.compile(r"[^\s\d,.;:!?()\"'/\\-]+")
#: Vowel nuclei of Vietnamese syllables: those that may be followed by a final consonant, and those that end
#: the syllable (they already end in a glide i/y/o/u or are open).
_NUCLEI_CLOSED = frozenset("a ă â e ê i o ô ơ u ư y oa oă oe iê yê uô ươ uâ uê uy oo uyê".split())
_NUCLEI_OPEN = _NUCLEI_CLOSED - {"ă", "â", "oă", "uâ", "iê", "yê", "uô", "ươ", "uyê", "oo"} | frozenset(
    "ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oao oeo uây uôi ươi ươu uya uyu".split())


def _is_syllable(word: str) -> bool:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = sum(ch in "\u0300\u0301\u0303\u0309\u0323" for ch in decomposed)
    if tones > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in "\u0300\u0301\u0303\u0309\u0323"))
    for ini in _INITIALS:
        if not base.startswith(ini):
            continue
        rest = base[len(ini):]
        if not rest and ini == "gi":
            continue
        if ini == "gi" and rest[:1] not in ("", "a", "ă", "â", "e", "ê", "o", "ô", "ơ", "u", "ư"):
            rest = "i" + rest
        for fin in _FINALS:
            if fin and not rest.endswith(fin):
                continue
            vowels = rest[: len(rest) - len(fin)] if fin else rest
            if (fin and vowels in _NUCLEI_CLOSED) or (not fin and vowels in _NUCLEI_OPEN):
                return True
    return False


def plausibility(text: str) -> float:
    """Share of the non-ASCII words of ``text`` that are valid Vietnamese syllables (1.0 when there are none)."""
    words = [w for w in _WORD_RE.findall(text) if not w.isascii()]
    if not words:
        return 1.0
    return sum(_is_syllable(w) for w in words) / len(words)


# --- conversion ------------------------------------------------------------------------------------------------

def tcvn3_to_unicode(text: str) -> str:
    """Convert TCVN3 (ABC) mojibake read as Latin-1/Windows-1252 to Unicode NFC."""
    return unicodedata.normalize("NFC", "".join(TCVN3_DECODE.get(ch, ch) for ch in text))


def unicode_to_tcvn3(text: str) -> str:
    """Encode Unicode text the way a TCVN3 (ABC) font stores it, as Latin-1 characters.

    A capital with a tone mark that VN3 lacks is written as its base letter and a
    combining tone byte (0xB0–0xB4); characters outside Vietnamese are kept.
    """
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
            continue
        parts = unicodedata.normalize("NFD", ch)
        tone = next((p for p in parts if p in _TCVN3_TONE_BYTES), None)
        if tone is None:
            out.append(ch)
            continue
        base = unicodedata.normalize("NFC", parts.replace(tone, ""))
        out.append(TCVN3_ENCODE.get(base, base) + _TCVN3_TONE_BYTES[tone])
    return "".join(out)


def vni_to_unicode(text: str) -> str:
    """Convert VNI-Windows mojibake read as Latin-1/Windows-1252 to Unicode NFC."""
    return unicodedata.normalize("NFC", _VNI_RE.sub(lambda m: VNI_DECODE[m.group(0)], text))


def unicode_to_vni(text: str) -> str:
    """Encode Unicode text the way a VNI font stores it, as Latin-1 characters."""
    return "".join(VNI_ENCODE.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


CONVERTERS = {"tcvn3": tcvn3_to_unicode, "vni": vni_to_unicode}


@dataclass(frozen=True)
class Detection:
    """Result of :func:`detect_legacy`: ``encoding`` is ``'tcvn3'``, ``'vni'`` or None (text is fine)."""

    encoding: str | None
    score_before: float
    score_after: float


def detect_legacy(text: str, min_gain: float = 0.2, min_score: float = 0.8) -> Detection:
    """Tell whether a block of text is TCVN3 or VNI mojibake.

    Parameters
    ----------
    text : str
        All distinct texts of one sheet or file joined by newlines.
    min_gain : float
        The conversion must raise :func:`plausibility` by at least this much ...
    min_score : float
        ... and reach at least this share of valid syllables.

    Returns
    -------
    Detection
    """
    before = plausibility(text)
    if before == 1.0 and not any(ch in SIGNAL_CHARS for ch in text):
        return Detection(None, before, before)
    best, best_score = None, before
    for name, convert in CONVERTERS.items():
        score = plausibility(convert(text))
        if score > best_score:
            best, best_score = name, score
    if best is not None and best_score >= min_score and best_score - before >= min_gain:
        return Detection(best, before, best_score)
    return Detection(None, before, before)


def fix_legacy(text: str) -> tuple[str, str | None]:
    """Convert ``text`` when it is legacy mojibake; return (text, encoding or None)."""
    found = detect_legacy(text)
    if found.encoding is None:
        return text, None
    return CONVERTERS[found.encoding](text), found.encoding
