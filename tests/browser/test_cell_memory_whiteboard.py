"""The cell, memory and whiteboard views in a real Chromium: what they show (equations, shaded words,
boards, hovers) equals app.core's own numbers for the same sentence; clicking a unit selects it
everywhere; the plain RNN says what it cannot show; typed words stay text."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from app.core.derived import memory_contributions, retention, state_parts

from .conftest import SCREENSHOTS, Server, open_page

pytestmark = pytest.mark.browser

CEREAL = ("Amazing! This box of cereal gave me a perfectly balanced breakfast, as all things should be. "
          "I only ate half but will definitely be buying again!")
MOVIE = ("The first half of the movie is dry but the second half really picked up the pace. "
         "The lead actor delivered an amazing performance.")

# Streamed values are rounded to 4 decimals: a value straight from the trace is within 5e-5 of the
# engine's; a product of two of them (f·c₋₁, i·g, ...) within about 2e-4. Memory values are products
# over many steps: see test_derived_js.py for their 2e-3.
WIRE = 6e-5
PRODUCT = 2e-4
MEMORY = 2e-3


def go(page: Any, view: str, t: int, unit: int | None = None) -> None:
    """Open a view's tab, pause the player at step t and (optionally) select a unit."""
    page.click(f"#tab-{view}")
    page.evaluate("t => { window.gatescope.player.pause(); window.gatescope.player.seek(t, 'seek'); }", t)
    page.wait_for_function("t => window.gatescope.store.t === t", arg=t)
    if unit is not None:
        page.evaluate("u => window.gatescope.session.selectUnit(u)", unit)


def selected(page: Any) -> int:
    return int(page.evaluate("window.gatescope.store.unit"))


def number(text: str) -> float:
    return float(text.replace("\u2212", "-"))


def numbers_in(text: str) -> list[float]:
    return [number(m) for m in re.findall(r"[\u2212-]?\d+\.\d+", text)]


# ---- cell -------------------------------------------------------------------------------------

