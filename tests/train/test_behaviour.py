"""The behavioural suite: its structure and labels, and that its held-out part shares no template,
word or sentence with the training-side part or with the augmentation the models train on."""

from __future__ import annotations

import pytest

from app.core import tokenize
from app.train import lexicon as lx
from app.train.augment import augmentation_rows
from app.train.behaviour import CATEGORIES, NEGATION, PARTS, build_suite, by_category
from app.train.data import LABELS, normalise, read_jsonl
from app.train.templates import AUGMENTATION, AUGMENTATION_DISTANCE, SUITE_HELD, SUITE_TRAIN


@pytest.fixture(scope="module")
def suite() -> dict[str, list[dict[str, object]]]:
    return {part: read_jsonl(path) for part, path in PARTS.items()}


def _shape(template: str) -> str:
    """A template's words without case, spacing or punctuation, to compare templates across sets."""
    return normalise(template.replace("{", " ").replace("}", " "))


def test_committed_suite_is_what_the_generator_builds(suite: dict[str, list[dict[str, object]]]) -> None:
    assert suite == build_suite()  # regenerate with: python -m app.train.behaviour --write


def test_structure_and_labels(suite: dict[str, list[dict[str, object]]]) -> None:
    for part, rows in suite.items():
        counts = by_category((str(r["category"]), True) for r in rows)
        assert set(CATEGORIES) <= set(counts), part
        assert all(counts[c]["n"] >= 30 for c in CATEGORIES), (part, counts)
        assert counts["negation"]["n"] == sum(counts[c]["n"] for c in NEGATION)
        for r in rows:
            assert r["label"] in LABELS and r["category"] in CATEGORIES and tokenize(str(r["text"]))
            if r["word"] is None:
                continue
            word = str(r["word"])
            assert word in tokenize(str(r["text"])), r
            ratings = {**lx.adjectives("train"), **lx.adjectives("held"), **lx.extra("dev"),
                       **{form: s for pair, s in {**lx.TRAIN_VERBS, **lx.HELD_VERBS}.items()
                          for form in pair}}  # and verbs of liking
            sign = 1 if ratings[word] > 0 else -1
            flipped = r["category"] in NEGATION
            assert (r["label"] == "positive") == ((sign > 0) != flipped), r
        texts = [normalise(str(r["text"])) for r in rows]
        assert len(set(texts)) == len(texts), f"{part} repeats a sentence"


def test_heldout_shares_no_template_word_or_sentence(suite: dict[str, list[dict[str, object]]]) -> None:
    train_t, held_t, aug_t = ({_shape(t) for _, t, _ in ts}
                              for ts in (SUITE_TRAIN, SUITE_HELD, AUGMENTATION + AUGMENTATION_DISTANCE))
    assert not train_t & held_t and not aug_t & held_t and not aug_t & train_t
    assert not set(lx.adjectives("train")) & set(lx.adjectives("held"))
    assert not set(lx.TRAIN_VERBS) & set(lx.HELD_VERBS)
    assert not {*lx.TRAIN_INTENSIFIERS, *lx.TRAIN_DIMINISHERS} & {*lx.HELD_INTENSIFIERS,
                                                                  *lx.HELD_DIMINISHERS}
    held_words = {r["word"] for r in suite["heldout"] if r["word"]}
    assert not held_words & {r["word"] for r in suite["train_side"] if r["word"]}
    keys = {part: {normalise(str(r["text"])) for r in rows} for part, rows in suite.items()}
    assert not keys["heldout"] & keys["train_side"]


def test_augmentation_never_uses_a_suite_sentence_or_a_held_out_word(
        suite: dict[str, list[dict[str, object]]]) -> None:
    rows = augmentation_rows(120, lexicon=2, distance=True, composed=30)
    assert len(rows) > 4000 and {r["label"] for r in rows} == set(LABELS)
    aug = {normalise(str(r["text"])) for r in rows}
    for part, part_rows in suite.items():
        assert not aug & {normalise(str(r["text"])) for r in part_rows}, part
    held = {*lx.adjectives("held"), *(v for pair in lx.HELD_VERBS for v in pair)}
    used = {tok for r in rows for tok in tokenize(str(r["text"]))}
    assert not used & held, sorted(used & held)
    assert not used & set(lx.extra("dev")), "a word kept for the training-side suite was taught"


