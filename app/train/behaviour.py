"""The behavioural suite: does a model read negation, contrast, degree words and filler?

    python -m app.train.behaviour --model lstm [--part heldout|train_side] [--json]
    python -m app.train.behaviour --write        # regenerate data/behaviour/*.jsonl
    python -m app.train.behaviour --refresh DIR  # rewrite DIR/config.json's behaviour figures

Minimal functionality tests in the manner of CheckList (Ribeiro et al., ACL 2020), generated from
the templates of `templates.py` over the words of `lexicon.py`, plus sentences written by hand.
Two parts, built from disjoint templates AND disjoint words:

- `train_side.jsonl`: choices (augmentation, settings, epochs) may look at it;
- `heldout.jsonl`: never looked at by any choice; its figures are the ones the model card, the
  config.json "metrics" and the page report.

Scored by the numpy engine (no torch), the way the app serves the model.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from functools import partial
from typing import Any

from app.resources import behaviour_dir

from . import lexicon as lx
from .data import LABELS, read_jsonl
from .templates import HAND_HELD, SUITE_HELD, SUITE_TRAIN, SUITE_TRAIN_NEW_WORDS, Template

BEHAVIOUR_DIR = behaviour_dir()  # in the repository, or inside the installed package
PARTS = {"train_side": BEHAVIOUR_DIR / "train_side.jsonl", "heldout": BEHAVIOUR_DIR / "heldout.jsonl"}
CATEGORIES = ("plain", "negated_positive", "negated_negative", "negation_distance", "contrast",
              "intensity", "filler")
# "negation" in the figures: every sentence whose verdict a negation decides.
NEGATION = ("negated_positive", "negated_negative", "negation_distance")
PER_TEMPLATE = 16  # sentences drawn from each suite template (half with a positive word)
SUITE_COMPOSED_PER_OPENER = 12  # the training-side suite's composed part: pairs per opener


class Words:
    """One half's vocabulary for the templates."""

    def __init__(self, part: str, adjectives: dict[str, float] | None = None) -> None:
        train = part == "train"
        self.adjectives = lx.adjectives(part) if adjectives is None else adjectives
        self.verbs = lx.TRAIN_VERBS if train else lx.HELD_VERBS
        self.subjects = lx.TRAIN_SUBJECTS if train else lx.HELD_SUBJECTS
        self.nouns = lx.TRAIN_NOUNS if train else lx.HELD_NOUNS
        self.intensifiers = lx.TRAIN_INTENSIFIERS if train else lx.HELD_INTENSIFIERS
        self.diminishers = lx.TRAIN_DIMINISHERS if train else lx.HELD_DIMINISHERS


def tidy(text: str) -> str:
    """Capital first letter, no space before punctuation, "an" before a vowel."""
    text = re.sub(r"\s+([,.;:!?])", r"\1", " ".join(text.split()))
    text = re.sub(r"\b([Aa]) ([aeiou])", r"\1n \2", text)  # "a absurd meal" -> "an absurd meal"
    return text[:1].upper() + text[1:]


def fill(template: Template, words: Words, sign: int, rng: random.Random,
         word: str | None = None) -> dict[str, Any]:
    """One sentence from `template` whose deciding word has `sign` (or is `word`): text, label,
    category, the deciding word and a rating on the human -4..+4 scale (the augmentation's soft
    target)."""
    kind, text, rule = template
    pick = {w: r for w, r in words.adjectives.items() if (r > 0) == (sign > 0)}
    other = {w: r for w, r in words.adjectives.items() if (r > 0) != (sign > 0)}
    slots: dict[str, str] = {}
    if "{v}" in text or "{vd}" in text:
        (present, past), vsign = rng.choice([(v, s) for v, s in words.verbs.items() if s == sign])
        slots.update(v=present, vd=past)
        word, strength = (past if "{vd}" in text else present), 2.0 * vsign
    else:
        word = word if word is not None else rng.choice(sorted(pick))
        strength = words.adjectives[word]
    slots["x"] = word if "{x}" in text else ""
    slots["y"] = rng.choice(sorted(other))
    s, s2 = rng.sample(words.subjects, 2)
    slots.update(s=s, s2=s2, n=rng.choice(words.nouns), i=rng.choice(words.intensifiers),
                 d=rng.choice(words.diminishers))
    label_sign = sign if rule == "same" else -sign
    rating = strength * {"plain": 1.0, "filler": 1.0, "contrast": 0.7}.get(kind, 1.0)
    if kind in ("negation", "distance"):
        rating = -0.5 * strength
    elif kind == "intensity":
        rating = strength * (1.3 if "{i}" in text else 0.6)
    category = kind
    if kind == "negation":
        category = "negated_positive" if sign > 0 else "negated_negative"
    elif kind == "distance":
        category = "negation_distance"
    return {"text": tidy(text.format(**slots)), "label": LABELS[label_sign > 0],
            "category": category, "word": word, "rating": round(max(-3.5, min(3.5, rating)), 2)}


def expand(templates: list[Template], part: str, per_template: int, seed: int,
           family: str) -> list[dict[str, Any]]:
    """`per_template` distinct sentences from each template, half with a positive deciding word."""
    words = Words(part)
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for k, template in enumerate(templates):
        for (row,) in draw_distinct(partial(_one, template, words, rng), per_template, seen):
            rows.append({**row, "template": f"{family}:{k}"})
    return rows


def _one(template: Template, words: Words, rng: random.Random, sign: int) -> list[dict[str, Any]]:
    return [fill(template, words, sign, rng)]


