"""GET /api/export: the page's downloads, made by the same code as `gatescope export` (app.figures).

    format=html    one self-contained page (plotly.js, the figure and its player inside)
    format=json    the trace JSON at full float32 precision
    format=csv     t,token,known,layer,unit,quantity,value: one row per word, layer, unit, quantity
    format=figure  the view's Plotly figure at word `step`, without its player: the page turns it
                   into PNG or SVG with plotly.js's own image export (no kaleido on the server)

Building a figure is pure-Python Plotly work (0.1-0.7 s for a review): it runs in a worker thread,
at most EXPORT_THREADS at a time, so the streams of a class keep flowing while someone downloads.
"""

from __future__ import annotations

import io
import re
import threading
from typing import Annotated, Literal

from fastapi import APIRouter, HTTPException, Query, Response
from starlette.concurrency import run_in_threadpool

from ..core import Trace
from .deps import RegistryDep, SettingsDep, check_text, loaded_model
from .encoding import dumps
from .routes import _ERRORS

router = APIRouter()

EXPORT_THREADS = 2
_exporting = threading.BoundedSemaphore(EXPORT_THREADS)  # held in the worker thread, not the loop
View = Literal["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]


def _slug(text: str) -> str:
    """A file-name-safe piece of a model name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:40] or "model"


def _export(traces: list[Trace], view: str, fmt: str, step: int | None,
            direction: str = "forward") -> tuple[bytes, str]:
    """The file's bytes and media type (runs in a worker thread)."""
    from ..figures.export import build_figure, html_page, still, write_csv

    if fmt == "json":
        return dumps(traces[0].to_dict()), "application/json"
    if fmt == "csv":
        stream = io.StringIO()
        write_csv(traces[0], stream)
        return stream.getvalue().encode("utf-8"), "text/csv; charset=utf-8"
    fig = build_figure(view, traces, direction)
    if fmt == "figure":
        return still(fig, step).to_json().encode("utf-8"), "application/json"
    title = f"gatescope · {view} · {' '.join(traces[0].text.split())[:80]}"
    return html_page(fig, title).encode("utf-8"), "text/html; charset=utf-8"


@router.get("/api/export", response_class=Response, responses=_ERRORS, tags=["api"],
            summary="Download a view or the trace")
async def export(
    settings: SettingsDep,
    registry: RegistryDep,
    text: Annotated[str, Query(description="the text to trace")],
    model: Annotated[str | None, Query(max_length=200, description=(
        "a loaded model's name; for view=compare, several separated by commas"))] = None,
    view: Annotated[View, Query(description="the view, for html and figure")] = "highway",
    format: Annotated[Literal["html", "json", "csv", "figure"], Query(
        description="html: a self-contained page; json: the trace; csv: one row per word, layer, "
                    "unit and quantity; figure: the Plotly figure at `step`, for the page's PNG/SVG")
    ] = "html",
    step: Annotated[int | None, Query(ge=0, le=100_000, description="word index for figure")] = None,
    direction: Annotated[Literal["forward", "reverse", "both"], Query(
        description="a bidirectional model's direction, for html and figure; both: the highway "
                    "as two roads")] = "forward",
) -> Response:
    """The same files as `gatescope export`, as a download (figure: JSON for the page itself)."""
    tokens = check_text(text, settings)
    names = [n.strip() for n in (model or registry.default).split(",") if n.strip()] or [registry.default]
    if len(names) > 1 and (view != "compare" or format in ("json", "csv")):
        raise HTTPException(422, f"model: several models ({', '.join(names)}) can only be exported "
                                 "together in the compare view as html or figure: give one model")
    if len(names) > 4:
        raise HTTPException(422, "model: compare at most 4 models at once")
    models = [loaded_model(registry, n) for n in names]
    if format in ("html", "figure") and direction != "forward":
        if not models[0].config.bidirectional:
            raise HTTPException(422, f"direction: {names[0]} reads forward only; {direction!r} "
                                     "needs a bidirectional model")
        if direction == "both" and view != "highway":
            raise HTTPException(422, "direction: 'both' is the highway as two roads; for the "
                                     f"{view} view give forward or reverse")

    def work() -> tuple[bytes, str]:
        with _exporting:
            traces = [m.trace_tokens(tokens, text=text) for m in models]
            return _export(traces, view, format, step, direction)

    body, media_type = await run_in_threadpool(work)
    headers = {"cache-control": "no-store"}
    if format != "figure":
        what = view if format == "html" else "trace"
        headers["content-disposition"] = f'attachment; filename="gatescope-{_slug(names[0])}-{what}.{format}"'
    return Response(body, media_type=media_type, headers=headers)
