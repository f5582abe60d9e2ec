"""Memory (how much of each word is still kept) and the whiteboard (erase, read in, write out)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from numpy.typing import NDArray
from plotly.subplots import make_subplots  # type: ignore[import-untyped]

from ..core import Trace
from ..core.derived import retention, share, state_parts
from .player import ANIMATE_MAX_WORDS, add_player, upto
from .style import base_layout, color, layer_index, note, part_color, scale, title, word_axis, words

NO_DECOMPOSITION = ("A plain RNN has no gates, so its state has no per-word decomposition:<br>"
                    "h = tanh(W x + U h₋₁ + b) mixes every earlier word into every unit at every "
                    "step,<br>and nothing says how much of one word is still kept.")


def _empty(trace: Trace, what: str, k: int) -> go.Figure:
    fig = go.Figure(layout=base_layout(
        title={"text": title(what, trace, k)}, height=420,
        xaxis={"visible": False}, yaxis={"visible": False}, margin={"b": 40, "t": 90},
    ))
    fig.add_annotation(note(NO_DECOMPOSITION))
    return fig


def _ink(kept: NDArray[np.float64]) -> list[str]:
    """Word colours whose opacity is the share still kept: words fade exactly as memory does."""
    return [f"rgba(0,0,0,{0.0 if math.isnan(a) else min(max(a, 0.0), 1.0):.3f})" for a in kept]


def _ghost(t: int, T: int) -> list[str]:
    """Pale grey for the words read by step t, transparent for the rest."""
    return ["#e4e4e4" if s <= t else "rgba(0,0,0,0)" for s in range(T)]


def memory(trace: Trace, layer: int = -1) -> go.Figure:
    """How much of what each word wrote is still in memory at each step (derived.retention).

    Top: the words, faded by what is left of them. Middle: the same as bars. Bottom: every step
    (rows) against every word (columns). 1 when written, falling as the forget (LSTM) or update
    (GRU) gates close.
    """
    k = layer_index(trace, layer)
    if trace.facts.keep is None:
        return _empty(trace, "Memory: how much of each word is still kept", k)
    T = len(trace)
    kept = retention(trace, k)  # (T, T): [t, s]
    part = share(trace, k)  # (T, T)
    future = np.triu(np.ones((T, T), dtype=bool), 1)  # s > t: not read yet
    kept_shown = np.where(future, np.nan, kept)
    labels = words(trace)
    x = list(range(T))
    fig = make_subplots(rows=3, cols=1, shared_xaxes=True, vertical_spacing=0.04,
                        row_heights=[0.14, 0.3, 0.56])
    # A pale copy of every word read so far under the ink, so a forgotten word stays legible.
    for ink in (_ghost(T - 1, T), _ink(kept_shown[-1])):
        fig.add_trace(go.Scatter(
            x=x, y=[s % 3 for s in x], mode="text", text=labels, hoverinfo="skip", name="words",
            cliponaxis=False,
            textfont={"size": 17, "color": ink}, showlegend=False,
        ), row=1, col=1)
    custom = np.stack([np.array(labels, dtype=object), np.round(100 * part[-1], 1)], axis=1)
    fig.add_trace(go.Bar(
        x=x, y=kept_shown[-1], customdata=custom, marker={"color": part_color("kept")},
        name="kept", showlegend=False,
        hovertemplate="%{customdata[0]}: %{y:.1%} of what it wrote is kept, "
                      "%{customdata[1]}% of the state<extra></extra>",
    ), row=2, col=1)
    if T <= ANIMATE_MAX_WORDS:
        grid: Any = np.empty((T, T, 2), dtype=object)
        for t in range(T):
            for s in range(T):
                grid[t, s] = (labels[t], labels[s])
        hover = "after %{customdata[0]} (word %{y}), %{customdata[1]} (word %{x}) is "
    else:
        # T × T pairs of words would be a million strings (0.3 GB while encoding) for 1,000
        # words; the axes name the words already.
        grid, hover = None, "after word %{y}, word %{x} is "
    fig.add_trace(go.Heatmap(
        z=kept_shown, x=x, y=x, customdata=grid, coloraxis="coloraxis", name="retention",
        hovertemplate=hover + "%{z:.1%} kept<extra></extra>",
    ), row=3, col=1)
    fig.update_layout(**base_layout(
        title={"text": title(f"Memory: how much of each word is still kept (it fades as the "
                             f"{trace.facts.keep} gates close)", trace, k)},
        height=860,
        coloraxis={"colorscale": scale("sequential"), "cmin": 0.0, "cmax": 1.0,
                   "colorbar": {"title": {"text": "kept"}, "tickformat": ".0%", "len": 0.55,
                                "y": 0, "yanchor": "bottom"}},
    ))
    fig.update_yaxes(visible=False, range=[-0.7, 2.7], showgrid=False, row=1, col=1)
    fig.update_yaxes(title_text="kept", range=[0, 1.05], tickformat=".0%", row=2, col=1)
    fig.update_yaxes(title_text="after word", autorange="reversed", tickmode="array",
                     tickvals=x, ticktext=labels, row=3, col=1)
    fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, showline=False,
                     row=1, col=1)
    fig.update_xaxes(showticklabels=False, row=2, col=1)
    fig.update_xaxes(word_axis(trace), row=3, col=1)
    return add_player(fig, trace, lambda t: {
        "data": [{"textfont": {"size": 17, "color": _ghost(t, T)}},
                 {"textfont": {"size": 17, "color": _ink(kept_shown[t])}},
                 {"y": kept_shown[t]}, {"z": upto(kept_shown, t, axis=0)}],
        "traces": [0, 1, 2, 3]})


def board(values: NDArray[Any]) -> NDArray[np.float64]:
    """Lay H units out as a near-square grid, row by row; cells past the last unit are NaN."""
    H = values.shape[-1]
    cols = math.ceil(math.sqrt(H))
    rows = math.ceil(H / cols)
    out = np.full(values.shape[:-1] + (rows * cols,), np.nan)
    out[..., :H] = values
    return out.reshape(values.shape[:-1] + (rows, cols))


def whiteboard_panels(trace: Trace, k: int) -> list[tuple[str, str, NDArray[np.float64]]]:
    """(title, colour, values (T, H)) of each panel: erase, read in, the board, write out.

    The panels and their formulas are the kind's (KINDS[kind].board and .parts)."""
    kind = trace.facts
    parts = state_parts(trace) if kind.keep is not None else {}
    names = {**kind.parts, "equation": kind.equation}
    panels = []
    for heading, shows in kind.board:
        if shows == "read_out":  # what the read gate lets out, in that gate's colour
            ink, values = color(str(kind.read)), parts[shows][:, k]
        elif shows in parts:
            ink, values = part_color(shows), parts[shows][:, k]
        else:
            ink, values = color(shows), trace.quantities[shows][:, k].astype(np.float64)
        panels.append((heading.format(**names), ink, values))
    return panels


