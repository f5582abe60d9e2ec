"""A bidirectional model from --models-dir ("t-bilstm", two layers): listed, traced, streamed and
exported like any other, with a "reverse" object in every layer; clamps may name a direction."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import httpx
import numpy as np
import pytest

from app.core import load_model

from .conftest import CEREAL, Server, TestClient, parse_sse

WIRE = 0.5e-4 + 1e-7  # four decimals on the wire
CLAMP = [{"gate": "forget", "value": 1.0, "steps": [2, 3], "direction": "reverse"}]


def check_layers(body: dict[str, Any], models_dir: Path, clamp: list[dict[str, Any]]) -> None:
    expected = load_model(models_dir / "t-bilstm").trace(CEREAL, clamp=clamp)
    assert expected.reverse is not None
    assert body["model"]["bidirectional"] is True and body["model"]["num_layers"] == 2
    for t, step in enumerate(body["steps"]):
        for k, layer in enumerate(step["layers"]):
            for direction, values in (("forward", layer), ("reverse", layer["reverse"])):
                quantities = expected.directions[direction]
                for gate, v in values["gates"].items():
                    np.testing.assert_allclose(v, quantities[gate][t, k], atol=WIRE)
                for name in ("candidate", "cell", "hidden"):
                    np.testing.assert_allclose(values[name], quantities[name][t, k], atol=WIRE)
        np.testing.assert_allclose(list(step["probs"].values()), expected.probs[t], atol=WIRE)


def test_models_says_which_is_bidirectional(client: TestClient) -> None:
    models = {m["name"]: m for m in client.get("/api/models").json()["models"]}
    assert models["t-bilstm"]["bidirectional"] is True and models["t-lstm"]["bidirectional"] is False


def test_trace_and_both_streams_carry_the_reverse_direction(client: TestClient,
                                                             models_dir: Path) -> None:
    r = client.post("/api/trace", json={"text": CEREAL, "model": "t-bilstm", "clamp": CLAMP})
    assert r.status_code == 200
    whole = r.json()
    check_layers(whole, models_dir, CLAMP)
    assert "reverse" not in client.post("/api/trace", json={"text": CEREAL}).json()["steps"][0]["layers"][0]
    streams = [client.post("/api/trace/stream", json={"text": CEREAL, "model": "t-bilstm", "clamp": CLAMP}),
               client.get("/api/trace/stream", params={"text": CEREAL, "model": "t-bilstm",
                                                       "clamp": json.dumps(CLAMP)})]
    for s in streams:
        assert s.status_code == 200
        events = parse_sse(s.text)
        assert [e for e, _ in events] == ["meta"] + ["step"] * len(whole["steps"]) + ["done"]
        assert events[0][1]["model"] == whole["model"]
        assert [d for _, d in events[1:-1]] == whole["steps"]
        assert events[-1][1] == {"probs": whole["steps"][-1]["probs"], "verdict": whole["verdict"]}
    assert whole["verdict"] == whole["steps"][-1]["probs"]  # a last-output model's verdict


def test_a_final_states_verdict_on_the_wire(client: TestClient, models_dir: Path) -> None:
    """t-bigru-fs's head reads the final states: the trace JSON, the stream's done event and the
    JSON export carry its verdict, which is not the last step's probs."""
    models = {m["name"]: m for m in client.get("/api/models").json()["models"]}
    assert models["t-bigru-fs"]["head_input"] == "final_states"
    assert models["t-bilstm"]["head_input"] == "last_output"
    expected = load_model(models_dir / "t-bigru-fs").trace(CEREAL)
    body = {"text": CEREAL, "model": "t-bigru-fs"}
    whole = client.post("/api/trace", json=body).json()
    assert whole["model"]["head_input"] == "final_states"
    np.testing.assert_allclose(list(whole["verdict"].values()), expected.verdict, atol=WIRE)
    assert np.abs(expected.verdict - expected.probs[-1]).max() > 1e-3
    done = parse_sse(client.post("/api/trace/stream", json=body).text)[-1]
    assert done == ("done", {"probs": whole["steps"][-1]["probs"], "verdict": whole["verdict"]})
    exported = client.get("/api/export", params={**body, "format": "json"}).json()
    assert list(exported["verdict"].values()) == expected.verdict.tolist()  # full precision


@pytest.mark.parametrize(("model", "clamp", "fragment"), [
    ("t-bilstm", {"gate": "forget", "value": 1, "direction": "backward"},
     "clamp.0.direction: Input should be 'forward' or 'reverse'"),
    ("t-lstm", {"gate": "forget", "value": 1, "direction": "reverse"},
     "'reverse' needs a bidirectional model"),
])
def test_bad_directions_are_422(client: TestClient, model: str, clamp: dict[str, Any],
                                fragment: str) -> None:
    r = client.post("/api/trace", json={"text": "the film", "model": model, "clamp": [clamp]})
    assert r.status_code == 422 and fragment in r.json()["detail"]


def test_exports_of_a_bidirectional_model(client: TestClient, models_dir: Path) -> None:
    params = {"text": CEREAL, "model": "t-bilstm"}
    r = client.get("/api/export", params={**params, "format": "csv"})
    assert r.status_code == 200
    rows = list(csv.reader(io.StringIO(r.text)))
    assert rows[0] == ["t", "token", "known", "layer", "direction", "unit", "quantity", "value"]
    assert {row[4] for row in rows[1:]} == {"forward", "reverse"}
    check_layers(client.get("/api/export", params={**params, "format": "json"}).json(), models_dir, [])
    for view in ("highway", "memory", "cell"):
        r = client.get("/api/export", params={**params, "format": "figure", "view": view,
                                              "direction": "reverse", "step": 3})
        assert r.status_code == 200 and "t-bilstm · reverse" in r.json()["layout"]["title"]["text"]
    r = client.get("/api/export", params={"text": CEREAL, "model": "t-lstm", "format": "html",
                                          "direction": "reverse"})
    assert r.status_code == 422 and "reads forward only" in r.json()["detail"]


def test_a_real_server_serves_it(server: Server, models_dir: Path) -> None:
    base = server.base
    assert any(m["name"] == "t-bilstm" and m["bidirectional"]
               for m in httpx.get(f"{base}/api/models").json()["models"])
    whole = httpx.post(f"{base}/api/trace", json={"text": CEREAL, "model": "t-bilstm"}).json()
    check_layers(whole, models_dir, [])
    with httpx.stream("GET", f"{base}/api/trace/stream",
                      params={"text": CEREAL, "model": "t-bilstm"}) as r:
        assert r.status_code == 200
        events = parse_sse(r.read().decode("utf-8"))
    assert [d for e, d in events if e == "step"] == whole["steps"]
    assert "Traceback" not in server.log.read_text()


def test_export_of_the_two_roads(client: TestClient) -> None:
    params = {"text": CEREAL, "model": "t-bilstm", "format": "figure", "view": "highway"}
    r = client.get("/api/export", params={**params, "direction": "both", "step": 5})
    assert r.status_code == 200 and "Two roads" in r.json()["layout"]["title"]["text"]
    r = client.get("/api/export", params={**params, "view": "gates", "direction": "both"})
    assert r.status_code == 422 and "'both' is the highway as two roads" in r.json()["detail"]
