"""LSTM, GRU and tanh-RNN layers in numpy, with PyTorch's exact equations and weight layout.

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

Each layer runs a whole sequence: the input projections of all steps are computed in one matrix
product, and the loop keeps only the recurrence, writing into preallocated arrays. σ is computed
as 0.5 · (1 + tanh(x / 2)), which never overflows; halving the sigmoid rows of the weights is exact
in floating point, so one tanh over the stacked pre-activations serves every gate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.lib.stride_tricks import as_strided
from numpy.typing import NDArray

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]


def sigmoid(x: NDArray[np.floating]) -> NDArray[np.floating]:
    """Logistic function that cannot overflow: σ(x) = 0.5 · (1 + tanh(x / 2))."""
    return 0.5 * (1.0 + np.tanh(0.5 * x))  # type: ignore[no-any-return]


@dataclass(frozen=True)
class LayerWeights:
    """One recurrent layer's four PyTorch tensors: weight_ih, weight_hh, bias_ih, bias_hh."""

    w_ih: F32  # (G·H, E)
    w_hh: F32  # (G·H, H)
    b_ih: F32  # (G·H,)
    b_hh: F32  # (G·H,)


@dataclass(frozen=True)
class Pin:
    """Gate values forced inside the recurrence: where `mask` is true, the gate is `value`."""

    mask: Mask  # (T, H)
    value: F32  # (T, H)


def stack_pins(pins: dict[str, Pin], order: tuple[str, ...], T: int, H: int) -> Pin | None:
    """Lay per-gate pins side by side in the stacked row order used by a layer's loop."""
    if not pins:
        return None
    mask = np.zeros((T, len(order) * H), dtype=bool)
    value = np.zeros((T, len(order) * H), dtype=np.float32)
    for k, name in enumerate(order):
        if name in pins:
            mask[:, k * H : (k + 1) * H] = pins[name].mask
            value[:, k * H : (k + 1) * H] = pins[name].value
    return Pin(mask, value)


def lstm_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run an LSTM layer over x (T, E) from h₀ = c₀ = 0; returns i, f, g, o, c, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    # Reorder the stacked rows i, f, g, o to o, f, i, g so the three sigmoids are contiguous,
    # and halve the sigmoid rows: tanh(a/2) of the whole block then yields all four gates.
    order = np.r_[3 * H : 4 * H, H : 2 * H, 0:H, 2 * H : 3 * H]
    scale = np.ones(4 * H, dtype=np.float32)
    scale[: 3 * H] = 0.5
    w_hh = np.ascontiguousarray(w.w_hh[order] * scale[:, None])  # (4H, H)
    xw = (x @ w.w_ih[order].T + (w.b_ih + w.b_hh)[order]) * scale  # (T, 4H)
    pin = stack_pins(pins, ("output", "forget", "input"), T, H)

    # One record per step, o f i g c, after a zero record for the initial state. In this layout
    # c₋₁ (end of record t) and g (4H further on) are a fixed stride apart, so [c₋₁, g] is a
    # (2, H) view, and f·c₋₁ + i·g is one product of [f, i] with it and one sum.
    rec = np.zeros((T + 1, 5 * H), dtype=np.float32)  # (T+1, 5H)
    size = rec.itemsize
    c_prev_g = as_strided(rec[0, 4 * H :], shape=(T, 2, H), strides=(5 * H * size, 4 * H * size, size))
    steps = rec[1:]
    tanh_c = np.empty((T, H), dtype=np.float32)
    h = np.empty((T, H), dtype=np.float32)
    # Row views made once, in C, so the loop does no indexing of its own.
    rows = zip(
        steps[:, : 4 * H], steps[:, : 3 * H], steps[:, H : 3 * H].reshape(T, 2, H), c_prev_g,
        steps[:, :H], steps[:, 4 * H :], tanh_c, h, xw,
        pin.mask if pin is not None else [None] * T, pin.value if pin is not None else [None] * T,
        strict=True,
    )
    products = np.empty((2, H), dtype=np.float32)
    fc, ig = products
    h_prev = np.zeros(H, dtype=np.float32)
    dot, add, multiply, tanh, copyto = np.dot, np.add, np.multiply, np.tanh, np.copyto
    for a, sig, fi, cg, o, c, tc, ht, xt, mask, value in rows:
        dot(w_hh, h_prev, out=a)
        add(a, xt, out=a)
        tanh(a, out=a)
        multiply(sig, 0.5, out=sig)
        add(sig, 0.5, out=sig)
        if mask is not None:
            copyto(sig, value, where=mask)
        multiply(fi, cg, out=products)  # [f ⊙ c₋₁, i ⊙ g]
        add(fc, ig, out=c)
        tanh(c, out=tc)
        multiply(o, tc, out=ht)
        h_prev = ht
    return {
        "input": steps[:, 2 * H : 3 * H],
        "forget": steps[:, H : 2 * H],
        "output": steps[:, :H],
        "candidate": steps[:, 3 * H : 4 * H],
        "cell": steps[:, 4 * H :],
        "hidden": h,
    }


