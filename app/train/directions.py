"""What a bidirectional model's reverse reader adds to its verdict (reported in models/README.md).

    python -m app.train.directions [--model bilstm]

The verdict (Trace.verdict) is the head on cat(h_forward[T-1], h_reverse[T-1]) for a model
trained on the last step's output ("head_input": "last_output"), and on cat(h_forward[T-1],
h_reverse[0]) for one trained on PyTorch's final states ("final_states"). For the first, at T-1
the reverse reader has read one word, the last, from a zero state: its share of the verdict's
logit margin is a function of the last word alone (so the report lists the last words it pushes
hardest either way). For the second, both parts have read the whole sentence. This splits the
margin of every test sentence into the forward part, the reverse part and the bias, and replaces
the reverse part by its mean (the forward reader alone, with the reverse reader's average vote)
to count the verdicts it decides.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from app.core import Model, load_model

from .data import TEST_FILE, read_jsonl


def margin_parts(model: Model, text: str) -> tuple[float, float, float]:
    """(forward, reverse, bias) parts of the verdict's logit(positive) − logit(negative): the head
    columns on h_forward[T-1] and on the reverse state the verdict reads (h_reverse[T-1] for a
    last-output model, h_reverse[0] for a final-states one)."""
    if not model.config.bidirectional:
        raise ValueError(f"{model.name} is not bidirectional")
    labels = list(model.config.labels)
    pos, neg = labels.index("positive"), labels.index("negative")
    w = model.head_weight[pos] - model.head_weight[neg]
    H = model.config.hidden_size
    trace = model.trace(text)
    assert trace.reverse is not None
    forward = float(w[:H] @ trace.quantities["hidden"][-1, -1])
    at = 0 if model.config.verdict_from_final_states else -1  # the token the reverse state is at
    reverse = float(w[H:] @ trace.reverse["hidden"][at, -1])
    return forward, reverse, float(model.head_bias[pos] - model.head_bias[neg])


def report(model: Model, top: int = 8) -> dict[str, Any]:
    rows = read_jsonl(TEST_FILE)
    parts = np.array([margin_parts(model, str(r["text"])) for r in rows])
    truth = np.array([r["label"] == "positive" for r in rows])
    full = parts.sum(axis=1) > 0
    forward_only = parts[:, 0] + parts[:, 1].mean() + parts[:, 2] > 0
    out: dict[str, Any] = {
        "model": model.name, "head_input": model.config.head_input, "n": len(rows),
        "mean_abs_forward": round(float(np.abs(parts[:, 0]).mean()), 3),
        "mean_abs_reverse": round(float(np.abs(parts[:, 1]).mean()), 3),
        "accuracy": round(float((full == truth).mean()), 4),
        "accuracy_reverse_at_its_mean": round(float((forward_only == truth).mean()), 4),
        "verdicts_the_reverse_reader_decides": int((full != forward_only).sum()),
    }
    if not model.config.verdict_from_final_states:
        # the reverse part at T-1 depends on the last word only: score every word of the vocabulary
        last_word = {w: margin_parts(model, w)[1] for w in model.vocab[:2000]}
        ranked = sorted(last_word, key=last_word.__getitem__)
        out["last_words_most_negative"] = [(w, round(last_word[w], 2)) for w in ranked[:top]]
        out["last_words_most_positive"] = [(w, round(last_word[w], 2)) for w in ranked[::-1][:top]]
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.directions", description=__doc__)
    p.add_argument("--model", default="bilstm")
    args = p.parse_args(argv)
    print(json.dumps(report(load_model(args.model)), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
