"""A bidirectional model's figures and files: every view draws either direction, the CSV says the
direction, and the reverse views follow the words in the order the reverse reader read them."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
import pytest

from app import figures
from app.core import Trace, load_model
from app.figures.export import build_figure, export_command
from tests.core.twins import random_state_dict, write_model_dir

from .conftest import CEREAL, VOCAB

VIEWS = ["highway", "gates", "cell", "memory", "whiteboard", "prediction"]


@pytest.fixture(scope="module")
def bi_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sd = random_state_dict("lstm", len(VOCAB), 5, 4, 2, 2, np.random.default_rng(5),
                           bidirectional=True)
    return write_model_dir(tmp_path_factory.mktemp("bi") / "tiny-bilstm", "lstm", sd, VOCAB,
                           ["negative", "positive"])


@pytest.fixture(scope="module")
def bi_trace(bi_dir: Path) -> Trace:
    return load_model(bi_dir).trace(CEREAL)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("direction", ["forward", "reverse"])
def test_every_view_draws_either_direction(view: str, direction: str, bi_trace: Trace) -> None:
    fig = build_figure(view, [bi_trace], direction)
    go.Figure(fig.to_dict())  # a whole, valid figure, frames included
    assert len(fig.frames) == len(bi_trace)
    if view != "prediction":
        assert f"tiny-bilstm · {direction}" in fig.layout.title.text
    getattr(figures, view)(bi_trace)  # a bidirectional trace as it is: its forward direction


def test_reverse_gates_are_the_reverse_direction_in_reading_order(bi_trace: Trace) -> None:
    assert bi_trace.reverse is not None
    fig = build_figure("gates", [bi_trace], "reverse")
    axes = [fig.layout[name] for name in fig.layout if name.startswith("xaxis")]
    tokens = list(next(axis.ticktext for axis in axes if axis.ticktext))
    assert tokens[0] == "." and tokens[-1] == "amazing"  # the reverse reader starts at the end
    heat = next(d for d in fig.data if isinstance(d, go.Heatmap))
    drawn = np.asarray(heat.z, dtype=np.float64)  # (H, T) of one gate, top layer, read order
    gate = bi_trace.facts.gates[0]
    expected = bi_trace.reverse[gate][::-1, -1].T
    np.testing.assert_array_equal(drawn, expected.astype(np.float64))


def test_prediction_is_the_whole_models_and_reverse_of_a_one_way_model_is_refused(
        bi_trace: Trace, tmp_path: Path) -> None:
    fig = build_figure("prediction", [bi_trace], "reverse")
    assert "both directions" in fig.layout.title.text
    np.testing.assert_array_equal(np.asarray(fig.data[1].y, dtype=np.float32), bi_trace.probs[:, 1])
    one_way = bi_trace.one_way("forward")
    with pytest.raises(ValueError, match="reads forward only"):
        build_figure("highway", [one_way], "reverse")


def test_csv_has_a_direction_column(bi_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bi.csv"
    assert export_command(CEREAL, model=str(bi_dir), view="highway", out=out) == 0
    trace = load_model(bi_dir).trace(CEREAL)
    assert trace.reverse is not None
    with out.open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        rows = list(reader)
    assert header == ["t", "token", "known", "layer", "direction", "unit", "quantity", "value"]
    T, L, H = trace.hidden.shape
    assert len(rows) == 2 * T * L * H * len(trace.quantities)
    for t, token, _known, layer, direction, unit, quantity, value in rows:
        assert token == trace.tokens[int(t)]
        assert np.float32(value) == trace.directions[direction][quantity][int(t), int(layer), int(unit)]


def test_html_export_of_the_reverse_direction(bi_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "bi.html"
    assert export_command(CEREAL, model=str(bi_dir), view="memory", out=out,
                          direction="reverse") == 0
    page = out.read_text(encoding="utf-8")
    assert "<title>gatescope · memory (reverse) · " in page and "tiny-bilstm · reverse" in page


@pytest.mark.parametrize("kind", ["lstm", "gru", "rnn"])
def test_two_roads_one_each_way(kind: str, tmp_path: Path) -> None:
    sd = random_state_dict(kind, len(VOCAB), 5, 3, 1, 2, np.random.default_rng(6), bidirectional=True)
    trace = load_model(write_model_dir(tmp_path / kind, kind, sd, VOCAB, ["a", "b"])).trace(
        "amazing ! this box of cereal")
    fig = build_figure("highway", [trace], "both")
    go.Figure(fig.to_dict())
    T = len(trace)
    assert len(fig.frames) == T and "Two roads" in fig.layout.title.text
    assert trace.reverse is not None
    if kind == "rnn":
        np.testing.assert_array_equal(np.asarray(fig.data[1].z, np.float32),
                                      trace.reverse["hidden"][:, 0].T)
        return
    forward, backward = fig.data[:T], fig.data[T:]
    assert len(backward) == T
    # Word s's band on the reverse road exists at words t ≤ s (read by then), on the forward
    # road at t ≥ s.
    state = trace.reverse[trace.facts.state][:, 0].astype(np.float64)
    for s, band in enumerate(backward):
        y = np.asarray(band.y, np.float64)
        assert np.isnan(y[s + 1:]).all() and not np.isnan(y[: s + 1]).any()
    for s, band in enumerate(forward):
        y = np.asarray(band.y, np.float64)
        assert np.isnan(y[:s]).all() and not np.isnan(y[s:]).any()
    # At the last word the reverse reader has read that word only: its band is the whole state.
    np.testing.assert_allclose(np.asarray(backward[T - 1].y, np.float64)[T - 1],
                               np.abs(state[T - 1]).sum(), atol=1e-6)
    # Frame t: the forward road up to t, the reverse road from t on.
    frame = fig.frames[2]
    assert np.isnan(np.asarray(frame.data[0].y, np.float64)[3:]).all()
    assert np.isnan(np.asarray(frame.data[T + 4].y, np.float64)[:2]).all()
    with pytest.raises(ValueError, match="'both' draws the highway as two roads"):
        build_figure("gates", [trace], "both")
    with pytest.raises(ValueError, match="reads forward only"):
        build_figure("highway", [trace.one_way("forward")], "both")


def test_a_final_states_verdict_is_drawn_past_the_last_word(tmp_path: Path) -> None:
    """The prediction and compare figures mark a final-states model's verdict (not the last point
    of its lines); a last-output model's figure has no such marker."""
    sd = random_state_dict("gru", len(VOCAB), 5, 4, 1, 2, np.random.default_rng(6), bidirectional=True)
    labels = ["negative", "positive"]
    fs = load_model(write_model_dir(tmp_path / "fs", "gru", sd, VOCAB, labels,
                                    head_input="final_states")).trace(CEREAL)
    lo = load_model(write_model_dir(tmp_path / "lo", "gru", sd, VOCAB, labels)).trace(CEREAL)
    T = len(fs)
    marks = [d for d in figures.prediction(fs).data if d.name.startswith("verdict")]
    assert [float(d.y[0]) for d in marks] == fs.verdict.tolist()
    assert all(d.x[0] > T - 1 for d in marks)
    assert not [d for d in figures.prediction(lo).data if d.name.startswith("verdict")]
    both = figures.compare(fs, lo, names=["fs", "lo"]).data
    assert [(d.name, float(d.y[0])) for d in both if "verdict" in d.name] == \
        [("fs, verdict: both readers, whole sentence", float(fs.verdict[1]))]
