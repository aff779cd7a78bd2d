"""A synthetic unit-level panel for tests and benchmarks (fixed seed; describes no real place).

Each unit has a latent quality; each year's rating is the latent quality plus noise, cut
into the four common levels. Pilots are picked among units rated pass or worse in the
first year (so they regress to the mean), and get ``effect`` latent units from the
year after ``pilot_start`` on.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from helpers.scales import COMMON_ORDER, scale_for

#: Latent cut points between fail|pass|good|top.
CUTS = (-1.6, -0.4, 0.8)


def synthetic_panel(n_units: int = 500, years=range(2014, 2022), n_pilots: int = 40, effect: float = 0.6,
                    pilot_start: int | None = None, seed: int = 20240601) -> pd.DataFrame:
    """A long panel with the processed-panel columns (unit_id, year, rating_order, pilot, ...).

    ``effect = 0`` gives a null panel in which pilots still improve by regression to the mean.
    """
    rng = np.random.default_rng(seed)
    years = list(years)
    start = pilot_start if pilot_start is not None else years[0] + 1
    quality = rng.normal(0, 1, n_units)
    noise = rng.normal(0, 0.7, (n_units, len(years)))
    latent = quality[:, None] + noise
    first = np.digitize(latent[:, 0], CUTS)
    weak = np.flatnonzero(first <= 1)
    pilots = rng.choice(weak, size=min(n_pilots, len(weak)), replace=False)
    is_pilot = np.zeros(n_units, bool)
    is_pilot[pilots] = True
    for j, y in enumerate(years):
        if y > start:
            latent[is_pilot, j] += effect
    order = np.digitize(latent, CUTS)
    rows = []
    for j, y in enumerate(years):
        scale = scale_for(y)
        by_common = {}
        for lv in scale.levels:
            if lv.subset_of is None:
                by_common.setdefault(lv.common, lv)
        for i in range(n_units):
            lv = by_common[COMMON_ORDER[order[i, j]]]
            rows.append((f"U{i + 1:04d}", f"Tổ chức {i + 1}", y, "organisation", scale.id, lv.label_vi, lv.code,
                         lv.common, int(order[i, j]), bool(is_pilot[i]), "synthetic" if is_pilot[i] else None,
                         start if is_pilot[i] else None, years[-1] if is_pilot[i] else None, "synthetic",
                         str(y), i + 2))
    return pd.DataFrame(rows, columns=["unit_id", "unit_name", "year", "level", "scale", "rating_label",
                                       "rating_code", "rating_common", "rating_order", "pilot", "programme",
                                       "pilot_start", "pilot_end", "source_file", "source_sheet", "source_row"])
