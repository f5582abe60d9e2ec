"""What the model predicts after each word, for one model or several on the same sentence."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]

from ..core import Trace
from .player import add_player
from .style import base_layout, escape, kind_color, label_color, short, title, word_axis, words

DASHES = ("solid", "dash", "dot", "dashdot", "longdash")
VERDICT_NAME = "verdict: both readers, whole sentence"


def verdict_marker(trace: Trace, j: int, color: str, name: str, show: bool = True) -> go.Scatter:
    """The verdict of a model whose head reads the final states, a diamond just past the last
    word: it is not the answer at any one word (app.core.model: cat(h_forward[T-1], h_reverse[0]))."""
    return go.Scatter(
        x=[len(trace) - 1 + 0.35], y=[float(trace.verdict[j])], mode="markers", name=name,
        marker={"symbol": "diamond", "size": 14, "color": color, "line": {"color": "#222", "width": 1.5}},
        showlegend=show, legendgroup="verdict",
        hovertemplate=f"{escape(name)}: %{{y:.1%}}<extra></extra>")


def prediction(trace: Trace) -> go.Figure:
    """The head's probability of every label after each word (softmax of the top layer's h)."""
    T = len(trace)
    x = list(range(T))
    labels = words(trace)
    fig = go.Figure()
    for j, label in enumerate(trace.labels):
        fig.add_trace(go.Scatter(
            x=x, y=trace.probs[:, j], mode="lines+markers", name=escape(label), customdata=labels,
            line={"color": label_color(label, j), "width": 3},
            hovertemplate=f"{escape(label)}: %{{y:.1%}}<extra></extra>",
        ))
    if trace.model.verdict_from_final_states:  # else the verdict is the last point of each line
        for j, label in enumerate(trace.labels):
            fig.add_trace(verdict_marker(trace, j, label_color(label, j),
                                         f"{VERDICT_NAME} ({escape(label)})", show=j == 0))
    what = ("What the model predicts at each word, from both directions: the words up to it read "
            "forward, and those from the end back to it" if trace.reverse is not None
            else "What the model predicts after each word")
    fig.update_layout(**base_layout(
        title={"text": title(what, trace)}, height=480,
        hovermode="x unified", xaxis=word_axis(trace),
        yaxis={"title": {"text": "probability"}, "range": [0, 1.02], "tickformat": ".0%"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    return add_player(fig, trace, lambda t: {
        "data": [{"x": x[:t + 1], "y": trace.probs[:t + 1, j]} for j in range(len(trace.labels))],
        "traces": list(range(len(trace.labels)))})


def compare(*traces: Trace, label: str | None = None,
            names: Sequence[str] | None = None) -> go.Figure:
    """Several models (or one model, clamped and not) reading the same sentence: the probability
    of `label` after each word, one line per trace. `label` defaults to the first trace's last
    label (e.g. "positive"); `names` name the lines (default: each model's name and kind)."""
    if not traces:
        raise ValueError("compare needs at least one trace")
    first = traces[0]
    for other in traces[1:]:
        if other.tokens != first.tokens:
            raise ValueError("compare needs traces of the same sentence: the tokens differ")
    label = first.labels[-1] if label is None else label
    for tr in traces:
        if label not in tr.labels:
            raise ValueError(f"label {label!r} is not one of {tr.model.name}'s labels "
                             f"{tr.labels}")
    if names is None:
        names = [f"{tr.model.name} ({tr.kind})" for tr in traces]
    if len(names) != len(traces):
        raise ValueError(f"compare got {len(names)} names for {len(traces)} traces")
    T = len(first)
    x = list(range(T))
    series = [tr.probs[:, tr.labels.index(label)] for tr in traces]
    seen: dict[str, int] = {}
    fig = go.Figure()
    for tr, name, y in zip(traces, names, series, strict=True):
        repeat = seen.get(tr.kind, 0)
        seen[tr.kind] = repeat + 1
        fig.add_trace(go.Scatter(
            x=x, y=y, mode="lines+markers", name=escape(name),
            line={"color": kind_color(tr.kind), "width": 3, "dash": DASHES[repeat % len(DASHES)]},
            hovertemplate=f"{escape(name)}: %{{y:.1%}}<extra></extra>",
        ))
    for tr, name in zip(traces, names, strict=True):
        if tr.model.verdict_from_final_states:
            fig.add_trace(verdict_marker(tr, tr.labels.index(label), kind_color(tr.kind),
                                         f"{escape(name)}, {VERDICT_NAME}"))
    fig.update_layout(**base_layout(
        title={"text": f"P({escape(label)}) after each word, model by model<br>"
                       f"<span style='font-size:12px;color:#555'>“{short(first.text)}”</span>"},
        height=480, hovermode="x unified", xaxis=word_axis(first),
        yaxis={"title": {"text": f"P({escape(label)})"}, "range": [0, 1.02], "tickformat": ".0%"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    fig.add_hline(y=0.5, line={"color": "#999", "width": 1, "dash": "dot"})
    return add_player(fig, first, lambda t: {
        "data": [{"x": x[:t + 1], "y": np.asarray(y)[:t + 1]} for y in series],
        "traces": list(range(len(series)))})
