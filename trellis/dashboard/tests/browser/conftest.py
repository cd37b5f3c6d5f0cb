"""Browser fixtures: one Chromium per test process, a fresh context per test, the demo districts.

The tests drive Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium) through Playwright;
nothing is downloaded. Without a Chromium every browser test is skipped with a plain message.
TRELLIS_SCREENSHOTS=1 also saves the admin and educator home pages to /tmp/trellis-*.png.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse the ORM calls the tests (and the fixtures) make from that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Generous enough for a loaded CI machine, short enough that a broken page fails quickly.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM_PATH).is_file() or not os.access(CHROMIUM_PATH, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM_PATH}: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def demo(transactional_db: None) -> str:
    """The demo districts of DESIGN §7, committed so the live server's thread sees them.

    `seed` runs trellis.demo.seed.seed_demo(); calling it through the command keeps the layer
    contract (trellis.dashboard may not import trellis.demo) and uses the documented entry point.
    """
    out = StringIO()
    call_command("seed", stdout=out)
    return out.getvalue()


@pytest.fixture
def new_context(browser, live_server):
    """Opens isolated browser contexts (own cookies) on the live server; closes them afterwards."""
    contexts = []

    def make(**options: object):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()
