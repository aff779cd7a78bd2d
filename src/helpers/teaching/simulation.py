"""A regression-to-the-mean simulation for lesson 4: weak units picked for repair, and nothing done."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


#: Columns of :attr:`RegressionToMeanSimulation.units`.
SIMULATION_UNIT_COLUMNS = ["unit_id", "quality", "score_before", "score_after", "rating_before", "rating_after",
                           "picked", "change"]
#: Columns of :attr:`RegressionToMeanSimulation.summary`.
SIMULATION_SUMMARY_COLUMNS = ["group", "n", "improved", "same", "worsened", "share_improved", "mean_change"]
#: Shares of the four common levels (fail, pass, good, top) the simulated ratings are cut into.
SIMULATION_LEVEL_SHARES = (0.05, 0.20, 0.45, 0.30)
SIMULATION_GROUPS = {
    "picked": ("đơn vị được chọn củng cố", "units picked for repair"),
    "same_start": ("đơn vị yếu không được chọn (cùng mức xuất phát)", "weak units not picked (same starting ratings)"),
    "others": ("các đơn vị còn lại", "all other units"),
}


@dataclass(frozen=True)
class RegressionToMeanSimulation:
    """A simulated province where weak units are picked for repair and nothing is done.

    Attributes
    ----------
    units : DataFrame
        One row per unit, columns :data:`SIMULATION_UNIT_COLUMNS`; ratings are the
        common order 0 (fail) … 3 (top); ``change`` = rating_after − rating_before.
    summary : DataFrame
        One row per group, columns :data:`SIMULATION_SUMMARY_COLUMNS`: ``picked``;
        ``same_start``, the weak units (two lowest levels in year one) that were not
        picked — since the picked units are drawn at random from the same weak pool,
        they share its starting ratings in expectation; ``others``, every other unit.
    parameters : dict
        The arguments of the run (so a rerun is exact).
    """

    units: Any
    summary: Any
    parameters: dict

    def to_frame(self):
        """The summary table."""
        return self.summary

    def table(self, language: str = "vi"):
        """The summary with group names and percentages in words, for display."""
        from helpers.numbers import format_number, format_percent

        frame = self.summary.copy()
        frame["group"] = [SIMULATION_GROUPS[g][0 if language == "vi" else 1] for g in frame["group"]]
        frame["share_improved"] = [format_percent(100 * s, 1, language) for s in frame["share_improved"]]
        frame["mean_change"] = [format_number(m, 2, language) for m in frame["mean_change"]]
        return frame


def simulate_regression_to_mean(n_units: int = 500, n_picked: int = 40, noise: float = 0.6, effect: float = 0.0,
                                seed: int = 2016) -> RegressionToMeanSimulation:
    """Simulate two yearly ratings of a province, picking weak units for repair after the first.

    Each unit has a fixed true quality ``q ~ N(0, 1)``; its yearly score is
    ``q + e`` with ``e ~ N(0, noise²)`` drawn afresh each year (how far one year's
    review misses the unit's real quality). Scores are cut into four levels with the
    shares :data:`SIMULATION_LEVEL_SHARES`. After year one, ``n_picked`` units are
    drawn at random among those rated at the two lowest levels — the Lạng Sơn rule
    of repairing weak units — and get ``effect`` added to their next score (0 by
    default: no help at all). Units picked because their rating was low improve on
    average anyway, because part of a low rating was bad luck that does not repeat
    (regression to the mean); weak units that were not picked improve just as much.

    Parameters
    ----------
    n_units : int
        Units in the province (≥ 10).
    n_picked : int
        Units picked for repair, at most the number rated weak in year one.
    noise : float
        Standard deviation of the yearly error relative to true quality (≥ 0).
    effect : float
        True effect of the repair on the score (in standard deviations of quality).
    seed : int
        Seed of the random generator; the same arguments give the same result.

    Returns
    -------
    RegressionToMeanSimulation

    Raises
    ------
    ValueError
        Naming the argument that is out of range.

    References
    ----------
    Barnett, A. G., van der Pols, J. C., & Dobson, A. J. (2005). Regression to the mean:
    what it is and how to deal with it. *International Journal of Epidemiology*, 34(1),
    215–220. https://doi.org/10.1093/ije/dyh299

    Examples
    --------
    >>> sim = simulate_regression_to_mean(seed=1)
    >>> list(sim.summary["group"])
    ['picked', 'same_start', 'others']
    """
    import numpy as np
    import pandas as pd
    from scipy.stats import norm

    for name, value, low in (("n_units", n_units, 10), ("n_picked", n_picked, 1), ("seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"'{name}' must be an integer ≥ {low} (got {value!r}).")
    for name, value in (("noise", noise), ("effect", effect)):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"'{name}' must be a finite number (got {value!r}).")
    if noise < 0:
        raise ValueError(f"'noise' must be ≥ 0 (got {noise!r}).")
    rng = np.random.default_rng(seed)
    quality = rng.normal(0.0, 1.0, n_units)
    before = quality + rng.normal(0.0, noise, n_units)
    after_noise = rng.normal(0.0, noise, n_units)
    spread = math.sqrt(1.0 + noise**2)
    cuts = norm.ppf(np.cumsum(SIMULATION_LEVEL_SHARES)[:-1]) * spread
    rating_before = np.searchsorted(cuts, before)
    weak = np.flatnonzero(rating_before <= 1)
    if n_picked > len(weak):
        raise ValueError(f"'n_picked' must be at most the {len(weak)} units rated weak in year one "
                         f"(got {n_picked}).")
    picked = np.zeros(n_units, dtype=bool)
    picked[rng.choice(weak, size=n_picked, replace=False)] = True
    after = quality + after_noise + np.where(picked, effect, 0.0)
    rating_after = np.searchsorted(cuts, after)
    units = pd.DataFrame({
        "unit_id": np.arange(1, n_units + 1), "quality": quality, "score_before": before, "score_after": after,
        "rating_before": rating_before, "rating_after": rating_after, "picked": picked,
        "change": rating_after - rating_before,
    }, columns=SIMULATION_UNIT_COLUMNS)
    groups = {
        "picked": units["picked"],
        "same_start": ~units["picked"] & (units["rating_before"] <= 1),
        "others": ~units["picked"] & (units["rating_before"] > 1),
    }
    rows = []
    for group, mask in groups.items():
        part = units[mask]
        rows.append({
            "group": group, "n": len(part), "improved": int((part["change"] > 0).sum()),
            "same": int((part["change"] == 0).sum()), "worsened": int((part["change"] < 0).sum()),
            "share_improved": float((part["change"] > 0).mean()) if len(part) else math.nan,
            "mean_change": float(part["change"].mean()) if len(part) else math.nan,
        })
    summary = pd.DataFrame(rows, columns=SIMULATION_SUMMARY_COLUMNS)
    parameters = {"n_units": n_units, "n_picked": n_picked, "noise": noise, "effect": effect, "seed": seed}
    return RegressionToMeanSimulation(units=units, summary=summary, parameters=parameters)
