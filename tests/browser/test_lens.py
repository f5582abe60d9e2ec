"""The layer and direction pickers (issue 17, item 3) in a real Chromium: shown only for a stacked or
bidirectional model, followed by every view, kept in the URL; the numbers drawn for the backward
reader and for layer 0 are the trace JSON's own, and the backward reader's memory decomposition
(the words after t) adds up to its state."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import numpy as np

from app.core.derived import contribution_amounts, memory_contributions, retention

from .conftest import SCREENSHOTS, Server, open_page, wait_ready

TEXT = "The first half was dry but the second half really picked up the pace ."


def readout(page: Any) -> dict[str, float]:
    """The selected unit's values as the explanation panel writes them (four decimals, true minus)."""
    cells = page.eval_on_selector_all(
        "#unit-readout td.num", "tds => tds.map(td => [td.dataset.quantity, td.textContent])")
    return {q: float(v.replace("\u2212", "-")) for q, v in cells}


def expected(layer: dict[str, Any], unit: int) -> dict[str, float]:
    values = {name: v[unit] for name, v in layer["gates"].items()}
    for name in ("candidate", "cell", "hidden"):
        if name in layer:
            values[name] = layer[name][unit]
    return values


def assert_close(drawn: dict[str, float], want: dict[str, float]) -> None:
    assert drawn.keys() == want.keys()
    for k, v in want.items():
        assert abs(drawn[k] - v) <= 5e-5, (k, drawn[k], v)


def query(page: Any) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def test_a_one_way_one_layer_model_shows_no_picker(page: Any) -> None:
    open_page(page, f"?text={quote(TEXT)}&model=lstm&step=3")
    assert page.is_hidden("#lens")
    assert page.is_hidden("#lens-note")
    assert "layer" not in query(page) and "direction" not in query(page)


# The page's backward ledger (lens.js BackwardLedger), as the memory view and the highway read it.
BACKWARD_JS = """(unit) => {
  const s = window.gatescope.store, T = s.total;
  const rows = [], parts = [];
  for (let t = 0; t < T; t++) {
    rows.push(Array.from(s.ledger.retention(t)));
    parts.push(Array.from(s.ledger.contributions(t, unit)));
  }
  return { rows, parts };
}"""


