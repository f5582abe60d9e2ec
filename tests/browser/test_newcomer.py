"""What a newcomer hit on the page (issue 14), each reproduced in Chromium against the real server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any
from urllib.parse import quote

from .conftest import ROOT, Server, open_page, wait_ready

MOVIE = ("The first half of the movie is dry but the second half really picked up the pace. "
         "The lead actor delivered an amazing performance.")


def test_after_enter_the_keys_drive_the_player(page: Any) -> None:
    open_page(page, f"?text={quote(MOVIE)}&step=3")
    page.click("#text")
    page.fill("#text", "the film was good but the ending was terrible")
    page.press("#text", "Enter")
    wait_ready(page)
    assert page.evaluate("() => document.activeElement.id") != "text"
    assert "folded" in (page.get_attribute("#compose", "class") or "")
    page.keyboard.press("Space")  # pause (the text played from its first word)
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.gatescope.store.t") == 1
    page.keyboard.press("p")
    assert page.evaluate("() => document.body.classList.contains('presenter')")


def test_a_long_paragraph_stays_inside_the_memory_view(page: Any) -> None:
    paragraph = " ".join([MOVIE] * 7)  # 182 words
    page.set_viewport_size({"width": 1280, "height": 800})
    open_page(page, f"?text={quote(paragraph)}&view=memory&step=150")
    box = page.evaluate("""() => ({
      view: document.getElementById('view-memory').getBoundingClientRect().bottom,
      footer: document.querySelector('footer').getBoundingClientRect().top,
      scroll: document.documentElement.scrollHeight - innerHeight,
      current: document.querySelector('#view-memory [data-row=all] .gs-word.current').getBoundingClientRect(),
      row: document.querySelector('#view-memory [data-row=all]').getBoundingClientRect() })""")
    assert box["view"] <= box["footer"] + 1 and box["scroll"] <= 0
    # The current word is in sight inside its row.
    row, current = box["row"], box["current"]
    assert row["top"] - 1 <= current["top"] and current["bottom"] <= row["bottom"] + 1


def test_the_word_strip_keeps_the_current_word_whole(page: Any) -> None:
    open_page(page, f"?text={quote(' '.join([MOVIE] * 3))}&step=70")
    strip, word = page.evaluate("""() => [document.getElementById('words').getBoundingClientRect(),
      document.querySelector('#words .word.current').getBoundingClientRect()]""")
    assert strip["top"] - 0.5 <= word["top"] and word["bottom"] <= strip["bottom"] + 0.5
    assert strip["left"] - 0.5 <= word["left"] and word["right"] <= strip["right"] + 0.5


def test_memory_explains_the_text_on_screen(page: Any) -> None:
    open_page(page, f"?text={quote(MOVIE)}&view=memory&step=2")
    assert not page.text_content("#explain-text").startswith("The cereal review")


def test_over_the_token_limit_the_message_reads_as_sentences(page: Any, watch: Any) -> None:
    watch.allowed_errors.append("422")  # the refusal itself, reported by the browser
    open_page(page, f"?text={quote(MOVIE)}&step=1")
    limit = int(page.get_attribute("#app", "data-max-tokens") or 0)
    page.click("#text")
    page.fill("#text", "a " * (limit + 1))
    page.press("#text", "Enter")
    page.wait_for_selector("#message:not([hidden])")
    title = page.text_content(".message-title") or ""
    assert "shorten it" in title and title.rstrip().endswith(".")


def test_the_first_word_does_not_claim_to_keep_old_memory(page: Any) -> None:
    open_page(page, f"?text={quote(MOVIE)}&step=0")
    caption = page.text_content("#highway-caption") or ""
    assert "kept 100%" not in caption and "starts empty" in caption


def test_image_downloads_have_a_title_and_a_legend(page: Any) -> None:
    open_page(page, f"?text={quote(MOVIE)}&view=prediction&step=8")
    figure = page.evaluate("""async () => {
      const { imageFigure } = await import('/static/js/share.js');
      const { PageState } = await import('/static/js/state.js');
      const s = window.gatescope.session;
      const state = new PageState({ text: s.store.text, model: s.store.model, view: 'prediction', step: 8 });
      const f = imageFigure(s.view, state, s.store);
      return { title: f.layout.title.text, legend: f.layout.showlegend,
               names: f.data.filter((d) => d.showlegend).map((d) => d.name) };
    }""")
    assert "lstm" in figure["title"] and "word 9" in figure["title"] and "but" in figure["title"]
    assert figure["legend"] and set(figure["names"]) == {"negative", "positive"}


def test_hover_and_click_work_anywhere_on_a_lane(page: Any) -> None:
    open_page(page, f"?text={quote(MOVIE)}&view=highway&step=5")
    # A point on lane 6 at word 4, a third of a lane away from its line: the whole lane answers.
    x, y = page.evaluate("""() => { const el = document.getElementById('highway-lanes');
      const L = el._fullLayout, r = el.getBoundingClientRect();
      return [r.left + L.xaxis._offset + L.xaxis.l2p(3), r.top + L.yaxis._offset + L.yaxis.l2p(6.35)]; }""")
    page.mouse.move(x, y)
    page.wait_for_selector("#highway-lanes .hoverlayer .hovertext")
    assert "unit 6" in (page.text_content("#highway-lanes .hoverlayer") or "")
    page.mouse.click(x, y)
    page.wait_for_function("() => window.gatescope.store.unit === 6 && window.gatescope.store.t === 3")


def test_compare_from_a_link_draws_before_playback_ends_and_follows_it(page: Any) -> None:
    page.goto(f"/?text={quote(MOVIE)}&view=compare")
    page.wait_for_selector("#compare-plot .xtick", timeout=8_000)
    assert page.evaluate("() => window.gatescope.player.playing")
    page.wait_for_function("() => window.gatescope.store.t >= 2")
    page.wait_for_function("""() => { const p = document.getElementById('compare-plot');
      return p.layout.shapes[0].x0 === window.gatescope.store.t; }""")


def test_words_are_shown_as_typed(page: Any, server: Server) -> None:
    text = "I cannot say it: I can’t. She can't eat peanut butter."
    open_page(page, f"?text={quote(text)}&step=2")
    tokens = page.evaluate("() => window.gatescope.store.meta.tokens")
    assert "ca" in tokens and "n't" in tokens  # the data keeps GloVe's tokens
    strip = page.eval_on_selector_all("#words .word", "els => els.map(e => [e.textContent, e.className])")
    k = [w for w, _ in strip].index("n't")
    assert strip[k - 1][0] == "ca" and "glued" in strip[k][1] and strip[0][0] == "I"
    assert "n’t" in [w for w, _ in strip]  # the typographic apostrophe, as typed


def test_serve_gives_the_address_once_it_answers(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cmd = [sys.executable, "-m", "app.cli", "serve", "--host", "127.0.0.1", "--port", str(port)]
    proc = subprocess.Popen(cmd,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        assert proc.stdout is not None
        lines = []
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            lines.append(line)
            if "open http" in line:
                break
        assert any("starting" in line for line in lines[:-1]), lines
        assert "ready" in lines[-1] and f":{port}/" in lines[-1], lines
        # The moment it says so, the server answers.
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
            assert r.status == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        if proc.stdout is not None:
            proc.stdout.close()
