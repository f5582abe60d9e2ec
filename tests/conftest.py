"""What every test directory shares: the Chromium fixture.

Playwright's sync API runs its own event loop in the main thread while it is open: a second
`sync_playwright()` fails then ("Sync API inside the asyncio loop"), and so does a later test's
`asyncio.run()`. So there is one definition, and its browser lives for one test module only.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

# The flags the brief gives for Debian's Chromium on these machines (never `playwright install`).
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    playwright = pytest.importorskip("playwright.sync_api")
    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.skip("Chromium is not installed (scripts/test.sh installs Debian's)")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()
