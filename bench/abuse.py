"""Abuse benchmark: clients that stall, and a crowd of exports, against a fresh `gatescope serve`.

    python bench/abuse.py                      # every case, default sizes
    python bench/abuse.py --case stalled --clients 1000 --timeout 10
    python bench/abuse.py --case exports --exports 80

stalled  CLIENTS raw connections each open GET /api/trace/stream of a 1,000-token text and never
         read a byte. Sampled every half second: the server's RSS, its open sockets and the
         latency of GET /healthz. Reported: statuses (200 = a stream, 503 = max_streams), peak RSS
         above idle, worst /healthz, and the sockets still open after the send timeout.
exports  EXPORTS concurrent GET /api/export of a 700-word highway figure (the 11.7 GB repro with
         four), while a 300-word POST /api/trace is timed. Reported: statuses (200, or 503 when
         the export queue is full), peak RSS above idle, the RSS after, and the trace's latency.
bodies   40 POSTs of a 1 MB body (four times the limit) at once on 10 pooled connections, then 40
         one at a time: how many read their 413 and how many saw a transport error instead.
clamps   one 241 kB clamp body (6 entries of 10,000 steps × 10,000 units) timed, eight at once
         with GET /healthz timed meanwhile, and GET streams with 64, 65, 2,000 and 4,000 clamps.

Traffic goes to 127.0.0.1 only; every case is bounded in count and in time.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.serving import free_port, post_oversize, stop  # noqa: E402

# Short words: 1,000 of them fit in the 5,000-character limit.
WORDS = ["the", "film", "was", "good", "but", "dry", "and", "a", "box", "of", "cereal", "I",
         "will", "buy", "it", "again", "!"]


def text_of(n: int) -> str:
    return " ".join(WORDS[i % len(WORDS)] for i in range(n))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def sockets(pid: int) -> int:
    fds = Path(f"/proc/{pid}/fd")
    count = 0
    for fd in fds.iterdir():
        with contextlib.suppress(OSError):
            count += os.readlink(fd).startswith("socket:")
    return count


def start_server(env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    log = open(Path(tempfile.gettempdir()) / f"gatescope-abuse-{port}.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)],
                            cwd=ROOT, env={**os.environ, **env}, stdout=log,
                            stderr=subprocess.STDOUT)
    print(f"server log: {log.name}", file=sys.stderr)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=1).read()
            return proc, base
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("the server did not start in 60 s")


async def healthz(port: int) -> float:
    """Seconds for one GET /healthz on a fresh connection (10 s if it does not answer)."""
    t0 = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), 10)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        await asyncio.wait_for(reader.read(), 10)
        writer.close()
    except (TimeoutError, OSError):
        return 10.0
    return time.perf_counter() - t0


async def sample(pid: int, port: int, seconds: float, out: list[tuple[float, float, int, float]],
                 t0: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        out.append((time.monotonic() - t0, rss_mb(pid), sockets(pid), await healthz(port)))
        await asyncio.sleep(0.5)


async def stalled(pid: int, port: int, clients: int, wait: float) -> dict[str, object]:
    query = urlencode({"text": text_of(1000)})
    request = f"GET /api/trace/stream?{query} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
    idle = rss_mb(pid)
    statuses: Counter[str] = Counter()
    conns = []
    t0 = time.monotonic()
    samples: list[tuple[float, float, int, float]] = []
    sampler = asyncio.create_task(sample(pid, port, wait, samples, t0))
    for _ in range(clients):
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a client that reads nothing
        sock.setblocking(False)
        try:
            await asyncio.wait_for(asyncio.get_running_loop().sock_connect(sock, ("127.0.0.1", port)), 10)
            await asyncio.get_running_loop().sock_sendall(sock, request)
        except (TimeoutError, OSError) as exc:
            statuses[type(exc).__name__] += 1
            sock.close()
            continue
        conns.append(sock)
    await asyncio.sleep(2)
    for sock in conns:  # peek at the status line only (the 503s are short answers)
        try:
            head = sock.recv(64)
            statuses[head.split(b" ")[1].decode() if head.startswith(b"HTTP/") else "none"] += 1
        except BlockingIOError:
            statuses["no answer yet"] += 1
        except OSError as exc:
            statuses[type(exc).__name__] += 1
    await sampler
    for sock in conns:
        sock.close()
    slow = [t for t, _, _, h in samples if h > 0.5]
    crowded = [t for t, _, n, _ in samples if n > clients // 10]
    return {"clients": clients, "statuses": dict(statuses), "idle_mb": round(idle),
            "peak_mb_above_idle": round(max(s[1] for s in samples) - idle),
            "worst_healthz_s": round(max(s[3] for s in samples), 3),
            "healthz_under_0.5s_from_s": round(slow[-1] + 0.5, 1) if slow else 0.0,
            "sockets_over_10pct_until_s": round(crowded[-1], 1) if crowded else 0.0,
            "server_sockets_at_end": samples[-1][2], "sampled_s": round(samples[-1][0], 1),
            "healthz_s_at_end": round(samples[-1][3], 3)}


async def exports(pid: int, port: int, count: int) -> dict[str, object]:
    idle = rss_mb(pid)
    base = f"http://127.0.0.1:{port}"
    url = f"{base}/api/export?" + urlencode({"text": text_of(700), "view": "highway",
                                             "format": "figure"})
    peak = idle
    done = False

    async def watch() -> None:
        nonlocal peak
        while not done:
            peak = max(peak, rss_mb(pid))
            await asyncio.sleep(0.1)

    def get(u: str, body: bytes | None = None) -> int:
        req = urllib.request.Request(u, data=body, headers={"content-type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=300) as r:
                r.read()
                return int(r.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    loop = asyncio.get_running_loop()
    watcher = asyncio.create_task(watch())
    t0 = time.monotonic()
    clients = ThreadPoolExecutor(count + 1)  # every request in flight at once
    jobs = [loop.run_in_executor(clients, get, url) for _ in range(count)]
    await asyncio.sleep(1.0)
    body = json.dumps({"text": text_of(300)}).encode()
    t1 = time.perf_counter()
    trace_status = await loop.run_in_executor(clients, get, f"{base}/api/trace", body)
    trace_s = time.perf_counter() - t1
    statuses = Counter(await asyncio.gather(*jobs))
    wall = time.monotonic() - t0
    await asyncio.sleep(2)
    done = True
    await watcher
    clients.shutdown()
    return {"exports": count, "statuses": dict(statuses), "wall_s": round(wall, 1),
            "idle_mb": round(idle), "peak_mb_above_idle": round(peak - idle),
            "after_mb_above_idle": round(rss_mb(pid) - idle),
            "trace_300_words": trace_status, "trace_s": round(trace_s, 3)}


async def bodies(base: str) -> dict[str, object]:
    import httpx

    out: dict[str, object] = {}
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=10)) as client:
        async def one() -> str:
            r = await post_oversize(client, base)
            if isinstance(r, str):
                return r
            return f"{r.status_code}{' with its message' if 'max_body_bytes' in r.text else ''}"

        out["at_once"] = dict(Counter(await asyncio.gather(*[one() for _ in range(40)])))
        out["one_at_a_time"] = dict(Counter([await one() for _ in range(40)]))
    return out


async def clamps(base: str, port: int) -> dict[str, object]:
    import http.client

    text = " ".join(["the film was good but the box of cereal was bad"] * 4)
    long = [{"gate": "forget", "value": 1.0, "steps": [i % 10 for i in range(10_000)],
             "units": [i % 10 for i in range(10_000)]}] * 6
    body = json.dumps({"text": text, "clamp": long}, separators=(",", ":")).encode()
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(9)

    def post() -> int:
        req = urllib.request.Request(f"{base}/api/trace", data=body,
                                     headers={"content-type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            r.read()
            return int(r.status)

    t0 = time.perf_counter()
    one = await loop.run_in_executor(pool, post)
    one_s = time.perf_counter() - t0
    jobs = [loop.run_in_executor(pool, post) for _ in range(8)]
    await asyncio.sleep(0.05)
    health = await healthz(port)
    statuses = Counter(await asyncio.gather(*jobs))
    pool.shutdown()
    streams = {}
    for n in (64, 65, 2000, 4000):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        query = urlencode({"text": "good film", "clamp": json.dumps(
            [{"gate": "forget", "value": 1}] * n, separators=(",", ":"))})
        conn.request("GET", f"/api/trace/stream?{query}")
        r = conn.getresponse()
        streams[n] = r.status
        r.read()
        conn.close()
    return {"body_kb": round(len(body) / 1e3), "one": one, "one_s": round(one_s, 3),
            "eight": dict(statuses), "healthz_meanwhile_s": round(health, 3),
            "get_stream_status_by_clamp_count": streams}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", choices=["stalled", "exports", "bodies", "clamps", "all"],
                        default="all")
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--timeout", type=float, default=10.0,
                        help="GATESCOPE_STREAM_SEND_TIMEOUT for the server (default 10 s)")
    parser.add_argument("--exports", type=int, default=80)
    args = parser.parse_args()
    env = {"GATESCOPE_STREAM_SEND_TIMEOUT": str(args.timeout)}
    results = {}
    every = ["stalled", "exports", "bodies", "clamps"]
    for case in (every if args.case == "all" else [args.case]):
        proc, base = start_server(env)
        port = int(base.rsplit(":", 1)[1])
        try:
            if case == "stalled":
                wait = args.timeout + 40
                results[case] = asyncio.run(stalled(proc.pid, port, min(args.clients, 2000), wait))
            elif case == "exports":
                results[case] = asyncio.run(exports(proc.pid, port, min(args.exports, 200)))
            elif case == "bodies":
                results[case] = asyncio.run(bodies(base))
            else:
                results[case] = asyncio.run(clamps(base, port))
        finally:
            stop(proc, timeout=20)
        print(json.dumps({case: results[case]}), flush=True)


if __name__ == "__main__":
    main()
