"""The security headers in a real Chromium: the page, the embed page and the API docs load and draw
with no Content-Security-Policy violation, and framing follows the rules."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import Server

pytestmark = pytest.mark.browser

REPORT = ("document.addEventListener('securitypolicyviolation', e => "
          "console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));")


@pytest.mark.parametrize(("path", "ready"), [
    ("/?text=the%20film%20was%20good&model=t-lstm", ".js-plotly-plot"),
    ("/embed?text=the%20film&model=t-gru", ".js-plotly-plot"),
    ("/docs", ".opblock"),
])
def test_pages_draw_without_csp_violations(server: Server, browser: Any, path: str,
                                           ready: str) -> None:
    page = browser.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.add_init_script(REPORT)
    page.goto(server.base + path, wait_until="networkidle")
    page.wait_for_selector(ready, timeout=20_000)
    page.wait_for_timeout(500)
    page.close()
    assert problems == []


def test_only_embed_may_be_framed_by_another_site(server: Server, browser: Any) -> None:
    # A page of another origin (an about:blank document, like a tutorial opened from a file)
    # frames both pages.
    page = browser.new_page()
    page.set_content(f'<iframe id="app" src="{server.base}/"></iframe>'
                     f'<iframe id="embed" src="{server.base}/embed?text=good&model=t-lstm"></iframe>')
    page.wait_for_timeout(3000)
    frames = {f.url.split("?")[0]: f for f in page.frames if f.url.startswith(server.base)}
    embed = frames.get(f"{server.base}/embed")
    assert embed is not None and embed.evaluate("document.querySelector('body') !== null")
    app_frame = frames.get(f"{server.base}/")
    # A blocked frame never gets the app's document (Chromium shows its own error page).
    assert app_frame is None or app_frame.evaluate("document.getElementById('app') === null")
    page.close()
