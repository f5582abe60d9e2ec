"""Small random-weight model directories (the bring-your-own-model path) for the figure tests."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from app.core import Model, Trace, load_model
from app.core.model import SHIPPED_DIR

CEREAL = ("Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should "
          "be. In fact, I will definitely be buying this again.")
VOCAB = ["<unk>", "amazing", "!", "this", "box", "of", "cereal", "gave", "me", "a", "perfectly",
         "balanced", "breakfast", ",", "as", "all", "things", "should", "be", ".", "in", "fact",
         "i", "will", "definitely", "buying", "again", "<", ">", "img", "src", "="]
BLOCKS = {"lstm": 4, "gru": 3, "rnn": 1}


def make_model_dir(path: Path, kind: str, hidden: int = 6, layers: int = 1, seed: int = 0,
                   labels: tuple[str, ...] = ("negative", "positive")) -> Path:
    """Write config.json, model.safetensors and vocab.txt with random, non-zero weights."""
    rng = np.random.default_rng(seed)
    E = 5
    tensors = {"embedding.weight": rng.normal(size=(len(VOCAB), E))}
    for k in range(layers):
        inp = E if k == 0 else hidden
        n = BLOCKS[kind] * hidden
        tensors[f"rnn.weight_ih_l{k}"] = rng.normal(scale=0.8, size=(n, inp))
        tensors[f"rnn.weight_hh_l{k}"] = rng.normal(scale=0.8, size=(n, hidden))
        tensors[f"rnn.bias_ih_l{k}"] = rng.normal(scale=0.3, size=n)
        tensors[f"rnn.bias_hh_l{k}"] = rng.normal(scale=0.3, size=n)
    tensors["head.weight"] = rng.normal(size=(len(labels), hidden))
    tensors["head.bias"] = rng.normal(scale=0.1, size=len(labels))
    path.mkdir(parents=True, exist_ok=True)
    save_file({k: v.astype(np.float32) for k, v in tensors.items()}, str(path / "model.safetensors"))
    (path / "vocab.txt").write_text("\n".join(VOCAB) + "\n", encoding="utf-8")
    config = {"name": f"tiny-{kind}", "kind": kind, "embedding_dim": E, "hidden_size": hidden,
              "num_layers": layers, "labels": list(labels)}
    (path / "config.json").write_text(json.dumps(config), encoding="utf-8")
    return path


# Each kind once with one layer and the LSTM also with two layers and three labels.
SPECS = {
    "lstm": dict(kind="lstm"),
    "gru": dict(kind="gru", hidden=5),
    "rnn": dict(kind="rnn", hidden=4),
    "lstm-2layer": dict(kind="lstm", hidden=3, layers=2, labels=("bad", "neutral", "good")),
}


@pytest.fixture(scope="session")
def tiny_models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Model]:
    root = tmp_path_factory.mktemp("models")
    return {name: load_model(make_model_dir(root / name, **spec)) for name, spec in SPECS.items()}


def shipped(name: str) -> bool:
    return (SHIPPED_DIR / name / "config.json").is_file()


SHIPPED = [n for n in ("lstm", "gru", "rnn", "lstm-tiny") if shipped(n)]


@pytest.fixture(params=list(SPECS) + [f"shipped:{n}" for n in SHIPPED])
def any_trace(request: pytest.FixtureRequest, tiny_models: dict[str, Model]) -> Trace:
    """The cereal review traced by every tiny model and every shipped model there is."""
    name: str = request.param
    model = load_model(name.split(":", 1)[1]) if name.startswith("shipped:") else tiny_models[name]
    return model.trace(CEREAL)
