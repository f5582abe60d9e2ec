"""Rewrite the figures table of models/README.md from the shipped config.json files.

    python -m app.train.baselines --json > data/baselines.json   # scikit-learn + vaderSentiment
    python -m app.train.card

The table sits between the markers `<!-- figures -->` and `<!-- /figures -->`; the rest of the card
is written by hand.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .data import REPO
from .data import SHIPPED_MODELS as MODELS

CARD = REPO / "models" / "README.md"
BASELINES = REPO / "data" / "baselines.json"


def _pct(x: float) -> str:
    return f"{x:.1%}"


def _cell(config: dict[str, Any]) -> str:
    """LSTM, LSTM × 2 layers, bidirectional LSTM: what the table's model column names."""
    kind = config["kind"].upper()
    if config.get("bidirectional"):
        kind = "bidirectional " + kind
    layers = config.get("num_layers", 1)
    return kind + (f", {layers} layers" if layers > 1 else "")


def _units(config: dict[str, Any]) -> str:
    if config.get("bidirectional"):
        return f"{config['hidden_size']} per direction"
    return f"{config['hidden_size']}" + (" per layer" if config.get("num_layers", 1) > 1 else "")


def table() -> str:
    rows = ["| model | units | test accuracy (movies, n=1,271) | dev accuracy | Amazon (n=318) "
            "| tweets (n=340) | best epoch | training time |",
            "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name in MODELS:
        config: dict[str, Any] = json.loads((REPO / "models" / name / "config.json").read_text())
        m = config["metrics"]
        other = m.get("other_domains", {})
        rows.append(
            f"| `{name}` ({_cell(config)}) | {_units(config)} | **{_pct(m['accuracy'])}** "
            f"| {_pct(m['dev_accuracy'])} | {_pct(other['amazon']['accuracy'])} "
            f"| {_pct(other['tweets']['accuracy'])} | {m['best_epoch']} of {m['epochs_run']} "
            f"| {m['train_seconds'] / 60:.1f} min |")
    if BASELINES.is_file():
        b = json.loads(BASELINES.read_text())
        nb, vader = b["naive_bayes"], b["vader"]
        rows.append(f"| multinomial Naive Bayes (uni+bigrams, α={nb['alpha']}) | — "
                    f"| {_pct(nb['accuracy'])} | {_pct(nb['dev_accuracy'])} | {_pct(nb['amazon'])} "
                    f"| {_pct(nb['tweets'])} | — | seconds |")
        rows.append(f"| VADER lexicon (compound ≥ 0) | — | {_pct(vader['accuracy'])} | — "
                    f"| {_pct(vader['amazon'])} | {_pct(vader['tweets'])}¹ | — | — |")
    return "\n".join(rows)


SHORT = {"plain": "plain", "negated_positive": "not + positive", "negated_negative": "not + negative",
         "negation_distance": "negation at a distance", "negation": "**negation (all)**",
         "contrast": "**contrast**", "intensity": "degree words", "filler": "neutral filler"}


def behaviour_table(key: str = "behaviour") -> str:
    """Accuracy per category of the behavioural suite: held-out part (`behaviour`) or the
    training-side part (`behaviour_train_side`), each model beside the baselines."""
    cols = ["plain", "negated_positive", "negated_negative", "negation_distance", "negation",
            "contrast", "intensity", "filler"]
    entries: list[tuple[str, dict[str, Any]]] = []
    n: dict[str, Any] = {}
    for name in MODELS:
        m = json.loads((REPO / "models" / name / "config.json").read_text())["metrics"]
        entries.append((f"`{name}`", m[key]))
        n = m.get("behaviour_n", n)
    if BASELINES.is_file():
        b = json.loads(BASELINES.read_text())
        for label, base in (("Naive Bayes", "naive_bayes"),
                            ("Naive Bayes + the augmentation", "naive_bayes_augmented"),
                            ("VADER", "vader")):
            if base in b and key in b[base]:
                entries.append((label, b[base][key]))
    head = [SHORT[c] + (f" (n={n[c]})" if key == "behaviour" and c in n else "") for c in cols]
    rows = ["| model | " + " | ".join(head) + " |", "| --- |" + " --- |" * len(cols)]
    for label, figures in entries:
        rows.append(f"| {label} | " + " | ".join(_pct(figures[c]) for c in cols) + " |")
    return "\n".join(rows)


def subsets_table() -> str:
    """Accuracy on the real test sentences (all three domains) with a negation / contrast word."""
    rows = ["| model | test sentences with a negation word | with a contrast word |",
            "| --- | --- | --- |"]
    for name in MODELS:
        sub = json.loads((REPO / "models" / name / "config.json").read_text())["metrics"][
            "test_subsets"]
        rows.append(f"| `{name}` | {_pct(sub['with_negation']['accuracy'])} "
                    f"(n={sub['with_negation']['n']}) | {_pct(sub['with_contrast']['accuracy'])} "
                    f"(n={sub['with_contrast']['n']}) |")
    return "\n".join(rows)


def commands() -> str:
    lines = []
    for name in MODELS:
        config = json.loads((REPO / "models" / name / "config.json").read_text())
        lines.append(config["metrics"]["command"])
    return "```bash\n" + "\n".join(lines) + "\n```"


def showcase() -> str:
    from .showcase import SHOWCASE, positive_curve, verdict_positive

    rows = ["| model | cereal review: verdict P(positive) | dry-but: after \"dry\" | lowest (at) "
            "| after \"amazing\" | verdict |", "| --- | --- | --- | --- | --- | --- |"]
    for name in MODELS:
        curve = positive_curve(name, SHOWCASE["dry-but"])
        tokens = [tok for tok, _ in curve]
        low = min(range(len(curve)), key=lambda t: curve[t][1])
        dry, amazing = tokens.index("dry"), tokens.index("amazing")
        rows.append(f"| `{name}` | {verdict_positive(name, SHOWCASE['cereal']):.2f} "
                    f"| {curve[dry][1]:.2f} | {curve[low][1]:.2f} ({curve[low][0]!r}, step {low}) "
                    f"| {curve[amazing][1]:.2f} | {verdict_positive(name, SHOWCASE['dry-but']):.2f} |")
    return "\n".join(rows)


def main() -> int:
    text = CARD.read_text(encoding="utf-8")
    for marker, body in (("figures", table()), ("commands", commands()),
                         ("behaviour", behaviour_table()), ("subsets", subsets_table()),
                         ("behaviour-train-side", behaviour_table("behaviour_train_side")),
                         ("showcase", showcase())):
        block = f"<!-- {marker} -->\n{body}\n<!-- /{marker} -->"
        text, n = re.subn(rf"<!-- {marker} -->.*?<!-- /{marker} -->", lambda _m, b=block: b,
                          text, flags=re.S)
        if n != 1:
            print(f"models/README.md has no <!-- {marker} --> ... <!-- /{marker} --> block",
                  file=sys.stderr)
            return 1
    CARD.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
