"""Question (a) when only published totals exist: what can the totals support?

An article that prints "HTNV 14 → 3, HTTNV 12 → 12, TSVM 30 → 39" gives the two
margins of the paired table but not the table: which unit went where is unknown.
Three things are reported together:

1. :func:`paired_range` — every paired statistic over **every** joint table with those
   margins (enumeration through the network of :mod:`._tables`); when there are too many
   tables, exact LP bounds on the improved/worsened counts give a conservative interval
   for the sign test, the McNemar range is analytic, and the method column says so
   (never a hang).
2. :func:`rank_preserving_table` — the pairing that keeps every unit's rank (the
   north-west-corner table): the most favourable "nobody crossed anybody" story.
3. The unpaired two-sample tests (years as independent samples; ignores the pairing).

:func:`totals_analysis` puts them in one results table with a plain verdict sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import optimize, stats

from helpers.export.glossary_notes import note_words
from helpers.inference import _tables
from helpers.inference.contingency import fisher_freeman_halton, mann_whitney_counts
from helpers.inference.paired import sign_test_table, stuart_maxwell
from helpers.inference.results import Reason, qualify_test, refused_row, result_row, rows_to_frame
from helpers.numbers import format_count, format_number, format_p_value
from helpers.scales import COMMON_ORDER

#: Most joint tables enumerated before falling back to bounds.
MAX_TABLES = 1_000_000
MAX_EDGES = 2e7
#: Columns of :attr:`PairedRange.frame`.
RANGE_COLUMNS = ["test", "p_min", "p_max", "share_significant", "table_at_p_min", "table_at_p_max", "method"]


@dataclass(frozen=True)
class PairedRange:
    """The range of paired statistics over the joint tables with given margins.

    ``method`` is ``'enumeration'`` (exact range; ``n_tables`` counted) or ``'bounds'``
    (LP/analytic bounds; ``n_tables`` NaN). ``net_min``/``net_max`` bound the net
    improvement (improved − worsened) / n.
    """

    method: str
    n_tables: float
    n: int
    net_min: float
    net_max: float
    frame: pd.DataFrame

    def to_frame(self) -> pd.DataFrame:
        """The range per test, columns :data:`RANGE_COLUMNS`."""
        return self.frame.copy()


def _sign_p(up, down) -> np.ndarray:
    up, down = np.asarray(up), np.asarray(down)
    m = up + down
    p = np.minimum(1.0, 2 * stats.binom.cdf(np.minimum(up, down), np.maximum(m, 1), 0.5))
    return np.where(m == 0, 1.0, p)


def _as_text(table) -> str:
    return "[" + "; ".join(" ".join(str(int(v)) for v in row) for row in table) + "]"


def _enumerate(rows, cols, max_tables) -> np.ndarray | None:
    if _tables.network_size_bound(rows, cols) > MAX_EDGES:
        return None
    net = _tables.build_network(rows, cols)
    if _tables.count_tables(net) > max_tables:
        return None
    k = len(rows)
    tables = np.zeros((1, k, 0), dtype=np.int32)
    st = np.zeros(1, dtype=np.int64)
    for stage in range(len(cols)):
        entry, edge = _tables.expand(net, stage, st)
        x = net.edges[stage][2][edge].astype(np.int32)
        tables = np.concatenate([tables[entry], x[:, :, None]], axis=2)
        st = net.edges[stage][1][edge]
    return tables


def _stuart_maxwell_batch(tables, rows, cols) -> np.ndarray:
    keep = [i for i in range(len(rows)) if rows[i] + cols[i] > 0]
    t = tables[:, keep][:, :, keep].astype(float)
    r, c = np.asarray(rows)[keep], np.asarray(cols)[keep]
    k = len(keep)
    d = (r - c)[:-1].astype(float)
    s = t + np.transpose(t, (0, 2, 1))
    v = -s[:, :-1, :-1]
    diag = (r + c)[:-1][None, :] - 2 * np.diagonal(t, axis1=1, axis2=2)[:, :-1]
    idx = np.arange(k - 1)
    v[:, idx, idx] = diag
    pinv = np.linalg.pinv(v)
    stat = np.einsum("i,nij,j->n", d, pinv, d)
    rank = np.linalg.matrix_rank(v)
    with np.errstate(invalid="ignore"):
        p = np.where(rank > 0, stats.chi2.sf(stat, np.maximum(rank, 1)), np.where(np.abs(d).sum() == 0, 1.0, np.nan))
    return p


def _mcnemar_range(rows, cols, cut) -> tuple[float, float, tuple, tuple]:
    """Exact range of the McNemar p at ``cut``: b − c is fixed by the margins, b runs over an interval."""
    rows, cols = np.asarray(rows), np.asarray(cols)
    r_low, c_low = int(rows[:cut].sum()), int(cols[:cut].sum())
    n = int(rows.sum())
    c_high = n - c_low
    b_min, b_max = max(0, r_low - c_low), min(r_low, c_high)
    fixed = r_low - c_low  # b − c
    pairs = [(b, b - fixed) for b in (b_min, b_max)]
    ps = [float(_sign_p(b, c)) for b, c in pairs]
    return min(ps), max(ps), pairs[int(np.argmin(ps))], pairs[int(np.argmax(ps))]


def _lp_extremes(rows, cols) -> dict:
    """Exact min/max of improved (U), worsened (D), U − D and unchanged (T) over the transportation polytope.

    The constraint matrix of a transportation problem is totally unimodular, so every LP
    optimum here is attained at an integer table (the bounds are attained).
    """
    k = len(rows)
    a_eq = np.zeros((2 * k, k * k))
    for i in range(k):
        a_eq[i, i * k:(i + 1) * k] = 1
        a_eq[k + i, i::k] = 1
    b_eq = np.concatenate([rows, cols]).astype(float)
    i, j = np.divmod(np.arange(k * k), k)
    vectors = {"U": (j > i).astype(float), "D": (j < i).astype(float), "T": (j == i).astype(float)}
    vectors["UD"] = vectors["U"] - vectors["D"]
    out = {}
    for name, vec in vectors.items():
        lo = optimize.linprog(vec, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = optimize.linprog(-vec, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        out[name] = (round(lo.fun), round(-hi.fun))
    return out


def paired_range(before_counts, after_counts, cut: int | None = None, max_tables: int = MAX_TABLES) -> PairedRange:
    """Range of the paired tests over every joint table with margins ``before_counts`` × ``after_counts``.

    Parameters
    ----------
    before_counts, after_counts : sequence of int
        Counts per category in the common order (fail, pass, good, top), same total.
    cut : int, optional
        Category index for the McNemar range ("≥ cut" vs below).
    max_tables : int
        Enumerate when there are at most this many joint tables; otherwise use bounds.

    Returns
    -------
    PairedRange
        Tests: exact sign test, Stuart–Maxwell, Bowker (enumeration only), McNemar at ``cut``.
        ``share_significant`` is the share of joint tables with p < .05 (tables counted
        equally — they are not equally likely, so this is a description, not a probability).

    Raises
    ------
    ValueError
        When the two totals differ or counts are negative.
    """
    rows = np.asarray(before_counts, dtype=np.int64)
    cols = np.asarray(after_counts, dtype=np.int64)
    if rows.shape != cols.shape or (rows < 0).any() or (cols < 0).any():
        raise ValueError(f"'before_counts' and 'after_counts' must be non-negative counts of the same categories "
                         f"(got {rows.tolist()} and {cols.tolist()}).")
    if rows.sum() != cols.sum():
        raise ValueError(f"the two years must count the same units: before sums to {rows.sum()}, "
                         f"after to {cols.sum()}.")
    n = int(rows.sum())
    tables = _enumerate(rows, cols, max_tables)
    records = []
    if tables is not None:
        k = len(rows)
        upper = np.triu(np.ones((k, k), bool), 1)
        lower = np.tril(np.ones((k, k), bool), -1)
        up = tables[:, upper].sum(axis=1)
        down = tables[:, lower].sum(axis=1)
        net = (up - down) / n
        p_sign = _sign_p(up, down)
        p_sm = _stuart_maxwell_batch(tables, rows, cols)
        iu = np.triu_indices(k, 1)
        a, b = tables[:, iu[0], iu[1]].astype(float), tables[:, iu[1], iu[0]].astype(float)
        used = (a + b) > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            bow = np.where(used, (a - b) ** 2 / np.where(used, a + b, 1), 0).sum(axis=1)
        df = used.sum(axis=1)
        p_bow = np.where(df > 0, stats.chi2.sf(bow, np.maximum(df, 1)), 1.0)
        tests = [("exact sign test", p_sign), ("Stuart–Maxwell", p_sm), ("Bowker", p_bow)]
        if cut is not None:
            bc = tables[:, :cut, cut:].sum(axis=(1, 2))
            cc = tables[:, cut:, :cut].sum(axis=(1, 2))
            tests.append((f"exact McNemar at cut {COMMON_ORDER[cut]}", _sign_p(bc, cc)))
        for name, p in tests:
            finite = np.where(np.isnan(p), np.inf, p)
            i_min, i_max = int(np.argmin(finite)), int(np.nanargmax(p))
            records.append({"test": name, "p_min": float(np.nanmin(p)), "p_max": float(np.nanmax(p)),
                            "share_significant": float((p < 0.05).mean()),
                            "table_at_p_min": _as_text(tables[i_min]), "table_at_p_max": _as_text(tables[i_max]),
                            "method": f"enumeration of {len(tables)} joint tables"})
        return PairedRange("enumeration", float(len(tables)), n, float(net.min()), float(net.max()),
                           pd.DataFrame(records, columns=RANGE_COLUMNS))
    ext = _lp_extremes(rows, cols)
    (u_min, u_max), (d_min, d_max), (t_min, _), (ud_min, ud_max) = ext["U"], ext["D"], ext["T"], ext["UD"]
    p_low = float(min(_sign_p(u_max, d_min), _sign_p(u_min, d_max)))
    if ud_min <= 1 and ud_max >= -1:
        p_high = 1.0
    else:
        gap = ud_min if ud_min > 0 else -ud_max
        m = n - t_min
        if (m - gap) % 2:
            m -= 1
        p_high = float(_sign_p((m + gap) // 2, (m - gap) // 2))
    method = "bounds: exact LP extremes of improved/worsened counts (too many joint tables to enumerate)"
    records.append({"test": "exact sign test", "p_min": p_low, "p_max": p_high, "share_significant": math.nan,
                    "table_at_p_min": "", "table_at_p_max": "", "method": method})
    records.append({"test": "Stuart–Maxwell", "p_min": math.nan, "p_max": math.nan, "share_significant": math.nan,
                    "table_at_p_min": "", "table_at_p_max": "",
                    "method": "not bounded: too many joint tables to enumerate"})
    if cut is not None:
        lo, hi, at_lo, at_hi = _mcnemar_range(rows, cols, cut)
        records.append({"test": f"exact McNemar at cut {COMMON_ORDER[cut]}", "p_min": lo, "p_max": hi, "share_significant": math.nan,
                        "table_at_p_min": f"up {at_lo[0]}, down {at_lo[1]}", "table_at_p_max": f"up {at_hi[0]}, "
                        f"down {at_hi[1]}", "method": "analytic (up − down is fixed by the margins)"})
    return PairedRange("bounds", math.nan, n, ud_min / n, ud_max / n, pd.DataFrame(records, columns=RANGE_COLUMNS))


def rank_preserving_table(before_counts, after_counts) -> np.ndarray:
    """The joint table that keeps every unit's rank (north-west corner rule).

    Units are sorted by their year-A rating and paired in order with the year-B ratings
    sorted the same way, so no unit overtakes another.
    """
    rows = list(np.asarray(before_counts, dtype=np.int64))
    cols = list(np.asarray(after_counts, dtype=np.int64))
    k = len(rows)
    t = np.zeros((k, k), dtype=np.int64)
    i = j = 0
    while i < k and j < k:
        m = min(rows[i], cols[j])
        t[i, j] += m
        rows[i] -= m
        cols[j] -= m
        if rows[i] == 0:
            i += 1
        if j < k and cols[j] == 0:
            j += 1
    return t


def _p_range_text(lo, hi, language) -> str:
    """'p < .001 to .627' / 'p < 0,001 đến 0,627'."""
    if math.isnan(lo):
        return "p = –"
    a, b = format_p_value(lo, language), format_p_value(hi, language)
    sep = " đến " if language == "vi" else " to "
    return a + sep + b.removeprefix("p ").removeprefix("= ")


def totals_analysis(before_counts, after_counts, study: str = "", cut: int | None = None,
                    labels: tuple[str, str] = ("A", "B"), lead: Reason | None = None,
                    max_tables: int = MAX_TABLES) -> tuple[pd.DataFrame, PairedRange | None]:
    """Unpaired tests, the paired range, the rank-preserving pairing and a verdict, as one results table.

    Parameters
    ----------
    before_counts, after_counts : sequence of int
        Published counts per category (common order), same units both years.
    cut : int, optional
        Category index for the McNemar range.
    labels : (str, str)
        The two years, for the sentences.

    Returns
    -------
    (DataFrame, PairedRange or None)
        The results rows (question 'a') and the range object (None when refused).
    """
    before = np.asarray(before_counts, dtype=np.int64)
    after = np.asarray(after_counts, dtype=np.int64)
    n_b, n_a = int(before.sum()), int(after.sum())
    if n_b != n_a:
        reason = Reason(f"hai năm có số đơn vị khác nhau ({n_b} và {n_a}): không thể là cùng các đơn vị, "
                        "không ghép cặp được", f"the two years count different numbers of units ({n_b} and {n_a}): "
                        "they cannot be the same units, so no pairing exists")
        rows = [refused_row(study, "a", "paired range over joint tables", reason, lead=lead)]
        unpaired = fisher_freeman_halton(np.vstack([before, after]), study, "a", lead,
                                         test="Fisher–Freeman–Halton exact, years as independent samples")
        return pd.concat([rows_to_frame(rows), unpaired], ignore_index=True), None
    if n_b <= 1 or (np.count_nonzero(before + after) < 2):
        why = Reason(f"cỡ mẫu n = {n_b}: không đủ để kiểm định" if n_b <= 1 else
                     "mọi đơn vị ở cùng một mức trong cả hai năm: không có gì để so sánh",
                     f"sample size n = {n_b}: too small to test" if n_b <= 1 else
                     "all units are in one category in both years: nothing to compare")
        return rows_to_frame([refused_row(study, "a", "paired range over joint tables", why, n=n_b, lead=lead)]), None
    rng = paired_range(before, after, cut=cut, max_tables=max_tables)
    rows = []
    for rec in rng.frame.itertuples(index=False):
        if math.isnan(rec.p_max):
            rows.append(refused_row(study, "a", f"{rec.test}, range over pairings", Reason(
                "quá nhiều bảng ghép cặp để liệt kê; chỉ có cận cho kiểm định dấu",
                f"{rec.method}; only the sign test is bounded"), n=n_b, lead=lead))
            continue
        how = (f"{format_count(int(rng.n_tables), 'vi')} bảng ghép cặp" if rng.method == "enumeration"
               else "cận tuyến tính"), (f"{format_count(int(rng.n_tables), 'en')} joint tables"
                                       if rng.method == "enumeration" else "linear-programming bounds")
        extra = Reason(f"{_p_range_text(rec.p_min, rec.p_max, 'vi')} tùy cách ghép cặp chưa biết; {how[0]}",
                       f"{_p_range_text(rec.p_min, rec.p_max, 'en')} depending on the unknown pairing; {how[1]}")
        rows.append(result_row(study, "a", f"{rec.test}, range over pairings (p_value = largest)", p_value=rec.p_max,
                               p_low=rec.p_min, p_high=rec.p_max, n=n_b, exact=False, extra=extra,
                               note=note_words("p_range", "en", f"{rec.p_min:.4g}", f"{rec.p_max:.4g}", rec.method,
                                               rec.table_at_p_min, rec.table_at_p_max),
                               assumptions="same units both years; pairing unknown", lead=lead))
    frames = [rows_to_frame(rows)]
    table = rank_preserving_table(before, after)
    for frame in (sign_test_table(table, study=study, question="a", lead=lead),
                  stuart_maxwell(table, study=study, question="a", lead=lead)):
        frame = qualify_test(frame, "rank-preserving pairing (assumed)")
        frame["assumptions"] = frame["assumptions"] + "; pairing assumed: no unit overtakes another"
        frames.append(frame)
    unpaired = pd.concat([
        fisher_freeman_halton(np.vstack([after, before]), study, "a", lead,
                              test="Fisher–Freeman–Halton exact, years as independent samples"),
        mann_whitney_counts(after, before, study, "a", lead)], ignore_index=True)
    unpaired["assumptions"] = unpaired["assumptions"] + "; ignores that the same units are rated twice"
    frames.append(unpaired)
    frames.append(rows_to_frame([_verdict_row(study, rng, float(unpaired["p_value"].iloc[0]), labels, lead)]))
    return pd.concat(frames, ignore_index=True), rng


def _verdict_row(study, rng: PairedRange, p_unpaired: float, labels, lead) -> dict:
    sign = rng.frame.iloc[0]
    lo, hi = float(sign["p_min"]), float(sign["p_max"])
    a, b = labels
    net = (f"{format_number(100 * rng.net_min, 1, 'vi')}% đến {format_number(100 * rng.net_max, 1, 'vi')}%",
           f"{format_number(100 * rng.net_min, 1, 'en')}% to {format_number(100 * rng.net_max, 1, 'en')}%")
    head_vi = (f"Số liệu tổng hợp {a} và {b} không cho biết đơn vị nào lên hay xuống hạng. Cải thiện ròng "
               f"(tỉ lệ lên hạng trừ tỉ lệ xuống hạng) có thể từ {net[0]} tùy cách ghép cặp. ")
    head_en = (f"The {a} and {b} totals do not say which units moved up or down. The net improvement (share "
               f"improved minus share worsened) can be anywhere from {net[1]} depending on the pairing. ")
    if hi < 0.05:
        vi = ("Với mọi cách ghép cặp, kiểm định dấu đều có ý nghĩa (" + _p_range_text(lo, hi, "vi") +
              "): số liệu tổng hợp đủ để nói rằng xếp loại đã được nâng lên vượt quá ngẫu nhiên, "
              "nhưng chưa nói được đó là nhờ làm điểm (cần nhóm đối chứng).")
        en = ("Under every pairing the sign test is significant (" + _p_range_text(lo, hi, "en") +
              "): the totals support an improvement beyond chance, but not that the pilot programme caused it "
              "(that needs a comparison group).")
    elif lo >= 0.05:
        vi = ("Với mọi cách ghép cặp, kiểm định dấu đều không có ý nghĩa (" + _p_range_text(lo, hi, "vi") +
              "): số liệu tổng hợp không cho thấy cải thiện vượt quá ngẫu nhiên.")
        en = ("Under no pairing is the sign test significant (" + _p_range_text(lo, hi, "en") +
              "): the totals do not show an improvement beyond chance.")
    else:
        vi = ("Kết luận phụ thuộc vào cách ghép cặp chưa biết (kiểm định dấu " + _p_range_text(lo, hi, "vi") +
              f"; coi hai năm là hai mẫu độc lập: {format_p_value(p_unpaired, 'vi')}): số liệu tổng hợp không đủ "
              "để khẳng định hay bác bỏ cải thiện; cần số liệu từng đơn vị.")
        en = ("The conclusion depends on the unknown pairing (sign test " + _p_range_text(lo, hi, "en") +
              f"; years as independent samples: {format_p_value(p_unpaired, 'en')}): the totals can neither "
              "confirm nor rule out an improvement; unit-level data are needed.")
    return result_row(study, "a", "verdict: what the published totals support", n=rng.n,
                      text=Reason(head_vi + vi, head_en + en), note=note_words("see_ranges", "en"),
                      assumptions="same units both years", lead=lead)
