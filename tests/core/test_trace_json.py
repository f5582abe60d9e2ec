"""Trace.to_dict gives exactly the trace JSON of ARCHITECTURE.md."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.core import KINDS, ModelConfig, Trace, load_model

from .twins import random_state_dict, write_model_dir

VOCAB = ["<unk>", "amazing", "!", "this", "box"]
# Written by Trace.to_dict as it was before the trace held one mapping of quantities (commit
# 457655f, when it had gates, candidate, cell and hidden fields and a dict for its model): never
# regenerate it, it is the reference the JSON must keep byte for byte.
BEFORE = Path(__file__).parents[1] / "fixtures" / "trace_json.json"


@pytest.mark.parametrize(("kind", "gates"), [("lstm", ["input", "forget", "output"]),
                                             ("gru", ["reset", "update"]), ("rnn", [])])
def test_shape_of_the_json(tmp_path: Path, kind: str, gates: list[str]) -> None:
    sd = random_state_dict(kind, len(VOCAB), 4, 3, 2, 2, np.random.default_rng(0))
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, VOCAB, ["negative", "positive"]))
    trace = model.trace("Amazing! This cereal box")
    data = json.loads(json.dumps(trace.to_dict()))
    assert data["model"] == {"name": kind, "kind": kind, "hidden_size": 3, "num_layers": 2,
                             "labels": ["negative", "positive"]}
    assert data["text"] == "Amazing! This cereal box"
    assert data["tokens"] == ["amazing", "!", "this", "cereal", "box"]
    assert [s["known"] for s in data["steps"]] == [True, True, True, False, True]
    step = data["steps"][3]
    assert step["t"] == 3 and step["token"] == "cereal"
    assert len(step["layers"]) == 2
    layer = step["layers"][1]
    assert list(layer["gates"]) == gates
    expected_keys = {"lstm": {"gates", "candidate", "cell", "hidden"},
                     "gru": {"gates", "candidate", "hidden"}, "rnn": {"gates", "hidden"}}[kind]
    assert set(layer) == expected_keys
    # full float32 precision: the JSON numbers are the arrays' own values
    assert layer["hidden"] == trace.hidden[3, 1].tolist()
    assert np.float32(layer["hidden"][0]) == trace.hidden[3, 1, 0]
    assert step["probs"] == {"negative": float(trace.probs[3, 0]), "positive": float(trace.probs[3, 1])}


def test_rounded_json(tmp_path: Path) -> None:
    sd = random_state_dict("lstm", len(VOCAB), 4, 3, 1, 2, np.random.default_rng(0))
    model = load_model(write_model_dir(tmp_path / "m", "lstm", sd, VOCAB, ["negative", "positive"]))
    trace = model.trace("amazing box")
    step = trace.to_dict(precision=4)["steps"][1]
    assert step["layers"][0]["cell"] == [round(float(v), 4) for v in trace.cell[1, 0]]  # type: ignore[index]


def test_empty_text_is_refused(tmp_path: Path) -> None:
    sd = random_state_dict("lstm", len(VOCAB), 4, 3, 1, 2, np.random.default_rng(0))
    model = load_model(write_model_dir(tmp_path / "m", "lstm", sd, VOCAB, ["negative", "positive"]))
    with pytest.raises(ValueError, match="no words"):
        model.trace("  \n ")


@pytest.mark.parametrize("kind", list(KINDS))
def test_the_json_is_byte_for_byte_what_it_was(kind: str) -> None:
    rng = np.random.default_rng(13)
    T, L, H = 4, 2, 3
    quantities = {name: rng.uniform(-1, 1, (T, L, H)).astype(np.float32) for name in KINDS[kind].quantities}
    probs = rng.dirichlet([1.0, 1.0], T).astype(np.float32)
    config = ModelConfig(name=f"my-{kind}", kind=kind, embedding_dim=5, hidden_size=H, num_layers=L,
                         labels=("negative", "positive"), description="not in the JSON")
    trace = Trace(model=config, text="Café! 🙂 the <b>box", tokens=["café", "!", "🙂", "box"],
                  known=np.array([True, True, False, True]), quantities=quantities, probs=probs)
    before = json.loads(BEFORE.read_text(encoding="utf-8"))[kind]
    for precision, key in ((None, "exact"), (4, "rounded")):
        # what it was, byte for byte, then the verdict: for this (last-output) model the last
        # step's probs, at the same precision
        data = trace.to_dict(precision)
        assert list(data)[-1] == "verdict"
        verdict = data.pop("verdict")
        assert json.dumps(data, ensure_ascii=False) == before[key]
        assert verdict == data["steps"][-1]["probs"]
    assert [json.dumps(step) for step in trace.step_dicts()] == \
        [json.dumps(step) for step in json.loads(before["exact"])["steps"]]


def test_a_trace_holds_its_kinds_quantities_in_order() -> None:
    config = ModelConfig(name="m", kind="gru", embedding_dim=1, hidden_size=1, num_layers=1,
                         labels=("a", "b"))
    one = np.zeros((1, 1, 1), np.float32)
    with pytest.raises(ValueError, match="a gru trace holds reset, update, candidate, hidden"):
        Trace(model=config, text="x", tokens=["x"], known=np.array([True]),
              quantities={"update": one, "reset": one, "candidate": one, "hidden": one},
              probs=np.full((1, 2), 0.5, np.float32))
