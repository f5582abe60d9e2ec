"""Fixtures: small model directories with random weights (bring-your-own-model is a real path),
and apps over them or over the shipped models."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from app.api.settings import Settings
from app.core.examples import CEREAL
from app.core.model import SHIPPED_DIR
from app.main import create_app
from tests.modeldirs import random_model_dir

__all__ = ["CEREAL", "write_model"]

with warnings.catch_warnings():
    # Starlette's test client asks for httpx2 and falls back to httpx with a deprecation warning;
    # the client library is not what these tests are about.
    warnings.filterwarnings("ignore", message=".*httpx2.*")
    from fastapi.testclient import TestClient

VOCAB = ["<unk>", "the", "film", "was", "good", "bad", "!", ".", ",", "amazing", "this", "box",
         "of", "cereal", "i", "will", "buy", "it", "again", "café", "🙂"]


def write_model(path: Path, kind: str, name: str, hidden: int = 8, layers: int = 1,
                embedding: int = 6, seed: int = 0, bidirectional: bool = False) -> Path:
    """A model directory in the shipped format, with random (distinct, non-zero) weights."""
    return random_model_dir(path, kind, VOCAB, hidden, layers, embedding, seed=seed, name=name,
                            bidirectional=bidirectional,
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


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def server(models_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    port = free_port()
    log = tmp_path_factory.mktemp("server") / "server.log"
    env = {**os.environ, "GATESCOPE_DEFAULT_MODEL": "t-lstm"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--models-dir",
             str(models_dir)], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start in 30 s"
            time.sleep(0.1)
        yield Server(base, log, proc.pid)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Small random models, one of each kind (the GRU has two layers), and a two-layer
    bidirectional LSTM."""
    base = tmp_path_factory.mktemp("models")
    write_model(base / "t-lstm", "lstm", "t-lstm", seed=1)
    write_model(base / "t-gru", "gru", "t-gru", layers=2, seed=2)
    write_model(base / "t-rnn", "rnn", "t-rnn", seed=3)
    write_model(base / "t-bilstm", "lstm", "t-bilstm", layers=2, seed=4, bidirectional=True)
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
