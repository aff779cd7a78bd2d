"""How often does the verdict say "effect" when there is none? Simulated provinces, each design.

Each simulated province has 300–600 units rated for 4–8 years: a latent quality per unit
(N(0, 1)) plus yearly noise (N(0, 0.6²)), cut into the four common levels at the example's
cut points (about 5 % fail, 12 % pass, 33 % good, 50 % top). Pilots (20–60) are picked

- ``random``: at random;
- ``last``: the weakest on the last pre-programme year's rating (ties at random);
- ``earlier``: the weakest on the first pre-programme year's rating;
- ``mean``: the weakest on the mean of the pre-programme ratings;

and, under an effect scenario, gain ``effect`` latent SD in every programme year. A scenario
with ``pre_rated=False`` keeps only the programme years in the panel (no rating before the
programme): with a declared random draw the verdict is then one unstratified exact comparison. Every
province goes through :func:`helpers.inference.claims.run_claim` and
:func:`helpers.inference.verdict.judge` — the same functions that write results.csv and
verdict.json — and the table counts how often the verdict is "effect" (and how often each
descriptive comparison has p < .05, to show why it is not primary).

``benchmarks/bench_verdicts.py`` runs 1,000 provinces per scenario; the tests run a small
fixed-seed version.
"""

from __future__ import annotations

import math
import zlib
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
import pandas as pd

from helpers.inference.claims import run_claim
from helpers.inference.designs import Claim, Selection
from helpers.inference.verdict import judge

CUTS = (-1.92, -1.10, 0.0)
NOISE_SD = 0.6
#: Descriptive comparisons whose false-positive rate the table shows: column → start of the test name.
DESCRIPTIVE = {"before_after": "exact McNemar", "end_vs_rest": "exact test of", "change": "randomisation test",
               "last_year": "exact stratified test"}
TABLE_COLUMNS = ["scenario", "truth", "declared", "effect_sd", "provinces", "verdict_effect", "mc_se", "cannot_tell",
                 "before_after", "end_vs_rest", "change", "last_year", "flag", "described"]


@dataclass(frozen=True)
class Scenario:
    """One simulated design: how pilots are truly picked, what the study file declares, the true effect."""

    name: str
    truth: str                       # random | last | earlier | mean
    declared: str = "unknown"        # unknown | random | declared (the true selection years)
    effect: float = 0.0
    units: tuple[int, int] = (300, 600)
    years: tuple[int, int] = (4, 8)
    pilots: tuple[int, int] = (20, 60)
    pre_rated: bool = True           # False: the panel holds no year before the programme


def scenarios() -> list[Scenario]:
    """The scenarios of the correctness gate: four designs null and with effect, n = 7 and n = 56, power."""
    out = []
    for truth in ("random", "last", "earlier", "mean"):
        declared = "random" if truth == "random" else "unknown"
        out.append(Scenario(f"{truth}, null", truth, declared))
    out.append(Scenario("earlier, declared, null", "earlier", "declared"))
    out.append(Scenario("random, unknown, null", "random", "unknown"))
    out.append(Scenario("random, no year before, null", "random", "random", pre_rated=False))
    for truth in ("random", "last"):
        out.append(Scenario(f"{truth}, null, 7 pilots", truth, "random" if truth == "random" else "unknown",
                            pilots=(7, 7)))
        out.append(Scenario(f"{truth}, null, 56 pilots", truth, "random" if truth == "random" else "unknown",
                            pilots=(56, 56)))
    for truth in ("random", "last", "earlier", "mean"):
        declared = "random" if truth == "random" else "unknown"
        out.append(Scenario(f"{truth}, 0.9 SD, 40/400", truth, declared, 0.9, (400, 400), (6, 6), (40, 40)))
    out.append(Scenario("random, no year before, 0.9 SD", "random", "random", 0.9, (400, 400), (6, 6), (40, 40),
                        pre_rated=False))
    return out


