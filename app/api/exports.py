"""GET /api/export: the page's downloads, made by `app.figures.export.render`, as `gatescope export`.

    format=html    one self-contained page (plotly.js, the figure and its player inside)
    format=json    the trace JSON at full float32 precision
    format=csv     t,token,known,layer,unit,quantity,value: one row per word, layer, unit, quantity
    format=figure  the view's Plotly figure at word `step`, without its player: the page turns it
                   into PNG or SVG with plotly.js's own image export (no kaleido on the server)

Building a figure is pure-Python Plotly work (0.1-0.7 s for a review, seconds for 1,000 words).
Exports run on their own pool of `export_threads` threads, never on the one the traces use, so a
crowd of downloads cannot delay a trace; at most `export_queue` more wait for a thread, and the
next is a 503 with Retry-After, answered at once.
"""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import re
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response

from ..core import Model
from .deps import RegistryDep, SettingsDep, check_text, loaded_model
from .routes import _ERRORS
from .schemas import ErrorOut
from .settings import Settings

router = APIRouter()

View = Literal["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]
Format = Literal["html", "json", "csv", "figure"]


def _slug(text: str) -> str:
    """A file-name-safe piece of a model name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-.")[:40] or "model"


def _libc_trim() -> None:
    """Hand the heap's free pages back to the system (glibc only; elsewhere nothing to do).

    A 1,000-word figure is built from many small Python objects; once freed, glibc keeps the
    pages in the process (180 MB measured after one highway export) unless asked to trim."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


_name = ctypes.util.find_library("c")
try:
    _LIBC = ctypes.CDLL(_name) if _name else None
    if _LIBC is not None and not hasattr(_LIBC, "malloc_trim"):
        _LIBC = None
except OSError:  # pragma: no cover - no C library to load
    _LIBC = None


class ExportPool:
    """The export threads and the count of exports running or waiting for one."""

    def __init__(self, settings: Settings) -> None:
        self.threads = settings.export_threads
        self.limit = settings.export_threads + settings.export_queue
        self.executor = ThreadPoolExecutor(self.threads, thread_name_prefix="export")
        self.pending = 0

    def reserve(self) -> None:
        if self.pending >= self.limit:
            raise HTTPException(503, detail=f"{self.pending} exports are being made or waiting "
                                            "(export_threads + export_queue): try again in a "
                                            "few seconds", headers={"Retry-After": "10"})
        self.pending += 1

    def release(self) -> None:
        self.pending -= 1
        if self.pending == 0:
            self.executor.submit(_libc_trim)


@dataclass(frozen=True)
class ExportJob:
    """A checked export request: everything render() needs but the traces."""

    models: list[Model]
    tokens: list[str]
    text: str
    view: str
    format: str
    step: int | None
    direction: str


async def export_job(
    request: Request,
    settings: SettingsDep,
    registry: RegistryDep,
    text: Annotated[str, Query(description="the text to trace")],
    model: Annotated[str | None, Query(max_length=200, description=(
        "a loaded model's name; for view=compare, several separated by commas"))] = None,
    view: Annotated[View, Query(description="the view, for html and figure")] = "highway",
    format: Annotated[Format, Query(
        description="html: a self-contained page; json: the trace; csv: one row per word, layer, "
                    "unit and quantity; figure: the Plotly figure at `step`, for the page's PNG/SVG")
    ] = "html",
    step: Annotated[int | None, Query(ge=0, le=100_000, description="word index for figure")] = None,
    direction: Annotated[Literal["forward", "reverse", "both"], Query(
        description="a bidirectional model's direction, for html and figure; both: the highway "
                    "as two roads")] = "forward",
) -> AsyncIterator[ExportJob]:
    """The dependency of GET /api/export: every check, before any work. It holds a place in the
    export pool (or answers 503) until the answer has been sent."""
    from ..figures.export import models_problem

    pool: ExportPool = request.app.state.export_pool
    pool.reserve()
    try:
        tokens = check_text(text, settings)
        names = [n.strip() for n in (model or registry.default).split(",") if n.strip()] or \
            [registry.default]
        problem = models_problem(view, format, names)
        if problem is not None:
            raise HTTPException(422, f"model: {problem}")
        models = [loaded_model(registry, n) for n in names]
        if format in ("html", "figure") and direction != "forward":
            if not models[0].config.bidirectional:
                raise HTTPException(422, f"direction: {names[0]} reads forward only; "
                                         f"{direction!r} needs a bidirectional model")
            if direction == "both" and view != "highway":
                raise HTTPException(422, "direction: 'both' is the highway as two roads; for the "
                                         f"{view} view give forward or reverse")
        yield ExportJob(models, tokens, text, view, format, step, direction)
    finally:
        pool.release()


ExportDep = Annotated[ExportJob, Depends(export_job)]


@router.get("/api/export", response_class=Response, tags=["api"],
            responses={**_ERRORS, 503: {"model": ErrorOut, "description": (
                "export_threads + export_queue exports are under way: retry after Retry-After")}},
            summary="Download a view or the trace")
async def export(job: ExportDep, request: Request) -> Response:
    """The same files as `gatescope export`, as a download (figure: JSON for the page itself)."""
    from ..figures.export import render

    def work() -> tuple[bytes, str]:
        traces = [m.trace_tokens(job.tokens, text=job.text) for m in job.models]
        return render(traces, job.view, job.format, job.step, job.direction)

    pool: ExportPool = request.app.state.export_pool
    body, media_type = await asyncio.get_running_loop().run_in_executor(pool.executor, work)
    headers = {"cache-control": "no-store"}
    if job.format != "figure":
        what = job.view if job.format == "html" else "trace"
        name = _slug(job.models[0].name)
        headers["content-disposition"] = f'attachment; filename="gatescope-{name}-{what}.{job.format}"'
    return Response(body, media_type=media_type, headers=headers)
