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
from numpy.typing import NDArray

F32 = NDArray[np.float32]
Mask = NDArray[np.bool_]

GATES = {"lstm": ("input", "forget", "output"), "gru": ("reset", "update"), "rnn": ()}
GATE_COUNT = {"lstm": 4, "gru": 3, "rnn": 1}  # stacked blocks in weight_ih / weight_hh


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


def _pin_rows(pins: dict[str, Pin], order: tuple[str, ...], T: int, H: int) -> Pin | None:
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
    # Reorder the stacked rows i, f, g, o to i, f, o, g so the three sigmoids are contiguous,
    # and halve the sigmoid rows: tanh(a/2) of the whole block then yields all four gates.
    order = np.r_[0 : 2 * H, 3 * H : 4 * H, 2 * H : 3 * H]
    scale = np.ones(4 * H, dtype=np.float32)
    scale[: 3 * H] = 0.5
    w_hh = np.ascontiguousarray(w.w_hh[order] * scale[:, None])  # (4H, H)
    xw = (x @ w.w_ih[order].T + (w.b_ih + w.b_hh)[order]) * scale  # (T, 4H)
    pin = _pin_rows(pins, ("input", "forget", "output"), T, H)

    ifog = np.empty((T, 4 * H), dtype=np.float32)  # rows i, f, o, g
    c = np.empty((T, H), dtype=np.float32)
    tanh_c = np.empty((T, H), dtype=np.float32)
    h = np.empty((T, H), dtype=np.float32)
    ig = np.empty(H, dtype=np.float32)
    h_prev = np.zeros(H, dtype=np.float32)
    c_prev = np.zeros(H, dtype=np.float32)
    for t in range(T):
        a = ifog[t]
        np.dot(w_hh, h_prev, out=a)
        a += xw[t]
        np.tanh(a, out=a)
        sig = a[: 3 * H]
        sig *= 0.5
        sig += 0.5
        if pin is not None:
            np.copyto(sig, pin.value[t], where=pin.mask[t])
        i, f, o, g = a[:H], a[H : 2 * H], a[2 * H : 3 * H], a[3 * H :]
        np.multiply(f, c_prev, out=c[t])
        np.multiply(i, g, out=ig)
        c[t] += ig
        np.tanh(c[t], out=tanh_c[t])
        np.multiply(o, tanh_c[t], out=h[t])
        h_prev, c_prev = h[t], c[t]
    return {
        "input": ifog[:, :H],
        "forget": ifog[:, H : 2 * H],
        "output": ifog[:, 2 * H : 3 * H],
        "candidate": ifog[:, 3 * H :],
        "cell": c,
        "hidden": h,
    }


def gru_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a GRU layer over x (T, E) from h₀ = 0; returns r, z, n, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    scale = np.ones(3 * H, dtype=np.float32)
    scale[: 2 * H] = 0.5  # r and z are sigmoids: halve their rows (exact), one tanh serves both
    w_hh = np.ascontiguousarray(w.w_hh * scale[:, None])  # (3H, H)
    b_hh = w.b_hh * scale  # (3H,)
    xw = (x @ w.w_ih.T + w.b_ih) * scale  # (T, 3H)
    pin = _pin_rows(pins, ("reset", "update"), T, H)

    rz = np.empty((T, 2 * H), dtype=np.float32)
    n = np.empty((T, H), dtype=np.float32)
    h = np.empty((T, H), dtype=np.float32)
    hh = np.empty(3 * H, dtype=np.float32)
    tmp = np.empty(H, dtype=np.float32)
    h_prev = np.zeros(H, dtype=np.float32)
    for t in range(T):
        np.dot(w_hh, h_prev, out=hh)
        hh += b_hh
        a = rz[t]
        np.add(xw[t, : 2 * H], hh[: 2 * H], out=a)
        np.tanh(a, out=a)
        a *= 0.5
        a += 0.5
        if pin is not None:
            np.copyto(a, pin.value[t], where=pin.mask[t])
        r, z = a[:H], a[H:]
        np.multiply(r, hh[2 * H :], out=tmp)
        tmp += xw[t, 2 * H :]
        np.tanh(tmp, out=n[t])
        # h' = (1 − z) ⊙ n + z ⊙ h in PyTorch's order, so that z = 1 keeps h bit for bit
        np.subtract(1.0, z, out=tmp)
        tmp *= n[t]
        np.multiply(z, h_prev, out=h[t])
        h[t] += tmp
        h_prev = h[t]
    return {"reset": rz[:, :H], "update": rz[:, H:], "candidate": n, "hidden": h}


def rnn_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """Run a tanh RNN layer over x (T, E) from h₀ = 0; returns h (T, H). It has no gates to pin."""
    T, H = x.shape[0], w.w_hh.shape[1]
    w_hh = np.ascontiguousarray(w.w_hh)  # (H, H)
    xw = x @ w.w_ih.T + (w.b_ih + w.b_hh)  # (T, H)
    h = np.empty((T, H), dtype=np.float32)
    h_prev = np.zeros(H, dtype=np.float32)
    for t in range(T):
        a = h[t]
        np.dot(w_hh, h_prev, out=a)
        a += xw[t]
        np.tanh(a, out=a)
        h_prev = a
    return {"hidden": h}


LAYERS = {"lstm": lstm_layer, "gru": gru_layer, "rnn": rnn_layer}
