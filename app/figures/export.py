"""`gatescope export TEXT --model NAME --view VIEW --out FILE`: one view or the trace, to a file.

By the file's extension:
  .html  one self-contained page: plotly.js and the figure with its frames inside; opens from disk
         with no server and no network, animates, hover works.
  .json  the trace JSON (ARCHITECTURE.md), full float32 precision.
  .csv   one row per word, layer, unit and quantity: t,token,known,layer,unit,quantity,value; a
         bidirectional model's has a direction column after layer (forward, then reverse rows).
  .png / .svg  the whole sentence as a still image, through kaleido (the optional `image` extra).
"""

from __future__ import annotations

import csv
import html
import importlib.util
import io
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import IO

import plotly.graph_objects as go  # type: ignore[import-untyped]

from ..core import Trace, load_model
from . import VIEWS, cell, compare, gates, highway, memory, prediction, roads, whiteboard

CSV_COLUMNS = ("t", "token", "known", "layer", "unit", "quantity", "value")
CSV_COLUMNS_BOTH_WAYS = ("t", "token", "known", "layer", "direction", "unit", "quantity", "value")
FORMATS = ("html", "json", "csv", "png", "svg")
# A spreadsheet runs a cell that starts with one of these as a formula: a typed word must not.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
IMAGE_HELP = ("PNG and SVG export need the optional 'image' extra, which installs kaleido:\n"
              "    pip install 'gatescope[image]'\n"
              "kaleido also needs Chrome or Chromium on this machine. "
              "Exporting .html needs nothing more.")

ONE_TRACE: dict[str, Callable[[Trace], go.Figure]] = {
    "highway": highway, "gates": gates, "cell": cell, "memory": memory,
    "whiteboard": whiteboard, "prediction": prediction,
}


