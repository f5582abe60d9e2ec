"""Which LSTM units carry a "not" forward, measured with app.core's trace (no torch).

    python -m app.train.negation_gates [--model lstm] [--json]

For "The movie was not X" against "The movie was X", over every adjective of the lexicon:

1. the write at "not": which units' cell state "not" moves most (c after "was not" minus c after
   "was"), and what the input gate, candidate and forget gate are there;
2. the keep: how much of that cell difference is still there after a neutral filler of N words
   ("The movie was not, to be honest with you, X"): the forget gates' product over the filler,
   and the measured cell difference at the last filler word;
3. the turn at X: P(positive) after X with and without "not", and how much of the head's logit
   change the top units make (their share of sum_j (w_pos - w_neg)_j * (h_j negated - h_j plain));
4. the check: the same sentences with "not" made a pass-through for the k units it moves most
   (clamps at the "not" step: input gate 0, forget gate 1, so the cell keeps what it had and gets
   nothing written), for k = 3, 8, 16 and every unit: how often the verdict goes back to the
   un-negated one. How many units it takes says how distributed the negation is.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

import numpy as np

from app.core import Clamp, Model, load_model

from . import lexicon as lx

FILLER = ", to be honest with you after all these years,"
FRAMES = ("the movie was", "the food is", "this book was", "the acting is")
TOP = 3
EXAMPLE = "The movie was not bad."  # for the page: the flag at "not", the turn at "."


def _words() -> dict[str, float]:
    return {**lx.adjectives("train"), **lx.adjectives("held")}


def analyse(model: Model, top: int = TOP) -> dict[str, Any]:
    if model.config.kind != "lstm":
        raise ValueError("negation_gates reads LSTM gates (input, forget, candidate, cell)")
    pos = list(model.config.labels).index("positive")
    w = model.head_weight[pos] - model.head_weight[1 - pos]  # (H,) logit direction of "positive"
    # 1. the write at "not"
    diffs, writes = [], []
    for frame in FRAMES:
        neg = model.trace(f"{frame} not")
        plain = model.trace(frame)
        assert neg.cell is not None and plain.cell is not None
        t = len(neg.tokens) - 1
        diffs.append(neg.cell[t, -1] - plain.cell[-1, -1])
        writes.append({g: neg.gates[g][t, -1] for g in ("input", "forget", "output")}
                      | {"candidate": neg.candidate[t, -1] if neg.candidate is not None else None})
    diff = np.mean(diffs, axis=0)
    units = [int(j) for j in np.argsort(-np.abs(diff))[:top]]
    at_not = {g: np.mean([wr[g] for wr in writes], axis=0) for g in writes[0]}
    # 2. the keep over a filler, 3. the turn at the word, 4. the clamp check
    kept, retention, turn, share = [], [], {1: [], -1: []}, []
    ks = sorted({k for k in (top, 8, 16, model.config.hidden_size) if k <= model.config.hidden_size})
    order = [int(j) for j in np.argsort(-np.abs(diff))]
    flipped_back = dict.fromkeys(ks, 0)
    total = right_negated = right_plain = 0
    for frame in FRAMES:
        long_neg = model.trace(f"{frame} not{FILLER}")
        long_plain = model.trace(f"{frame}{FILLER}")
        assert long_neg.cell is not None and long_plain.cell is not None
        t_not = len(model.trace(f"{frame} not").tokens) - 1
        kept.append(long_neg.cell[-1, -1] - long_plain.cell[-1, -1])
        retention.append(np.prod(long_neg.gates["forget"][t_not + 1:, -1], axis=0))
        for word, rating in _words().items():
            sign = 1 if rating > 0 else -1
            neg, plain = model.trace(f"{frame} not {word}"), model.trace(f"{frame} {word}")
            turn[sign].append((float(plain.verdict[pos]), float(neg.verdict[pos])))
            dh = neg.hidden[-1, -1] - plain.hidden[-1, -1]
            contrib = w * dh
            if abs(contrib.sum()) > 1e-6:
                share.append(float(contrib[units].sum() / contrib.sum()))
            right_negated += (neg.verdict[pos] > 0.5) == (sign < 0)
            right_plain += (plain.verdict[pos] > 0.5) == (sign > 0)
            if (neg.verdict[pos] > 0.5) == (sign < 0):  # the negation was read: undo its write
                total += 1
                for k in ks:
                    chosen = tuple(order[:k])
                    clamped = model.trace(f"{frame} not {word}", clamp=[
                        Clamp(gate="input", value=0.0, steps=(t_not,), units=chosen),
                        Clamp(gate="forget", value=1.0, steps=(t_not,), units=chosen)])
                    flipped_back[k] += (clamped.verdict[pos] > 0.5) == (sign > 0)
    keep_diff = np.mean(kept, axis=0)
    ex = model.trace(EXAMPLE)
    j = units[0]
    assert ex.cell is not None
    example = {"text": EXAMPLE, "unit": j, "steps": [
        {"token": tok, "input": round(float(ex.gates["input"][t, -1, j]), 2),
         "forget": round(float(ex.gates["forget"][t, -1, j]), 2),
         "cell": round(float(ex.cell[t, -1, j]), 2), "p_positive": round(float(ex.probs[t, pos]), 2)}
        for t, tok in enumerate(ex.tokens)]}
    n_words = len(FRAMES) * len(_words())
    filler_len = len(long_neg.tokens) - 1 - t_not
    return {
        "model": model.name, "units": units, "top": top,
        "cell_shift_at_not": {j: round(float(diff[j]), 3) for j in units},
        "mean_abs_cell_shift_other_units": round(float(np.delete(np.abs(diff), units).mean()), 3),
        "at_not": {g: {j: round(float(v[j]), 3) for j in units} for g, v in at_not.items()
                   if v is not None},
        "filler_words": filler_len,
        "forget_product_over_filler": {j: round(float(np.mean(retention, axis=0)[j]), 3)
                                       for j in units},
        "cell_shift_after_filler": {j: round(float(keep_diff[j]), 3) for j in units},
        "p_positive": {("positive words" if s > 0 else "negative words"):
                       {"plain": round(float(np.mean([a for a, _ in v])), 3),
                        "negated": round(float(np.mean([b for _, b in v])), 3)}
                       for s, v in turn.items()},
        "head_direction": {j: round(float(w[j]), 3) for j in units},
        "share_of_logit_change_by_top_units": round(float(np.median(share)), 3),
        "negated_right": round(right_negated / n_words, 3),
        "plain_right": round(right_plain / n_words, 3),
        "pass_through_at_not_reverts": {k: round(flipped_back[k] / max(total, 1), 3) for k in ks},
        "clamp_n": total,
        "example": example,
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.negation_gates", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", default="lstm")
    p.add_argument("--top", type=int, default=TOP)
    p.add_argument("--json", action="store_true")
    args = p.parse_args(argv)
    result = analyse(load_model(args.model), args.top)
    print(json.dumps(result, indent=None if args.json else 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
