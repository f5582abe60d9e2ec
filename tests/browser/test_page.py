"""The page in a real Chromium against a real server: presets, typing, streaming, the player, the
views' drawings and hovers checked against app.core's own numbers, URL state, errors, safety."""

from __future__ import annotations

import re
from typing import Any

import pytest

from .conftest import SCREENSHOTS, Server, open_page, wait_ready

pytestmark = pytest.mark.browser

MOVIE = ("The first half of the movie is dry but the second half really picked up the pace. "
         "The lead actor delivered an amazing performance.")

HOVER_JS = """({id, curve, point, subplot}) => {
  const gd = document.getElementById(id);
  Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point}], subplot);
  return [...gd.querySelectorAll('.hoverlayer .hovertext')].map(n => n.textContent);
}"""

# Where data point (x, y) of a plot's axes is on screen, after scrolling it into the window.
POINT_JS = """([id, xaxis, yaxis, x, y]) => {
  const gd = document.getElementById(id);
  const xa = gd._fullLayout[xaxis], ya = gd._fullLayout[yaxis];
  const at = () => { const r = gd.getBoundingClientRect();
                     return [r.left + xa._offset + xa.l2p(x), r.top + ya._offset + ya.l2p(y)]; };
  window.scrollBy(0, at()[1] - window.innerHeight / 2);
  return at();
}"""


def store(page: Any) -> dict[str, Any]:
    return page.evaluate("""() => { const s = window.gatescope.store;
      return {t: s.t, unit: s.unit, total: s.total, steps: s.steps.length, model: s.model,
              done: s.done, tokens: s.meta ? s.meta.tokens : [],
              playing: window.gatescope.player.playing}; }""")


def hover(page: Any, plot_id: str, curve: int, point: Any, subplot: str = "xy") -> str:
    texts = page.evaluate(HOVER_JS, {"id": plot_id, "curve": curve, "point": point, "subplot": subplot})
    assert texts, f"no hover label on {plot_id}"
    return " ".join(texts)


def mouse_hover(page: Any, plot_id: str, xaxis: str, yaxis: str, x: float, y: float) -> str:
    """Move the real mouse over a data point and read the hover label Plotly draws."""
    px, py = page.evaluate(POINT_JS, [plot_id, xaxis, yaxis, x, y])
    page.mouse.move(px, py)
    page.wait_for_function(
        "id => document.querySelectorAll(`#${id} .hoverlayer .hovertext`).length > 0", arg=plot_id)
    return " ".join(page.eval_on_selector_all(f"#{plot_id} .hoverlayer .hovertext",
                                              "ns => ns.map(n => n.textContent)"))


def number_after(label: str, text: str) -> float:
    m = re.search(re.escape(label) + r"\s*=?\s*([−-]?\d+\.\d+)", text)
    assert m, f"{label!r} not in hover {text!r}"
    return float(m.group(1).replace("−", "-"))


def run_text(page: Any, text: str, model: str | None = None) -> None:
    if model is not None:
        page.select_option("#model", model)
        wait_ready(page)
    page.fill("#text", text)
    page.press("#text", "Enter")
    wait_ready(page)


def pause_at(page: Any, t: int) -> None:
    page.evaluate("t => { window.gatescope.player.pause(); window.gatescope.player.seek(t, 'seek'); }", t)
    page.wait_for_function("t => window.gatescope.store.t === t", arg=t)


def test_first_visit_reads_the_cereal_review_and_draws_every_step(page: Any, server: Server) -> None:
    open_page(page)
    s = store(page)
    trace = server.engine(s["model"]).trace(page.input_value("#text"))
    assert s["tokens"] == trace.tokens and s["steps"] == len(trace) == s["total"]
    # The highway: the road, one lane per unit with one point per word, then the step's parts.
    page.click("#tab-highway")
    pause_at(page, len(trace) - 1)
    # The lanes are one trace, lane after lane, each lane a point per word and a gap after it.
    lanes = page.evaluate("() => document.getElementById('highway-lanes').data[1].customdata")
    H = trace.hidden.shape[2]
    assert len(lanes) == H * (len(trace) + 1)
    assert [c[3] for c in lanes if c] == [u for u in range(H) for _ in range(len(trace))]
    assert page.locator("#words .word").count() == len(trace)


