"""Pure ASGI middleware: security headers on every answer, and a cap on the request body."""

from __future__ import annotations

import asyncio
import json
import logging
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("gatescope")

# The page loads only its own files. plotly.js injects <style> elements, hence 'unsafe-inline' for
# styles (never for scripts); data:/blob: images are Plotly's "download as PNG".
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; "
        "base-uri 'self'; form-action 'self'")
_SHARED = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# /embed exists to be put in other sites' iframes: no frame-ancestors at all, since "*" would
# still refuse a tutorial opened from a file or a sandboxed notebook cell. Nothing else may be
# framed by another site.
_FRAMEABLE = [(b"content-security-policy", _CSP.encode())]
_NOT_FRAMEABLE = [(b"content-security-policy", (_CSP + "; frame-ancestors 'self'").encode()),
                  (b"x-frame-options", b"SAMEORIGIN")]


class SecurityHeaders:
    """Adds the CSP, nosniff, Referrer-Policy and framing rules (and Server-Timing) to every
    HTTP response.

    It is also the last resort: an unforeseen exception becomes a JSON 500 that carries the same
    headers (Starlette's own error page would be sent from outside this middleware, without them).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = _SHARED + (_FRAMEABLE if scope["path"] == "/embed" else _NOT_FRAMEABLE)
        started = False
        t0 = time.perf_counter()

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                names = {k.lower() for k, _ in message.get("headers", [])}
                # Server time until the answer starts: for POST /api/trace, the whole trace and its
                # JSON; for a stream, the trace and the checks (bench/load.py reports it).
                timing = f"app;dur={(time.perf_counter() - t0) * 1e3:.2f}".encode()
                message["headers"] = [*message.get("headers", []),
                                      *((k, v) for k, v in extra if k not in names),
                                      (b"server-timing", timing)]
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Known bad inputs never get here (the tests say so); this keeps a bug from answering
            # a stack trace or an HTML page.
            log.exception("unexpected error on %s %s", scope["method"], scope["path"])
            if started:
                raise
            body = b'{"detail":"internal error: the server could not answer this request"}'
            await send_with_headers({"type": "http.response.start", "status": 500, "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode())]})
            await send_with_headers({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answers 413 to a body over `max_bytes`, announced (Content-Length) or streamed (chunked).

    The body is read here, up to the limit, and replayed to the app, so an oversize upload is cut
    off after `max_bytes` instead of being buffered whole by the JSON parser. The rest of an
    oversize body is read and thrown away (up to DRAIN_BYTES, for at most DRAIN_SECONDS) before
    the 413 is sent: a server that answers and closes while the client is still sending makes
    the client's TCP stack see a reset, and the client never reads the answer.
    """

    DRAIN_BYTES = 16 * 1024 * 1024
    DRAIN_SECONDS = 10.0

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _too_large(self, receive: Receive, send: Send, more: bool) -> None:
        drained = await self._drain(receive) if more else True
        body = json.dumps({"detail": f"the request body is over the limit of {self.max_bytes:,} "
                                     "bytes (max_body_bytes): send a shorter text"}).encode()
        headers = [(b"content-type", b"application/json"),
                   (b"content-length", str(len(body)).encode())]
        if not drained:  # the rest is still on its way: this connection cannot be reused
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _drain(self, receive: Receive) -> bool:
        """Read and discard the rest of the body; True if it all arrived within the bounds."""
        size = 0

        async def rest() -> bool:
            nonlocal size
            while True:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return False
                size += len(message.get("body", b""))
                if not message.get("more_body", False):
                    return True
                if size > self.DRAIN_BYTES:
                    return False

        try:
            return await asyncio.wait_for(rest(), self.DRAIN_SECONDS)
        except TimeoutError:
            return False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    announced = int(value)
                except ValueError:
                    announced = 0  # not a number: let the reading below decide
                if announced > self.max_bytes:
                    await self._too_large(receive, send, more=True)
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            more = bool(message.get("more_body", False))
            if size > self.max_bytes:
                await self._too_large(receive, send, more=more)
                return
            chunks.append(chunk)
            if not more:
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # after the body: wait for the client to go away

        await self.app(scope, replay, send)
