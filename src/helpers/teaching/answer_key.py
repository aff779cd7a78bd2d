"""The answer key: exercises.yaml read and checked, and expected answers computed from the helpers.

The expected answers are *not* in the lesson notebooks: they are described in
``src/helpers/data/exercises.yaml`` and, where possible, computed here from the
project's own helpers (a base from :func:`helpers.published.recover_bases`, a
p-value from :mod:`helpers.inference`, a simulated share from
:func:`helpers.teaching.simulation.simulate_regression_to_mean`). A stored value
carries its source (the article's sentence or a hand computation) in the YAML file.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable

from helpers import paths
from helpers.teaching.parse import normalise_choice
from helpers.teaching.simulation import simulate_regression_to_mean

#: The exercises file (answers as data).
EXERCISES_FILE = paths.PACKAGE_DATA / "exercises.yaml"
#: Kinds of exercise answers.
KINDS = ("count", "number", "percent", "proportion", "choice", "text")

#: Functions that compute expected answers from the project's helpers; exercises.yaml names them.
COMPUTERS: dict[str, Callable[..., Any]] = {}


def _computer(name: str):
    def register(function):
        COMPUTERS[name] = function
        return function
    return register


@_computer("rounded_percent")
def _rounded_percent(count: int, base: int, decimals: int = 2) -> Fraction:
    """The percentage ``100·count/base`` printed with ``decimals`` decimals (half-up)."""
    from helpers.published.rounding import round_fraction

    return round_fraction(Fraction(100 * count, base), decimals, "half_up")


@_computer("smallest_base")
def _smallest_base(percents: list[str], exhaustive: bool = False) -> int:
    """The smallest base that reproduces every printed percentage."""
    from helpers.published import recover_bases

    return recover_bases(percents, exhaustive=exhaustive)[0].base


@_computer("remainder_at_smallest_base")
def _remainder_at_smallest_base(percents: list[str]) -> int:
    """Units left outside the printed categories at the smallest base (base − Σ implied counts)."""
    from helpers.published import recover_bases

    first = recover_bases(percents)[0]
    return first.base - sum(first.counts)


def _good_and_base(study: str, table_id: str, codes: list[str]) -> tuple[int, int]:
    """Units rated in ``codes`` (printed counts; nested "trong đó" rows left out) and the table's total."""
    from helpers.published import read_published
    from helpers.study import load_study

    table = read_published(load_study(study).published)
    rows = table[table["table_id"] == table_id]
    if rows.empty:
        raise ValueError(f"published table {table_id!r} not found in study {study!r}")
    is_total = rows["is_total"].fillna(False).astype(bool)
    totals = rows.loc[is_total, "count"].dropna()
    base = int(totals.iloc[0]) if len(totals) else int(rows["base"].dropna().iloc[0])
    parts = rows[rows["rating_code"].isin(codes) & ~is_total & rows["parent"].fillna("").astype(str).eq("")]
    return int(parts["count"].dropna().sum()), base


@_computer("published_share")
def _published_share(study: str, table_id: str, codes: list[str]) -> Fraction:
    """Percentage (0–100, exact) of a published table's units rated in ``codes``, from printed counts."""
    good, base = _good_and_base(study, table_id, codes)
    return Fraction(100 * good, base)


@_computer("harmonised_p")
def _harmonised_p(study: str, before: str, after: str, good_before: list[str], good_after: list[str]) -> float:
    """Exact Fisher p-value of 'good or better' vs the rest, table ``before`` vs table ``after``."""
    from helpers.inference.contingency import fisher_freeman_halton_p

    g1, n1 = _good_and_base(study, before, good_before)
    g2, n2 = _good_and_base(study, after, good_after)
    return float(fisher_freeman_halton_p([[g1, n1 - g1], [g2, n2 - g2]])[0])


@_computer("harmonised_p_text")
def _harmonised_p_text(language: str = "vi", **args) -> str:
    """:func:`_harmonised_p` as an article prints it."""
    from helpers.numbers import format_p_value

    return format_p_value(_harmonised_p(**args), language)


@_computer("sign_test_p")
def _sign_test_p(improved: int, worsened: int, unchanged: int = 0) -> float:
    """Exact two-sided sign-test p-value (:func:`helpers.inference.paired.sign_test`)."""
    from helpers.inference.paired import sign_test

    return float(sign_test(improved, worsened, unchanged)["p_value"].iloc[0])


@_computer("paired_range_p_max")
def _paired_range_p_max(before: list[int], after: list[int], test: str = "exact sign test") -> float:
    """Largest p-value of a paired test over every joint table with the printed margins."""
    from helpers.inference.totals import paired_range

    frame = paired_range(before, after).to_frame()
    return float(frame.loc[frame["test"] == test, "p_max"].iloc[0])


@_computer("unpaired_p")
def _unpaired_p(before: list[int], after: list[int]) -> float:
    """Exact Fisher–Freeman–Halton p-value treating the two years as independent samples."""
    from helpers.inference.contingency import fisher_freeman_halton_p

    table = [[b for b, a in zip(before, after) if b or a], [a for b, a in zip(before, after) if b or a]]
    return float(fisher_freeman_halton_p(table)[0])


