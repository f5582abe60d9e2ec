"""Browser fixtures: a real `gatescope serve` on a free loopback port, Debian's Chromium through
Playwright, and a page that may reach nothing but that server and fails on any console error or
CSP violation.

The server serves the shipped models; a kind that is not shipped yet (lstm, gru, rnn) is filled
in by a small random-weight model, so the page can always be driven end to end. `engine(name)`
loads the very model directory the server uses, so tests compare what is drawn with app.core.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.core import Model, load_model
from app.core.model import SHIPPED_DIR
from tests.modeldirs import random_model_dir

from ..serving import free_port, stop

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"

# A vocabulary that covers the presets and the tests' sentences, for the stand-in models.
_WORDS = """<unk> the a an is was it this that and but of to in on for with my me you he she we they
movie film cereal box breakfast gave all should be amazing awesome perfectly balanced will definitely
buying again first half second dry really picked up pace lead actor delivered performance . , ! ? 's
n't do ca can eat live france like playing football friends going school speak french alice allergic
nuts peanut butter feeling under weather good bad great terrible boring wonderful loved hated ending
story plot i am today so not very best worst ever""".split()  # noqa: SIM905


def _stand_in(directory: Path, kind: str, hidden: int, seed: int, layers: int = 1,
              bidirectional: bool = False, head_input: str | None = None) -> None:
    """A random-weight model directory of `kind` (PyTorch layout), for kinds not shipped yet and
    for the stacked and bidirectional models the layer and direction pickers are tested on."""
    random_model_dir(directory, kind, _WORDS, hidden, layers, embedding=16, seed=seed,
                     bidirectional=bidirectional, head_input=head_input,
                     description=f"random-weight {kind} for the page's tests")


class Server:
    """A running `gatescope serve`: its base URL and where each of its models lives."""

    def __init__(self, url: str, extra_dir: Path) -> None:
        self.url = url
        self.extra_dir = extra_dir
        self._models: dict[str, Model] = {}

    def engine(self, name: str) -> Model:
        """The app.core model the server serves under `name` (the stand-ins win a name clash)."""
        if name not in self._models:
            local = self.extra_dir / name
            self._models[name] = load_model(local if local.is_dir() else name)
        return self._models[name]


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    extra = tmp_path_factory.mktemp("models")
    for seed, kind in enumerate(("lstm", "gru", "rnn")):
        if not (SHIPPED_DIR / kind / "config.json").is_file():
            _stand_in(extra / kind, kind, 32, seed)
    # A two-layer bidirectional LSTM and a two-layer one-way GRU: the layer and direction pickers.
    # Named t-*, served after the shipped models (tests that walk every model skip them).
    _stand_in(extra / "t-bilstm", "lstm", 16, 4, layers=2, bidirectional=True)
    _stand_in(extra / "t-gru2", "gru", 16, 5, layers=2)
    # A bidirectional GRU whose head reads the final states: its verdict is no point of the line.
    _stand_in(extra / "t-bigru-fs", "gru", 8, 6, bidirectional=True, head_input="final_states")
    port = free_port()
    log = (tmp_path_factory.mktemp("server") / "serve.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port),
         "--models-dir", str(extra)],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.close()
            pytest.fail("gatescope serve did not start; see " + log.name)
        time.sleep(0.2)
    try:
        yield Server(url, extra)
    finally:
        stop(proc)
        log.close()


class Watch:
    """What went wrong in a page: console errors, uncaught exceptions, CSP violations, and
    requests to anywhere but the test server (which are blocked)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.allowed_errors: list[str] = []  # substrings a test expects (e.g. a refused request)

    def problems(self) -> list[str]:
        errors = [e for e in self.errors if not any(a in e for a in self.allowed_errors)]
        return errors + [f"blocked request to {u}" for u in self.blocked]


@pytest.fixture
def watch() -> Watch:
    return Watch()


@pytest.fixture
def page(browser: Any, server: Server, watch: Watch) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 950}, base_url=server.url)

    def only_the_server(route: Any) -> None:
        if route.request.url.startswith(server.url + "/"):
            route.continue_()
        else:
            watch.blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_server)
    # CSP violations are also reported as events; collect them in the page, read them at the end.
    context.add_init_script(
        "window.__csp = []; document.addEventListener('securitypolicyviolation', "
        "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    pg = context.new_page()
    pg.on("console", lambda m: watch.errors.append(f"console.{m.type}: {m.text}")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.errors.append(f"page error: {e}"))
    yield pg
    try:
        csp = pg.evaluate("() => window.__csp || []")
    except Exception:  # the page may have navigated away or closed
        csp = []
    context.close()
    problems = watch.problems() + [f"CSP violation: {v}" for v in csp]
    assert not problems, "\n".join(problems)


def wait_ready(page: Any, timeout: float = 20_000) -> None:
    """Wait until the stream has finished and the page says it is ready."""
    page.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=timeout)


def open_page(page: Any, query: str = "") -> None:
    page.goto("/" + query)
    wait_ready(page)
