"""The words of the rating scales, in Vietnamese and English: levels, rating codes, contrasts, scales.

Part of the one vocabulary of the project (:mod:`helpers.export.glossary` re-exports every
name here; import it from there). Figures, tables and the teaching displays all read the
level and code words from this module, so a level is spelled the same everywhere:
:mod:`helpers.export.theme` builds its ``LEVEL_LABELS``, ``CODE_LABELS`` and ``CODE_NAMES``
from these tables instead of keeping its own.

Entries are ``key: (vi, en)``, as in the rest of the glossary.
"""

from __future__ import annotations

import re

from helpers.numbers import check_language

#: Common rating levels (``rating_common`` of the harmonised scales, helpers.scales.COMMON_ORDER), as they
#: read inside a sentence; :func:`level_label` gives the form that starts a label or a legend entry.
LEVELS: dict[str, tuple[str, str]] = {
    "fail": ("yếu kém / KHTNV", "fail (YK / KHTNV)"),
    "pass": ("HTNV", "pass (HTNV)"),
    "good": ("HTTNV", "good (HTTNV)"),
    "top": ("TSVM / HTXSNV", "top (TSVM / HTXSNV)"),
}

#: Short printed name of each rating code (the abbreviations Vietnamese articles use).
CODES: dict[str, tuple[str, str]] = {
    "TSVM": ("TSVM", "TSVM"),
    "TSVM_TB": ("TSVM tiêu biểu", "TSVM, exemplary"),
    "HTXSNV": ("HTXSNV", "HTXSNV"),
    "HTTNV": ("HTTNV", "HTTNV"),
    "HTNV": ("HTNV", "HTNV"),
    "YK": ("Yếu kém", "Weak (YK)"),
    "KHTNV": ("KHTNV", "KHTNV"),
}

#: Full name of each rating code, for the notes under figures and tables ("TSVM = trong sạch, vững mạnh").
CODE_NAMES: dict[str, tuple[str, str]] = {
    "TSVM": ("trong sạch, vững mạnh", "clean and strong"),
    "TSVM_TB": ("trong sạch, vững mạnh tiêu biểu", "exemplary clean and strong"),
    "HTXSNV": ("hoàn thành xuất sắc nhiệm vụ", "duties completed excellently"),
    "HTTNV": ("hoàn thành tốt nhiệm vụ", "duties completed well"),
    "HTNV": ("hoàn thành nhiệm vụ", "duties completed"),
    "YK": ("yếu kém", "weak"),
    "KHTNV": ("không hoàn thành nhiệm vụ", "duties not completed"),
}

#: Harmonised contrasts of ``scales.yaml`` as a reader reads them.
CONTRASTS: dict[str, tuple[str, str]] = {
    "good_or_better": ("HTTNV trở lên", "good or better (HTTNV or higher)"),
    "pass_or_better": ("HTNV trở lên", "pass or better (HTNV or higher)"),
    "fail_vs_rest": ("yếu kém so với các mức còn lại", "fail against the other levels"),
    "top_vs_rest": ("mức cao nhất so với các mức còn lại", "top level against the other levels"),
}

#: Rating scales of ``scales.yaml``.
SCALES: dict[str, tuple[str, str]] = {
    "org-2008": ("thang xếp loại tổ chức đảng trước năm 2018", "the organisation scale before 2018"),
    "org-2018": ("thang xếp loại tổ chức đảng 2018–2024", "the organisation scale of 2018–2024"),
    "org-2025": ("thang xếp loại tổ chức đảng từ năm 2025", "the organisation scale from 2025"),
    "member-2008": ("thang xếp loại đảng viên trước năm 2018", "the member scale before 2018"),
    "member-2018": ("thang xếp loại đảng viên từ năm 2018", "the member scale from 2018"),
}

#: Why a comparison across two rating scales is refused (:mod:`helpers.inference.battery_inputs` builds the
#: refused row's note and sentences from these): ``{0}`` and ``{1}`` are the two scale ids, ``{2}`` the contrast.
#: The English is the ``note`` of results.csv; :data:`helpers.export.glossary.NOTE_PATTERNS` reads it back
#: (:func:`note_pattern`) and a display puts it into words of the study's language, keys included.
SCALE_NOTES: dict[str, tuple[str, str]] = {
    "scales_differ": (
        "hai năm dùng hai thang xếp loại khác nhau ({0} và {1}); mức cao nhất (TSVM trước 2018, HTXSNV từ 2018) "
        "không so sánh được, nên không so sánh toàn bộ các mức. Hãy chọn một phép so sánh hài hòa "
        "(ví dụ good_or_better)",
        "the two years use different rating scales ({0} vs {1}); the top level (TSVM before 2018, HTXSNV from "
        "2018) is not comparable, so the full categories are not compared. Name a harmonised contrast "
        "(e.g. good_or_better)"),
    "contrast_not_equivalent": (
        "phép so sánh '{2}' đặt mức cao nhất của {0} cạnh mức cao nhất của {1}, hai mức này không tương đương "
        "(TSVM ≈ một nửa số tổ chức, HTXSNV hiếm): so sánh bị từ chối",
        "contrast '{2}' sets the top level of {0} against that of {1}; they are not equivalent (TSVM went to "
        "about half of all organisations, HTXSNV is rare): comparison refused"),
}


def note_pattern(template: str) -> str:
    """The regular expression that reads a note written from ``template`` back: group ``g<i>`` for ``{i}``.

    >>> re.fullmatch(note_pattern("contrast '{2}' of {0}"), "contrast 'top_vs_rest' of org-2008").groupdict()
    {'g2': 'top_vs_rest', 'g0': 'org-2008'}
    """
    parts = re.split(r"\{(\d)\}", template)
    return "".join(re.escape(p) if i % 2 == 0 else f"(?P<g{p}>[\\w-]+)" for i, p in enumerate(parts))


def code_label(code: str | None, language: str, fallback: str = "") -> str:
    """The short printed name of a rating code (:data:`CODES`), or ``fallback`` when the code is unknown.

    >>> code_label("TSVM_TB", "vi")
    'TSVM tiêu biểu'
    """
    check_language(language)
    if code in CODES:
        return CODES[code][0 if language == "vi" else 1]
    return fallback or (code or "")


def as_label(words: str) -> str:
    """``words`` as they start a label or a legend entry: first letter upper-case, the rest untouched.

    >>> as_label("yếu kém / KHTNV")
    'Yếu kém / KHTNV'
    """
    return words[:1].upper() + words[1:]


def by_language(table: dict[str, tuple[str, str]], label: bool = False) -> dict[str, dict[str, str]]:
    """``{key: {"vi": …, "en": …}}`` of a ``key: (vi, en)`` table (the shape the theme's tables have);
    with ``label``, each word as :func:`as_label` writes it."""
    shape = as_label if label else str
    return {key: {"vi": shape(vi), "en": shape(en)} for key, (vi, en) in table.items()}
