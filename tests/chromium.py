"""The Chromium the browser tests and the measuring scripts drive: Debian's package (Playwright
cannot download its own here), started with the same flags everywhere."""

from __future__ import annotations

import os

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
