"""Export memory: peak RSS of a fresh `gatescope serve` during one 1,000-word GET /api/export of
each view and format, one after another, and its RSS after each (target: peak ≤ 500 MB above the
idle server, and back near idle after).

    python bench/export.py                    # every view as html and figure, then json and csv
    python bench/export.py --words 500 --views highway,memory

The server's RSS is read from /proc every 20 ms. Traffic goes to 127.0.0.1 only, one request at a
time, each bounded by a 300 s timeout.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))
from abuse import rss_mb, start_server, text_of  # noqa: E402

VIEWS = ("highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare")


def measure(pid: int, url: str, idle: float) -> dict[str, object]:
    peak = rss_mb(pid)
    done = threading.Event()

    def watch() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, rss_mb(pid))
            time.sleep(0.02)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as r:
        size = len(r.read())
        status = r.status
    seconds = time.perf_counter() - t0
    time.sleep(1.0)
    done.set()
    watcher.join()
    return {"status": status, "mb": round(size / 1e6, 1), "s": round(seconds, 1),
            "peak_above_idle_mb": round(peak - idle),
            "after_above_idle_mb": round(rss_mb(pid) - idle)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--words", type=int, default=1000)
    parser.add_argument("--views", default=",".join(VIEWS))
    args = parser.parse_args()
    proc, base = start_server({})
    text = text_of(args.words)
    cases = [(v, f) for v in args.views.split(",") for f in ("html", "figure")]
    cases += [("highway", "json"), ("highway", "csv")]
    try:
        cold = rss_mb(proc.pid)
        # Warm-up: a 5-word export of each case loads plotly's modules and validators once (a
        # fixed cost of the process, not of an export); idle is measured after it.
        for view, fmt in cases:
            model = "lstm,gru,rnn" if view == "compare" else "lstm"
            urllib.request.urlopen(f"{base}/api/export?" + urlencode(
                {"text": text_of(5), "model": model, "view": view, "format": fmt}), timeout=60).read()
        time.sleep(1.0)
        idle = rss_mb(proc.pid)
        print(json.dumps({"cold_server_mb": round(cold), "idle_server_mb": round(idle)}), flush=True)
        for view, fmt in cases:
            model = "lstm,gru,rnn" if view == "compare" else "lstm"
            url = f"{base}/api/export?" + urlencode({"text": text, "model": model, "view": view,
                                                     "format": fmt})
            result = measure(proc.pid, url, idle)
            print(json.dumps({"view": view if fmt in ("html", "figure") else "-", "format": fmt,
                              "words": args.words, **result}), flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


if __name__ == "__main__":
    main()
