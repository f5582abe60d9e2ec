"""The arithmetic behind the page's analogies: what each step kept, erased and wrote, and how much
of each word is still in memory.

LSTM, with c₀ = 0:  c_t = Σ_{s≤t} (i_s ⊙ g_s) ⊙ Π_{k=s+1..t} f_k
GRU,  with h₀ = 0:  h_t = Σ_{s≤t} ((1 − z_s) ⊙ n_s) ⊙ Π_{k=s+1..t} z_k
The term for word s is what word s wrote that is still on the highway at step t.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .trace import Trace

F64 = NDArray[np.float64]


def _previous(state: NDArray[np.float32]) -> F64:
    """The state one step earlier, (T, L, H), with the zero initial state at t = 0."""
    prev = np.zeros(state.shape, dtype=np.float64)
    prev[1:] = state[:-1]
    return prev


def _memory_terms(trace: Trace) -> tuple[F64, F64]:
    """(keep, write) of every step, (T, L, H): state_t = keep_t ⊙ state_{t−1} + write_t.

    keep is the kind's keep gate (f, z); write is its write gate (i; 1 − z where it is coupled to
    the keep gate) times the candidate (g, n).
    """
    kind = trace.facts
    if kind.keep is None or kind.write is None or trace.candidate is None:
        raise ValueError("a plain RNN has no gates, so its state has no per-word decomposition")
    keep = trace.quantities[kind.keep].astype(np.float64)
    gate = trace.quantities[kind.write].astype(np.float64)
    return keep, (1.0 - gate if kind.coupled else gate) * trace.candidate.astype(np.float64)


def state_parts(trace: Trace) -> dict[str, F64]:
    """Per step, (T, L, H): the old state split into kept and erased, and what was written.

    LSTM: kept = f ⊙ c₋₁, erased = (1 − f) ⊙ c₋₁, written = i ⊙ g, read_out = o ⊙ tanh(c) (= h).
    GRU:  kept = z ⊙ h₋₁, erased = (1 − z) ⊙ h₋₁, written = (1 − z) ⊙ n.
    In both, kept + written is the new state (the formulas are KINDS[kind].parts).
    """
    keep, write = _memory_terms(trace)
    prev = _previous(trace.state)
    parts = {"kept": keep * prev, "erased": (1.0 - keep) * prev, "written": write}
    if trace.facts.read is not None:
        state = trace.state.astype(np.float64)
        parts["read_out"] = trace.quantities[trace.facts.read].astype(np.float64) * np.tanh(state)
    return parts


def memory_contributions(trace: Trace, layer: int = -1) -> F64:
    """contrib[t, s] (T, T, H): what word s wrote that is still in the state at step t (0 for s > t).

    Summed over s it gives the cell state c_t (LSTM) or the hidden state h_t (GRU).
    """
    keep, write = _memory_terms(trace)
    keep, write = keep[:, layer], write[:, layer]  # (T, H)
    T, H = write.shape
    contrib = np.zeros((T, T, H), dtype=np.float64)
    for t in range(T):
        if t:
            contrib[t, :t] = contrib[t - 1, :t] * keep[t]
        contrib[t, t] = write[t]
    return contrib


def retention(trace: Trace, layer: int = -1) -> F64:
    """kept[t, s] (T, T): the share of what word s wrote that is still in the state at step t.

    It is Σ_units |contrib[t, s]| / Σ_units |contrib[s, s]|: 1 when written, falling as the
    forget (LSTM) or update (GRU) gates close; it never rises. 0 for s > t, and for a word
    that wrote nothing.
    """
    contrib = contribution_amounts(trace, layer)  # (T, T)
    written = np.diagonal(contrib).copy()  # (T,) what each word wrote when it was read
    with np.errstate(divide="ignore", invalid="ignore"):
        kept = np.where(written > 0, contrib / np.where(written > 0, written, 1.0), 0.0)
    return kept


def share(trace: Trace, layer: int = -1) -> F64:
    """share[t, s] (T, T): word s's part of the state at step t, Σ|contrib[t, s]| / Σ_s Σ|contrib|."""
    contrib = contribution_amounts(trace, layer)  # (T, T)
    total = contrib.sum(axis=1, keepdims=True)
    return np.where(total > 0, contrib / np.where(total > 0, total, 1.0), 0.0)


def contribution_amounts(trace: Trace, layer: int = -1) -> F64:
    """amount[t, s] (T, T): Σ over units of |contrib[t, s]|, made one step at a time, so that it
    never holds the (T, T, H) array of memory_contributions (256 MB for 1,000 words of 32 units)."""
    keep, write = _memory_terms(trace)
    keep, write = keep[:, layer], write[:, layer]  # (T, H)
    T, H = write.shape
    amount = np.zeros((T, T), dtype=np.float64)
    row = np.zeros((T, H), dtype=np.float64)  # contrib[t] for the current t
    for t in range(T):
        if t:
            row[:t] *= keep[t]
        row[t] = write[t]
        amount[t, :t + 1] = np.abs(row[:t + 1]).sum(axis=1)
    return amount
