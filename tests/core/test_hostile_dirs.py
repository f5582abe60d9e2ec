"""Hostile model directories (issue 12, case 6): each is refused with a message, quickly, and
never read past its cap; a server's registry skips it and keeps the good models."""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from app.api.registry import load_registry
from app.core import ModelFormatError, load_model

from .twins import random_state_dict, write_model_dir

VOCAB = ["<unk>", "the", "good", "bad"]


def model_dir(path: Path, **config: object) -> Path:
    sd = random_state_dict("gru", len(VOCAB), 4, 3, 1, 2, np.random.default_rng(0))
    return write_model_dir(path, "gru", sd, VOCAB, ["negative", "positive"], **config)


def refused(path: Path, fragment: str) -> None:
    t0 = time.monotonic()
    with pytest.raises(ModelFormatError, match=fragment):
        load_model(path)
    assert time.monotonic() - t0 < 5


def test_deeply_nested_config(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "deep")
    (path / "config.json").write_text('{"name": "deep", "x": ' + "[" * 1000 + "]" * 1000 + "}")
    refused(path, "nested deeper than 32")


@pytest.mark.parametrize("name", ["x\ud800y", "a" * 201, "nul\x00name", "two,names", "", " lead"])
def test_names_that_could_never_be_requested(tmp_path: Path, name: str) -> None:
    path = model_dir(tmp_path / "m")
    raw = json.loads((path / "config.json").read_text())
    raw["name"] = name
    # ensure_ascii: a lone surrogate is written as the JSON escape \ud800, as an attacker would.
    (path / "config.json").write_text(json.dumps(raw, ensure_ascii=True))
    refused(path, "surrogate" if "\ud800" in name else "'name'")


def test_non_finite_metrics_are_left_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = model_dir(tmp_path / "nan")
    raw = json.loads((path / "config.json").read_text())
    raw["metrics"] = {"accuracy": 0.8, "loss": math.nan, "by": {"a": math.inf, "b": 1}}
    (path / "config.json").write_text(json.dumps(raw))  # Python writes a bare NaN / Infinity
    with caplog.at_level(logging.WARNING, logger="gatescope"):
        model = load_model(path)
    assert model.config.metrics == {"accuracy": 0.8, "by": {"b": 1}}
    assert "NaN or infinite" in caplog.text
    json.dumps(model.config.to_dict(), allow_nan=False)  # valid JSON for the page and the API


@pytest.mark.parametrize("which", ["vocab.txt", "config.json", "model.safetensors"])
def test_a_device_is_not_read(tmp_path: Path, which: str) -> None:
    path = model_dir(tmp_path / "dev")
    (path / which).unlink()
    (path / which).symlink_to("/dev/zero")
    refused(path, "not a regular file")


def test_a_fifo_does_not_block(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "fifo")
    (path / "vocab.txt").unlink()
    os.mkfifo(path / "vocab.txt")
    refused(path, "not a regular file")


def test_a_directory_as_vocab(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "dirvocab")
    (path / "vocab.txt").unlink()
    (path / "vocab.txt").mkdir()
    refused(path, "vocab.txt is a directory")


def test_oversized_config(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "big")
    raw = json.loads((path / "config.json").read_text())
    raw["description"] = "x" * (1024 * 1024)
    (path / "config.json").write_text(json.dumps(raw))
    refused(path, "over the limit of 1,048,576")


def test_empty_vocab_line(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "gap")
    (path / "vocab.txt").write_text("<unk>\nthe\n\nbad\n")
    refused(path, "line 3 is empty")


def test_vocab_with_a_byte_order_mark_loads(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "bom")
    (path / "vocab.txt").write_bytes(b"\xef\xbb\xbf" + "".join(f"{t}\n" for t in VOCAB).encode())
    assert load_model(path).vocab == tuple(VOCAB)


def test_a_huge_layer_count_is_refused_at_once(tmp_path: Path) -> None:
    path = model_dir(tmp_path / "layers")
    raw = json.loads((path / "config.json").read_text())
    raw["num_layers"] = 10**9
    (path / "config.json").write_text(json.dumps(raw))
    refused(path, "'num_layers' is 1,000,000,000, over the limit of 16")


def test_registry_skips_every_hostile_directory(tmp_path: Path) -> None:
    """The repro's directories together: start-up finishes, the good model is served."""
    base = tmp_path / "models"
    model_dir(base / "good", name="good")
    model_dir(base / "deep")
    (base / "deep" / "config.json").write_text("[" * 1000 + "]" * 1000)
    model_dir(base / "fifo")
    (base / "fifo" / "config.json").unlink()
    os.mkfifo(base / "fifo" / "config.json")
    model_dir(base / "zero")
    (base / "zero" / "vocab.txt").unlink()
    (base / "zero" / "vocab.txt").symlink_to("/dev/zero")
    model_dir(base / "surrogate")
    (base / "surrogate" / "config.json").write_text(
        (base / "surrogate" / "config.json").read_text().replace('"surrogate"', '"x\\ud800y"'))
    t0 = time.monotonic()
    registry = load_registry(base, default="good", shipped_dir=tmp_path / "none")
    assert registry.names() == ["good"]
    assert time.monotonic() - t0 < 10


def test_a_load_that_blocks_is_given_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where reading itself can block (a hung network mount), the loader's timeout skips it."""
    import app.api.registry as registry_module

    base = tmp_path / "models"
    model_dir(base / "good", name="good")
    model_dir(base / "hung", name="hung")
    real = registry_module.load_model
    release = threading.Event()

    def slow(path: Path) -> object:
        if path.name == "hung":
            release.wait(10)  # stands in for a read() that never returns
        return real(path)

    monkeypatch.setattr(registry_module, "load_model", slow)
    try:
        registry = load_registry(base, default="good", shipped_dir=tmp_path / "none", timeout=0.5)
    finally:
        release.set()
    assert registry.names() == ["good"]
