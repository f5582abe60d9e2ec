"""Every intermediate of the numpy engine against PyTorch, re-computed step by step (torch needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core import load_model

from .twins import random_state_dict, torch_final_states_probs, torch_reference, write_model_dir

pytest.importorskip("torch")

TOL = 1e-5
CASES = [(kind, layers, seed) for kind in ("lstm", "gru", "rnn") for layers in (1, 2, 3)
         for seed in (0, 1)]
BIDIRECTIONAL = [(kind, layers) for kind in ("lstm", "gru", "rnn") for layers in (1, 2, 3)]


@pytest.mark.torch
@pytest.mark.parametrize(("kind", "layers", "seed"), CASES)
def test_every_intermediate_matches_pytorch(tmp_path: Path, kind: str, layers: int, seed: int,
                                             engine: str) -> None:
    rng = np.random.default_rng(1000 * layers + seed)
    V, E, H, C, T = (int(rng.integers(5, 40)), int(rng.integers(1, 24)), int(rng.integers(1, 40)),
                     int(rng.integers(2, 5)), int(rng.integers(1, 30)))
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    sd = random_state_dict(kind, V, E, H, layers, C, rng)
    assert not np.allclose(sd["rnn.bias_ih_l0"], sd["rnn.bias_hh_l0"])
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, vocab, [f"c{k}" for k in range(C)]))

    ids = rng.integers(0, V, T).tolist()
    trace = model.trace_tokens([vocab[i] for i in ids])
    ref = torch_reference(kind, sd, ids)

    got = {**trace.quantities, "probs": trace.probs}
    assert set(got) == set(ref)
    for name, expected in ref.items():
        np.testing.assert_allclose(got[name], expected, atol=TOL, rtol=0, err_msg=name)
    np.testing.assert_array_equal(trace.verdict, trace.probs[-1])  # last_output: the last step


@pytest.mark.torch
@pytest.mark.parametrize(("kind", "layers"), BIDIRECTIONAL)
def test_every_intermediate_of_both_directions_matches_pytorch(
        tmp_path: Path, kind: str, layers: int, engine: str) -> None:
    """bidirectional=True: both directions of every layer, and probs = head(output[t])."""
    rng = np.random.default_rng(7000 + 10 * layers + len(kind))
    V, E, H, C, T = (int(rng.integers(5, 40)), int(rng.integers(1, 24)), int(rng.integers(1, 40)),
                     int(rng.integers(2, 5)), int(rng.integers(2, 30)))
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    sd = random_state_dict(kind, V, E, H, layers, C, rng, bidirectional=True)
    assert not np.allclose(sd["rnn.bias_ih_l0_reverse"], sd["rnn.bias_hh_l0_reverse"])
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, vocab, [f"c{k}" for k in range(C)]))
    assert model.config.bidirectional

    ids = rng.integers(0, V, T).tolist()
    trace = model.trace_tokens([vocab[i] for i in ids])
    ref = torch_reference(kind, sd, ids)

    assert trace.reverse is not None
    got = {**trace.quantities, **{f"reverse.{n}": v for n, v in trace.reverse.items()},
           "probs": trace.probs}
    assert set(got) == set(ref)
    for name, expected in ref.items():
        np.testing.assert_allclose(got[name], expected, atol=TOL, rtol=0, err_msg=name)
    np.testing.assert_array_equal(trace.verdict, trace.probs[-1])  # last_output: the last step


@pytest.mark.torch
@pytest.mark.parametrize(("kind", "layers"), [(k, n) for k in ("lstm", "gru", "rnn") for n in (1, 2)])
def test_a_final_states_verdict_matches_pytorchs_h_n(tmp_path: Path, kind: str, layers: int,
                                                     engine: str) -> None:
    """"head_input": "final_states": the verdict is PyTorch's softmax(head(cat(h_n[-2], h_n[-1])))
    of the fused module; the per-step probs stay head(output[t])."""
    rng = np.random.default_rng(8000 + 10 * layers + len(kind))
    V, E, H, C, T = (int(rng.integers(5, 40)), int(rng.integers(1, 24)), int(rng.integers(1, 40)),
                     int(rng.integers(2, 5)), int(rng.integers(2, 30)))
    vocab = ["<unk>"] + [f"w{k}" for k in range(1, V)]
    sd = random_state_dict(kind, V, E, H, layers, C, rng, bidirectional=True)
    model = load_model(write_model_dir(tmp_path / kind, kind, sd, vocab, [f"c{k}" for k in range(C)],
                                       head_input="final_states"))
    ids = rng.integers(0, V, T).tolist()
    trace = model.trace_tokens([vocab[i] for i in ids])
    expected = torch_final_states_probs(kind, sd, ids)
    np.testing.assert_allclose(trace.verdict, expected, atol=TOL, rtol=0)
    assert np.abs(trace.probs[-1] - expected).max() > 1e-3  # not the last step's answer
    np.testing.assert_allclose(trace.probs, torch_reference(kind, sd, ids)["probs"], atol=TOL, rtol=0)


@pytest.mark.torch
def test_shipped_layout_loads_a_torch_state_dict_unchanged(tmp_path: Path) -> None:
    """safetensors.torch.save_file(model.state_dict()) of Embedding + LSTM + Linear loads as is."""
    import torch
    from safetensors.torch import save_file

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(6, 5)
            self.rnn = torch.nn.LSTM(5, 7, num_layers=2)
            self.head = torch.nn.Linear(7, 2)

    torch.manual_seed(0)
    net = Net()
    d = tmp_path / "mine"
    d.mkdir()
    save_file(net.state_dict(), str(d / "model.safetensors"))
    (d / "vocab.txt").write_text("<unk>\nthe\ngood\nbad\nfilm\n.\n", encoding="utf-8")
    (d / "config.json").write_text('{"kind": "lstm", "embedding_dim": 5, "hidden_size": 7, '
                                   '"num_layers": 2, "labels": ["negative", "positive"]}')
    trace = load_model(d).trace("The good film, bad.")
    ids = torch.tensor([1, 2, 4, 0, 3, 5])
    with torch.no_grad():
        out, _ = net.rnn(net.embedding(ids)[:, None])
        probs = torch.softmax(net.head(out[:, 0]), -1).numpy()
    np.testing.assert_allclose(trace.probs, probs, atol=TOL, rtol=0)
    assert trace.known.tolist() == [True, True, True, False, True, True]


@pytest.mark.torch
@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_a_torch_bidirectional_model_through_the_command_line(
        tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]) -> None:
    """save_file(net.state_dict()) of a 2-layer bidirectional net, `gatescope trace --json`:
    every vector of both directions and probs equal PyTorch's, read from the JSON."""
    import json

    import torch
    from safetensors.torch import save_file

    from app.cli import main

    H = 6
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[kind]

    class Net(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.embedding = torch.nn.Embedding(6, 5)
            self.rnn = module(5, H, num_layers=2, bidirectional=True)
            self.head = torch.nn.Linear(2 * H, 3)

    torch.manual_seed(1)
    net = Net()
    with torch.no_grad():
        for p in net.rnn.parameters():
            p.uniform_(-0.8, 0.8)  # biases too: distinct and non-zero
    d = tmp_path / "bi"
    d.mkdir()
    save_file(net.state_dict(), str(d / "model.safetensors"))
    (d / "vocab.txt").write_text("<unk>\nthe\ngood\nbad\nfilm\n.\n", encoding="utf-8")
    (d / "config.json").write_text(json.dumps({
        "kind": kind, "embedding_dim": 5, "hidden_size": H, "num_layers": 2, "bidirectional": True,
        "labels": ["negative", "neutral", "positive"]}))
    assert main(["trace", "The good film, bad. The film", "--model-dir", str(d), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    ids = torch.tensor([1, 2, 4, 0, 3, 5, 1, 4])
    with torch.no_grad():
        x = net.embedding(ids)[:, None]
        top, _ = net.rnn(x)
        first = module(5, H, bidirectional=True)
        first.load_state_dict({k: v for k, v in net.rnn.state_dict().items() if "_l0" in k})
        below, _ = first(x)
        probs = torch.softmax(net.head(top[:, 0]), -1).numpy()
    for t, step in enumerate(data["steps"]):
        for k, out in ((0, below[t, 0].numpy()), (1, top[t, 0].numpy())):
            layer = data["steps"][t]["layers"][k]
            np.testing.assert_allclose(layer["hidden"], out[:H], atol=TOL, rtol=0)
            np.testing.assert_allclose(layer["reverse"]["hidden"], out[H:], atol=TOL, rtol=0)
        np.testing.assert_allclose(list(step["probs"].values()), probs[t], atol=TOL, rtol=0)
