"""Rating scales of party organisations and members, read from ``data/scales.yaml``.

The scales are data, not code branches: the years a scale applies to, its ordered
levels, their labels, abbreviations and known variants, the 100-point bands of
2025 and the crosswalk to one common order ``fail < pass < good < top`` all live
in :file:`src/helpers/data/scales.yaml`. A user adds a scale or a label variant by
editing that file; :func:`load_scales` checks it and names the field a bad edit
breaks.

The crosswalk carries one rule that every cross-year comparison must respect:
the top level is **not comparable across 2018** (TSVM went to about half of all
organisations, HTXSNV is meant to be rare). :func:`comparable` answers whether
one common level may be compared between two scales, and a study names one of
the harmonised :func:`contrast` definitions (``good_or_better``,
``pass_or_better``, ``fail_vs_rest``, ``top_vs_rest``) to compare across a scale
change; :meth:`Contrast.valid_between` refuses a contrast that would compare
non-comparable levels.

Examples
--------
>>> scale_for(2017).id, scale_for(2018).id, scale_for(2025).id
('org-2008', 'org-2018', 'org-2025')
>>> comparable("org-2008", "org-2018", "top"), comparable("org-2008", "org-2018", "good")
(False, True)
>>> contrast("good_or_better").valid_between("org-2008", "org-2018")
True
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from helpers import paths
from helpers.errors import InputError, Problem

#: The common order every scale is crosswalked to, lowest first (``rating_order`` 0..3).
COMMON_ORDER = ("fail", "pass", "good", "top")
UNITS = ("organisation", "member")
#: Columns of :meth:`Scale.to_frame`.
LEVEL_COLUMNS = ["scale", "unit", "year_from", "year_to", "code", "label_vi", "label_en", "abbreviation",
                 "common", "rating_order", "subset_of", "score_min", "score_max"]

SCALES_FILE = paths.PACKAGE_DATA / "scales.yaml"


@dataclass(frozen=True)
class Level:
    """One level of a rating scale.

    ``common`` is its place in the common order (``fail``/``pass``/``good``/``top``),
    ``order`` the matching integer 0..3. ``subset_of`` names the level this one is a
    part of (``TSVM_TB`` is a part of ``TSVM``). ``score_min``/``score_max`` give the
    100-point band (min inclusive, max exclusive except for 100) where defined.
    """

    code: str
    label_vi: str
    label_en: str
    abbreviation: str | None
    common: str
    variants: tuple[str, ...] = ()
    subset_of: str | None = None
    score_min: Fraction | None = None
    score_max: Fraction | None = None

    @property
    def order(self) -> int:
        return COMMON_ORDER.index(self.common)

    def label(self, language: str = "vi") -> str:
        return self.label_vi if language == "vi" else self.label_en


@dataclass(frozen=True)
class Scale:
    """A rating scale: the unit it rates, the years it applies to, its ordered levels.

    ``levels`` run from the lowest to the highest; a subset level (``TSVM_TB``)
    follows the level it is part of.
    """

    id: str
    unit: str
    year_from: int | None
    year_to: int | None
    levels: tuple[Level, ...]
    label_vi: str = ""
    label_en: str = ""
    rules: str = ""

    def covers(self, year: int) -> bool:
        """True when the scale applies to ``year``."""
        return (self.year_from is None or year >= self.year_from) and (self.year_to is None or year <= self.year_to)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(level.code for level in self.levels)

    def level(self, code: str) -> Level:
        """The level with ``code``; ValueError naming the scale's codes otherwise."""
        for level in self.levels:
            if level.code == code:
                return level
        raise ValueError(f"'code' must be one of {', '.join(self.codes)} for scale {self.id} (got {code!r}).")

    @property
    def has_scores(self) -> bool:
        return any(level.score_min is not None for level in self.levels)

    def level_for_score(self, score) -> Level:
        """The level whose 100-point band holds ``score`` (0 ≤ score ≤ 100).

        Raises ValueError when the scale has no bands or the score is outside 0–100.
        """
        if not self.has_scores:
            raise ValueError(f"scale {self.id} has no 100-point bands; 'score' cannot be mapped to a level.")
        value = Fraction(str(score)) if not isinstance(score, (int, Fraction)) else Fraction(score)
        if not 0 <= value <= 100:
            raise ValueError(f"'score' must be between 0 and 100 (got {score!r}).")
        for level in self.levels:
            if level.score_min is None:
                continue
            upper_ok = value < level.score_max or (level.score_max == 100 and value == 100)
            if level.score_min <= value and upper_ok:
                return level
        raise ValueError(f"scale {self.id}: no band holds score {score!r}; check scales.yaml.")

    def to_frame(self) -> pd.DataFrame:
        """The levels as a table with columns :data:`LEVEL_COLUMNS`."""
        rows = [{
            "scale": self.id, "unit": self.unit, "year_from": self.year_from, "year_to": self.year_to,
            "code": lv.code, "label_vi": lv.label_vi, "label_en": lv.label_en, "abbreviation": lv.abbreviation,
            "common": lv.common, "rating_order": lv.order, "subset_of": lv.subset_of,
            "score_min": None if lv.score_min is None else str(lv.score_min),
            "score_max": None if lv.score_max is None else str(lv.score_max),
        } for lv in self.levels]
        return pd.DataFrame(rows, columns=LEVEL_COLUMNS)


