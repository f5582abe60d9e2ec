"""A loaded model: vocabulary, embedding, recurrent layers and head; `trace` runs it on text."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from ..resources import models_dir
from . import cells, kernels
from .cells import F32, LayerWeights, Pin
from .clamp import Clamp, build_direction_pins
from .kinds import KINDS
from .tokenizer import UNK, tokenize
from .trace import Trace
from .weights import ModelConfig, layer_weights, read_config, read_tensors, read_vocab

# The shipped models: models/ at the repository's root, or inside the installed package.
SHIPPED_DIR = models_dir()
_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")
# The step loops: compiled where numba is installed, else cells.py's numpy loops (same numbers).
STEP_LOOPS = kernels.LAYERS or cells.LAYERS


class UnknownModelError(LookupError):
    """No shipped model has this name."""


def softmax(logits: NDArray[np.float32]) -> NDArray[np.float32]:
    """Softmax over the last axis, shifted by the maximum so it cannot overflow."""
    z = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class Model:
    """An Embedding "embedding" + LSTM/GRU/RNN "rnn" + Linear "head", read-only once loaded."""

    config: ModelConfig
    vocab: tuple[str, ...]
    index: Mapping[str, int]  # token -> embedding row
    embedding: NDArray[np.float32]  # (V, E)
    layers: tuple[LayerWeights, ...]
    head_weight: NDArray[np.float32]  # (C, H), or (C, 2H) reading cat(h_forward, h_reverse)
    head_bias: NDArray[np.float32]  # (C,)
    path: Path
    # a bidirectional model's "_reverse" layers, which read the tokens from last to first
    reverse_layers: tuple[LayerWeights, ...] | None = None

    @property
    def name(self) -> str:
        return self.config.name

    def trace(self, text: str, clamp: Sequence[Clamp | Mapping[str, Any]] | None = None) -> Trace:
        """Tokenize `text` and record every intermediate of every step; `clamp` pins gates."""
        return self.trace_tokens(tokenize(text), text=text, clamp=clamp)

    def trace_tokens(self, tokens: Sequence[str], text: str | None = None,
                     clamp: Sequence[Clamp | Mapping[str, Any]] | None = None) -> Trace:
        """Trace an already tokenized sentence."""
        if not tokens:
            raise ValueError("the text has no words to trace: type at least one word")
        c = self.config
        T, H, L = len(tokens), c.hidden_size, c.num_layers
        pins, reverse_pins = build_direction_pins(clamp or [], c.kind, T, H, L, c.bidirectional)
        ids = np.fromiter((self.index.get(tok, -1) for tok in tokens), dtype=np.intp, count=T)
        known = ids >= 0
        ids[~known] = self.index[UNK]

        run = STEP_LOOPS[c.kind]
        x = self.embedding[ids]  # (T, E)
        per_layer, per_layer_reverse = [], []
        for k, weights in enumerate(self.layers):
            out = run(x, weights, pins[k])
            per_layer.append(out)
            if self.reverse_layers is None:
                x = out["hidden"]  # (T, H): the next layer reads this layer's h
                continue
            back = run_backwards(run, x, self.reverse_layers[k], reverse_pins[k])
            per_layer_reverse.append(back)
            # (T, 2H): the next layer and the head read both directions, PyTorch's output
            x = np.concatenate([out["hidden"], back["hidden"]], axis=1)
        logits = x @ self.head_weight.T + self.head_bias  # (T, C)
        verdict = softmax(logits[-1])  # (C,) the head on output[T-1]
        if per_layer_reverse and c.verdict_from_final_states:
            # PyTorch's h_n of the top layer: each reader's state after it has read every word
            final = np.concatenate([per_layer[-1]["hidden"][-1], per_layer_reverse[-1]["hidden"][0]])
            verdict = softmax(final @ self.head_weight.T + self.head_bias)  # (C,)
        names = KINDS[c.kind].quantities
        return Trace(
            model=c,
            text=" ".join(tokens) if text is None else text,
            tokens=list(tokens),
            known=known,
            quantities=stack_layers(per_layer, names),
            probs=softmax(logits),
            reverse=stack_layers(per_layer_reverse, names) if per_layer_reverse else None,
            verdict=verdict,
        )

    def require_one_direction(self, what: str) -> None:
        """Refuse, with a message naming `what`, a computation written for one-way models only."""
        if self.config.bidirectional:
            raise ValueError(f"{what} is not available for a bidirectional model yet "
                             f"({self.name!r} reads both ways): use a one-way model")


    def connectivity(self, text: str, label: str | None = None,
                     clamp: Sequence[Clamp | Mapping[str, Any]] | None = None) -> NDArray[np.float64]:
        """(T, T): [t, s] = ‖∂ log p_label(t) / ∂ e_s‖₂ for s ≤ t, else 0 (app/core/gradients.py);
        `label` defaults to the one predicted at the last word; `clamp` pins gates as in `trace`."""
        from .gradients import gradients

        return gradients(self, tokenize(text), label, clamp, jacobians=False, text=text).connectivity

    def jacobian_norms(self, text: str, clamp: Sequence[Clamp | Mapping[str, Any]] | None = None
                       ) -> NDArray[np.float64]:
        """(T,): the spectral norm of ∂S_t/∂S_{t−1}, S every layer's recurrent state."""
        from .gradients import gradients

        return gradients(self, tokenize(text), None, clamp, rows=[]).jacobian_norms


