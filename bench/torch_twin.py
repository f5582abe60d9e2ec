"""What the engine, bidirectional and gradient benchmarks share: their common options, the PyTorch
twin of a random model (nn.LSTM/GRU/RNN + Linear head with the same weights), its step loop that
keeps every intermediate the trace keeps, and the contenders that need nothing but the two models.

Imported by the scripts in bench/ (which put the repository's root on sys.path first).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

import numpy as np

from app.core import cells, kernels
from app.core import model as engine


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """--kind, --hidden, --embedding, --lengths and --repeat, as every engine benchmark has them."""
    parser.add_argument("--kind", default="lstm", choices=["lstm", "gru", "rnn"])
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--embedding", type=int, default=50)
    parser.add_argument("--lengths", type=int, nargs="+", default=[40, 1000])
    parser.add_argument("--repeat", type=int, default=30)


def torch_twin(kind: str, sd: dict[str, np.ndarray], E: int, H: int, L: int = 1,
               bidirectional: bool = False) -> tuple[dict[str, Any], Any, Any, Any]:
    """(the state dict as tensors, the nn.LSTM/GRU/RNN, the nn.Linear head, the nn.Embedding)
    loaded from `sd`."""
    import torch

    tsd = {k: torch.from_numpy(v) for k, v in sd.items()}
    rnn = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind](
        E, H, num_layers=L, bidirectional=bidirectional)
    rnn.load_state_dict({k[4:]: v for k, v in tsd.items() if k.startswith("rnn.")})
    head = torch.nn.Linear((1 + bidirectional) * H, 2)
    head.load_state_dict({"weight": tsd["head.weight"], "bias": tsd["head.bias"]})
    return tsd, rnn, head, torch.nn.Embedding.from_pretrained(tsd["embedding.weight"])


def table_header(times: list[str], ratios: list[str]) -> str:
    """The header of the engine benchmarks' tables: T, then one 18-wide column per contender's time
    and one 7-wide per ratio."""
    return (f"{'T':>6}" + "".join(f" {name:>18}" for name in times)
            + "".join(f" {name:>7}" for name in ratios))


def step_loops() -> str:
    """Which step loops gatescope's trace runs, for a benchmark's first line."""
    return "numba" if engine.STEP_LOOPS is kernels.LAYERS else "numpy (numba not in use)"


def torch_steps(kind: str, tsd: dict[str, Any], H: int, x: Any, k: int = 0,
                suffix: str = "") -> dict[str, list[Any]]:
    """Layer k's step loop over x (T, in) in PyTorch, reading backwards where `suffix` is
    "_reverse"; every gate, candidate, cell and hidden vector of every step, in reading order."""
    import torch

    W_ih, W_hh = tsd[f"rnn.weight_ih_l{k}{suffix}"], tsd[f"rnn.weight_hh_l{k}{suffix}"]
    b_ih, b_hh = tsd[f"rnn.bias_ih_l{k}{suffix}"], tsd[f"rnn.bias_hh_l{k}{suffix}"]
    T = x.shape[0]
    h, c = torch.zeros(H), torch.zeros(H)
    keep: dict[str, list[torch.Tensor]] = {}
    for t in (range(T) if suffix == "" else range(T - 1, -1, -1)):
        gi, gh = W_ih @ x[t] + b_ih, W_hh @ h + b_hh
        if kind == "lstm":
            i, f, g, o = (gi + gh).chunk(4)
            i, f, g, o = i.sigmoid(), f.sigmoid(), g.tanh(), o.sigmoid()
            c = f * c + i * g
            h = o * c.tanh()
            parts = {"i": i, "f": f, "g": g, "o": o, "c": c, "h": h}
        elif kind == "gru":
            ir, iz, in_ = gi.chunk(3)
            hr, hz, hn = gh.chunk(3)
            r, z = (ir + hr).sigmoid(), (iz + hz).sigmoid()
            n = (in_ + r * hn).tanh()
            h = (1 - z) * n + z * h
            parts = {"r": r, "z": z, "n": n, "h": h}
        else:
            h = (gi + gh).tanh()
            parts = {"h": h}
        for name, value in parts.items():
            keep.setdefault(name, []).append(value)
    return keep


def fused_and_traces(model: Any, rnn: Any, head: Any, emb: Any, tokens: list[str],
                     tids: Any) -> tuple[Callable[[], object], ...]:
    """(a) PyTorch's fused forward plus the head at every step, (c) gatescope's trace with the
    compiled step loops, (d) the same trace with the numpy step loops (cells.py)."""
    import torch

    @torch.no_grad()
    def fused() -> object:
        out, _ = rnn(emb(tids)[:, None, :])
        return torch.softmax(head(out[:, 0]), dim=-1)

    def trace() -> object:
        return model.trace_tokens(tokens)

    def numpy_trace() -> object:
        compiled, engine.STEP_LOOPS = engine.STEP_LOOPS, cells.LAYERS
        try:
            return model.trace_tokens(tokens)
        finally:
            engine.STEP_LOOPS = compiled

    return fused, trace, numpy_trace
