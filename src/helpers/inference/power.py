"""Power and minimum detectable effect of the exact sign test at the study's n.

With very few units an exact test has a floor on its p-value: with n units that
changed, the smallest two-sided sign-test p is ``2 · 0.5**n``. These functions say,
exactly, how many of the n units must move the same way to reach p < α, the power for
a given true share of improvers, and the smallest share detectable with 80 % power.

Worked check (n = 7): 7 of 7 improving gives p = 2/128 = 0.0156; 6 of 7 gives
p = 2·8/128 = 0.125. So a two-sided sign test on 7 units reaches p < .05 only when all
7 move the same way (not "at least 6").
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from helpers.export.glossary_notes import note_words
from helpers.inference.results import Reason, result_row, rows_to_frame
from helpers.numbers import format_count, format_number, format_p_value


def sign_test_p(k: int, n: int) -> float:
    """Two-sided exact sign-test p-value when ``k`` of ``n`` changed units improved."""
    if n <= 0:
        return 1.0
    return float(min(1.0, 2 * stats.binom.cdf(min(k, n - k), n, 0.5)))


def min_units_same_direction(n: int, alpha: float = 0.05) -> int | None:
    """Smallest k such that k of n units moving the same way gives a two-sided p < ``alpha``; None if none does."""
    for k in range(math.ceil(n / 2), n + 1):
        if sign_test_p(k, n) < alpha:
            return k
    return None


def sign_test_power(n: int, pi: float, alpha: float = 0.05) -> float:
    """Exact power of the two-sided sign test with n changed units when P(improve | changed) = ``pi``."""
    x = np.arange(n + 1)
    reject = np.array([sign_test_p(int(k), n) < alpha for k in x])
    return float(stats.binom.pmf(x[reject], n, pi).sum())


def minimum_detectable_share(n: int, alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest P(improve | changed) ≥ ½ detected with at least ``power``; NaN when unreachable.

    Found by bisection (power increases with the share above ½), to 1e-6.
    """
    if min_units_same_direction(n, alpha) is None or sign_test_power(n, 1.0, alpha) < power:
        return math.nan
    lo, hi = 0.5, 1.0
    while hi - lo > 1e-6:
        mid = (lo + hi) / 2
        if sign_test_power(n, mid, alpha) >= power:
            hi = mid
        else:
            lo = mid
    return hi


def power_statement(n: int, study: str = "", question: str = "a", alpha: float = 0.05, target: float = 0.8,
                    lead: Reason | None = None) -> pd.DataFrame:
    """One results row stating, for n changed units, what a two-sided exact sign test can show.

    effect = the minimum number of units that must move the same way (NaN when no
    outcome reaches p < α: the note says so). The sentence gives the p of all-n and
    (n−1)-of-n outcomes and the minimum detectable share at ``target`` power.
    """
    test = f"power: exact two-sided sign test, n = {n}"
    if n <= 1:
        why = Reason(f"với n = {n} đơn vị, không kết quả nào đạt p < {format_number(alpha, 2, 'vi')}",
                     f"with n = {n} units no outcome can reach p < {format_number(alpha, 2, 'en')}")
        return rows_to_frame([result_row(study, question, test, n=n, note=why, text=why, lead=lead)])
    k = min_units_same_direction(n, alpha)
    p_all, p_one_less = sign_test_p(n, n), sign_test_p(n - 1, n)
    mde = minimum_detectable_share(n, alpha, target)
    a_vi, a_en = format_number(alpha, 2, "vi"), format_number(alpha, 2, "en").removeprefix("0")
    if k is None:
        vi = (f"Với {format_count(n, 'vi')} đơn vị thay đổi, kiểm định dấu hai phía không thể đạt p < {a_vi}: "
              f"ngay cả khi tất cả cùng chiều, {format_p_value(p_all, 'vi')}.")
        en = (f"With {format_count(n, 'en')} changed units a two-sided sign test cannot reach p < {a_en}: even "
              f"if all move the same way, {format_p_value(p_all, 'en')}.")
        note = note_words("none_significant", "en")
    else:
        need_vi = f"cả {n}/{n}" if k == n else f"ít nhất {k}/{n}"
        need_en = f"all {n}" if k == n else f"at least {k} of {n}"
        vi = (f"Với {format_count(n, 'vi')} đơn vị, kiểm định dấu hai phía chỉ đạt p < {a_vi} khi {need_vi} đơn vị "
              f"thay đổi cùng chiều ({n}/{n}: {format_p_value(p_all, 'vi')}; {n - 1}/{n}: "
              f"{format_p_value(p_one_less, 'vi')}). Để có năng lực {format_number(100 * target, 0, 'vi')}%, "
              f"tỉ lệ thật của đơn vị tiến bộ trong số đơn vị thay đổi phải từ "
              f"{format_number(100 * mde, 1, 'vi')}% trở lên.")
        en = (f"With {format_count(n, 'en')} units a two-sided sign test reaches p < {a_en} only when {need_en} "
              f"move the same way ({n}/{n}: {format_p_value(p_all, 'en')}; {n - 1}/{n}: "
              f"{format_p_value(p_one_less, 'en')}). For {format_number(100 * target, 0, 'en')}% power the true "
              f"share of improvers among changed units must be at least {format_number(100 * mde, 1, 'en')}%.")
        note = note_words("min_detectable", "en", f"{target:.0%}", f"{mde:.4f}")
    return rows_to_frame([result_row(study, question, test, effect=math.nan if k is None else k,
                                     effect_name="min_units", n=n, note=note, text=Reason(vi, en),
                                     assumptions=f"two-sided, alpha = {alpha}", lead=lead)])