def test_preset_then_typed_sentence_stream_and_play(page: Any, server: Server) -> None:
    open_page(page)
    page.click("#examples summary")  # the examples are a menu
    page.click("button.preset[data-preset='movie']")
    wait_ready(page)
    assert page.input_value("#text") == MOVIE
    assert store(page)["steps"] == len(server.engine(store(page)["model"]).trace(MOVIE))
    run_text(page, "the film was good but the ending was terrible")
    s = store(page)
    assert s["tokens"] == ["the", "film", "was", "good", "but", "the", "ending", "was", "terrible"]
    assert s["steps"] == 9
    # Run plays from the first word; the player moves on by itself.
    page.select_option("#speed", "fastest")
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("Home")
    page.keyboard.press("Space")
    page.wait_for_function("() => window.gatescope.store.t >= 3")
    page.keyboard.press("Space")
    assert not store(page)["playing"]


def test_step_scrub_keyboard_and_word_strip(page: Any) -> None:
    open_page(page, "?text=the+movie+was+dry+but+the+lead+actor+was+amazing&model=lstm&step=0")
    assert store(page)["t"] == 0 and not store(page)["playing"]
    page.click("#tab-gates")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    assert store(page)["t"] == 3
    page.keyboard.press("ArrowLeft")
    assert store(page)["t"] == 2
    page.keyboard.press("End")
    assert store(page)["t"] == 9
    page.keyboard.press("Home")
    assert store(page)["t"] == 0
    page.click("#forward")
    assert store(page)["t"] == 1
    page.locator("#scrub").fill("6")
    assert store(page)["t"] == 6
    assert page.text_content("#position") == "word 7 of 10: “lead”"
    page.click("#words .word >> nth=8")
    assert store(page)["t"] == 8
    assert page.get_attribute("#words .word >> nth=8", "aria-current") == "step"
    # The current word is framed in the gates view, at x = t.
    frame = page.evaluate("() => document.getElementById('gates-plot').layout.shapes[0]")
    assert (frame["x0"], frame["x1"]) == (7.5, 8.5)
    assert page.url.endswith("step=8")


def test_highway_hover_and_parts_equal_the_engine(page: Any, server: Server) -> None:
    open_page(page, f"?text={MOVIE}&model=lstm&view=highway&step=8")
    trace = server.engine("lstm").trace(MOVIE)
    t, u = 8, 5
    text = hover(page, "highway-lanes", 1, u * (len(trace) + 1) + t)
    assert f"unit {u}" in text and f"“{trace.tokens[t]}”" in text
    assert number_after("cell state c", text) == pytest.approx(float(trace.cell[t, -1, u]), abs=6e-5)
    from app.core import derived
    parts = derived.state_parts(trace)
    def drawn(part: str) -> list[float]:
        return [float(v) for v in page.eval_on_selector_all(
            f"#highway-parts [data-part='{part}']", "ns => ns.map(n => n.dataset.value)")]

    for part in ["erased", "kept", "written"]:
        assert drawn(part) == pytest.approx(parts[part][t, -1].tolist(), abs=2e-4)
    # Each bar's tooltip names the unit, the word and the exact value.
    tip = page.text_content(f"#highway-parts [data-part='kept'][data-unit='{u}'] title")
    assert f"unit {u}" in tip and f"“{trace.tokens[t]}”" in tip
    assert number_after("kept f·c₋₁", tip) == pytest.approx(float(parts["kept"][t, -1, u]), abs=2e-4)
    # kept + written is the new cell state, and that is where the black marks sit.
    marks = drawn("now")
    assert marks == pytest.approx(trace.cell[t, -1].tolist(), abs=6e-5)


