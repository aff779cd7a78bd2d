"""Vietnamese rating labels: normalise a typed label and find its level.

Labels arrive typed by hand: composed or decomposed Unicode, old or new tone-mark
placement ("hòa"/"hoà", "thủy"/"thuỷ", and misplaced marks like "hòan"), upper
case, stray spaces and quotes, no diacritics ("hoan thanh tot nhiem vu"),
abbreviations (TSVM, HTXSNV, HTTNV, HTNV, KHTNV) and cumulative categories
("HTTNV trở lên"). Matching normalises the text once and then looks it up in a
dictionary built from ``scales.yaml`` (every label, abbreviation and variant,
normalised the same way, plus a no-diacritics key). Nothing is guessed: a text
that is not in the dictionary gives ``None``, and :func:`closest_labels` lists
the nearest known labels so a person can map it in the study file.

Legacy 8-bit encodings (TCVN3, VNI) are handled before this, per file or sheet, in
:mod:`helpers.cleaning.legacy`; a single label typed with a legacy font inside a Unicode
sheet is matched by :func:`match_legacy_label`.

Examples
--------
>>> normalise_text('  "Hoà   BÌNH" ')
'hoà bình'
>>> m = match_label("hoan thanh tot nhiem vu", year=2019)
>>> (m.code, m.scale_id, m.common, m.rule)
('HTTNV', 'org-2018', 'good', 'no_diacritics')
>>> match_label("HTTNV trở lên", year=2019).cumulative
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from helpers import scales as _scales
from helpers.errors import InputError, Problem

# --- tone marks -------------------------------------------------------------------------------------------------

#: The five Vietnamese tone marks as combining characters (grave, acute, tilde, hook above, dot below).
TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
#: Vowel modifiers (circumflex, breve, horn) — part of the letter, not the tone.
_MODIFIERS = frozenset("\u0302\u0306\u031b")
_VOWELS = frozenset("aeiouy")
#: Open two-vowel clusters that take the mark on the second vowel in the new style (hoà, khoẻ, thuỷ).
_SECOND_VOWEL_CLUSTERS = frozenset({"oa", "oe", "uy"})
_QUOTES = "\"'`´‘’‚‛“”„‟«»‹›＂＇"
_QUOTE_TABLE = str.maketrans({q: " " for q in _QUOTES})
_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"[^\W\d_]+")
_KEY_PUNCT = str.maketrans({c: " " for c in ",;:.-–—/()[]+&"})
_EDGE_PUNCT = " .,;:-–—*_!?"


def _place_tone(word: str) -> str:
    """Re-place the tone mark of one syllable by the new-style rule (``hòa`` → ``hoà``, ``hòan`` → ``hoàn``)."""
    decomposed = unicodedata.normalize("NFD", word)
    letters: list[list[str]] = []      # [base, modifiers]
    tones = []
    for ch in decomposed:
        if unicodedata.combining(ch):
            if not letters:
                return word
            if ch in TONE_MARKS:
                tones.append(ch)
            else:
                letters[-1][1] += ch
        else:
            letters.append([ch, ""])
    if len(tones) != 1:
        return word
    bases = [b.lower() for b, _ in letters]
    start = 0
    if len(bases) > 2 and bases[0] == "q" and bases[1] == "u" and bases[2] in _VOWELS:
        start = 2
    elif len(bases) > 2 and bases[0] == "g" and bases[1] == "i" and bases[2] in _VOWELS:
        start = 2
    while start < len(bases) and bases[start] not in _VOWELS:
        start += 1
    end = start
    while end < len(bases) and bases[end] in _VOWELS:
        end += 1
    if start == end:
        return word
    cluster = list(range(start, end))
    modified = [i for i in cluster if letters[i][1]]
    closed = end < len(bases)
    if modified:
        pos = modified[-1]
    elif len(cluster) == 1:
        pos = cluster[0]
    elif closed:
        pos = cluster[-1]
    elif len(cluster) == 2:
        pos = cluster[1] if "".join(bases[start:end]) in _SECOND_VOWEL_CLUSTERS else cluster[0]
    else:
        pos = cluster[1]
    out = []
    for i, (base, mods) in enumerate(letters):
        out.append(base + mods + (tones[0] if i == pos else ""))
    return unicodedata.normalize("NFC", "".join(out))


def place_tone_marks(text: str) -> str:
    """Put every syllable's tone mark where the new-style rule puts it (``thủy`` → ``thuỷ``)."""
    return _WORD_RE.sub(lambda m: _place_tone(m.group(0)), unicodedata.normalize("NFC", text))


