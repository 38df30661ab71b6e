"""Browser journeys: a real Chromium (Debian's) driven by Playwright against live_server.

The fixtures (``browser``, ``make_page``, ``page``) come from tests/browser.py through
tests/conftest.py; ``viewport`` (each journey at 360x640 and at 1366x768), ``shot`` (a
screenshot of each step, kept as an artefact) and the hook that screenshots the pages of a
failed journey come from tests/browser.py through this file.
"""

from __future__ import annotations

from pathlib import Path

# Re-exported for the journeys: constants, the fixtures and the failure-screenshot hook.
from tests.browser import (  # noqa: F401
    CHROMIUM,
    CHROMIUM_ARGS,
    pytest_runtest_makereport,
    shot,
    viewport,
)


def pytest_collection_modifyitems(config, items):
    import pytest

    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)
