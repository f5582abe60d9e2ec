"""The GET stream enforces the POST body's clamp cap (issue 12, case 5), and a body of long clamp
lists (case 4, 240 KB: six entries of 10,000 steps × 10,000 units) is traced like its short form."""

from __future__ import annotations

import json

from .conftest import TestClient, parse_sse

TEXT = "the film was good but the box of cereal was bad"


def test_the_get_stream_caps_clamps_like_post(client: TestClient) -> None:
    one = {"gate": "forget", "value": 1}
    for count in (65, 1000):
        clamp = json.dumps([one] * count, separators=(",", ":"))
        r = client.get("/api/trace/stream", params={"text": TEXT, "clamp": clamp})
        assert r.status_code == 422, r.text
        assert f"clamp: has {count} items, at most 64" in r.json()["detail"]
        r = client.post("/api/trace/stream", json={"text": TEXT, "clamp": [one] * count})
        assert r.status_code == 422 and f"has {count} items, at most 64" in r.json()["detail"]
    r = client.get("/api/trace/stream", params={"text": TEXT, "clamp": json.dumps([one] * 64)})
    assert r.status_code == 200 and parse_sse(r.text)[-1][0] == "done"


def test_long_repeating_clamp_lists_trace_like_their_short_form(client: TestClient) -> None:
    T = len(TEXT.split())
    long = [{"gate": "forget", "value": 1.0, "steps": [i % T for i in range(10_000)],
             "units": [i % 8 for i in range(10_000)]}] * 6
    body = json.dumps({"text": TEXT, "clamp": long}, separators=(",", ":"))
    assert 200_000 < len(body) < 256 * 1024
    r = client.post("/api/trace", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 200, r.text
    short = client.post("/api/trace", json={"text": TEXT, "clamp": [
        {"gate": "forget", "value": 1.0, "steps": list(range(T)), "units": list(range(8))}]})
    assert r.json() == short.json()
    assert r.json()["steps"][2]["layers"][0]["gates"]["forget"] == [1.0] * 8