@dataclass(frozen=True)
class Contrast:
    """A harmonised two-way split of the common order named by a study.

    ``positive`` holds the common levels on the "yes" side.
    """

    name: str
    label_vi: str
    label_en: str
    positive: tuple[str, ...]

    @property
    def negative(self) -> tuple[str, ...]:
        return tuple(c for c in COMMON_ORDER if c not in self.positive)

    def valid_between(self, scale_a: str, scale_b: str) -> bool:
        """True unless one side is made only of levels not comparable between the two scales."""
        for side in (self.positive, self.negative):
            if side and not any(comparable(scale_a, scale_b, c) for c in side):
                return False
        return True

    def apply(self, common: pd.Series) -> pd.Series:
        """Boolean Series: True where ``common`` is on the positive side (missing stays missing)."""
        result = common.isin(self.positive).astype("boolean")
        result[common.isna()] = pd.NA
        return result


@dataclass(frozen=True)
class _ScaleBook:
    scales: dict
    not_comparable: dict          # common -> {scale_id: group}
    reasons: dict                 # common -> (vi, en)
    contrasts: dict
    cumulative_prefixes: tuple[str, ...]
    cumulative_suffixes: tuple[str, ...]


def _fraction_or_none(value, where, problems, file):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        problems.append(Problem(file=file, column=where, value=value, rule="must be a number"))
        return None
    try:
        return Fraction(str(value))
    except ValueError:
        problems.append(Problem(file=file, column=where, value=value, rule="must be a number"))
        return None


