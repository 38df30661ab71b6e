"""Browser journeys: a real Chromium (Debian's) driven by Playwright against live_server.

The fixtures (``browser``, ``make_page``, ``page``) come from tests/browser.py through
tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401 - re-exported for journeys


def pytest_collection_modifyitems(config, items):
    import pytest

    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
