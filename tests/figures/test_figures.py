"""Every figure is a Plotly Figure for LSTM, GRU and RNN traces, and draws the model's own numbers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from app import figures
from app.core import Model, Trace
from app.core.derived import memory_contributions, retention, state_parts
from app.figures.memory import board
from app.figures.state import default_unit
from app.figures.style import PALETTE_PATH

from .conftest import CEREAL

PALETTE = json.loads(PALETTE_PATH.read_text(encoding="utf-8"))
ONE = ["highway", "gates", "cell", "memory", "whiteboard", "prediction"]


def arr(values: Any) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def same(drawn: Any, expected: Any) -> None:
    """Equal to the trace's float32 numbers exactly; NaN where a step is not drawn."""
    np.testing.assert_array_equal(arr(drawn), arr(expected))


def check_player(fig: go.Figure, trace: Trace) -> None:
    T = len(trace)
    assert [f.name for f in fig.frames] == [str(t) for t in range(T)]
    slider = fig.layout.sliders[0]
    assert len(slider.steps) == T and slider.active == T - 1
    assert [list(s.args[0]) for s in slider.steps] == [[str(t)] for t in range(T)]


@pytest.mark.parametrize("view", ONE)
def test_every_figure_is_a_figure_for_every_kind(view: str, any_trace: Trace) -> None:
    fig = getattr(figures, view)(any_trace)
    assert isinstance(fig, go.Figure)
    go.Figure(fig.to_dict())  # validates as a whole figure, frames included
    if any_trace.kind == "rnn" and view in ("gates", "memory"):
        assert len(fig.data) == 0 and not fig.frames
        assert "plain RNN" in fig.layout.annotations[0].text
    else:
        check_player(fig, any_trace)


def test_highway_draws_the_state_and_what_each_word_left(any_trace: Trace) -> None:
    tr = any_trace
    fig = figures.highway(tr)
    state = tr.cell if tr.kind == "lstm" else tr.hidden
    heat = fig.data[-1]
    same(heat.z, state[:, -1, :].T)
    T = len(tr)
    if tr.kind == "rnn":
        assert len(fig.data) == 1
        assert "no gates" in fig.layout.annotations[0].text
    else:
        amount = np.abs(memory_contributions(tr)).sum(axis=2)  # (T, T)
        assert len(fig.data) == T + 1
        for s in range(T):
            expected = amount[:, s].copy()
            expected[:s] = np.nan
            np.testing.assert_allclose(arr(fig.data[s].y), expected, rtol=1e-12)
        # The bands stack up to Σ_s Σ_units |contrib|, which bounds |state| summed over units.
        total = np.nansum(np.stack([arr(d.y) for d in fig.data[:T]]), axis=0)
        assert np.all(total >= np.abs(state[:, -1]).sum(axis=1) - 1e-5)
    # Frame t shows the words up to t and nothing after.
    t = T // 2
    z = arr(fig.frames[t].data[-1].z)
    same(z[:, : t + 1], state[: t + 1, -1, :].T)
    assert np.isnan(z[:, t + 1:]).all()


def test_gates_are_the_trace_gates(any_trace: Trace) -> None:
    fig = figures.gates(any_trace)
    names = list(any_trace.gates)
    assert len(fig.data) == len(names)
    for trace_data, name in zip(fig.data, names, strict=True):
        same(trace_data.z, any_trace.gates[name][:, -1, :].T)
        assert trace_data.name == PALETTE["quantities"][name]["name"]
    titles = " ".join(a.text for a in fig.layout.annotations)
    for name in names:  # each gate titled in its palette colour
        assert PALETTE["quantities"][name]["color"] in titles
    if names:
        assert fig.layout.coloraxis.colorscale == tuple(tuple(s) for s in PALETTE["scales"]["sequential"])


def test_cell_follows_one_unit(any_trace: Trace) -> None:
    tr = any_trace
    u = default_unit(tr, tr.hidden.shape[1] - 1)
    fig = figures.cell(tr)
    drawn = {d.name: d for d in fig.data if d.name}
    for name, values in list(tr.gates.items()) + [("hidden", tr.hidden)]:
        q = PALETTE["quantities"][name]
        match = [d for n, d in drawn.items() if n.endswith(q["name"])]
        assert len(match) == 1
        same(match[0].y, values[:, -1, u])
        assert match[0].line.color == q["color"]
    if tr.cell is not None:
        assert f"= {tr.cell[-1, -1, u]:.3f}<br>" in fig.data[-1].customdata[-1][1]
    with pytest.raises(ValueError, match="unit 99"):
        figures.cell(tr, unit=99)


def test_memory_is_the_retention(any_trace: Trace) -> None:
    tr = any_trace
    fig = figures.memory(tr)
    if tr.kind == "rnn":
        assert "no per-word decomposition" in fig.layout.annotations[0].text
        return
    kept = retention(tr)
    T = len(tr)
    lower = np.tril(np.ones((T, T), dtype=bool))
    heat = arr(fig.data[3].z)
    same(heat[lower], kept[lower])
    assert np.isnan(heat[~lower]).all()
    same(fig.data[2].y, kept[-1])
    # Words fade exactly as memory does: the ink's opacity is the share still kept.
    alphas = [float(c.rsplit(",", 1)[1].rstrip(")")) for c in fig.data[1].textfont.color]
    np.testing.assert_allclose(alphas, np.clip(kept[-1], 0, 1), atol=5e-4)
    t = 3
    same(arr(fig.frames[t].data[2].y)[: t + 1], kept[t, : t + 1])


