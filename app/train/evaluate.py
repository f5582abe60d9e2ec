"""`gatescope evaluate`: accuracy of a model on the committed test split, by the numpy engine.

Never imports torch: the numbers are what the served model (app.core) computes.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from app.core import Model, load_model, tokenize

from .data import OTHER_FILE, TEST_FILE, read_jsonl


def final_probs(model: Model, text: str) -> np.ndarray:
    """The model's verdict on the whole text (Trace.verdict: the last step's probs, or the head on
    the final states for a "final_states" model), as the page shows it at the end of a trace."""
    tokens = tokenize(text)
    if not tokens:
        tokens = ["<unk>"]
    return model.trace_tokens(tokens, text=text).verdict


def predict_label(model: Model, text: str) -> str:
    """The top label of the model's verdict."""
    return model.config.labels[int(np.argmax(final_probs(model, text)))]


def accuracy(model: Model, rows: Iterable[Mapping[str, Any]]) -> tuple[float, int]:
    """(share of rows whose top label is the row's label, number of rows)."""
    labels = list(model.config.labels)
    hits = n = 0
    for row in rows:
        probs = final_probs(model, str(row["text"]))
        hits += labels[int(np.argmax(probs))] == row["label"]
        n += 1
    return (hits / n if n else float("nan")), n


# Real sentences whose verdict may hang on a negation or a contrast (a word of these is in them).
NEGATION_WORDS = frozenset({"not", "n't", "never", "no", "nothing", "hardly", "nobody", "none",
                            "neither", "nor"})
CONTRAST_WORDS = frozenset({"but", "although", "though", "however", "yet"})


def subsets(model: Model, rows: list[dict[str, Any]]) -> dict[str, dict[str, float | int]]:
    """Accuracy on the rows with a negation word and on those with a contrast word."""
    out = {}
    for name, words in (("with_negation", NEGATION_WORDS), ("with_contrast", CONTRAST_WORDS)):
        acc, n = accuracy(model, [r for r in rows if words & set(tokenize(str(r["text"])))])
        out[name] = {"accuracy": round(acc, 4), "n": n}
    return out


def evaluate(model: Model) -> dict[str, Any]:
    """Accuracy on test.jsonl (headline) and per domain on test_other.jsonl."""
    acc, n = accuracy(model, read_jsonl(TEST_FILE))
    result: dict[str, Any] = {
        "model": model.name, "accuracy": round(acc, 4), "n": n,
        "split": "data/splits/test.jsonl", "domain": "movies (Rotten Tomatoes sentences)",
    }
    other = read_jsonl(OTHER_FILE) if OTHER_FILE.is_file() else []
    result["other_domains"] = {}
    for domain in sorted({r["domain"] for r in other}):
        d_acc, d_n = accuracy(model, (r for r in other if r["domain"] == domain))
        result["other_domains"][domain] = {"accuracy": round(d_acc, 4), "n": d_n}
    # every test sentence (movies, Amazon, tweets) with a negation or contrast word
    result["test_subsets"] = subsets(model, read_jsonl(TEST_FILE) + other)
    from .behaviour import behaviour_metrics

    result.update(behaviour_metrics(model))
    card = model.config.metrics.get("accuracy")
    if isinstance(card, int | float):
        result["model_card_accuracy"] = card
    return result


def evaluate_command(model: str, as_json: bool, suite: bool = False) -> int:
    """Print the accuracy of a shipped model (or a model directory) on the committed test split
    and per category of the behavioural suite; with `suite`, the suite's figures only."""
    if suite:
        from .behaviour import PARTS, suite_command

        return suite_command(model, list(PARTS), as_json)
    loaded = load_model(model)
    result = evaluate(loaded)
    if as_json:
        print(json.dumps(result))
        return 0
    print(f"{result['model']}: accuracy {result['accuracy']:.2%} on {result['n']} held-out "
          f"Rotten Tomatoes sentences ({result['split']})")
    for domain, r in result["other_domains"].items():
        print(f"  {domain}: {r['accuracy']:.2%} on {r['n']} sentences (data/splits/test_other.jsonl)")
    print(f"  behaviour (held-out suite, {result['behaviour_suite']}): "
          + ", ".join(f"{c} {a:.0%}" for c, a in result["behaviour"].items()))
    return 0


if __name__ == "__main__":
    sys.exit(evaluate_command(sys.argv[1], as_json="--json" in sys.argv, suite="--suite" in sys.argv))