def test_composed_pairs_differ_only_in_the_negation_and_keep_their_parts_apart() -> None:
    from app.train import compose

    for part in ("train", "suite"):
        rows = compose.composed_rows(12, part)
        assert len(rows) == 2 * 12 * len(compose.TRAIN_OPENERS if part == "train"
                                         else compose.SUITE_OPENERS)
        for negated, twin in zip(rows[::2], rows[1::2], strict=True):
            assert negated["category"] == "negation_distance" and twin["category"] == "plain"
            assert {negated["label"], twin["label"]} == set(LABELS)
            assert negated["word"] == twin["word"] and negated["template"] == twin["template"]
            opener = compose.TRAIN_OPENERS if part == "train" else compose.SUITE_OPENERS
            k = int(str(negated["template"]).split(":")[1])
            rest = normalise(str(negated["text"]))[len(normalise(opener[k][0])):]
            assert normalise(str(twin["text"])).endswith(rest), (negated, twin)
    def pieces(openers: list[compose.Opener], *others: tuple[str, ...]) -> set[str]:
        texts = [o for negated, twin, _ in openers for o in (negated, twin)] + [t for g in others for t in g]
        return {normalise(t) for t in texts if normalise(t)}

    train = pieces(compose.TRAIN_OPENERS, compose.TRAIN_ASIDES, compose.TRAIN_TAILS)
    suite = pieces(compose.SUITE_OPENERS, compose.SUITE_ASIDES, compose.SUITE_TAILS)
    assert not train & suite
    words = {w for p in train | suite for w in p.split()}
    assert not words & {"believe", "doubt", "whatever"}  # the held-out frames' own devices


def test_ratings_are_vaders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The ratings in lexicon.py are VADER's (where the pinned sdist is already in the cache)."""
    from app.train import data

    if not (data.cache_dir() / "downloads" / data.VADER.filename).is_file():
        pytest.skip("the vaderSentiment sdist is not in the cache (python -m app.train.data)")
    vader = lx.read_vader_lexicon()
    for words in (lx.TRAIN_POSITIVE, lx.TRAIN_NEGATIVE, lx.HELD_POSITIVE, lx.HELD_NEGATIVE):
        for word, rating in words.items():
            assert rating == vader.get(word), word


def test_extra_words_are_apart_from_the_hand_lists_and_the_held_out_stems() -> None:
    train, dev = lx.extra("train"), lx.extra("dev")
    assert len(train) > 1500 and len(dev) > 300 and not set(train) & set(dev)
    hand = {*lx.adjectives("train"), *lx.held_words()}
    assert not (set(train) | set(dev)) & hand
    for word in [*train, *dev]:
        assert abs(train.get(word, dev.get(word, 0))) >= lx.EXTRA_MIN_RATING
        assert not any(word.startswith(held[:4]) and word.startswith(lx._stem(held))
                       for held in lx.held_words()), word
    # a held-out word's relatives stay out: "wonderfully", "boredom"? ("bore" is not "boring"'s stem)
    assert "wonderfully" not in train and "excellently" not in train


def test_extra_words_are_vaders_and_gloves() -> None:
    """lexicon_extra.json is what `python -m app.train.lexicon --write` makes (where the pinned
    VADER sdist and GloVe are already in the cache)."""
    from app.train import data

    if not ((data.cache_dir() / "downloads" / data.VADER.filename).is_file()
            and (data.cache_dir() / "glove" / "words.txt").is_file()):
        pytest.skip("VADER's sdist or GloVe is not in the cache (python -m app.train.data)")
    from app.train.embedding import glove

    words, _ = glove()
    expected = lx.select_extra(lx.read_vader_lexicon(), set(words[:lx.EXTRA_GLOVE_RANK]))
    assert expected == {"train": lx.extra("train"), "dev": lx.extra("dev")}
