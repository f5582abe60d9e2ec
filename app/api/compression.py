"""Compressed text responses: brotli where the client takes it, else gzip; never the SSE stream.

Starlette's GZipMiddleware would do gzip alone and compress plotly.min.js (4.8 MB) again on every
request (~0.15 s of CPU each); here a file with an ETag (every static file and plotly.js) is
compressed once per process and kept, and brotli, where the browser offers it, makes plotly.js
1.23 MB instead of gzip's 1.47 MB. Only the listed text types are compressed: the event stream is
passed through message by message, so each step still reaches the browser when it is produced.
"""

from __future__ import annotations

import asyncio
import zlib
from typing import Any

import anyio.to_thread
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

try:
    import brotli  # type: ignore[import-untyped]
except ImportError:  # gzip alone
    brotli = None

COMPRESSIBLE = frozenset({"text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "image/svg+xml", "text/plain", "text/csv"})
MINIMUM_SIZE = 500  # below this the headers cost more than compression saves
THREAD_SIZE = 64 * 1024  # compress larger bodies off the event loop
# Static files are compressed once, so they get the slower, smaller settings (plotly.js: brotli 9
# 0.4 s, 1.23 MB; gzip 9 0.15 s, 1.47 MB); answers made per request get the quick ones.
CACHED_LEVEL = {"br": 9, "gzip": 9}
FRESH_LEVEL = {"br": 5, "gzip": 6}
CACHE_BYTES = 32 * 1024 * 1024


def compress(body: bytes, encoding: str, level: int) -> bytes:
    if encoding == "br":
        return bytes(brotli.compress(body, quality=level))
    gz = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return gz.compress(body) + gz.flush()


def choose_encoding(accept_encoding: str) -> str | None:
    """"br" if offered (and the brotli package is installed), else "gzip" if offered, else None."""
    offered = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")
               if not part.replace(" ", "").endswith(";q=0")}
    if "br" in offered and brotli is not None:
        return "br"
    return "gzip" if "gzip" in offered else None


class Compression:
    """ASGI middleware: compress whole text responses; pass every other response through as is."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.cache: dict[tuple[str, str, str], bytes] = {}
        self.cache_lock = asyncio.Lock()  # one request compresses a file; the others wait for it

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] == "HEAD":
            await self.app(scope, receive, send)
            return
        encoding = choose_encoding(Headers(scope=scope).get("accept-encoding", ""))
        start: Message | None = None  # held back while the body of a compressible answer gathers
        chunks: list[bytes] = []

        async def send_compressed(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=message["headers"])
                media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
                if (media_type in COMPRESSIBLE and "content-encoding" not in headers
                        and message["status"] not in (204, 206, 304)):
                    headers.add_vary_header("Accept-Encoding")
                    if encoding is not None:
                        start = message
                        return
                await send(message)
            elif start is None:
                await send(message)
            elif message["type"] != "http.response.body":  # e.g. a pathsend: send it as it is
                await send(start)
                start = None
                await send(message)
            else:
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    body = await self._finish(scope["path"], start, b"".join(chunks), encoding or "")
                    await send(start)
                    await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_compressed)

    async def _finish(self, path: str, start: Message, body: bytes, encoding: str) -> bytes:
        """The body to send, compressed if that pays; `start`'s headers are set to match."""
        if len(body) < MINIMUM_SIZE:
            return body
        headers = MutableHeaders(raw=start["headers"])
        etag = headers.get("etag")
        if etag is None:
            packed = await self._compress(body, encoding, FRESH_LEVEL[encoding])
        else:
            packed = await self._cached(path, etag, body, encoding)
            # The compressed bytes are another representation: a weak ETag says so (Starlette's
            # StaticFiles ignores the W/ when it compares If-None-Match, so 304s still work).
            headers["etag"] = etag if etag.startswith("W/") else f"W/{etag}"
        if len(packed) >= len(body):
            return body
        headers["content-encoding"] = encoding
        headers["content-length"] = str(len(packed))
        return packed

    async def _cached(self, path: str, etag: str, body: bytes, encoding: str) -> bytes:
        key = (path, etag, encoding)
        async with self.cache_lock:
            if key not in self.cache:
                packed = await self._compress(body, encoding, CACHED_LEVEL[encoding])
                if sum(map(len, self.cache.values())) + len(packed) > CACHE_BYTES:
                    return packed
                self.cache[key] = packed
            return self.cache[key]

    @staticmethod
    async def _compress(body: bytes, encoding: str, level: int) -> bytes:
        if len(body) < THREAD_SIZE:
            return compress(body, encoding, level)
        packed: Any = await anyio.to_thread.run_sync(compress, body, encoding, level)
        return bytes(packed)
