"""Split text into GloVe-style tokens: lower case, punctuation apart, contractions split."""

from __future__ import annotations

import re

UNK = "<unk>"

# Order matters: the first alternative that matches at a position wins.
_TOKEN = re.compile(
    r"""
      \w+(?=n't\b)              # the stem of a negation: "do" of "don't", "ca" of "can't"
    | n't\b                     # the negation itself, as GloVe spells it
    | '(?:s|re|ve|ll|d|m)\b     # clitics: 's 're 've 'll 'd 'm
    | \d+(?:[.,:]\d+)+          # numbers with separators: 3.5, 1,000, 10:30
    | \w+(?:-\w+)*              # words, hyphenated words kept whole
    | \.{2,}                    # an ellipsis is one token
    | [^\w\s]                   # any other character on its own: punctuation, symbols, emoji
    """,
    re.VERBOSE,
)

# Typographic apostrophes are folded so that "don’t" splits like "don't".
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def tokenize(text: str) -> list[str]:
    """Lower-case `text` and split it into tokens; plain lower-case words come out unchanged."""
    return _TOKEN.findall(text.translate(_APOSTROPHES).lower())
