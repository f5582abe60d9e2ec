"""The JSON and streaming API. Thin: the dependencies check and compute, these only encode."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Response
from fastapi.sse import EventSourceResponse, ServerSentEvent

from .deps import RegistryDep, SettingsDep, TraceBodyDep, TraceQueryDep
from .encoding import trace_json
from .schemas import ErrorOut, Health, Limits, ModelInfo, ModelsOut, TraceOut
from .sse import trace_events

router = APIRouter()

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorOut, "description": "the request body is over max_body_bytes"},
    422: {"model": ErrorOut, "description": "a field to change: text, model or clamp"},
}
# The stream routes answer text/event-stream, but their errors are JSON: say so explicitly, or
# FastAPI documents the errors with the route's own media type.
_STREAM_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": doc["description"], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for status, doc in _ERRORS.items()
}
_STREAM_DOC = ('text/event-stream: event "meta" {model, text, tokens}, one event "step" per time '
               'step (an element of the trace\'s "steps"), then "done" {probs}; "error" {detail} '
               "if it fails mid-stream. Bad input is a 4xx JSON before the stream starts.")


@router.get("/healthz", response_model=Health, tags=["service"])
async def healthz() -> Health:
    return Health()


@router.get("/api/models", response_model=ModelsOut, tags=["api"])
async def list_models(registry: RegistryDep, settings: SettingsDep) -> ModelsOut:
    """Every loaded model with its config and held-out metrics, the default, and the limits."""
    return ModelsOut(
        default_model=registry.default,
        models=[ModelInfo(**m.config.to_dict()) for m in registry.models.values()],
        limits=Limits(max_chars=settings.max_chars, max_tokens=settings.max_tokens,
                      max_body_bytes=settings.max_body_bytes, precision=settings.precision),
    )


@router.post("/api/trace", response_model=TraceOut, responses=_ERRORS, tags=["api"])
def trace(trace: TraceBodyDep, settings: SettingsDep) -> Response:
    """Trace the text: every gate, candidate, cell and hidden vector of every step."""
    return Response(trace_json(trace, settings.precision), media_type="application/json")


@router.post("/api/trace/stream", response_class=EventSourceResponse, responses=_STREAM_ERRORS,
             tags=["api"], description=_STREAM_DOC)
async def stream_post(trace: TraceBodyDep, settings: SettingsDep) -> AsyncIterator[ServerSentEvent]:
    for event in trace_events(trace, settings.precision):
        yield event


@router.get("/api/trace/stream", response_class=EventSourceResponse, responses=_STREAM_ERRORS,
            tags=["api"], description=_STREAM_DOC + " The GET form is for the browser's EventSource.")
async def stream_get(trace: TraceQueryDep, settings: SettingsDep) -> AsyncIterator[ServerSentEvent]:
    for event in trace_events(trace, settings.precision):
        yield event
