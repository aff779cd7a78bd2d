"""The words of the rating scales, in Vietnamese and English: levels, rating codes, contrasts, scales.

Part of the one vocabulary of the project (:mod:`helpers.export.glossary` re-exports every
name here; import it from there). Figures, tables and the teaching displays all read the
level and code words from this module, so a level is spelled the same everywhere:
:mod:`helpers.export.theme` builds its ``LEVEL_LABELS``, ``CODE_LABELS`` and ``CODE_NAMES``
from these tables instead of keeping its own.

Entries are ``key: (vi, en)``, as in the rest of the glossary.
"""

from __future__ import annotations

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
