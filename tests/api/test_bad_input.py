"""Every bad input answers a 4xx JSON whose detail says what to change; none reaches a 500."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import TestClient

ROUTES = [("POST", "/api/trace"), ("POST", "/api/trace/stream")]

# (body, status, words the detail must contain)
BAD_BODIES: list[tuple[Any, int, list[str]]] = [
    ({}, 422, ["text", "required"]),
    ({"text": ""}, 422, ["empty"]),
    ({"text": "   \n\t  "}, 422, ["empty", "word"]),
    ({"text": "x" * 5001}, 422, ["5,001", "5,000", "max_chars"]),
    ({"text": "a " * 1001}, 422, ["1,001 tokens", "1,000", "max_tokens"]),
    ({"text": "bad\x00byte"}, 422, ["U+0000", "control character"]),
    ({"text": "an \x1b[31mescape"}, 422, ["U+001B", "control character"]),
    ({"text": "c1 \x85 control"}, 422, ["U+0085"]),
    ({"text": "half \ud83d emoji"}, 422, ["surrogate"]),
    ({"text": 42}, 422, ["text", "string"]),
    ({"text": ["a"]}, 422, ["text", "string"]),
    ({"text": None}, 422, ["text", "string"]),
    ({"text": "good", "model": 3}, 422, ["model", "string"]),
    ({"text": "good", "model": "nope"}, 422, ["'nope'", "t-lstm"]),
    ({"text": "good", "model": "../t-lstm"}, 422, ["model", "../t-lstm"]),
    ({"text": "good", "model": "/etc"}, 422, ["model", "/etc"]),
    ({"text": "good", "model": "a/b"}, 422, ["model"]),
    ({"text": "good", "model": "T-LSTM"}, 422, ["model"]),
    ({"text": "good", "model": "x" * 201}, 422, ["model", "200"]),
    ({"text": "good", "temperature": 1}, 422, ["temperature", "remove"]),
    ({"text": "good", "clamp": {"gate": "forget"}}, 422, ["clamp", "list"]),
    ({"text": "good", "clamp": [{"gate": "reset", "value": 1}]}, 422, ["reset", "input, forget, output"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1.5}]}, 422, ["clamp.0.value", "1"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": -0.1}]}, 422, ["clamp.0.value", "0"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": "1"}]}, 422, ["clamp.0.value", "number"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": True}]}, 422, ["clamp.0.value", "number"]),
    ({"text": "good", "clamp": [{"gate": "forget"}]}, 422, ["clamp.0.value", "required"]),
    ({"text": "good", "clamp": [{"value": 1}]}, 422, ["clamp.0.gate", "required"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "steps": [1]}]}, 422,
     ["steps", "valid: 0 to 0"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "steps": [-1]}]}, 422, ["steps"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "units": [8]}]}, 422,
     ["units", "0 to 7"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "units": [1.5]}]}, 422,
     ["units", "integer"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "layer": 1}]}, 422, ["layer"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "layer": -1}]}, 422, ["layer"]),
    ({"text": "good", "clamp": [{"gate": "forget", "value": 1, "when": 1}]}, 422, ["when"]),
    ([1, 2], 422, ["JSON object"]),
    ("just a string", 422, ["JSON object"]),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
@pytest.mark.parametrize(("body", "status", "words"), BAD_BODIES,
                         ids=[f"bad{i}" for i in range(len(BAD_BODIES))])
def test_bad_bodies(client: TestClient, method: str, path: str, body: Any, status: int,
                    words: list[str]) -> None:
    # ASCII-escaped JSON, so a lone surrogate travels as "\ud83d", as a browser would send it.
    r = client.request(method, path, content=json.dumps(body),
                       headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    assert r.headers["content-type"] == "application/json"  # never an event stream
    detail = r.json()["detail"]
    assert isinstance(detail, str)
    for word in words:
        assert word in detail, (word, detail)


def test_the_rnn_has_no_gate_to_clamp(client: TestClient) -> None:
    r = client.post("/api/trace", json={"text": "good", "model": "t-rnn",
                                        "clamp": [{"gate": "forget", "value": 1}]})
    assert r.status_code == 422 and "plain RNN has no gates" in r.json()["detail"]


@pytest.mark.parametrize("raw", [b"", b"{", b"{\"text\": NaN}", b"\xff\xfe", b"null"])
def test_bodies_that_are_not_a_json_object(client: TestClient, raw: bytes) -> None:
    r = client.post("/api/trace", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422 and r.json()["detail"]


@pytest.mark.parametrize("path", ["/api/trace", "/api/trace/stream"])
def test_a_body_that_is_not_utf8(client: TestClient, path: str) -> None:
    r = client.post(path, content=b"\xda\x92\xff6", headers={"content-type": "application/json"})
    assert r.status_code == 400 and "UTF-8 JSON" in r.json()["detail"]


def test_nan_clamp_value(client: TestClient) -> None:
    r = client.post("/api/trace", content=b'{"text": "good", "clamp": [{"gate": "forget", '
                    b'"value": NaN}]}', headers={"content-type": "application/json"})
    assert r.status_code == 422 and "clamp.0.value" in r.json()["detail"]


def test_body_over_the_limit_announced_or_chunked(client: TestClient) -> None:
    big = json.dumps({"text": "word " * 60_000}).encode()
    r = client.post("/api/trace", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and "max_body_bytes" in r.json()["detail"]

    def chunks() -> Any:
        for i in range(0, len(big), 8192):
            yield big[i:i + 8192]

    r = client.post("/api/trace/stream", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "262,144" in r.json()["detail"]


@pytest.mark.parametrize(("params", "words"), [
    ({}, ["text", "required"]),
    ({"text": ""}, ["empty"]),
    ({"text": "a\x00"}, ["U+0000"]),
    ({"text": "good", "model": "../../etc/passwd"}, ["model"]),
    ({"text": "good", "clamp": "not json"}, ["clamp", "JSON"]),
    ({"text": "good", "clamp": '{"gate": "forget"}'}, ["clamp", "list"]),
    ({"text": "good", "clamp": '[{"gate": "forget", "value": 2}]'}, ["clamp.0.value"]),
    ({"text": "good", "clamp": '[{"gate": "forget", "value": "1"}]'}, ["clamp.0.value"]),
    ({"text": "good", "clamp": '[{"gate": "nope", "value": 1}]'}, ["nope"]),
    ({"text": "x" * 5001}, ["max_chars"]),
])
def test_bad_stream_queries(client: TestClient, params: dict[str, str], words: list[str]) -> None:
    r = client.get("/api/trace/stream", params=params)
    assert r.status_code == 422 and r.headers["content-type"] == "application/json"
    for word in words:
        assert word in r.json()["detail"], (word, r.json())


def test_wrong_method_and_path_are_4xx_json(client: TestClient) -> None:
    r = client.get("/api/trace")
    assert r.status_code == 405 and r.headers["allow"] == "POST" and "use POST" in r.json()["detail"]
    assert client.delete("/api/models").status_code == 405
    r = client.put("/api/trace/stream")
    assert r.status_code == 405 and r.headers["allow"] == "GET, POST"
    r = client.get("/api/nothing")
    assert r.status_code == 404 and r.json() == {"detail": "Not Found"}
    assert client.post("/api/trace", json={"text": "good"}, headers={"content-type": "text/plain"}) \
        .status_code in (200, 415, 422)
