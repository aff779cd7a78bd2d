"""The correctness gate, small and with a fixed seed (the full 1,000-province run: benchmarks/bench_verdicts.py)."""

from __future__ import annotations

import numpy as np

from helpers.inference.simulate import Scenario, simulate_panel, simulation_table

NULLS = [Scenario("random, null", "random", "random"), Scenario("last, null", "last"),
         Scenario("earlier, null", "earlier"), Scenario("mean, null", "mean"),
         Scenario("last, null, 7 pilots", "last", pilots=(7, 7))]


def test_null_designs_rarely_say_effect_while_the_naive_tests_do():
    table = simulation_table(provinces=60, seed=7, only=NULLS).set_index("scenario")
    # the gate: the verdict "effect" at most 7 % under every null design (fixed seed, 60 provinces each)
    assert (table["verdict_effect"] <= 0.07).all(), table["verdict_effect"]
    # ... while the comparisons kept as description are badly biased when pilots are picked on a rating
    assert table.loc["last, null", "change"] > 0.5 and table.loc["last, null", "end_vs_rest"] > 0.5
    assert table.loc["earlier, null", "last_year"] > 0.3      # matching on the wrong year (issue 12's audit)


def test_power_for_a_large_effect_under_random_selection():
    power = simulation_table(provinces=40, seed=7,
                             only=[Scenario("random, 0.9 SD", "random", "random", 0.9, (400, 400), (6, 6), (40, 40))])
    assert power["verdict_effect"].iloc[0] >= 0.8


def test_random_draw_without_a_year_before_keeps_its_level():
    # the unstratified exact comparison under a null random draw: at most 7 % "effect" (fixed seed; 300 provinces,
    # cheap as there are no descriptive rows: at 60 provinces the Monte Carlo SE, about 3 %, would blur the gate)
    only = [Scenario("random, no year before, null", "random", "random", pre_rated=False)]
    table = simulation_table(provinces=300, seed=7, only=only)
    assert table["verdict_effect"].iloc[0] <= 0.07 and table["cannot_tell"].iloc[0] == 0


def test_random_draw_without_a_year_before_is_answered_not_cannot_tell():
    # one unstratified exact comparison at the end (valid under randomisation): never "cannot tell" here, and a
    # large effect (0.9 latent SD, 40 of 400 units) is found in most provinces (fixed seed, 30 provinces)
    only = [Scenario("random, no year before, 0.9 SD", "random", "random", 0.9, (400, 400), (6, 6), (40, 40),
                     pre_rated=False)]
    table = simulation_table(provinces=30, seed=7, only=only)
    assert table["cannot_tell"].iloc[0] == 0 and table["verdict_effect"].iloc[0] >= 0.7


def test_simulated_pilots_are_picked_as_declared():
    rng = np.random.default_rng(3)
    panel, selection = simulate_panel(rng, Scenario("x", "last", pilots=(30, 30), years=(6, 6)))
    wide = panel.pivot(index="unit_id", columns="year", values="rating_order")
    pilots = panel.groupby("unit_id")["pilot"].first()
    # the last pre-programme year is 2012 (3 pre-years of 6): every pilot rated at most as high as any non-pilot
    assert wide.loc[pilots, 2012].max() <= wide.loc[~pilots, 2012].min()
    assert pilots.sum() == 30 and selection.kind == "unknown"
