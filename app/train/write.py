"""The last part of a training run: measure the model as the numpy engine serves it, write the
model directory (once, with its figures), and the command line that reproduces it."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from . import data
from .embedding import LABELS


def measure(model_dir: Path, args: argparse.Namespace,
            dev_rows: list[dict[str, Any]]) -> dict[str, Any]:
    """What the numpy engine makes of the written model: the committed test split (report only)
    or --test-file, and dev."""
    from app.core import load_model

    from .behaviour import behaviour_metrics
    from .evaluate import accuracy, evaluate

    served = load_model(model_dir)
    metrics: dict[str, Any] = {}
    if args.test_file is None and not args.train_file:
        metrics.update({k: v for k, v in evaluate(served).items()
                        if k not in ("model", "model_card_accuracy")})
    elif args.test_file is not None:
        acc, n = accuracy(served, data.read_jsonl(args.test_file))
        metrics.update({"accuracy": round(acc, 4), "n": n, "split": str(args.test_file)})
    if args.test_file is not None or args.train_file:
        metrics.update(behaviour_metrics(served))
    dev_acc, dev_n = accuracy(served, dev_rows)
    metrics.update({"dev_accuracy": round(dev_acc, 4), "dev_n": dev_n})
    return metrics


def command_args(args: argparse.Namespace) -> list[str]:
    """The options that differ from the defaults, to reproduce this run."""
    from .train import build_parser

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
                    state: dict[str, Any], description: str, metrics: dict[str, Any],
                    num_layers: int = 1, bidirectional: bool = False,
                    head_input: str = "last_output") -> None:
    from safetensors.torch import save_file

    out.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out / "model.safetensors"))
    (out / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8", newline="\n")
    config: dict[str, Any] = {"name": name, "kind": kind, "embedding_dim": emb_dim,
                              "hidden_size": hidden, "num_layers": num_layers}
    if bidirectional:  # only then: a one-way config keeps its bytes
        config["bidirectional"] = True
    if bidirectional or head_input != "last_output":  # where it matters, or when asked for
        config["head_input"] = head_input
    config.update({"labels": LABELS, "description": description, "metrics": metrics})
    (out / "config.json").write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")