@_computer("sign_test_power")
def _sign_test_power(n: int, p_improve: float, alpha: float = 0.05) -> float:
    """Power of the exact two-sided sign test (:func:`helpers.inference.power.sign_test_power`)."""
    from helpers.inference.power import sign_test_power

    return float(sign_test_power(n, p_improve, alpha))


@_computer("sign_test_mde")
def _sign_test_mde(n: int, power: float = 0.8, alpha: float = 0.05) -> float:
    """Minimum detectable share of improvers (:func:`helpers.inference.power.minimum_detectable_share`)."""
    from helpers.inference.power import minimum_detectable_share

    return float(minimum_detectable_share(n, alpha=alpha, power=power))


@_computer("min_units_option")
def _min_units_option(n: int, options: dict, alpha: float = 0.05) -> str:
    """The option whose number is :func:`helpers.inference.power.min_units_same_direction` (n, alpha)."""
    from helpers.inference.power import min_units_same_direction

    needed = min_units_same_direction(n, alpha)
    return next(letter for letter, value in options.items() if value == needed)


@_computer("rtm_share_improved")
def _rtm_share_improved(group: str = "picked", **options) -> Fraction:
    """Share of a simulated group whose rating rose the next year (see :func:`simulate_regression_to_mean`)."""
    summary = simulate_regression_to_mean(**options).summary
    row = summary[summary["group"] == group].iloc[0]
    return Fraction(int(row["improved"]), int(row["n"]))


@_computer("rtm_noise_direction")
def _rtm_noise_direction(noise_low: float, noise_high: float, **options) -> str:
    """'tăng' when the picked units improve more often under the noisier rating, else 'giảm'."""
    low = _rtm_share_improved(noise=noise_low, **options)
    high = _rtm_share_improved(noise=noise_high, **options)
    return "tăng" if high > low else "giảm"


@dataclass(frozen=True)
class Exercise:
    """One exercise as described in exercises.yaml (the expected value is computed on demand)."""

    id: str
    lesson: str
    kind: str
    question_vi: str
    question_en: str
    hint_vi: str
    hint_en: str
    expected_spec: dict = field(repr=False)
    tolerance: float = 0.0
    options: tuple[str, ...] = ()
    aliases: dict = field(default_factory=dict, repr=False)
    mistakes: tuple[dict, ...] = field(default=(), repr=False)

    @property
    def expected(self):
        """The right answer: computed from the helpers (cached) or as stored."""
        return _expected_value(self.id)


@functools.lru_cache(maxsize=1)
def _load() -> dict[str, Exercise]:
    raw = paths.read_yaml(EXERCISES_FILE) or {}
    exercises = {}
    problems = []
    for exercise_id, spec in (raw.get("exercises") or {}).items():
        kind = spec.get("kind")
        if kind not in KINDS:
            problems.append(f"{exercise_id}: 'kind' must be one of {', '.join(KINDS)} (got {kind!r})")
            continue
        expected = spec.get("expected")
        if not isinstance(expected, dict) or not ({"value", "compute"} & set(expected)):
            problems.append(f"{exercise_id}: 'expected' must hold 'value' (with 'source') or 'compute'")
            continue
        if "value" in expected and not expected.get("source"):
            problems.append(f"{exercise_id}: a stored expected value needs its 'source'")
        if "compute" in expected and expected["compute"] not in COMPUTERS:
            problems.append(f"{exercise_id}: unknown compute {expected['compute']!r}; known: {', '.join(COMPUTERS)}")
        exercises[exercise_id] = Exercise(
            id=exercise_id, lesson=spec.get("lesson", ""), kind=kind,
            question_vi=spec.get("question_vi", ""), question_en=spec.get("question_en", ""),
            hint_vi=spec.get("hint_vi", ""), hint_en=spec.get("hint_en", ""), expected_spec=expected,
            tolerance=float(spec.get("tolerance", 0)), options=tuple(str(o) for o in spec.get("options", ())),
            aliases={normalise_choice(k): normalise_choice(v) for k, v in (spec.get("aliases") or {}).items()},
            mistakes=tuple(spec.get("mistakes") or ()),
        )
    if problems:
        raise ValueError(f"{EXERCISES_FILE.name} has problems:\n  - " + "\n  - ".join(problems))
    return exercises


def exercises() -> dict[str, Exercise]:
    """Every exercise of exercises.yaml, by id."""
    return dict(_load())


def get_exercise(exercise_id: str) -> Exercise:
    """The exercise ``exercise_id``; ValueError listing the known ids when there is none."""
    known = _load()
    if exercise_id not in known:
        raise ValueError(f"unknown exercise {exercise_id!r}; known exercises: {', '.join(sorted(known))}")
    return known[exercise_id]


@functools.lru_cache(maxsize=None)
def _expected_value(exercise_id: str):
    spec = get_exercise(exercise_id).expected_spec
    if "compute" in spec:
        return COMPUTERS[spec["compute"]](**(spec.get("args") or {}))
    return spec["value"]


def expected_answer(exercise_id: str):
    """The expected answer of an exercise (for instructors and tests; never shown by :func:`check_answer`)."""
    return _expected_value(exercise_id)