def build_figure(view: str, traces: Sequence[Trace], direction: str = "forward") -> go.Figure:
    """The figure of one view; `compare` takes every trace, the others exactly one. A
    bidirectional model's views follow one `direction`, in the order it read the words;
    "both" draws the highway as two roads, one running each way (app/figures/roads.py)."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of: {', '.join(VIEWS)}")
    if view == "compare":
        return compare(*traces)
    if len(traces) != 1:
        raise ValueError(f"the {view} view shows one model; only compare takes several "
                         "(--model lstm,gru,rnn)")
    if direction != "forward" and traces[0].reverse is None:
        raise ValueError(f"direction {direction!r}: {traces[0].model.name} reads forward only "
                         "(a bidirectional model has a reverse direction)")
    if direction == "both":
        if view != "highway":
            raise ValueError(f"direction 'both' draws the highway as two roads; the {view} view "
                             "follows one direction: give forward or reverse")
        return roads(traces[0])
    # probs belong to the whole model (both directions at each word), not to one direction
    return ONE_TRACE[view](traces[0] if view == "prediction" else traces[0].one_way(direction))


def csv_text(token: str) -> str:
    """A token as a spreadsheet shows it: one starting like a formula gets a leading apostrophe."""
    return "'" + token if token.startswith(FORMULA_START) else token


def write_csv(trace: Trace, stream: IO[str]) -> int:
    """Write the long-format CSV; returns the number of data rows (T × layers × directions ×
    units × quantities). A one-way model's has no direction column (the same bytes as before
    bidirectional models); a bidirectional one's says forward or reverse, t being the token's
    position in both (the reverse values are those after reading tokens T−1 … t).

    value is the float32 number written in its shortest exact form, so it reads back bit for bit.
    """
    writer = csv.writer(stream, lineterminator="\n")
    both_ways = trace.reverse is not None
    writer.writerow(csv_columns(trace))
    directions = trace.directions  # each: gates, candidate, cell, hidden, the trace JSON's order
    T, L, H = trace.hidden.shape
    rows = 0
    for t in range(T):
        token = csv_text(trace.tokens[t])
        known = "true" if trace.known[t] else "false"
        for k in range(L):
            for direction, arrays in directions.items():
                where = (t, token, known, k, direction) if both_ways else (t, token, known, k)
                for name, values in arrays.items():
                    for u, v in enumerate(values[t, k]):
                        writer.writerow((*where, u, name, str(v)))
                        rows += 1
    return rows


# Pause interrupts Play, and plotly.js rejects the interrupted animation's promise with no reason
# and no handler: the browser would log "Uncaught (in promise) undefined" at every pause.
QUIET_PAUSE = ("window.addEventListener('unhandledrejection', function (e) {"
               " if (e.reason === undefined) { e.preventDefault(); } });")


def html_page(fig: go.Figure, page_title: str) -> str:
    """One page with plotly.js inside (no CDN, no network), not playing until Play is pressed."""
    page: str = fig.to_html(
        include_plotlyjs=True, full_html=True, auto_play=False, div_id="gatescope",
        post_script=QUIET_PAUSE,
        config={"responsive": True, "displaylogo": False,
                "toImageButtonOptions": {"filename": "gatescope"}},
    )
    head = f"<head>\n    <meta charset=\"utf-8\" />\n    <title>{html.escape(page_title)}</title>"
    return page.replace("<head>\n    <meta charset=\"utf-8\" />", head, 1)


def still(fig: go.Figure, step: int | None = None) -> go.Figure:
    """The figure without its player, for an image: the whole sentence at once, or as it stood
    after word `step` (its frame's data laid over the figure's)."""
    out = go.Figure(fig)
    if step is not None and fig.frames:
        frame = fig.frames[min(max(step, 0), len(fig.frames) - 1)]
        for index, data in zip(frame.traces, frame.data, strict=True):
            out.data[index].update(data.to_plotly_json())
        if frame.layout.to_plotly_json():
            out.update_layout(frame.layout.to_plotly_json())
    out.frames = []
    out.layout.sliders = ()
    out.layout.updatemenus = ()
    out.update_layout(margin={"b": 110})
    return out


def image_bytes(fig: go.Figure, fmt: str) -> bytes:
    """A PNG or SVG of the whole sentence through kaleido; ExportError says what is missing."""
    if importlib.util.find_spec("kaleido") is None:
        raise ExportError(IMAGE_HELP)
    width = fig.layout.width or 1100
    try:
        image: bytes = still(fig).to_image(format=fmt, width=width,
                                            height=fig.layout.height or 600)
    except Exception as exc:  # kaleido's failures (no Chrome, a crashed browser) become one message
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        if "chrome" in str(exc).lower() or "browser" in str(exc).lower():
            raise ExportError(f"kaleido could not start Chrome or Chromium ({text}).\n"
                              "Install Chromium with your system's package manager, or run "
                              "`plotly_get_chrome`, then export again. Exporting .html needs "
                              "nothing more.") from None
        raise ExportError(f"kaleido could not draw the image: {text}") from None
    return image


MEDIA_TYPES = {
    "html": "text/html; charset=utf-8", "json": "application/json",
    "csv": "text/csv; charset=utf-8", "figure": "application/json",
    "png": "image/png", "svg": "image/svg+xml",
}
MAX_COMPARED = 4


class ExportError(ValueError):
    """An export that cannot be made as asked; the message says what to change."""


def models_problem(view: str, fmt: str, names: Sequence[str]) -> str | None:
    """Why these models cannot be exported together in this view and format, or None: the one
    statement of the multi-model rules, for the CLI and GET /api/export alike."""
    if not names:
        return "names no model"
    if len(names) == 1:
        return None
    listed = ", ".join(names)
    if fmt in ("json", "csv"):
        return (f"several models ({listed}) cannot go in one {fmt} file: a {fmt} export holds "
                "one model's trace; give one model")
    if view != "compare":
        return (f"the {view} view shows one model; only compare takes several "
                f"(several models given: {listed})")
    if len(names) > MAX_COMPARED:
        return f"compare at most {MAX_COMPARED} models at once ({len(names)} given)"
    return None


def csv_columns(trace: Trace) -> tuple[str, ...]:
    """The CSV header: a bidirectional model's has a direction column."""
    return CSV_COLUMNS_BOTH_WAYS if trace.reverse is not None else CSV_COLUMNS


def page_title(view: str, traces: Sequence[Trace], direction: str = "forward") -> str:
    """The title of an exported page: the view (and a bidirectional model's direction) and the
    start of the text."""
    shown = f"{view} ({direction})" if traces[0].reverse is not None and view != "compare" else view
    return f"gatescope · {shown} · {' '.join(traces[0].text.split())[:80]}"


