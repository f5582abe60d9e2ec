"""The words the behavioural suite and the negation augmentation are built from.

Adjectives that can describe a film, a book, a meal or a product, with their mean rating in
VADER's lexicon (Hutto & Gilbert 2014, `vader_lexicon.txt` in the vaderSentiment 3.3.2 sdist the
project already fetches; MIT) on the same -4..+4 scale as the human-rated sentences; None where
VADER does not rate the word and the sign was given by hand (its strength then counts as 2).

Two disjoint halves: TRAIN_* words may appear in the augmentation and the training-side suite;
HELD_* words appear only in the held-out suite, so that it measures negation of words the
augmentation never negated. `tests/train/test_behaviour.py` checks the ratings against the file.

Beyond the hand-picked words, VADER rates some 3,000 more that GloVe knows (`lexicon_extra.json`,
written by `python -m app.train.lexicon --write`): five in six teach the augmentation what words
mean (the held-out suite's words cannot: the hand-picked words were too few for a model to learn
that "turned out memorable" is praise from the word alone), and the sixth make the training-side
suite's "new words" part, so that a choice can see how a model reads words it was never taught.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from functools import cache

TRAIN_POSITIVE: dict[str, float | None] = {
    "good": 1.9, "great": 3.1, "amazing": 2.8, "brilliant": 2.8, "fantastic": 2.6, "fabulous": 2.4,
    "terrific": 2.1, "fun": 2.3, "funny": 1.9, "hilarious": 1.7, "nice": 1.8, "lovely": 2.8,
    "beautiful": 2.9, "perfect": 2.7, "awesome": 3.1, "outstanding": 3.0, "magnificent": 2.9,
    "marvelous": 2.9, "glorious": 3.2, "pleasant": 2.3, "satisfying": 2.0, "entertaining": 1.9,
    "engaging": 1.4, "inspiring": 1.8, "powerful": 1.8, "smart": 1.7, "sweet": 2.0, "wise": 2.1,
    "exciting": 2.2, "strong": 2.3, "talented": 2.3, "vibrant": 2.4, "admirable": 2.6,
    "cheerful": 2.5, "rewarding": 2.4, "pleasing": 2.4, "interesting": 1.7, "lively": 1.9,
    "stunning": 1.6, "thoughtful": 1.6, "sincere": 1.7, "graceful": 2.0, "touching": None,
    "refreshing": None, "uplifting": None, "stellar": None, "exquisite": None, "genuine": None,
    "appealing": None,
}
TRAIN_NEGATIVE: dict[str, float | None] = {
    "bad": -2.5, "horrible": -2.5, "stupid": -2.4, "weak": -1.9, "poor": -2.1, "lame": -1.8,
    "annoying": -1.7, "ugly": -2.3, "painful": -1.9, "useless": -1.8, "miserable": -2.2,
    "unpleasant": -2.1, "dumb": -2.3, "crappy": -2.6, "nasty": -2.6, "disgusting": -2.4,
    "offensive": -2.0, "frustrating": -1.9, "ridiculous": -1.5, "messy": -1.5, "depressing": -1.6,
    "sluggish": -1.7, "incompetent": -2.1, "vile": -3.1, "joyless": -2.5, "dreary": -1.4,
    "mediocre": None, "clumsy": None, "tiresome": None, "shallow": None, "predictable": None,
    "stale": None, "absurd": None, "atrocious": None, "abysmal": None, "unbearable": None,
    "pretentious": None, "sloppy": None, "tasteless": None, "unfunny": None, "unwatchable": None,
    "hollow": None, "wretched": None, "shoddy": None,
}
HELD_POSITIVE: dict[str, float | None] = {
    "excellent": 2.7, "wonderful": 2.7, "superb": 3.1, "charming": 2.8, "enjoyable": 1.9,
    "clever": 2.0, "thrilling": 2.1, "gorgeous": 3.0, "impressive": 2.3, "delightful": 2.8,
    "intelligent": 2.0, "elegant": 2.1, "heartwarming": 2.1, "splendid": 2.8, "remarkable": 2.6,
    "moving": None, "witty": None, "captivating": None, "memorable": None, "masterful": None,
}
HELD_NEGATIVE: dict[str, float | None] = {
    "terrible": -2.1, "boring": -1.3, "dull": -1.7, "awful": -2.0, "pathetic": -2.7, "lousy": -2.5,
    "disappointing": -2.2, "dreadful": -1.9, "irritating": -2.0, "horrendous": -2.8, "dismal": -3.0,
    "worthless": -1.9, "tedious": None, "bland": None, "pointless": None, "forgettable": None,
    "lifeless": None, "inept": None,
}

# Verbs of liking, (present, past) with their polarity: +1 or -1.
TRAIN_VERBS = {("love", "loved"): 1, ("like", "liked"): 1, ("enjoy", "enjoyed"): 1,
               ("recommend", "recommended"): 1, ("hate", "hated"): -1, ("dislike", "disliked"): -1}
HELD_VERBS = {("adore", "adored"): 1, ("admire", "admired"): 1, ("despise", "despised"): -1,
              ("detest", "detested"): -1}

# Degree words: they change how strongly, never which way.
TRAIN_INTENSIFIERS = ("very", "really", "so", "extremely", "incredibly", "truly", "absolutely",
                      "totally")
TRAIN_DIMINISHERS = ("a bit", "slightly", "somewhat", "kind of", "fairly", "a little")
HELD_INTENSIFIERS = ("remarkably", "exceptionally", "utterly", "unbelievably", "thoroughly")
HELD_DIMINISHERS = ("mildly", "a tad", "rather", "a touch", "moderately")

# What the sentences are about.
TRAIN_SUBJECTS = ("the movie", "this film", "the plot", "the story", "the acting", "the ending",
                  "the script", "the soundtrack", "the food", "the service", "this book",
                  "the show", "this game", "the album", "this product", "the hotel", "the cast",
                  "the dialogue", "the second half", "the performance")
HELD_SUBJECTS = ("the sequel", "this documentary", "the novel", "the restaurant", "the series",
                 "the finale", "the screenplay", "the lead performance", "this phone", "the concert")
TRAIN_NOUNS = ("movie", "film", "story", "book", "show", "experience", "meal", "product", "read")
HELD_NOUNS = ("documentary", "novel", "evening", "purchase", "series")

DEFAULT_STRENGTH = 2.0


def rated(words: dict[str, float | None], sign: int) -> dict[str, float]:
    """Each word with its rating; by-hand words get DEFAULT_STRENGTH with their sign."""
    return {w: (r if r is not None else sign * DEFAULT_STRENGTH) for w, r in words.items()}


def adjectives(part: str) -> dict[str, float]:
    """The adjectives of one half ("train" or "held"), word -> rating (its sign is the label)."""
    pos, neg = (TRAIN_POSITIVE, TRAIN_NEGATIVE) if part == "train" else (HELD_POSITIVE, HELD_NEGATIVE)
    return {**rated(pos, 1), **rated(neg, -1)}


def read_vader_lexicon() -> dict[str, float]:
    """VADER's rated lexicon from the pinned sdist (downloaded once into the cache)."""
    import tarfile

    from . import data

    with tarfile.open(data.fetch(data.VADER)) as sdist:
        f = sdist.extractfile("vaderSentiment-3.3.2/vaderSentiment/vader_lexicon.txt")
        assert f is not None
        lines = f.read().decode("utf-8", errors="replace").splitlines()
    return {p[0]: float(p[1]) for p in (line.split("\t") for line in lines) if len(p) >= 2}