def gru_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a GRU layer over x (T, E) from h₀ = 0; returns r, z, n, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    scale = np.ones(3 * H, dtype=np.float32)
    scale[: 2 * H] = 0.5  # r and z are sigmoids: halve their rows (exact), one tanh serves both
    # b_hn must stay inside the reset product, so b_hh rides along with W_hh as an extra column,
    # multiplied by a constant 1 kept at the end of each hidden vector: one dot gives W_hh h + b_hh.
    w_hh = np.ascontiguousarray(np.c_[w.w_hh, w.b_hh] * scale[:, None])  # (3H, H+1)
    xw = (x @ w.w_ih.T + w.b_ih) * scale  # (T, 3H)
    pin = stack_pins(pins, ("reset", "update"), T, H)

    rz = np.empty((T, 2 * H), dtype=np.float32)
    n = np.empty((T, H), dtype=np.float32)
    h1 = np.ones((T, H + 1), dtype=np.float32)  # each row: h, then the constant 1
    hh = np.empty(3 * H, dtype=np.float32)
    hh_rz, hh_n = hh[: 2 * H], hh[2 * H :]
    tmp = np.empty(H, dtype=np.float32)
    # Row views made once, in C, so the loop does no indexing of its own.
    rows = zip(
        rz, rz[:, :H], rz[:, H:], n, h1, h1[:, :H], xw[:, : 2 * H], xw[:, 2 * H :],
        pin.mask if pin is not None else [None] * T, pin.value if pin is not None else [None] * T,
        strict=True,
    )
    h_prev, h1_prev = np.zeros(H, dtype=np.float32), np.r_[np.zeros(H, dtype=np.float32), 1.0]
    dot, add, subtract, multiply, tanh, copyto = (np.dot, np.add, np.subtract, np.multiply, np.tanh,
                                                 np.copyto)
    for a, r, z, nt, h1t, ht, x_rz, x_n, mask, value in rows:
        dot(w_hh, h1_prev, out=hh)
        add(x_rz, hh_rz, out=a)
        tanh(a, out=a)
        multiply(a, 0.5, out=a)
        add(a, 0.5, out=a)
        if mask is not None:
            copyto(a, value, where=mask)
        multiply(r, hh_n, out=tmp)
        add(tmp, x_n, out=tmp)
        tanh(tmp, out=nt)
        # h' = (1 − z) ⊙ n + z ⊙ h in PyTorch's order, so that z = 1 keeps h bit for bit
        subtract(1.0, z, out=tmp)
        multiply(tmp, nt, out=tmp)
        multiply(z, h_prev, out=ht)
        add(ht, tmp, out=ht)
        h_prev, h1_prev = ht, h1t
    return {"reset": rz[:, :H], "update": rz[:, H:], "candidate": n, "hidden": h1[:, :H]}


def rnn_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a tanh RNN layer over x (T, E) from h₀ = 0; returns h (T, H). It has no gates to pin."""
    T, H = x.shape[0], w.w_hh.shape[1]
    w_hh = np.ascontiguousarray(w.w_hh)  # (H, H)
    xw = x @ w.w_ih.T + (w.b_ih + w.b_hh)  # (T, H)
    h = np.empty((T, H), dtype=np.float32)
    h_prev = np.zeros(H, dtype=np.float32)
    dot, add, tanh = np.dot, np.add, np.tanh
    for ht, xt in zip(h, xw, strict=True):
        dot(w_hh, h_prev, out=ht)
        add(ht, xt, out=ht)
        tanh(ht, out=ht)
        h_prev = ht
    return {"hidden": h}


LAYERS = {"lstm": lstm_layer, "gru": gru_layer, "rnn": rnn_layer}
