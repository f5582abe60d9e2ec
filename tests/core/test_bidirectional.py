"""A bidirectional model without torch: its reverse direction is a one-way reader of the reversed
sentence, clamps reach the direction they name, and the JSON carries both directions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from app.core import ClampError, Model, load_model
from app.core.derived import memory_contributions

from .twins import random_state_dict, write_model_dir

V, E, H, C = 12, 5, 4, 3
VOCAB = ["<unk>"] + [f"w{k}" for k in range(1, V)]
WORDS = ["w3", "w1", "w7", "zz", "w2", "w9"]  # "zz" is unknown
T = len(WORDS)


def both_ways(tmp_path: Path, kind: str, layers: int = 1,
              seed: int = 0) -> tuple[Model, dict[str, np.ndarray]]:
    sd = random_state_dict(kind, V, E, H, layers, C, np.random.default_rng(seed), bidirectional=True)
    labels = [f"c{k}" for k in range(C)]
    return load_model(write_model_dir(tmp_path / f"bi-{kind}", kind, sd, VOCAB, labels)), sd


def reverse_reader(tmp_path: Path, kind: str, sd: dict[str, np.ndarray]) -> Model:
    """A one-way model made of the reverse direction's layer-0 tensors (head: its half)."""
    one = {"embedding.weight": sd["embedding.weight"], "head.bias": sd["head.bias"],
           "head.weight": np.ascontiguousarray(sd["head.weight"][:, H:])}
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        one[f"rnn.{name}_l0"] = sd[f"rnn.{name}_l0_reverse"]
    return load_model(write_model_dir(tmp_path / f"rev-{kind}", kind, one, VOCAB, ["a", "b", "c"]))


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_reverse_direction_is_a_reader_of_the_reversed_sentence(tmp_path: Path, kind: str,
                                                                engine: str) -> None:
    model, sd = both_ways(tmp_path, kind)
    trace = model.trace_tokens(WORDS)
    alone = reverse_reader(tmp_path, kind, sd).trace_tokens(WORDS[::-1])
    assert trace.reverse is not None
    for name, values in trace.reverse.items():
        np.testing.assert_allclose(values, alone.quantities[name][::-1], atol=1e-6, rtol=0,
                                   err_msg=name)
    view = trace.one_way("reverse")
    assert view.tokens == WORDS[::-1] and view.known.tolist() == [True, True, False, True, True, True]
    for name, values in view.quantities.items():
        np.testing.assert_allclose(values, alone.quantities[name], atol=1e-6, rtol=0)


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_a_clamp_on_the_reverse_direction(tmp_path: Path, kind: str, engine: str) -> None:
    """Pinned at token positions 1 and 4: the reverse reader meets them at its steps 4 and 1."""
    model, sd = both_ways(tmp_path, kind)
    gate = {"lstm": "forget", "gru": "update"}[kind]
    clamp = {"gate": gate, "value": 0.25, "steps": [1, 4], "units": [0, 2]}
    trace = model.trace_tokens(WORDS, clamp=[{**clamp, "direction": "reverse"}])
    free = model.trace_tokens(WORDS)
    alone = reverse_reader(tmp_path, kind, sd).trace_tokens(
        WORDS[::-1], clamp=[{**clamp, "steps": [T - 1 - 1, T - 1 - 4]}])
    assert trace.reverse is not None
    for name, values in trace.reverse.items():
        np.testing.assert_allclose(values, alone.quantities[name][::-1], atol=1e-6, rtol=0)
    assert np.all(trace.reverse[gate][[1, 4]][:, 0][:, [0, 2]] == np.float32(0.25))
    for name, values in trace.quantities.items():  # one layer: the forward reader never saw it
        np.testing.assert_array_equal(values, free.quantities[name])
    assert not np.allclose(trace.probs, free.probs)  # the head reads both directions