# --- VADER's other rated words -------------------------------------------------------------------

EXTRA_MIN_RATING = 1.5  # |mean rating| at least this: words people agree are clearly + or -
EXTRA_GLOVE_RANK = 100_000  # and among GloVe's most frequent words (no slang, typos or emoticons)
# Endings that make an adjective likely enough for "{s} is {x}." and "{s} is not {x}."; the
# other words (nouns, verbs, adverbs) go only into frames any word fits ("in a word: {x}.").
ADJECTIVE_END = re.compile(r"(ful|ous|ive|able|ible|less|ic|ical|ing|ant|ent|some|id)$")
NOT_ADJECTIVE_END = re.compile(r"(ment|ing)$")  # "agreement"; "attacking" is a verb more often
# "-ing" words that are adjectives in a review ("the plot is convincing"), not verbs.
_ING_ADJECTIVES = frozenset({
    "amusing", "appalling", "astounding", "breathtaking", "charming", "comforting",
    "convincing", "disgusting", "disturbing", "encouraging", "enraging", "exhilarating",
    "gripping", "heartbreaking", "inspiring", "intriguing", "loving", "moving", "outstanding",
    "pleasing", "promising", "refreshing", "rewarding", "satisfying", "shocking", "sickening",
    "soothing", "stunning", "terrifying", "thrilling", "troubling", "upsetting",
})
DEV_EVERY = 6  # every sixth word (in alphabetical order) is kept for the training-side suite


