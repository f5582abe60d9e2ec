"""Regenerate the memory-span figures from the shipped models (app/core/memory_span.py):

    python -m app.train.memory_span          # writes static/memory_span.json and the model card's table
    python -m app.train.memory_span --check  # exit 1 if either is out of date (the tests do this too)

Run it after retraining a shipped model. The JSON is what the page reads; the table sits between
`<!-- memory-span -->` and `<!-- /memory-span -->` in models/README.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from typing import Any

from ..core import load_model
from ..core.memory_span import memory_span
from .card import CARD, REPO

MODELS = ("rnn", "lstm", "gru")
JSON_PATH = REPO / "static" / "memory_span.json"
KS = (0, 10, 25, 50, 100)
_BLOCK = re.compile(r"(<!-- memory-span -->\n).*?(<!-- /memory-span -->)", re.S)


def rounded(value: Any) -> Any:
    """Every float to 4 significant digits (they span many decades), recursively."""
    if isinstance(value, float):
        return float(f"{value:.4g}")
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def compute() -> dict[str, Any]:
    return rounded(memory_span({name: load_model(name) for name in MODELS}))


def table(data: dict[str, Any]) -> str:
    head = " | ".join(f"k = {k}" for k in KS)
    rows = [f"| model | opening | p(its label) at {head} | kept until k | "
            "‖∂ log p / ∂ e_opening‖ at k = 0, 50, 100 | contrast at k = 0, 50, 100 |",
            "| --- | --- |" + " --- |" * len(KS) + " --- | --- | --- |"]
    for name, m in data["models"].items():
        c = m["contrast"]
        for opening, curve in m["openings"].items():
            p, g = curve["prob"], curve["gradient"]
            kept = curve["kept_until"]
            rows.append(f"| `{name}` | {opening} | " + " | ".join(f"{p[k]:.3f}" for k in KS)
                        + f" | {'all 100' if kept >= 100 else kept} | "
                        + ", ".join(f"{g[k]:.1e}" for k in (0, 50, 100)) + " | "
                        + ", ".join(f"{c[k]:.2f}" for k in (0, 50, 100)) + " |")
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that both are up to date")
    args = parser.parse_args(argv)
    data = compute()
    text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    card = CARD.read_text(encoding="utf-8")
    if not _BLOCK.search(card):
        print(f"{CARD.name} has no <!-- memory-span --> block", file=sys.stderr)
        return 1
    new_card = _BLOCK.sub(lambda m: m.group(1) + table(data) + m.group(2), card)
    if args.check:
        stale = [p.name for p, old, new in ((JSON_PATH, JSON_PATH.read_text(encoding="utf-8")
                                             if JSON_PATH.exists() else "", text), (CARD, card, new_card))
                 if old != new]
        if stale:
            print(f"out of date: {', '.join(stale)}; run python -m app.train.memory_span", file=sys.stderr)
            return 1
        return 0
    JSON_PATH.write_text(text, encoding="utf-8")
    CARD.write_text(new_card, encoding="utf-8")
    print(table(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
