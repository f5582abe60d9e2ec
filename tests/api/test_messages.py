"""Error messages that say the right thing (issue 12, case 9): a body that does not parse is
named as the body, with where it breaks; a body nested too deep says so."""

from __future__ import annotations

import pytest

from .conftest import TestClient


@pytest.mark.parametrize(("raw", "words"), [
    (b'{"text": "a\x00b"}', ["the body is not valid JSON", "control character", "character 11"]),
    (b'{"text": "the film', ["the body is not valid JSON", "character 9"]),
])
def test_a_body_that_does_not_parse(client: TestClient, raw: bytes, words: list[str]) -> None:
    r = client.post("/api/trace", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 422
    detail = r.json()["detail"]
    for word in words:
        assert word in detail, detail
    assert "gate" not in detail  # not the clamp parameter's example
    assert not detail.startswith(tuple("0123456789"))  # an offset is not a field
    assert " at at " not in detail


def test_a_clamp_parameter_that_does_not_parse(client: TestClient) -> None:
    r = client.get("/api/trace/stream", params={"text": "good", "clamp": '[{"gate": '})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("clamp: is not valid JSON")


def test_a_body_nested_too_deep(client: TestClient) -> None:
    raw = b"[" * 100_000 + b"]" * 100_000
    r = client.post("/api/trace", content=raw, headers={"content-type": "application/json"})
    assert r.status_code == 400
    assert "nested too deeply" in r.json()["detail"]
