"""LSTM, GRU and tanh-RNN layers in plain numpy: the reference, written as PyTorch's equations.

LSTM (rows of the stacked weights in the order i, f, g, o):
    i = σ(W_ii x + b_ii + W_hi h + b_hi)      f = σ(W_if x + b_if + W_hf h + b_hf)
    g = tanh(W_ig x + b_ig + W_hg h + b_hg)   o = σ(W_io x + b_io + W_ho h + b_ho)
    c' = f ⊙ c + i ⊙ g                        h' = o ⊙ tanh(c')
GRU (rows in the order r, z, n; b_hn stays inside the reset product):
    r = σ(W_ir x + b_ir + W_hr h + b_hr)      z = σ(W_iz x + b_iz + W_hz h + b_hz)
    n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
    h' = (1 − z) ⊙ n + z ⊙ h
RNN:
    h' = tanh(W_ih x + b_ih + W_hh h + b_hh)

Each layer runs a whole sequence from a zero state: the input projections of every step are one
matrix product before the loop, and each line of the loop is one of the equations above. A pinned
gate (a clamp) replaces the computed one before the state is updated. σ(x) = 0.5 · (1 + tanh(x / 2)),
which never overflows. kernels.py compiles the same loops; this file is the one to read.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .kinds import KINDS

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]


def sigmoid(x: NDArray[np.floating]) -> NDArray[np.floating]:
    """Logistic function that cannot overflow: σ(x) = 0.5 · (1 + tanh(x / 2))."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LayerWeights:
    """One recurrent layer's four PyTorch tensors: weight_ih, weight_hh, bias_ih, bias_hh."""

    w_ih: F32  # (G·H, E), G = len(KINDS[kind].blocks)
    w_hh: F32  # (G·H, H)
    b_ih: F32  # (G·H,)
    b_hh: F32  # (G·H,)


@dataclass(frozen=True)
class Pin:
    """Gate values forced inside the recurrence: where `mask` is true, the gate is `value`."""

    mask: Mask  # (T, H)
    value: F32  # (T, H)


def pinned(gate: F32, pins: dict[str, Pin], name: str, t: int) -> F32:
    """The gate `name` at step t as the clamps leave it: its pinned value where pinned."""
    pin = pins.get(name)
    return gate if pin is None else np.where(pin.mask[t], pin.value[t], gate)


def lstm_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run an LSTM layer over x (T, E) from h₀ = c₀ = 0; returns i, f, g, o, c, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    xw = x @ w.w_ih.T + (w.b_ih + w.b_hh)  # (T, 4H): W_i· x + b_i· + b_h· of every step, rows i f g o
    out = {name: np.empty((T, H), dtype=np.float32) for name in KINDS["lstm"].quantities}
    h, c = np.zeros(H, dtype=np.float32), np.zeros(H, dtype=np.float32)
    for t in range(T):
        a_i, a_f, a_g, a_o = (xw[t] + w.w_hh @ h).reshape(4, H)  # (H,) each: pre-activations
        i = pinned(sigmoid(a_i), pins, "input", t)
        f = pinned(sigmoid(a_f), pins, "forget", t)
        g = np.tanh(a_g)
        o = pinned(sigmoid(a_o), pins, "output", t)
        c = f * c + i * g
        h = o * np.tanh(c)
        out["input"][t], out["forget"][t], out["candidate"][t], out["output"][t] = i, f, g, o
        out["cell"][t], out["hidden"][t] = c, h
    return out


def gru_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a GRU layer over x (T, E) from h₀ = 0; returns r, z, n, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    xw = x @ w.w_ih.T + w.b_ih  # (T, 3H): W_i· x + b_i· of every step, rows r z n
    out = {name: np.empty((T, H), dtype=np.float32) for name in KINDS["gru"].quantities}
    h = np.zeros(H, dtype=np.float32)
    for t in range(T):
        x_r, x_z, x_n = xw[t].reshape(3, H)  # (H,) each: the input's part of r, z, n
        h_r, h_z, h_n = (w.w_hh @ h + w.b_hh).reshape(3, H)  # W_h· h + b_h·: b_hn inside r ⊙ (…)
        r = pinned(sigmoid(x_r + h_r), pins, "reset", t)
        z = pinned(sigmoid(x_z + h_z), pins, "update", t)
        n = np.tanh(x_n + r * h_n)
        h = (1 - z) * n + z * h  # PyTorch's order: z = 1 keeps h bit for bit
        out["reset"][t], out["update"][t], out["candidate"][t], out["hidden"][t] = r, z, n, h
    return out


def rnn_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a tanh RNN layer over x (T, E) from h₀ = 0; returns h (T, H). It has no gates to pin."""
    T, H = x.shape[0], w.w_hh.shape[1]
    xw = x @ w.w_ih.T + (w.b_ih + w.b_hh)  # (T, H): W_ih x + b_ih + b_hh of every step
    out = np.empty((T, H), dtype=np.float32)
    h = np.zeros(H, dtype=np.float32)
    for t in range(T):
        h = np.tanh(xw[t] + w.w_hh @ h)
        out[t] = h
    return {"hidden": out}


LAYERS = {"lstm": lstm_layer, "gru": gru_layer, "rnn": rnn_layer}
