"""Dependencies: settings, the model registry, and a request turned into a checked, computed Trace.

Everything a client can get wrong is found here, before a response starts: a stream that has
begun can no longer change its status code.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException, Query, Request
from pydantic import Field, TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from ..core import ClampError, Model, Trace, tokenize
from ..core.files import name_problem
from .errors import describe_errors
from .registry import Registry
from .schemas import MAX_CLAMPS, ClampIn, TraceRequest
from .settings import Settings

# Newlines, carriage returns and tabs are ordinary whitespace (people paste paragraphs); every
# other C0/C1 control character is refused. Lone surrogates cannot be encoded as UTF-8 at all.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
INLINE_TOKENS = 200  # longer texts are traced and encoded in a worker thread
# Clamps listing more indices than this (all entries together) are checked in a worker thread too.
INLINE_CLAMP_INDICES = 1000
T = TypeVar("T")
# The same cap as TraceRequest.clamp (POST), for the GET stream's clamp parameter.
_CLAMPS: TypeAdapter[list[ClampIn]] = TypeAdapter(
    Annotated[list[ClampIn], Field(max_length=MAX_CLAMPS)])


async def sized(tokens: int, work: Callable[[], T], clamp_indices: int = 0) -> T:
    """Run `work` right here on the event loop for a sentence (a millisecond or two: handing it to
    a thread costs more than that under load), in a worker thread for a long text or long clamp
    lists, so that the other streams keep flowing meanwhile."""
    if tokens <= INLINE_TOKENS and clamp_indices <= INLINE_CLAMP_INDICES:
        return work()
    return await run_in_threadpool(work)


async def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


async def get_registry(request: Request) -> Registry:
    registry: Registry = request.app.state.registry
    return registry


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[Registry, Depends(get_registry)]


def _refuse(detail: str) -> HTTPException:
    return HTTPException(status_code=422, detail=detail)


def check_text(text: str, settings: Settings) -> list[str]:
    """The tokens of `text`, or a 422 that says which limit or character to change."""
    if len(text) > settings.max_chars:
        raise _refuse(f"text: {len(text):,} characters is over the limit of {settings.max_chars:,} "
                      "(max_chars): shorten it")
    bad = _CONTROL.search(text)
    if bad:
        raise _refuse(f"text: control character U+{ord(bad.group()):04X} at position {bad.start()} "
                      "is not allowed (only newlines and tabs are): remove it")
    bad = _SURROGATE.search(text)
    if bad:
        raise _refuse(f"text: unpaired surrogate U+{ord(bad.group()):04X} at position {bad.start()} "
                      "is not valid Unicode: send the text as UTF-8")
    tokens = tokenize(text)
    if not tokens:
        raise _refuse("text: it is empty or only whitespace: type at least one word")
    if len(tokens) > settings.max_tokens:
        raise _refuse(f"text: {len(tokens):,} tokens is over the limit of {settings.max_tokens:,} "
                      "(max_tokens): shorten it")
    return tokens


def loaded_model(registry: Registry, name: str) -> Model:
    """The loaded model called `name`, or a 422 that lists the names there are. Names are
    checked by the rule models are loaded by (repr shows any odd character escaped)."""
    problem = name_problem(name)
    if problem is not None:
        raise _refuse(f"model: {name[:60]!r} is not a model name: it {problem}; use one of "
                      f"{', '.join(registry.names())} (GET /api/models)")
    model = registry.models.get(name)
    if model is None:
        raise _refuse(f"model: no model named {name!r} is loaded; use one of "
                      f"{', '.join(registry.names())} (GET /api/models)")
    return model


async def compute_trace(body: TraceRequest, settings: Settings, registry: Registry) -> Trace:
    """Check the request against the limits and the loaded models, then run the model."""
    tokens = check_text(body.text, settings)
    model = loaded_model(registry, registry.default if body.model is None else body.model)
    clamps = [c.model_dump() for c in body.clamp or []]
    indices = sum(len(c["steps"] or ()) + len(c["units"] or ()) for c in clamps)
    try:
        return await sized(len(tokens), partial(model.trace_tokens, tokens, text=body.text,
                                                 clamp=clamps), clamp_indices=indices)
    except ClampError as exc:
        raise _refuse(str(exc)) from None


async def trace_from_body(body: TraceRequest, settings: SettingsDep, registry: RegistryDep) -> Trace:
    return await compute_trace(body, settings, registry)


async def trace_from_query(
    settings: SettingsDep,
    registry: RegistryDep,
    text: Annotated[str, Query(description="the text to trace")],
    model: Annotated[str | None, Query(max_length=200, description="a loaded model's name")] = None,
    clamp: Annotated[str | None, Query(
        description='interventions as JSON, e.g. [{"gate": "forget", "value": 1}]')] = None,
) -> Trace:
    """The GET form, for the browser's EventSource: the same fields, clamp as a JSON string."""
    clamps = None
    if clamp is not None and clamp.strip():
        try:
            clamps = _CLAMPS.validate_json(clamp, strict=True)
        except ValidationError as exc:
            raise _refuse(describe_errors(exc.errors(), prefix="clamp")) from None
    return await compute_trace(TraceRequest.model_construct(text=text, model=model, clamp=clamps),
                         settings, registry)


TraceBodyDep = Annotated[Trace, Depends(trace_from_body)]
TraceQueryDep = Annotated[Trace, Depends(trace_from_query)]
