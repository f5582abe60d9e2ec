"""`gatescope train`: one recurrent layer over GloVe 50d, a linear head on the last hidden state.

    gatescope train --kind lstm --hidden 32 --name lstm

writes models/<name>/ (config.json, model.safetensors, vocab.txt) in the format the numpy engine
serves unchanged, then measures it with the numpy engine on the committed test split and records
the figures in config.json. Needs the `train` extra (PyTorch); torch is imported inside functions.

The embedding is GloVe plus a learnt correction, decayed towards zero: words seen in training move
a little, the GloVe words never seen keep their GloVe vectors, so they still mean what they mean.
Choices (early stopping) use the dev split only; the test split is measured once, at the end.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core import UNK, tokenize

from . import data

if TYPE_CHECKING:
    import torch

LABELS = list(data.LABELS)
TRAIN_HINT = "install the train extra: pip install -e '.[train]'"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gatescope train",
        description="Train a one-layer LSTM/GRU/RNN sentiment model on human-labelled sentences "
                    "and write it as a gatescope model directory. Needs the train extra "
                    "(pip install -e '.[train]'); downloads the pinned data once (see models/README.md).")
    p.add_argument("--kind", choices=["lstm", "gru", "rnn"], required=True)
    p.add_argument("--hidden", type=int, required=True, help="hidden units (e.g. 32; 4 for lstm-tiny)")
    p.add_argument("--name", help="model name (default: the kind)")
    p.add_argument("--out", type=Path, help="model directory to write (default: models/NAME)")
    p.add_argument("--description", default=None, help="config.json description")
    p.add_argument("--domains", default="movies,amazon,tweets",
                   help="training domains, comma separated, of movies, amazon, tweets "
                        "(default: all three)")
    p.add_argument("--select-on", default="movies",
                   help="dev domains whose accuracy chooses the epoch (default: movies)")
    p.add_argument("--epochs", type=int, default=20, help="at most this many epochs")
    p.add_argument("--patience", type=int, default=4, help="stop after this many epochs without "
                   "a better dev accuracy")
    p.add_argument("--batch-size", type=int, default=32)
    p.add_argument("--lr", type=float, default=2e-3)
    p.add_argument("--weight-decay", type=float, default=1e-4, help="on the recurrent layer and head")
    p.add_argument("--emb-lr", type=float, default=None,
                   help="learning rate of the embedding correction (default: --lr)")
    p.add_argument("--emb-decay", type=float, default=1e-3,
                   help="decay of the learnt embedding correction towards GloVe")
    p.add_argument("--freeze-embedding", action="store_true", help="keep GloVe as it is")
    p.add_argument("--dropout", type=float, default=0.5, help="on the embeddings and the last state")
    p.add_argument("--word-dropout", type=float, default=0.05,
                   help="share of training tokens replaced by <unk> (teaches the <unk> row)")
    p.add_argument("--soft-labels", type=float, default=1.5, metavar="K",
                   help="train towards P(positive) = logistic(K x mean human rating) instead of 0/1; "
                        "0 = plain 0/1 labels")
    p.add_argument("--ema", type=float, default=0.998,
                   help="score and keep an exponential moving average of the weights; 0 = off")
    p.add_argument("--extra-vocab", type=int, default=30000,
                   help="also ship the N most frequent GloVe words (so typed English is rarely unknown)")
    p.add_argument("--min-count", type=int, default=2,
                   help="training words not in GloVe need this many occurrences to get a row")
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    p.add_argument("--train-file", type=Path, help="JSONL {text,label} instead of the prepared split")
    p.add_argument("--dev-file", type=Path, help="JSONL {text,label} instead of the prepared split")
    p.add_argument("--test-file", type=Path, help="JSONL {text,label} to report on "
                   "(default: the committed data/splits/test.jsonl)")
    p.add_argument("--no-glove", action="store_true",
                   help="random embeddings of size --embedding-dim, no download (for smoke tests)")
    p.add_argument("--embedding-dim", type=int, default=50, help="only with --no-glove")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--quiet", action="store_true")
    return p


def main(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        import torch  # noqa: F401
    except ImportError:
        print("gatescope train needs PyTorch: " + TRAIN_HINT, file=sys.stderr)
        return 2
    result = train(args)
    if not args.quiet:
        print(json.dumps(result["metrics"], indent=2))
    return 0


# ---------------------------------------------------------------- vocabulary and tensors

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


Example = tuple[list[int], int, float]  # token ids, label, target P(positive)


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


def read_rows(path: Path) -> list[dict[str, Any]]:
    return data.read_jsonl(path)


# ---------------------------------------------------------------- the model

def make_model(kind: str, vocab_size: int, emb_dim: int, hidden: int, glove_init: np.ndarray,
               trainable_rows: np.ndarray, freeze: bool, dropout: float) -> torch.nn.Module:
    import torch
    from torch import nn

    class Sentiment(nn.Module):
        """Embedding (GloVe + learnt correction) -> one recurrent layer -> linear head."""

        def __init__(self) -> None:
            super().__init__()
            # vocabulary order puts the words seen in training first: only they get a correction
            n_trainable = int(trainable_rows.sum())
            if not trainable_rows[:n_trainable].all():
                raise ValueError("the words seen in training must come first in the vocabulary")
            self.register_buffer("base", torch.from_numpy(glove_init.astype(np.float32)))
            self.delta = nn.Parameter(torch.zeros(n_trainable, emb_dim), requires_grad=not freeze)
            rnn_cls = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[kind]
            self.rnn = rnn_cls(emb_dim, hidden, num_layers=1, batch_first=True)
            self.head = nn.Linear(hidden, len(LABELS))
            self.drop = nn.Dropout(dropout)
            if kind == "lstm":  # forget-gate bias 1: remember by default
                with torch.no_grad():
                    for name in ("bias_ih_l0", "bias_hh_l0"):
                        getattr(self.rnn, name)[hidden:2 * hidden].fill_(0.5)

        def embedding_weight(self) -> torch.Tensor:
            n = self.delta.shape[0]
            return torch.cat([self.base[:n] + self.delta, self.base[n:]])

        def forward(self, ids: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
            x = self.drop(nn.functional.embedding(ids, self.embedding_weight()))
            # Padding comes after each sentence, so the output at its last real token is exactly
            # the state the numpy engine ends on (and 4x faster on a CPU than a packed sequence).
            out, _ = self.rnn(x)
            last = out[torch.arange(out.shape[0]), lengths - 1]
            return self.head(self.drop(last))  # type: ignore[no-any-return]

        def export_state(self) -> dict[str, torch.Tensor]:
            """The state_dict of plain nn.Embedding "embedding" + rnn + head (the served format)."""
            state = {"embedding.weight": self.embedding_weight().detach().to(torch.float16)}
            for k, v in self.rnn.state_dict().items():
                state[f"rnn.{k}"] = v.detach().float().contiguous()
            for k, v in self.head.state_dict().items():
                state[f"head.{k}"] = v.detach().float().contiguous()
            return state

    return Sentiment()


def batches(examples: list[Example], batch_size: int, shuffle: bool,
            rng: random.Random, word_dropout: float = 0.0) -> list[tuple[Any, Any, Any, Any]]:
    """Padded (ids, lengths, labels) batches; when shuffling, sentences of like length go together."""
    import torch

    order = list(range(len(examples)))
    if shuffle:
        rng.shuffle(order)
        # sort within chunks of 50 batches by length, so padding stays small; then shuffle batches
        chunk = batch_size * 50
        order = [i for s in range(0, len(order), chunk)
                 for i in sorted(order[s:s + chunk], key=lambda i: len(examples[i][0]))]
    groups = [order[s:s + batch_size] for s in range(0, len(order), batch_size)]
    if shuffle:
        rng.shuffle(groups)
    out = []
    for group in groups:
        seqs = [examples[i][0] for i in group]
        if word_dropout > 0:
            seqs = [[0 if rng.random() < word_dropout else t for t in s] for s in seqs]
        lengths = torch.tensor([len(s) for s in seqs])
        ids = torch.zeros(len(seqs), int(lengths.max()), dtype=torch.long)
        for j, s in enumerate(seqs):
            ids[j, :len(s)] = torch.tensor(s)
        out.append((ids, lengths, torch.tensor([examples[i][1] for i in group]),
                    torch.tensor([examples[i][2] for i in group])))
    return out


def dev_accuracy(model: torch.nn.Module, dev_batches: list[tuple[Any, Any, Any, Any]]) -> float:
    import torch

    model.eval()
    hits = n = 0
    with torch.no_grad():
        for ids, lengths, labels, _ in dev_batches:
            hits += int((model(ids, lengths).argmax(-1) == labels).sum())
            n += len(labels)
    model.train()
    return hits / max(n, 1)


# ---------------------------------------------------------------- training

def train(args: argparse.Namespace) -> dict[str, Any]:
    import torch

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    np_rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    say = (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))

    domains = [d.strip() for d in args.domains.split(",") if d.strip()]
    select_on = [d.strip() for d in args.select_on.split(",") if d.strip()]
    train_rows = read_rows(args.train_file) if args.train_file else data.load_split("train", domains)
    dev_all = read_rows(args.dev_file) if args.dev_file else data.load_split("dev")
    dev_rows = [r for r in dev_all if r.get("domain", "movies") in select_on] or dev_all

    train_tokens = [tokenize(str(r["text"])) for r in train_rows]
    if args.no_glove:
        glove_words: list[str] = []
        emb_dim = args.embedding_dim
        vocab = build_vocab(train_tokens, glove_words, 0, min_count=1)
        init = np_rng.normal(0, 0.3, size=(len(vocab), emb_dim)).astype(np.float32)
        init[0] = 0
        trainable = np.ones(len(vocab), dtype=bool)
    else:
        glove_words, vectors = data.glove()
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
    index = {tok: i for i, tok in enumerate(vocab)}
    train_ex = encode(train_rows, index, args.soft_labels)
    dev_ex = encode(dev_rows, index)
    say(f"{len(train_ex)} training sentences ({', '.join(domains)}), {len(dev_ex)} dev "
        f"({', '.join(select_on)}); vocabulary {len(vocab)} "
        f"({int(trainable.sum())} seen in training)")

    model = make_model(args.kind, len(vocab), emb_dim, args.hidden, init, trainable,
                       args.freeze_embedding, args.dropout)
    params = [
        {"params": [model.delta], "weight_decay": args.emb_decay,
         "lr": args.emb_lr if args.emb_lr is not None else args.lr},
        {"params": list(model.rnn.parameters()) + list(model.head.parameters()),
         "weight_decay": args.weight_decay},
    ]
    opt = torch.optim.AdamW([g for g in params if g["params"][0].requires_grad], lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    dev_batches = batches(dev_ex, 256, shuffle=False, rng=rng)
    ema = None
    if args.ema > 0:
        ema = torch.optim.swa_utils.AveragedModel(
            model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema))

    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    history = []
    bad = 0
    progress = None
    if not (args.no_progress or args.quiet):
        from tqdm import tqdm

        progress = tqdm(total=args.epochs, desc=f"{args.name or args.kind}", unit="epoch",
                        file=sys.stderr)
    for epoch in range(1, args.epochs + 1):
        model.train()
        total = 0.0
        epoch_batches = batches(train_ex, args.batch_size, True, rng, args.word_dropout)
        for ids, lengths, labels, targets in epoch_batches:
            opt.zero_grad()
            logits = model(ids, lengths)
            if args.soft_labels > 0:
                logp = torch.log_softmax(logits, dim=-1)
                loss = -(targets * logp[:, 1] + (1 - targets) * logp[:, 0]).mean()
            else:
                loss = loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            if ema is not None:
                ema.update_parameters(model)
            total += loss.item() * len(labels)
        scored = ema.module if ema is not None else model
        acc = dev_accuracy(scored, dev_batches)
        history.append({"epoch": epoch, "train_loss": round(total / len(train_ex), 4),
                        "dev_accuracy": round(acc, 4)})
        if best is None or acc > best[0]:
            best = (acc, epoch, {k: v.clone() for k, v in scored.state_dict().items()})
            bad = 0
        else:
            bad += 1
        if progress is not None:
            progress.update(1)
            progress.set_postfix(loss=f"{total / len(train_ex):.3f}", dev=f"{acc:.3f}",
                                 best=f"{best[0]:.3f}@{best[1]}")
        elif not args.quiet:
            say(f"epoch {epoch}: loss {total / len(train_ex):.4f}, dev {acc:.4f} "
                f"(best {best[0]:.4f} at {best[1]}), {time.perf_counter() - started:.0f} s")
        if bad >= args.patience:
            break
    if progress is not None:
        progress.close()
    assert best is not None
    model.load_state_dict(best[2])
    seconds = time.perf_counter() - started

    name = args.name or args.kind
    out = args.out or (data.REPO / "models" / name)
    description = args.description or (
        f"A one-layer {args.kind.upper()} with {args.hidden} units over GloVe 50d, trained on "
        "human-labelled movie-review sentences (Rotten Tomatoes), Amazon review sentences and tweets; "
        "labels negative/positive.")
    write_model_dir(out, name, args.kind, args.hidden, emb_dim, vocab, model.export_state(),
                    description, {})

    # Measure what the numpy engine serves: dev (the choice) and the committed test split (report).
    from app.core import load_model

    from .evaluate import accuracy, evaluate

    served = load_model(out)
    metrics: dict[str, Any] = {}
    if args.test_file is None and not args.train_file:
        metrics.update({k: v for k, v in evaluate(served).items()
                        if k not in ("model", "model_card_accuracy")})
    elif args.test_file is not None:
        acc, n = accuracy(served, read_rows(args.test_file))
        metrics.update({"accuracy": round(acc, 4), "n": n, "split": str(args.test_file)})
    dev_acc, dev_n = accuracy(served, dev_rows)
    metrics.update({
        "dev_accuracy": round(dev_acc, 4), "dev_n": dev_n,
        "best_epoch": best[1], "epochs_run": len(history),
        "train_sentences": len(train_ex), "vocab_size": len(vocab),
        "train_seconds": round(seconds, 1),
        "command": "gatescope train " + " ".join(_command_args(args)),
    })
    write_model_dir(out, name, args.kind, args.hidden, emb_dim, vocab, model.export_state(),
                    description, metrics)
    say(f"wrote {out} in {seconds:.0f} s: dev {dev_acc:.4f}"
        + (f", test {metrics['accuracy']:.4f}" if "accuracy" in metrics else ""))
    return {"path": out, "metrics": metrics, "history": history}


def _command_args(args: argparse.Namespace) -> list[str]:
    """The options that differ from the defaults, to reproduce this run."""
    defaults = vars(build_parser().parse_args(["--kind", args.kind, "--hidden", str(args.hidden)]))
    out = ["--kind", args.kind, "--hidden", str(args.hidden)]
    for key, value in vars(args).items():
        if key in ("kind", "hidden", "quiet", "no_progress", "description", "out", "threads") \
                or value == defaults[key]:
            continue
        flag = "--" + key.replace("_", "-")
        if isinstance(value, bool):
            out.append(flag)
        else:
            out += [flag, str(value)]
    return out


def write_model_dir(out: Path, name: str, kind: str, hidden: int, emb_dim: int, vocab: list[str],
                    state: dict[str, Any], description: str, metrics: dict[str, Any]) -> None:
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out / "model.safetensors"))
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8", newline="\n")
    config = {"name": name, "kind": kind, "embedding_dim": emb_dim, "hidden_size": hidden,
              "num_layers": 1, "labels": LABELS, "description": description, "metrics": metrics}
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
