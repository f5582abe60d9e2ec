"""Why gates exist, drawn from exact gradients (app/core/gradients.py) and real arithmetic:

    connectivity(g)        the T × T map ‖∂ log p(t) / ∂ e_s‖, on a log scale
    reach(g1, g2, ...)     for one word t, how strongly each earlier word can still move the
                           prediction, one line per model (the RNN's curve falls off, the gated hold)
    jacobian_chain(g)      the factors ‖∂S_t/∂S_{t−1}‖ of the long product, and their running product
    memory_span(data)      p(the opening's label) after k neutral words (app/core/memory_span.py)
    squashing()            ×3 again and again, through tanh, through a sigmoid gate
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from plotly.subplots import make_subplots  # type: ignore[import-untyped]

from ..core.gradients import Gradients
from ..core.squashing import squashing as squashing_data
from .style import base_layout, escape, kind_color, short

LOG_FLOOR = 1e-300  # log10 of 0 is not drawn; the map leaves s > t blank instead
DASHES = ("solid", "dash", "dot", "dashdot")


def _subtitle(g: Gradients) -> str:
    m = g.model
    return (f"<br><span style='font-size:12px;color:#555'>{escape(str(m['name']))} ({m['kind']}, "
            f"{m['hidden_size']} units) · label {escape(g.label)} · “{short(g.text)}”</span>")


def _words(g: Gradients) -> list[str]:
    return [f"{s}: {escape(tok)}" if known else f"{s}: <i>{escape(tok)}</i>"
            for s, (tok, known) in enumerate(zip(g.tokens, g.known.tolist(), strict=True))]


def connectivity(g: Gradients) -> go.Figure:
    """The map: row t (the word where the prediction is read), column s ≤ t (the earlier word),
    colour log10 ‖∂ log p_label(t) / ∂ e_s‖₂; blank above the diagonal (the future)."""
    T = len(g.tokens)
    z = np.full((T, T), np.nan)
    lower = np.tril(np.ones((T, T), dtype=bool))
    z[lower] = np.log10(np.maximum(g.connectivity[lower], LOG_FLOOR))
    labels = _words(g)
    fig = go.Figure(go.Heatmap(
        z=z, x=labels, y=labels, colorscale="Viridis", customdata=g.connectivity,
        colorbar={"title": {"text": "log₁₀ ‖∂ log p / ∂ e_s‖"}},
        hovertemplate="at %{y}<br>from %{x}<br>‖∂ log p / ∂ e_s‖ = %{customdata:.3e}<extra></extra>",
    ))
    fig.update_layout(**base_layout(
        title={"text": f"How strongly each earlier word can still move the prediction{_subtitle(g)}"},
        height=max(480, 18 * T + 260), margin={"l": 140, "r": 30, "t": 125, "b": 140},
        xaxis={"title": {"text": "earlier word s"}, "tickangle": -45, "type": "category"},
        yaxis={"title": {"text": "word t (prediction read here)"}, "autorange": "reversed",
               "type": "category"},
    ))
    return fig


def reach(*grads: Gradients, t: int = -1, names: list[str] | None = None) -> go.Figure:
    """At word t (default the last), ‖∂ log p(t) / ∂ e_s‖ for every s ≤ t against the distance
    t − s, on a log scale: one line per model, on the same sentence."""
    if not grads:
        raise ValueError("reach needs at least one Gradients")
    first = grads[0]
    if any(g.tokens != first.tokens for g in grads[1:]):
        raise ValueError("reach needs gradients of the same sentence: the tokens differ")
    T = len(first.tokens)
    t = t % T
    names = names or [f"{g.model['name']} ({g.model['kind']})" for g in grads]
    fig = go.Figure()
    for k, (g, name) in enumerate(zip(grads, names, strict=True)):
        row = g.connectivity[t, : t + 1]
        fig.add_trace(go.Scatter(
            x=list(range(t, -1, -1)), y=row, mode="lines+markers", name=escape(name),
            text=[escape(tok) for tok in g.tokens[: t + 1]],
            line={"color": kind_color(str(g.model["kind"])), "width": 3,
                  "dash": DASHES[k % len(DASHES)]},
            hovertemplate="%{text}, %{x} words back: %{y:.3e}<extra>" + escape(name) + "</extra>",
        ))
    fig.update_layout(**base_layout(
        title={"text": f"How far back a word can still move the prediction at "
                       f"“{escape(first.tokens[t])}”{_subtitle(first)}"},
        height=480, xaxis={"title": {"text": "words back (t − s)"}},
        yaxis={"title": {"text": "‖∂ log p(t) / ∂ e_s‖₂"}, "type": "log", "exponentformat": "power"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    return fig


def jacobian_chain(g: Gradients) -> go.Figure:
    """Each step's factor ‖∂S_t/∂S_{t−1}‖₂ (bars); below, from the first word, the product of
    those norms (the bound, dashed) and the norm of the real product ‖∂S_t/∂S_0‖₂ (solid)."""
    if len(g.jacobian_norms) != len(g.tokens):
        raise ValueError("these gradients were computed without the Jacobian norms")
    labels = _words(g)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("each step's factor ‖∂S_t / ∂S_t−1‖₂",
                                        "from the first word: the product of the factors' norms "
                                        "(a bound, dashed) and the norm of the product (log scale)"))
    color = kind_color(str(g.model["kind"]))
    fig.add_trace(go.Bar(x=labels, y=g.jacobian_norms, marker_color=color, name="factor",
                         hovertemplate="%{x}: %{y:.3f}<extra></extra>"), row=1, col=1)
    fig.add_hline(y=1.0, line={"color": "#999", "dash": "dot"}, row=1, col=1)
    bound = np.cumprod(g.jacobian_norms[1:])
    fig.add_trace(go.Scatter(x=labels[1:], y=bound, mode="lines", name="product of the norms",
                             line={"color": color, "width": 2, "dash": "dash"},
                             hovertemplate="%{x}: bound %{y:.3e}<extra></extra>"), row=2, col=1)
    fig.add_trace(go.Scatter(x=labels[1:], y=g.product_norms[1:], mode="lines+markers",
                             name="norm of the product", line={"color": color, "width": 3},
                             hovertemplate="%{x}: ‖∂S_t/∂S_0‖ = %{y:.3e}<extra></extra>"),
                  row=2, col=1)
    fig.update_yaxes(type="log", exponentformat="power", row=2, col=1)
    fig.update_layout(**base_layout(title={"text": f"The long product{_subtitle(g)}"}, height=620,
                                    legend={"orientation": "h", "y": 1.02, "yanchor": "bottom",
                                            "x": 0}))
    return fig


def memory_span(data: dict[str, Any] | Path | None = None) -> go.Figure:
    """p(the opening's label) after k neutral words, k = 0 … 100, per model (solid "Amazing!",
    dashed "Awful."). `data` is app.core.memory_span.memory_span(...) or the committed
    static/memory_span.json (the default)."""
    if data is None or isinstance(data, Path):
        path = data or Path(__file__).resolve().parents[2] / "static" / "memory_span.json"
        data = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    fig = go.Figure()
    for name, m in data["models"].items():
        for k, (opening, curve) in enumerate(m["openings"].items()):
            fig.add_trace(go.Scatter(
                x=data["k"], y=curve["prob"], mode="lines", name=f"{escape(name)}: {escape(opening)}",
                line={"color": kind_color(m["kind"]), "width": 3, "dash": DASHES[k % 2]},
                hovertemplate=f"{escape(name)}, “{escape(opening)}” + %{{x}} neutral words: "
                              f"p({curve['label']}) = %{{y:.3f}}<extra></extra>",
            ))
    fig.add_hline(y=0.5, line={"color": "#999", "width": 1, "dash": "dot"})
    fig.update_layout(**base_layout(
        title={"text": "Memory span: a strong opening, then k neutral words<br><span "
                       "style='font-size:12px;color:#555'>p(the opening's label) after the last "
                       "one; below 0.5 the verdict is lost</span>"},
        height=500, xaxis={"title": {"text": "k neutral words after the opening"}},
        yaxis={"title": {"text": "p(the opening's label)"}, "range": [0, 1.02], "tickformat": ".0%"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    return fig


def squashing(**options: Any) -> go.Figure:
    """×3 again and again explodes; through tanh it stays in [−1, 1]; a sigmoid gate near 1 only
    shrinks it, slowly (app.core.squashing.squashing's arithmetic; options are passed on)."""
    d = squashing_data(**options)
    fig = go.Figure()
    for key, name, color in (("multiplied", f"×{d['weight']:g} each step", "#D55E00"),
                             ("tanh", f"tanh(×{d['weight']:g}) each step", "#0072B2"),
                             ("gated", f"× σ = {d['gate']:.2f} (a gate) each step", "#009E73")):
        fig.add_trace(go.Scatter(x=d["step"], y=d[key], mode="lines+markers", name=name,
                                 line={"color": color, "width": 3},
                                 hovertemplate="step %{x}: %{y:.4g}<extra></extra>"))
    fig.update_layout(**base_layout(
        title={"text": "Squashing: why the recurrence goes through tanh, and a gate through σ"},
        height=440, xaxis={"title": {"text": "step"}},
        yaxis={"title": {"text": "value (log scale)"}, "type": "log", "exponentformat": "power"},
        legend={"orientation": "h", "y": 1.02, "yanchor": "bottom", "x": 0},
    ))
    return fig
