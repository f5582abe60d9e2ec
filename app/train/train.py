"""`gatescope train`: recurrent layers over GloVe 50d, a linear head on the last step's output
(or, --head-input final_states, on a bidirectional model's final states).

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
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from app.core import tokenize

from . import data
from .embedding import LABELS, build_embedding, encode
from .write import command_args, measure, write_model_dir

if TYPE_CHECKING:
    import torch

    from .model import Example

TRAIN_HINT = "install the train extra: pip install -e '.[train]'"


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="gatescope train",
        description="Train an LSTM/GRU/RNN sentiment model (one way or bidirectional, one or more "
                    "layers) on human-labelled sentences and write it as a gatescope model "
                    "directory. Needs the train extra (pip install -e '.[train]'); downloads the "
                    "pinned data once (see models/README.md).")
    p.add_argument("--kind", choices=["lstm", "gru", "rnn"], required=True)
    p.add_argument("--hidden", type=int, required=True, help="hidden units (e.g. 32; 4 for lstm-tiny)")
    p.add_argument("--layers", type=int, default=1, metavar="N",
                   help="stacked recurrent layers (dropout --dropout between them)")
    p.add_argument("--bidirectional", action="store_true",
                   help="a second reader per layer, last word to first; the head reads both "
                        "directions at the last word (see --head-input)")
    p.add_argument("--head-input", choices=["last_output", "final_states"], default="last_output",
                   help="the head's input for the verdict: the top layer's output[T-1], or both "
                        "readers' final states cat(h_n[-2], h_n[-1]) (the same for one-way models)")
    p.add_argument("--name", help="model name (default: the kind)")
    p.add_argument("--out", type=Path, help="model directory to write (default: models/NAME)")
    p.add_argument("--description", default=None, help="config.json description")
    p.add_argument("--domains", default="movies,amazon,tweets",
                   help="training domains, comma separated, of movies, amazon, tweets "
                        "(default: all three)")
    p.add_argument("--select-on", default="movies",
                   help="dev domains whose accuracy chooses the epoch (default: movies)")
    p.add_argument("--augment", type=int, default=0, metavar="N",
                   help="add N sentences per augmentation template (negation, contrast, degree "
                        "words over the training half of the lexicon; app/train/augment.py); 0 = none")
    p.add_argument("--augment-seed", type=int, default=303)
    p.add_argument("--augment-lexicon", action="store_true",
                   help="with --augment: also VADER's other rated words, each in a generated "
                        "sentence (app.train.lexicon.extra; never a held-out word)")
    p.add_argument("--augment-lexicon-more", action="store_true",
                   help="the same with twice as many sentences per word, and verbs of reaction")
    p.add_argument("--augment-distance", action="store_true",
                   help="with --augment: also 8 more frames of negation at a distance, with twins")
    p.add_argument("--augment-composed", type=int, default=0, metavar="N", help="with --augment: "
                   "also N pairs per opener of negation at a distance, composed (compose.py)")
    p.add_argument("--augment-bare", type=float, default=0.0, metavar="P",
                   help="share of the generated sentences without their final punctuation")
    p.add_argument("--select-suite", type=float, default=0.0, metavar="W",
                   help="choose the epoch on (1-W) x dev accuracy + W x accuracy on the "
                        "training-side behavioural suite (never the held-out one); 0 = dev only")
    p.add_argument("--epochs", type=int, default=20, help="at most this many epochs")
    p.add_argument("--patience", type=int, default=4, help="epochs without a better dev accuracy")
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


# ---------------------------------------------------------------- training

def fit(model: torch.nn.Module, train_ex: list[Example], dev_ex: list[Example],
        args: argparse.Namespace, rng: random.Random,
        suite_ex: list[Example] | None = None) -> tuple[int, list[dict[str, Any]]]:
    """Train with AdamW; score an exponential moving average of the weights (--ema) on dev after
    every epoch; stop after --patience epochs without a better dev accuracy. Leaves the best
    epoch's (averaged) weights in `model`; returns (best epoch, per-epoch history)."""
    import torch

    from .model import accuracy_on, batches, soft_loss

    say = _say(args)
    params = [
        {"params": [model.delta], "weight_decay": args.emb_decay,
         "lr": args.emb_lr if args.emb_lr is not None else args.lr},
        {"params": list(model.rnn.parameters()) + list(model.head.parameters()),
         "weight_decay": args.weight_decay},
    ]
    opt = torch.optim.AdamW([g for g in params if g["params"][0].requires_grad], lr=args.lr)
    loss_fn = torch.nn.CrossEntropyLoss()
    dev_batches = batches(dev_ex, 256, shuffle=False, rng=rng)
    suite_batches = batches(suite_ex, 256, shuffle=False, rng=rng) if suite_ex else []
    ema = None
    if args.ema > 0:
        ema = torch.optim.swa_utils.AveragedModel(
            model, multi_avg_fn=torch.optim.swa_utils.get_ema_multi_avg_fn(args.ema))
    started = time.perf_counter()
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
        for ids, lengths, labels, targets in batches(train_ex, args.batch_size, True, rng,
                                                     args.word_dropout):
            opt.zero_grad()
            logits = model(ids, lengths)
            loss = soft_loss(logits, targets) if args.soft_labels > 0 else loss_fn(logits, labels)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            opt.step()
            if ema is not None:
                ema.update_parameters(model)
            total += loss.item() * len(labels)
        scored = ema.module if ema is not None else model
        dev_acc = accuracy_on(scored, dev_batches)
        suite_acc = accuracy_on(scored, suite_batches) if suite_batches else float("nan")
        acc = dev_acc if not suite_batches or args.select_suite <= 0 else \
            (1 - args.select_suite) * dev_acc + args.select_suite * suite_acc
        history.append({"epoch": epoch, "train_loss": round(total / len(train_ex), 4),
                        "dev_accuracy": round(dev_acc, 4), "suite_accuracy": round(suite_acc, 4)})
        if best is None or acc > best[0]:
            best = (acc, epoch, {k: v.clone() for k, v in scored.state_dict().items()})
            bad = 0
        else:
            bad += 1
        if progress is not None:
            progress.update(1)
            progress.set_postfix(loss=f"{total / len(train_ex):.3f}", dev=f"{dev_acc:.3f}",
                                 suite=f"{suite_acc:.3f}", best=f"{best[0]:.3f}@{best[1]}")
        else:
            say(f"epoch {epoch}: loss {total / len(train_ex):.4f}, dev {dev_acc:.4f}, "
                f"training-side suite {suite_acc:.4f} "
                f"(best {best[0]:.4f} at {best[1]}), {time.perf_counter() - started:.0f} s")
        if bad >= args.patience:
            break
    if progress is not None:
        progress.close()
    assert best is not None
    model.load_state_dict(best[2])
    return best[1], history