def render(traces: Sequence[Trace], view: str, fmt: str, step: int | None = None,
           direction: str = "forward") -> tuple[bytes, str]:
    """The bytes and media type of one export: the only place a file's content is made.

    fmt: html (a self-contained page), json (the trace, full float32 precision), csv, figure (the
    view's Plotly JSON at word `step`, without its player), png or svg (through kaleido).
    Raises ExportError with a message to show.
    """
    if fmt not in MEDIA_TYPES:
        raise ExportError(f"unknown format {fmt!r}; choose one of: {', '.join(MEDIA_TYPES)}")
    problem = models_problem(view, fmt, [t.model.name for t in traces])
    if problem is not None:
        raise ExportError(problem)
    if fmt == "json":
        body = json.dumps(traces[0].to_dict(), ensure_ascii=False, separators=(",", ":"),
                          allow_nan=False)
        return body.encode("utf-8"), MEDIA_TYPES[fmt]
    if fmt == "csv":
        stream = io.StringIO()
        write_csv(traces[0], stream)
        return stream.getvalue().encode("utf-8"), MEDIA_TYPES[fmt]
    try:
        fig = build_figure(view, traces, direction)
    except ValueError as exc:  # a direction the model or the view does not have
        raise ExportError(str(exc)) from None
    if fmt == "figure":
        return still(fig, step).to_json().encode("utf-8"), MEDIA_TYPES[fmt]
    if fmt == "html":
        return html_page(fig, page_title(view, traces, direction)).encode("utf-8"), MEDIA_TYPES[fmt]
    return image_bytes(fig, fmt), MEDIA_TYPES[fmt]


def write_out(out: Path, body: bytes) -> str | None:
    """Write `body` to `out` (making its folder); a one-line message instead of a traceback when
    the file cannot be written (a folder of that name, a full disk, a read-only mount, a parent
    that is a file)."""
    for folder in (out.parent, *out.parent.parents):
        if folder.exists() or folder.is_symlink():
            if not folder.is_dir():
                return f"cannot write {str(out)!r}: {str(folder)!r} is a file, not a folder"
            break
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(body)
    except OSError as exc:
        return f"cannot write {str(out)!r}: {exc.strerror or exc}"
    return None


def export_command(text: str, model: str, view: str, out: Path, direction: str = "forward") -> int:
    """Trace `text` with `model` (comma-separated models for the compare view) and write `out`."""
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        print(f"gatescope: cannot export to {out.name!r}: the file name must end in "
              f"{', '.join('.' + f for f in FORMATS)}", file=sys.stderr)
        return 2
    if view not in VIEWS:
        print(f"gatescope: unknown view {view!r}; choose one of: {', '.join(VIEWS)}",
              file=sys.stderr)
        return 2
    names = [m.strip() for m in model.split(",") if m.strip()]
    problem = models_problem(view, fmt, names)
    if problem is not None:
        print(f"gatescope: --model {problem}", file=sys.stderr)
        return 2
    if fmt in ("png", "svg") and importlib.util.find_spec("kaleido") is None:
        print(f"gatescope: {IMAGE_HELP}", file=sys.stderr)  # say so before any work is done
        return 2
    traces = [load_model(name).trace(text) for name in names]
    try:
        body, _ = render(traces, view, fmt, direction=direction)
    except ExportError as exc:
        print(f"gatescope: {exc}", file=sys.stderr)
        return 2
    error = write_out(out, body)
    if error is not None:
        print(f"gatescope: {error}", file=sys.stderr)
        return 2
    rows = body.count(b"\n") - 1  # a CSV's lines but the header
    if fmt in ("json", "csv"):
        what = (f"the trace of {len(traces[0])} words" if fmt == "json" else
                f"{rows} rows ({', '.join(csv_columns(traces[0]))})")
    else:
        what = f"the {view} view of {', '.join(names)} on {len(traces[0])} words"
    size = len(body)
    print(f"wrote {out} ({size / 1e6:.1f} MB): {what}" if size >= 100_000
          else f"wrote {out} ({size / 1e3:.1f} kB): {what}")
    return 0
