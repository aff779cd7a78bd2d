"""How the pilots were chosen decides which tests can answer "did the programme work?".

A study declares its *design* under ``panel.pilots.selection`` and, optionally, its *claims*
at the top level. This module reads and checks both, and knows for each design which
comparisons are valid and, in words (vi, en), why the others are biased.

The ``selection`` field (under ``panel.pilots``)
------------------------------------------------
::

    panel:
      pilots:
        file: example-panel/pilots.csv
        selection: unknown           # default: nobody wrote down how pilots were chosen
        # selection: random          # drawn by lot among the units
        # selection: {on: rating, years: [2015], rule: "the 40 weakest units of 2015"}

The ``claims`` field (top level, optional)
------------------------------------------
::

    claims:
      - id: pilots-improved-more     # required; lower case, digits, '-'
        from: 2015                   # optional: last year of the comparison history
                                     #   (default: the last year before the programme starts)
        to: 2019                     # optional: end year (default: programme end, or the panel's last year)
        label: {vi: "...", en: "..."}
        kind: pilots                 # optional: pilots (the default) | ratings-changed

A study with a panel and pilots but no ``claims`` gets :data:`DEFAULT_CLAIM_ID` with the
defaults above ("did the pilots improve more than comparable units?"). A study of published
totals about pilots (``totals`` or ``reference`` analyses) gets the same claim, answered "these
data cannot tell" with what the totals do show. A study with no pilots at all whose analyses
compare years (``compare-years``) gets :data:`CHANGE_CLAIM_ID` instead, of kind
``ratings-changed``: "did the area's ratings change between the years?", answered by its
harmonised comparison (never a claim about a programme). A study with neither (e.g. one
that only checks printed numbers) has no claim and no verdict.

Designs and their tests
-----------------------
=========  ===========================================  =============================================
design     primary comparison (valid)                   kept only as description (biased), and why
=========  ===========================================  =============================================
random     end-year rating, pilots vs non-pilots with   before/after on pilots alone
           the same last pre-programme rating (no
           year before the programme: pilots vs every
           non-pilot, one stratum)
rating     end-year rating, pilots vs non-pilots with   before/after on pilots; pilots vs the rest;
           the same rating history (every year up to    change scores (DiD); matching on one year
           ``from``; the declared years when that
           leaves too few matches)
unknown    as ``rating`` (valid whenever the choice     as ``rating``
           used only earlier ratings and chance)
=========  ===========================================  =============================================
"""

from __future__ import annotations

from dataclasses import dataclass

from helpers.errors import Problem
from helpers.study import model as _model
from helpers.study.model import problems_of
from helpers.inference.results import Reason

SELECTION_KINDS = ("unknown", "random", "rating")
DEFAULT_CLAIM_ID = "pilots-improved-more"
CHANGE_CLAIM_ID = "ratings-changed"
CLAIM_KINDS = ("pilots", "ratings-changed")
#: The keys of a claim, as the study-file model declares them (:class:`helpers.study.model.Claim`).
CLAIM_KEYS = _model.fields(_model.Claim)


@dataclass(frozen=True)
class Selection:
    """How the pilots were chosen: ``kind`` in :data:`SELECTION_KINDS`; ``years`` for ``rating``."""

    kind: str = "unknown"
    years: tuple[int, ...] = ()
    rule: str = ""


@dataclass(frozen=True)
class Claim:
    """One claim to answer; ``from_year``/``to_year`` None = the defaults of the module docstring."""

    id: str = DEFAULT_CLAIM_ID
    from_year: int | None = None
    to_year: int | None = None
    label: Reason | None = None
    kind: str = "pilots"             #: one of :data:`CLAIM_KINDS`


