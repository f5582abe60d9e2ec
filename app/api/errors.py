"""Every error answers JSON {"detail": "<one sentence saying what to change>"}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

# Where FastAPI says an error is; the client only needs the field path inside it.
_SOURCES = {"body", "query", "path", "header", "cookie"}


def _where(loc: Sequence[Any], prefix: str) -> str:
    parts = [str(p) for p in loc if p not in _SOURCES]
    return ".".join([prefix, *parts] if prefix else parts) or "the body"


def describe_errors(errors: Sequence[Any], prefix: str = "") -> str:
    """Pydantic's error list as one readable sentence per field, e.g. "clamp.0.value: ..."."""
    lines = []
    for err in errors[:5]:
        kind, msg = err.get("type", ""), err.get("msg", "invalid")
        if kind == "json_invalid":
            lines.append("the body is not valid JSON: send {\"text\": \"...\", \"model\": \"lstm\"} "
                         "with Content-Type: application/json")
            continue
        if kind == "missing":
            msg = "is required"
        elif kind == "extra_forbidden":
            msg = "is not a field of this request: remove it"
        lines.append(f"{_where(err.get('loc', ()), prefix)}: {msg}")
    more = len(errors) - 5
    return "; ".join(lines) + (f" (and {more} more)" if more > 0 else "")


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": describe_errors(exc.errors())}, status_code=422)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
