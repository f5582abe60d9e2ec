"""The engine against committed PyTorch numbers (tests/fixtures/golden_*.npz): runs without torch."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core import load_model

from .twins import write_model_dir

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("golden_*.npz"))


def test_fixtures_exist() -> None:
    assert len(FIXTURES) == 12  # lstm, gru, rnn × 1 and 2 layers × one-way and bidirectional


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.stem)
def test_matches_pytorch_numbers(tmp_path: Path, path: Path, engine: str) -> None:
    data = np.load(path)
    kind = path.stem.split("_")[1]
    sd = {key[3:]: data[key] for key in data.files if key.startswith("sd/")}
    ref = {key[4:]: data[key] for key in data.files if key.startswith("ref/")}
    V = sd["embedding.weight"].shape[0]
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    C = sd["head.bias"].shape[0]
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, vocab, [f"c{k}" for k in range(C)]))
    trace = model.trace_tokens([vocab[i] for i in data["ids"]])
    np.testing.assert_allclose(trace.probs, ref["probs"], atol=1e-5, rtol=0)
    for name, array in trace.quantities.items():  # gates, candidate, cell, hidden
        np.testing.assert_allclose(array, ref[name], atol=1e-5, rtol=0, err_msg=name)
    assert (trace.reverse is not None) == ("_bi_" in path.stem)
    for name, array in (trace.reverse or {}).items():  # the reverse direction, by token position
        np.testing.assert_allclose(array, ref[f"reverse.{name}"], atol=1e-5, rtol=0,
                                   err_msg=f"reverse {name}")
    assert set(ref) == {"probs", *trace.quantities, *(f"reverse.{n}" for n in trace.reverse or {})}
