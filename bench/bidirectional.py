"""Engine benchmark for bidirectional (and stacked) models: gatescope's trace of both directions
against PyTorch's fused bidirectional forward; one process, one thread, same weights and tokens.

    python bench/bidirectional.py [--kind lstm] [--layers 1] [--lengths 40 1000] [--repeat 30]
    python bench/engine.py --bidirectional ...          (the same)

(a) PyTorch's fused nn.LSTM/GRU/RNN(bidirectional=True) forward plus the head [C, 2H] at every step;
(b) a PyTorch step loop over both directions that keeps the same intermediates as the trace;
(c) gatescope's trace of both directions, every gate, candidate, cell and hidden vector of every
    step, and the head, with the step loops compiled by numba (app/core/kernels.py);
(d) the same trace with the numpy step loops (cells.py: the fallback without numba).
The four run in turn, round after round, and each ratio is the median of the rounds' own ratios,
so that a busy machine slows both sides of a ratio alike.
Target (issue 17): (c) ≤ 2 × (a) at T = 40 and 1,000. Figures in docs/PERFORMANCE.md.
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
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core import load_model  # noqa: E402
from bench import torch_twin as twin  # noqa: E402
from tests.core.twins import random_state_dict, write_model_dir  # noqa: E402


def interleaved(fns: tuple[Callable[[], object], ...], repeat: int) -> list[list[float]]:
    """Seconds of each of `fns` in each of `repeat` rounds, after one warm-up call each. They run
    in turn, round after round, so that a busy machine (shared by other work) slows them alike."""
    for fn in fns:
        fn()
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(repeat):
        for k, fn in enumerate(fns):
            start = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - start)
    return times


def ratio(num: list[float], den: list[float]) -> float:
    """The median of one contender's time over another's, round by round."""
    return statistics.median(n / d for n, d in zip(num, den, strict=True))


def contenders(kind: str, H: int, L: int, model: Any, rnn: Any, head: Any, emb: Any,
               tsd: dict[str, Any], vocab: list[str], ids: np.ndarray,
               ) -> tuple[Callable[[], object], ...]:
    """(a) the fused forward, (b) the torch step loop, (c) the trace, (d) the numpy-loop trace."""
    import torch

    tokens = [vocab[i] for i in ids]
    tids = torch.from_numpy(ids)
    fused, trace, numpy_trace = twin.fused_and_traces(model, rnn, head, emb, tokens, tids)
    suffixes = ("", "_reverse") if "rnn.weight_hh_l0_reverse" in tsd else ("",)

    @torch.no_grad()
    def loop() -> object:
        x = emb(tids)
        kept = []
        for k in range(L):
            outputs = []
            for suffix in suffixes:
                keep = twin.torch_steps(kind, tsd, H, x, k, suffix)
                kept.append(keep)
                h = torch.stack(keep["h"])
                outputs.append(h if suffix == "" else h.flip(0))
            x = torch.cat(outputs, dim=1)
        return kept, torch.softmax(head(x), dim=-1)

    return fused, loop, trace, numpy_trace


def arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    twin.add_common_arguments(parser)
    parser.add_argument("--layers", type=int, default=1)
    parser.add_argument("--one-way", dest="bidirectional", action="store_false",
                        help="the same contenders reading forward only, for comparison")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    args = arguments().parse_args(argv)

    import torch

    torch.set_num_threads(1)
    kind, H, E, V, L = args.kind, args.hidden, args.embedding, 5000, args.layers
    rng = np.random.default_rng(0)
    sd = random_state_dict(kind, V, E, H, L, 2, rng, bidirectional=args.bidirectional)
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    model = load_model(write_model_dir(Path(tempfile.mkdtemp()) / kind, kind, sd, vocab,
                                       ["negative", "positive"]))

    tsd, rnn, head, emb = twin.torch_twin(kind, sd, E, H, L, args.bidirectional)
    shape = f"{L}-layer {'bidirectional ' if args.bidirectional else ''}{kind}"
    print(f"{shape}, H = {H}, E = {E}, one thread, (c) step loops: {twin.step_loops()}; "
          f"medians of {args.repeat} interleaved rounds (min); ratios: medians of each round's")
    print(twin.table_header(["(a) torch fused", "(b) torch loop", "(c) trace", "(d) numpy loops"],
                            ["c / a", "b / c"]))
    for T in args.lengths:
        ids = rng.integers(1, V, T)
        fns = contenders(kind, H, L, model, rnn, head, emb, tsd, vocab, ids)
        times = interleaved(fns, args.repeat)
        (a, a_min), (b, b_min), (c, c_min), (d, d_min) = ((statistics.median(ts), min(ts))
                                                          for ts in times)
        print(f"{T:>6} {a * 1e3:>9.3f} ms ({a_min * 1e3:.2f}) {b * 1e3:>9.3f} ms ({b_min * 1e3:.2f})"
              f" {c * 1e3:>9.3f} ms ({c_min * 1e3:.2f}) {d * 1e3:>9.3f} ms ({d_min * 1e3:.2f})"
              f" {ratio(times[2], times[0]):>6.2f}× {ratio(times[1], times[2]):>6.2f}×")


if __name__ == "__main__":
    main()
