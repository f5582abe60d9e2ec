"""Names, symbols and colours of every quantity, read from static/palette.json (the page reads the
same file), and the small helpers every figure shares: escaping words, word ticks, the base layout."""

from __future__ import annotations

import html
import json
from functools import cache
from typing import Any

from ..core import KINDS, Trace
from ..resources import static_dir

# The page reads the same file (static/ at the repository's root or inside the installed package).
PALETTE_PATH = static_dir() / "palette.json"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
FALLBACK_COLORS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


@cache
def palette() -> dict[str, Any]:
    """The parsed palette.json (read once)."""
    try:
        data: dict[str, Any] = json.loads(PALETTE_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FileNotFoundError(f"gatescope's palette is missing: expected {PALETTE_PATH} "
                                "(static/ at the repository's root, or in the installed package)") from None
    return data


def quantity(name: str) -> dict[str, Any]:
    """{"symbol", "name", "article", "color", "range"} of a gate, candidate, cell or hidden."""
    q: dict[str, Any] = palette()["quantities"][name]
    return q


def color(name: str) -> str:
    return str(quantity(name)["color"])


def part_color(name: str) -> str:
    """Colour of a whiteboard part: kept, erased, written."""
    return str(palette()["parts"][name]["color"])


def label_color(label: str, index: int) -> str:
    """A label's colour from the palette, or a fixed colour-blind-safe one for other labels."""
    known: dict[str, str] = palette()["labels"]
    return known.get(label, FALLBACK_COLORS[index % len(FALLBACK_COLORS)])


def kind_color(kind: str) -> str:
    return str(palette()["kinds"].get(kind, "#777777"))


def scale(name: str) -> list[list[Any]]:
    """The palette's "sequential" (gates, 0 to 1) or "diverging" (signed states) colour scale."""
    return [list(stop) for stop in palette()["scales"][name]]


def symbol(name: str, kind: str) -> str:
    """The maths letter of a quantity; the candidate's is the kind's own (LSTM g, GRU n)."""
    own = KINDS[kind].candidate if name == "candidate" else None
    return own if own is not None else str(quantity(name)["symbol"])


def escape(text: str) -> str:
    """Words typed by the user, made safe for Plotly, which reads some HTML tags in its text."""
    return html.escape(text, quote=False)


def short(text: str, limit: int = 90) -> str:
    """The sentence for a title: shortened, then escaped."""
    text = " ".join(text.split())
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return escape(text)


def words(trace: Trace) -> list[str]:
    """Each token as shown on an axis: escaped; unknown words (read as <unk>) in italics."""
    return [escape(tok) if known else f"<i>{escape(tok)}</i>" for tok, known in
            zip(trace.tokens, trace.known.tolist(), strict=True)]


def word_axis(trace: Trace, **extra: Any) -> dict[str, Any]:
    """An x axis with one tick per step, labelled with its word (words may repeat, steps do not)."""
    T = len(trace)
    return {"tickmode": "array", "tickvals": list(range(T)), "ticktext": words(trace),
            "range": [-0.5, T - 0.5], "tickangle": -45 if T > 12 else 0, "showgrid": False,
            "zeroline": False, **extra}


def layer_index(trace: Trace, layer: int) -> int:
    """A layer number (negative counts from the top) checked against the model; returns it >= 0."""
    L = int(trace.hidden.shape[1])
    if not -L <= layer < L:
        raise ValueError(f"layer {layer} does not exist: this model has {L} layer(s) (0 to {L - 1})")
    return layer % L


def title(what: str, trace: Trace, layer: int | None = None) -> str:
    """A two-line title: what the figure shows, then model, kind, layer and the sentence."""
    m = trace.model
    where = f"{escape(m.name)} ({m.kind}, {m.hidden_size} units"
    if layer is not None and m.num_layers > 1:
        where += f", layer {layer}"
    where += ")"
    return (f"{what}<br><span style='font-size:12px;color:#555'>{where} · "
            f"“{short(trace.text)}”</span>")


def base_layout(**extra: Any) -> dict[str, Any]:
    """White background, the page's font, room for the player under the chart."""
    layout: dict[str, Any] = {
        "template": "plotly_white",
        "font": {"family": FONT, "size": 13},
        "margin": {"l": 70, "r": 30, "t": 125, "b": 150},
        "hoverlabel": {"font": {"family": FONT}},
    }
    layout.update(extra)
    if "title" in layout:  # pinned to the top, so legends and subplot titles fit under it
        layout["title"] = {"x": 0.02, "xanchor": "left", "y": 1.0, "yref": "container",
                           "yanchor": "top", "pad": {"t": 16}, **layout["title"]}
    return layout


def note(text: str, y: float = 0.5) -> dict[str, Any]:
    """A centred annotation in paper coordinates, for what a view cannot show for this kind."""
    return {"text": text, "x": 0.5, "y": y, "xref": "paper", "yref": "paper", "showarrow": False,
            "align": "center", "font": {"size": 14, "color": "#333"}}
