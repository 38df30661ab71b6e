"""Browser fixtures shared by every browser suite (journeys, accessibility, budgets).

- ``browser``: one Chromium (Debian's, driven by Playwright) per test session;
- ``make_page(width=360, height=740)``: a fresh context and page whose relative URLs go to
  the live server (``page.goto("/akun/daftar/")``);
- ``page``: ``make_page()`` at phone width (360 px), for citizen journeys.

They live in one module imported by tests/conftest.py, so that the whole session has one
Playwright instance (two sync Playwright instances cannot run on one thread).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop on the test thread; Django's ORM calls made by the
# test itself (creating fixtures, reading the outbox) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LOKET_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (set LOKET_CHROMIUM)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()


@pytest.fixture
def make_page(browser, live_server) -> Iterator[Callable[..., object]]:
    contexts = []

    def factory(width: int = 360, height: int = 740):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": height},
            locale="id-ID",
            accept_downloads=True,
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield factory
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()
