"""Engine benchmark: the numpy trace against PyTorch, one process, one thread, same weights and tokens.

    python bench/engine.py [--kind lstm] [--hidden 32] [--lengths 40 1000] [--repeat 30]

(a) PyTorch's fused nn.LSTM/GRU/RNN forward plus the head (softmax) at every step;
(b) a PyTorch step loop that keeps the same intermediates as the trace;
(c) gatescope's trace: every gate, candidate, cell and hidden vector of every step, and the head,
    with the step loops compiled by numba (app/core/kernels.py);
(d) the same trace with the numpy step loops (cells.py: the fallback without numba);
(e) `model.trace(text)`: the text path, tokenizing included, on committed test sentences cut to
    T tokens (the others get the same number of tokens).
Then `tokenize` on 1,000 and 100,000 words of those sentences, against the plain findall it
replaced (tests/core/test_tokenizer.py's reference).
Targets (issue 2): (c) ≤ 2 × (a) and (c) ≥ 3 × faster than (b); (issue 11) (e) ≤ 2 × (a).
Figures in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"  # one thread for numpy's BLAS and torch alike; set before they load

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core import load_model, tokenize  # noqa: E402
from app.resources import splits_dir  # noqa: E402
from bench import torch_twin as twin  # noqa: E402
from tests.core.test_tokenizer import reference_tokenize  # noqa: E402
from tests.core.twins import random_state_dict, write_model_dir  # noqa: E402


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    """(median, min) seconds of `repeat` calls after one warm-up call."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), min(times)


def sentences() -> list[str]:
    rows = (json.loads(line) for path in sorted(splits_dir().glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip())
    return [str(row["text"]) for row in rows]


def text_of(n_tokens: int, texts: list[str]) -> str:
    """Committed sentences, repeated as needed, cut at a chunk where the text has n_tokens tokens."""
    chunks: list[str] = []
    count, k = 0, 0
    while count < n_tokens:
        for chunk in texts[k % len(texts)].split():
            got = len(tokenize(chunk))
            if count + got > n_tokens:
                continue
            chunks.append(chunk)
            count += got
        k += 1
    return " ".join(chunks)


def contenders(kind: str, H: int, model: Any, rnn: Any, head: Any, emb: Any, tsd: dict[str, Any],
               vocab: list[str], ids: np.ndarray, text: str) -> tuple[Callable[[], object], ...]:
    """(a) the fused forward, (b) the torch step loop, (c) the trace, (d) the numpy-loop trace,
    (e) the trace of `text` (tokenizing included)."""
    import torch

    tokens = [vocab[i] for i in ids]
    tids = torch.from_numpy(ids)
    fused, trace, numpy_trace = twin.fused_and_traces(model, rnn, head, emb, tokens, tids)

    @torch.no_grad()
    def loop() -> object:
        keep = twin.torch_steps(kind, tsd, H, emb(tids))
        hs = torch.stack(keep["h"])
        return {k: torch.stack(v) for k, v in keep.items()}, torch.softmax(head(hs), dim=-1)

    def text_trace() -> object:
        return model.trace(text)

    return fused, loop, trace, numpy_trace, text_trace


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    twin.add_common_arguments(parser)
    parser.add_argument("--bidirectional", action="store_true", help=(
        "both directions against PyTorch's bidirectional=True: runs bench/bidirectional.py, "
        "which also takes --layers N"))
    args, extra = parser.parse_known_args()
    if args.bidirectional:
        from bidirectional import main as both_ways  # bench/ is on sys.path: this script's folder

        both_ways([a for a in sys.argv[1:] if a != "--bidirectional"])
        return
    if extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")

    import torch

    torch.set_num_threads(1)
    kind, H, E, V = args.kind, args.hidden, args.embedding, 5000
    rng = np.random.default_rng(0)
    sd = random_state_dict(kind, V, E, H, 1, 2, rng)
    # The real words of the committed sentences, so the text path (e) finds most of its tokens.
    texts = sentences()
    counts: dict[str, int] = {}
    for text in texts:
        for token in tokenize(text):
            counts[token] = counts.get(token, 0) + 1
    common = sorted(counts, key=lambda tok: -counts[tok])[: V - 1]
    vocab = ["<unk>"] + common + [f"w{k}" for k in range(len(common) + 1, V)]
    model = load_model(write_model_dir(Path(tempfile.mkdtemp()) / kind, kind, sd, vocab,
                                       ["negative", "positive"]))

    tsd, rnn, head, emb = twin.torch_twin(kind, sd, E, H)
    print(f"{kind}, H = {H}, E = {E}, one thread, (c) step loops: {twin.step_loops()}; "
          f"medians of {args.repeat} runs (min)")
    print(twin.table_header(["(a) torch fused", "(b) torch loop", "(c) trace", "(d) numpy loops",
                             "(e) trace(text)"], ["c / a", "b / c", "e / a"]))
    for T in args.lengths:
        ids = rng.integers(1, V, T)
        text = text_of(T, texts)
        assert len(tokenize(text)) == T
        (a, a_min), (b, b_min), (c, c_min), (d, d_min), (e, e_min) = (
            best_of(fn, args.repeat)
            for fn in contenders(kind, H, model, rnn, head, emb, tsd, vocab, ids, text))
        print(f"{T:>6} {a * 1e3:>9.3f} ms ({a_min * 1e3:.2f}) {b * 1e3:>9.3f} ms ({b_min * 1e3:.2f})"
              f" {c * 1e3:>9.3f} ms ({c_min * 1e3:.2f}) {d * 1e3:>9.3f} ms ({d_min * 1e3:.2f})"
              f" {e * 1e3:>9.3f} ms ({e_min * 1e3:.2f}) {c / a:>6.2f}× {b / c:>6.2f}× {e / a:>6.2f}×")

    print("\ntokenize (medians; the plain findall it replaced in brackets)")
    words = " ".join(texts).split()
    for n in (1_000, 100_000):
        text = " ".join(words[k % len(words)] for k in range(n))
        assert tokenize(text) == reference_tokenize(text)
        repeat = args.repeat if n <= 1_000 else max(3, args.repeat // 6)
        new, _ = best_of(lambda text=text: tokenize(text), repeat)
        old, _ = best_of(lambda text=text: reference_tokenize(text), repeat)
        print(f"{n:>8,} words ({len(tokenize(text)):,} tokens): {new * 1e3:8.3f} ms "
              f"({old * 1e3:.3f} ms, {old / new:.1f}× faster)")


if __name__ == "__main__":
    main()
