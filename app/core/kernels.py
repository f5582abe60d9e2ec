"""The three step loops compiled with numba: the equations of cells.py, each step one pass in machine code.

A numpy step costs about ten ufunc calls on 32-128 numbers, and each call's overhead (~0.5 µs)
dwarfs its arithmetic; PyTorch's fused LSTM does a step in ~1 µs. Compiled, a step is one
vectorised matrix-vector product and one loop over the units, with nothing between them.

numba is optional for app.core: without it (or with GATESCOPE_ENGINE=numpy) the numpy loops of
cells.py run instead, with the same results to float32 rounding. tanh is a rational approximation
(Eigen's, within 4e-7: a few float32 ulps) because the C library's tanhf cannot be vectorised:
160 calls a step would cost more than the rest of the step. σ(x) = 0.5 · (1 + tanh(x / 2)).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

import numpy as np

from .cells import F32, LayerWeights, Pin
from .kinds import KINDS

numba: Any = None
if os.environ.get("GATESCOPE_ENGINE", "").lower() != "numpy":
    try:
        import numba
    except ImportError:  # app.core stays usable with numpy alone
        numba = None

LayerFn = Callable[[F32, LayerWeights, dict[str, Pin]], dict[str, F32]]
Fn = TypeVar("Fn", bound=Callable[..., Any])


def stack_pins(pins: dict[str, Pin], blocks: tuple[str, ...], T: int, H: int) -> tuple[Any, Any]:
    """The per-gate pins laid side by side like the rows of the weights, (T, G·H) mask and value;
    a (0, G·H) mask means nothing is pinned (one argument type for both, so one compilation)."""
    if not pins:
        return np.zeros((0, len(blocks) * H), dtype=bool), np.zeros((0, len(blocks) * H), np.float32)
    mask = np.zeros((T, len(blocks) * H), dtype=bool)
    value = np.zeros((T, len(blocks) * H), dtype=np.float32)
    for k, name in enumerate(blocks):
        if name in pins:
            mask[:, k * H : (k + 1) * H] = pins[name].mask
            value[:, k * H : (k + 1) * H] = pins[name].value
    return mask, value


def _jit(**options: Any) -> Callable[[Fn], Fn]:
    """numba.njit(**options) where numba is in use; without it the function stays plain Python."""
    if numba is None:
        return lambda fn: fn
    return numba.njit(error_model="numpy", **options)  # type: ignore[no-any-return]


# Inlined into the loops; cache=True keeps each loop's machine code beside this file (or in numba's
# user cache), so only the first run on a machine pays its compilation (about a second each).
_inline, _loop = _jit(inline="always"), _jit(cache=True, nogil=True)

# Eigen's generic_fast_tanh_float: odd numerator of degree 13 over an even denominator of degree 6.
_CLIP = np.float32(7.90531110763549805)  # beyond this, tanh rounds to ±1 in float32
_A = tuple(np.float32(a) for a in (-2.76076847742355e-16, 2.00018790482477e-13, -8.60467152213735e-11,
                                   5.12229709037114e-08, 1.48572235717979e-05, 6.37261928875436e-04,
                                   4.89352455891786e-03))
_B = tuple(np.float32(b) for b in (1.19825839466702e-06, 1.18534705686654e-04, 2.26843463243900e-03,
                                   4.89352518554385e-03))
_ONE, _HALF = np.float32(1.0), np.float32(0.5)


@_inline
def _tanh(x: Any) -> Any:
    """tanh(x) in float32 to within 4e-7, branch-free so that a loop of it vectorises."""
    x = min(max(x, -_CLIP), _CLIP)
    x2 = x * x
    p = _A[0]
    p = p * x2 + _A[1]
    p = p * x2 + _A[2]
    p = p * x2 + _A[3]
    p = p * x2 + _A[4]
    p = p * x2 + _A[5]
    p = p * x2 + _A[6]
    q = _B[0]
    q = q * x2 + _B[1]
    q = q * x2 + _B[2]
    q = q * x2 + _B[3]
    return min(max(x * p / q, -_ONE), _ONE)


@_inline
def _sigmoid(x: Any) -> Any:
    return _HALF * (_ONE + _tanh(_HALF * x))


@_loop
def _lstm_loop(xw: Any, w_hh_t: Any, mask: Any, value: Any, out: Any) -> None:
    """xw (T, 4H): W_ih x + b_ih + b_hh, rows i f g o; w_hh_t (H, 4H); out (T, 6H): i f g o c h."""
    T, G = xw.shape
    H = G // 4
    pre = np.empty(G, np.float32)  # (4H,)
    h_prev = np.zeros(H, np.float32)
    c_prev = np.zeros(H, np.float32)
    pinned = mask.shape[0] > 0
    for t in range(T):
        pre[:] = xw[t]
        for k in range(H):  # W_hh h, column by column, so the inner loop runs along contiguous rows
            hk = h_prev[k]
            for j in range(G):
                pre[j] += w_hh_t[k, j] * hk
        row = out[t]
        for j in range(H):
            row[j] = _sigmoid(pre[j])
            row[H + j] = _sigmoid(pre[H + j])
            row[2 * H + j] = _tanh(pre[2 * H + j])
            row[3 * H + j] = _sigmoid(pre[3 * H + j])
        if pinned:
            for j in range(G):
                if mask[t, j]:
                    row[j] = value[t, j]
        for j in range(H):
            c = row[H + j] * c_prev[j] + row[j] * row[2 * H + j]  # c' = f ⊙ c + i ⊙ g
            row[4 * H + j] = c
            row[5 * H + j] = row[3 * H + j] * _tanh(c)  # h' = o ⊙ tanh(c')
            c_prev[j] = c
            h_prev[j] = row[5 * H + j]


@_loop
def _gru_loop(xw: Any, w_hh_t: Any, b_hh: Any, mask: Any, value: Any, out: Any) -> None:
    """xw (T, 3H): W_ih x + b_ih, rows r z n; w_hh_t (H, 3H); b_hh (3H,); out (T, 4H): r z n h."""
    T, G = xw.shape
    H = G // 3
    hh = np.empty(G, np.float32)  # (3H,) W_hh h + b_hh: b_hn stays inside the reset product
    h_prev = np.zeros(H, np.float32)
    pinned = mask.shape[0] > 0
    for t in range(T):
        hh[:] = b_hh
        for k in range(H):
            hk = h_prev[k]
            for j in range(G):
                hh[j] += w_hh_t[k, j] * hk
        row = out[t]
        for j in range(2 * H):
            row[j] = _sigmoid(xw[t, j] + hh[j])
        if pinned:
            for j in range(2 * H):
                if mask[t, j]:
                    row[j] = value[t, j]
        for j in range(H):
            n = _tanh(xw[t, 2 * H + j] + row[j] * hh[2 * H + j])
            z = row[H + j]
            h = (_ONE - z) * n + z * h_prev[j]  # PyTorch's order: z = 1 keeps h bit for bit
            row[2 * H + j] = n
            row[3 * H + j] = h
            h_prev[j] = h


@_loop
def _rnn_loop(xw: Any, w_hh_t: Any, out: Any) -> None:
    """xw (T, H): W_ih x + b_ih + b_hh; w_hh_t (H, H); out (T, H): h."""
    T, H = xw.shape
    pre = np.empty(H, np.float32)
    h_prev = np.zeros(H, np.float32)
    for t in range(T):
        pre[:] = xw[t]
        for k in range(H):
            hk = h_prev[k]
            for j in range(H):
                pre[j] += w_hh_t[k, j] * hk
        for j in range(H):
            out[t, j] = _tanh(pre[j])
            h_prev[j] = out[t, j]


def lstm_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """cells.lstm_layer, compiled: i, f, g, o, c, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    xw = np.ascontiguousarray(x @ w.w_ih.T + (w.b_ih + w.b_hh), dtype=np.float32)  # (T, 4H)
    mask, value = stack_pins(pins, KINDS["lstm"].blocks, T, H)  # g is never pinned
    out = np.empty((T, 6 * H), dtype=np.float32)  # (T, 6H): i f g o c h
    _lstm_loop(xw, np.ascontiguousarray(w.w_hh.T), mask, value, out)
    return _columns(out, H, KINDS["lstm"].blocks + ("cell", "hidden"))


