"""Browser benchmark: time from pressing Run to the first step drawn, frames per second while playing
100 words at 32 units, and time until a 1,000-word text is ready. Targets (issue 5): first step
<= 150 ms after Run on loopback, >= 50 fps while playing, a 1,000-word text ready in <= 2 s.
First, the bytes on the wire of a first visit (empty cache); target (issue 11): <= 1.5 MB.

    python bench/browser.py [--model lstm] [--views highway,gates] [--wire-only]

Starts its own `gatescope serve` on a free loopback port and drives Debian's Chromium.
"""

from __future__ import annotations

import argparse
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
WORDS = ["the", "movie", "was", "good", "but", "the", "ending", "felt", "slow", "and", "the", "actors",
         "did", "not", "help", "much", "though", "the", "music", "was", "great"]


def words(n: int) -> str:
    return " ".join(WORDS[k % len(WORDS)] for k in range(n))


def serve() -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            return proc, url
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


# Time from the click on Run (taken inside the page) to the frame after the first step is drawn.
FIRST_STEP = """() => new Promise(resolve => {
  const session = window.gatescope.session; const t0 = performance.now();
  document.getElementById('run').click();
  const text = document.getElementById('text').value;
  // Drawn: the visible view's show() has run for this text; the time is taken after the next
  // frame's paint has been scheduled (a rAF callback after it), so it includes the layout.
  const poll = () => { const s = session.lastShow;
      if (s && s.text === text && s.at > t0) setTimeout(() => resolve(performance.now() - t0), 0);
      else requestAnimationFrame(poll); };
  poll();
})"""

READY = """() => new Promise(resolve => {
  const t0 = performance.now(); document.getElementById('run').click();
  const poll = () => { if (document.body.dataset.state === 'ready')
      requestAnimationFrame(() => resolve(performance.now() - t0)); else setTimeout(poll, 5); };
  setTimeout(poll, 0);
})"""

# Play from the first word at the fastest speed; count animation frames until the last word.
FPS = """() => new Promise(resolve => {
  const p = window.gatescope.player; p.setSpeed('fastest'); p.pause(); p.seek(0, 'seek');
  let frames = 0; const t0 = performance.now(); let worst = 0; let last = t0;
  const count = (now) => { frames++; worst = Math.max(worst, now - last); last = now;
    if (p.playing) requestAnimationFrame(count);
    else resolve({fps: frames / ((now - t0) / 1000), worst, words: p.t + 1}); };
  p.play(); requestAnimationFrame(count);
})"""


def visits(browser: Any, url: str) -> list[list[tuple[int, str, str]]]:
    """Two visits to / in a fresh context (the first with an empty cache), each until the page is
    ready: (bytes on the wire: response headers + encoded body, encoding, path) per response,
    largest first. What the browser takes from its cache never reaches the wire."""
    context = browser.new_context(viewport={"width": 1400, "height": 950})
    page = context.new_page()
    result = []
    finished: list[Any] = []
    page.on("requestfinished", lambda request: finished.append(request))
    for _ in range(2):
        finished.clear()
        page.goto(f"{url}/", wait_until="networkidle")
        page.wait_for_function("() => document.body.dataset.state !== 'loading'")
        rows = []
        for request in finished:
            sizes = request.sizes()
            response = request.response()
            encoding = response.headers.get("content-encoding", "identity") if response else "?"
            rows.append((sizes["responseHeadersSize"] + sizes["responseBodySize"], encoding,
                         request.url.removeprefix(url)))
        result.append(sorted(rows, reverse=True))
    context.close()
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="lstm")
    ap.add_argument("--views", default="highway,gates,prediction")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--wire-only", action="store_true", help="only the first visit's bytes on the wire")
    args = ap.parse_args()
    proc, url = serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS)
            first, repeat = visits(browser, url)
            print(f"first visit: {sum(r[0] for r in first) / 1e6:.2f} MB on the wire in {len(first)} "
                  "responses (target <= 1.5 MB); the largest:")
            for size, encoding, path in first[:4]:
                print(f"  {size / 1e3:8.1f} kB  {encoding:8s}  {path[:70]}")
            print(f"second visit: {sum(r[0] for r in repeat) / 1e3:.1f} kB in {len(repeat)} responses")
            if args.wire_only:
                return
            page = browser.new_page(viewport={"width": 1400, "height": 950})
            for view in args.views.split(","):
                page.goto(f"{url}/?text=warm+up&model={args.model}&view={view}")
                page.wait_for_function("() => document.body.dataset.state === 'ready'")
                firsts = []
                for k in range(args.repeat):
                    page.fill("#text", words(12 + k))
                    firsts.append(page.evaluate(FIRST_STEP))
                    page.wait_for_function("() => document.body.dataset.state === 'ready'")
                page.fill("#text", words(100))
                page.evaluate(READY)
                fps = page.evaluate(FPS)
                page.fill("#text", words(1000))
                ready = page.evaluate(READY)
                firsts.sort()
                print(f"{view:11s} first step {firsts[len(firsts) // 2]:6.0f} ms (median of {args.repeat}, "
                      f"target <= 150) | playing 100 words: {fps['fps']:5.1f} fps, worst frame "
                      f"{fps['worst']:.0f} ms (target >= 50 fps) | 1,000 words ready {ready:6.0f} ms "
                      f"(target <= 2000)")
            browser.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
