"""The JSON and streaming API. Thin: the dependencies check and compute, these only encode."""

from __future__ import annotations

from functools import partial
from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.sse import EventSourceResponse
from pydantic import BaseModel

from .deps import RegistryDep, SettingsDep, TraceBodyDep, TraceQueryDep, sized
from .encoding import trace_json
from .schemas import DoneEvent, ErrorOut, Health, Limits, MetaEvent, ModelInfo, ModelsOut, TraceOut
from .sse import event_stream
from .streams import stream_slot

router = APIRouter()

_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "the body is not UTF-8 JSON"},
    413: {"model": ErrorOut, "description": "the request body is over max_body_bytes"},
    422: {"model": ErrorOut, "description": "a field to change: text, model or clamp"},
}
_BUSY: dict[int | str, dict[str, Any]] = {
    503: {"model": ErrorOut, "description": "max_streams streams are open already: retry after "
                                            "the Retry-After seconds"},
}
# The stream routes return a ready EventSourceResponse (app/api/sse.py says why); declaring it as
# their response_class would make FastAPI expect a generator, so the docs say text/event-stream
# here, and that their errors are JSON.
_STREAM_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": doc["description"], "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorOut"}}}}
    for status, doc in {**_ERRORS, **_BUSY}.items()
}
_REF = "#/components/schemas/{model}"


def _event(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """One kind of event, in OpenAPI 3.2's itemSchema form for text/event-stream."""
    return {"type": "object", "required": ["event", "data"], "properties": {
        "event": {"const": name},
        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data}}}


def _inline(model: type[BaseModel]) -> dict[str, Any]:
    schema = model.model_json_schema(ref_template=_REF)
    schema.pop("$defs", None)  # the models it refers to are in the components already
    return schema


_STREAM_OK: dict[int | str, dict[str, Any]] = {200: {
    "description": "the events of the trace, in this order: meta, step (one per token), done",
    "content": {"text/event-stream": {"itemSchema": {"oneOf": [
        _event("meta", _inline(MetaEvent)),
        _event("step", {"$ref": _REF.format(model="StepOut")}),
        _event("done", _inline(DoneEvent)),
        _event("error", {"$ref": _REF.format(model="ErrorOut")}),
    ]}}},
}}
_STREAM_DOC = ('text/event-stream: event "meta" {model, text, tokens}, one event "step" per time '
               'step (an element of the trace\'s "steps"), then "done" {probs, verdict}; "error" {detail} '
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
async def trace(trace: TraceBodyDep, settings: SettingsDep) -> Response:
    """Trace the text: every gate, candidate, cell and hidden vector of every step."""
    body = await sized(len(trace), partial(trace_json, trace, settings.precision))
    return Response(body, media_type="application/json")


@router.post("/api/trace/stream", response_class=Response, responses={**_STREAM_OK, **_STREAM_ERRORS},
             tags=["api"], description=_STREAM_DOC, summary="Stream a trace",
             dependencies=[Depends(stream_slot)])
async def stream_post(trace: TraceBodyDep, settings: SettingsDep) -> EventSourceResponse:
    return await event_stream(trace, settings.precision)


@router.get("/api/trace/stream", response_class=Response, responses={**_STREAM_OK, **_STREAM_ERRORS},
            tags=["api"], summary="Stream a trace (EventSource)",
            description=_STREAM_DOC + " The GET form is for the browser's EventSource.",
            dependencies=[Depends(stream_slot)])
async def stream_get(trace: TraceQueryDep, settings: SettingsDep) -> EventSourceResponse:
    return await event_stream(trace, settings.precision)
