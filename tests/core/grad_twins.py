"""The gradients of a model re-computed by torch.autograd in float64: the reference for
app/core/gradients.py. The forward pass is written step by step from PyTorch's equations, with a
clamp as torch.where(mask, value, gate): a pinned gate is a constant, as in the engine."""

from __future__ import annotations

from typing import Any

import numpy as np

GATE_ROW = {"lstm": {"input": 0, "forget": 1, "output": 3}, "gru": {"reset": 0, "update": 1}}


def _masks(kind: str, clamps: list[dict[str, Any]], T: int, H: int, L: int) -> dict[tuple[int, str], Any]:
    """(layer, gate) -> (mask, value) tensors (T, H), later clamps winning, as the engine does."""
    import torch

    out: dict[tuple[int, str], Any] = {}
    for cl in clamps:
        layers = range(L) if cl.get("layer") is None else [cl["layer"]]
        steps = range(T) if cl.get("steps") is None else cl["steps"]
        units = range(H) if cl.get("units") is None else cl["units"]
        for k in layers:
            mask, value = out.setdefault((k, cl["gate"]), (torch.zeros(T, H, dtype=torch.bool),
                                                           torch.zeros(T, H, dtype=torch.float64)))
            for t in steps:
                for u in units:
                    mask[t, u] = True
                    value[t, u] = float(np.float32(cl["value"]))  # the engine keeps it as float32
    return out


def _cell(kind: str, p: dict[str, Any], k: int, x: Any, state: tuple[Any, ...], t: int,
          pins: dict[tuple[int, str], Any]) -> tuple[Any, ...]:
    """One step of layer k from `state` ((h, c) for the LSTM, (h,) otherwise)."""
    import torch

    def pin(name: str, gate: Any) -> Any:
        if (k, name) not in pins:
            return gate
        mask, value = pins[(k, name)]
        return torch.where(mask[t], value[t], gate)

    gi = p[f"rnn.weight_ih_l{k}"] @ x + p[f"rnn.bias_ih_l{k}"]
    gh = p[f"rnn.weight_hh_l{k}"] @ state[0] + p[f"rnn.bias_hh_l{k}"]
    if kind == "lstm":
        i, f, g, o = (gi + gh).chunk(4)
        i, f, o = pin("input", i.sigmoid()), pin("forget", f.sigmoid()), pin("output", o.sigmoid())
        c = f * state[1] + i * g.tanh()
        return o * c.tanh(), c
    if kind == "gru":
        i_r, i_z, i_n = gi.chunk(3)
        h_r, h_z, h_n = gh.chunk(3)
        r, z = pin("reset", (i_r + h_r).sigmoid()), pin("update", (i_z + h_z).sigmoid())
        n = (i_n + r * h_n).tanh()
        return ((1 - z) * n + z * state[0],)
    return ((gi + gh).tanh(),)


def torch_gradients(kind: str, sd: dict[str, np.ndarray], ids: list[int], label: int,
                    clamps: list[dict[str, Any]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T, T) connectivity by one torch.autograd.grad call per row; the spectral norms of
    ∂S_t/∂S_{t−1} by torch.autograd.functional.jacobian, and of their product ∂S_t/∂S_0 (float64)."""
    import torch

    p = {key: torch.from_numpy(v.astype(np.float64)) for key, v in sd.items()}
    L = sum(1 for key in sd if key.startswith("rnn.weight_hh_l"))
    H = sd["rnn.weight_hh_l0"].shape[1]
    T = len(ids)
    pins = _masks(kind, clamps, T, H, L)
    x = p["embedding.weight"][torch.tensor(ids)].clone().requires_grad_(True)  # (T, E)
    parts = 2 if kind == "lstm" else 1
    zero = tuple(torch.zeros(H, dtype=torch.float64) for _ in range(parts))
    states = [zero] * L
    logps, history = [], [[s for layer in states for s in reversed(layer)]]
    for t in range(T):
        inp = x[t]
        new = []
        for k in range(L):
            st = _cell(kind, p, k, inp, states[k], t, pins)
            new.append(st)
            inp = st[0]
        states = new
        history.append([s for layer in states for s in reversed(layer)])  # (c, h) per layer
        logits = p["head.weight"] @ inp + p["head.bias"]
        logps.append(torch.log_softmax(logits, dim=0)[label])
    conn = np.zeros((T, T))
    for t in range(T):
        (grad,) = torch.autograd.grad(logps[t], x, retain_graph=True)
        conn[t] = grad.norm(dim=1).numpy()

    def step(t: int) -> Any:
        def fn(prev: Any) -> Any:
            blocks = prev.split(H)
            inp, out = x[t].detach(), []
            for k in range(L):
                own = blocks[parts * k : parts * (k + 1)]
                st = _cell(kind, p, k, inp, tuple(reversed(own)), t, pins)  # (h, c) order
                out += list(reversed(st))
                inp = st[0]
            return torch.cat(out)
        return fn

    norms, products = [], []
    product = None
    for t in range(T):
        prev = torch.cat([s.detach() for s in history[t]])
        jac = torch.autograd.functional.jacobian(step(t), prev)
        norms.append(torch.linalg.matrix_norm(jac, ord=2).item())
        product = torch.eye(len(prev), dtype=torch.float64) if product is None else jac @ product
        products.append(torch.linalg.matrix_norm(product, ord=2).item())
    return conn, np.asarray(norms), np.asarray(products)
