"""What every test directory shares: one Chromium for the whole run.

Playwright's sync API runs its own event loop, so a second `sync_playwright()` opened while the
first is alive fails ("Sync API inside the asyncio loop"): the browser tests of tests/api,
tests/browser and tests/figures therefore all use this one session-wide browser.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# The flags the brief gives for Debian's Chromium on these machines (never `playwright install`).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed (scripts/test.sh installs Debian's)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()