def cell_values(page: Any) -> dict[str, float]:
    """The live numbers of the equation panel, by quantity (data-value holds the full number)."""
    return page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#view-cell .gs-num')]
      .map(n => [n.dataset.q, Number(n.dataset.value)]))""")


def expected_cell(trace: Any, t: int, u: int) -> dict[str, float]:
    kind = trace.kind
    prev_h = float(trace.hidden[t - 1, -1, u]) if t else 0.0
    if kind == "lstm":
        g = {k: float(v[t, -1, u]) for k, v in trace.gates.items()}
        return {"hprev": prev_h, "cprev": float(trace.cell[t - 1, -1, u]) if t else 0.0, "f": g["forget"],
                "i": g["input"], "o": g["output"], "g": float(trace.candidate[t, -1, u]),
                "c": float(trace.cell[t, -1, u]), "h": float(trace.hidden[t, -1, u])}
    if kind == "gru":
        return {"hprev": prev_h, "r": float(trace.gates["reset"][t, -1, u]),
                "z": float(trace.gates["update"][t, -1, u]), "n": float(trace.candidate[t, -1, u]),
                "h": float(trace.hidden[t, -1, u])}
    return {"hprev": prev_h, "h": float(trace.hidden[t, -1, u])}


def assert_cell_equals_engine(page: Any, trace: Any, t: int, u: int) -> None:
    got = cell_values(page)
    want = expected_cell(trace, t, u)
    assert set(got) == set(want)
    for k, v in want.items():
        assert got[k] == pytest.approx(v, abs=WIRE), k
    # What is printed (three decimals) is the same number.
    for row in page.locator("#view-cell .gs-eq .gs-eq-numbers").all():
        for span in row.locator(".gs-num").all():
            q = span.get_attribute("data-q")
            assert number(span.text_content().strip("()")) == pytest.approx(want[q], abs=5e-4 + WIRE)
    # The hover (an SVG title on each box) carries four decimals of the same value.
    for node, q in {"lstm": [("f", "f"), ("c", "c"), ("h", "h")], "gru": [("z", "z"), ("n", "n")],
                    "rnn": [("h", "h")]}[trace.kind]:
        title = page.text_content(f"#view-cell [data-node='{node}'] title")
        assert f"unit {u}" in title
        assert numbers_in(title)[-1] == pytest.approx(want[q], abs=1e-4)


@pytest.mark.parametrize("model", ["lstm", "gru", "rnn"])
def test_cell_equations_are_the_models_numbers(page: Any, server: Server, model: str) -> None:
    open_page(page, f"?text={MOVIE}&model={model}&view=cell&step=0")
    trace = server.engine(model).trace(MOVIE)
    t = 9  # "but"
    go(page, "cell", t)
    assert page.locator("#view-cell svg.gs-cell-diagram").count() == 1
    # Clicking a unit in the strip selects it everywhere and fills the equations with its numbers.
    page.click("#view-cell .gs-unit[data-unit='7']")
    assert selected(page) == 7
    assert_cell_equals_engine(page, trace, t, 7)
    before = cell_values(page)
    page.click("#view-cell .gs-unit[data-unit='21']")
    assert selected(page) == 21
    assert_cell_equals_engine(page, trace, t, 21)
    assert cell_values(page) != before
    # The steps are listed in the order the code runs them.
    steps = page.eval_on_selector_all("#view-cell .gs-eq", "els => els.map(e => e.dataset.step)")
    assert steps == {
        "lstm": ["combine", "forget", "candidate", "input", "new cell", "output", "new hidden"],
        "gru": ["combine", "reset", "update", "candidate", "new hidden"],
        "rnn": ["combine", "new hidden"],
    }[model]
    text = page.text_content("#view-cell")
    if model == "lstm":
        # c = f·c₋₁ + i·g, written out with the numbers, and the article's names beside PyTorch's.
        row = page.text_content("#view-cell .gs-eq[data-step='new cell'] .gs-eq-numbers")
        f, cprev, i, g, c = numbers_in(row)
        assert f * cprev + i * g == pytest.approx(c, abs=2e-3)
        assert "selective forget" in text and "selective read" in text and "selective write" in text
    elif model == "gru":
        assert "update gate u" in text
    else:
        assert "no gates" in text
    # Stepping moves the numbers with the player.
    go(page, "cell", t + 1)
    assert_cell_equals_engine(page, trace, t + 1, 21)


# ---- memory -----------------------------------------------------------------------------------

def row_values(page: Any, row: str) -> list[float | None]:
    return page.evaluate("""row => [...document.querySelectorAll(`#view-memory [data-row='${row}'] .gs-word`)]
      .map(w => (w.dataset.value === undefined ? null : Number(w.dataset.value)))""", row)


@pytest.mark.parametrize("model", ["lstm", "gru"])
def test_memory_shades_each_word_by_what_is_still_remembered(page: Any, server: Server, model: str) -> None:
    open_page(page, f"?text={CEREAL}&model={model}&view=memory&step=0")
    trace = server.engine(model).trace(CEREAL)
    kept = retention(trace)
    contrib = memory_contributions(trace)
    for t in (0, 11, len(trace) - 1):
        go(page, "memory", t, unit=3)
        shown = row_values(page, "all")
        assert len(shown) == len(trace)
        assert all(v is None for v in shown[t + 1:])  # not read yet
        np.testing.assert_allclose(np.array(shown[: t + 1], dtype=float), kept[t, : t + 1],
                                   rtol=0, atol=MEMORY)
        words = page.locator("#view-memory [data-row='all'] .gs-word")
        assert words.nth(t).get_attribute("class").split().count("current") == 1
        if t + 1 < len(trace):
            assert "future" in words.nth(t + 1).get_attribute("class")
        unit_row = row_values(page, "unit")
        np.testing.assert_allclose(np.array(unit_row[: t + 1], dtype=float), contrib[t, : t + 1, 3],
                                   rtol=0, atol=MEMORY)
    # The hover tells the number, in words.
    t = len(trace) - 1
    first = page.locator("#view-memory [data-row='all'] .gs-word").nth(0)
    first.hover()
    title = first.get_attribute("title")
    assert "amazing" in title and "still in the" in title
    assert number(re.search(r"retention ([\u2212-]?\d\.\d+)", title).group(1)) == pytest.approx(kept[t, 0],
                                                                                           abs=MEMORY)
    # The parts of the selected unit add up to its state; another unit is picked by a click.
    state = trace.cell if model == "lstm" else trace.hidden
    page.click("#view-memory .gs-unit[data-unit='12']")
    assert selected(page) == 12
    np.testing.assert_allclose(np.array(row_values(page, "unit"), dtype=float), contrib[t, :, 12],
                               rtol=0, atol=MEMORY)
    total = float(page.get_attribute("#view-memory .gs-memory-sum", "data-sum"))
    assert total == pytest.approx(float(state[t, -1, 12]), abs=MEMORY)


def test_memory_says_a_plain_rnn_has_no_such_split(page: Any) -> None:
    open_page(page, f"?text={CEREAL}&model=rnn&view=memory&step=4")
    note = page.text_content("#view-memory .gs-memory-rnn")
    assert "no gates" in note and "washed out" in note
    assert page.locator("#view-memory .gs-word").count() > 10
    assert page.locator("#view-memory .gs-word[data-value]").count() == 0


# ---- whiteboard -------------------------------------------------------------------------------

BOARD_JS = """() => [...document.querySelectorAll('#view-whiteboard .gs-wb-panel')].map(p =>
  [p.dataset.panel, [...p.querySelectorAll('.gs-wb-sq')].map(q => Number(q.dataset.value))])"""


def square(page: Any, panel: str, u: int) -> Any:
    return page.locator(f"#view-whiteboard [data-panel='{panel}'] .gs-wb-sq[data-unit='{u}']")


def expected_boards(trace: Any, t: int) -> dict[str, np.ndarray]:
    state = trace.cell if trace.kind == "lstm" else trace.hidden
    boards = {"before": state[t - 1, -1] if t else np.zeros(state.shape[2]), "after": state[t, -1]}
    if trace.kind != "rnn":
        parts = state_parts(trace)
        boards |= {"erased": parts["erased"][t, -1], "written": parts["written"][t, -1]}
        if trace.kind == "lstm":
            boards["out"] = trace.hidden[t, -1]
    return boards


@pytest.mark.parametrize("model", ["lstm", "gru", "rnn"])
def test_whiteboard_boards_are_the_steps_arithmetic(page: Any, server: Server, model: str) -> None:
    open_page(page, f"?text={MOVIE}&model={model}&view=whiteboard&step=0")
    trace = server.engine(model).trace(MOVIE)
    H = trace.hidden.shape[2]
    t = 8  # "dry" → "but" is next
    go(page, "whiteboard", t, unit=0)
    boards = dict(page.evaluate(BOARD_JS))
    want = expected_boards(trace, t)
    assert list(boards) == {"lstm": ["before", "erased", "written", "after", "out"],
                            "gru": ["before", "erased", "written", "after"],
                            "rnn": ["before", "after"]}[model]
    for name, values in want.items():
        assert len(boards[name]) == H
        np.testing.assert_allclose(np.array(boards[name], dtype=float), values, rtol=0,
                                   atol=PRODUCT, err_msg=name)
    # before − erased + read in = after, square by square, exactly as the model computed it.
    if model != "rnn":
        lhs = np.array(boards["before"]) - np.array(boards["erased"]) + np.array(boards["written"])
        np.testing.assert_allclose(lhs, want["after"], rtol=0, atol=3 * PRODUCT)
    # Point at a square: its unit and the step's arithmetic for it.
    u = 13
    if model == "lstm":
        square(page, "erased", u).hover()
        text = square(page, "erased", u).get_attribute("title")
        assert f"unit {u}" in text
        erased = re.search(r"erased \(1\u2212f\)\u00b7c\u208b\u2081 = ([\u2212-]?\d\.\d+)", text)
        assert number(erased.group(1)) == pytest.approx(want["erased"][u], abs=PRODUCT)
        f = re.search(r"f = ([\u2212-]?\d\.\d+)", text)
        assert number(f.group(1)) == pytest.approx(float(trace.gates["forget"][t, -1, u]), abs=WIRE)
    elif model == "gru":
        square(page, "written", u).hover()
        text = square(page, "written", u).get_attribute("title")
        read = re.search(r"read in \(1\u2212z\)\u00b7n = ([\u2212-]?\d\.\d+)", text)
        assert number(read.group(1)) == pytest.approx(want["written"][u], abs=PRODUCT)
    # Clicking a square selects that unit everywhere, and the outline follows on every board.
    square(page, "after", u).click()
    page.wait_for_function("u => window.gatescope.store.unit === u", arg=u)
    pressed = page.eval_on_selector_all("#view-whiteboard .gs-wb-sq[aria-pressed='true']",
                                        "els => els.map(e => Number(e.dataset.unit))")
    assert pressed == [u] * len(boards)
    moves = page.text_content("#view-whiteboard .gs-wb-moves")
    if model == "rnn":
        assert "no gates" in moves
    else:
        assert "selective forget" in moves and "selective read" in moves and "selective write" in moves


# ---- safety and pictures ----------------------------------------------------------------------

def test_typed_markup_stays_text_in_these_views(page: Any) -> None:
    open_page(page, "?text=good&model=lstm&view=cell&step=0")
    evil = 'nice <img src=x onerror="window.__pwned=1"> <b>bold</b> & fine'
    page.fill("#text", evil)
    page.press("#text", "Enter")
    page.wait_for_function("() => document.body.dataset.state === 'ready'")
    for view in ["cell", "memory", "whiteboard"]:
        go(page, view, 2)
        injected = page.locator(f"#view-{view} img, #view-{view} image, #view-{view} script, "
                                f"#view-{view} b").count()
        assert injected == 0
    words = page.eval_on_selector_all("#view-memory [data-row='all'] .gs-word",
                                      "els => els.map(e => e.textContent)")
    assert "<" in words and "img" in words
    go(page, "whiteboard", 1)
    assert "\u201c<\u201d" in page.text_content("#whiteboard-caption")
    go(page, "cell", 1)
    assert "\u201c<\u201d" in page.text_content("#view-cell .gs-cell-heading")
    assert page.evaluate("window.__pwned") is None


def test_screenshots_of_cell_memory_whiteboard(page: Any) -> None:
    """Pictures for a person to look at (screenshots/, git-ignored), not an assertion of looks."""
    SCREENSHOTS.mkdir(exist_ok=True)
    models = page.context.request.get("/api/models").json()["models"]
    names = [m["name"] for m in models if m["name"] in ("lstm", "gru", "rnn", "lstm-tiny")]
    for name in names:
        open_page(page, f"?text={CEREAL}&model={name}&view=cell&step=0")
        for view in ["cell", "memory", "whiteboard"]:
            go(page, view, 11)
            page.wait_for_timeout(400)  # let the whiteboard's erase → read → write sequence settle
            page.locator(f"#view-{view}").screenshot(path=str(SCREENSHOTS / f"{view}-{name}.png"))
    assert names
