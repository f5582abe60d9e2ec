"""The page in front of a class (issue 14): at 1280×800, 1366×768 and 1920×1080, in normal and
presenter mode, every view of every shipped model lies inside the window without scrolling the page,
no chart text is cut, every word of a 26-word sentence is written on the word axis, and presenter
mode's type is large. One browser context per size and mode; the views are switched by their tabs.
Screenshots of what was checked go to screenshots/ (git-ignored)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from .conftest import SCREENSHOTS, Server, wait_ready

# 26 tokens: the movie that turns at "but" (the words a lesson is about: "dry", "but", "amazing").
MOVIE = ("The first half of the movie is dry but the second half really picked up the pace. "
         "The lead actor delivered an amazing performance.")
VIEWS = ["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare", "gradients"]
WORD_AXIS = {"highway": "#highway-lanes", "gates": "#gates-plot", "prediction": "#prediction-lines",
             "compare": "#compare-plot", "gradients": "#gradients-reach"}

# Everything measured in one evaluate per view: page scroll, boxes outside the window, chart
# texts cut by their svg or by the view, the word axis's labels and their overlaps, type sizes.
MEASURE = """([view, axisSel]) => {
  const W = window.innerWidth, H = window.innerHeight, doc = document.documentElement;
  const inside = (r, box, slack = 1) => r.left >= box.left - slack && r.right <= box.right + slack
    && r.top >= box.top - slack && r.bottom <= box.bottom + slack;
  const win = { left: 0, top: 0, right: W, bottom: H };
  const root = document.getElementById('view-' + view);
  const out = { scrollX: doc.scrollWidth - W, scrollY: doc.scrollHeight - H, outside: [], cut: [],
                words: null, overlaps: 0, minTick: Infinity, minUnit: Infinity };
  const rootBox = root.getBoundingClientRect();
  if (!inside(rootBox, win)) out.outside.push('view ' + JSON.stringify(rootBox));
  for (const el of root.querySelectorAll('svg.main-svg, canvas, .legend, .gs-cell-diagram, .gs-wb-boards')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.height && !inside(r, win)) out.outside.push(el.className.baseVal ?? el.className);
  }
  for (const t of root.querySelectorAll('svg text')) {
    const r = t.getBoundingClientRect();
    if (!r.width || !t.textContent.trim()) continue;
    const svg = t.ownerSVGElement.getBoundingClientRect();
    if (!inside(r, svg, 2) || !inside(r, rootBox, 2) || !inside(r, win, 2)) out.cut.push(t.textContent);
  }
  if (axisSel) {
    const plot = document.querySelector(axisSel);
    const labels = [...plot.querySelectorAll('.xaxislayer-above .xtick text')];
    out.words = labels.map((t) => t.textContent.replace(/\\?$/, ''));
    const boxes = labels.map((t) => t.getBoundingClientRect());
    for (let k = 1; k < boxes.length; k++) {
      const a = boxes[k - 1], b = boxes[k];
      if (a.right > b.left + 0.5 && a.bottom > b.top + 0.5 && b.bottom > a.top + 0.5) out.overlaps += 1;
    }
    for (const t of labels) out.minTick = Math.min(out.minTick, parseFloat(getComputedStyle(t).fontSize));
    for (const t of plot.querySelectorAll('.yaxislayer-above .ytick text')) {
      const size = parseFloat(getComputedStyle(t).fontSize);
      if (t.textContent.startsWith('unit')) out.minUnit = Math.min(out.minUnit, size);
    }
  }
  return out;
}"""

SIZES = [(1280, 800), (1366, 768), (1920, 1080)]


def open_page(browser: Any, server: Server, width: int, height: int) -> tuple[Any, Any, list[str]]:
    """A fresh context of this window size, its page, and the console errors it will collect."""
    context = browser.new_context(viewport={"width": width, "height": height}, base_url=server.url)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return context, page, errors


@pytest.mark.parametrize("present", [False, True], ids=["normal", "presenter"])
@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_view_fits_the_screen_with_every_word_labelled(
        browser: Any, server: Server, size: tuple[int, int], present: bool) -> None:
    width, height = size
    context, page, errors = open_page(browser, server, width, height)
    models = page.context.request.get("/api/models").json()["models"]
    # Every shipped model at the smallest screen (the hardest to fit) and at 1920×1080 presenter
    # (the largest type); one model of each kind at the other sizes, to keep CI short.
    every = size == (1280, 800) or (present and size == (1920, 1080))
    models = [m for m in models if not m["name"].startswith("t-")]  # test models: test_lens.py
    names = [m["name"] for m in models] if every else list({m["kind"]: m["name"] for m in models
                                                            if m["name"] in ("lstm", "gru", "rnn")}.values())
    problems: list[str] = []
    try:
        for name in names:
            # Paused at word 9 ("but"): the drawing a teacher stops on.
            mode = "&present=1" if present else ""
            problems += check_views(page, f"?text={quote(MOVIE)}&model={name}&view=highway&step=8{mode}",
                                    f"{width}x{height}{' presenter' if present else ''} {name}",
                                    shots=name == "lstm")
    finally:
        context.close()
    assert not errors, errors
    assert not problems, "\n".join(problems)


def check_views(page: Any, query: str, where: str, shots: bool = False,
                views: list[str] = VIEWS) -> list[str]:
    """Open `query`, then every view by its tab: what does not fit, is cut or is unlabelled."""
    width = page.viewport_size["width"]
    present = "present=1" in query
    page.goto("/" + query)
    wait_ready(page)
    tokens = page.evaluate("() => window.gatescope.store.words")
    assert len(tokens) == 26
    problems: list[str] = []
    for view in views:
        page.click(f"#tab-{view}", force=True)
        if view in ("compare", "gradients"):
            page.wait_for_selector(f"{WORD_AXIS[view]} .xtick", timeout=15_000)
        page.wait_for_timeout(150)
        axis = WORD_AXIS.get(view)
        if axis and not page.query_selector(axis):
            axis = f"#{view}-plot"  # the highway of both directions: two roads in one plot
        m = page.evaluate(MEASURE, [view, axis])
        at = f"{where} {view}"
        if m["scrollX"] > 0 or m["scrollY"] > 0:
            problems.append(f"{at}: the page scrolls by {m['scrollX']}, {m['scrollY']} px")
        if m["outside"]:
            problems.append(f"{at}: outside the window: {m['outside'][:3]}")
        if m["cut"]:
            problems.append(f"{at}: chart text cut: {m['cut'][:5]}")
        if m["words"] is not None:
            if m["words"] != tokens:
                problems.append(f"{at}: word axis {m['words']} is not every word {tokens}")
            if m["overlaps"]:
                problems.append(f"{at}: {m['overlaps']} word labels overlap")
            if present and width >= 1920 and min(m["minTick"], m["minUnit"]) < 16:
                problems.append(f"{at}: type {m['minTick']} / {m['minUnit']} px, under 16 px")
        if shots or view == "highway":
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"layout-{at.replace(' ', '-')}.png"))
    return problems


# A bidirectional two-layer model (tests/browser/conftest.py's t-bilstm): its layer and direction
# pickers sit beside the tabs, which stay on one row; the backward reader's views fit like the others.
LENS_CASES = [((1280, 800), False), ((1920, 1080), True)]


@pytest.mark.parametrize(("size", "present"), LENS_CASES, ids=["1280x800", "1920x1080-presenter"])
def test_a_bidirectional_model_with_its_pickers_fits_the_screen(
        browser: Any, server: Server, size: tuple[int, int], present: bool) -> None:
    width, height = size
    context, page, errors = open_page(browser, server, width, height)
    try:
        mode = "&present=1" if present else ""
        where = f"{width}x{height}{' presenter' if present else ''} t-bilstm reverse layer 1"
        # Exact gradients are for one-way models (the view says so): every other view is checked.
        problems = check_views(page, f"?text={quote(MOVIE)}&model=t-bilstm&view=highway&step=8&layer=0"
                               f"&direction=reverse{mode}", where,
                               views=[v for v in VIEWS if v != "gradients"])
        # Both directions: the highway as two roads.
        problems += check_views(page, f"?text={quote(MOVIE)}&model=t-bilstm&view=highway&step=8"
                                f"&direction=both{mode}", where.replace("reverse", "both"), views=["highway"])
        # A final-states model at its last word: the verdict's diamonds, label and caption fit too.
        problems += check_views(page, f"?text={quote(MOVIE)}&model=t-bigru-fs&view=prediction&step=25"
                                f"{mode}", where.replace("t-bilstm reverse layer 1", "t-bigru-fs"),
                                shots=True, views=["prediction", "compare"])
        rows = page.eval_on_selector_all("#tabs [role=tab], #lens", "els => els.map(e => "
                                         "Math.round(e.getBoundingClientRect().bottom))")
        if max(rows) - min(rows) > 12:
            problems.append(f"{where}: the tabs and the pickers take more than one row: {rows}")
        box = page.eval_on_selector("#lens", "e => e.getBoundingClientRect().toJSON()")
        if box["width"] == 0 or box["right"] > width or box["bottom"] > height:
            problems.append(f"{where}: the pickers are not all in the window: {box}")
    finally:
        context.close()
    assert not errors, errors
    assert not problems, "\n".join(problems)
