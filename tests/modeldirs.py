"""The one writer of model directories for every test: random PyTorch-layout weights, written as
ARCHITECTURE.md describes a model directory (config.json, model.safetensors, vocab.txt)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import save_file

GATE_BLOCKS = {"lstm": 4, "gru": 3, "rnn": 1}


def random_state_dict(kind: str, V: int, E: int, H: int, L: int, C: int,
                      rng: np.random.Generator, bidirectional: bool = False) -> dict[str, np.ndarray]:
    """Weights named as a PyTorch state_dict, with distinct, non-zero b_ih and b_hh; a
    bidirectional one has every layer's tensors twice (the second set ending in "_reverse")."""
    G = GATE_BLOCKS[kind]
    D = 2 if bidirectional else 1
    scale = 1.0 / np.sqrt(H)
    sd: dict[str, np.ndarray] = {"embedding.weight": rng.normal(0, 1, (V, E))}
    for k in range(L):
        for suffix in ("", "_reverse")[:D]:
            sd[f"rnn.weight_ih_l{k}{suffix}"] = rng.uniform(-2 * scale, 2 * scale,
                                                            (G * H, E if k == 0 else D * H))
            sd[f"rnn.weight_hh_l{k}{suffix}"] = rng.uniform(-2 * scale, 2 * scale, (G * H, H))
            sd[f"rnn.bias_ih_l{k}{suffix}"] = rng.uniform(-1, 1, G * H)
            sd[f"rnn.bias_hh_l{k}{suffix}"] = rng.uniform(-1, 1, G * H)
    sd["head.weight"] = rng.normal(0, 1, (C, D * H))
    sd["head.bias"] = rng.normal(0, 1, C)
    return {key: value.astype(np.float32) for key, value in sd.items()}


def write_model_dir(path: Path, kind: str, sd: dict[str, np.ndarray], vocab: list[str],
                    labels: list[str], head_input: str | None = None, **config: Any) -> Path:
    """A model directory exactly as ARCHITECTURE.md describes it; `head_input` ("last_output" or
    "final_states": what the head reads for the verdict) is written only when given."""
    path.mkdir(parents=True, exist_ok=True)
    H = sd["rnn.weight_hh_l0"].shape[1]
    L = sum(1 for key in sd if key.startswith("rnn.weight_hh_l") and not key.endswith("_reverse"))
    cfg = {"name": path.name, "kind": kind, "embedding_dim": sd["embedding.weight"].shape[1],
           "hidden_size": H, "num_layers": L, "labels": labels, **config}
    if head_input is not None:
        cfg["head_input"] = head_input
    if "rnn.weight_hh_l0_reverse" in sd:
        cfg.setdefault("bidirectional", True)
    (path / "config.json").write_text(json.dumps(cfg), encoding="utf-8")
    (path / "vocab.txt").write_text("".join(f"{t}\n" for t in vocab), encoding="utf-8")
    save_file(sd, str(path / "model.safetensors"))
    return path


def random_model_dir(path: Path, kind: str, vocab: list[str], hidden: int, layers: int = 1,
                     embedding: int = 6, labels: tuple[str, ...] = ("negative", "positive"),
                     seed: int = 0, bidirectional: bool = False, head_input: str | None = None,
                     **config: Any) -> Path:
    """A model directory of `kind` with random weights over `vocab` (its first word is <unk>)."""
    sd = random_state_dict(kind, len(vocab), embedding, hidden, layers, len(labels),
                           np.random.default_rng(seed), bidirectional)
    return write_model_dir(path, kind, sd, vocab, list(labels), head_input, **config)
