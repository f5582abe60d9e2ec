"""A real `gatescope serve` on 127.0.0.1 for the service tests, the page tests and bench/abuse.py:
a free port, starting it and waiting until it answers, stopping it, and one oversize POST."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ONE_MB_BODY = b'{"text": "' + b"a" * (1024 * 1024) + b'"}'  # four times the body limit


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_serve(args: list[str], env: dict[str, str], log: Path,
                seconds: float = 30) -> tuple[subprocess.Popen[bytes], str]:
    """`gatescope serve --port P *args` with its output in `log`, once GET /healthz answers 200:
    (the process, its base URL). Fails the test (with the log) if it exits or takes longer."""
    port = free_port()
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port),
                                 *args], stdout=out, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + seconds
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    return proc, base
            except httpx.TransportError:
                pass
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, f"the server did not start in {seconds:g} s"
            time.sleep(0.1)
    except BaseException:
        stop(proc)
        raise


def stop(proc: subprocess.Popen[bytes], timeout: float = 10) -> None:
    """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


async def post_oversize(client: httpx.AsyncClient, base: str) -> httpx.Response | str:
    """POST /api/trace with ONE_MB_BODY: the response, or the name of the transport error."""
    try:
        return await client.post(f"{base}/api/trace", content=ONE_MB_BODY,
                                 headers={"content-type": "application/json"})
    except httpx.TransportError as exc:
        return type(exc).__name__
