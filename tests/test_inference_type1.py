"""Type-I error on generated null data: every test rejects at most 7 % at α = .05 over 2,000 runs (fixed seed).

The proportional-odds models are not simulated here (a fit takes ~50 ms; 2,000 fits would take minutes);
their reference values are checked against R in test_inference_ordinal.py.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from helpers.inference import contingency as ct
from helpers.inference import ordinal, paired
from helpers.inference.effects import brunner_munzel_counts

RUNS = 2000
ALPHA = 0.05
LIMIT = 0.07
P = np.array([0.1, 0.3, 0.4, 0.2])


def _rate(pvalues):
    p = np.asarray(pvalues, dtype=float)
    assert not np.isnan(p).any()
    return float((p < ALPHA).mean())


@pytest.mark.slow
def test_two_sample_tests_hold_their_level():
    rng = np.random.default_rng(11)
    x = rng.multinomial(12, P, RUNS)
    y = rng.multinomial(30, P, RUNS)
    ffh, chi, lbl, mw, bm = [], [], [], [], []
    for a, b in zip(x, y):
        t = np.vstack([a, b])
        tt = t[:, t.sum(axis=0) > 0]
        ffh.append(ct.fisher_freeman_halton_p(t)[0])
        chi.append(stats.chi2_contingency(tt, correction=False)[1] if tt.shape[1] > 1 else 1.0)
        lbl.append(ct.linear_by_linear(t).p_value.iloc[0] if tt.shape[1] > 1 else 1.0)
        xs, ys = np.repeat(np.arange(4), a), np.repeat(np.arange(4), b)
        mw.append(stats.mannwhitneyu(xs, ys, method="asymptotic").pvalue if tt.shape[1] > 1 else 1.0)
        res = brunner_munzel_counts(a, b)
        bm.append(res["p_value"] if not np.isnan(res["p_value"]) else 1.0)
    for name, p in [("FFH", ffh), ("chi-square", chi), ("linear-by-linear", lbl), ("Mann-Whitney", mw),
                    ("Brunner-Munzel", bm)]:
        assert _rate(p) <= LIMIT, name


def _exchangeable_tables(rng, n, runs):
    q = rng.normal(0, 1, (runs, n, 1))
    latent = q + rng.normal(0, 0.8, (runs, n, 2))
    codes = np.digitize(latent, [-1.2, -0.2, 0.9])
    tables = np.zeros((runs, 4, 4), dtype=int)
    for r in range(runs):
        np.add.at(tables[r], (codes[r, :, 0], codes[r, :, 1]), 1)
    return tables, codes


@pytest.mark.slow
def test_paired_tests_hold_their_level():
    rng = np.random.default_rng(12)
    tables, codes = _exchangeable_tables(rng, 40, RUNS)
    sm, bow, mcn, sign, wil, perm = [], [], [], [], [], []
    for t, c in zip(tables, codes):
        stat, df = paired.stuart_maxwell_statistic(t)
        sm.append(stats.chi2.sf(stat, df) if df else 1.0)
        stat, df = paired.bowker_statistic(t)
        bow.append(stats.chi2.sf(stat, df) if df else 1.0)
        up, down = paired.cut_counts(t, 2)
        mcn.append(stats.binomtest(up, up + down).pvalue if up + down else 1.0)
        u, d, _ = paired.up_down(t)
        sign.append(stats.binomtest(u, u + d).pvalue if u + d else 1.0)
        diff = c[:, 1] - c[:, 0]
        nz = diff[diff != 0]
        wil.append(stats.wilcoxon(nz, correction=True, method="approx").pvalue if len(nz) else 1.0)
        perm.append(paired.signed_rank_exact_p(diff)[1] if len(nz) else 1.0)
    for name, p in [("Stuart-Maxwell", sm), ("Bowker", bow), ("McNemar", mcn), ("sign", sign),
                    ("Wilcoxon", wil), ("permutation", perm)]:
        assert _rate(p) <= LIMIT, name


@pytest.mark.slow
def test_randomisation_and_cmh_hold_their_level():
    rng = np.random.default_rng(13)
    rand, cmh = [], []
    n, n_pilots = 60, 8
    for _ in range(RUNS):
        before = rng.choice(4, n, p=P)
        after = np.clip(before + rng.choice([-1, 0, 1], n, p=[0.25, 0.5, 0.25]), 0, 3)
        pilot = np.zeros(n, bool)
        pilot[rng.choice(n, n_pilots, replace=False)] = True
        change = after - before
        rand.append(ordinal.randomisation_p(change, pilot)[1] if np.ptp(change) else 1.0)
        wide = __import__("pandas").DataFrame({"pilot": pilot, "before": before, "after": after})
        tables, _, _ = ordinal._strata(wide)
        informative = [t for t in tables if t[:, 0].sum() > 0 and t[:, 1].sum() > 0]
        if informative:
            from statsmodels.stats.contingency_tables import StratifiedTable
            cmh.append(StratifiedTable([t.astype(float) for t in tables]).test_null_odds(correction=True).pvalue)
        else:
            cmh.append(1.0)
    assert _rate(rand) <= LIMIT, "randomisation"
    assert _rate(cmh) <= LIMIT, "CMH"