def _parse(raw, file: str) -> _ScaleBook:
    problems: list[Problem] = []

    def bad(where, rule, value=None):
        problems.append(Problem(file=file, column=where, value=value, rule=rule))

    if not isinstance(raw, dict):
        raise InputError([Problem(file=file, rule="must be a YAML mapping with a 'scales' list")], "bad scales file")
    if tuple(raw.get("common_order", COMMON_ORDER)) != COMMON_ORDER:
        bad("common_order", f"must be {list(COMMON_ORDER)}", raw.get("common_order"))
    scales: dict[str, Scale] = {}
    for i, s in enumerate(raw.get("scales") or []):
        where = f"scales[{i}]"
        if not isinstance(s, dict):
            bad(where, "must be a mapping", s)
            continue
        sid = s.get("id")
        if not isinstance(sid, str) or not sid:
            bad(f"{where}.id", "must be a non-empty text", sid)
            continue
        if sid in scales:
            bad(f"{where}.id", "duplicate scale id", sid)
        unit = s.get("unit")
        if unit not in UNITS:
            bad(f"{sid}.unit", f"must be one of {', '.join(UNITS)}", unit)
        years = s.get("years") or {}
        y0, y1 = (years.get("from"), years.get("to")) if isinstance(years, dict) else (None, None)
        for key, y in (("from", y0), ("to", y1)):
            if y is not None and (isinstance(y, bool) or not isinstance(y, int)):
                bad(f"{sid}.years.{key}", "must be a year (integer) or null", y)
        levels = []
        seen = set()
        for j, lv in enumerate(s.get("levels") or []):
            lw = f"{sid}.levels[{j}]"
            if not isinstance(lv, dict):
                bad(lw, "must be a mapping", lv)
                continue
            code, common = lv.get("code"), lv.get("common")
            if not isinstance(code, str) or not code:
                bad(f"{lw}.code", "must be a non-empty text", code)
                continue
            if code in seen:
                bad(f"{lw}.code", "duplicate level code in this scale", code)
            seen.add(code)
            if common not in COMMON_ORDER:
                bad(f"{lw}.common", f"must be one of {', '.join(COMMON_ORDER)}", common)
                continue
            for key in ("label_vi", "label_en"):
                if not isinstance(lv.get(key), str) or not lv.get(key):
                    bad(f"{lw}.{key}", "must be a non-empty text", lv.get(key))
            variants = lv.get("variants") or []
            if not (isinstance(variants, list) and all(isinstance(v, str) for v in variants)):
                bad(f"{lw}.variants", "must be a list of texts", variants)
                variants = []
            score = lv.get("score") or {}
            smin = _fraction_or_none(score.get("min"), f"{lw}.score.min", problems, file)
            smax = _fraction_or_none(score.get("max"), f"{lw}.score.max", problems, file)
            abbreviation = lv.get("abbreviation")
            if abbreviation is not None and not isinstance(abbreviation, str):
                bad(f"{lw}.abbreviation", "must be a text or null", abbreviation)
                abbreviation = None
            levels.append(Level(code=code, label_vi=str(lv.get("label_vi")), label_en=str(lv.get("label_en")),
                                abbreviation=abbreviation, common=common, variants=tuple(variants),
                                subset_of=lv.get("subset_of"), score_min=smin, score_max=smax))
        if not levels:
            bad(f"{sid}.levels", "a scale needs at least one level")
        orders = [lv.order for lv in levels if lv.subset_of is None]
        if orders != sorted(orders):
            bad(f"{sid}.levels", "levels must run from the lowest (fail) to the highest (top)",
                [lv.code for lv in levels])
        codes = {lv.code for lv in levels}
        for lv in levels:
            if lv.subset_of is not None and lv.subset_of not in codes:
                bad(f"{sid}.{lv.code}.subset_of", "must name a level of the same scale", lv.subset_of)
        scales[sid] = Scale(id=sid, unit=unit, year_from=y0, year_to=y1, levels=tuple(levels),
                            label_vi=str(s.get("label_vi", "")), label_en=str(s.get("label_en", "")),
                            rules=str(s.get("rules", "")))
    if not scales:
        bad("scales", "the file defines no scale")
    # scales of one unit must not overlap in years
    for unit in UNITS:
        own = sorted((s for s in scales.values() if s.unit == unit),
                     key=lambda s: -10**9 if s.year_from is None else s.year_from)
        for a, b in zip(own, own[1:]):
            if a.year_to is None or b.year_from is None or a.year_to >= b.year_from:
                bad(f"{a.id}.years", f"overlaps the years of {b.id}", {"from": a.year_from, "to": a.year_to})
    not_comparable, reasons = {}, {}
    for common, spec in (raw.get("not_comparable") or {}).items():
        if common not in COMMON_ORDER:
            bad(f"not_comparable.{common}", f"must be one of {', '.join(COMMON_ORDER)}", common)
            continue
        groups = (spec or {}).get("groups") or {}
        member = {}
        for group, ids in groups.items():
            for sid in ids or []:
                if sid not in scales:
                    bad(f"not_comparable.{common}.groups.{group}", "unknown scale id", sid)
                member[sid] = group
        not_comparable[common] = member
        reasons[common] = (str(spec.get("reason_vi", "")), str(spec.get("reason_en", "")))
    contrasts = {}
    for name, spec in (raw.get("contrasts") or {}).items():
        positive = tuple((spec or {}).get("positive") or ())
        wrong = [c for c in positive if c not in COMMON_ORDER]
        if wrong or not positive or set(positive) == set(COMMON_ORDER):
            bad(f"contrasts.{name}.positive", "must list some but not all of fail, pass, good, top", list(positive))
            continue
        contrasts[name] = Contrast(name=name, label_vi=str(spec.get("label_vi", name)),
                                   label_en=str(spec.get("label_en", name)),
                                   positive=tuple(c for c in COMMON_ORDER if c in positive))
    cumulative = raw.get("cumulative") or {}
    if problems:
        raise InputError(problems, f"the rating-scale file {file} has problems")
    return _ScaleBook(scales=scales, not_comparable=not_comparable, reasons=reasons, contrasts=contrasts,
                      cumulative_prefixes=tuple(cumulative.get("prefixes") or ()),
                      cumulative_suffixes=tuple(cumulative.get("suffixes") or ()))