def test_clamp_directions_forward_and_both(tmp_path: Path, engine: str) -> None:
    model, _ = both_ways(tmp_path, "lstm", layers=2)
    free = model.trace_tokens(WORDS)
    forward = model.trace_tokens(WORDS, clamp=[{"gate": "input", "value": 0.0, "layer": 0,
                                                "direction": "forward"}])
    both = model.trace_tokens(WORDS, clamp=[{"gate": "input", "value": 0.0, "layer": 0}])
    assert forward.reverse is not None and both.reverse is not None and free.reverse is not None
    assert np.all(forward.quantities["cell"][:, 0] == 0)  # nothing written, from c₀ = 0
    np.testing.assert_array_equal(forward.reverse["cell"][:, 0], free.reverse["cell"][:, 0])
    assert not np.allclose(forward.reverse["cell"][:, 1], free.reverse["cell"][:, 1])  # reads both
    assert np.all(both.quantities["cell"][:, 0] == 0) and np.all(both.reverse["cell"][:, 0] == 0)


def test_clamp_direction_errors(tmp_path: Path) -> None:
    model, _ = both_ways(tmp_path, "gru")
    with pytest.raises(ClampError, match="clamp.direction must be 'forward' or 'reverse' or null"):
        model.trace_tokens(WORDS, clamp=[{"gate": "update", "value": 1, "direction": "backward"}])
    sd = random_state_dict("gru", V, E, H, 1, C, np.random.default_rng(0))
    one_way = load_model(write_model_dir(tmp_path / "one", "gru", sd, VOCAB, ["a", "b", "c"]))
    with pytest.raises(ClampError, match="'reverse' needs a bidirectional model"):
        one_way.trace_tokens(WORDS, clamp=[{"gate": "update", "value": 1, "direction": "reverse"}])
    pinned = one_way.trace_tokens(WORDS, clamp=[{"gate": "update", "value": 1, "direction": "forward"}])
    assert np.all(pinned.quantities["hidden"] == 0)  # z = 1 everywhere keeps h₀ = 0


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_json_carries_both_directions(tmp_path: Path, kind: str) -> None:
    model, _ = both_ways(tmp_path, kind, layers=2)
    trace = model.trace_tokens(WORDS)
    data = json.loads(json.dumps(trace.to_dict()))
    assert data["model"]["bidirectional"] is True and data["model"]["num_layers"] == 2
    assert trace.reverse is not None
    for t, step in enumerate(data["steps"]):
        for k, layer in enumerate(step["layers"]):
            reverse = layer.pop("reverse")
            assert set(reverse) == set(layer) and list(reverse["gates"]) == list(layer["gates"])
            assert reverse["hidden"] == trace.reverse["hidden"][t, k].tolist()
            assert layer["hidden"] == trace.quantities["hidden"][t, k].tolist()
            for gate, values in reverse["gates"].items():
                assert values == trace.reverse[gate][t, k].tolist()
        assert list(step["probs"].values()) == trace.probs[t].tolist()


def test_probs_are_the_head_on_both_directions(tmp_path: Path) -> None:
    model, sd = both_ways(tmp_path, "gru", layers=2)
    trace = model.trace_tokens(WORDS)
    assert trace.reverse is not None
    top = np.concatenate([trace.hidden[:, -1], trace.reverse["hidden"][:, -1]], axis=1)  # (T, 2H)
    logits = top.astype(np.float64) @ sd["head.weight"].T.astype(np.float64) + sd["head.bias"]
    expected = np.exp(logits - logits.max(axis=1, keepdims=True))
    np.testing.assert_allclose(trace.probs, expected / expected.sum(axis=1, keepdims=True),
                               atol=1e-6, rtol=0)


def test_reverse_memory_sums_back_to_its_state(tmp_path: Path) -> None:
    """derived.py on the reverse reader, in the order it read: what each word left adds up."""
    model, _ = both_ways(tmp_path, "lstm", layers=2)
    view = model.trace_tokens(WORDS).one_way("reverse")
    assert view.model.name.endswith("· reverse") and view.reverse is None
    contrib = memory_contributions(view, layer=1)
    np.testing.assert_allclose(contrib.sum(axis=1), view.state[:, 1], atol=1e-5, rtol=0)
    with pytest.raises(ValueError, match="direction 'sideways'"):
        model.trace_tokens(WORDS).one_way("sideways")


def test_one_way_only_computations_refuse_a_bidirectional_model(tmp_path: Path) -> None:
    model, _ = both_ways(tmp_path, "rnn")
    with pytest.raises(ValueError, match="connectivity is not available for a bidirectional model"):
        model.require_one_direction("connectivity")


