"""Private machinery: the network of partial tables with fixed margins, built column by column.

Both the exact Fisher–Freeman–Halton test and the range of paired statistics over
joint tables walk the same network (Mehta & Patel 1983): a node of stage ``k`` is
the vector of row sums still to be filled after the first ``k`` columns; an edge is
one way to fill column ``k``. Everything is vectorised with NumPy; the caller first
asks :func:`network_size` and refuses (or falls back) when the network is too big,
so nothing here can hang.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def compositions(total: int, parts: int, caps) -> np.ndarray:
    """Every vector of ``parts`` non-negative integers summing to ``total`` with ``x[i] <= caps[i]``.

    Returns an int64 array of shape (m, parts).
    """
    caps = np.asarray(caps, dtype=np.int64)
    rows = np.zeros((1, 0), dtype=np.int64)
    remaining = np.array([total], dtype=np.int64)
    for i in range(parts):
        if i == parts - 1:
            ok = remaining <= caps[i]
            rows = np.hstack([rows[ok], remaining[ok, None]])
            remaining = remaining[ok] * 0
            break
        hi = np.minimum(remaining, caps[i])
        rest_cap = caps[i + 1:].sum()
        lo = np.maximum(0, remaining - rest_cap)
        counts = np.maximum(hi - lo + 1, 0)
        idx = np.repeat(np.arange(len(rows)), counts)
        starts = np.repeat(lo, counts)
        offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
        values = starts + offsets
        rows = np.hstack([rows[idx], values[:, None]])
        remaining = remaining[idx] - values
    return rows


def n_compositions(total: int, parts: int) -> int:
    """Number of compositions of ``total`` into ``parts`` non-negative parts (no caps): C(total+parts−1, parts−1)."""
    return math.comb(total + parts - 1, parts - 1)


@dataclass
class Network:
    """Stages of reachable row-sum vectors and the edges between them.

    ``states[k]`` (m_k × r) are the row sums still to fill before column ``k``;
    ``edges[k]`` = (parent index, child index, column vector x) arrays sorted by parent,
    ``offsets[k]`` the CSR start of each parent's edges.
    """

    rows: np.ndarray
    cols: np.ndarray
    states: list
    edges: list
    offsets: list


def network_size_bound(rows, cols) -> float:
    """An upper bound on the number of edges of the network (cheap, no enumeration)."""
    r = len(rows)
    total = 0.0
    n_rem = int(sum(rows))
    for c in cols[:-1]:
        states = min(float(np.prod([x + 1 for x in rows])), float(n_compositions(n_rem, r)))
        total += states * float(n_compositions(int(c), r))
        n_rem -= int(c)
    return total


def build_network(rows, cols) -> Network:
    """Enumerate the reachable nodes and edges (call only after checking :func:`network_size_bound`)."""
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    r, c = len(rows), len(cols)
    states = [rows[None, :].copy()]
    edges, offsets = [], []
    for k in range(c):
        parents = states[k]
        comps = compositions(int(cols[k]), r, rows)
        if k == c - 1:
            # last column is forced: x = remaining row sums
            x = parents.copy()
            parent_idx = np.arange(len(parents))
            child_states = np.zeros((1, r), dtype=np.int64)
            child_idx = np.zeros(len(parents), dtype=np.int64)
        else:
            # cross join, keep x <= parent
            p_idx = np.repeat(np.arange(len(parents)), len(comps))
            c_idx = np.tile(np.arange(len(comps)), len(parents))
            ok = np.all(comps[c_idx] <= parents[p_idx], axis=1)
            p_idx, c_idx = p_idx[ok], c_idx[ok]
            x = comps[c_idx]
            children = parents[p_idx] - x
            child_states, child_idx = np.unique(children, axis=0, return_inverse=True)
            child_idx = child_idx.ravel()
            parent_idx = p_idx
        order = np.argsort(parent_idx, kind="stable")
        parent_idx, child_idx, x = parent_idx[order], child_idx[order], x[order]
        counts = np.bincount(parent_idx, minlength=len(parents))
        offsets.append(np.concatenate([[0], np.cumsum(counts)]))
        edges.append((parent_idx, child_idx, x))
        states.append(child_states)
    return Network(rows=rows, cols=cols, states=states, edges=edges, offsets=offsets)


def expand(net: Network, k: int, state_idx: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For entries at stage-``k`` states ``state_idx``: (entry index, edge index) of every outgoing edge."""
    start = net.offsets[k][state_idx]
    counts = net.offsets[k][state_idx + 1] - start
    entry = np.repeat(np.arange(len(state_idx)), counts)
    edge = np.repeat(start, counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts))
    return entry, edge


def count_tables(net: Network) -> float:
    """Number of tables with the network's margins (float; exact below 2**53)."""
    weight = np.ones(1)
    for k in range(len(net.cols)):
        parent, child, _ = net.edges[k]
        new = np.zeros(len(net.states[k + 1]))
        np.add.at(new, child, weight[parent])
        weight = new
    return float(weight.sum())
