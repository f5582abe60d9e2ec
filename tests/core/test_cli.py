"""`gatescope trace` on a model directory of one's own, as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.core import load_model

from .twins import random_state_dict, write_model_dir

VOCAB = ["<unk>", "the", "film", "was", "good", "."]


@pytest.fixture
def model_dir(tmp_path: Path) -> Path:
    sd = random_state_dict("gru", len(VOCAB), 4, 5, 2, 2, np.random.default_rng(7))
    return write_model_dir(tmp_path / "mine", "gru", sd, VOCAB, ["negative", "positive"])


def gatescope(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True)


def test_json_is_the_full_precision_trace(model_dir: Path) -> None:
    result = gatescope("trace", "The film was GOOD.", "--model-dir", str(model_dir), "--json")
    assert result.returncode == 0, result.stderr
    expected = load_model(model_dir).trace("The film was GOOD.").to_dict()
    assert json.loads(result.stdout) == expected


def test_table_and_clamp(model_dir: Path) -> None:
    result = gatescope("trace", "the film was dull", "--model-dir", str(model_dir),
                       "--clamp", "update=1")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "reset (mean)" in lines[1] and "update (mean)" in lines[1]
    assert "dull (unknown)" in result.stdout
    assert all(line.split()[-1] == "1.000" for line in lines[3:-1])  # the update gate is pinned open
    model = load_model(model_dir)
    verdict = model.trace("the film was dull", clamp=[{"gate": "update", "value": 1.0}]).verdict
    top = int(verdict.argmax())
    assert lines[-1].startswith(f"verdict (the head at the last word): "
                                f"{model.config.labels[top]} {verdict[top]:.3f}")


def test_errors_are_one_clear_line(model_dir: Path, tmp_path: Path) -> None:
    result = gatescope("trace", "the film", "--model-dir", str(model_dir), "--clamp", "forget=1")
    assert result.returncode == 2
    assert result.stderr.strip() == ("gatescope: clamp.gate 'forget' is not a gate of a gru "
                                     "(valid gates: reset, update)")
    result = gatescope("trace", "the film", "--model-dir", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "is not a model directory" in result.stderr
    assert "Traceback" not in result.stderr
