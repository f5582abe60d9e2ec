"""Training runs end to end on a tiny slice in a few seconds, with no download."""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.cli import main as cli_main
from app.core import load_model, tokenize

POSITIVE = ["a wonderful film", "great acting and a great story", "i loved it", "truly amazing",
            "the best movie this year", "funny and moving", "a delight", "good fun"]
NEGATIVE = ["a terrible film", "boring and far too long", "i hated it", "truly awful",
            "the worst movie this year", "dull and lifeless", "a mess", "bad acting"]


def write_rows(path: Path, pos: list[str], neg: list[str]) -> Path:
    rows = [{"text": t, "label": "positive"} for t in pos] + [{"text": t, "label": "negative"} for t in neg]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_train_tiny_slice(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    train_file = write_rows(tmp_path / "train.jsonl", POSITIVE * 4, NEGATIVE * 4)
    dev_file = write_rows(tmp_path / "dev.jsonl", POSITIVE[:4], NEGATIVE[:4])
    out = tmp_path / "tiny"
    started = time.perf_counter()
    code = cli_main(["train", "--kind", "gru", "--hidden", "4", "--name", "tiny", "--out", str(out),
                     "--no-glove", "--embedding-dim", "8", "--train-file", str(train_file),
                     "--dev-file", str(dev_file), "--test-file", str(dev_file),
                     "--epochs", "3", "--no-progress", "--quiet", "--augment", "1",
                     "--augment-composed", "1"])
    assert code == 0
    assert time.perf_counter() - started < 30
    model = load_model(out)  # the numpy engine serves what training wrote, unchanged
    assert model.config.kind == "gru" and model.config.hidden_size == 4
    assert model.config.labels == ("negative", "positive")
    metrics = model.config.metrics
    for key in ("accuracy", "n", "dev_accuracy", "train_seconds", "command", "best_epoch"):
        assert key in metrics
    assert metrics["n"] == 8
    from app.train.augment import augmentation_rows

    given = len(train_file.read_text(encoding="utf-8").splitlines())
    assert metrics["train_sentences"] == given + len(augmentation_rows(1, composed=1))
    assert "--augment-composed 1" in str(metrics["command"])
    assert model.trace("a wonderful film").probs.shape == (3, 2)


def test_help_needs_no_torch(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli_main(["train", "--help"])
    assert exc.value.code == 0
    assert "--kind" in capsys.readouterr().out


def test_the_model_cards_command_line_parses() -> None:
    """The installed `gatescope` script takes the model card's options (argparse once refused them)."""
    script = shutil.which("gatescope")
    if script is None:
        pytest.skip("the gatescope script is not installed (pip install -e .)")
    result = subprocess.run([script, "train", "--kind", "lstm", "--hidden", "4", "--epochs", "0",
                             "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "--kind" in result.stdout and "unrecognized" not in result.stderr
    result = subprocess.run([script, "train", "--kind", "cnn", "--hidden", "4"], capture_output=True,
                            text=True)
    assert result.returncode == 2 and "invalid choice: 'cnn'" in result.stderr


def test_missing_torch_says_how_to_install(monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)  # import torch now raises ImportError
    assert cli_main(["train", "--kind", "lstm", "--hidden", "4"]) == 2
    assert "pip install -e '.[train]'" in capsys.readouterr().err


@pytest.mark.parametrize("layers,bidirectional", [(2, False), (1, True), (2, True)])
def test_stacked_and_bidirectional_training(tmp_path: Path, layers: int,
                                            bidirectional: bool) -> None:
    """What training scores (its padded-batch forward) is PyTorch's head(output[T-1]) of the whole
    unpadded sentence, and the directory it writes serves exactly that at the last step."""
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    from app.train.model import Sentiment, batches

    train_file = write_rows(tmp_path / "train.jsonl", POSITIVE * 2, NEGATIVE * 2)
    out = tmp_path / "tiny"
    argv = ["train", "--kind", "lstm", "--hidden", "3", "--name", "tiny", "--out", str(out),
            "--no-glove", "--embedding-dim", "6", "--train-file", str(train_file),
            "--dev-file", str(train_file), "--epochs", "1", "--layers", str(layers),
            "--no-progress", "--quiet"] + (["--bidirectional"] if bidirectional else [])
    assert cli_main(argv) == 0
    model = load_model(out)
    c = model.config
    assert (c.num_layers, c.bidirectional) == (layers, bidirectional)
    assert ("--bidirectional" in c.metrics["command"]) == bidirectional

    state = {k: v.float() for k, v in load_file(str(out / "model.safetensors")).items()}
    H, dirs = c.hidden_size, 2 if bidirectional else 1
    net = Sentiment("lstm", H, 2, state["embedding.weight"].numpy(),
                    np.zeros(len(model.vocab), dtype=bool), True, 0.5, layers, bidirectional)
    net.rnn.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})
    net.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
    net.eval()
    assert net.head.in_features == dirs * H
    examples = [([model.index.get(t, 0) for t in tokenize(s)], 0, 0.0)
                for s in ["i loved it", "the worst movie this year", "a mess"]]
    (ids, lengths, _, _), = batches(examples, 8, shuffle=False, rng=random.Random(0))
    with torch.no_grad():
        trained = torch.softmax(net(ids, lengths), dim=-1).numpy()
    for row, (tokens, _, _) in enumerate(examples):
        with torch.no_grad():
            out_t, _ = net.rnn(net.embedding_weight()[torch.tensor([tokens])])
            reference = torch.softmax(net.head(out_t[0]), dim=-1).numpy()
        served = model.trace_tokens([model.vocab[t] for t in tokens]).probs
        np.testing.assert_allclose(served, reference, atol=2e-5, rtol=0)  # every step
        np.testing.assert_allclose(trained[row], reference[-1], atol=2e-5, rtol=0)


@pytest.mark.parametrize("layers", [1, 2])
def test_final_states_training(tmp_path: Path, layers: int) -> None:
    """--head-input final_states: training scores the head on cat(h_n[-2], h_n[-1]) of each whole
    unpadded sentence, config.json says so, and the served verdict is PyTorch's
    softmax(head(cat(h_n[-2], h_n[-1]))) while the per-step probs stay head(output[t])."""
    torch = pytest.importorskip("torch")
    from safetensors.torch import load_file

    from app.train.model import Sentiment, batches

    train_file = write_rows(tmp_path / "train.jsonl", POSITIVE * 2, NEGATIVE * 2)
    out = tmp_path / "tiny"
    assert cli_main(["train", "--kind", "gru", "--hidden", "3", "--name", "tiny", "--out", str(out),
                     "--no-glove", "--embedding-dim", "6", "--train-file", str(train_file),
                     "--dev-file", str(train_file), "--epochs", "1", "--layers", str(layers),
                     "--bidirectional", "--head-input", "final_states",
                     "--no-progress", "--quiet"]) == 0
    assert json.loads((out / "config.json").read_text())["head_input"] == "final_states"
    model = load_model(out)
    assert model.config.verdict_from_final_states
    assert "--head-input final_states" in model.config.metrics["command"]

    state = {k: v.float() for k, v in load_file(str(out / "model.safetensors")).items()}
    net = Sentiment("gru", 3, 2, state["embedding.weight"].numpy(),
                    np.zeros(len(model.vocab), dtype=bool), True, 0.5, layers, True, "final_states")
    net.rnn.load_state_dict({k[4:]: v for k, v in state.items() if k.startswith("rnn.")})
    net.head.load_state_dict({k[5:]: v for k, v in state.items() if k.startswith("head.")})
    net.eval()
    sentences = ["i loved it", "the worst movie this year", "a mess", "good fun"]
    examples = [([model.index.get(t, 0) for t in tokenize(s)], 0, 0.0) for s in sentences]
    (ids, lengths, _, _), = batches(examples, 8, shuffle=False, rng=random.Random(0))
    with torch.no_grad():
        trained = torch.softmax(net(ids, lengths), dim=-1).numpy()  # the padded batch
    for row, (tokens, _, _) in enumerate(examples):
        with torch.no_grad():
            output, h_n = net.rnn(net.embedding_weight()[torch.tensor([tokens])])
            verdict = torch.softmax(net.head(torch.cat([h_n[-2, 0], h_n[-1, 0]])), dim=-1).numpy()
            per_step = torch.softmax(net.head(output[0]), dim=-1).numpy()
        trace = model.trace_tokens([model.vocab[t] for t in tokens])
        np.testing.assert_allclose(trace.verdict, verdict, atol=1e-5, rtol=0)
        np.testing.assert_allclose(trace.probs, per_step, atol=1e-5, rtol=0)
        np.testing.assert_allclose(trained[row], verdict, atol=1e-5, rtol=0)
