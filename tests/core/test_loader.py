"""Every wrong model directory fails with one message that names the problem."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import save_file

from app.core import ModelFormatError, UnknownModelError, load_model

from .twins import random_state_dict, write_model_dir

VOCAB = ["<unk>", "the", "good", "bad"]


@pytest.fixture
def good(tmp_path: Path) -> Path:
    sd = random_state_dict("lstm", len(VOCAB), 5, 3, 2, 2, np.random.default_rng(0))
    return write_model_dir(tmp_path / "m", "lstm", sd, VOCAB, ["negative", "positive"])


def tensors(path: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file
    return dict(load_file(str(path / "model.safetensors")))


def rewrite(path: Path, sd: dict[str, np.ndarray]) -> None:
    save_file(sd, str(path / "model.safetensors"))


def expect(path: Path, *fragments: str) -> None:
    with pytest.raises(ModelFormatError) as info:
        load_model(path)
    for fragment in fragments:
        assert fragment in str(info.value)


def test_a_good_directory_loads(good: Path) -> None:
    model = load_model(good)
    assert model.config.num_layers == 2 and model.vocab == tuple(VOCAB)


def test_missing_key(good: Path) -> None:
    sd = tensors(good)
    del sd["rnn.bias_hh_l1"]
    rewrite(good, sd)
    expect(good, "missing key 'rnn.bias_hh_l1'")


def test_unexpected_key(good: Path) -> None:
    sd = tensors(good)
    sd["rnn.weight_hr_l0"] = np.zeros((3, 3), np.float32)
    rewrite(good, sd)
    expect(good, "unexpected key 'rnn.weight_hr_l0'")


def test_half_bidirectional_file_under_a_one_way_config(good: Path) -> None:
    sd = tensors(good)
    sd["rnn.weight_ih_l0_reverse"] = sd["rnn.weight_ih_l0"]
    rewrite(good, sd)
    expect(good, "only part of a bidirectional RNN", "'rnn.weight_ih_l0_reverse'",
           "not 'rnn.bias_hh_l0_reverse'")


@pytest.fixture
def both_ways(tmp_path: Path) -> Path:
    sd = random_state_dict("gru", len(VOCAB), 5, 3, 2, 2, np.random.default_rng(1),
                           bidirectional=True)
    return write_model_dir(tmp_path / "bi", "gru", sd, VOCAB, ["negative", "positive"])


def test_a_bidirectional_directory_loads(both_ways: Path) -> None:
    model = load_model(both_ways)
    assert model.config.bidirectional and model.reverse_layers is not None
    assert model.head_weight.shape == (2, 6) and model.reverse_layers[1].w_ih.shape == (9, 6)
    assert model.config.summary()["bidirectional"] is True
    assert model.config.head_input == "last_output" and "head_input" not in model.config.summary()


def test_head_input_final_states_loads(both_ways: Path) -> None:
    cfg = json.loads((both_ways / "config.json").read_text())
    (both_ways / "config.json").write_text(json.dumps({**cfg, "head_input": "final_states"}))
    config = load_model(both_ways).config
    assert config.head_input == "final_states" and config.verdict_from_final_states
    assert config.summary()["head_input"] == "final_states"


def test_bidirectional_file_under_a_one_way_config(both_ways: Path) -> None:
    cfg = json.loads((both_ways / "config.json").read_text())
    del cfg["bidirectional"]
    (both_ways / "config.json").write_text(json.dumps(cfg))
    expect(both_ways, "bidirectional RNN (key 'rnn.bias_hh_l0_reverse')",
           'add "bidirectional": true')


@pytest.mark.parametrize("key", ["rnn.weight_hh_l1_reverse", "rnn.bias_ih_l0_reverse"])
def test_half_bidirectional_file_under_a_bidirectional_config(both_ways: Path, key: str) -> None:
    sd = tensors(both_ways)
    del sd[key]
    rewrite(both_ways, sd)
    expect(both_ways, f"missing key {key!r}", "2-layer bidirectional gru")


def test_one_way_file_under_a_bidirectional_config(good: Path) -> None:
    cfg = json.loads((good / "config.json").read_text())
    cfg["bidirectional"] = True
    (good / "config.json").write_text(json.dumps(cfg))
    expect(good, "missing key 'rnn.bias_hh_l0_reverse'", "bidirectional lstm")


def test_bidirectional_head_must_be_two_directions_wide(both_ways: Path) -> None:
    sd = tensors(both_ways)
    sd["head.weight"] = sd["head.weight"][:, :3].copy()
    rewrite(both_ways, sd)
    expect(both_ways, "'head.weight' has shape [2, 3], expected [2, 6]")


def test_bidirectional_second_layer_reads_both_directions(both_ways: Path) -> None:
    sd = tensors(both_ways)
    sd["rnn.weight_ih_l1_reverse"] = sd["rnn.weight_ih_l1_reverse"][:, :3].copy()
    rewrite(both_ways, sd)
    expect(both_ways, "'rnn.weight_ih_l1_reverse' has shape [9, 3], expected [9, 6]")


def test_wrong_shape(good: Path) -> None:
    sd = tensors(good)
    sd["head.weight"] = np.zeros((2, 4), np.float32)
    rewrite(good, sd)
    expect(good, "'head.weight' has shape [2, 4], expected [2, 3]")


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_value(good: Path, bad: float) -> None:
    sd = tensors(good)
    sd["rnn.weight_hh_l0"][1, 2] = bad
    rewrite(good, sd)
    expect(good, "'rnn.weight_hh_l0' holds NaN or infinite")


def test_integer_tensor(good: Path) -> None:
    sd = tensors(good)
    sd["head.bias"] = np.zeros(2, np.int32)
    rewrite(good, sd)
    expect(good, "'head.bias' has dtype int32")


def test_config_disagrees_with_tensors(good: Path) -> None:
    cfg = json.loads((good / "config.json").read_text())
    cfg["hidden_size"] = 4
    (good / "config.json").write_text(json.dumps(cfg))
    expect(good, "expected [16, 5]")
    cfg.update(hidden_size=3, kind="gru")
    (good / "config.json").write_text(json.dumps(cfg))
    expect(good, "expected [9, 5]")
    cfg.update(kind="lstm", num_layers=1)
    (good / "config.json").write_text(json.dumps(cfg))
    expect(good, "unexpected key 'rnn.bias_hh_l1'")


@pytest.mark.parametrize(("field", "value", "fragment"), [
    ("kind", "transformer", "'kind' must be one of"),
    ("labels", ["only"], "'labels' must list at least two"),
    ("labels", ["a", "a"], "'labels' must list at least two distinct"),
    ("hidden_size", 0, "'hidden_size' must be a positive whole number"),
    ("embedding_dim", "5", "'embedding_dim' must be a positive whole number"),
    ("bidirectional", "yes", "'bidirectional' must be true or false"),
    ("head_input", "h_n", "'head_input' must be \"last_output\" (the head reads output[T-1]) or "
                          "\"final_states\" (it reads h_n of both directions), got 'h_n'"),
    ("head_input", None, "'head_input' must be \"last_output\""),
])
def test_bad_config_field(good: Path, field: str, value: object, fragment: str) -> None:
    cfg = json.loads((good / "config.json").read_text())
    cfg[field] = value
    (good / "config.json").write_text(json.dumps(cfg))
    expect(good, fragment)


def test_config_not_json(good: Path) -> None:
    (good / "config.json").write_text("{not json")
    expect(good, "config.json is not valid UTF-8 JSON")


@pytest.mark.parametrize(("text", "fragment"), [
    ("", "vocab.txt is empty"),
    ("<unk>\nthe\nthe\nbad\n", "'the' appears twice (lines 2 and 3)"),
    ("a\nthe\ngood\nbad\n", "no '<unk>' line"),
    ("<unk>\nthe\ngood\n", "'embedding.weight' has shape [4, 5], expected [3, 5]"),
])
def test_bad_vocab(good: Path, text: str, fragment: str) -> None:
    (good / "vocab.txt").write_text(text, encoding="utf-8")
    expect(good, fragment)


@pytest.mark.parametrize("name", ["config.json", "vocab.txt", "model.safetensors"])
def test_missing_file(good: Path, name: str) -> None:
    (good / name).unlink()
    expect(good, f"{name} is missing")


def test_garbage_and_pickle_are_not_loaded(good: Path) -> None:
    import pickle
    (good / "model.safetensors").write_bytes(pickle.dumps({"embedding.weight": [1.0]}))
    expect(good, "cannot be read as safetensors")
    (good / "model.safetensors").write_bytes(b"\x00" * 3)
    expect(good, "cannot be read as safetensors")


def test_unknown_shipped_name(tmp_path: Path) -> None:
    with pytest.raises(UnknownModelError, match="no model named 'nope'"):
        load_model("nope", models_dir=tmp_path)
    with pytest.raises(UnknownModelError, match="not a model name"):
        load_model("Bad Name!", models_dir=tmp_path)
