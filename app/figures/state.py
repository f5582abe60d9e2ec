"""The state down the sentence: the highway (what each word left on it), the gates, one unit's cell."""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from plotly.subplots import make_subplots  # type: ignore[import-untyped]

from ..core import Trace
from ..core.derived import contribution_amounts
from .player import add_player, upto
from .style import base_layout, color, layer_index, note, quantity, scale, symbol, title, word_axis, words

# Neighbouring words' bands alternate between these, so each band stays distinct.
BANDS = ("#2171b5", "#6baed6", "#08306b", "#9ecae1")


def before_nan(a: Any, s: int) -> Any:
    """A copy of the step series `a` (T,) with the steps before word s blank: it was not read yet."""
    out = np.array(a, dtype=np.float64, copy=True)
    out[:s] = np.nan
    return out


def _state_heatmap(trace: Trace, k: int) -> tuple[go.Heatmap, Any]:
    """Units × words heatmap of the memory state; returns the trace and its (H, T) values."""
    name = trace.facts.state
    z = trace.state[:, k, :].T  # (H, T)
    sym = symbol(name, trace.kind)
    # A bounded quantity (h, in [−1, 1]) keeps its range; an unbounded one (c) is scaled to its data.
    span = quantity(name)["range"]
    bound = float(span[1]) if span is not None else float(np.abs(z).max()) or 1.0
    T, H = len(trace), z.shape[0]
    custom = np.array([words(trace)] * H, dtype=object)
    heat = go.Heatmap(
        z=z, x=list(range(T)), y=list(range(H)), customdata=custom,
        colorscale=scale("diverging"), zmid=0.0, zmin=-bound, zmax=bound,
        colorbar={"title": {"text": sym}, "len": 0.45, "y": 0.0, "yanchor": "bottom"},
        hovertemplate=f"%{{customdata}}<br>unit %{{y}}<br>{sym} = %{{z:.4f}}<extra></extra>",
        name=quantity(name)["name"],
    )
    return heat, z


def highway(trace: Trace, layer: int = -1) -> go.Figure:
    """The cell state as a highway: at every step, how much of each earlier word is still on it.

    Top: one band per word s, Σ over units of |what word s wrote that is still in the state at t|
    (LSTM: (i_s ⊙ g_s) ⊙ Π f; GRU: ((1 − z_s) ⊙ n_s) ⊙ Π z). Bottom: the state itself, units × words.
    A plain RNN has no such decomposition: only the state is drawn.
    """
    k = layer_index(trace, layer)
    T = len(trace)
    q = quantity(trace.facts.state)
    sym = symbol(trace.facts.state, trace.kind)
    heat, z = _state_heatmap(trace, k)
    labels = words(trace)
    gated = trace.facts.keep is not None
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.06,
                        row_heights=[0.55, 0.45])
    amount = contribution_amounts(trace, k) if gated else None  # (T, T)
    if amount is not None:
        # Added in one call: add_trace in a loop re-checks every trace already there (8.7 s and
        # 0.5 GB for 1,000 words); one shared x array instead of a list per band.
        steps = np.arange(T)
        fig.add_traces([go.Scatter(
            x=steps, y=before_nan(amount[:, s], s), name=labels[s], stackgroup="highway",
            mode="lines", line={"width": 0.5, "color": BANDS[s % len(BANDS)]},
            fillcolor=BANDS[s % len(BANDS)], legendgroup="words", showlegend=False,
            hovertemplate=f"{labels[s]}: %{{y:.3f}}<extra></extra>",
        ) for s in range(T)], rows=1, cols=1)
    fig.add_trace(heat, row=2, col=1)
    fig.update_layout(**base_layout(
        title={"text": title(f"The {q['name']} as a highway: what each word left on it", trace, k)},
        height=720, hovermode="x unified" if gated else "closest",
    ))
    fig.update_xaxes(word_axis(trace), row=2, col=1)
    fig.update_xaxes(showticklabels=False, range=[-0.5, T - 0.5], row=1, col=1)
    fig.update_yaxes(title_text="unit", autorange="reversed", row=2, col=1)
    if gated:
        fig.update_yaxes(title_text=f"Σ|part of {sym}|", rangemode="tozero", row=1, col=1)
    else:
        fig.update_yaxes(visible=False, row=1, col=1)
        fig.add_annotation(note(
            "A plain RNN has no gates: it rewrites its whole state h = tanh(W x + U h + b)<br>"
            "at every word, so its state cannot be split into what each word left on it.",
            y=0.78))
    def frame(t: int) -> dict[str, Any]:
        data: list[Any] = []
        if amount is not None:
            data += [{"y": upto(before_nan(amount[:, s], s), t)} for s in range(T)]
        data.append({"z": upto(z, t)})
        return {"data": data, "traces": list(range(len(data)))}

    return add_player(fig, trace, frame)


