"""Exports (issue 12, cases 1 and 2; issue 13, item 5): past the animation limit no frame is ever
built; exports have their own bounded pool, so a full pool is a 503 with Retry-After and never
holds up a trace; the CLI and GET /api/export write the same bytes (one render())."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.api.settings import Settings
from app.cli import main
from app.figures import player
from app.main import create_app

from .conftest import TestClient

WORDS = ("the film was good but the box of cereal was bad and " * 8).split()[:81]  # one past 80


def test_no_frame_is_built_past_the_animation_limit(client: TestClient,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    real = player.add_player

    def counting(fig: object, trace: object, frame: object) -> object:
        def spy(t: int) -> object:
            built.append(t)
            return frame(t)  # type: ignore[operator]
        return real(fig, trace, spy)  # type: ignore[arg-type]

    for module in ("state", "memory", "prediction"):
        # sys.modules: app.figures.memory is also the name of a function in app.figures
        monkeypatch.setattr(sys.modules[f"app.figures.{module}"], "add_player", counting)
    for view in ("highway", "gates", "cell", "memory", "whiteboard", "prediction"):
        r = client.get("/api/export", params={"text": " ".join(WORDS), "model": "t-lstm",
                                              "view": view, "format": "figure"})
        assert r.status_code == 200, view
        assert "the word-by-word player is for texts of up to 80 words" in r.text
    assert built == []
    r = client.get("/api/export", params={"text": " ".join(WORDS[:80]), "model": "t-lstm",
                                          "view": "gates", "format": "figure"})
    assert r.status_code == 200 and built == list(range(80))  # at the limit, one per word


@pytest.fixture
def one_slot(settings: Settings) -> Iterator[TestClient]:
    small = settings.model_copy(update={"export_threads": 1, "export_queue": 0})
    with TestClient(create_app(small)) as test_client:
        yield test_client


def test_a_full_export_pool_is_a_503_and_traces_go_on(one_slot: TestClient) -> None:
    pool = one_slot.app.state.export_pool  # type: ignore[attr-defined]
    release = threading.Event()
    pool.reserve()  # an export under way, holding the pool's only thread
    pool.executor.submit(release.wait, 30)
    try:
        r = one_slot.get("/api/export", params={"text": "good film", "format": "csv"})
        assert r.status_code == 503 and r.headers["retry-after"] == "10"
        assert "export_threads + export_queue" in r.json()["detail"]
        long = " ".join(["good film"] * 150)  # 300 words: traced in a worker thread, not this pool
        r = one_slot.post("/api/trace", json={"text": long})
        assert r.status_code == 200 and len(r.json()["steps"]) == 300
    finally:
        release.set()
        pool.release()
    r = one_slot.get("/api/export", params={"text": "good film", "format": "csv"})
    assert r.status_code == 200


@pytest.mark.parametrize(("fmt", "view"), [("json", "highway"), ("csv", "highway"),
                                           ("html", "whiteboard")])
def test_the_cli_and_the_api_write_the_same_bytes(client: TestClient, models_dir: Path,
                                                  tmp_path: Path, fmt: str, view: str) -> None:
    out = tmp_path / f"x.{fmt}"
    text = "the film was good but the cereal was bad"
    assert main(["export", text, "--model", str(models_dir / "t-gru"), "--view", view,
                 "--out", str(out)]) == 0
    r = client.get("/api/export", params={"text": text, "model": "t-gru", "view": view,
                                          "format": fmt})
    assert r.status_code == 200 and r.content == out.read_bytes()
