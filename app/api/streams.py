"""Bounds on slow and numerous clients: a send timeout on every answer, a cap on open streams.

A client that opens a stream and never reads holds its trace, its buffered events and a socket
for as long as it likes: 1,000 of them took a server from 362 to 1,806 MB (issue 12). So:

- SendTimeout: the kernel's send buffer of each answer is bounded (SEND_BUFFER_BYTES), and when
  a client has read nothing for `seconds` (the server's send is still waiting for room in that
  buffer), the connection is aborted: its socket and buffers are freed at once.
- StreamSlots: at most `limit` streams are open at a time; one more is a 503 with Retry-After,
  decided before the trace is computed (so a crowd cannot make the server compute its traces).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import AsyncIterator
from typing import Any

from fastapi import HTTPException, Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("gatescope")


# The kernel's buffer for what a client has not read yet. Left to autotuning it grows to 4 MiB on
# Linux, which swallows a whole 1,000-token stream (1.5 MB): the server would never notice that
# the client reads nothing, and 1,000 such clients would hold 4 GB of kernel memory.
SEND_BUFFER_BYTES = 256 * 1024


def _transport(send: Send) -> Any:
    """The asyncio transport under uvicorn's send (a method of its request cycle), or None under
    another server: the ASGI interface itself offers no way to bound or abort a connection."""
    return getattr(getattr(send, "__self__", None), "transport", None)


def _bound_buffer(transport: Any) -> None:
    sock = transport.get_extra_info("socket") if transport is not None else None
    if sock is not None:
        # OSError: not a TCP socket (a Unix socket on some systems), nothing to bound.
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER_BYTES)


def _abort(transport: Any) -> None:
    """Close the connection at once, dropping what is still buffered for it: closing it politely
    (what uvicorn does after an error) would wait for a client that never reads to take the
    buffered bytes, so its socket would stay open."""
    if transport is not None and hasattr(transport, "abort"):
        transport.abort()


class ClientTooSlowError(Exception):
    """Raised out of the app when a send timed out and the connection could not be aborted."""


class SendTimeout:
    """Drops a client that has read nothing for `seconds` while the server had something to send.

    Outermost middleware, so the send it wraps is the server's own.
    """

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        dropped = False
        transport = _transport(send)

        async def timed_send(message: Message) -> None:
            nonlocal dropped
            if dropped:
                return  # the connection is gone: the rest of the answer goes nowhere
            if message["type"] == "http.response.start":
                _bound_buffer(transport)
            try:
                async with asyncio.timeout(self.seconds):
                    await send(message)
            except TimeoutError:
                dropped = True
                log.warning("dropped a client on %s that read nothing for %g s",
                            scope["path"], self.seconds)
                if transport is None:
                    raise ClientTooSlowError(scope["path"]) from None
                _abort(transport)

        await self.app(scope, receive, timed_send)


class StreamSlots:
    """Counts the open streams of this process."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0

    def take(self) -> None:
        if self.open >= self.limit:
            raise HTTPException(503, detail=f"the server is streaming to {self.limit:,} clients "
                                             "already (max_streams): try again in a few seconds",
                                headers={"Retry-After": "5"})
        self.open += 1

    def give_back(self) -> None:
        self.open -= 1


async def stream_slot(request: Request) -> AsyncIterator[None]:
    """Dependency of the stream routes: holds one slot from before the trace is computed until
    the stream is over, however it ends (FastAPI closes a dependency with yield after a streaming
    answer has been sent); a 503 if none is free."""
    slots: StreamSlots = request.app.state.stream_slots
    slots.take()
    try:
        yield
    finally:
        slots.give_back()
