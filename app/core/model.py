"""A loaded model: vocabulary, embedding, recurrent layers and head; `trace` runs it on text."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from . import cells, kernels
from .cells import GATES, LayerWeights
from .clamp import Clamp, build_pins
from .tokenizer import UNK, tokenize
from .trace import Trace
from .weights import ModelConfig, layer_weights, read_config, read_tensors, read_vocab

# The shipped models live in the repository's models/ folder, beside the app package.
SHIPPED_DIR = Path(__file__).resolve().parents[2] / "models"
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
    head_weight: NDArray[np.float32]  # (C, H)
    head_bias: NDArray[np.float32]  # (C,)
    path: Path

    @property
    def name(self) -> str:
        return self.config.name

    def info(self) -> dict[str, Any]:
        """The model block of the trace JSON."""
        c = self.config
        return {"name": c.name, "kind": c.kind, "hidden_size": c.hidden_size,
                "num_layers": c.num_layers, "labels": list(c.labels)}

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
        pins = build_pins(clamp or [], c.kind, T, H, L)
        ids = np.fromiter((self.index.get(tok, -1) for tok in tokens), dtype=np.intp, count=T)
        known = ids >= 0
        ids[~known] = self.index[UNK]

        run = STEP_LOOPS[c.kind]
        x = self.embedding[ids]  # (T, E)
        per_layer = []
        for k, weights in enumerate(self.layers):
            out = run(x, weights, pins[k])
            per_layer.append(out)
            x = out["hidden"]  # (T, H): the next layer reads this layer's h
        stacked = {key: np.stack([out[key] for out in per_layer], axis=1) for key in per_layer[0]}
        logits = x @ self.head_weight.T + self.head_bias  # (T, C)
        return Trace(
            model=self.info(),
            text=" ".join(tokens) if text is None else text,
            tokens=list(tokens),
            known=known,
            gates={name: stacked[name] for name in GATES[c.kind]},
            candidate=stacked.get("candidate"),
            cell=stacked.get("cell"),
            hidden=stacked["hidden"],
            probs=softmax(logits),
        )

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
    )
