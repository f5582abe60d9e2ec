"""GET /api/export: the page's downloads are the CLI's files (app.figures.export), and every bad
request is a 4xx that says what to change."""

from __future__ import annotations

import base64
import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from app.core import load_model

from .conftest import TestClient

FILM = "the film was dry but the second half was amazing"


def values(a: object) -> np.ndarray:
    """A Plotly JSON array: a list, or plotly.py's typed-array form {dtype, bdata} (base64)."""
    if isinstance(a, dict):
        return np.frombuffer(base64.b64decode(a["bdata"]), dtype=np.dtype(a["dtype"]))
    return np.asarray(a)


def get(client: TestClient, **params: str) -> object:
    return client.get("/api/export", params={"text": FILM, **params})


def test_json_is_the_full_precision_trace(client: TestClient, models_dir: Path) -> None:
    r = get(client, model="t-gru", format="json")
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.headers["content-disposition"] == 'attachment; filename="gatescope-t-gru-trace.json"'
    assert r.json() == json.loads(json.dumps(load_model(models_dir / "t-gru").trace(FILM).to_dict()))


def test_csv_has_a_row_per_word_layer_unit_and_quantity(client: TestClient, models_dir: Path) -> None:
    r = get(client, model="t-gru", format="csv")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(r.text)))
    trace = load_model(models_dir / "t-gru").trace(FILM)
    T, L, H = trace.hidden.shape
    assert rows[0] == ["t", "token", "known", "layer", "unit", "quantity", "value"]
    assert len(rows) - 1 == T * L * H * 4  # reset, update, candidate n, hidden
    hidden = {(int(t), int(k), int(u)): np.float32(v) for t, _, _, k, u, q, v in rows[1:] if q == "hidden"}
    assert hidden[(T - 1, 1, 3)] == trace.hidden[T - 1, 1, 3]  # exact: the shortest float32 text


@pytest.mark.parametrize("view", ["highway", "gates", "cell", "memory", "whiteboard", "prediction"])
def test_html_is_one_offline_page(client: TestClient, view: str) -> None:
    r = get(client, model="t-lstm", view=view, format="html")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert r.headers["content-disposition"] == f'attachment; filename="gatescope-t-lstm-{view}.html"'
    assert "Plotly.newPlot" in r.text and "cdn" not in r.text.split("<body>")[0].lower()


def test_compare_takes_several_models(client: TestClient) -> None:
    r = get(client, model="t-lstm,t-gru,t-rnn", view="compare", format="figure")
    assert r.status_code == 200
    names = [d["name"] for d in r.json()["data"]]
    assert any("t-lstm" in n for n in names) and any("t-rnn" in n for n in names)


def test_figure_at_a_step_shows_the_words_read_so_far(client: TestClient, models_dir: Path) -> None:
    fig = get(client, model="t-lstm", view="cell", format="figure", step="2").json()
    assert "frames" not in fig and not fig["layout"].get("sliders")
    trace = load_model(models_dir / "t-lstm").trace(FILM)
    lines = [d for d in fig["data"] if d.get("x") is not None and len(values(d["x"])) == 3]
    assert lines, "the cell figure at word 3 draws three points per line"
    cell = next(d for d in lines if "cell" in d["name"])
    unit = int(fig["layout"]["title"]["text"].split("Unit ")[1].split(",")[0])
    assert np.allclose(values(cell["y"]), trace.cell[:3, 0, unit], atol=1e-6)


@pytest.mark.parametrize(("params", "words"), [
    ({"format": "csv", "model": "t-lstm,t-gru"}, ["several models", "one model"]),
    ({"format": "html", "view": "gates", "model": "t-lstm,t-gru"}, ["compare"]),
    ({"format": "png"}, ["format", "html", "csv"]),
    ({"view": "sideways"}, ["view", "highway"]),
    ({"model": "../t-lstm"}, ["model", "../t-lstm", "GET /api/models"]),
    ({"model": "a,b,c,d,e", "view": "compare"}, ["model"]),
    ({"step": "-1", "format": "figure"}, ["step", "0"]),
    ({"text": ""}, ["empty"]),
    ({"text": "x" * 5001}, ["max_chars"]),
    ({"text": "bad\x00byte"}, ["U+0000"]),
])
def test_bad_requests_say_what_to_change(client: TestClient, params: dict[str, str],
                                        words: list[str]) -> None:
    r = client.get("/api/export", params={"text": FILM, **params})
    assert r.status_code == 422, r.text
    detail = r.json()["detail"]
    for word in words:
        assert word in detail, (word, detail)


def test_typed_markup_stays_text_in_the_html(client: TestClient) -> None:
    r = client.get("/api/export", params={"text": "<script>alert(1)</script> great", "model": "t-lstm",
                                          "format": "html", "view": "prediction"})
    assert r.status_code == 200
    assert "<script>alert(1)</script>" not in r.text
