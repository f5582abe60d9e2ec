"""How the shipped models read the showcase sentences, token by token (reported, never tuned on).

    python -m app.train.showcase [--model NAME ...]

Prints the verdict's P(positive) and P(positive) after every token, the way the app's prediction
view shows them.
"""

from __future__ import annotations

import argparse
import sys

from app.core import load_model
from app.core.examples import CEREAL, DRY_BUT

from .data import SHIPPED_MODELS

SHOWCASE = {"cereal": CEREAL, "dry-but": DRY_BUT}


def positive_curve(model_name: str, text: str) -> list[tuple[str, float]]:
    model = load_model(model_name)
    trace = model.trace(text)
    pos = list(model.config.labels).index("positive")
    return [(tok, float(p)) for tok, p in zip(trace.tokens, trace.probs[:, pos], strict=True)]


def verdict_positive(model_name: str, text: str) -> float:
    """P(positive) of the model's verdict on the whole text (for a final-states bidirectional
    model, not the last step's answer)."""
    model = load_model(model_name)
    return float(model.trace(text).verdict[list(model.config.labels).index("positive")])


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.showcase", description=__doc__)
    p.add_argument("--model", action="append", help="model name (default: every shipped one)")
    args = p.parse_args(argv)
    for name in args.model or SHIPPED_MODELS:
        for key, text in SHOWCASE.items():
            curve = positive_curve(name, text)
            steps = " ".join(f"{tok}:{prob:.2f}" for tok, prob in curve)
            verdict = verdict_positive(name, text)
            print(f"{name:9s} {key:8s} verdict P(positive) = {verdict:.3f}\n    {steps}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
