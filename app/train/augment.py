"""Training sentences that teach negation, contrast and degree words, generated from the
augmentation templates of `templates.py` over the training half of `lexicon.py` (never a held-out
word, never a suite template), with a rating on the human -4..+4 scale for the soft targets:
"not good" counts as about half as strong as "good" the other way, as people rate it.

    python -m app.train.augment [--per-template N] > sentences.jsonl   # to look at them
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from .behaviour import expand
from .templates import AUGMENTATION

DOMAIN = "synthetic"


def augmentation_rows(per_template: int, seed: int = 303) -> list[dict[str, Any]]:
    """`per_template` sentences from every augmentation template, half with a positive word."""
    rows = expand(AUGMENTATION, "train", per_template, seed=seed, family="aug")
    return [{"text": r["text"], "label": r["label"], "rating": r["rating"], "domain": DOMAIN,
             "source": r["template"], "category": r["category"]} for r in rows]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.augment", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-template", type=int, default=100)
    p.add_argument("--seed", type=int, default=303)
    args = p.parse_args(argv)
    for row in augmentation_rows(args.per_template, args.seed):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
