"""The HTTP contract of ARCHITECTURE.md, through TestClient: models, trace, streams, pages, headers."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from app.core import load_model

from .conftest import CEREAL, TestClient, parse_sse, shipped_names


def test_healthz(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_models_lists_every_loaded_model_with_config_and_limits(client: TestClient) -> None:
    body = client.get("/api/models").json()
    names = {m["name"] for m in body["models"]}
    assert {"t-lstm", "t-gru", "t-rnn"} <= names
    assert body["default_model"] == "t-lstm"
    gru = next(m for m in body["models"] if m["name"] == "t-gru")
    assert gru["kind"] == "gru" and gru["num_layers"] == 2 and gru["hidden_size"] == 8
    assert gru["labels"] == ["negative", "positive"] and gru["metrics"] == {"accuracy": 0.5}
    assert body["limits"] == {"max_chars": 5000, "max_tokens": 1000,
                              "max_body_bytes": 256 * 1024, "precision": 4}


@pytest.mark.parametrize("name", ["t-lstm", "t-gru", "t-rnn"])
def test_trace_matches_the_engine_rounded_to_the_wire_precision(
        client: TestClient, models_dir: Any, name: str) -> None:
    r = client.post("/api/trace", json={"text": "The film was good!", "model": name})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    body = r.json()
    expected = load_model(models_dir / name).trace("The film was good!")
    assert body["tokens"] == ["the", "film", "was", "good", "!"]
    assert body["model"]["name"] == name and len(body["steps"]) == 5
    for t, step in enumerate(body["steps"]):
        assert step["t"] == t and step["token"] == expected.tokens[t] and step["known"] is True
        for k, layer in enumerate(step["layers"]):
            assert set(layer["gates"]) == set(expected.gates)
            for gate, values in layer["gates"].items():
                np.testing.assert_allclose(values, expected.gates[gate][t, k], atol=0.5e-4 + 1e-7)
            np.testing.assert_allclose(layer["hidden"], expected.hidden[t, k], atol=0.5e-4 + 1e-7)
            assert ("cell" in layer) == (expected.cell is not None)
            assert ("candidate" in layer) == (expected.candidate is not None)
        assert list(step["probs"]) == ["negative", "positive"]
        np.testing.assert_allclose(list(step["probs"].values()), expected.probs[t], atol=0.5e-4 + 1e-7)
    # Four decimals on the wire: every number is already rounded.
    for value in body["steps"][-1]["layers"][0]["hidden"]:
        assert round(value, 4) == value


def test_default_model_is_used_when_none_is_named(client: TestClient) -> None:
    assert client.post("/api/trace", json={"text": "good"}).json()["model"]["name"] == "t-lstm"
    assert client.post("/api/trace", json={"text": "good", "model": None}).json()["model"]["name"] \
        == "t-lstm"


def test_unknown_words_are_marked_and_unicode_traces(client: TestClient) -> None:
    text = "Café 🙂 שלום עולם naïve\tfilm\r\nwas\ngood"
    body = client.post("/api/trace", json={"text": text}).json()
    assert body["text"] == text
    assert body["tokens"] == ["café", "🙂", "שלום", "עולם", "naïve", "film", "was", "good"]
    assert [s["known"] for s in body["steps"]] == [True, True, False, False, False, True, True, True]


def _stream(client: TestClient, method: str, **kwargs: Any) -> list[tuple[str, Any]]:
    with client.stream(method, "/api/trace/stream", **kwargs) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["cache-control"] == "no-cache"
        return parse_sse(r.read().decode("utf-8"))


@pytest.mark.parametrize("name", ["t-lstm", "t-gru", "t-rnn"])
def test_stream_steps_agree_number_for_number_with_the_whole_trace(client: TestClient, name: str) -> None:
    clamp = [{"gate": "forget" if name == "t-lstm" else "update", "value": 1, "steps": [1, 2]}]
    clamp = clamp if name != "t-rnn" else []
    whole = client.post("/api/trace", json={"text": CEREAL, "model": name, "clamp": clamp}).json()
    posted = _stream(client, "POST", json={"text": CEREAL, "model": name, "clamp": clamp})
    got = _stream(client, "GET", params={"text": CEREAL, "model": name, "clamp": json.dumps(clamp)})
    for events in (posted, got):
        kinds = [e for e, _ in events]
        assert kinds == ["meta"] + ["step"] * len(whole["steps"]) + ["done"]
        assert events[0][1] == {"model": whole["model"], "text": CEREAL, "tokens": whole["tokens"]}
        assert [data for _, data in events[1:-1]] == whole["steps"]
        assert events[-1][1] == {"probs": whole["steps"][-1]["probs"], "verdict": whole["verdict"]}
    assert whole["verdict"] == whole["steps"][-1]["probs"]  # clamped too: the last step's answer


def test_clamp_changes_what_follows_inside_the_recurrence(client: TestClient) -> None:
    plain = client.post("/api/trace", json={"text": "the film was good"}).json()
    pinned = client.post("/api/trace", json={"text": "the film was good", "clamp": [
        {"gate": "forget", "value": 1.0, "steps": [1], "units": [0, 3], "layer": 0}]}).json()
    forget = pinned["steps"][1]["layers"][0]["gates"]["forget"]
    assert forget[0] == 1.0 and forget[3] == 1.0
    assert pinned["steps"][0] == plain["steps"][0]
    assert pinned["steps"][2]["layers"][0]["cell"] != plain["steps"][2]["layers"][0]["cell"]


def test_security_headers_on_every_answer(client: TestClient) -> None:
    for path in ["/healthz", "/api/models", "/docs", "/openapi.json", "/nope", "/static/palette.json"]:
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'self'" in csp, path
        assert "unsafe-eval" not in csp and "http" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["referrer-policy"] == "strict-origin-when-cross-origin"
        assert r.headers["x-frame-options"] == "SAMEORIGIN"
    for r in (client.post("/api/trace", json={"text": ""}),
              client.post("/api/trace", content=b"x" * (300 * 1024))):
        assert r.status_code in (413, 422) and "frame-ancestors 'self'" in \
            r.headers["content-security-policy"]


def test_embed_may_be_framed_by_any_site(client: TestClient) -> None:
    r = client.get("/embed")
    assert "frame-ancestors" not in r.headers["content-security-policy"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "x-frame-options" not in r.headers


def test_static_files_types_and_caching(client: TestClient) -> None:
    r = client.get("/static/palette.json")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert r.headers["cache-control"] == "no-cache" and "etag" in r.headers
    assert client.get("/static/palette.json",
                      headers={"if-none-match": r.headers["etag"]}).status_code == 304
    js = client.get("/static/vendor/plotly.min.js")
    assert js.status_code == 200 and js.headers["content-type"].startswith("text/javascript")
    assert "max-age" in js.headers["cache-control"] and len(js.content) > 1_000_000
    assert client.get("/static/../app/main.py").status_code == 404


def test_static_modules_are_javascript(client: TestClient) -> None:
    import app.api.pages as pages

    modules = sorted(pages.STATIC_DIR.glob("js/*.js"))
    if not modules:
        pytest.skip("the page's modules are not there yet")
    r = client.get(f"/static/{modules[0].relative_to(pages.STATIC_DIR).as_posix()}")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/javascript")


def test_docs_are_served_locally(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200 and "<script>" not in page.text and "//" not in \
        page.text.replace("://", "")  # no outside origin, no inline script
    for src in ("/docs/init.js", "/openapi.json"):
        assert client.get(src).status_code == 200
    schema = client.get("/openapi.json").json()
    assert {"/api/trace", "/api/trace/stream", "/api/models", "/healthz"} <= set(schema["paths"])
    model = schema["components"]["schemas"]["TraceRequest"]["properties"]["model"]
    assert set(model["anyOf"][0]["enum"]) >= {"t-lstm", "t-gru", "t-rnn"}
    assert schema["components"]["schemas"]["TraceRequest"]["examples"]


def test_pages_render_with_the_models(client: TestClient) -> None:
    r = client.get("/", params={"text": "<script>alert(1)</script>", "model": "t-gru", "step": "x"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "<script>alert(1)</script>" not in r.text
    assert "t-gru" in r.text  # the model list reaches the template


def test_shipped_models_serve_the_contract(shipped_client: TestClient) -> None:
    body = shipped_client.get("/api/models").json()
    assert body["default_model"] == "lstm"
    assert {m["name"] for m in body["models"]} == set(shipped_names())
    for name in shipped_names():
        whole = shipped_client.post("/api/trace", json={"text": CEREAL, "model": name}).json()
        events = _stream(shipped_client, "GET", params={"text": CEREAL, "model": name})
        assert [d for e, d in events if e == "step"] == whole["steps"]
    assert shipped_client.get("/").status_code == 200
