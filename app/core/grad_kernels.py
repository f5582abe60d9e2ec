"""The float64 layer passes of grad_steps.py written unit by unit, for numba to compile.

grad_steps.py's layer passes are whole-vector numpy expressions, which is what the numpy engine
needs, but compiled they allocate some forty small temporaries a step (12 µs a step for the LSTM).
Here every step is one pass over the units with nothing allocated (about 2 µs a step). Same
equations, arguments and outputs as grad_steps.lstm_layer etc. (coef (T, L, K, H) as grad_steps.py
documents), which grad_steps.forward runs layer by layer. Only compiled: in plain Python these
loops would be slow. This is why each equation stands twice, here and in grad_steps.py: one form
cannot be both fast compiled and fast in plain numpy.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

Arr = Any


def _sig(x: float) -> tuple[float, float]:
    """σ(x) and σ'(x) from one exp (cheaper than tanh); σ' = e/(1 + e)² with e = exp(−|x|) keeps
    its relative precision where the gate saturates, where σ·(1 − σ) would round to 0."""
    e = math.exp(-abs(x))
    d = 1.0 / (1.0 + e)
    return (d if x >= 0 else e * d), e * d * d


def _tanh(x: float) -> float:
    """tanh from expm1, exact to float64 rounding near 0 too, and about twice as fast as tanh."""
    m = math.expm1(-2.0 * abs(x))
    y = -m / (2.0 + m)
    return y if x >= 0 else -y


def _add_recurrent(acc: Arr, w: Arr, h: Arr) -> None:
    """acc += W_hh h, along the contiguous rows of w = W_hh^T (H, G·H); nothing allocated (an
    array expression here would allocate a temporary at every step)."""
    for k in range(h.shape[0]):
        hk = h[k]
        for j in range(acc.shape[0]):
            acc[j] += w[k, j] * hk


def _layer_start(inp: Arr, w_in_t: Arr, w_hh_t: Arr, layer: int) -> tuple[Arr, Arr, Arr, Arr, Arr]:
    """What a layer pass starts from: W_ih x of every step (T, G·H), this layer's W_hh^T, a
    G·H buffer for one step's pre-activations, h = 0 (H,) and the layer's output (T, H)."""
    H = w_hh_t.shape[1]
    return (np.dot(inp, w_in_t), w_hh_t[layer], np.empty(w_hh_t.shape[2]), np.zeros(H),
            np.empty((inp.shape[0], H)))


def lstm_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
               coef: Arr, layer: int) -> Arr:
    xw, w, pre, h, out = _layer_start(inp, w_in_t, w_hh_t, layer)
    H, c = h.shape[0], np.zeros(h.shape[0])
    for t in range(inp.shape[0]):
        for j in range(pre.shape[0]):
            pre[j] = xw[t, j] + b_ih[layer, j] + b_hh[layer, j]
        _add_recurrent(pre, w, h)
        m, v, kt = free[layer, t], value[layer, t], coef[t, layer]
        for j in range(H):
            (i, di), (f, df) = _sig(pre[j]), _sig(pre[H + j])
            g, (o, do) = _tanh(pre[2 * H + j]), _sig(pre[3 * H + j])
            mi, mf, mo = m[j], m[H + j], m[3 * H + j]
            di, df, do = di * mi, df * mf, do * mo
            i = i * mi + v[j] * (1.0 - mi)
            f = f * mf + v[H + j] * (1.0 - mf)
            o = o * mo + v[3 * H + j] * (1.0 - mo)
            c_new = f * c[j] + i * g
            tc = _tanh(c_new)
            kt[0, j] = g * di
            kt[1, j] = c[j] * df
            kt[2, j] = i * (1.0 - g * g)
            kt[3, j] = tc * do
            kt[4, j] = o * (1.0 - tc * tc)
            kt[5, j] = f
            c[j] = c_new
            out[t, j] = o * tc
        h[:] = out[t]
    return out


def gru_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
              coef: Arr, layer: int) -> Arr:
    xw, w, hh, h, out = _layer_start(inp, w_in_t, w_hh_t, layer)
    H = h.shape[0]
    for t in range(inp.shape[0]):
        for j in range(hh.shape[0]):
            hh[j] = b_hh[layer, j]  # b_hn stays inside the reset product
        _add_recurrent(hh, w, h)
        m, v, kt = free[layer, t], value[layer, t], coef[t, layer]
        for j in range(H):
            r, dr = _sig(xw[t, j] + b_ih[layer, j] + hh[j])
            z, dz = _sig(xw[t, H + j] + b_ih[layer, H + j] + hh[H + j])
            mr, mz = m[j], m[H + j]
            dr, dz = dr * mr, dz * mz
            r = r * mr + v[j] * (1.0 - mr)
            z = z * mz + v[H + j] * (1.0 - mz)
            hn = hh[2 * H + j]
            n = _tanh(xw[t, 2 * H + j] + b_ih[layer, 2 * H + j] + r * hn)
            kt[0, j] = (1.0 - z) * (1.0 - n * n)
            kt[1, j] = (h[j] - n) * dz
            kt[2, j] = hn * dr
            kt[3, j] = r
            kt[4, j] = z
            out[t, j] = (1.0 - z) * n + z * h[j]
        h[:] = out[t]
    return out


def rnn_layer(inp: Arr, w_in_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr, free: Arr, value: Arr,
              coef: Arr, layer: int) -> Arr:
    xw, w, pre, h, out = _layer_start(inp, w_in_t, w_hh_t, layer)
    for t in range(inp.shape[0]):
        for j in range(pre.shape[0]):
            pre[j] = xw[t, j] + b_ih[layer, j] + b_hh[layer, j]
        _add_recurrent(pre, w, h)
        for j in range(h.shape[0]):
            hj = _tanh(pre[j])
            coef[t, layer, 0, j] = 1.0 - hj * hj
            out[t, j] = hj
        h[:] = out[t]
    return out


FUNCTIONS = ("_sig", "_tanh", "_add_recurrent", "_layer_start", "lstm_layer", "gru_layer", "rnn_layer")
