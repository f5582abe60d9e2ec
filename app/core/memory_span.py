"""Memory span, measured: a strong opening ("Amazing!", "Awful.") followed by k neutral words
(data/neutral.txt, the first k of its tokens), and what the model still says after the last one.

For each model and opening, and k = 0 … 100:
- `prob[k]`: p(the opening's label) after the opening and k neutral tokens;
- `gradient[k]`: ‖∂ log p_label / ∂ e_opening‖₂ at that step (app/core/gradients.py), how strongly
  the opening word can still move the prediction;
- `kept_until`: the largest k with prob > 0.5 at every k' ≤ k (−1 if the opening alone loses).
And for each model, because no text is neutral to these models:
- `baseline[k]`: p(positive) after the k neutral tokens alone (k = 0: nothing read, null);
- `contrast[k]`: logit p(positive | "Amazing!" + k) − logit p(positive | "Awful." + k), what the
  opening's sentiment still adds, in log-odds, with both openings two tokens long.

The model is causal, so one trace of the opening followed by 100 neutral tokens gives every k at
once (p after k neutral tokens does not depend on the tokens after them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .gradients import gradients
from .model import SHIPPED_DIR, Model
from .tokenizer import tokenize

NEUTRAL_PATH = SHIPPED_DIR.parent / "data" / "neutral.txt"
OPENINGS = {"Amazing!": "positive", "Awful.": "negative"}
MAX_K = 100


def neutral_tokens(path: Path = NEUTRAL_PATH, max_k: int = MAX_K) -> list[str]:
    tokens = tokenize(path.read_text(encoding="utf-8"))
    if len(tokens) < max_k:
        raise ValueError(f"{path.name} has {len(tokens)} tokens; the measure needs {max_k}")
    return tokens[:max_k]


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p) - np.log1p(-p)  # type: ignore[no-any-return]


def measure(model: Model, opening: str, label: str, neutral: list[str]) -> dict[str, Any]:
    """The curves of one model and one opening (see the module's docstring)."""
    head = tokenize(opening)
    n = len(head)
    g = gradients(model, head + neutral, label, jacobians=False)
    prob = g.label_probs[n - 1:]  # k = 0 … len(neutral)
    lost = np.flatnonzero(prob <= 0.5)
    return {
        "tokens": head, "label": label,
        "prob": prob.tolist(),
        "gradient": g.connectivity[n - 1:, 0].tolist(),
        "kept_until": int(lost[0]) - 1 if len(lost) else len(neutral),
    }


def memory_span(models: dict[str, Model], neutral: list[str] | None = None) -> dict[str, Any]:
    """Every model × opening: the JSON the page and the model card read."""
    neutral = neutral_tokens() if neutral is None else neutral
    out: dict[str, Any] = {"neutral_tokens": neutral, "k": list(range(len(neutral) + 1)),
                           "openings": OPENINGS, "models": {}}
    for name, m in models.items():
        curves = {o: measure(m, o, lab, neutral) for o, lab in OPENINGS.items()}
        p_pos = {o: np.asarray(c["prob"]) if c["label"] == "positive" else 1 - np.asarray(c["prob"])
                 for o, c in curves.items()}
        alone = gradients(m, neutral, "positive", rows=[], jacobians=False).label_probs
        out["models"][name] = {
            "kind": m.config.kind, "hidden_size": m.config.hidden_size, "openings": curves,
            "baseline": [None, *alone.tolist()],
            "contrast": (_logit(p_pos["Amazing!"]) - _logit(p_pos["Awful."])).tolist(),
        }
    return out
