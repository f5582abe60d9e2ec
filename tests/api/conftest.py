"""Fixtures: small model directories with random weights (bring-your-own-model is a real path),
and apps over them or over the shipped models."""

from __future__ import annotations

import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from app.api.settings import Settings
from app.core.examples import CEREAL
from app.core.model import SHIPPED_DIR
from app.main import create_app
from tests.modeldirs import random_model_dir

__all__ = ["CEREAL", "write_model"]

from ..serving import start_serve, stop

with warnings.catch_warnings():
    # Starlette's test client asks for httpx2 and falls back to httpx with a deprecation warning;
    # the client library is not what these tests are about.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

VOCAB = ["<unk>", "the", "film", "was", "good", "bad", "!", ".", ",", "amazing", "this", "box",
         "of", "cereal", "i", "will", "buy", "it", "again", "café", "🙂"]


def write_model(path: Path, kind: str, name: str, hidden: int = 8, layers: int = 1,
                embedding: int = 6, seed: int = 0, bidirectional: bool = False,
                head_input: str | None = None) -> Path:
    """A model directory in the shipped format, with random (distinct, non-zero) weights."""
    return random_model_dir(path, kind, VOCAB, hidden, layers, embedding, seed=seed, name=name,
                            bidirectional=bidirectional, head_input=head_input,
                            description=f"random {kind} for tests", metrics={"accuracy": 0.5})


def parse_sse(body: str) -> list[tuple[str, Any]]:
    """Split a text/event-stream body into (event, JSON data) pairs, following the SSE spec:
    events end at a blank line, fields are "name: value", data lines join with newlines."""
    events = []
    for block in body.replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        name, data = "message", []
        for line in block.split("\n"):
            if line.startswith(":"):
                continue  # a comment (keep-alive ping)
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "event":
                name = value
            elif field == "data":
                data.append(value)
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


class Server(NamedTuple):
    base: str
    log: Path
    pid: int


@pytest.fixture(scope="session")
def server(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "GATESCOPE_DEFAULT_MODEL": "t-lstm"}
    proc, base = start_serve(["--models-dir", str(models_dir)], env, log)
    try:
        yield Server(base, log, proc.pid)
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small random models, one of each kind (the GRU has two layers), a two-layer
    bidirectional LSTM and a bidirectional GRU whose head reads the final states."""
    base = tmp_path_factory.mktemp("models")
    write_model(base / "t-lstm", "lstm", "t-lstm", seed=1)
    write_model(base / "t-gru", "gru", "t-gru", layers=2, seed=2)
    write_model(base / "t-rnn", "rnn", "t-rnn", seed=3)
    write_model(base / "t-bilstm", "lstm", "t-bilstm", layers=2, seed=4, bidirectional=True)
    write_model(base / "t-bigru-fs", "gru", "t-bigru-fs", seed=5, bidirectional=True,
                head_input="final_states")
    return base


def shipped_names() -> list[str]:
    if not SHIPPED_DIR.is_dir():
        return []
    return sorted(p.name for p in SHIPPED_DIR.iterdir() if (p / "config.json").is_file())


@pytest.fixture(scope="session")
def settings(models_dir: Path) -> Settings:
    return Settings(models_dir=models_dir, default_model="t-lstm")


@pytest.fixture(scope="session")
def client(settings: Settings) -> Iterator[TestClient]:
    """One app for the whole session: the models load once, as in production."""
    with TestClient(create_app(settings)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def shipped_client() -> Iterator[TestClient]:
    """The app exactly as `gatescope serve` runs it: shipped models only, default "lstm"."""
    if "lstm" not in shipped_names():
        pytest.skip("the shipped models have not been committed yet")
    with TestClient(create_app(Settings())) as test_client:
        yield test_client
