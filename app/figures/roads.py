"""A bidirectional model's highway as two roads, one running each way, on one axis of token positions.

The forward road (top) is the one-way highway: at word t, what each word s ≤ t left on the forward
state. The reverse road (bottom) runs from the last word back: at word t, what each word s ≥ t left
on the reverse state, after the reverse reader has read T−1 … t. At word t the head reads both
roads where they meet, so frame t draws the forward road up to t and the reverse road from t on.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from plotly.subplots import make_subplots  # type: ignore[import-untyped]

from ..core import Trace
from ..core.derived import contribution_amounts
from .player import add_player, upto
from .state import BANDS, before_nan, highway
from .style import base_layout, layer_index, note, quantity, symbol, title, word_axis, words


def after_nan(a: Any, s: int) -> Any:
    """A copy of the step series `a` (T,) with the steps after word s blank: the reverse reader
    had not read word s there yet."""
    out = np.array(a, dtype=np.float64, copy=True)
    out[s + 1:] = np.nan
    return out


def from_nan(a: Any, t: int) -> Any:
    """A copy of `a` (…, T) with the steps before t blank: in frame t the reverse road is drawn
    from t to the end, the words it has read."""
    out = np.array(a, dtype=np.float64, copy=True)
    out[..., :t] = np.nan
    return out


def reverse_amounts(trace: Trace, k: int) -> Any:
    """amount[t, s] (T, T) by token position: Σ_units |what word s left on the reverse state at
    word t| (0 for s < t: not read yet at t); derived.py's arithmetic on the reverse reader."""
    read = contribution_amounts(trace.one_way("reverse"), k)  # read order
    return read[::-1, ::-1]  # read step j is token T−1−j, on both axes


def roads(trace: Trace, layer: int = -1) -> go.Figure:
    """Both directions' highways, one above the other; a one-way trace gets its single highway."""
    if trace.reverse is None:
        return highway(trace, layer)
    k = layer_index(trace, layer)
    T = len(trace)
    labels = words(trace)
    state = trace.facts.state
    sym = symbol(state, trace.kind)
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08,
                        subplot_titles=("forward road: words 0 … t, read left to right",
                                        "reverse road: words T−1 … t, read right to left"))
    gated = trace.facts.keep is not None
    forward = contribution_amounts(trace.one_way("forward"), k) if gated else None
    backward = reverse_amounts(trace, k) if gated else None
    if forward is not None and backward is not None:
        for row, amount, blank in ((1, forward, before_nan), (2, backward, after_nan)):
            for s in range(T):
                fig.add_trace(go.Scatter(
                    x=list(range(T)), y=blank(amount[:, s], s), name=labels[s],
                    stackgroup=f"road{row}", mode="lines",
                    line={"width": 0.5, "color": BANDS[s % len(BANDS)]},
                    fillcolor=BANDS[s % len(BANDS)], showlegend=False,
                    hovertemplate=f"{labels[s]}: %{{y:.3f}}<extra></extra>",
                ), row=row, col=1)
    else:
        for row, values in ((1, trace.quantities[state]), (2, trace.directions["reverse"][state])):
            fig.add_trace(go.Heatmap(z=values[:, k, :].T, x=list(range(T)), showscale=row == 1,
                                     zmid=0.0, name=quantity(state)["name"]), row=row, col=1)
        fig.add_annotation(note("A plain RNN has no gates: each road is its state h itself.", y=1.0))
    fig.update_layout(**base_layout(
        title={"text": title(f"Two roads, one each way: what each word left on the "
                             f"{quantity(state)['name']}", trace, k)},
        height=760, hovermode="x unified" if gated else "closest",
    ))
    fig.update_xaxes(word_axis(trace), row=2, col=1)
    fig.update_xaxes(showticklabels=False, range=[-0.5, T - 0.5], row=1, col=1)
    for row in (1, 2):
        fig.update_yaxes(title_text=f"Σ|part of {sym}|" if gated else "unit", row=row, col=1)
    def frame(t: int) -> dict[str, Any]:
        data: list[Any] = []
        if forward is not None and backward is not None:
            data += [{"y": upto(before_nan(forward[:, s], s), t)} for s in range(T)]
            data += [{"y": from_nan(after_nan(backward[:, s], s), t)} for s in range(T)]
        else:
            data += [{"z": upto(trace.quantities[state][:, k, :].T, t)},
                     {"z": from_nan(trace.directions["reverse"][state][:, k, :].T, t)}]
        return {"data": data, "traces": list(range(len(data)))}

    return add_player(fig, trace, frame)
