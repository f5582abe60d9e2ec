"""Back-propagation through time, one step at a time, in float64: the forward pass that keeps what
the backward pass needs, and the backward step of all layers, for LSTM, GRU and RNN.

The backward steps and the sweep are written in the subset of numpy that numba compiles, so
app/core/gradients.py runs them as they are (the numpy engine) or compiled (numba), with the same
numbers; the layer passes of the forward pass here are the numpy engine's (grad_kernels.py has
the compiled ones; `forward` runs either).
A vanished gradient is 1e-20, not 0: float64 all the way, with the C library's exp and tanh, not
kernels.py's float32 approximation.

Adjoints are carried for R rows at once: row r is the gradient of one scalar (log p_label at one
step, or one coordinate of the state). Rows k0.. are active; each step back is two or three
matrix products of (R, G·H) by (G·H, H or E), so all T rows of a T × T map cost T such products.

Per step and layer, the forward pass keeps the factors the backward step multiplies by ("coef",
(T, L, K, H)); a pinned gate is a constant, so its derivative factor is 0 there, as in the forward
pass. `free` is 1 where a gate is free and 0 where it is pinned to `value` (both (L, T, G·H)).

LSTM, K = 6:  i-row: g·σ'(i)   f-row: c₋₁·σ'(f)   g-row: i·(1 − g²)   o-row: tanh(c)·σ'(o)
              dh→dc: o·(1 − tanh² c)   dc→dc₋₁: f
GRU, K = 5:   dh→dn_pre: (1 − z)(1 − n²)   z-row: (h₋₁ − n)·σ'(z)   r-row: (W_hn h₋₁ + b_hn)·σ'(r)
              r (dn_pre→d(W_hn h₋₁ + b_hn)),  z (dh→dh₋₁, directly)
RNN, K = 1:   1 − h²
"""

from __future__ import annotations

from typing import Any

import numpy as np

Arr = Any  # numba compiles these functions: their arguments are plain float64 arrays


def _sigmoid(a: Arr) -> tuple[Arr, Arr]:
    """σ(a) and σ'(a) from e = exp(−|a|): σ' = e/(1 + e)² keeps its relative precision where a gate
    saturates (σ·(1 − σ) would round to 0 there; a vanished gradient is small, not 0)."""
    e = np.exp(-np.abs(a))
    d = 1.0 / (1.0 + e)
    return np.where(a >= 0, d, e * d), e * d * d


def forward(kind: str, x: Arr, w_ih0_t: Arr, w_ih_up_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr,
            free: Arr, value: Arr) -> tuple[Arr, Arr]:
    """x (T, E); w_ih0_t (E, G·H); w_ih_up_t (L−1, H, G·H); w_hh_t (L, H, G·H); biases (L, G·H).
    Returns coef (T, L, K, H) and the top layer's h (T, H).

    Plain Python over the layers in both engines (a handful of calls): each layer runs this
    module's `<kind>_layer`, looked up when called, so in the compiled copy gradients.py makes it
    is grad_kernels' unit-by-unit pass, and here the vectorised one below."""
    L, H, T = w_hh_t.shape[0], w_hh_t.shape[1], x.shape[0]
    coef = np.zeros((T, L, COEFS[kind], H))
    layer_pass = globals()[LAYER[kind]]
    inp = x.copy()
    for layer in range(L):
        w_in_t = w_ih0_t if layer == 0 else w_ih_up_t[layer - 1]
        inp = layer_pass(inp, w_in_t, w_hh_t, b_ih, b_hh, free, value, coef, layer)
    return coef, inp


def lstm_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
               coef: Arr, layer: int) -> Arr:
    """One layer over inp (T, in) with w_in_t (in, 4H): fills coef[:, layer], returns its h (T, H)."""
    pre = np.dot(inp, w_in_t) + (b_ih[layer] + b_hh[layer])
    H = w_hh_t.shape[1]
    h, c = np.zeros(H), np.zeros(H)
    out = np.empty((inp.shape[0], H))
    for t in range(inp.shape[0]):
        a = pre[t] + np.dot(h, w_hh_t[layer])
        m, v = free[layer, t], value[layer, t]
        (i, di), (f, df), (o, do) = _sigmoid(a[:H]), _sigmoid(a[H : 2 * H]), _sigmoid(a[3 * H :])
        g = np.tanh(a[2 * H : 3 * H])
        di, df, do = di * m[:H], df * m[H : 2 * H], do * m[3 * H :]
        i = i * m[:H] + v[:H] * (1.0 - m[:H])  # a pinned gate is exactly its value
        f = f * m[H : 2 * H] + v[H : 2 * H] * (1.0 - m[H : 2 * H])
        o = o * m[3 * H :] + v[3 * H :] * (1.0 - m[3 * H :])
        c_new = f * c + i * g
        tc = np.tanh(c_new)
        k = coef[t, layer]
        k[0] = g * di
        k[1] = c * df
        k[2] = i * (1.0 - g * g)
        k[3] = tc * do
        k[4] = o * (1.0 - tc * tc)
        k[5] = f
        c = c_new
        h = o * tc
        out[t] = h
    return out


