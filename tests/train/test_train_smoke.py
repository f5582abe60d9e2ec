"""Training runs end to end on a tiny slice in a few seconds, with no download."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.cli import main as cli_main
from app.core import load_model

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
                     "--epochs", "3", "--no-progress", "--quiet"])
    assert code == 0
    assert time.perf_counter() - started < 30
    model = load_model(out)  # the numpy engine serves what training wrote, unchanged
    assert model.config.kind == "gru" and model.config.hidden_size == 4
    assert model.config.labels == ("negative", "positive")
    metrics = model.config.metrics
    for key in ("accuracy", "n", "dev_accuracy", "train_seconds", "command", "best_epoch"):
        assert key in metrics
    assert metrics["n"] == 8
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
