"""The Gradients view (issue 15, item 3): what it draws is what POST /api/connectivity answers for
LSTM, GRU and RNN on the same sentence and the same label; the memory span is static/memory_span.json;
the squashing figure is app/core/squashing.py's arithmetic, computed again in the browser."""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from app.core.squashing import squashing

from .conftest import ROOT, Server, open_page

# A sentence no other test uses: a negation carried forward, then a late turn.
TEXT = "I did not think the soup was good , but the bread and the wine were wonderful ."
STEP = 9  # "but"


def _api(page: Any, model: str, label: str) -> dict[str, Any]:
    r = page.context.request.post("/api/connectivity", data=json.dumps(
        {"text": TEXT, "model": model, "label": label}), headers={"Content-Type": "application/json"})
    assert r.status == 200, r.text()
    return r.json()  # type: ignore[no-any-return]


def test_gradients_view_draws_the_apis_numbers(page: Any, server: Server) -> None:
    open_page(page, f"?text={quote(TEXT)}&model=lstm&view=gradients&step={STEP}")
    page.wait_for_selector("#gradients-reach .xtick", timeout=20_000)
    page.wait_for_selector("#gradients-map-plot .hm, #gradients-map-plot .heatmaplayer", timeout=20_000)
    steps = page.evaluate("() => window.gatescope.store.steps")
    last = steps[-1]["probs"]
    label = max(last, key=last.get)  # the label the chosen model predicts at the last word
    drawn = page.evaluate("""() => {
      const left = document.getElementById('gradients-reach');
      const right = document.getElementById('gradients-map-plot');
      return { left: left.data.map((d) => ({ name: d.name, x: [...d.x], y: [...d.y] })),
               map: right.data[0].z, span: right.data.slice(1).map((d) => ({ name: d.name, y: [...d.y] })),
               ticks: [...left.querySelectorAll('.xaxislayer-above .xtick text')].map((t) => t.textContent),
               caption: document.getElementById('gradients-caption').textContent };
    }""")
    apis = {kind: _api(page, kind, label) for kind in ("lstm", "gru", "rnn")}
    words = page.evaluate("() => window.gatescope.store.words")
    assert [t.rstrip("?") for t in drawn["ticks"]] == words  # every word labelled
    # The reach at the current word: row STEP of each model's map, s = 0 … STEP, number for number.
    for k, kind in enumerate(("lstm", "gru", "rnn")):
        row = apis[kind]["connectivity"][STEP][: STEP + 1]
        assert drawn["left"][k]["x"] == list(range(STEP + 1))
        assert drawn["left"][k]["y"] == row, kind
        # The chain: each step's factor (from word 2) and the product of the Jacobians.
        assert drawn["left"][3 + 2 * k]["y"] == apis[kind]["jacobian_norms"][1:], kind
        assert drawn["left"][4 + 2 * k]["y"] == apis[kind]["product_norms"], kind
    # The map is the chosen model's, log10, blank above the diagonal.
    conn = apis["lstm"]["connectivity"]
    T = len(conn)
    for t in range(T):
        for s in range(T):
            z = drawn["map"][t][s]
            if s > t:
                assert z is None
            else:
                assert math.isclose(z, math.log10(conn[t][s]), rel_tol=1e-12, abs_tol=1e-12)
    # The caption quotes the first word's gradient at this word for each model.
    mantissa, exponent = f"{apis['rnn']['connectivity'][STEP][0]:.1e}".split("e")
    assert f"RNN {mantissa}e{int(exponent):+d}".replace("+", "").replace("-", "\u2212") in drawn["caption"]
    # The memory span: the committed measure, every model and opening.
    span = json.loads((ROOT / "static" / "memory_span.json").read_text(encoding="utf-8"))
    want = [c["prob"] for m in span["models"].values() for c in m["openings"].values()]
    assert [d["y"] for d in drawn["span"]] == want

    # Playing moves the reach to the next word, still the API's row.
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(200)
    y = page.evaluate("() => [...document.getElementById('gradients-reach').data[2].y]")
    assert y == apis["rnn"]["connectivity"][STEP + 1][: STEP + 2]

    # "Open and play" opens the measured sentence itself.
    href = page.get_attribute("#view-gradients .gs-grad-link", "href")
    q = parse_qs(urlparse(href).query)
    opening = q["text"][0].split(" ")[0]
    assert opening in span["openings"]
    assert q["text"][0] == " ".join([opening, *span["neutral_tokens"][:40]])


def test_squashing_is_the_same_arithmetic_in_the_browser(page: Any) -> None:
    open_page(page, f"?text={quote('not bad at all')}&view=gradients")
    page.wait_for_selector("#squashing-plot .scatterlayer", timeout=10_000)
    js = page.evaluate("""async () => {
      const { squashing } = await import('/static/js/squashing.js');
      const plot = document.getElementById('squashing-plot');
      return { fresh: squashing({ steps: 25, weight: 1.7, start: -0.3, gatePreactivation: 0.4 }),
               drawn: plot.data.map((d) => [...d.y]) };
    }""")
    py = squashing()
    assert js["drawn"] == [py["multiplied"], py["tanh"], py["gated"]]
    other = squashing(start=-0.3, weight=1.7, steps=25, gate_preactivation=0.4)
    for key in ("multiplied", "tanh", "gated", "step"):
        for a, b in zip(js["fresh"][key], other[key], strict=True):
            assert math.isclose(a, b, rel_tol=1e-13, abs_tol=0), key
    assert math.isclose(js["fresh"]["gate"], other["gate"], rel_tol=1e-15)
    assert max(abs(v) for v in py["tanh"]) <= 1 < max(py["multiplied"])