def gru_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
              coef: Arr, layer: int) -> Arr:
    """As lstm_layer with 3H rows (r, z, n)."""
    pre = np.dot(inp, w_in_t) + b_ih[layer]
    H = w_hh_t.shape[1]
    h = np.zeros(H)
    out = np.empty((inp.shape[0], H))
    for t in range(inp.shape[0]):
        hh = np.dot(h, w_hh_t[layer]) + b_hh[layer]  # b_hn stays inside the reset product
        m, v = free[layer, t], value[layer, t]
        (r, dr), (z, dz) = _sigmoid(pre[t, :H] + hh[:H]), _sigmoid(pre[t, H : 2 * H] + hh[H : 2 * H])
        dr, dz = dr * m[:H], dz * m[H : 2 * H]
        r = r * m[:H] + v[:H] * (1.0 - m[:H])
        z = z * m[H : 2 * H] + v[H : 2 * H] * (1.0 - m[H : 2 * H])
        hn = hh[2 * H :]
        n = np.tanh(pre[t, 2 * H :] + r * hn)
        k = coef[t, layer]
        k[0] = (1.0 - z) * (1.0 - n * n)
        k[1] = (h - n) * dz
        k[2] = hn * dr
        k[3] = r
        k[4] = z
        h = (1.0 - z) * n + z * h
        out[t] = h
    return out


def rnn_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
              coef: Arr, layer: int) -> Arr:
    """h' = tanh(W_ih x + b_ih + W_hh h + b_hh), as lstm_layer (nothing to pin)."""
    pre = np.dot(inp, w_in_t) + (b_ih[layer] + b_hh[layer])
    h = np.zeros(w_hh_t.shape[1])
    out = np.empty((inp.shape[0], h.shape[0]))
    for t in range(inp.shape[0]):
        h = np.tanh(pre[t] + np.dot(h, w_hh_t[layer]))
        coef[t, layer, 0] = 1.0 - h * h
        out[t] = h
    return out


def lstm_back(coef_s: Arr, w_ih0: Arr, w_ih_up: Arr, w_hh: Arr, dh: Arr, dc: Arr, k0: int) -> Arr:
    """One step back through every layer, top first. coef_s (L, 6, H) of step s; weights as
    PyTorch stores them ((4H, in)); dh, dc (L, R, H) hold the adjoints of h_s and c_s (rows k0..)
    and are overwritten with those of h_{s−1} and c_{s−1}. Returns the adjoint of layer 0's input
    pre-activations (R − k0, 4H): times W_ih of layer 0, the adjoint of x_s."""
    L, H = coef_s.shape[0], coef_s.shape[2]
    d_in = np.zeros((0, w_ih0.shape[0]))
    for layer in range(L - 1, -1, -1):
        k = coef_s[layer]
        dhl = dh[layer, k0:]
        dct = dc[layer, k0:] + dhl * k[4]
        da = np.empty((dhl.shape[0], 4 * H))  # adjoints of the pre-activations, rows i f g o
        da[:, :H] = dct * k[0]
        da[:, H : 2 * H] = dct * k[1]
        da[:, 2 * H : 3 * H] = dct * k[2]
        da[:, 3 * H :] = dhl * k[3]
        dc[layer, k0:] = dct * k[5]
        dh[layer, k0:] = np.dot(da, w_hh[layer])
        if layer > 0:
            dh[layer - 1, k0:] += np.dot(da, w_ih_up[layer - 1])  # the layer below's h_s feeds this one
        else:
            d_in = da
    return d_in


