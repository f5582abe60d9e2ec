"""The FastAPI application: `create_app(settings)`; `app.main:app` for `uvicorn --workers N`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from starlette.types import ASGIApp

from .api import errors, pages
from .api.compression import Compression
from .api.exports import ExportPool
from .api.exports import router as export_router
from .api.gradients import router as gradients_router
from .api.registry import load_registry
from .api.routes import router
from .api.security import BodyLimit, SecurityHeaders
from .api.settings import Settings
from .api.streams import SendTimeout, StreamSlots

DESCRIPTION = """Trace how an LSTM, a GRU or a plain RNN reads a sentence: every gate, candidate,
cell and hidden vector of every step, whole (`POST /api/trace`) or streamed step by step as
Server-Sent Events (`/api/trace/stream`). Numbers are rounded to the `precision` of
`GET /api/models` (4 decimals by default). Every bad input is a 4xx with a `detail` that says
what to change."""


class _App(FastAPI):
    def build_middleware_stack(self) -> ASGIApp:
        # SendTimeout goes around Starlette's own error middleware, the outermost of the stack:
        # it needs the server's own send to bound and abort a connection (app/api/streams.py).
        return SendTimeout(super().build_middleware_stack(), self.state.settings.stream_send_timeout)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; the models are loaded once, when it starts (the lifespan), and shared."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.registry = load_registry(settings.models_dir, settings.default_model)
        app.state.export_pool = ExportPool(settings)
        yield
        app.state.export_pool.executor.shutdown(wait=False, cancel_futures=True)

    app = _App(title="gatescope", version=pages.VERSION, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.state.stream_slots = StreamSlots(settings.max_streams)
    errors.install(app)
    app.include_router(router)
    app.include_router(export_router)
    app.include_router(gradients_router)
    pages.mount(app)

    # Added innermost first: SecurityHeaders is outermost, so even a 413 or a 500 carries them.
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["Content-Type"])
    app.add_middleware(Compression)  # text answers in brotli or gzip, never the event stream
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(SecurityHeaders)

    def openapi() -> dict[str, Any]:
        # The schema names the loaded models, so /docs offers them and clients know what is valid.
        if app.openapi_schema is None:
            schema = get_openapi(title=app.title, version=app.version,
                                 description=app.description, routes=app.routes)
            registry = getattr(app.state, "registry", None)
            if registry is not None:
                names = {"anyOf": [{"type": "string", "enum": registry.names()}, {"type": "null"}]}
                schema["components"]["schemas"]["TraceRequest"]["properties"]["model"].update(names)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


app = create_app()