def whiteboard(trace: Trace, layer: int = -1) -> go.Figure:
    """The cell vector as a fixed-size board: at each word, what is erased, read in and written out.

    LSTM: erased (1 − f) ⊙ c₋₁, read in i ⊙ g, the board c, written out o ⊙ tanh(c).
    GRU: erased (1 − z) ⊙ h₋₁, read in (1 − z) ⊙ n, the board h. RNN: the board h only.
    """
    k = layer_index(trace, layer)
    panels = whiteboard_panels(trace, k)
    H = trace.hidden.shape[2]
    titles = [f"<span style='color:{c}'>{name}</span>" for name, c, _ in panels]
    fig = make_subplots(rows=1, cols=len(panels), subplot_titles=titles, horizontal_spacing=0.04)
    units = board(np.arange(H, dtype=np.float64))
    bound = max(float(np.abs(v).max()) for _, _, v in panels) or 1.0
    show_numbers = H <= 64
    for col, (_, _, values) in enumerate(panels, start=1):
        fig.add_trace(go.Heatmap(
            z=board(values[-1]), customdata=units, coloraxis="coloraxis", xgap=2, ygap=2,
            texttemplate="%{z:.2f}" if show_numbers else None, textfont={"size": 10},
            hovertemplate="unit %{customdata:.0f}: %{z:.4f}<extra></extra>",
        ), row=1, col=col)
        fig.update_xaxes(visible=False, row=1, col=col)
        fig.update_yaxes(visible=False, autorange="reversed", scaleanchor=f"x{col if col > 1 else ''}",
                         row=1, col=col)
    fig.update_layout(**base_layout(
        title={"text": title("The whiteboard: a fixed-size state, erased, read in and written out "
                             "word by word", trace, k)},
        height=520, width=max(700, 330 * len(panels)),
        coloraxis={"colorscale": scale("diverging"), "cmid": 0.0, "cmin": -bound, "cmax": bound},
    ))
    if trace.facts.keep is None:
        fig.add_annotation(note("A plain RNN has no selective forget, read or write: "
                                "every word rewrites the whole board.", y=-0.08))
    return add_player(fig, trace, lambda t: {
        "data": [{"z": board(values[t])} for _, _, values in panels],
        "traces": list(range(len(panels)))})
