"""The words the behavioural suite and the negation augmentation are built from.

Adjectives that can describe a film, a book, a meal or a product, with their mean rating in
VADER's lexicon (Hutto & Gilbert 2014, `vader_lexicon.txt` in the vaderSentiment 3.3.2 sdist the
project already fetches; MIT) on the same -4..+4 scale as the human-rated sentences; None where
VADER does not rate the word and the sign was given by hand (its strength then counts as 2).

Two disjoint halves: TRAIN_* words may appear in the augmentation and the training-side suite;
HELD_* words appear only in the held-out suite, so that it measures negation of words the
augmentation never negated. `tests/train/test_behaviour.py` checks the ratings against the file.
"""

from __future__ import annotations

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