def test_gates_heatmaps_hover_equal_the_engine(page: Any, server: Server) -> None:
    open_page(page, f"?text={MOVIE}&model=lstm&view=gates&step=7")
    trace = server.engine("lstm").trace(MOVIE)
    names = page.evaluate("() => document.getElementById('gates-plot').data.map(d => d.type)")
    assert names == ["heatmap"] * 4
    t, u = 7, 3
    for k, (label, values) in enumerate([("forget gate f", trace.gates["forget"]),
                                         ("input gate i", trace.gates["input"]),
                                         ("output gate o", trace.gates["output"]),
                                         ("candidate g", trace.candidate)]):
        text = mouse_hover(page, "gates-plot", "xaxis", "yaxis" if k == 0 else f"yaxis{k + 1}", t, u)
        assert label in text and f"unit {u}" in text and f"“{trace.tokens[t]}”" in text
        assert number_after("value", text) == pytest.approx(float(values[t, -1, u]), abs=6e-5)
    # Sequential scale for the gates, diverging for the candidate, both from palette.json.
    scales = page.evaluate("() => document.getElementById('gates-plot').data.map(d => [d.zmin, d.zmax])")
    assert scales == [[0, 1], [0, 1], [0, 1], [-1, 1]]


def test_clicking_a_cell_selects_its_unit_everywhere(page: Any, server: Server) -> None:
    open_page(page, f"?text={MOVIE}&model=lstm&view=gates&step=0")
    trace = server.engine("lstm").trace(MOVIE)
    t, u = 4, 11
    # A real mouse click on the forget gate's cell (unit u, word t).
    x, y = page.evaluate(POINT_JS, ["gates-plot", "xaxis", "yaxis", t, u])
    page.mouse.click(x, y)
    page.wait_for_function("u => window.gatescope.store.unit === u", arg=u)
    assert store(page)["t"] == t
    assert page.input_value("#unit") == str(u)
    forget = page.text_content("#unit-readout td[data-quantity='forget']")
    assert float(forget.replace("−", "-")) == pytest.approx(float(trace.gates["forget"][t, -1, u]), abs=6e-5)
    page.click("#tab-highway")
    # The highway draws the selected unit's lane on top, thick and black.
    selected = page.evaluate("() => document.getElementById('highway-lanes').data[2].customdata")
    assert {c[3] for c in selected if c} == {u}
    # Typing a unit number selects it too.
    page.fill("#unit", "2")
    page.press("#unit", "Enter")
    page.wait_for_function("() => window.gatescope.store.unit === 2")


def test_prediction_follows_the_engine(page: Any, server: Server) -> None:
    open_page(page, f"?text={MOVIE}&model=lstm&view=prediction&step=10")
    trace = server.engine("lstm").trace(MOVIE)
    labels = trace.labels
    ys = page.evaluate("() => document.getElementById('prediction-lines').data.map(d => d.y)")
    for k in range(2):
        assert ys[k] == pytest.approx(trace.probs[:, k].tolist(), abs=6e-5)
    text = hover(page, "prediction-lines", 1, 10)
    assert f"“{trace.tokens[10]}”" in text
    assert number_after(labels[1] + ":", text) == pytest.approx(float(trace.probs[10, 1]), abs=6e-5)
    # The "at this word" bars (plain HTML since issue 14): each row carries its exact value.
    bars = page.evaluate(
        "() => [...document.querySelectorAll('#prediction-now .now-row')].map(r => +r.dataset.value)")
    assert bars == pytest.approx(trace.probs[10].tolist(), abs=6e-5)