def _stem(word: str) -> str:
    return word[:max(4, len(word) - 2)]


def held_words() -> set[str]:
    """Every word of the held-out half: adjectives and both forms of its verbs."""
    return {*adjectives("held"), *(form for pair in HELD_VERBS for form in pair)}


def template_words() -> set[str]:
    """The words the templates, the hand-written held-out sentences and the other word lists are
    made of ("wow", "not", "masterpiece", "truly"): they stay where they are, not in the extras."""
    from . import templates as t

    texts = [text for ts in (t.AUGMENTATION, t.LEXICON_ANY, t.LEXICON_ADJECTIVE, t.SUITE_TRAIN,
                             t.SUITE_HELD) for _, text, _ in ts] + [x for _, x, _ in t.HAND_HELD]
    texts += [*TRAIN_INTENSIFIERS, *TRAIN_DIMINISHERS, *HELD_INTENSIFIERS, *HELD_DIMINISHERS,
              *TRAIN_SUBJECTS, *HELD_SUBJECTS, *TRAIN_NOUNS, *HELD_NOUNS]
    return {w for text in texts for w in re.findall(r"[a-z]+", text.lower())}


def select_extra(vader: dict[str, float], known: set[str]) -> dict[str, dict[str, float]]:
    """{"train": word -> rating, "dev": ...}: VADER's strongly rated alphabetic words that `known`
    (GloVe's vocabulary) has, outside the hand lists, and sharing no stem with a held-out word
    ("wonderfully", "boredom" and "adoring" stay out of training as "wonderful", "boring" and
    "adore" do)."""
    hand = {*adjectives("train"), *held_words(), *(f for pair in TRAIN_VERBS for f in pair),
            *template_words()}
    held_stems = {_stem(w) for w in held_words()}
    words = sorted(w for w, r in vader.items()
                   if abs(r) >= EXTRA_MIN_RATING and w.isalpha() and w.islower() and w in known
                   and w not in hand and not any(w.startswith(s) for s in held_stems))
    parts: dict[str, dict[str, float]] = {"train": {}, "dev": {}}
    for k, w in enumerate(words):
        parts["dev" if k % DEV_EVERY == DEV_EVERY - 1 else "train"][w] = vader[w]
    return parts


@cache
def extra(part: str) -> dict[str, float]:
    """The committed extra words of one part ("train" or "dev"), word -> VADER rating."""
    from app.resources import behaviour_dir

    path = behaviour_dir() / "lexicon_extra.json"
    return dict(json.loads(path.read_text(encoding="utf-8"))[part])


def is_adjective(word: str) -> bool:
    return bool(ADJECTIVE_END.search(word)) and (not NOT_ADJECTIVE_END.search(word)
                                                 or word in _ING_ADJECTIVES)


def write_extra() -> None:
    from app.resources import behaviour_dir

    from .embedding import glove

    words, _ = glove()
    parts = select_extra(read_vader_lexicon(), set(words[:EXTRA_GLOVE_RANK]))
    text = json.dumps(parts, indent=0, sort_keys=True, ensure_ascii=False)
    (behaviour_dir() / "lexicon_extra.json").write_text(text + "\n", encoding="utf-8", newline="\n")
    print({p: len(w) for p, w in parts.items()})


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m app.train.lexicon",
                                description="write data/behaviour/lexicon_extra.json")
    p.add_argument("--write", action="store_true", required=True)
    p.parse_args(argv)
    write_extra()
    return 0


if __name__ == "__main__":
    sys.exit(main())
