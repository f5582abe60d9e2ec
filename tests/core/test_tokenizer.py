from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from app.core import tokenize
from app.core.tokenizer import _TOKEN


def test_punctuation_and_case() -> None:
    assert tokenize("Amazing! This box of cereal...") == ["amazing", "!", "this", "box", "of",
                                                           "cereal", "..."]


def test_contractions_split_the_glove_way() -> None:
    assert tokenize("I don't think it's bad; they're fine, can't you see?") == [
        "i", "do", "n't", "think", "it", "'s", "bad", ";", "they", "'re", "fine", ",",
        "ca", "n't", "you", "see", "?"]
    assert tokenize("Don’t") == ["do", "n't"]  # a typographic apostrophe splits the same way
    assert tokenize("does n't it 's") == ["does", "n't", "it", "'s"]


def test_numbers_hyphens_unicode_and_markup() -> None:
    assert tokenize("3.5 stars, well-known café 😀") == ["3.5", "stars", ",", "well-known",
                                                        "café", "😀"]
    assert tokenize("<img src=x onerror=alert(1)>") == ["<", "img", "src", "=", "x", "onerror",
                                                        "=", "alert", "(", "1", ")", ">"]


def test_whitespace_only_gives_no_tokens() -> None:
    assert tokenize(" \n\t ") == []


@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12),
                min_size=1, max_size=30))
def test_plain_lower_case_words_come_out_unchanged(words: list[str]) -> None:
    assert tokenize(" ".join(words)) == words


# --- the fast tokenizer against the plain one it replaced -------------------------------------
# The reference: one findall of the same pattern over the whole text, after str.translate.
_REFERENCE_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})
REPO = Path(__file__).resolve().parents[2]


def reference_tokenize(text: str) -> list[str]:
    return _TOKEN.findall(text.translate(_REFERENCE_APOSTROPHES).lower())


# Pieces that exercise every alternative of the pattern and the places where chunking could differ
# from one pass: apostrophes of every kind, separators in numbers, hyphens, the underscore (a \w
# that is not alphanumeric), combining marks, letters whose lower case is longer ("İ"), digits
# that are not decimal ("²", "Ⅻ"), and the Unicode spaces str.split and re's \s both know.
PIECES = st.sampled_from([
    "don't", "DON’T", "can‘t", "won\u02bct", "n't", "'s", "'re", "'ve", "'ll", "'d", "'m", "'x",
    "3.5", "1,000", "10:30", "1.", "2,", ":3", "well-known", "-", "--x", "x-", "...", "..", ".",
    "_", "a_b", "_a", "x_", "İ", "é", "e\u0301", "\u0301", "²", "Ⅻ", "😀", "ﬁ", "ß", "Σ",
    " ", "  ", "\t", "\n", "\r\n", "\u00a0", "\u2028", "\u3000", "\x1c", "\x85", "\u200b",
    "word", "Film,", "end.", "!", "?!", "(a)", "\"quoted\"", "'", "n", "t", "nt",
])
TEXTS = st.lists(PIECES | st.text(max_size=4), max_size=25).map("".join)


@given(TEXTS)
def test_the_fast_tokenizer_equals_the_reference_on_generated_text(text: str) -> None:
    assert tokenize(text) == reference_tokenize(text)


@given(st.text())
def test_the_fast_tokenizer_equals_the_reference_on_any_unicode(text: str) -> None:
    assert tokenize(text) == reference_tokenize(text)


def test_the_fast_tokenizer_equals_the_reference_on_every_committed_sentence() -> None:
    files = sorted((REPO / "data" / "splits").glob("*.jsonl"))
    assert files, "data/splits/*.jsonl are committed"
    n = 0
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                text = json.loads(line)["text"]
                assert tokenize(text) == reference_tokenize(text), text
                n += 1
    assert n > 1000