def gates(trace: Trace, layer: int = -1) -> go.Figure:
    """Every gate, units × words, one row per gate on the palette's 0-to-1 scale."""
    k = layer_index(trace, layer)
    names = list(trace.gates)
    T = len(trace)
    if not names:
        fig = go.Figure(layout=base_layout(
            title={"text": title("Gates", trace, k)}, height=420,
            xaxis={"visible": False}, yaxis={"visible": False}, margin={"b": 40, "t": 90},
        ))
        fig.add_annotation(note(
            "A plain RNN has no gates: nothing decides what to keep or forget.<br>"
            "Every word is mixed into the whole state: h = tanh(W x + U h + b)."))
        return fig
    titles = [f"<span style='color:{color(n)}'><b>{symbol(n, trace.kind)}</b> "
              f"{quantity(n)['name']}</span> — {quantity(n)['article']}" for n in names]
    fig = make_subplots(rows=len(names), cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=titles)
    H = trace.hidden.shape[2]
    custom = np.array([words(trace)] * H, dtype=object)
    values = []
    for row, name in enumerate(names, start=1):
        z = trace.gates[name][:, k, :].T  # (H, T)
        values.append(z)
        fig.add_trace(go.Heatmap(
            z=z, x=list(range(T)), y=list(range(H)), customdata=custom, coloraxis="coloraxis",
            name=quantity(name)["name"],
            hovertemplate=(f"%{{customdata}}<br>unit %{{y}}<br>{symbol(name, trace.kind)} = "
                           "%{z:.4f}<extra></extra>"),
        ), row=row, col=1)
        fig.update_yaxes(title_text="unit", autorange="reversed", row=row, col=1)
    fig.update_xaxes(word_axis(trace), row=len(names), col=1)
    fig.update_layout(**base_layout(
        title={"text": title("Gates, word by word: 0 closed, 1 open", trace, k)},
        height=260 * len(names) + 220,
        coloraxis={"colorscale": scale("sequential"), "cmin": 0.0, "cmax": 1.0,
                   "colorbar": {"title": {"text": "gate"}}},
    ))
    return add_player(fig, trace, lambda t: {"data": [{"z": upto(z, t)} for z in values],
                                             "traces": list(range(len(names)))})


def default_unit(trace: Trace, k: int) -> int:
    """The unit holding the most memory at the last word (largest |c| or |h|)."""
    return int(np.abs(trace.state[-1, k]).argmax())


def _equations(trace: Trace, k: int, u: int) -> list[str]:
    """The state update of unit u at every step, filled in with the model's own numbers."""
    fmt = "{:.3f}".format
    template = trace.facts.unit_equation  # KINDS[kind].unit_equation: {name} is that quantity's value
    out = []
    for t in range(len(trace)):
        values = {name: fmt(float(a[t, k, u])) for name, a in trace.quantities.items()}
        before = fmt(float(trace.state[t - 1, k, u]) if t else 0.0)
        out.append(template.format(before=before, **values))
    return out


def cell(trace: Trace, unit: int | None = None, layer: int = -1) -> go.Figure:
    """One unit down the sentence: its gates, candidate, cell and hidden state, with the equation
    filled in on hover. `unit` defaults to the unit holding the most memory at the end."""
    k = layer_index(trace, layer)
    H = trace.hidden.shape[2]
    u = default_unit(trace, k) if unit is None else unit
    if not 0 <= u < H:
        raise ValueError(f"unit {u} does not exist: this layer has {H} units (0 to {H - 1})")
    series: dict[str, Any] = {name: a[:, k, u] for name, a in trace.quantities.items()}
    T = len(trace)
    custom = np.array(list(zip(words(trace), _equations(trace, k, u), strict=True)), dtype=object)
    fig = go.Figure()
    for name, y in series.items():
        sym = symbol(name, trace.kind)
        fig.add_trace(go.Scatter(
            x=list(range(T)), y=y, mode="lines+markers", customdata=custom,
            name=f"{sym} {quantity(name)['name']}",
            line={"color": color(name), "width": 3 if name in ("cell", "hidden") else 2,
                  "dash": "dot" if name == "candidate" else "solid"},
            hovertemplate=f"{sym} = %{{y:.4f}}<extra></extra>",
        ))
    # One invisible trace carries the filled-in equation, so the unified hover shows it once.
    fig.add_trace(go.Scatter(x=list(range(T)), y=[0.0] * T, mode="markers", customdata=custom,
                             marker={"opacity": 0}, showlegend=False, name="",
                             hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>"))
    fig.update_layout(**base_layout(
        title={"text": title(f"Unit {u}, word by word", trace, k)}, height=520,
        hovermode="x unified", xaxis=word_axis(trace), yaxis={"title": {"text": "value"}},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    n = len(series)
    return add_player(fig, trace, lambda t: {
        "data": [{"x": list(range(t + 1)), "y": y[:t + 1]} for y in series.values()],
        "traces": list(range(n))})


__all__ = ["cell", "gates", "highway"]
