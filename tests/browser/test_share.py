"""Embeds and downloads, in Chromium against the real server: /embed draws one view and can be
framed by another site; the page's Embed button gives a snippet that works there; every download
(PNG, SVG, HTML, JSON, CSV) is a real file holding the model's own numbers."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest

from .conftest import Server, open_page, wait_ready

pytestmark = pytest.mark.browser

VIEWS = ["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]
FILM = "the film was dry but the second half was amazing"


def frame_ready(frame: Any, timeout: float = 20_000) -> None:
    frame.wait_for_function("() => document.body.dataset.state === 'ready'", timeout=timeout)


@pytest.mark.parametrize("view", VIEWS)
def test_embed_draws_exactly_its_one_view(page: Any, server: Server, view: str) -> None:
    page.goto(f"/embed?text={FILM}&model=lstm&view={view}")
    wait_ready(page)
    if view == "compare":  # the other models' traces are fetched once this one has been read
        page.wait_for_function("() => document.getElementById('compare-plot')?.data")
    sections = page.locator("#views > section")
    assert sections.count() == 1
    assert sections.first.get_attribute("id") == f"view-{view}"
    # Drawn: the view filled its section with a chart, a diagram, the text or the board.
    assert page.locator(f"#view-{view} *").count() > 20
    # No text box and, without controls=1, no player; a word still can be clicked.
    assert page.locator("#text").count() == 0
    assert not page.is_visible(".transport")
    n = len(server.engine("lstm").trace(FILM))
    assert page.evaluate("() => window.gatescope.store.steps.length") == n
    href = page.get_attribute("#open-full", "href")
    q = parse_qs(urlparse(href).query)
    assert (q["text"], q["model"], q["view"]) == ([FILM], ["lstm"], [view])


def test_embed_controls_give_a_small_player(page: Any) -> None:
    page.goto(f"/embed?text={FILM}&model=gru&view=gates&step=3&controls=1")
    wait_ready(page)
    assert page.is_visible(".transport") and page.is_visible("#play")
    assert page.evaluate("() => window.gatescope.store.t") == 3
    page.click("#forward")
    page.wait_for_function("() => window.gatescope.store.t === 4")


def snippet_after_pause(page: Any, view: str, t: int) -> str:
    page.click(f"#tab-{view}")
    page.evaluate("t => { window.gatescope.player.pause(); window.gatescope.player.seek(t, 'seek'); }", t)
    page.wait_for_function("t => window.gatescope.store.t === t", arg=t)
    if not page.is_visible("#embed-box"):
        page.click("#embed")
    page.wait_for_function("t => document.getElementById('embed-code').value.includes('step=' + t)", arg=t)
    return str(page.input_value("#embed-code"))


def test_embed_button_snippet_works_in_another_sites_page(page: Any, server: Server, browser: Any) -> None:
    open_page(page, f"?text={FILM}&model=lstm")
    code = snippet_after_pause(page, "prediction", 4)
    assert code.startswith("<iframe ") and code.endswith("></iframe>")
    src = re.search(r'src="([^"]+)"', code).group(1).replace("&amp;", "&")  # type: ignore[union-attr]
    url = urlparse(src)
    assert f"{url.scheme}://{url.netloc}" == server.url and url.path == "/embed"
    q = parse_qs(url.query)
    assert (q["text"], q["model"], q["view"], q["step"], q["controls"]) == (
        [FILM], ["lstm"], ["prediction"], ["4"], ["1"])
    # Unticking the player drops controls=1 from the snippet.
    page.uncheck("#embed-controls")
    assert "controls=1" not in page.input_value("#embed-code")

    # A tutorial on another origin pastes the snippet: the frame loads and shows word 5.
    tutorial = browser.new_page()
    try:
        tutorial.set_content(f"<h1>My tutorial</h1>{code}")
        frame = None
        for _ in range(100):
            frame = next((f for f in tutorial.frames if f.url.startswith(server.url + "/embed")), None)
            if frame is not None:
                break
            tutorial.wait_for_timeout(100)
        assert frame is not None
        frame_ready(frame)
        assert frame.evaluate("() => window.gatescope.store.t") == 4
        assert frame.locator("#view-prediction .js-plotly-plot").count() > 0
    finally:
        tutorial.close()


def download(page: Any, fmt: str, tmp_path: Path) -> Path:
    if not page.is_visible(f"[data-download={fmt}]"):
        page.click("#download summary")
    with page.expect_download(timeout=30_000) as info:
        page.click(f"[data-download={fmt}]")
    path = tmp_path / info.value.suggested_filename
    info.value.save_as(path)
    return path


def test_downloads_hold_the_models_own_numbers(page: Any, server: Server, tmp_path: Path) -> None:
    open_page(page, f"?text={FILM}&model=lstm&view=gates&step=2")
    trace = server.engine("lstm").trace(FILM)
    T, L, H = trace.hidden.shape

    png = download(page, "png", tmp_path)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    svg = download(page, "svg", tmp_path).read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<svg") and "forget gate" in svg

    data = json.loads(download(page, "json", tmp_path).read_text(encoding="utf-8"))
    assert data["tokens"] == trace.tokens
    forget = np.array([s["layers"][0]["gates"]["forget"] for s in data["steps"]])
    np.testing.assert_array_equal(forget.astype(np.float32), trace.gates["forget"][:, 0])  # full precision

    rows = list(csv.reader(io.StringIO(download(page, "csv", tmp_path).read_text(encoding="utf-8"))))
    assert rows[0] == ["t", "token", "known", "layer", "unit", "quantity", "value"]
    assert len(rows) - 1 == T * L * H * 6  # forget, input, output, candidate, cell, hidden
    cell = {(int(r[0]), int(r[4])): float(r[6]) for r in rows[1:] if r[5] == "cell"}
    assert cell[(T - 1, 5)] == pytest.approx(float(trace.cell[T - 1, 0, 5]), abs=1e-7)

    html = download(page, "html", tmp_path)
    text = html.read_text(encoding="utf-8")
    assert html.name == "gatescope-lstm-gates.html" and "Plotly.newPlot" in text
    assert '"frames"' in text or "addFrames" in text


@pytest.mark.parametrize("view", ["cell", "memory", "whiteboard"])
def test_image_of_a_view_drawn_without_plotly(page: Any, tmp_path: Path, view: str) -> None:
    # These views are HTML or SVG on the page: their image is app.figures' same view, at this word.
    open_page(page, f"?text={FILM}&model=lstm&view={view}&step=3")
    svg = download(page, "svg", tmp_path)
    assert svg.name == f"gatescope-lstm-{view}-word4.svg"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_compare_html_holds_every_model(page: Any, tmp_path: Path) -> None:
    open_page(page, f"?text={FILM}&model=gru&view=compare")
    page.wait_for_function("() => document.getElementById('compare-plot')?.data")
    text = download(page, "html", tmp_path).read_text(encoding="utf-8")
    for name in ("lstm", "gru", "rnn"):
        assert f"{name} (" in text or f'"{name}' in text