def _is_year(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _mapping(value):
    """A selection mapping with YAML 1.1's ``on:`` (read as the boolean True) given back its name."""
    if isinstance(value, dict):
        return {("on" if k is True else k): v for k, v in value.items()}
    return value


def read_selection(panel: dict | None) -> Selection:
    """The declared :class:`Selection` of a (checked) ``panel:`` section; ``unknown`` when none is given."""
    pilots = (panel or {}).get("pilots") or {}
    value = _mapping(pilots.get("selection", "unknown") if isinstance(pilots, dict) else "unknown")
    if isinstance(value, dict):
        return Selection("rating", tuple(int(y) for y in value.get("years", [])), str(value.get("rule", "")))
    return Selection(str(value))


def default_claims(raw: dict) -> tuple[Claim, ...]:
    """The claims of a study that names none (module docstring): by what its data can speak to.

    Examples
    --------
    >>> default_claims({"analyses": [{"design": "compare-years"}]})[0].kind
    'ratings-changed'
    >>> default_claims({"published": ["x.csv"]})
    ()
    """
    if raw.get("panel") is not None:
        return (Claim(),)
    designs_used = {e.get("design") for e in raw.get("analyses") or [] if isinstance(e, dict)}
    if designs_used & {"totals", "reference", "paired", "two-sample", "did", "baseline", "repeated"}:
        return (Claim(),)
    if "compare-years" in designs_used:
        return (Claim(CHANGE_CLAIM_ID, kind="ratings-changed"),)
    return ()


def read_claims(raw: dict) -> tuple[Claim, ...]:
    """The study's claims (:func:`default_claims` when ``claims`` is absent or empty)."""
    entries = raw.get("claims")
    if not entries:
        return default_claims(raw)
    claims = []
    for entry in entries:
        label = entry.get("label")
        claims.append(Claim(str(entry.get("id", DEFAULT_CLAIM_ID)), entry.get("from"), entry.get("to"),
                            Reason(label["vi"], label["en"]) if isinstance(label, dict) else None,
                            str(entry.get("kind", "pilots"))))
    return tuple(claims)


def check_design(raw: dict, study_file) -> list[Problem]:
    """Every problem of ``panel.pilots.selection`` and ``claims`` in a study mapping, at once.

    The shape, types and allowed values (an unknown kind, ``on`` other than ``rating``, an unknown
    key) come from the study-file model (:mod:`helpers.study.model`); checked here: a selection year
    or claim year outside ``panel.years``, duplicate claim ids, ``to`` not after ``from``. Each
    problem names the file and the field.

    Examples
    --------
    >>> raw = {"panel": {"years": [2014, 2021], "pilots": {"selection": {"on": "rating", "years": [2012]}}}}
    >>> print(check_design(raw, "studies/x.yaml")[0])  # doctest: +ELLIPSIS
    studies/x.yaml, field 'panel.pilots.selection.years': ...2012...
    """
    file = str(study_file)
    problems: list[Problem] = []

    def bad(field, rule, value=None):
        problems.append(Problem(file=file, column=field, kind="field", value=value, rule=rule))

    panel = raw.get("panel") if isinstance(raw.get("panel"), dict) else None
    years = panel.get("years") if panel else None
    span = (years[0], years[1]) if (isinstance(years, list) and len(years) == 2
                                    and all(_is_year(y) for y in years)) else None

    def check_year(field, value):
        if not _is_year(value):
            bad(field, "must be a year (an integer)", value)
        elif span and not span[0] <= value <= span[1]:
            bad(field, f"year {value} is outside the panel's years {span[0]}–{span[1]} (panel.years)", value)

    pilots = (panel or {}).get("pilots")
    if isinstance(pilots, dict) and "selection" in pilots:
        value = _mapping(pilots["selection"])
        where = "panel.pilots.selection"
        problems += problems_of(_model.Pilots.model_fields["selection"].annotation, value, file, where)
        chosen = value.get("years") if isinstance(value, dict) else None
        if isinstance(chosen, list) and f"{where}.years" not in {p.column for p in problems}:
            for year in chosen:
                check_year(f"{where}.years", year)
    claims = raw.get("claims")
    if claims is not None:
        problems += problems_of(list[_model.Claim], claims, file, "claims")
        said = {p.column for p in problems}
        seen = set()
        for i, entry in enumerate(claims if isinstance(claims, list) else [], start=1):
            where = f"claims[{i}]"
            if not isinstance(entry, dict):
                continue
            cid = entry.get("id")
            if isinstance(cid, str) and cid in seen:
                bad(f"{where}.id", "duplicate id", cid)
            seen.add(cid)
            for key in ("from", "to"):
                if key in entry and f"{where}.{key}" not in said:
                    check_year(f"{where}.{key}", entry[key])
            if _is_year(entry.get("from")) and _is_year(entry.get("to")) and entry["from"] >= entry["to"]:
                bad(f"{where}.to", f"must be after 'from' ({entry['from']})", entry["to"])
            if entry.get("kind") == "ratings-changed" and panel is not None:
                bad(f"{where}.kind", "'ratings-changed' answers a study of published totals compared between "
                    "years (compare-years analyses), not a panel study; use kind 'pilots'", entry["kind"])
    return problems


# ---------------------------------------------------------------- which comparison is valid under which design

#: Comparisons a claim or an analysis can make (keys used in :func:`bias`).
COMPARISONS = ("history", "last_year", "end_vs_rest", "change", "before_after", "province")

_BEFORE_AFTER = Reason(
    "chỉ so đơn vị làm điểm với chính nó: thay đổi quy định, xu hướng chung hay hồi quy về trung bình (đơn vị "
    "được chọn vì yếu thì năm sau thường khá lên dù không được giúp) đều trông như tác động của làm điểm",
    "it compares the pilots only with themselves: a change of rules, a general trend or regression to the mean "
    "(units picked for being weak tend to do better the next year even without help) all look like a "
    "programme effect")
_END_VS_REST = Reason(
    "đơn vị làm điểm đã khác các đơn vị còn lại từ trước khi làm điểm (chúng được chọn theo đó), nên khác biệt "
    "ở năm cuối không nói lên tác động của làm điểm",
    "the pilots differed from the other units before the programme (they were chosen on it), so a difference "
    "at the end says nothing about the programme")
_CHANGE = Reason(
    "đơn vị được chọn theo xếp loại trước khi làm điểm sẽ hồi quy về trung bình: mức thay đổi của chúng khác "
    "đơn vị khác ngay cả khi không có làm điểm",
    "units chosen on a pre-programme rating regress to the mean: their change differs from other units' even "
    "without a programme")
_PROVINCE = Reason(
    "so với toàn tỉnh không có đơn vị cùng mức xuất phát; đơn vị làm điểm có thể đã khác toàn tỉnh từ trước",
    "the province as a whole holds no units with the same starting ratings; the pilots may have differed from "
    "it before the programme")


def _one_year(year, selection: Selection) -> Reason | None:
    if selection.kind == "random":
        return None
    if selection.kind == "rating" and set(selection.years) <= {year}:
        return None
    if selection.kind == "rating":
        shown = ", ".join(map(str, selection.years))
        return Reason(f"chỉ so với đơn vị cùng xếp loại năm {year}, nhưng đơn vị làm điểm được chọn theo xếp loại "
                      f"năm {shown}: đơn vị giống nhau năm {year} vẫn khác nhau năm {shown} và hồi quy khác nhau",
                      f"it matches units on {year} only, but the pilots were chosen on their {shown} ratings: units "
                      f"alike in {year} still differ in {shown} and regress differently")
    return Reason(f"chỉ so với đơn vị cùng xếp loại năm {year}, trong khi không rõ đơn vị làm điểm được chọn theo "
                  "năm nào: nếu theo năm khác thì so sánh này lệch",
                  f"it matches units on {year} only, while nobody recorded which years' ratings chose the pilots: "
                  "if they were chosen on another year this comparison is biased")


def bias(comparison: str, selection: Selection, year: int | None = None) -> Reason | None:
    """Why ``comparison`` is biased under ``selection`` (None when it is valid there).

    ``year`` is the matching year of ``last_year`` (one baseline year).
    """
    if comparison not in COMPARISONS:
        raise ValueError(f"'comparison' must be one of {', '.join(COMPARISONS)} (got {comparison!r}).")
    if comparison == "history":
        return None
    if comparison == "before_after":
        return _BEFORE_AFTER
    if comparison == "province":
        return _PROVINCE
    if comparison == "last_year":
        return _one_year(year, selection)
    if selection.kind == "random":
        return None
    return _END_VS_REST if comparison == "end_vs_rest" else _CHANGE


def analysis_comparison(entry: dict) -> tuple[str, int | None] | None:
    """Which comparison an ``analyses:`` entry makes (and its matching year), or None for no pilot claim."""
    design = entry.get("design")
    if design in ("totals", "paired", "repeated"):
        return "before_after", None
    if design == "two-sample":
        return "end_vs_rest", None
    if design == "reference":
        return "province", None
    if design == "did":
        return "change", None
    if design == "baseline" and isinstance(entry.get("years"), list) and entry["years"]:
        return "last_year", entry["years"][0]
    return None


def primary_words(selection: Selection) -> Reason:
    """One sentence: why the primary comparison is the valid one under ``selection``."""
    if selection.kind == "random":
        return Reason("Đơn vị làm điểm được chọn ngẫu nhiên: so với đơn vị không làm điểm có cùng xếp loại năm "
                      "trước khi làm điểm là so sánh không lệch (và chính xác hơn so sánh thô).",
                      "The pilots were drawn at random: comparing them with non-pilots of the same pre-programme "
                      "rating is unbiased (and more precise than a raw comparison).")
    how = (f"theo xếp loại năm {', '.join(map(str, selection.years))}" if selection.kind == "rating"
           else "theo cách không được ghi lại")
    how_en = (f"on their {', '.join(map(str, selection.years))} ratings" if selection.kind == "rating"
              else "in a way nobody recorded")
    return Reason(f"Đơn vị làm điểm được chọn {how}: chỉ so với đơn vị không làm điểm có cùng lịch sử xếp loại "
                  "trước khi làm điểm mới loại được hồi quy về trung bình (hợp lệ nếu việc chọn chỉ dựa vào các "
                  "xếp loại đó).",
                  f"The pilots were chosen {how_en}: only a comparison with non-pilots that had the same "
                  "pre-programme rating history removes regression to the mean (valid if the choice used only "
                  "those ratings).")