def gru_back(coef_s: Arr, w_ih0: Arr, w_ih_up: Arr, w_hh: Arr, dh: Arr, dc: Arr, k0: int) -> Arr:
    """As lstm_back for the GRU (dc is unused): rows r, z, n of (3H, in); returns (R − k0, 3H)."""
    L, H = coef_s.shape[0], coef_s.shape[2]
    d_in, dinp = np.zeros((0, w_ih0.shape[0])), np.zeros((0, H))
    for layer in range(L - 1, -1, -1):
        k = coef_s[layer]
        dhl = dh[layer, k0:]
        dn = dhl * k[0]  # adjoint of n's pre-activation
        d3 = np.empty((dhl.shape[0], 3 * H))
        d3[:, :H] = dn * k[2]
        d3[:, H : 2 * H] = dhl * k[1]
        d3[:, 2 * H :] = dn  # W_in x enters n's pre-activation directly ...
        if layer > 0:
            dinp = np.dot(d3, w_ih_up[layer - 1])
        else:
            d_in = d3.copy()
        d3[:, 2 * H :] = dn * k[3]  # ... W_hn h₋₁ + b_hn through the reset gate
        dh[layer, k0:] = dhl * k[4] + np.dot(d3, w_hh[layer])
        if layer > 0:
            dh[layer - 1, k0:] += dinp
    return d_in


def rnn_back(coef_s: Arr, w_ih0: Arr, w_ih_up: Arr, w_hh: Arr, dh: Arr, dc: Arr, k0: int) -> Arr:
    """As lstm_back for the tanh RNN (dc is unused); returns (R − k0, H)."""
    L = coef_s.shape[0]
    d_in = np.zeros((0, w_ih0.shape[0]))
    for layer in range(L - 1, -1, -1):
        da = dh[layer, k0:] * coef_s[layer, 0]
        dh[layer, k0:] = np.dot(da, w_hh[layer])
        if layer > 0:
            dh[layer - 1, k0:] += np.dot(da, w_ih_up[layer - 1])
        else:
            d_in = da
    return d_in


def sweep(kind: int, coef: Arr, w_ih0: Arr, w_ih_up: Arr, w_hh: Arr, head_grad: Arr,
          targets: Arr) -> Arr:
    """Rows `targets` (sorted, distinct steps) of the connectivity map, (R, T), in one sweep from
    the last word back to the first; row t joins at s = t with ∂ log p_label(t) / ∂ h_t (top
    layer, `head_grad` (T, H)). kind: 0 LSTM, 1 GRU, 2 RNN.

    ∂/∂x_s is the input adjoint times W_ih of layer 0: for a few rows (at most 8, and 32 MB) the
    adjoints are kept and multiplied at the end, one large product per row instead of T small
    ones (for many rows the products at each step are large already, and only over s ≤ t)."""
    T, L, H, R = coef.shape[0], w_hh.shape[0], w_hh.shape[2], targets.shape[0]
    G = w_ih0.shape[0]
    dh, dc = np.zeros((L, R, H)), np.zeros((L, R, H))
    rows = np.zeros((R, T))
    ones = np.ones(w_ih0.shape[1])  # row sums as one product: numba's sum(axis=1) is slow
    deferred = R <= 8 and R * T * G <= 1 << 22
    kept = np.zeros((R if deferred else 0, T, G))
    k0 = R
    for s in range(T - 1, -1, -1):
        while k0 > 0 and targets[k0 - 1] >= s:
            k0 -= 1
            dh[L - 1, k0] += head_grad[targets[k0]]
        if k0 == R:
            continue
        if kind == 0:
            d_in = lstm_back(coef[s], w_ih0, w_ih_up, w_hh, dh, dc, k0)
        elif kind == 1:
            d_in = gru_back(coef[s], w_ih0, w_ih_up, w_hh, dh, dc, k0)
        else:
            d_in = rnn_back(coef[s], w_ih0, w_ih_up, w_hh, dh, dc, k0)
        if deferred:
            kept[k0:, s] = d_in
        else:
            dx = np.dot(d_in, w_ih0)
            rows[k0:, s] = np.sqrt(np.dot(dx * dx, ones))
    for r in range(kept.shape[0]):
        dx = np.dot(kept[r], w_ih0)  # (T, E); zero after the row's own step
        rows[r] = np.sqrt(np.dot(dx * dx, ones))
    return rows


KIND_CODE = {"lstm": 0, "gru": 1, "rnn": 2}
COEFS = {"lstm": 6, "gru": 5, "rnn": 1}  # K of coef (T, L, K, H)
LAYER = {"lstm": "lstm_layer", "gru": "gru_layer", "rnn": "rnn_layer"}
BACK = {"lstm": "lstm_back", "gru": "gru_back", "rnn": "rnn_back"}
# Compiled by gradients.py (the layer passes compiled are grad_kernels.py's).
FUNCTIONS = ("lstm_back", "gru_back", "rnn_back", "sweep")
