"""Light on the wire: text answers compressed (brotli or gzip), the event stream never; versioned
static files cached for good."""

from __future__ import annotations

import asyncio
import gzip
import re
from typing import Any
from urllib.parse import urlencode

import brotli
import httpx
import pytest
from fastapi.testclient import TestClient

from app.api import compression
from app.api.pages import IMMUTABLE
from app.core import tokenize

from .conftest import CEREAL, Server, parse_sse

PAGE_LINKS = re.compile(r"""(?:src|href)="(/static/[^"]+\?v=[^"]+)\"""")


def raw_get(client: TestClient, url: str, encoding: str, **headers: str) -> httpx.Response:
    """A GET whose body is left as it came (the test client would decode it)."""
    with client.stream("GET", url, headers={"accept-encoding": encoding, **headers}) as r:
        r.raw = b"".join(r.iter_raw())  # type: ignore[attr-defined]
    return r


def decoded(r: httpx.Response) -> bytes:
    body: bytes = r.raw  # type: ignore[attr-defined]
    encoding = r.headers.get("content-encoding")
    return brotli.decompress(body) if encoding == "br" else gzip.decompress(body) if encoding else body


@pytest.mark.parametrize("url", ["/", "/static/js/app.js", "/static/css/gatescope.css",
                                 "/static/palette.json", "/static/vendor/plotly.min.js", "/api/models",
                                 "/openapi.json"])
def test_text_answers_are_compressed_and_decompress_to_the_same_bytes(client: TestClient, url: str) -> None:
    plain = raw_get(client, url, "identity")
    assert plain.status_code == 200 and "content-encoding" not in plain.headers
    assert "accept-encoding" in plain.headers["vary"].lower()
    for offered, expected in (("gzip, deflate, br", "br"), ("gzip", "gzip")):
        r = raw_get(client, url, offered)
        assert r.headers["content-encoding"] == expected, url
        assert int(r.headers["content-length"]) == len(r.raw) < len(plain.raw) * 0.6  # type: ignore[attr-defined]
        assert decoded(r) == plain.raw  # type: ignore[attr-defined]


def test_a_posted_trace_is_compressed(client: TestClient) -> None:
    r = client.post("/api/trace", json={"text": CEREAL}, headers={"accept-encoding": "br"})
    assert r.headers["content-encoding"] == "br" and r.json()["tokens"][0] == "amazing"


def test_a_static_file_is_compressed_once_and_still_revalidates(client: TestClient) -> None:
    first = raw_get(client, "/static/vendor/plotly.min.js", "br")
    again = raw_get(client, "/static/vendor/plotly.min.js", "br")
    assert first.raw == again.raw  # type: ignore[attr-defined]
    etag = first.headers["etag"]
    assert etag.startswith("W/")  # another representation than the identity bytes
    js = raw_get(client, "/static/js/app.js", "gzip")
    assert js.headers["etag"].startswith("W/")
    assert raw_get(client, "/static/js/app.js", "gzip",
                   **{"if-none-match": js.headers["etag"]}).status_code == 304


def test_choose_encoding_follows_accept_encoding() -> None:
    assert compression.choose_encoding("gzip, deflate, br, zstd") == "br"
    assert compression.choose_encoding("gzip;q=1.0, br;q=0") == "gzip"
    assert compression.choose_encoding("identity") is None
    assert compression.choose_encoding("") is None


def test_versioned_static_files_are_immutable_and_the_page_links_the_current_version(
        client: TestClient) -> None:
    page = client.get("/").text
    links = PAGE_LINKS.findall(page)
    assert any("plotly.min.js" in u for u in links) and any("app.js" in u for u in links)
    for url in links:
        assert client.get(url).headers["cache-control"] == IMMUTABLE, url
    assert client.get("/static/js/app.js").headers["cache-control"] == "no-cache"
    assert client.get("/static/js/app.js?v=an-old-version").headers["cache-control"] == "no-cache"
    assert client.get("/static/js/config.js").headers["cache-control"] == "no-cache"  # imported modules


def test_the_event_stream_is_never_compressed(server: Server) -> None:
    with httpx.stream("GET", f"{server.base}/api/trace/stream", params={"text": CEREAL},
                      headers={"accept-encoding": "gzip, br"}, timeout=30) as r:
        assert r.headers["content-type"].startswith("text/event-stream")
        assert "content-encoding" not in r.headers
        events = parse_sse(b"".join(r.iter_raw()).decode("utf-8"))
    assert events[0][0] == "meta" and events[-1][0] == "done"


def test_the_event_stream_leaves_batch_by_batch_through_the_whole_app(client: TestClient) -> None:
    """Through every middleware, the first batch reaches the server before the app has written
    the last one: a middleware that gathered the stream would hand over one message with "done"."""
    text = " ".join(["the film was good , this box of cereal was amazing !"] * 60)
    received: list[bytes] = []
    finished = asyncio.Event()

    async def run() -> None:
        requested = False

        async def receive() -> dict[str, Any]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await finished.wait()
            return {"type": "http.disconnect"}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and message.get("body"):
                received.append(message["body"])
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                finished.set()

        query = urlencode({"text": text}).encode()
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "GET",
                 "scheme": "http", "path": "/api/trace/stream", "raw_path": b"/api/trace/stream",
                 "query_string": query, "root_path": "", "client": ("127.0.0.1", 1),
                 "server": ("127.0.0.1", 80), "app": client.app,
                 "headers": [(b"host", b"127.0.0.1"), (b"accept-encoding", b"gzip, br")]}
        await asyncio.wait_for(client.app(scope, receive, send), timeout=30)

    asyncio.run(run())
    assert len(received) > 3
    assert b"event: meta" in received[0] and b"event: done" not in received[0]
    assert b"event: done" in received[-1]
    kinds = [e for e, _ in parse_sse(b"".join(received).decode("utf-8"))]
    assert kinds[0] == "meta" and kinds[-1] == "done" and kinds.count("step") == len(tokenize(text))
