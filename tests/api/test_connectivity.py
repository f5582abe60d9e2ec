"""POST /api/connectivity: the contract, 4 significant digits, the same refusals as /api/trace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from app.core import load_model
from app.core.gradients import gradients

from .conftest import Server, TestClient
from .test_bad_input import BAD_BODIES

SENTENCE = "The film was good, the box of cereal was bad!"


def four_digits(x: float) -> float:
    return float(f"{x:.4g}")


@pytest.mark.parametrize("name", ["t-lstm", "t-gru", "t-rnn"])
def test_connectivity_is_the_engine_to_four_significant_digits(
        client: TestClient, models_dir: Path, name: str) -> None:
    r = client.post("/api/connectivity", json={"text": SENTENCE, "model": name, "label": "negative"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    model = load_model(models_dir / name)
    expected = gradients(model, body["tokens"], "negative")
    T = len(body["tokens"])
    assert body["model"]["name"] == name and body["text"] == SENTENCE
    assert body["tokens"] == ["the", "film", "was", "good", ",", "the", "box", "of", "cereal", "was",
                              "bad", "!"]
    assert body["label"] == "negative" and body["jacobian_norm"] == "spectral"
    assert body["known"] == expected.known.tolist()
    assert len(body["connectivity"]) == T and all(len(row) == T for row in body["connectivity"])
    assert body["connectivity"] == [[four_digits(v) for v in row] for row in expected.connectivity]
    assert body["jacobian_norms"] == [four_digits(v) for v in expected.jacobian_norms]
    assert body["product_norms"] == [four_digits(v) for v in expected.product_norms]
    assert body["label_probs"] == [four_digits(v) for v in expected.label_probs]
    assert all(v == 0 for t, row in enumerate(body["connectivity"]) for v in row[t + 1:])
    assert all(row[t] > 0 for t, row in enumerate(body["connectivity"]))


def test_default_label_is_the_last_prediction_and_clamps_change_the_answer(
        client: TestClient, models_dir: Path) -> None:
    body = client.post("/api/connectivity", json={"text": SENTENCE, "model": "t-lstm"}).json()
    trace = load_model(models_dir / "t-lstm").trace(SENTENCE)
    assert body["label"] == trace.labels[int(trace.probs[-1].argmax())]
    shut = client.post("/api/connectivity", json={
        "text": SENTENCE, "model": "t-lstm", "label": body["label"],
        "clamp": [{"gate": "forget", "value": 0.0}, {"gate": "output", "value": 1.0}]}).json()
    # Forget gate shut: nothing of an earlier word reaches c_t through c_{t−1}; h_{t−1} still does.
    assert shut["connectivity"] != body["connectivity"]
    assert shut["connectivity"][-1][0] < body["connectivity"][-1][0]


def test_a_vanished_gradient_is_small_not_zero(client: TestClient) -> None:
    text = " ".join(["the film was good"] * 60)  # 240 tokens: the first word is far back
    body = client.post("/api/connectivity", json={"text": text, "model": "t-rnn"}).json()
    far = body["connectivity"][-1][0]
    assert 0 < far < 1e-6 * body["connectivity"][-1][-1], far


@pytest.mark.parametrize(("body", "status", "words"), BAD_BODIES,
                         ids=[f"bad{i}" for i in range(len(BAD_BODIES))])
def test_refusals_are_those_of_trace(client: TestClient, body: Any, status: int,
                                     words: list[str]) -> None:
    raw = {"content": json.dumps(body), "headers": {"content-type": "application/json"}}
    got, trace = client.post("/api/connectivity", **raw), client.post("/api/trace", **raw)
    assert got.status_code == trace.status_code == status, got.text
    assert got.json() == trace.json()


def test_unknown_label_names_the_labels(client: TestClient) -> None:
    r = client.post("/api/connectivity", json={"text": "good", "model": "t-gru", "label": "neutral"})
    assert r.status_code == 422
    assert r.json()["detail"] == ("label 'neutral' is not one of this model's labels: "
                                  "negative, positive")
    r = client.post("/api/connectivity", json={"text": "good", "label": 1})
    assert r.status_code == 422 and "label" in r.json()["detail"]
    r = client.post("/api/connectivity", json={"text": "good", "model": "t-rnn",
                                               "clamp": [{"gate": "forget", "value": 1}]})
    assert r.status_code == 422 and "plain RNN has no gates" in r.json()["detail"]


def test_over_http_on_a_real_server(server: Server) -> None:
    r = httpx.post(f"{server.base}/api/connectivity", json={"text": SENTENCE, "model": "t-gru"},
                   timeout=30)
    assert r.status_code == 200, r.text
    conn = np.asarray(r.json()["connectivity"])
    assert conn.shape == (12, 12) and (np.diag(conn) > 0).all()
    schema = httpx.get(f"{server.base}/openapi.json", timeout=10).json()
    assert "/api/connectivity" in schema["paths"]


def test_body_limit_and_method(client: TestClient) -> None:
    big = json.dumps({"text": "word " * 60_000}).encode()
    r = client.post("/api/connectivity", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "max_body_bytes" in r.json()["detail"]
    r = client.get("/api/connectivity")
    assert r.status_code == 405 and r.json()["detail"] == "method GET is not allowed here: use POST"