def simulate_panel(rng: np.random.Generator, scenario: Scenario) -> tuple[pd.DataFrame, Selection]:
    """One simulated province as a processed panel, and the selection its study file would declare."""
    n = int(rng.integers(scenario.units[0], scenario.units[1] + 1))
    t = int(rng.integers(scenario.years[0], scenario.years[1] + 1))
    k = int(rng.integers(scenario.pilots[0], scenario.pilots[1] + 1))
    years = np.arange(2010, 2010 + t)
    n_pre = max(2, t // 2)
    latent = rng.normal(0, 1, n)[:, None] + rng.normal(0, NOISE_SD, (n, t))
    ratings = np.digitize(latent, CUTS)
    tie = rng.random(n)
    if scenario.truth == "random":
        pilots = rng.choice(n, size=k, replace=False)
    else:
        key = {"last": ratings[:, n_pre - 1], "earlier": ratings[:, 0],
               "mean": ratings[:, :n_pre].mean(axis=1)}[scenario.truth]
        pilots = np.lexsort((tie, key))[:k]
    is_pilot = np.zeros(n, bool)
    is_pilot[pilots] = True
    if scenario.effect:
        latent[np.ix_(is_pilot, np.arange(n_pre, t))] += scenario.effect
        ratings = np.digitize(latent, CUTS)
    start, end = int(years[n_pre]), int(years[-1])
    panel = pd.DataFrame({
        "unit_id": np.repeat(np.arange(n), t), "year": np.tile(years, n), "rating_order": ratings.ravel(),
        "pilot": np.repeat(is_pilot, t), "pilot_start": np.where(np.repeat(is_pilot, t), start, np.nan),
        "pilot_end": np.where(np.repeat(is_pilot, t), end, np.nan), "level": "organisation"})
    if not scenario.pre_rated:
        panel = panel[panel["year"] >= start].reset_index(drop=True)
    if scenario.declared == "random":
        selection = Selection("random")
    elif scenario.declared == "declared":
        chosen = {"last": (int(years[n_pre - 1]),), "earlier": (int(years[0]),)}.get(
            scenario.truth, tuple(int(y) for y in years[:n_pre]))
        selection = Selection("rating", chosen)
    else:
        selection = Selection("unknown")
    return panel, selection


def _one(args) -> dict:
    scenario, seed, describe = args
    rng = np.random.default_rng(seed)
    panel, selection = simulate_panel(rng, scenario)
    outcome = run_claim(panel, Claim(), selection, descriptive=describe)
    verdict = judge(outcome)
    row = {"effect": verdict["conclusion"] == "effect", "cannot_tell": verdict["conclusion"] == "cannot_tell"}
    tests = outcome.rows["test"].tolist() if len(outcome.rows) else []
    pvals = outcome.rows["p_value"].tolist() if len(outcome.rows) else []
    for key, prefix in DESCRIPTIVE.items():
        hits = [p for name, p in zip(tests[1:], pvals[1:]) if name.startswith(prefix)]
        if key == "last_year":
            hits = [p for name, p in zip(tests[1:], pvals[1:]) if name.startswith(prefix) and "placebo" not in name]
        row[key] = (bool(hits[0] < 0.05) if not math.isnan(hits[0]) else False) if hits else None
    return row


def _seeds(scenario: Scenario, provinces: int, seed: int) -> list[int]:
    return [int(x) for x in np.random.SeedSequence([seed, zlib.crc32(scenario.name.encode())]).generate_state(
        provinces)]


def _summary(scenario: Scenario, rows: list[dict]) -> dict:
    frame = pd.DataFrame(rows)
    provinces = len(frame)
    rate = float(frame["effect"].mean())
    se = math.sqrt(rate * (1 - rate) / provinces) if provinces else math.nan
    if scenario.effect == 0:
        flag = "FAIL > 7 %" if rate > 0.07 else ("over-conservative (< 2 %)" if rate < 0.02 else "ok")
    else:
        flag = "power ≥ 80 %" if rate >= 0.8 else "power < 80 %"
    return {"scenario": scenario.name, "truth": scenario.truth, "declared": scenario.declared,
            "effect_sd": scenario.effect, "provinces": provinces, "verdict_effect": rate, "mc_se": se,
            "cannot_tell": float(frame["cannot_tell"].mean()),
            **{k: (float(frame[k].dropna().astype(float).mean()) if frame[k].notna().any() else math.nan)
               for k in DESCRIPTIVE}, "flag": flag}


def simulation_table(provinces: int = 1000, seed: int = 20261130, workers: int = 1,
                     only: list[Scenario] | None = None, described: int | None = None) -> pd.DataFrame:
    """The whole table (columns :data:`TABLE_COLUMNS`), one row per scenario.

    Each scenario's provinces come from their own seeds (``seed`` and the scenario's name), so a
    row does not depend on the other scenarios or on ``workers``. The verdict's rate uses every
    province; the descriptive comparisons' rates use the first ``described`` provinces (default:
    all), since the verdict does not need them and they cost twice the primary test.
    """
    chosen = only if only is not None else scenarios()
    described = provinces if described is None else described
    jobs = [(s, x, i < described) for s in chosen for i, x in enumerate(_seeds(s, provinces, seed))]
    if workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            rows = list(pool.map(_one, jobs, chunksize=max(1, len(jobs) // (20 * workers))))
    else:
        rows = [_one(j) for j in jobs]
    table = pd.DataFrame([_summary(s, rows[i * provinces:(i + 1) * provinces]) for i, s in enumerate(chosen)],
                         columns=TABLE_COLUMNS)
    table["described"] = min(described, provinces)
    return table[TABLE_COLUMNS]


def format_table(table: pd.DataFrame) -> str:
    """The table as fixed-width text, rates in percent, Monte Carlo SE beside the verdict's rate."""
    lines = [f"{'scenario':34} {'N':>5} {'verdict effect':>17} {'cannot':>7} {'naive a':>8} {'vs rest':>8} "
             f"{'DiD':>6} {'1 year':>7}  flag",
             "-" * 112]
    def pct(x, width):
        return f"{'–':>{width}} " if math.isnan(x) else f"{100 * x:{width}.1f}%"

    for r in table.itertuples():
        lines.append(f"{r.scenario:34} {r.provinces:5d} {100 * r.verdict_effect:8.1f} % ± {100 * r.mc_se:4.1f} "
                     f"{pct(r.cannot_tell, 6)} {pct(r.before_after, 7)} {pct(r.end_vs_rest, 7)} "
                     f"{pct(r.change, 5)} {pct(r.last_year, 6)}  {r.flag}")
    lines.append("columns: verdict 'effect' ± Monte Carlo SE; 'cannot tell'; p < .05 of the descriptive comparisons: "
                 "naive before/after on pilots, pilots vs the rest at the end, change scores (DiD), matching on the "
                 "last pre-programme year only ('–': that comparison is the primary one under this design)")
    if len(table):
        lines.append(f"the descriptive columns use the first {int(table['described'].iloc[0])} provinces of each "
                     "scenario")
    return "\n".join(lines)
