"""Negation at a distance, composed from parts rather than written as whole frames.

A sentence is an opener that negates ("it is not true that") or its twin that does not ("it is
true that"), an aside or none, a subject with a tail or none, a linking verb, a neutral adverb or
none and the deciding adjective: "It is not true that, after two viewings, the plot we chose for
the evening was really clever." Every negated sentence comes with its twin (the same parts, the
opposite label), so that no opener, aside or length is a cue by itself: only the negation is.

The frames of `templates.py` are whole sentences, and the models learnt them as such: 94% on the
training-side suite's negation at a distance, 54% on the held-out one (the lstm of the fourth
round). Parts that combine freely put the "not" at many distances in many wordings.

Two disjoint sets of parts: TRAIN_* make training sentences (`gatescope train
--augment-composed N`), SUITE_* the training-side suite's "composed" part, which measures whether
what was learnt carries over to openers and asides never trained on. None of the held-out
frames' own devices ("believe", "doubt", "whatever") is among the parts (a test checks it); those
frames sit in `templates.py` and were known when these parts were written.

    python -m app.train.compose [--per-opener N] [--part train|suite] > sentences.jsonl
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from functools import partial
from typing import Any

from .behaviour import Words, draw_distinct, tidy
from .data import LABELS

Opener = tuple[str, str, str]  # negated, twin, what follows: "that" clause, "object", "as"

TRAIN_OPENERS: list[Opener] = [
    ("i didn't feel that", "i felt that", "that"),
    ("it is not true that", "it is true that", "that"),
    ("i never felt that", "i always felt that", "that"),
    ("we did not agree that", "we all agreed that", "that"),
    ("i wasn't convinced that", "i was convinced that", "that"),
    ("no one in the room thought", "everyone in the room thought", "that"),
    ("i have not heard anyone say", "i have heard many people say", "that"),
    ("it didn't seem to me that", "it seemed to me that", "that"),
    ("none of us would say", "all of us would say", "that"),
    ("i can't honestly say", "i can honestly say", "that"),
    ("i would not call", "i would call", "object"),
    ("we never considered", "we always considered", "object"),
    ("not one of my colleagues found", "all of my colleagues found", "object"),
    ("i did not think of", "i thought of", "as"),
    ("nobody could describe", "anybody could describe", "as"),
    ("at no time did we regard", "at all times we regarded", "as"),
]
TRAIN_ASIDES = ("", "", "", ", to be honest ,", ", if i am fair ,", ", after two viewings ,",
                ", looking back on it ,", ", at least for me ,", ", and i watched it twice ,",
                ", now that i think about it ,", ", for what it is worth ,")
TRAIN_TAILS = ("", "", "", " that my brother picked", " from last year",
               " we chose for the evening", " , which i saw on tuesday ,")

SUITE_OPENERS: list[Opener] = [
    ("i don't feel", "i feel", "that"),
    ("it's not fair to say", "it's fair to say", "that"),
    ("i have never once thought", "i have often thought", "that"),
    ("no one here would claim", "everyone here would claim", "that"),
    ("i was not left thinking", "i was left thinking", "that"),
    ("we didn't consider", "we considered", "object"),
    ("none of the reviews called", "all of the reviews called", "object"),
    ("i never saw", "i always saw", "as"),
]
SUITE_ASIDES = ("", ", frankly ,", ", in all honesty ,", ", having seen it with my cousins ,",
                ", on reflection ,")
SUITE_TAILS = ("", " that everyone talked about", " , shown late at night ,", " on the big screen")

LINKS = ("was", "is", "had been", "seemed", "felt", "came across as", "would be")
ADVERBS = ("", "", "", "really ", "particularly ", "quite ")


def composed_rows(per_opener: int, part: str = "train", seed: int = 505) -> list[dict[str, Any]]:
    """`per_opener` negated sentences from each opener of `part` ("train" or "suite"), each
    followed by its un-negated twin; the words are the training half's (the held-out suite's
    words never appear)."""
    openers, asides, tails = ((TRAIN_OPENERS, TRAIN_ASIDES, TRAIN_TAILS) if part == "train"
                              else (SUITE_OPENERS, SUITE_ASIDES, SUITE_TAILS))
    words = Words("train")
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for k, opener in enumerate(openers):
        make = partial(_pair, opener, words, rng=rng, asides=asides, tails=tails)
        for pair in draw_distinct(make, per_opener, seen):
            rows += [{**row, "template": f"composed_{part}:{k}"} for row in pair]
    return rows


def _pair(opener: Opener, words: Words, sign: int, rng: random.Random,
          asides: tuple[str, ...], tails: tuple[str, ...]) -> list[dict[str, Any]]:
    negated, twin, clause = opener
    word = rng.choice(sorted(w for w, r in words.adjectives.items() if (r > 0) == (sign > 0)))
    strength = words.adjectives[word]
    middle = rng.choice(words.subjects) + rng.choice(tails)
    link = {"that": " " + rng.choice(LINKS), "object": "", "as": " as"}[clause]
    rest = f"{rng.choice(asides)} {middle}{link} {rng.choice(ADVERBS)}{word}."
    return [{"text": tidy(negated + rest), "label": LABELS[sign < 0],
             "category": "negation_distance", "word": word,
             "rating": round(max(-3.5, min(3.5, -0.5 * strength)), 2)},
            {"text": tidy(twin + rest), "label": LABELS[sign > 0], "category": "plain",
             "word": word, "rating": round(strength, 2)}]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.compose", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--per-opener", type=int, default=10)
    p.add_argument("--part", choices=("train", "suite"), default="train")
    p.add_argument("--seed", type=int, default=505)
    args = p.parse_args(argv)
    for row in composed_rows(args.per_opener, args.part, args.seed):
        print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