def test_compare_reads_the_sentence_with_all_three_kinds(page: Any, server: Server) -> None:
    open_page(page, f"?text={MOVIE}&model=lstm&view=compare&step=5")
    page.wait_for_function("() => document.getElementById('compare-plot').data && "
                           "document.getElementById('compare-plot').data.length >= 5")
    data = page.evaluate(
        "() => document.getElementById('compare-plot').data.map(d => [d.name, d.yaxis, d.y])")
    probs = {name.split(" ")[0]: y for name, axis, y in data if axis == "y"}
    assert set(probs) == {"lstm", "gru", "rnn"}
    for name, y in probs.items():
        assert y == pytest.approx(server.engine(name).trace(MOVIE).probs[:, 1].tolist(), abs=6e-5)
    # The keep valve is drawn for the gated kinds only.
    assert sorted(name.split(" ")[0] for name, axis, _ in data if axis == "y2") == ["gru", "lstm"]


def test_switching_models_and_views(page: Any, server: Server) -> None:
    open_page(page, "?text=the+movie+was+amazing&model=lstm&view=highway")
    run_text(page, "the movie was amazing", model="gru")
    assert store(page)["model"] == "gru"
    trace = server.engine("gru").trace("the movie was amazing")
    pause_at(page, 2)
    text = hover(page, "highway-lanes", 1, 2)
    assert number_after("hidden state h", text) == pytest.approx(float(trace.hidden[2, -1, 0]), abs=6e-5)
    page.click("#tab-gates")
    titles = page.evaluate("() => document.getElementById('gates-plot').layout.annotations.map(a => a.text)")
    assert [re.sub("<[^>]+>", "", a).split("  ")[0] for a in titles] == [
        "update gate z", "reset gate r", "candidate n"]
    page.select_option("#model", "rnn")
    wait_ready(page)
    assert page.evaluate("() => document.getElementById('gates-plot').data.length") == 1
    page.click("#tab-highway")
    names = page.eval_on_selector_all("#highway-parts [data-unit='0']", "ns => ns.map(n => n.dataset.part)")
    assert names == ["before", "now"]
    for view in ["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]:
        page.click(f"#tab-{view}")
        assert page.get_attribute(f"#tab-{view}", "aria-selected") == "true"
        assert page.is_visible(f"#view-{view}")
        assert page.text_content("#explain-title")


def test_url_restores_the_view_and_copy_link(page: Any) -> None:
    open_page(page, "?text=alice+is+allergic+to+nuts&model=gru&view=gates&step=3")
    s = store(page)
    assert (s["model"], s["t"], s["playing"]) == ("gru", 3, False)
    assert page.get_attribute("#tab-gates", "aria-selected") == "true"
    assert page.input_value("#model") == "gru"
    page.click("#copy-link")
    page.wait_for_selector("#toast:not([hidden])")
    link = page.input_value("#link")
    for part in ["text=alice+is+allergic+to+nuts", "model=gru", "view=gates", "step=3"]:
        assert part in link


def test_words_that_look_like_html_stay_text(page: Any) -> None:
    open_page(page)
    evil = 'nice <img src=x onerror="window.__pwned=1"> <b>bold</b> & <script>window.__pwned=2</script>'
    run_text(page, evil)
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("#app img, #app script:not([type='application/json']), #words b").count() == 0
    strip = page.text_content("#words")
    assert "<" in strip and "img" in strip and "onerror" in strip
    for view in ["highway", "gates", "prediction"]:
        page.click(f"#tab-{view}")
        pause_at(page, 1)
        assert page.locator(f"#view-{view} img").count() == 0
        # Plotly paints heatmaps as an SVG <image> of its own pixels; nothing else may appear.
        hrefs = page.eval_on_selector_all(f"#view-{view} svg image",
                                          "ns => ns.map(n => n.getAttribute('href'))")
        assert all(h.startswith("data:image/png") for h in hrefs)
        ticks = page.eval_on_selector_all(f"#{view}-plot .xtick text", "ns => ns.map(n => n.textContent)")
        assert any(t.startswith("<") for t in ticks) and any(t.startswith("img") for t in ticks)
    assert page.evaluate("() => window.__pwned") is None


def test_errors_are_explained_and_the_page_stays(page: Any, server: Server, watch: Any) -> None:
    open_page(page)
    limit = int(page.get_attribute("#app", "data-max-chars"))
    page.fill("#text", "word " * (limit // 5 + 1))
    page.click("#run")
    message = page.text_content("#message")
    assert f"{limit:,}" in message and "Shorten" in message
    assert page.evaluate("() => document.getElementById('highway-lanes').data.length") > 0
    # Mostly words the model has never seen: a warning that says what to do.
    run_text(page, "zxq blorft quazzle frimb the")
    assert "vocabulary" in page.text_content("#message")
    assert page.get_attribute("#message", "data-kind") == "warning"
    assert page.locator("#words .word.unk").count() == 4
    # The server refuses (a control character): its own words are shown.
    watch.allowed_errors.append("422")
    page.evaluate("() => document.getElementById('text').value = 'bad \\u0007 bell'")
    page.click("#run")
    page.wait_for_function("() => document.body.dataset.state === 'error'")
    assert page.is_visible("#message") and page.text_content(".message-title")
    # The connection drops mid-stream: what arrived stays, and the page says what to do.
    page.route("**/api/trace/stream**", lambda route: route.abort())
    watch.allowed_errors.append("ERR_FAILED")
    run_text_no_wait(page, "the movie was good")
    page.wait_for_function("() => document.body.dataset.state === 'error'")
    assert "connection" in page.text_content("#message").lower()
    assert "Run again" in page.text_content("#message")
    assert page.is_visible("#tabs") and page.is_visible("#view-highway")


def run_text_no_wait(page: Any, text: str) -> None:
    page.fill("#text", text)
    page.press("#text", "Enter")


def test_presenter_mode(page: Any) -> None:
    open_page(page, "?text=feeling+under+the+weather&model=gru&view=highway&step=2")
    page.keyboard.press("p")
    assert page.evaluate("() => document.body.classList.contains('presenter')")
    assert "present=1" in page.url
    page.mouse.move(5, 900)
    page.wait_for_timeout(400)
    assert float(page.eval_on_selector(".transport", "e => getComputedStyle(e).opacity")) < 0.5
    page.hover("#play")
    page.wait_for_timeout(400)
    assert float(page.eval_on_selector(".transport", "e => getComputedStyle(e).opacity")) == 1
    size = page.evaluate("() => document.getElementById('highway-lanes')._fullLayout.font.size")
    assert size >= 18
    page.keyboard.press("Escape")
    assert not page.evaluate("() => document.body.classList.contains('presenter')")


def test_embed_shows_one_view(page: Any) -> None:
    page.goto("/embed?text=the+movie+was+amazing&model=lstm&view=prediction&step=2")
    wait_ready(page)
    assert page.locator(".view").count() == 1
    assert page.is_visible("#prediction-plot")
    assert store(page)["t"] == 2
    assert "view=prediction" in page.get_attribute("#open-full", "href")


def test_screenshots_of_every_view(page: Any) -> None:
    """Not an assertion of looks: pictures for a person to look at (screenshots/, git-ignored)."""
    SCREENSHOTS.mkdir(exist_ok=True)
    open_page(page, f"?text={MOVIE}&model=lstm&view=highway&step=10")
    for view in ["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]:
        page.click(f"#tab-{view}")
        if view == "compare":
            page.wait_for_function("() => document.getElementById('compare-plot').data")
        page.wait_for_timeout(300)
        page.screenshot(path=str(SCREENSHOTS / f"{view}.png"), full_page=True)
    page.keyboard.press("p")
    page.click("#tab-highway")
    page.mouse.move(5, 900)
    page.wait_for_timeout(400)
    page.screenshot(path=str(SCREENSHOTS / "presenter-highway.png"), full_page=True)
