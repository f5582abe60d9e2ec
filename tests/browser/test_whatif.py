"""The what-if panel (issue 15, item 5): a pinned gate and an edited word, replayed through the
stream's clamp contract; the views draw the experiment with the unchanged run as a ghost
(Prediction, Highway), the panel's Δ chart is the difference of the two runs' numbers, and the
experiment lives in the URL, so a link opens it again."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qs, quote, urlparse

from .conftest import Server, open_page, wait_ready

TEXT = "The soup was dry and cold , but the dessert saved the evening ."


def _post(page: Any, path: str, body: dict[str, Any]) -> dict[str, Any]:
    r = page.context.request.post(path, data=json.dumps(body), headers={"Content-Type": "application/json"})
    assert r.status == 200, r.text()
    return r.json()  # type: ignore[no-any-return]


def test_a_link_opens_the_experiment_with_its_ghost(page: Any, server: Server) -> None:
    clamp = [{"gate": "forget", "value": 0, "steps": [4, 5, 6]}]
    edit = {"word": "dry", "to": "wonderful"}
    open_page(page, f"?text={quote(TEXT)}&model=lstm&view=prediction&step=3"
                    f"&clamp={quote(json.dumps(clamp))}&edit={quote(json.dumps(edit))}")
    edited = TEXT.replace("dry", "wonderful")
    store = page.evaluate("() => ({ text: window.gatescope.store.text,"
                          " clamp: window.gatescope.store.clamp })")
    assert store == {"text": edited, "clamp": clamp}
    assert page.inner_text("#words .word.current") == "wonderful"
    run = _post(page, "/api/trace", {"text": edited, "model": "lstm", "clamp": clamp})
    base = _post(page, "/api/trace", {"text": TEXT, "model": "lstm"})
    lines = page.evaluate("() => document.getElementById('prediction-lines').data"
                          ".map((d) => [d.name, [...d.y]])")
    labels = run["model"]["labels"]
    assert [n for n, _ in lines] == [*labels, *(f"{label} (unchanged)" for label in labels)]
    for k, label in enumerate(labels):
        assert lines[k][1] == [s["probs"][label] for s in run["steps"]]
        assert lines[len(labels) + k][1] == [s["probs"][label] for s in base["steps"]]
    # Pinned f = 0 at words 5-7 erases the cell there: the run's cell is exactly i ⊙ g.
    for t in (4, 5, 6):
        layer = run["steps"][t]["layers"][0]
        assert layer["gates"]["forget"] == [0.0] * len(layer["cell"])
    # The highway draws the selected unit's unchanged lane, dashed, from the ghost.
    page.click("#tab-highway")
    page.wait_for_timeout(200)
    ghost = page.evaluate("""() => { const d = document.getElementById('highway-lanes').data.at(-1);
      return [d.name, d.line.dash, d.customdata.filter(Boolean).map((c) => c[0])]; }""")
    assert ghost[0] == "unit 0, unchanged run" and ghost[1] == "dash"
    assert ghost[2] == [s["layers"][0]["cell"][0] for s in base["steps"]]
    # The gradients are those of the experiment too (the chosen model's request carries the clamp).
    page.click("#tab-gradients")
    page.wait_for_selector("#gradients-reach .xtick", timeout=20_000)
    last = run["steps"][-1]["probs"]
    label = max(last, key=last.get)
    grads = _post(page, "/api/connectivity",
                  {"text": edited, "model": "lstm", "label": label, "clamp": clamp})
    t = page.evaluate("() => window.gatescope.store.t")
    y = page.evaluate("() => [...document.getElementById('gradients-reach').data[0].y]")
    assert y == grads["connectivity"][t][: t + 1]


def test_the_panel_pins_edits_replays_and_writes_the_url(page: Any, server: Server) -> None:
    open_page(page, f"?text={quote(TEXT)}&model=gru&view=prediction&step=3")
    page.click("#whatif summary")
    page.wait_for_selector("#whatif-pin")  # the form is built when the panel opens
    options = page.eval_on_selector_all("#whatif-pin option", "os => os.map((o) => o.textContent)")
    assert [o.split(" (")[0] for o in options] == ["none", "update gate open", "update gate shut"]
    assert page.input_value("#whatif-from") == "dry"  # the current word, ready to change
    page.select_option("#whatif-pin", "1")
    page.fill("#whatif-words", "2-4")
    page.fill("#whatif-to", "wonderful")
    page.click("#whatif-apply")
    wait_ready(page)
    page.wait_for_function("() => document.querySelector('#whatif-delta .heatmaplayer')")
    q = parse_qs(urlparse(page.url).query)
    assert json.loads(q["clamp"][0]) == [{"gate": "update", "value": 0, "steps": [1, 2, 3]}]
    assert json.loads(q["edit"][0]) == {"word": "dry", "to": "wonderful"}
    assert q["text"][0] == TEXT  # the link keeps the original text; the edit is applied on opening
    assert page.inner_text("#whatif summary") == "What if… (on)"
    edited = TEXT.replace("dry", "wonderful")
    run = _post(page, "/api/trace", {"text": edited, "model": "gru", "clamp": json.loads(q["clamp"][0])})
    base = _post(page, "/api/trace", {"text": TEXT, "model": "gru"})
    delta = page.evaluate("() => { const d = document.getElementById('whatif-delta').data;"
                          " return { dp: [...d[0].y], lanes: d[1].z.map((r) => [...r]) }; }")
    pairs = list(zip(run["steps"], base["steps"], strict=True))
    assert delta["dp"] == [a["probs"]["positive"] - b["probs"]["positive"] for a, b in pairs]
    H = len(run["steps"][0]["layers"][0]["hidden"])
    for u in range(H):
        assert delta["lanes"][u] == [a["layers"][0]["hidden"][u] - b["layers"][0]["hidden"][u]
                                     for a, b in pairs]
    # Word 1 is neither pinned nor edited: nothing changes there (the model is causal).
    assert delta["dp"][0] == 0 and all(lane[0] == 0 for lane in delta["lanes"])
    # The copied link opens the same experiment in a fresh page.
    link = page.url
    page.goto("/")
    wait_ready(page)
    page.goto(link)
    wait_ready(page)
    assert page.evaluate("() => window.gatescope.store.text") == edited
    # And "back to the unchanged run" clears it, from the URL too.
    page.click("#whatif summary")
    page.wait_for_selector("#whatif-clear")
    page.click("#whatif-clear")
    wait_ready(page)
    page.wait_for_function("() => !new URLSearchParams(location.search).has('clamp')")
    assert "edit" not in parse_qs(urlparse(page.url).query)
    assert page.evaluate("() => window.gatescope.store.text") == TEXT