def gru_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """cells.gru_layer, compiled: r, z, n, h, each (T, H)."""
    T, H = x.shape[0], w.w_hh.shape[1]
    xw = np.ascontiguousarray(x @ w.w_ih.T + w.b_ih, dtype=np.float32)  # (T, 3H)
    mask, value = stack_pins(pins, KINDS["gru"].blocks, T, H)  # n is never pinned
    out = np.empty((T, 4 * H), dtype=np.float32)  # (T, 4H): r z n h
    _gru_loop(xw, np.ascontiguousarray(w.w_hh.T), w.b_hh, mask, value, out)
    return _columns(out, H, KINDS["gru"].blocks + ("hidden",))


def rnn_layer(x: F32, w: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """cells.rnn_layer, compiled: h (T, H)."""
    xw = np.ascontiguousarray(x @ w.w_ih.T + (w.b_ih + w.b_hh), dtype=np.float32)  # (T, H)
    out = np.empty_like(xw)
    _rnn_loop(xw, np.ascontiguousarray(w.w_hh.T), out)
    return {"hidden": out}


def _columns(out: F32, H: int, names: tuple[str, ...]) -> dict[str, F32]:
    return {name: out[:, k * H : (k + 1) * H] for k, name in enumerate(names)}


# None where numba is not in use: model.py then runs the numpy loops of cells.py.
LAYERS: dict[str, LayerFn] | None = (
    {"lstm": lstm_layer, "gru": gru_layer, "rnn": rnn_layer} if numba is not None else None)