def test_pickers_follow_the_backward_reader_and_layer_0_and_the_url_keeps_them(
        page: Any, server: Server) -> None:
    trace = page.context.request.post("/api/trace", data={"text": TEXT, "model": "t-bilstm"}).json()
    T = len(trace["steps"])
    t, unit = 4, 3
    open_page(page, f"?text={quote(TEXT)}&model=t-bilstm&view=highway&step={t}&unit={unit}")
    assert page.is_visible("#lens") and page.is_visible("#layer") and page.is_visible("#direction")
    assert page.input_value("#layer") == "1" and page.input_value("#direction") == "forward"
    assert query(page)["layer"] == ["1"] and query(page)["direction"] == ["forward"]
    assert_close(readout(page), expected(trace["steps"][t]["layers"][1], unit))

    page.select_option("#direction", "reverse")
    page.wait_for_function("() => window.gatescope.store.lens.direction === 'reverse'")
    assert query(page)["direction"] == ["reverse"]
    assert "from the last word back" in page.text_content("#lens-note")
    assert_close(readout(page), expected(trace["steps"][t]["layers"][1]["reverse"], unit))

    page.select_option("#layer", "0")
    page.wait_for_function("() => window.gatescope.store.lens.layer === 0")
    assert query(page)["layer"] == ["0"]
    want = expected(trace["steps"][t]["layers"][0]["reverse"], unit)
    assert_close(readout(page), want)

    # The backward reader's memory decomposition equals app.core's on the reverse reader read in
    # its own order (token T−1 first): page[t, s] = core[T−1−t, T−1−s]; words before t are 0. The
    # page works from the streamed numbers (4 decimals): 2e-3 as in test_derived_js.py.
    got = page.evaluate(BACKWARD_JS, unit)
    reverse = server.engine("t-bilstm").trace(TEXT).one_way("reverse")
    np.testing.assert_allclose(np.array(got["rows"]), retention(reverse, layer=0)[::-1, ::-1],
                               rtol=0, atol=2e-3)
    np.testing.assert_allclose(np.array(got["parts"]),
                               memory_contributions(reverse, layer=0)[::-1, ::-1, unit], rtol=0, atol=2e-3)
    assert np.abs(np.array(got["rows"])[np.tril_indices(T, -1)]).max() == 0  # s < t: not read yet

    # The memory view: the backward reader at word t has read t … T−1; the words before t are not
    # read yet, and what the words after t still hold adds up to its cell state.
    page.click("#tab-memory")
    page.wait_for_selector("#view-memory .gs-memory-sum")
    future = page.eval_on_selector_all("#view-memory [data-row=all] .gs-word.future",
                                       "ws => ws.map(w => Number(w.dataset.s))")
    assert future == list(range(t))
    total = float(page.get_attribute("#view-memory .gs-memory-sum", "data-sum") or "nan")
    assert abs(total - want["cell"]) <= 1e-4
    assert f"Sum of the {T - t} parts" in page.text_content("#view-memory .gs-memory-sum")

    # Both directions: the highway as two roads; the drawn bands are app.core's amounts (Σ|part|)
    # of layer 0's forward reader up to t and of its backward reader from t on.
    page.click("#tab-highway")
    page.select_option("#direction", "both")
    page.wait_for_function("() => document.querySelector('#highway-plot')?.data?.length === 30")
    assert query(page)["direction"] == ["both"]
    bands = page.evaluate("() => document.querySelector('#highway-plot').data.map(d => [d.x, d.y])")
    drawn = np.full((2 * T, T), np.nan)  # (2T, T): nan where a band is not drawn
    for k, (xs, ys) in enumerate(bands):
        drawn[k, xs] = ys
    whole = server.engine("t-bilstm").trace(TEXT)
    fwd = contribution_amounts(whole.one_way("forward"), 0)  # [tc, s]
    bwd = contribution_amounts(reverse, 0)[::-1, ::-1]
    for s in range(T):
        for tc in range(T):
            f, b = drawn[s, tc], drawn[T + s, tc]
            assert np.isnan(f) if not s <= tc <= t else abs(f - fwd[tc, s]) <= 2e-3 * max(1, fwd[tc, s])
            assert np.isnan(b) if not t <= tc <= s else abs(b - bwd[tc, s]) <= 2e-3 * max(1, bwd[tc, s])
    page.select_option("#direction", "reverse")
    page.wait_for_function("() => window.gatescope.store.lens.direction === 'reverse'")

    # The URL round trip: the link opens the same layer, reader, word and numbers.
    link = page.url
    page.goto(link)
    wait_ready(page)
    assert page.input_value("#layer") == "0" and page.input_value("#direction") == "reverse"
    assert page.evaluate("() => window.gatescope.store.t") == t
    assert_close(readout(page), want)

    # The prediction view says what a bidirectional answer at a word means, and which is the verdict.
    page.click("#tab-prediction")
    page.wait_for_timeout(200)
    assert "both readers (words 1–5 and 15–5)" in page.text_content("#prediction-caption")
    assert "not the answer if the text ended here" in page.text_content("#lens-note")
    assert "trained on the last word’s answer" in page.text_content("#lens-note")
    page.keyboard.press("End")
    page.wait_for_function(
        "() => document.querySelector('#prediction-caption').textContent.includes('verdict')")


def test_two_layer_model_and_screenshots(browser: Any, server: Any) -> None:
    """Layer 0 of a one-way two-layer GRU is drawn from the trace's layer 0 (no direction picker);
    screenshots of both test models, normal and presenter, for a person to look at."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        trace = page.context.request.post("/api/trace", data={"text": TEXT, "model": "t-gru2"}).json()
        open_page(page, f"?text={quote(TEXT)}&model=t-gru2&view=gates&step=6&layer=0")
        assert page.is_visible("#layer") and page.is_hidden("#direction")
        assert "direction" not in query(page)
        assert_close(readout(page), expected(trace["steps"][6]["layers"][0], 0))
        SCREENSHOTS.mkdir(exist_ok=True)
        for present in ("", "&present=1"):
            for name, lens in (("t-gru2", "&layer=0"), ("t-bilstm", "&direction=reverse"),
                               ("t-bilstm", "&direction=forward"), ("t-bilstm", "&direction=both")):
                page.goto(f"/?text={quote(TEXT)}&model={name}&view=highway&step=5{lens}{present}")
                wait_ready(page)
                for view in ("highway", "memory", "cell", "prediction"):
                    page.click(f"#tab-{view}", force=True)
                    page.wait_for_timeout(150)
                    tag = (f"{name}{lens.replace('&', '-').replace('=', '-')}-{view}"
                           f"{'-presenter' if present else ''}")
                    page.screenshot(path=str(SCREENSHOTS / f"lens-{tag}.png"))
    finally:
        context.close()
    assert not errors, errors
