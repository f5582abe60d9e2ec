"""Properties that hold for any weights: gate ranges, clamps acting inside the recurrence, and the
exact per-word memory decomposition behind the page's cereal-review highway."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core import ClampError, Model, load_model
from app.core.derived import memory_contributions, retention, share, state_parts

from .twins import random_state_dict, write_model_dir

V = 30
VOCAB = ["<unk>"] + [f"w{k}" for k in range(1, V)]


def make_model(root: Path, kind: str, layers: int, H: int, seed: int) -> Model:
    sd = random_state_dict(kind, V, 7, H, layers, 2, np.random.default_rng(seed))
    name = f"{kind}-{layers}-{H}-{seed}"
    path = root / name
    if not path.exists():
        write_model_dir(path, kind, sd, VOCAB, ["negative", "positive"])
    return load_model(path)


models = st.tuples(st.sampled_from(["lstm", "gru"]), st.integers(1, 3), st.integers(1, 12),
                   st.integers(0, 10_000))
sentences = st.lists(st.sampled_from(VOCAB[1:]), min_size=1, max_size=25)
fast = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@fast
@given(spec=models, words=sentences)
def test_gates_in_unit_interval_candidates_in_tanh_range(tmp_path: Path, spec: tuple[str, int, int, int],
                                                          words: list[str], engine: str) -> None:
    trace = make_model(tmp_path, *spec).trace_tokens(words)
    for gate in trace.gates.values():
        assert gate.min() >= 0.0 and gate.max() <= 1.0
    assert trace.candidate is not None
    assert np.abs(trace.candidate).max() <= 1.0
    assert np.abs(trace.hidden).max() <= 1.0
    np.testing.assert_allclose(trace.probs.sum(axis=1), 1.0, rtol=1e-6)


@fast
@given(spec=models, words=sentences)
def test_memory_contributions_sum_back_to_the_state(tmp_path: Path, spec: tuple[str, int, int, int],
                                                    words: list[str]) -> None:
    trace = make_model(tmp_path, *spec).trace_tokens(words)
    state = trace.cell if trace.kind == "lstm" else trace.hidden
    assert state is not None
    for layer in range(state.shape[1]):
        contrib = memory_contributions(trace, layer)  # (T, T, H)
        np.testing.assert_allclose(contrib.sum(axis=1), state[:, layer], atol=1e-6, rtol=1e-6)
        assert np.all(contrib[np.triu_indices(len(words), 1)] == 0)  # a word cannot act before it is read
    kept = retention(trace)
    assert np.all(kept <= 1 + 1e-12)
    fading = np.diff(kept, axis=0)[np.tril_indices(len(words) - 1)]  # kept[t+1, s] − kept[t, s], s ≤ t
    assert np.all(fading <= 1e-12)  # what a word wrote only ever fades
    np.testing.assert_allclose(share(trace).sum(axis=1)[kept.diagonal() > 0], 1.0)


@fast
@given(spec=models, words=sentences)
def test_state_parts_add_up(tmp_path: Path, spec: tuple[str, int, int, int], words: list[str]) -> None:
    trace = make_model(tmp_path, *spec).trace_tokens(words)
    parts = state_parts(trace)
    state = trace.cell if trace.kind == "lstm" else trace.hidden
    assert state is not None
    np.testing.assert_allclose(parts["kept"] + parts["written"], state, atol=1e-6)
    previous = np.concatenate([np.zeros_like(state[:1]), state[:-1]])
    np.testing.assert_allclose(parts["kept"] + parts["erased"], previous, atol=1e-6)
    if trace.kind == "lstm":
        np.testing.assert_allclose(parts["read_out"], trace.hidden, atol=1e-6)


@fast
@given(layers=st.integers(1, 3), H=st.integers(1, 12), seed=st.integers(0, 10_000), words=sentences,
       start=st.integers(0, 24))
def test_forget_open_and_input_shut_keep_the_cell(tmp_path: Path, layers: int, H: int, seed: int,
                                                  words: list[str], start: int, engine: str) -> None:
    model = make_model(tmp_path, "lstm", layers, H, seed)
    start = min(start, len(words) - 1)
    steps = list(range(start, len(words)))
    trace = model.trace_tokens(words, clamp=[{"gate": "forget", "value": 1.0, "steps": steps},
                                             {"gate": "input", "value": 0.0, "steps": steps}])
    assert trace.cell is not None
    frozen = trace.cell[start - 1] if start else np.zeros_like(trace.cell[0])
    for t in steps:
        np.testing.assert_array_equal(trace.cell[t], frozen)
        np.testing.assert_array_equal(trace.gates["forget"][t], 1.0)


def test_clamp_acts_inside_the_recurrence(tmp_path: Path, engine: str) -> None:
    model = make_model(tmp_path, "gru", 2, 6, 3)
    words = ["w1", "w2", "w3", "w4", "w5"]
    free = model.trace_tokens(words)
    pinned = model.trace_tokens(words, clamp=[{"gate": "update", "value": 1.0, "steps": [2],
                                               "units": [0, 4], "layer": 0}])
    np.testing.assert_array_equal(pinned.gates["update"][2, 0, [0, 4]], 1.0)
    # z = 1 keeps the unit's state: h_2 = h_1 for the pinned units of layer 0
    np.testing.assert_array_equal(pinned.hidden[2, 0, [0, 4]], pinned.hidden[1, 0, [0, 4]])
    np.testing.assert_array_equal(pinned.hidden[:2], free.hidden[:2])  # before the pin: the same
    assert not np.allclose(pinned.hidden[3:, 1], free.hidden[3:, 1])  # after: everything downstream moves
    assert not np.allclose(pinned.probs[3:], free.probs[3:])


@pytest.mark.parametrize(("clamp", "fragment"), [
    ({"gate": "forget", "value": 1.0}, "'forget' is not a gate of a gru (valid gates: reset, update)"),
    ({"gate": "update", "value": 1.5}, "clamp.value must be from 0 to 1"),
    ({"gate": "update", "value": float("nan")}, "clamp.value must be a number"),
    ({"gate": "update", "value": "1"}, "clamp.value must be a number"),
    ({"gate": "update", "value": 1, "steps": [9]},
     "clamp.steps has 9, but this sentence's token count has only 3"),
    ({"gate": "update", "value": 1, "units": [-1]}, "clamp.units has -1"),
    ({"gate": "update", "value": 1, "layer": 2}, "clamp.layer has 2"),
    ({"gate": "update"}, "needs a 'gate' and a 'value'"),
    ({"gate": "update", "value": 1, "colour": "red"}, "unknown field(s) ['colour']"),
])
def test_invalid_clamps_say_what_is_wrong(tmp_path: Path, clamp: dict[str, object], fragment: str) -> None:
    model = make_model(tmp_path, "gru", 2, 4, 0)
    with pytest.raises(ClampError) as info:
        model.trace_tokens(["w1", "w2", "w3"], clamp=[clamp])
    assert fragment in str(info.value)


def test_rnn_has_no_gates_to_clamp(tmp_path: Path) -> None:
    sd = random_state_dict("rnn", V, 7, 5, 1, 2, np.random.default_rng(0))
    model = load_model(write_model_dir(tmp_path / "rnn", "rnn", sd, VOCAB, ["negative", "positive"]))
    with pytest.raises(ClampError, match="a plain RNN has no gates"):
        model.trace_tokens(["w1"], clamp=[{"gate": "forget", "value": 1}])
    with pytest.raises(ValueError, match="plain RNN has no gates"):
        memory_contributions(model.trace_tokens(["w1"]))
