"""Clients that open a stream and never read (issue 12, case 7): at most max_streams are served
at once (the next gets a 503 with Retry-After), and each is dropped, its socket freed, once it has
read nothing for stream_send_timeout seconds (3 here). A real `gatescope serve` with small settings."""

from __future__ import annotations

import contextlib
import os
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import httpx
import pytest

from ..serving import start_serve, stop
from .conftest import parse_sse

STREAMS = 4
TEXT = " ".join(["the film was good but dry !"] * 140)  # 980 tokens: about 1.5 MB of events


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    log = tmp_path_factory.mktemp("strict") / "server.log"
    env = {**os.environ, "GATESCOPE_STREAM_SEND_TIMEOUT": "3", "GATESCOPE_MAX_STREAMS": str(STREAMS)}
    proc, base = start_serve([], env, log)
    try:
        yield base, proc.pid
    finally:
        stop(proc)


def open_sockets(pid: int) -> int:
    """The server's sockets (Linux /proc); an fd that closes while being read is not counted."""
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def stalled_stream(port: int) -> socket.socket:
    """A client that asks for a long stream and then reads nothing."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    query = urlencode({"text": TEXT, "model": "lstm"})
    sock.sendall(f"GET /api/trace/stream?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    return sock


def wait_for(condition: object, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_stalled_streams_are_capped_then_dropped(strict_server: tuple[str, int]) -> None:
    base, pid = strict_server
    port = int(base.rsplit(":", 1)[1])
    idle = open_sockets(pid)
    clients = [stalled_stream(port) for _ in range(STREAMS)]
    try:
        refused: list[httpx.Response] = []

        def one_more_is_refused() -> bool:
            r = httpx.get(f"{base}/api/trace/stream", params={"text": "good"}, timeout=10)
            refused[:] = [r]
            return r.status_code == 503

        assert wait_for(one_more_is_refused, 10), refused[0].status_code
        r = refused[0]
        assert r.headers["retry-after"] == "5"
        assert "max_streams" in r.json()["detail"]
        assert r.headers["x-content-type-options"] == "nosniff"
        # Dropped after reading nothing for 3 s: sockets freed, slots given back.
        assert wait_for(lambda: open_sockets(pid) <= idle, 15), (idle, open_sockets(pid))
        r = httpx.get(f"{base}/api/trace/stream", params={"text": "good"}, timeout=10)
        assert r.status_code == 200 and parse_sse(r.text)[-1][0] == "done"
    finally:
        for sock in clients:
            sock.close()
