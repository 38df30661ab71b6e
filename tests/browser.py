"""Browser fixtures shared by every browser suite (journeys, accessibility, budgets).

- ``browser``: one Chromium (Debian's, driven by Playwright) per test session;
- ``make_page(width=360, height=740)``: a fresh context and page whose relative URLs go to
  the live server (``page.goto("/akun/daftar/")``);
- ``page``: ``make_page()`` at phone width (360 px), for citizen journeys;
- ``viewport``: parametrised over ``VIEWPORTS`` (a 360x640 phone and a 1366x768 desktop), for
  journeys that must work at both sizes: ``make_page(*viewport)``;
- ``shot(page, "report-form")``: a full-page PNG of the page as it is now, kept as a test
  artefact in ``$LOKET_ARTIFACTS_DIR/screenshots/<test>/NN-report-form.png`` (default
  ``test-artifacts/`` in the checkout, ignored by git; ``LOKET_SCREENSHOTS=0`` turns it off).
  When a test fails, ``make_page`` also saves ``failed-<context>-<page>.png`` of each of its
  pages there (with ``pytest_runtest_makereport`` imported into the suite's conftest).

They live in one module imported by tests/conftest.py, so that the whole session has one
Playwright instance (two sync Playwright instances cannot run on one thread).
"""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

import pytest
from playwright.sync_api import Error as PlaywrightError

from tests.chromium import CHROMIUM, CHROMIUM_ARGS

# Playwright's sync API keeps an event loop on the test thread; Django's ORM calls made by the
# test itself (creating fixtures, reading the outbox) are still plain synchronous code.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ROOT = Path(__file__).resolve().parent.parent


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
def make_page(browser, live_server, request) -> Iterator[Callable[..., object]]:
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
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and _screenshots_enabled():
        # Where a journey failed: the last state of each of its pages, for the artefacts.
        folder = screenshot_folder(request.node)
        folder.mkdir(parents=True, exist_ok=True)
        for i, context in enumerate(contexts, start=1):
            for j, failed_page in enumerate(context.pages, start=1):
                with contextlib.suppress(Exception):
                    (folder / f"failed-{i}-{j}.png").write_bytes(_png(failed_page, full_page=True))
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page):
    return make_page()


class Viewport(NamedTuple):
    width: int
    height: int


VIEWPORTS = {"phone": Viewport(360, 640), "desktop": Viewport(1366, 768)}


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request) -> Viewport:
    """Each test that asks for it runs once at phone size and once at desktop size."""
    return VIEWPORTS[request.param]


def artifacts_dir() -> Path:
    """Where test artefacts go: ``$LOKET_ARTIFACTS_DIR`` or ``test-artifacts/`` in the checkout."""
    return Path(os.environ.get("LOKET_ARTIFACTS_DIR") or ROOT / "test-artifacts")


def _screenshots_enabled() -> bool:
    return os.environ.get("LOKET_SCREENSHOTS", "1") != "0"


def _safe(name: str) -> str:
    return re.sub(r"[^\w.-]+", "-", name).strip("-")


def screenshot_folder(node) -> Path:
    """``screenshots/<test name>/`` of the artefacts folder (``[phone]`` becomes ``-phone``)."""
    return artifacts_dir() / "screenshots" / _safe(node.name)


def settled_evaluate(page, expression: str, arg=None):
    """``page.evaluate`` once the page's document has loaded. A click that navigates returns
    before the old document is replaced, and an expression that runs in between finds no
    ``documentElement`` or loses its context; it is tried again on the loaded page."""
    for _retry in range(4):
        page.wait_for_load_state("load")
        try:
            return page.evaluate(expression, arg)
        except PlaywrightError as error:
            if "documentElement" not in str(error) and "context was destroyed" not in str(error):
                raise
            page.wait_for_timeout(100)
    page.wait_for_load_state("load")
    return page.evaluate(expression, arg)  # a fifth try; its error, if any, is the answer


def scroll_width(page) -> int:
    """The width of the loaded page's content: more than the viewport means it scrolls sideways."""
    return int(settled_evaluate(page, "document.documentElement.scrollWidth"))


def _png(page, *, full_page: bool) -> bytes:
    """A PNG of ``page``, captured through DevTools with the encoder set for speed: about half
    the time of ``page.screenshot(full_page=True)`` on a desktop-sized page."""
    width, height = settled_evaluate(
        page,
        "(full) => full ? [document.documentElement.scrollWidth,"
        " document.documentElement.scrollHeight] : [innerWidth, innerHeight]",
        full_page,
    )
    session = page.context.new_cdp_session(page)
    try:
        shot = session.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "optimizeForSpeed": True,
                "captureBeyondViewport": full_page,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )
    finally:
        session.detach()
    return base64.b64decode(shot["data"])


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keeps each phase's report on the test item (``item.rep_call``) so that ``make_page``
    can screenshot the pages of a failed journey. Registered by importing it into a conftest."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture
def shot(request) -> Callable[..., Path | None]:
    """``shot(page, "report-form")`` saves a full-page PNG of ``page``, numbered in the order
    taken, into ``screenshots/<test name>/`` of the artefacts folder (emptied first, so the
    folder shows one run). Returns the path, or None when ``LOKET_SCREENSHOTS=0``."""
    enabled = _screenshots_enabled()
    folder = screenshot_folder(request.node)
    if enabled and folder.exists():
        shutil.rmtree(folder)
    taken = 0

    def take(page, name: str, *, full_page: bool = True) -> Path | None:
        nonlocal taken
        if not enabled:
            return None
        taken += 1
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{taken:02d}-{_safe(name)}.png"
        path.write_bytes(_png(page, full_page=full_page))
        return path

    return take
