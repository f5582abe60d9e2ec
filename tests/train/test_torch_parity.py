"""The numpy engine's probabilities equal PyTorch's for the shipped weights, at every step."""

from __future__ import annotations

import numpy as np
import pytest

from app.core import load_model, tokenize
from app.core.model import SHIPPED_DIR

from .conftest import SHIPPED

torch = pytest.importorskip("torch")
pytestmark = pytest.mark.torch

SENTENCES = [
    "Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should be. "
    "In fact, I will definitely be buying this again.",
    "The first half of the movie is dry but the second half really picked up the pace. "
    "The lead actor delivered an amazing performance.",
    "I didn't like it, and the ending wasn't good either.",
    "zzqx unknownword café 🙂",
]


def torch_model(name: str):  # type: ignore[no-untyped-def]
    from safetensors.torch import load_file
    from torch import nn

    model = load_model(name)
    c = model.config
    state = {k: v.float() for k, v in load_file(str(SHIPPED_DIR / name / "model.safetensors")).items()}
    rnn = {"lstm": nn.LSTM, "gru": nn.GRU, "rnn": nn.RNN}[c.kind](
        c.embedding_dim, c.hidden_size, num_layers=c.num_layers, batch_first=True,
        bidirectional=c.bidirectional)
    net = nn.ModuleDict({"embedding": nn.Embedding(len(model.vocab), c.embedding_dim), "rnn": rnn,
                         "head": nn.Linear(c.direction_count * c.hidden_size, len(c.labels))})
    net.load_state_dict(state, strict=True)
    return model, net


@pytest.mark.parametrize("name", SHIPPED)
def test_numpy_equals_torch(name: str) -> None:
    model, net = torch_model(name)
    unk = model.index["<unk>"]
    for text in SENTENCES:
        ids = torch.tensor([[model.index.get(t, unk) for t in tokenize(text)]])
        with torch.no_grad():
            out, _ = net["rnn"](net["embedding"](ids))
            probs = torch.softmax(net["head"](out[0]), dim=-1).numpy()
        trace = model.trace(text)
        np.testing.assert_allclose(trace.probs, probs, atol=2e-5, rtol=0)
