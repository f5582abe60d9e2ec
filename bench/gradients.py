"""Gradient benchmark: connectivity (‖∂ log p_label(t) / ∂ e_s‖ for every s ≤ t) against torch
autograd on the same weights and tokens, one process, one thread.

    python bench/gradients.py [--kind lstm] [--hidden 32] [--repeat 15] [--cpu]

Sizes: T = 40 and 200, all pairs (the T × T map); T = 1,000, the last row only (what the page draws
for the last word; the whole map would be a million numbers, 8 MB, for one sentence).
(a) torch autograd over nn.LSTM/GRU/RNN (its fused forward) in float32: one forward, then one
    backward per row with retain_graph (T backward calls), or one for the last row;
(b) the same in float64;
(c) gatescope's connectivity (app/core/gradients.py), float64, compiled by numba;
(d) the same with the numpy engine (no numba).
torch's batched backward (is_grads_batched=True, vmap) is tried too and reported where it runs.
Targets (issue 15): (c) no slower than (a) at every size; all pairs at T = 200 under 50 ms.
Figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one thread for numpy's BLAS and torch alike; set before they load

import argparse
import statistics
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core import cells, load_model  # noqa: E402
from app.core import model as engine  # noqa: E402
from app.core.gradients import gradients  # noqa: E402
from bench.torch_twin import torch_twin  # noqa: E402
from tests.core.twins import random_state_dict, write_model_dir  # noqa: E402


def median_of(fn: Callable[[], object], repeat: int) -> float:
    """Seconds of one call, after a warm-up call: the median of `repeat` wall-clock times, or with
    --cpu the least CPU time of this process (time.process_time; every contender runs one thread),
    which other work on a shared machine disturbs far less."""
    fn()
    times = []
    clock = time.process_time if CPU else time.perf_counter
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times) if CPU else statistics.median(times)


CPU = False


def torch_rows(net: dict[str, Any], ids: np.ndarray, rows: list[int], label: int, dtype: Any,
               batched: bool = False) -> np.ndarray:
    """‖∂ log p_label(t) / ∂ x_s‖ for t in `rows` by torch autograd: (len(rows), T)."""
    import torch

    rnn, head, emb = (net[k].to(dtype) for k in ("rnn", "head", "emb"))
    x = emb[torch.from_numpy(ids)].clone().requires_grad_(True)  # (T, E)
    out, _ = rnn(x[:, None, :])
    logp = torch.log_softmax(head(out[:, 0]), dim=-1)[:, label]  # (T,)
    if batched:
        eye = torch.eye(len(ids), dtype=dtype)[rows]
        (grads,) = torch.autograd.grad(logp, x, grad_outputs=eye, is_grads_batched=True)
        return grads.norm(dim=-1).numpy()  # type: ignore[no-any-return]
    result = []
    for k, t in enumerate(rows):
        (g,) = torch.autograd.grad(logp[t], x, retain_graph=k < len(rows) - 1)
        result.append(g.norm(dim=1).numpy())
    return np.stack(result)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--kind", default="lstm", choices=["lstm", "gru", "rnn"])
    parser.add_argument("--hidden", type=int, default=32)
    parser.add_argument("--embedding", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--cpu", action="store_true",
                        help="least CPU time of the process instead of the median wall time")
    args = parser.parse_args()
    global CPU
    CPU = args.cpu

    import torch

    torch.set_num_threads(1)
    kind, H, E, V = args.kind, args.hidden, args.embedding, 5000
    rng = np.random.default_rng(0)
    sd = random_state_dict(kind, V, E, H, 1, 2, rng)
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    model = load_model(write_model_dir(Path(tempfile.mkdtemp()) / kind, kind, sd, vocab,
                                       ["negative", "positive"]))
    tsd, rnn, head, _ = torch_twin(kind, sd, E, H)
    net = {"rnn": rnn, "head": head, "emb": tsd["embedding.weight"]}

    def ours(tokens: list[str], rows: list[int] | None, numpy_engine: bool) -> np.ndarray:
        compiled = engine.STEP_LOOPS
        if numpy_engine:
            engine.STEP_LOOPS = cells.LAYERS
        try:
            return gradients(model, tokens, "positive", rows=rows, jacobians=False).connectivity
        finally:
            engine.STEP_LOOPS = compiled

    print(f"{kind}, H = {H}, E = {E}, one thread; {'least CPU time' if CPU else 'median wall time'} "
          f"of {args.repeat} runs (3 for torch float64 at T ≥ 200, and for T = 1,000)")
    print(f"{'T':>6} {'rows':>6} {'(a) torch f32':>14} {'(b) torch f64':>14} {'(c) ours':>10} "
          f"{'(d) ours numpy':>15} {'a / c':>7} {'batched f32':>12} {'max rel err':>12}")
    for T, last_only in ((40, False), (200, False), (1000, True)):
        ids = rng.integers(1, V, T)
        tokens = [vocab[i] for i in ids]
        rows = [T - 1] if last_only else list(range(T))
        sel = [T - 1] if last_only else None
        r = 3 if T >= 1000 else args.repeat
        a = median_of(lambda: torch_rows(net, ids, rows, 1, torch.float32), r)  # noqa: B023
        b = median_of(lambda: torch_rows(net, ids, rows, 1, torch.float64), min(r, 3) if T >= 200 else r)  # noqa: B023, E501
        c = median_of(lambda: ours(tokens, sel, False), r)  # noqa: B023
        d = median_of(lambda: ours(tokens, sel, True), r)  # noqa: B023
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                batched = f"{median_of(lambda: torch_rows(net, ids, rows, 1, torch.float32, True), r) * 1e3:.2f} ms"  # noqa: B023, E501
        except (RuntimeError, NotImplementedError) as exc:
            batched = f"fails ({type(exc).__name__})"
        ref = torch_rows(net, ids, rows, 1, torch.float64)
        got = ours(tokens, sel, False)[rows]
        err = float(np.max(np.abs(got - ref)[ref > 0] / ref[ref > 0]))
        print(f"{T:>6} {'last' if last_only else 'all':>6} {a * 1e3:>11.2f} ms {b * 1e3:>11.2f} ms "
              f"{c * 1e3:>7.2f} ms {d * 1e3:>12.2f} ms {a / c:>6.1f}× {batched:>12} {err:>12.1e}")
    T = 1000
    ids = rng.integers(1, V, T)
    tokens = [vocab[i] for i in ids]
    full = median_of(lambda: ours(tokens, None, False), 3)
    print(f"(c) all pairs at T = 1,000, for the record: {full * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