def test_whiteboard_parts(any_trace: Trace) -> None:
    tr = any_trace
    fig = figures.whiteboard(tr)
    H = tr.hidden.shape[2]
    flat = [arr(d.z).ravel()[:H] for d in fig.data]
    if tr.kind == "rnn":
        assert len(fig.data) == 1
        same(flat[0], tr.hidden[-1, -1])
        return
    parts = state_parts(tr)
    same(flat[0], parts["erased"][-1, -1])
    same(flat[1], parts["written"][-1, -1])
    board_state = tr.cell if tr.kind == "lstm" else tr.hidden
    same(flat[2], board_state[-1, -1])
    if tr.kind == "lstm":
        same(flat[3], parts["read_out"][-1, -1])
    # Frame 0: nothing to erase yet (c₋₁ = 0), and the board is what the first word wrote.
    first = [arr(d.z).ravel()[:H] for d in fig.frames[0].data]
    assert not first[0].any()
    same(first[2], board_state[0, -1])


def test_board_is_a_near_square_grid() -> None:
    g = board(np.arange(10.0))
    assert g.shape == (3, 4)
    same(g.ravel()[:10], np.arange(10.0))
    assert np.isnan(g.ravel()[10:]).all()


def test_prediction_and_compare(any_trace: Trace) -> None:
    tr = any_trace
    fig = figures.prediction(tr)
    for j, label in enumerate(tr.labels):
        same(fig.data[j].y, tr.probs[:, j])
        if label in PALETTE["labels"]:
            assert fig.data[j].line.color == PALETTE["labels"][label]
    both = figures.compare(tr, tr, names=["plain", "again"])
    lines = [d for d in both.data if d.mode != "markers"]
    assert [d.name for d in lines] == ["plain", "again"]
    for d in lines:
        same(d.y, tr.probs[:, -1])
        assert d.line.color == PALETTE["kinds"][tr.kind]
    assert lines[0].line.dash != lines[1].line.dash
    # A final-states model's verdict is a marker after each line; the others' is the last point.
    markers = [d for d in both.data if d.mode == "markers"]
    assert len(markers) == (2 if tr.model.verdict_from_final_states else 0)
    for d in markers:
        same(d.y, [tr.verdict[-1]])


def test_compare_three_kinds(tiny_models: dict[str, Model]) -> None:
    traces = [tiny_models[k].trace(CEREAL) for k in ("lstm", "gru", "rnn")]
    fig = figures.compare(*traces, label="negative")
    for d, tr in zip(fig.data, traces, strict=True):
        same(d.y, tr.probs[:, 0])
        assert d.line.color == PALETTE["kinds"][tr.kind]
    with pytest.raises(ValueError, match="same sentence"):
        figures.compare(traces[0], tiny_models["gru"].trace("amazing cereal"))
    with pytest.raises(ValueError, match="not one of"):
        figures.compare(traces[0], tiny_models["lstm-2layer"].trace(CEREAL), label="positive")


def test_a_lower_layer(tiny_models: dict[str, Model]) -> None:
    tr = tiny_models["lstm-2layer"].trace(CEREAL)
    assert tr.cell is not None
    same(figures.highway(tr, layer=0).data[-1].z, tr.cell[:, 0, :].T)
    same(figures.gates(tr, layer=0).data[1].z, tr.gates["forget"][:, 0, :].T)
    assert "layer 0" in figures.highway(tr, layer=0).layout.title.text
    with pytest.raises(ValueError, match="2 layer"):
        figures.memory(tr, layer=2)


def strings(node: Any) -> Iterator[str]:
    """Every string anywhere in a figure's JSON form."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list | tuple):
        for value in node:
            yield from strings(value)
    elif isinstance(node, np.ndarray) and node.dtype == object:
        for value in node.ravel():
            yield from strings(value)


@pytest.mark.parametrize("view", ONE + ["compare"])
def test_typed_words_are_never_markup(view: str, tiny_models: dict[str, Model]) -> None:
    text = "<img src=x onerror=alert(1)> amazing & <b>bold</b> cereal"
    tr = tiny_models["lstm"].trace(text)
    assert "<" in tr.tokens and ">" in tr.tokens
    fig = getattr(figures, view)(tr)
    every = list(strings(fig.to_dict()))
    assert not [s for s in every if "<img" in s or "<b>bold" in s or "onerror=alert(1)>" in s]
    assert any("&lt;img src=x onerror=alert(1)&gt;" in s for s in every)
    for word in ("&lt;", "&gt;"):  # the tokens "<" and ">", as words on an axis or the slider
        assert any(s == word or s.endswith(f" · {word}") for s in every)


def test_the_palettes_cells_block_states_the_kinds_table() -> None:
    """static/palette.json tells the page what app.core's KINDS tells the engine: the same facts."""
    from app.core import KINDS
    from app.figures.style import palette

    block = palette().get("cells")
    if block is None:
        pytest.skip("static/palette.json has no \"cells\" block yet (the page's copy of KINDS)")

    def plain(facts: Any) -> Any:  # the page writes f·c₋₁ where the figures write f ⊙ c₋₁
        if isinstance(facts, str):
            return facts.replace("⊙", "·").replace(" ", "")
        if isinstance(facts, dict):
            return {key: plain(value) for key, value in facts.items()}
        return facts

    assert set(block) - {"_comment"} == set(KINDS)
    for name, kind in KINDS.items():
        page = {key: block[name].get(key) for key in kind.facts()}
        assert plain(page) == plain(kind.facts()), name