def train(args: argparse.Namespace) -> dict[str, Any]:
    """Build the embedding, fit, then write the model directory once with what it measures."""
    import torch

    from .model import Sentiment

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rng = random.Random(args.seed)
    np_rng = np.random.default_rng(args.seed)
    started = time.perf_counter()
    say = _say(args)

    domains = [d.strip() for d in args.domains.split(",") if d.strip()]
    select_on = [d.strip() for d in args.select_on.split(",") if d.strip()]
    train_rows = (data.read_jsonl(args.train_file) if args.train_file
                  else data.load_split("train", domains))
    dev_all = data.read_jsonl(args.dev_file) if args.dev_file else data.load_split("dev")
    dev_rows = [r for r in dev_all if r.get("domain", "movies") in select_on] or dev_all
    if args.augment > 0:
        from .augment import augmentation_rows

        train_rows = train_rows + augmentation_rows(args.augment, args.augment_seed,
                                                   args.augment_bare, _lexicon_level(args),
                                                   args.augment_distance, args.augment_composed)
    suite_rows = read_suite("train_side")

    vocab, init, trainable = build_embedding([tokenize(str(r["text"])) for r in train_rows], args,
                                             np_rng)
    index = {tok: i for i, tok in enumerate(vocab)}
    train_ex = encode(train_rows, index, args.soft_labels)
    dev_ex = encode(dev_rows, index)
    suite_ex = encode(suite_rows, index)
    say(f"{len(train_ex)} training sentences ({', '.join(domains)}), {len(dev_ex)} dev "
        f"({', '.join(select_on)}); vocabulary {len(vocab)} "
        f"({int(trainable.sum())} seen in training)")

    model = Sentiment(args.kind, args.hidden, len(LABELS), init, trainable, args.freeze_embedding,
                      args.dropout, args.layers, args.bidirectional, args.head_input)
    best_epoch, history = fit(model, train_ex, dev_ex, args, rng, suite_ex)
    seconds = time.perf_counter() - started

    name = args.name or args.kind
    out = args.out or (data.REPO / "models" / name)
    shape = {1: "one-layer", 2: "two-layer"}.get(args.layers, f"{args.layers}-layer")
    description = args.description or (
        f"A {shape} {'bidirectional ' if args.bidirectional else ''}{args.kind.upper()} with "
        f"{args.hidden} units{' per direction' if args.bidirectional else ''} over GloVe 50d, "
        "trained on "
        "human-labelled movie-review sentences (Rotten Tomatoes), Amazon review sentences and tweets"
        + (", plus generated sentences that teach negation and contrast" if args.augment > 0 else "")
        + ("; the head reads both readers' final states"
           if args.bidirectional and args.head_input == "final_states" else "")
        + "; labels negative/positive.")
    state = model.export_state()
    with tempfile.TemporaryDirectory() as scratch:  # measured as served, before it is written
        write_model_dir(Path(scratch), name, args.kind, args.hidden, init.shape[1], vocab, state,
                        description, {}, args.layers, args.bidirectional, args.head_input)
        metrics = measure(Path(scratch), args, dev_rows)
    metrics.update({
        "best_epoch": best_epoch, "epochs_run": len(history),
        "train_sentences": len(train_ex), "vocab_size": len(vocab),
        "train_seconds": round(seconds, 1),
        "command": "gatescope train " + " ".join(command_args(args)),
    })
    write_model_dir(out, name, args.kind, args.hidden, init.shape[1], vocab, state, description,
                    metrics, args.layers, args.bidirectional, args.head_input)
    say(f"wrote {out} in {seconds:.0f} s: dev {metrics['dev_accuracy']:.4f}"
        + (f", test {metrics['accuracy']:.4f}" if "accuracy" in metrics else ""))
    return {"path": out, "metrics": metrics, "history": history}


def _lexicon_level(args: argparse.Namespace) -> int:
    return 2 if args.augment_lexicon_more else 1 if args.augment_lexicon else 0


def read_suite(part: str) -> list[dict[str, Any]]:
    """A part of the committed behavioural suite (training only ever reads "train_side")."""
    from .behaviour import PARTS

    return data.read_jsonl(PARTS[part]) if PARTS[part].is_file() else []


def _say(args: argparse.Namespace) -> Any:
    return (lambda *a: None) if args.quiet else (lambda *a: print(*a, file=sys.stderr))


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