def draw_distinct(make: Callable[[int], list[dict[str, Any]]], count: int,
                  seen: set[str]) -> list[list[dict[str, Any]]]:
    """`count` groups from `make(sign)` (signs alternate +, -) whose first sentence is not in
    `seen` yet (it is added), or fewer after 20 tries per group."""
    groups: list[list[dict[str, Any]]] = []
    for attempt in range(count * 20):
        if len(groups) >= count:
            break
        group = make(1 if attempt % 2 == 0 else -1)
        if group[0]["text"].lower() in seen:
            continue
        seen.add(group[0]["text"].lower())
        groups.append(group)
    return groups


def each_word(templates: list[Template], words: Words, seed: int, family: str,
              per_word: int | None = None) -> list[dict[str, Any]]:
    """Every word of `words` in each template (or in `per_word` of them, drawn at random)."""
    rng = random.Random(seed)
    rows = []
    for word, rating in sorted(words.adjectives.items()):
        picked = range(len(templates)) if per_word is None else \
            sorted(rng.sample(range(len(templates)), per_word))
        for k in picked:
            row = fill(templates[k], words, 1 if rating > 0 else -1, rng, word=word)
            rows.append({**row, "template": f"{family}:{k}"})
    return rows


def build_suite() -> dict[str, list[dict[str, Any]]]:
    """The two parts, as committed (a pure function of the templates, words and seeds)."""
    train_side = expand(SUITE_TRAIN, "train", PER_TEMPLATE, seed=101, family="suite_train")
    new_words = {w: r for w, r in lx.extra("dev").items() if lx.is_adjective(w)}
    train_side += each_word(SUITE_TRAIN_NEW_WORDS, Words("train", new_words), seed=404,
                            family="suite_train_new_words")
    from .compose import composed_rows  # compose builds on this module

    train_side += composed_rows(SUITE_COMPOSED_PER_OPENER, "suite", seed=606)
    heldout = expand(SUITE_HELD, "held", PER_TEMPLATE, seed=202, family="suite_held")
    heldout += [{"text": text, "label": label, "category": category, "word": None, "rating": None,
                 "template": "hand"} for category, text, label in HAND_HELD]
    return {"train_side": train_side, "heldout": heldout}


def write_suite() -> None:
    BEHAVIOUR_DIR.mkdir(parents=True, exist_ok=True)
    for part, rows in build_suite().items():
        with PARTS[part].open("w", encoding="utf-8", newline="\n") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


def by_category(hits: Iterable[tuple[str, bool]]) -> dict[str, dict[str, float | int]]:
    """{category: {"accuracy", "n"}} for each category and the "negation" total."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for category, hit in hits:
        for key in (category, "negation") if category in NEGATION else (category,):
            counts[key][0] += hit
            counts[key][1] += 1
    order = [*CATEGORIES, "negation"]
    return {c: {"accuracy": round(counts[c][0] / counts[c][1], 4), "n": counts[c][1]}
            for c in order if counts[c][1]}


def score(predict: Any, rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, float | int]]:
    """Per-category accuracy of `predict(text) -> label` on suite rows."""
    return by_category((str(r["category"]), predict(str(r["text"])) == r["label"]) for r in rows)


def evaluate_model(model: Any, part: str = "heldout") -> dict[str, dict[str, float | int]]:
    """Per-category accuracy of an app.core Model on one part of the committed suite."""
    from .evaluate import predict_label

    return score(lambda text: predict_label(model, text), read_jsonl(PARTS[part]))


def behaviour_metrics(model: Any) -> dict[str, Any]:
    """What config.json "metrics" records: held-out accuracy per category (the page's note),
    how many sentences each has, and the training-side part's accuracy."""
    held = evaluate_model(model, "heldout")
    side = evaluate_model(model, "train_side")
    return {"behaviour": {c: v["accuracy"] for c, v in held.items()},
            "behaviour_n": {c: v["n"] for c, v in held.items()},
            "behaviour_train_side": {c: v["accuracy"] for c, v in side.items()},
            "behaviour_suite": "data/behaviour/heldout.jsonl"}


def refresh_config(directory: str) -> int:
    """Measure the model in `directory` on the committed suite and put the figures into its
    config.json's "metrics" (the suite's keys only), the rest as it was."""
    from pathlib import Path

    from app.core import load_model

    path = Path(directory) / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    config.setdefault("metrics", {}).update(behaviour_metrics(load_model(directory)))
    path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8",
                    newline="\n")
    return 0


def format_table(name: str, results: Mapping[str, Mapping[str, Mapping[str, float | int]]]) -> str:
    lines = [f"{name}: accuracy per behaviour category"]
    for part, res in results.items():
        lines.append(f"  {part}:")
        lines += [f"    {c:18s} {v['accuracy']:7.1%}  (n={v['n']})" for c, v in res.items()]
    return "\n".join(lines)


def suite_command(model: str, parts: list[str], as_json: bool) -> int:
    from app.core import load_model

    loaded = load_model(model)
    results = {part: evaluate_model(loaded, part) for part in parts}
    print(json.dumps({"model": loaded.name, **results}) if as_json
          else format_table(loaded.name, results))
    return 0


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.behaviour", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--model", help="a shipped model's name or a model directory")
    p.add_argument("--part", choices=[*PARTS, "both"], default="both")
    p.add_argument("--json", action="store_true")
    p.add_argument("--write", action="store_true", help="regenerate data/behaviour/*.jsonl")
    p.add_argument("--refresh", metavar="DIR", help="recompute the behaviour figures in a model "
                   "directory's config.json (after the suite changed; the rest is left as it is)")
    args = p.parse_args(argv)
    if args.write:
        write_suite()
        return 0
    if args.refresh:
        return refresh_config(args.refresh)
    if not args.model:
        p.error("--model is required (or --write)")
    return suite_command(args.model, list(PARTS) if args.part == "both" else [args.part], args.json)


if __name__ == "__main__":
    sys.exit(main())

