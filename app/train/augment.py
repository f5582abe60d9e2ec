"""Training sentences that teach negation, contrast and degree words, generated from the
augmentation templates of `templates.py` over the training half of `lexicon.py` (never a held-out
word, never a suite template), with a rating on the human -4..+4 scale for the soft targets:
"not good" counts as about half as strong as "good" the other way, as people rate it.

    python -m app.train.augment [--per-template N] > sentences.jsonl   # to look at them
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from typing import Any

from . import lexicon as lx
from .behaviour import Words, each_word, expand
from .compose import composed_rows
from .templates import AUGMENTATION, AUGMENTATION_DISTANCE, LEXICON_ADJECTIVE, LEXICON_ANY, LEXICON_PAST

DOMAIN = "synthetic"


def augmentation_rows(per_template: int, seed: int = 303, bare_share: float = 0.0,
                      lexicon: int = 0, distance: bool = False,
                      composed: int = 0) -> list[dict[str, Any]]:
    """`per_template` sentences from every augmentation template, half with a positive word;
    `bare_share` of them lose their final punctuation (people type "not bad" without a full stop;
    when every generated sentence ended in one, the LSTM learnt to settle "not ... bad" there).
    `lexicon` >= 1: also every training word of VADER's others (lexicon.extra), once in a frame
    any word fits and, an adjective, in two of the adjective frames (plain or negated); 2: twice
    as many such sentences, and the words ending in "-ed" that are not adjectives ("cherished",
    "appalled") also in two frames of a person's reaction ("we cherished it", "it left me appalled").
    `composed` > 0: also that many pairs per opener of negation at a distance composed from
    parts, each with its un-negated twin (compose.py)."""
    rows = expand(AUGMENTATION, "train", per_template, seed=seed, family="aug")
    if distance:  # `distance`: also the frames of negation at a distance and their twins
        rows += expand(AUGMENTATION_DISTANCE, "train", per_template, seed=seed + 5, family="aug_distance")
    if lexicon >= 1:
        extra = lx.extra("train")
        adjectives = {w: r for w, r in extra.items() if lx.is_adjective(w)}
        past = {w: r for w, r in extra.items() if w.endswith("ed") and w not in adjectives}
        more = lexicon >= 2
        rows += each_word(LEXICON_ANY, Words("train", extra), seed + 2, "lexicon_any",
                          per_word=2 if more else 1)
        rows += each_word(LEXICON_ADJECTIVE, Words("train", adjectives), seed + 3,
                          "lexicon_adjective", per_word=4 if more else 2)
        if more:
            rows += each_word(LEXICON_PAST, Words("train", past), seed + 4, "lexicon_past",
                              per_word=2)
    if composed > 0:
        rows += composed_rows(composed, "train", seed + 6)
    rng = random.Random(seed + 1)
    return [{"text": _bare(r["text"]) if rng.random() < bare_share else r["text"],
             "label": r["label"], "rating": r["rating"], "domain": DOMAIN,
             "source": r["template"], "category": r["category"]} for r in rows]


def _bare(text: str) -> str:
    return text.rstrip(".!?").rstrip()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.augment", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-template", type=int, default=100)
    p.add_argument("--seed", type=int, default=303)
    p.add_argument("--bare-share", type=float, default=0.0)
    p.add_argument("--distance", action="store_true", help="also more negation at a distance")
    p.add_argument("--composed", type=int, default=0, help="pairs per opener of compose.py")
    p.add_argument("--lexicon", type=int, default=0, choices=(0, 1, 2),
                   help="also VADER's other rated words (2: twice as many sentences)")
    args = p.parse_args(argv)
    for row in augmentation_rows(args.per_template, args.seed, args.bare_share, args.lexicon,
                                 args.distance, args.composed):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
