"""A real `gatescope serve` process on 127.0.0.1: many concurrent streams, clients that hang up
half way; every stream completes or is cleaned up, and the server keeps answering."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import httpx
import pytest

from .conftest import CEREAL, Server, parse_sse

STREAMS, QUITTERS = 60, 30


def open_sockets(pid: int) -> int:
    """How many sockets the server process holds (Linux /proc)."""
    fds = Path(f"/proc/{pid}/fd")
    return sum(1 for fd in fds.iterdir() if os.readlink(fd).startswith("socket:"))


def test_serve_prints_the_url_to_open(server: Server) -> None:
    base, log, _ = server
    assert f"open {base}/" in log.read_text()


async def _full(client: httpx.AsyncClient, base: str, i: int) -> list[tuple[str, object]]:
    if i % 2:
        request = client.build_request("GET", f"{base}/api/trace/stream",
                                       params={"text": CEREAL, "model": "t-gru"})
    else:
        request = client.build_request("POST", f"{base}/api/trace/stream",
                                       json={"text": CEREAL, "model": "t-gru"})
    response = await client.send(request, stream=True)
    body = (await response.aread()).decode("utf-8")
    await response.aclose()
    assert response.status_code == 200
    return parse_sse(body)


async def _quitter(base: str) -> bool:
    """Open a stream on its own connection, read the first chunk, and hang up."""
    async with httpx.AsyncClient(timeout=30) as client:
        long_text = " ".join([CEREAL] * 20)
        async with client.stream("GET", f"{base}/api/trace/stream",
                                 params={"text": long_text, "model": "t-lstm"}) as response:
            async for chunk in response.aiter_bytes():
                return b"event: meta" in chunk
    return False


async def _crowd(base: str) -> tuple[list[list[tuple[str, object]]], list[bool]]:
    limits = httpx.Limits(max_connections=STREAMS, max_keepalive_connections=STREAMS)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        full = [_full(client, base, i) for i in range(STREAMS)]
        quit = [_quitter(base) for _ in range(QUITTERS)]
        results = await asyncio.gather(*full, *quit)
    return list(results[:STREAMS]), list(results[STREAMS:])  # type: ignore[arg-type]


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="counts sockets through Linux /proc")
def test_many_concurrent_streams_and_clients_that_hang_up(server: Server) -> None:
    base, log, pid = server
    reference = httpx.post(f"{base}/api/trace", json={"text": CEREAL, "model": "t-gru"}).json()
    sockets_before = open_sockets(pid)
    full, quitters = asyncio.run(asyncio.wait_for(_crowd(base), timeout=120))
    assert all(quitters)
    for events in full:
        assert [e for e, _ in events] == ["meta"] + ["step"] * len(reference["steps"]) + ["done"]
        assert [d for e, d in events if e == "step"] == reference["steps"]
    # The server is still answering, and the hang-ups left no error behind.
    assert httpx.get(f"{base}/healthz").json() == {"status": "ok"}
    after = httpx.post(f"{base}/api/trace", json={"text": CEREAL, "model": "t-gru"}).json()
    assert after == reference
    # Every connection, finished or abandoned, is closed on the server's side too.
    deadline = time.monotonic() + 10
    while open_sockets(pid) > sockets_before + 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert open_sockets(pid) <= sockets_before + 2
    text = log.read_text()
    assert "Traceback" not in text and "Exception in ASGI" not in text, text[-3000:]
