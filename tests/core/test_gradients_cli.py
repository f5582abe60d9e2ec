"""`gatescope gradients` as a user runs it: the table, the full-precision JSON, a bad label."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from app.core import load_model
from app.core.gradients import gradients

from .test_cli import gatescope
from .twins import random_state_dict, write_model_dir

VOCAB = ["<unk>", "the", "film", "was", "good", "."]


def test_json_table_and_bad_label(tmp_path: Path) -> None:
    sd = random_state_dict("lstm", len(VOCAB), 4, 5, 2, 2, np.random.default_rng(3))
    model_dir = write_model_dir(tmp_path / "mine", "lstm", sd, VOCAB, ["negative", "positive"])
    result = gatescope("gradients", "The film was GOOD.", "--model", str(model_dir), "--json",
                       "--label", "positive", "--clamp", "forget=1")
    assert result.returncode == 0, result.stderr
    expected = gradients(load_model(model_dir), ["the", "film", "was", "good", "."], "positive",
                         [{"gate": "forget", "value": 1.0}], text="The film was GOOD.")
    body = json.loads(result.stdout)
    assert body["model"]["name"] == "mine" and body["text"] == "The film was GOOD."
    assert body == expected.to_dict()

    result = gatescope("gradients", "the film was dull", "--model", str(model_dir))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("mine (lstm): 4 tokens, label ")
    assert "dull (unknown)" in lines[-1] and len(lines) == 3 + 4

    result = gatescope("gradients", "the film", "--model", str(model_dir), "--label", "meh")
    assert result.returncode == 2
    assert result.stderr.strip() == ("gatescope: label 'meh' is not one of this model's labels: "
                                     "negative, positive")
