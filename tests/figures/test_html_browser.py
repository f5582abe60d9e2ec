"""An exported HTML file, opened from file:// in Chromium with every network request refused: it
draws, hovers and animates, logs no error, and a typed sentence is shown as text, never run."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.figures.export import export_command

from .conftest import CEREAL, make_model_dir

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("Chromium is not installed (scripts/test.sh installs Debian's)", allow_module_level=True)

EVIL = "<img src=x onerror=alert(1)> amazing </script><script>alert(2)</script> cereal"
STEP = "{frame: {duration: 0, redraw: true}, mode: 'immediate', transition: {duration: 0}}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One HTML file per (kind, view), plus the hostile sentence."""
    root = tmp_path_factory.mktemp("html")
    dirs = {k: make_model_dir(root / k, k, hidden=6) for k in ("lstm", "gru", "rnn")}
    out: dict[str, Path] = {}
    for kind, views in (("lstm", ("highway", "gates", "cell", "memory", "whiteboard",
                                  "prediction", "compare")),
                        ("gru", ("highway", "memory")),
                        ("rnn", ("highway", "gates", "memory"))):
        for view in views:
            path = root / f"{kind}-{view}.html"
            assert export_command(CEREAL, model=str(dirs[kind]), view=view, out=path) == 0
            out[f"{kind}-{view}"] = path
    for view in ("highway", "prediction"):
        path = root / f"evil-{view}.html"
        assert export_command(EVIL, model=str(dirs["lstm"]), view=view, out=path) == 0
        out[f"evil-{view}"] = path
    return out


class Offline:
    """A page that may load file:// only; records every other request, console error and dialog."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.context.set_offline(True)
        self.refused: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)

    def _route(self, route: Any) -> None:
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, path: Path) -> Any:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector("#gatescope .main-svg")
        # Plotly adds the frames after the first draw; the player works once they are in.
        self.page.wait_for_function("() => document.getElementById('gatescope')._transitionData"
                                    " && document.getElementById('gatescope')._transitionData"
                                    "._frames.length > 0 || !document.querySelector('.slider')")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser: Any) -> Iterator[Offline]:
    o = Offline(browser)
    yield o
    o.close()


def drawn(page: Any) -> str:
    """A fingerprint of what is on screen: heatmap images and every trace's drawn path."""
    return str(page.evaluate("""() => {
        const gd = document.getElementById('gatescope');
        const images = [...gd.querySelectorAll('.hm image')].map(i => i.getAttribute('href'));
        const paths = [...gd.querySelectorAll('.scatterlayer path, .barlayer path')]
            .map(p => p.getAttribute('d'));
        const text = [...gd.querySelectorAll('.scatterlayer .textpoint text')]
            .map(t => t.getAttribute('style'));
        return JSON.stringify([images, paths, text]);
    }"""))


@pytest.mark.parametrize("name", ["lstm-highway", "lstm-gates", "lstm-cell", "lstm-memory",
                                  "lstm-whiteboard", "lstm-prediction", "lstm-compare",
                                  "gru-highway", "gru-memory", "rnn-highway"])
def test_draws_and_animates_offline(name: str, exported: dict[str, Path], offline: Offline) -> None:
    page = offline.open(exported[name])
    marks = page.evaluate("() => document.querySelectorAll('.hm image, .scatterlayer path.js-line,"
                          " .scatterlayer path.js-fill, .barlayer path').length")
    assert marks > 0
    before = drawn(page)
    # The slider's first step: the chart shows only the first word.
    page.evaluate(f"() => Plotly.animate('gatescope', ['0'], {STEP})")
    page.wait_for_function("() => document.getElementById('gatescope')._fullLayout"
                           ".sliders[0].active === 0")
    first = drawn(page)
    assert first != before
    # Play runs the frames forward from there: what is drawn changes again, word after word.
    page.locator(".updatemenu-button", has_text="Play").click()
    page.wait_for_function("() => document.getElementById('gatescope')._fullLayout"
                           ".sliders[0].active >= 2", timeout=60_000)
    assert drawn(page) != first
    page.locator(".updatemenu-button", has_text="Pause").click()
    assert offline.errors == []
    assert offline.refused == []


@pytest.mark.parametrize("name", ["lstm-highway", "lstm-prediction"])
def test_hover_shows_the_numbers(name: str, exported: dict[str, Path], offline: Offline) -> None:
    page = offline.open(exported[name])
    box = page.locator("#gatescope .nsewdrag").last.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    # One label per trace, or one unified box listing them all.
    page.wait_for_selector("#gatescope .hoverlayer .hovertext, #gatescope .hoverlayer .legend")
    assert re.search(r"\d\.\d", page.locator("#gatescope .hoverlayer").text_content() or "")
    assert offline.errors == []


def test_rnn_views_without_gates_explain_themselves(exported: dict[str, Path],
                                                    offline: Offline) -> None:
    for name, words in (("rnn-gates", "has no gates"), ("rnn-memory", "no per-word decomposition")):
        page = offline.open(exported[name])
        assert words in page.locator("#gatescope .annotation").first.text_content() or ""
    assert offline.errors == [] and offline.refused == []


@pytest.mark.parametrize("name", ["evil-highway", "evil-prediction"])
def test_typed_markup_is_text(name: str, exported: dict[str, Path], offline: Offline) -> None:
    offline.context.add_init_script("window.alert = m => { window.__alerted = String(m); };")
    page = offline.open(exported[name])
    page.evaluate(f"() => Plotly.animate('gatescope', ['3'], {STEP})")
    assert page.evaluate("() => window.__alerted === undefined")
    assert offline.dialogs == []
    assert page.evaluate("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    # Only the three of every export (plotly.js, its config, the chart): none injected.
    assert page.evaluate("() => document.scripts.length") == 3
    title = page.locator("#gatescope .gtitle").text_content() or ""
    assert "<img src=x onerror=alert(1)>" in title
    ticks = page.locator("#gatescope .xaxislayer-above text").all_text_contents()
    assert "<" in ticks and ">" in ticks
    assert offline.errors == [] and offline.refused == []
