"""The float64 forward passes of grad_steps.py written unit by unit, for numba to compile.

grad_steps.py's forward passes are whole-vector numpy expressions, which is what the numpy engine
needs, but compiled they allocate some forty small temporaries a step (12 µs a step for the LSTM).
Here every step is one pass over the units with nothing allocated (about 2 µs a step). Same
equations, same outputs (coef (T, L, K, H) as grad_steps.py documents, and the top layer's h),
tanh from the C library in float64. Only compiled: in plain Python these loops would be slow.
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


def lstm_forward(x: Arr, w_ih0_t: Arr, w_ih_up_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr,
                 free: Arr, value: Arr) -> tuple[Arr, Arr]:
    L, H, T = w_hh_t.shape[0], w_hh_t.shape[1], x.shape[0]
    G = 4 * H
    coef = np.zeros((T, L, 6, H))
    inp = x.copy()
    pre = np.empty(G)
    h, c = np.zeros(H), np.zeros(H)
    for layer in range(L):
        xw = np.dot(inp, w_ih0_t) if layer == 0 else np.dot(inp, w_ih_up_t[layer - 1])
        out = np.empty((T, H))
        h[:] = 0.0
        c[:] = 0.0
        w = w_hh_t[layer]
        for t in range(T):
            for j in range(G):
                pre[j] = xw[t, j] + b_ih[layer, j] + b_hh[layer, j]
            for k in range(H):  # W_hh h along contiguous rows of W_hh^T
                hk = h[k]
                for j in range(G):
                    pre[j] += w[k, j] * hk
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
        inp = out
    return coef, inp


def gru_forward(x: Arr, w_ih0_t: Arr, w_ih_up_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr,
                free: Arr, value: Arr) -> tuple[Arr, Arr]:
    L, H, T = w_hh_t.shape[0], w_hh_t.shape[1], x.shape[0]
    G = 3 * H
    coef = np.zeros((T, L, 5, H))
    inp = x.copy()
    hh = np.empty(G)
    h = np.zeros(H)
    for layer in range(L):
        xw = np.dot(inp, w_ih0_t) if layer == 0 else np.dot(inp, w_ih_up_t[layer - 1])
        out = np.empty((T, H))
        h[:] = 0.0
        w = w_hh_t[layer]
        for t in range(T):
            for j in range(G):
                hh[j] = b_hh[layer, j]
            for k in range(H):
                hk = h[k]
                for j in range(G):
                    hh[j] += w[k, j] * hk
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
        inp = out
    return coef, inp


def rnn_forward(x: Arr, w_ih0_t: Arr, w_ih_up_t: Arr, w_hh_t: Arr, b_ih: Arr, b_hh: Arr,
                free: Arr, value: Arr) -> tuple[Arr, Arr]:
    L, H, T = w_hh_t.shape[0], w_hh_t.shape[1], x.shape[0]
    coef = np.zeros((T, L, 1, H))
    inp = x.copy()
    pre = np.empty(H)
    h = np.zeros(H)
    for layer in range(L):
        xw = np.dot(inp, w_ih0_t) if layer == 0 else np.dot(inp, w_ih_up_t[layer - 1])
        out = np.empty((T, H))
        h[:] = 0.0
        w = w_hh_t[layer]
        for t in range(T):
            for j in range(H):
                pre[j] = xw[t, j] + b_ih[layer, j] + b_hh[layer, j]
            for k in range(H):
                hk = h[k]
                for j in range(H):
                    pre[j] += w[k, j] * hk
            for j in range(H):
                hj = _tanh(pre[j])
                coef[t, layer, 0, j] = 1.0 - hj * hj
                out[t, j] = hj
            h[:] = out[t]
        inp = out
    return coef, inp


FUNCTIONS = ("_sig", "_tanh", "lstm_forward", "gru_forward", "rnn_forward")