def run_backwards(run: Callable[[F32, LayerWeights, dict[str, Pin]], dict[str, F32]], x: F32,
                  weights: LayerWeights, pins: dict[str, Pin]) -> dict[str, F32]:
    """A reverse layer: it reads x from token T−1 down to 0; its values come back indexed by
    token position, so [t] is the state after reading T−1 … t (PyTorch's output[t, H:])."""
    flipped = {name: Pin(pin.mask[::-1], pin.value[::-1]) for name, pin in pins.items()}
    out = run(np.ascontiguousarray(x[::-1]), weights, flipped)
    return {name: value[::-1] for name, value in out.items()}


def stack_layers(per_layer: list[dict[str, F32]], names: tuple[str, ...]) -> dict[str, F32]:
    """Each quantity of every layer side by side, (T, L, H), in the trace JSON's order."""
    return {name: np.stack([out[name] for out in per_layer], axis=1) for name in names}


def resolve_model_dir(name_or_path: str | Path, models_dir: Path | None = None) -> Path:
    """A shipped name ("lstm") is looked up in `models_dir`; anything path-like is a directory."""
    if isinstance(name_or_path, Path) or "/" in name_or_path or "\\" in name_or_path:
        return Path(name_or_path)
    if not _NAME.match(name_or_path):
        raise UnknownModelError(f"{name_or_path!r} is not a model name: names are lower-case "
                                "letters, digits, '.', '_' and '-'")
    base = models_dir or SHIPPED_DIR
    path = base / name_or_path
    if not (path / "config.json").is_file():
        known = sorted(p.name for p in base.iterdir() if (p / "config.json").is_file()) \
            if base.is_dir() else []
        raise UnknownModelError(f"no model named {name_or_path!r}; "
                                f"available: {', '.join(known) or 'none'}")
    return path


def load_model(name_or_path: str | Path, models_dir: Path | None = None) -> Model:
    """Load a shipped model by name, or any model directory by path; checks every file first."""
    path = resolve_model_dir(name_or_path, models_dir)
    if not path.is_dir():
        raise UnknownModelError(f"{str(path)!r} is not a model directory")
    config = read_config(path / "config.json", default_name=path.name)
    vocab = read_vocab(path / "vocab.txt")
    tensors = read_tensors(path / "model.safetensors", config, len(vocab))
    return Model(
        config=config,
        vocab=tuple(vocab),
        index={token: i for i, token in enumerate(vocab)},
        embedding=tensors["embedding.weight"],
        layers=tuple(layer_weights(tensors, k) for k in range(config.num_layers)),
        head_weight=tensors["head.weight"],
        head_bias=tensors["head.bias"],
        path=path,
        reverse_layers=tuple(layer_weights(tensors, k, "reverse") for k in range(config.num_layers))
        if config.bidirectional else None,
    )
