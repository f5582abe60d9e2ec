"""The animation player every figure shares: one frame per word, a slider over the words, play/pause.

The figure's own data show the whole sentence (what a static image or a printed page shows); the
frames replay it word by word. Frame t is named str(t).

Each frame repeats the sentence up to its word, so a figure grows with the square of the text's
length (about 1.6 MB for the 40-word cereal review's highway, 120 MB at 200 words): past
ANIMATE_MAX_WORDS a figure shows the whole text at once, without a player, and says so.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import plotly.graph_objects as go  # type: ignore[import-untyped]
from numpy.typing import NDArray

from ..core import Trace
from .style import words

STEP = {"frame": {"duration": 0, "redraw": True}, "mode": "immediate", "transition": {"duration": 0}}
ANIMATE_MAX_WORDS = 80
PLAY = {"frame": {"duration": 700, "redraw": True}, "fromcurrent": True,
        "mode": "immediate", "transition": {"duration": 0}}


def upto(a: NDArray[Any], t: int, axis: int = -1) -> NDArray[np.float64]:
    """A copy of `a` as floats with every step after t blanked (NaN) along `axis`: not read yet."""
    out = np.array(a, dtype=np.float64, copy=True)
    index: list[Any] = [slice(None)] * out.ndim
    index[axis] = slice(t + 1, None)
    out[tuple(index)] = np.nan
    return out


def add_player(fig: go.Figure, trace: Trace, frame: Callable[[int], dict[str, Any]]) -> go.Figure:
    """Attach frames (`frame(t)` for word t: a dict of data, traces, optional layout), a word
    slider and play/pause buttons.

    The slider starts on the last word, matching the figure's own data. Past ANIMATE_MAX_WORDS
    no frame is made at all: a 1,000-word text's frames would take gigabytes.
    """
    T = len(trace)
    if T > ANIMATE_MAX_WORDS:
        fig.add_annotation(
            text=f"All {T} words at once: the word-by-word player is for texts of up to "
                 f"{ANIMATE_MAX_WORDS} words.",
            xref="paper", yref="paper", x=0, y=0, yshift=-60, xanchor="left", yanchor="top",
            showarrow=False, font={"size": 12, "color": "#555"})
        return fig
    kinds = [d.type for d in fig.data]
    frames = [frame(t) for t in range(T)]
    for one in frames:
        # Plotly validates a frame's data by trace type; name it after the trace it updates.
        one["data"] = [{"type": kinds[i], **d} for i, d in zip(one["traces"], one["data"],
                                                              strict=True)]
    # The frames repeat data already validated in the figure; checking them again costs seconds.
    fig._validate = False
    try:
        fig.frames = [go.Frame(name=str(t), **one) for t, one in enumerate(frames)]
    finally:
        fig._validate = True
    labels = words(trace)
    steps = [{"method": "animate", "label": f"{t + 1}/{T} · {labels[t]}",
              "args": [[str(t)], STEP]} for t in range(T)]
    fig.update_layout(
        sliders=[{
            "active": T - 1, "steps": steps, "x": 0.1, "len": 0.9, "y": 0, "yanchor": "top",
            "pad": {"t": 75, "b": 0},
            # The words are on the chart's axis already; the slider names only the current one.
            "font": {"color": "rgba(0,0,0,0)", "size": 8}, "ticklen": 3,
            "currentvalue": {"prefix": "word ", "font": {"size": 14, "color": "#222"},
                             "xanchor": "left"},
        }],
        updatemenus=[{
            "type": "buttons", "direction": "left", "showactive": False,
            "x": 0.1, "xanchor": "right", "y": 0, "yanchor": "top", "pad": {"t": 85, "r": 10},
            "buttons": [
                {"label": "▶ Play", "method": "animate", "args": [None, PLAY]},
                {"label": "❚❚ Pause", "method": "animate", "args": [[None], STEP]},
            ],
        }],
    )
    return fig
