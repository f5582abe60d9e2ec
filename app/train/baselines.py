"""Baselines on the same committed test split: multinomial Naive Bayes and the VADER lexicon.

    python -m app.train.baselines [--json]

Also their accuracy per category of the behavioural suite (data/behaviour/), both parts.
Needs scikit-learn and vaderSentiment (measuring tools only, not dependencies of gatescope).
Naive Bayes sees the same training sentences as the shipped models (the project's tokenizer,
unigrams and bigrams); its smoothing is chosen on the dev split. VADER is used as it ships:
compound score >= 0 is positive (the training split's majority label breaks ties).
"""

from __future__ import annotations

import json
import sys
from typing import Any

from app.core import tokenize

from . import data

# The generated sentences of the shipped lstm's command (--augment 120 --augment-lexicon-more
# --augment-composed 60 --augment-bare 0.5): sentences per template, lexicon level, composed pairs
# per opener, share without a final stop.
AUGMENT, LEXICON, COMPOSED, BARE = 120, 2, 60, 0.5


def _accuracy(pred: list[str], rows: list[dict[str, Any]]) -> float:
    return sum(p == r["label"] for p, r in zip(pred, rows, strict=True)) / len(rows)


def naive_bayes(train: list[dict[str, Any]], dev: list[dict[str, Any]]) -> Any:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.naive_bayes import MultinomialNB
    from sklearn.pipeline import make_pipeline

    best = None
    for alpha in (0.1, 0.25, 0.5, 1.0, 2.0):
        pipe = make_pipeline(CountVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None,
                                             ngram_range=(1, 2)), MultinomialNB(alpha=alpha))
        pipe.fit([r["text"] for r in train], [r["label"] for r in train])
        acc = _accuracy(list(pipe.predict([r["text"] for r in dev])), dev)
        if best is None or acc > best[0]:
            best = (acc, alpha, pipe)
    assert best is not None
    return best


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        print("the baselines need scikit-learn and vaderSentiment: "
              "pip install scikit-learn vaderSentiment", file=sys.stderr)
        return 2
    train = data.load_split("train")
    dev = data.load_split("dev", ["movies"])
    test = data.read_jsonl(data.TEST_FILE)
    other = data.read_jsonl(data.OTHER_FILE)
    dev_acc, alpha, nb = naive_bayes(train, dev)
    vader = SentimentIntensityAnalyzer()

    def vader_predict(rows: list[dict[str, Any]]) -> list[str]:
        return ["positive" if vader.polarity_scores(r["text"])["compound"] >= 0 else "negative"
                for r in rows]

    # The same Naive Bayes on the training sentences plus the lstm's generated sentences:
    # bigrams see "not bad", a bag of words no more.
    from .augment import augmentation_rows
    from .behaviour import PARTS, score

    generated = augmentation_rows(AUGMENT, bare_share=BARE, lexicon=LEXICON, composed=COMPOSED)
    aug_dev_acc, aug_alpha, nb_aug = naive_bayes(train + generated, dev)
    predictors = {"naive_bayes": lambda rows: list(nb.predict([r["text"] for r in rows])),
                  "naive_bayes_augmented": lambda rows: list(nb_aug.predict([r["text"] for r in rows])),
                  "vader": vader_predict}
    result: dict[str, Any] = {}
    for name, predict in predictors.items():
        entry: dict[str, Any] = {"accuracy": round(_accuracy(predict(test), test), 4), "n": len(test)}
        for domain in ("amazon", "tweets"):
            rows = [r for r in other if r["domain"] == domain]
            entry[domain] = round(_accuracy(predict(rows), rows), 4)
        for part, path in PARTS.items():
            rows = data.read_jsonl(path)
            labels = dict(zip((r["text"] for r in rows), predict(rows), strict=True))
            entry["behaviour" if part == "heldout" else f"behaviour_{part}"] = {
                c: v["accuracy"] for c, v in score(labels.__getitem__, rows).items()}
        result[name] = entry
    result["naive_bayes"]["alpha"] = alpha
    result["naive_bayes"]["dev_accuracy"] = round(dev_acc, 4)
    result["naive_bayes_augmented"]["alpha"] = aug_alpha
    result["naive_bayes_augmented"]["dev_accuracy"] = round(aug_dev_acc, 4)
    if "--json" in argv:
        print(json.dumps(result))
    else:
        for name, entry in result.items():
            print(f"{name}: {entry['accuracy']:.2%} on {entry['n']} test sentences; "
                  f"amazon {entry['amazon']:.2%}, tweets {entry['tweets']:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