def test_command_line_clamp_on_one_direction(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    model, _ = both_ways(tmp_path, "gru")
    text = " ".join(WORDS)
    assert main(["trace", text, "--model-dir", str(model.path), "--json",
                 "--clamp", "update=1@reverse"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = model.trace(text, clamp=[{"gate": "update", "value": 1.0, "direction": "reverse"}])
    assert data == json.loads(json.dumps(expected.to_dict()))
    assert all(v == 0.0 for step in data["steps"] for v in step["layers"][0]["reverse"]["hidden"])
    assert main(["trace", text, "--model-dir", str(model.path), "--clamp", "update=1@up"]) == 2
    assert "clamp.direction must be 'forward' or 'reverse' or null, got 'up'" in capsys.readouterr().err


def final_states(tmp_path: Path, kind: str, layers: int = 1) -> tuple[Model, dict[str, np.ndarray]]:
    sd = random_state_dict(kind, V, E, H, layers, C, np.random.default_rng(5), bidirectional=True)
    path = write_model_dir(tmp_path / f"fs-{kind}", kind, sd, VOCAB, [f"c{k}" for k in range(C)],
                           head_input="final_states")
    return load_model(path), sd


def head_on(sd: dict[str, np.ndarray], top: np.ndarray) -> np.ndarray:
    logits = top.astype(np.float64) @ sd["head.weight"].T.astype(np.float64) + sd["head.bias"]
    z = np.exp(logits - logits.max())
    return z / z.sum()  # type: ignore[no-any-return]


def test_a_final_states_verdict_reads_both_readers_after_every_word(tmp_path: Path,
                                                                    engine: str) -> None:
    """The verdict is the head on cat(h_forward[T-1], h_reverse[0]), clamps included; the
    per-step probs are those of a last-output model with the same weights."""
    model, sd = final_states(tmp_path, "lstm", layers=2)
    same = load_model(write_model_dir(tmp_path / "lo", "lstm", sd, VOCAB, [f"c{k}" for k in range(C)]))
    for clamp in (None, [{"gate": "input", "value": 0.0, "steps": [5], "direction": "reverse"}]):
        trace = model.trace_tokens(WORDS, clamp=clamp)
        assert trace.reverse is not None
        top = np.concatenate([trace.hidden[-1, -1], trace.reverse["hidden"][0, -1]])
        np.testing.assert_allclose(trace.verdict, head_on(sd, top), atol=1e-6, rtol=0)
        np.testing.assert_array_equal(trace.probs, same.trace_tokens(WORDS, clamp=clamp).probs)
        data = json.loads(json.dumps(trace.to_dict()))
        assert data["model"]["head_input"] == "final_states"
        assert data["verdict"] == dict(zip(model.config.labels, trace.verdict.tolist(), strict=True))
        assert trace.one_way("reverse").verdict is trace.verdict
    # the pin at the reverse reader's first step (token 5) reaches h_reverse[0], so the verdict
    pinned = model.trace_tokens(WORDS, clamp=clamp).verdict
    assert np.abs(pinned - model.trace_tokens(WORDS).verdict).max() > 1e-4


def test_final_states_is_the_last_step_for_a_one_way_model(tmp_path: Path) -> None:
    sd = random_state_dict("gru", V, E, H, 2, C, np.random.default_rng(1))
    model = load_model(write_model_dir(tmp_path / "one", "gru", sd, VOCAB, ["a", "b", "c"],
                                       head_input="final_states"))
    trace = model.trace_tokens(WORDS)
    np.testing.assert_array_equal(trace.verdict, trace.probs[-1])
    assert not model.config.verdict_from_final_states


def test_command_line_prints_the_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.cli import main

    model, _ = final_states(tmp_path, "gru")
    assert main(["trace", " ".join(WORDS), "--model-dir", str(model.path)]) == 0
    last = capsys.readouterr().out.strip().splitlines()[-1]
    verdict = model.trace_tokens(WORDS).verdict
    top = int(verdict.argmax())
    assert last.startswith("verdict (both readers' final states, each having read every word): "
                           f"c{top} {verdict[top]:.3f}")
