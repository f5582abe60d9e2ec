"""Every error answers JSON {"detail": "<one sentence saying what to change>"}."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

# Where FastAPI says an error is; the client only needs the field path inside it.
_SOURCES = {"body", "query", "path", "header", "cookie"}


_EXAMPLE = "{\"text\": \"...\", \"model\": \"lstm\"}"
_FRIENDLY = {
    "missing": "is required",
    "list_type": "must be a list (a JSON array)",
    "extra_forbidden": "is not a field of this request: remove it",
}


def _where(loc: Sequence[Any], prefix: str) -> str:
    """The field path without FastAPI's "body"/"query" part: "clamp.0.value"; "" for the body."""
    return ".".join([prefix, *(str(p) for p in loc if p not in _SOURCES)] if prefix else
                    [str(p) for p in loc if p not in _SOURCES])


def _invalid_json(err: Any, prefix: str) -> str:
    """JSON that does not parse: where it breaks, and what was expected. FastAPI puts the body's
    character offset in the error's location, which is not a field."""
    loc = [p for p in err.get("loc", ()) if p not in _SOURCES]
    # The json module's reasons end in "at" ("Invalid control character at"): the offset follows.
    reason = str((err.get("ctx") or {}).get("error", "")).strip().removesuffix(" at")
    at = f" at character {loc[0]}" if loc and isinstance(loc[0], int) else ""
    why = f" ({reason}{at})" if reason else at
    if prefix:  # a JSON-valued parameter: the GET stream's clamp
        return (f"{prefix}: is not valid JSON{why}: send a list like "
                "[{\"gate\": \"forget\", \"value\": 1}]")
    return (f"the body is not valid JSON{why}: send {_EXAMPLE} with "
            "Content-Type: application/json")


def describe_errors(errors: Sequence[Any], prefix: str = "") -> str:
    """Pydantic's error list as one readable sentence per field, e.g. "clamp.0.value: ..."."""
    lines = []
    for err in errors[:5]:
        kind, where = err.get("type", ""), _where(err.get("loc", ()), prefix)
        if kind == "json_invalid":
            lines.append(_invalid_json(err, prefix))
        elif not where:
            lines.append(f"the body must be a JSON object like {_EXAMPLE}")
        elif kind == "too_long":
            ctx = err.get("ctx", {})
            lines.append(f"{where}: has {ctx.get('actual_length', 'too many')} items, at most "
                         f"{ctx.get('max_length')}: send fewer")
        else:
            lines.append(f"{where}: {_FRIENDLY.get(kind, err.get('msg', 'is invalid'))}")
    more = len(errors) - 5
    return "; ".join(lines) + (f" (and {more} more)" if more > 0 else "")


async def _validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": describe_errors(exc.errors())}, status_code=422)


async def _http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(exc.headers or {})
    detail = exc.detail
    if exc.status_code == 400 and detail == "There was an error parsing the body":
        # FastAPI's words for a body it could not decode; the cause says which way it failed.
        if isinstance(exc.__cause__, RecursionError):
            detail = (f"the body is nested too deeply to read: send a flat object like {_EXAMPLE}")
        else:
            detail = f"the body could not be read as UTF-8 JSON: send {_EXAMPLE}"
    if exc.status_code == 405:
        # Starlette names only the first route on a path; /api/trace/stream has two (GET, POST).
        # The OpenAPI schema knows every method of every API path.
        documented = request.app.openapi()["paths"].get(request.url.path, {})
        allowed = sorted(m.upper() for m in documented) or \
            [m.strip() for m in headers.get("Allow", "").split(",") if m.strip()]
        headers["Allow"] = ", ".join(allowed)
        detail = f"method {request.method} is not allowed here: use {' or '.join(allowed)}"
    return JSONResponse({"detail": detail}, status_code=exc.status_code, headers=headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _validation)
    app.add_exception_handler(HTTPException, _http)
