from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.core import tokenize


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