def _clean(text: str) -> str:
    text = text.translate(_QUOTE_TABLE).replace("\u00a0", " ")
    text = _SPACE_RE.sub(" ", text).strip(_EDGE_PUNCT)
    return re.sub(r"\s+,", ",", text)


def normalise_text(s) -> str:
    """NFC, new-style tone marks, lower case, quotes removed, spaces collapsed and trimmed.

    Parameters
    ----------
    s : str
        Any text (a non-text value is turned into text first).

    Returns
    -------
    str
        E.g. ``'  “Hòa  Bình” '`` → ``'hoà bình'``; ``'uỷ ban'`` and ``'ủy ban'`` give the same text.
    """
    text = s if isinstance(s, str) else str(s)
    return _clean(place_tone_marks(text).lower())


def strip_diacritics(text: str) -> str:
    """The text without any diacritic (``đ`` → ``d``): the key for labels typed without them."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _key(text: str) -> str:
    return _SPACE_RE.sub(" ", normalise_text(text).translate(_KEY_PUNCT)).strip()


# --- dictionary -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class LabelMatch:
    """What a typed label means.

    Attributes
    ----------
    code : str
        Level code (``TSVM``, ``TSVM_TB``, ``HTXSNV``, ``HTTNV``, ``HTNV``, ``YK``, ``KHTNV``).
    scale_id : str or None
        Scale the label belongs to. With a ``year``, the scale of that year when the label belongs to it,
        otherwise the (other) scale it does belong to — compare with ``scale_for(year)`` to detect a label of
        the wrong scale. Without a year, ``None`` when the label belongs to several scales (e.g. ``HTTNV``).
    common : str
        ``fail``/``pass``/``good``/``top``.
    cumulative : bool
        True for "X trở lên" (X or better): the category holds X and every level above it.
    rule : str
        The normalisations that were needed, joined by ``+``: ``exact``, ``unicode_nfc``, ``tone_marks``,
        ``case_spaces_quotes``, ``no_diacritics``, ``abbreviation``, ``variant``, ``cumulative``.
    """

    code: str
    scale_id: str | None
    common: str
    cumulative: bool
    rule: str

    @property
    def order(self) -> int:
        return _scales.COMMON_ORDER.index(self.common)


@dataclass(frozen=True)
class _Entry:
    scale_id: str
    unit: str
    code: str
    common: str
    kind: str          # label | abbreviation | variant
    form: str          # as written in scales.yaml


@lru_cache(maxsize=1)
def _index() -> tuple[dict, dict, tuple[str, ...], tuple[str, ...]]:
    book = _scales.book()
    exact: dict[str, list[_Entry]] = {}
    ascii_: dict[str, list[_Entry]] = {}
    problems = []
    for scale in book.scales.values():
        for level in scale.levels:
            forms = [(level.label_vi, "label")]
            if level.abbreviation:
                forms.append((level.abbreviation, "abbreviation"))
            forms += [(v, "variant") for v in level.variants]
            for form, kind in forms:
                entry = _Entry(scale.id, scale.unit, level.code, level.common, kind, form)
                key = _key(form)
                exact.setdefault(key, []).append(entry)
                ascii_.setdefault(strip_diacritics(key), []).append(entry)
    for key, entries in exact.items():
        for sid in {e.scale_id for e in entries}:
            codes = {e.code for e in entries if e.scale_id == sid}
            if len(codes) > 1:
                problems.append(Problem(file=str(_scales.SCALES_FILE), column=sid, value=key,
                                        rule=f"one label stands for several levels: {', '.join(sorted(codes))}"))
    if problems:
        raise InputError(problems, "the rating-scale file has ambiguous labels")
    # a no-diacritics key that stands for two levels of one scale is dropped (it would be a guess)
    for key in list(ascii_):
        entries = ascii_[key]
        if any(len({e.code for e in entries if e.scale_id == sid}) > 1 for sid in {e.scale_id for e in entries}):
            del ascii_[key]
    prefixes = tuple(_key(p) for p in book.cumulative_prefixes)
    suffixes = tuple(_key(s) for s in book.cumulative_suffixes)
    return exact, ascii_, prefixes, suffixes


def _strip_cumulative(key: str, prefixes, suffixes) -> str | None:
    for suffix in suffixes + tuple(strip_diacritics(s) for s in suffixes):
        if key.endswith(" " + suffix):
            rest = key[: -len(suffix) - 1].strip()
            for prefix in prefixes + tuple(strip_diacritics(p) for p in prefixes):
                if rest.startswith(prefix + " "):
                    rest = rest[len(prefix) + 1:].strip()
            return rest or None
    return None


def _choose(entries: list[_Entry], year: int | None, unit: str) -> tuple[_Entry, str | None] | None:
    own = [e for e in entries if e.unit == unit]
    if not own:
        return None
    book = _scales.book()
    if year is not None:
        here = [e for e in own if book.scales[e.scale_id].covers(year)]
        if here:
            pick = sorted(here, key=lambda e: ("label", "abbreviation", "variant").index(e.kind))[0]
            return pick, pick.scale_id
        # the label belongs to another scale: report it (the caller flags "wrong scale for its year")
        distance = lambda e: min(abs(year - y) for y in (book.scales[e.scale_id].year_from,
                                                         book.scales[e.scale_id].year_to) if y is not None)
        pick = sorted(own, key=distance)[0]
        return pick, pick.scale_id
    codes = {e.code for e in own}
    ranked = sorted(own, key=lambda e: (("label", "abbreviation", "variant").index(e.kind),
                                        -list(book.scales).index(e.scale_id)))
    pick = ranked[0]
    if len(codes) > 1:
        own = [e for e in own if e.code == pick.code]
    scale_ids = {e.scale_id for e in own}
    return pick, (pick.scale_id if len(scale_ids) == 1 else None)


def _match_key(key: str, year, unit):
    """(entry, scale_id, no_diacritics) for a normalised key, or None."""
    exact, ascii_, _, _ = _index()
    if key in exact:
        chosen = _choose(exact[key], year, unit)
        if chosen:
            return chosen[0], chosen[1], False
    folded = strip_diacritics(key)
    # only a text typed entirely without diacritics is looked up without them: wrong diacritics are not guessed
    if folded == key and folded in ascii_:
        chosen = _choose(ascii_[folded], year, unit)
        if chosen:
            return chosen[0], chosen[1], True
    return None


@lru_cache(maxsize=65536)
def _forms(text: str) -> tuple[str, str, str]:
    """The lookup key, the NFC text and the NFC text with new-style tone marks of a label, made once per text
    (a label typed in several years is matched once per year, but normalised once)."""
    nfc = unicodedata.normalize("NFC", text)
    return _key(text), nfc, place_tone_marks(nfc)


@lru_cache(maxsize=65536)
def _match(text: str, year: int | None, unit: str) -> LabelMatch | None:
    _, _, prefixes, suffixes = _index()
    key, nfc, toned = _forms(text)
    if not key:
        return None
    cumulative = False
    found = _match_key(key, year, unit)
    if found is None:
        rest = _strip_cumulative(key, prefixes, suffixes)
        if rest is not None:
            found = _match_key(rest, year, unit)
            cumulative = found is not None
    if found is None:
        return None
    entry, scale_id, by_ascii = found
    steps = []
    if nfc != text:
        steps.append("unicode_nfc")
    if toned != nfc:
        steps.append("tone_marks")
    if by_ascii:
        steps.append("no_diacritics")
    elif cumulative:
        if _clean(toned) != toned:
            steps.append("case_spaces_quotes")
    elif entry.kind == "variant" and _clean(toned.lower()) != _clean(_forms(entry.form)[2].lower()):
        steps.append("case_spaces_quotes")   # variants are written in any case in scales.yaml
    elif entry.kind != "variant" and toned != _forms(entry.form)[2]:
        steps.append("case_spaces_quotes")
    if entry.kind != "label":
        steps.append(entry.kind)
    if cumulative:
        steps.append("cumulative")
    return LabelMatch(code=entry.code, scale_id=scale_id, common=entry.common, cumulative=cumulative,
                      rule="+".join(dict.fromkeys(steps)) or "exact")


def match_label(text: str, year: int | None = None, unit: str = "organisation") -> LabelMatch | None:
    """Find the rating level a typed label stands for.

    The text is normalised once (:func:`normalise_text`) and looked up in a
    dictionary of every label, abbreviation and variant of ``scales.yaml``, then
    in a no-diacritics copy of it, then as a cumulative "X trở lên". Results are
    cached per distinct (text, year, unit).

    Parameters
    ----------
    text : str
        The label as typed in a file.
    year : int, optional
        The rating year; chooses the scale when a label exists in several.
    unit : {'organisation', 'member'}

    Returns
    -------
    LabelMatch or None
        ``None`` when the label is unknown (see :func:`closest_labels`). When the
        label belongs only to a scale of other years, the match names that scale.

    Examples
    --------
    >>> match_label("TSVM", 2016).code
    'TSVM'
    >>> match_label("Trong sạch vững mạnh", 2019).scale_id   # the wrong scale for 2019
    'org-2008'
    """
    if unit not in _scales.UNITS:
        raise ValueError(f"'unit' must be one of {', '.join(_scales.UNITS)} (got {unit!r}).")
    if text is None:
        return None
    if not isinstance(text, str):
        text = str(text)
    if year is not None:
        year = int(year)
    return _match(text, year, unit)


@dataclass(frozen=True)
class LegacyMatch:
    """A label that is known once converted from a legacy font encoding (:func:`match_legacy_label`).

    ``match`` and ``encoding`` ('tcvn3' or 'vni') are set when the conversions agree on one level;
    ``codes`` maps each encoding whose conversion is a known label to its level code, so two different
    codes mean the label is refused (it would be a guess).
    """

    match: LabelMatch | None
    encoding: str | None
    text: str | None
    codes: dict

    @property
    def ambiguous(self) -> bool:
        return len(set(self.codes.values())) > 1


def match_legacy_label(text: str, year: int | None = None, unit: str = "organisation") -> LegacyMatch:
    """Match a label that is not known as typed but may be typed with a TCVN3 or VNI font.

    Spreadsheets merged from several offices mix fonts cell by cell: "Hoµn thµnh tèt nhiÖm vô"
    (TCVN3) inside a Unicode sheet. Each conversion of :data:`helpers.cleaning.legacy.CONVERTERS`
    that changes the text is matched with :func:`match_label`; the label is taken only when the
    conversions that give a known label agree on its level.

    Examples
    --------
    >>> found = match_legacy_label("Hoµn thµnh tèt nhiÖm vô", 2016)
    >>> (found.match.code, found.encoding, found.text)
    ('HTTNV', 'tcvn3', 'Hoàn thành tốt nhiệm vụ')
    """
    from helpers.cleaning.legacy import CONVERTERS

    hits: dict[str, tuple[LabelMatch, str]] = {}
    if isinstance(text, str) and not text.isascii():
        for encoding, convert in CONVERTERS.items():
            converted = convert(text)
            if converted != text:
                found = match_label(converted, year, unit)
                if found is not None:
                    hits[encoding] = (found, converted)
    codes = {enc: m.code for enc, (m, _) in hits.items()}
    if not hits or len(set(codes.values())) > 1:
        return LegacyMatch(None, None, None, codes)
    encoding, (found, converted) = next(iter(hits.items()))
    return LegacyMatch(found, encoding, converted, codes)


def closest_labels(text: str, n: int = 3, unit: str | None = None, scores: bool = False) -> list:
    """The ``n`` known canonical labels nearest to ``text`` (best first), to help map an unknown label.

    Compared without diacritics, case or spacing; abbreviations count as their level's label.
    With ``scores``, (similarity from 0 to 1, label) pairs instead of labels.
    """
    exact, _, _, _ = _index()
    folded = strip_diacritics(_key(text if isinstance(text, str) else str(text)))
    candidates: dict[str, str] = {}        # folded form -> canonical label
    book = _scales.book()
    for entries in exact.values():
        for e in entries:
            if unit is not None and e.unit != unit:
                continue
            label = book.scales[e.scale_id].level(e.code).label_vi
            candidates.setdefault(strip_diacritics(_key(e.form)), label)
    scored = sorted(((difflib.SequenceMatcher(None, folded, form).ratio(), label)
                     for form, label in candidates.items()), key=lambda t: -t[0])
    out: list = []
    seen: set[str] = set()
    for ratio, label in scored:
        if label not in seen:
            seen.add(label)
            out.append((ratio, label) if scores else label)
        if len(out) == n:
            break
    return out


def known_labels(unit: str | None = None) -> list[str]:
    """Every canonical label (``label_vi``) of every scale, without repeats."""
    out: list[str] = []
    for scale in _scales.book().scales.values():
        if unit is None or scale.unit == unit:
            for level in scale.levels:
                if level.label_vi not in out:
                    out.append(level.label_vi)
    return out
