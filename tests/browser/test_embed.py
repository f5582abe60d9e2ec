"""Embeds that fit (issue 14): the height the Embed box suggests shows each view whole at 700 and
1,000 px wide, and /embed posts its content height so the README's few lines let a frame size itself.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

import pytest

from .conftest import ROOT, Server, wait_ready

VIEWS = ["highway", "gates", "cell", "memory", "whiteboard", "prediction", "compare"]
MOVIE = ("The first half of the movie is dry but the second half really picked up the pace. "
         "The lead actor delivered an amazing performance.")


def suggested(page: Any, view: str, controls: bool) -> int:
    """The height the page's own embed snippet gives for `view`."""
    code = page.evaluate("""async ([view, controls]) => {
      const { embedSnippet } = await import('/static/js/share.js');
      const { PageState } = await import('/static/js/state.js');
      return embedSnippet(new PageState({ text: 'x', model: 'lstm', view }), { controls });
    }""", [view, controls])
    return int(re.search(r'height="(\d+)"', code).group(1))  # type: ignore[union-attr]


@pytest.mark.parametrize("width", [700, 1000])
def test_suggested_heights_show_every_view_whole(browser: Any, server: Server, width: int) -> None:
    context = browser.new_context(viewport={"width": width, "height": 400}, base_url=server.url)
    page = context.new_page()
    try:
        page.goto("/embed")
        wait_ready(page)
        problems = []
        for view in VIEWS:
            height = suggested(page, view, controls=True)
            page.set_viewport_size({"width": width, "height": height})
            page.goto(f"/embed?text={quote(MOVIE)}&model=lstm&view={view}&step=8&controls=1")
            wait_ready(page)
            if view == "compare":
                page.wait_for_selector("#compare-plot .xtick", timeout=15_000)
            page.wait_for_timeout(300)
            got = page.evaluate("""() => ({ scroll: document.documentElement.scrollHeight - innerHeight,
              need: +document.body.dataset.contentHeight,
              wordsBottom: document.getElementById('words').getBoundingClientRect().bottom,
              viewTop: document.querySelector('.view').getBoundingClientRect().top })""")
            if got["scroll"] > 0 or got["need"] > height:
                problems.append(f"{view} at {width} px: needs {got['need']} px, the snippet gives {height}")
            if got["wordsBottom"] > got["viewTop"] + 0.5:
                problems.append(f"{view} at {width} px: the word strip overlaps the view's caption")
        assert not problems, "\n".join(problems)
    finally:
        context.close()


def test_frame_sizes_itself_with_the_readme_snippet(page: Any, server: Server) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    script = re.search(r"<script>\s*(window\.addEventListener\(\"message\".*?)</script>", readme, re.S)
    assert script, "README shows the lines that let an embed size itself"
    page.set_content(
        f'<iframe id="f" src="{server.url}/embed?text={quote(MOVIE)}&model=lstm&view=cell&step=3" '
        f'width="700" height="150" style="border: 0"></iframe><script>{script.group(1)}</script>')
    frame = page.frame_locator("#f")
    frame.locator("body[data-state='ready']").wait_for(timeout=20_000)
    page.wait_for_function("() => document.getElementById('f').getBoundingClientRect().height > 400",
                           timeout=10_000)
    # The frame follows the height the embed last posted (it may post again while it draws).
    for _ in range(30):
        need = int(frame.locator("body").get_attribute("data-content-height") or 0)
        got = page.evaluate("() => document.getElementById('f').getBoundingClientRect().height")
        if abs(got - need) <= 2:
            break
        page.wait_for_timeout(100)
    assert got == pytest.approx(need, abs=2)
