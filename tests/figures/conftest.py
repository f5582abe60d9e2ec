"""Small random-weight model directories (the bring-your-own-model path) for the figure tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core import Model, Trace, load_model
from app.core.examples import CEREAL
from app.core.model import SHIPPED_DIR
from app.train.data import SHIPPED_MODELS
from tests.modeldirs import random_model_dir

__all__ = ["CEREAL", "make_model_dir"]

VOCAB = ["<unk>", "amazing", "!", "this", "box", "of", "cereal", "gave", "me", "a", "perfectly",
         "balanced", "breakfast", ",", "as", "all", "things", "should", "be", ".", "in", "fact",
         "i", "will", "definitely", "buying", "again", "<", ">", "img", "src", "="]


def make_model_dir(path: Path, kind: str, hidden: int = 6, layers: int = 1, seed: int = 0,
                   labels: tuple[str, ...] = ("negative", "positive")) -> Path:
    """A model directory over VOCAB with random, non-zero weights."""
    return random_model_dir(path, kind, VOCAB, hidden, layers, embedding=5, labels=labels, seed=seed,
                            name=f"tiny-{kind}")


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


SHIPPED = [n for n in SHIPPED_MODELS if shipped(n)]


@pytest.fixture(params=list(SPECS) + [f"shipped:{n}" for n in SHIPPED])
def any_trace(request: pytest.FixtureRequest, tiny_models: dict[str, Model]) -> Trace:
    """The cereal review traced by every tiny model and every shipped model there is."""
    name: str = request.param
    model = load_model(name.split(":", 1)[1]) if name.startswith("shipped:") else tiny_models[name]
    return model.trace(CEREAL)