def _book(file: str | None = None) -> _ScaleBook:
    """The parsed scales file; ``_book()`` and ``_book(None)`` share one cache entry."""
    return _read_book(str(file) if file else str(SCALES_FILE))


@lru_cache(maxsize=4)
def _read_book(file: str) -> _ScaleBook:
    path = Path(file)
    try:
        raw = paths.read_yaml(path)
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError([Problem(file=str(path), rule=f"cannot read the rating-scale file: {exc}")],
                         "bad scales file") from None
    return _parse(raw, str(path))


def load_scales(file: str | Path | None = None) -> dict[str, Scale]:
    """Every rating scale, by id, read and checked from ``scales.yaml``.

    Parameters
    ----------
    file : path, optional
        Another scales file (tests; a user's copy). Default: the packaged file.

    Returns
    -------
    dict[str, Scale]
        ``org-2008``, ``org-2018``, ``org-2025``, ``member-2008``, ``member-2018`` in the packaged file.

    Raises
    ------
    InputError
        Naming every broken field of the file at once.
    """
    return dict(_book(str(file) if file else None).scales)


def book(file: str | Path | None = None) -> _ScaleBook:
    """The whole parsed scales file (scales, comparability groups, contrasts, cumulative words)."""
    return _book(str(file) if file else None)


def scale_for(year: int, unit: str = "organisation") -> Scale:
    """The scale that applies to ``unit`` in ``year``.

    Raises
    ------
    ValueError
        When ``unit`` is not ``'organisation'``/``'member'``, ``year`` is not an
        integer, or no scale covers the year.
    """
    if unit not in UNITS:
        raise ValueError(f"'unit' must be one of {', '.join(UNITS)} (got {unit!r}).")
    if isinstance(year, bool) or not isinstance(year, int):
        try:
            if float(year) != int(year):
                raise ValueError
            year = int(year)
        except (TypeError, ValueError):
            raise ValueError(f"'year' must be an int (got {year!r} that is a {type(year).__name__}).") from None
    for scale in _book().scales.values():
        if scale.unit == unit and scale.covers(year):
            return scale
    raise ValueError(f"no {unit} rating scale covers year {year}; add one to {SCALES_FILE}.")


def comparable(scale_a: str, scale_b: str, common: str) -> bool:
    """True when the common level ``common`` may be compared between two scales.

    A level listed under ``not_comparable`` in ``scales.yaml`` is comparable only
    between scales of the same group (``top``: before 2018 vs from 2018). Scales of
    different units (organisation vs member) are never comparable.
    """
    b = _book()
    for sid in (scale_a, scale_b):
        if sid not in b.scales:
            raise ValueError(f"unknown scale id {sid!r}; known: {', '.join(b.scales)}.")
    if common not in COMMON_ORDER:
        raise ValueError(f"'common' must be one of {', '.join(COMMON_ORDER)} (got {common!r}).")
    if b.scales[scale_a].unit != b.scales[scale_b].unit:
        return False
    groups = b.not_comparable.get(common)
    if not groups or scale_a == scale_b:
        return True
    return groups.get(scale_a, scale_a) == groups.get(scale_b, scale_b)


def comparability_note(common: str, language: str = "vi") -> str:
    """Why ``common`` is not comparable across scales ('' when it is)."""
    vi, en = _book().reasons.get(common, ("", ""))
    return vi if language == "vi" else en


def contrast(name: str) -> Contrast:
    """The harmonised contrast named ``name`` in ``scales.yaml``; ValueError listing the known names."""
    contrasts = _book().contrasts
    if name not in contrasts:
        raise ValueError(f"'contrast' must be one of {', '.join(contrasts)} (got {name!r}).")
    return contrasts[name]


def contrasts() -> dict[str, Contrast]:
    """Every harmonised contrast, by name."""
    return dict(_book().contrasts)


def levels_frame() -> pd.DataFrame:
    """All levels of all scales as one table (columns :data:`LEVEL_COLUMNS`)."""
    return pd.concat([s.to_frame() for s in _book().scales.values()], ignore_index=True)
