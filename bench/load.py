"""Load benchmark: N concurrent clients each stream the cereal review from a real `gatescope serve`.

    python bench/load.py                       # 200 clients, shipped "lstm", a fresh server
    python bench/load.py --clients 50 --model gru --method POST
    python bench/load.py --url http://127.0.0.1:8000   # a server that is already running

Prints throughput, p50/p99 time to the first and the last step, errors, and bytes on the wire per
step; then single POST /api/trace requests one after another: the server's own time (its
Server-Timing header: checks, trace and JSON) and the client's round trip. Traffic goes to
127.0.0.1 only, bounded in count and time.

The clients speak raw HTTP/1.1 over asyncio streams: a full HTTP client library in the same
Python process would cost more CPU than the server on a 2-core machine and blur the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.core.examples import CEREAL  # noqa: E402
from tests.serving import free_port  # noqa: E402


@dataclass
class Result:
    status: int = 0
    first_step: float | None = None  # seconds from sending the request
    last_step: float | None = None
    steps: int = 0
    wire_bytes: int = 0
    error: str = ""


def request_bytes(method: str, host: str, port: int, model: str, text: str) -> bytes:
    if method == "GET":
        query = urlencode({"text": text, "model": model})
        head = f"GET /api/trace/stream?{query} HTTP/1.1\r\nHost: {host}:{port}\r\n"
        return (head + "Accept: text/event-stream\r\nConnection: close\r\n\r\n").encode()
    body = json.dumps({"text": text, "model": model}).encode()
    head = (f"POST /api/trace/stream HTTP/1.1\r\nHost: {host}:{port}\r\n"
            "Content-Type: application/json\r\nAccept: text/event-stream\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n")
    return head.encode() + body


async def one_client(host: str, port: int, payload: bytes, start: asyncio.Event,
                     timeout: float) -> Result:
    result = Result()
    await start.wait()
    t0 = time.perf_counter()
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(host, port)
            writer.write(payload)
            await writer.drain()
            tail = b""  # the end of the previous chunk, so a marker split across reads is found
            while chunk := await reader.read(65536):
                now = time.perf_counter() - t0
                result.wire_bytes += len(chunk)
                window = tail + chunk
                if not result.status and window.startswith(b"HTTP/1.1 "):
                    result.status = int(window[9:12])
                found = window.count(b"event: step") - tail.count(b"event: step")
                if found:
                    result.steps += found
                    result.first_step = result.first_step or now
                    result.last_step = now
                if b"event: error" in window:
                    result.error = "error event"
                tail = window[-32:]
            writer.close()
    except (OSError, TimeoutError) as exc:
        result.error = f"{type(exc).__name__}: {exc}"
    if not result.error and result.status != 200:
        result.error = f"HTTP {result.status}"
    return result


async def crowd(host: str, port: int, clients: int, payload: bytes,
                timeout: float) -> tuple[list[Result], float]:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_client(host, port, payload, start, timeout))
             for _ in range(clients)]
    await asyncio.sleep(0.1)  # every task is waiting on the start line
    t0 = time.perf_counter()
    start.set()
    results = await asyncio.gather(*tasks)
    return list(results), time.perf_counter() - t0


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process and its children (Linux /proc), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


def post_json(url: str, body: dict[str, object]) -> tuple[bytes, float, float]:
    """The answer, the client's round trip and the server's own time (Server-Timing), seconds."""
    request = urllib.request.Request(url, data=json.dumps(body).encode(),
                                     headers={"Content-Type": "application/json"})
    t0 = time.perf_counter()
    with urllib.request.urlopen(request, timeout=10) as response:
        data = response.read()
        timing = response.headers.get("server-timing", "dur=nan")
    server = float(timing.rpartition("dur=")[2]) / 1e3
    return data, time.perf_counter() - t0, server


def start_server(port: int, models_dir: Path | None, workers: int) -> subprocess.Popen[bytes]:
    if workers > 1:
        cmd = [sys.executable, "-m", "uvicorn", "app.main:app", "--host", "127.0.0.1",
               "--port", str(port), "--workers", str(workers), "--log-level", "warning"]
    else:
        cmd = [sys.executable, "-m", "app.cli", "serve", "--port", str(port)]
    env = dict(os.environ)
    if models_dir is not None:
        env["GATESCOPE_MODELS_DIR"] = str(models_dir.resolve())
        if workers == 1:
            cmd += ["--models-dir", str(models_dir)]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1):
                return proc
        except OSError:
            if proc.poll() is not None:
                raise SystemExit("the server exited at start-up") from None
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not answer /healthz within 60 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--model", default="lstm")
    parser.add_argument("--method", choices=["GET", "POST"], default="GET",
                        help="GET is what the browser's EventSource sends")
    parser.add_argument("--text", default=CEREAL)
    parser.add_argument("--rounds", type=int, default=1, help="waves of --clients, one after another")
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=1, help="uvicorn --workers for a fresh server")
    parser.add_argument("--url", default=None, help="an already running server on 127.0.0.1")
    parser.add_argument("--timeout", type=float, default=60.0, help="per client, seconds")
    parser.add_argument("--singles", type=int, default=200, help="sequential POST /api/trace")
    args = parser.parse_args()
    if args.clients < 1 or args.clients > 2000:
        parser.error("--clients must be 1 to 2000")

    proc = None
    if args.url:
        parts = urlsplit(args.url)
        host, port = parts.hostname or "127.0.0.1", parts.port or 80
        if host not in ("127.0.0.1", "localhost", "::1"):
            parser.error("load goes to this machine only: use a 127.0.0.1 URL")
    else:
        host, port = "127.0.0.1", free_port()
        proc = start_server(port, args.models_dir, args.workers)
    base = f"http://{host}:{port}"
    try:
        reference, _, _ = post_json(f"{base}/api/trace", {"text": args.text, "model": args.model})
        expected = len(json.loads(reference)["steps"])
        payload = request_bytes(args.method, host, port, args.model, args.text)
        results: list[Result] = []
        elapsed = 0.0
        cpu_before = cpu_seconds(proc.pid) if proc else None
        client_cpu = time.process_time()
        for _ in range(args.rounds):
            wave, seconds = asyncio.run(crowd(host, port, args.clients, payload, args.timeout))
            results += wave
            elapsed += seconds
        cpu_after = cpu_seconds(proc.pid) if proc else None
        client_cpu = time.process_time() - client_cpu
        singles = [post_json(f"{base}/api/trace", {"text": args.text, "model": args.model})[1:]
                   for _ in range(args.singles)]
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=15)

    for r in results:
        if not r.error and r.steps != expected:
            r.error = f"{r.steps} of {expected} steps"
    ok = [r for r in results if not r.error]
    errors = len(results) - len(ok)
    first = [r.first_step for r in ok if r.first_step is not None]
    last = [r.last_step for r in ok if r.last_step is not None]
    steps = sum(r.steps for r in ok)
    print(f"server      {base}  model {args.model}  {args.method} /api/trace/stream  "
          f"{expected} steps per stream  workers {args.workers if proc else '?'}")
    print(f"clients     {args.clients} concurrent x {args.rounds} round(s) = {len(results)} streams")
    print(f"errors      {errors}" + (f"  (first: {next(r.error for r in results if r.error)})"
                                      if errors else ""))
    print(f"throughput  {len(ok) / elapsed:.0f} streams/s, {steps / elapsed:.0f} steps/s "
          f"({elapsed:.2f} s in all)")
    print(f"first step  p50 {pct(first, 0.5) * 1e3:.0f} ms  p99 {pct(first, 0.99) * 1e3:.0f} ms")
    print(f"last step   p50 {pct(last, 0.5) * 1e3:.0f} ms  p99 {pct(last, 0.99) * 1e3:.0f} ms")
    if cpu_before is not None and cpu_after is not None and args.workers == 1:
        # Independent of what else the machine runs: what one server process spent on the crowd.
        print(f"server CPU  {cpu_after - cpu_before:.2f} s for {len(results)} streams = "
              f"{(cpu_after - cpu_before) / len(results) * 1e3:.2f} ms per stream "
              f"(the clients: {client_cpu:.2f} s, on the same cores)")
    if steps:
        print(f"wire        {sum(r.wire_bytes for r in ok) / steps:.0f} bytes per step "
              "(whole response incl. headers, meta and done, divided by the steps)")
    if singles:
        trip, server = [t for t, _ in singles], [s for _, s in singles]
        print(f"single      POST /api/trace one at a time ({len(singles)}): server time p50 "
              f"{statistics.median(server) * 1e3:.2f} ms  p99 {pct(server, 0.99) * 1e3:.2f} ms; "
              f"round trip p50 {statistics.median(trip) * 1e3:.2f} ms")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
