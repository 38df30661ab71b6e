#!/usr/bin/env python
"""Weigh the citizen pages and write docs/page-weight.md.

Starts no server and no browser: it creates a throwaway test database (the one DATABASE_URL
names, prefixed ``test_``; an in-memory one on SQLite), fills it with the pages' data
(tests/web/budget_pages.py), weighs each page through the Django test client with the same
function as tests/web/test_budgets.py, writes the table and removes the database again.

    .venv/bin/python scripts/page_weight.py [--output docs/page-weight.md]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "page-weight.md"))
    args = parser.parse_args()

    sys.path[:0] = [str(ROOT), str(ROOT / "src")]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
    os.environ.setdefault("LOKET_TESTING", "1")
    os.environ.setdefault("LOKET_DATA_DIR", tempfile.mkdtemp(prefix="loket-weight-"))
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment, teardown_test_environment
    from tests.web.budget_pages import build_pages

    from loket.portal.page_weight import markdown_report, measure, text_table

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        cache.clear()
        weights = [measure(Client(), path, label) for label, path in build_pages()]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    Path(args.output).write_text(markdown_report(weights), encoding="utf-8")
    print(text_table(weights))
    print(f"written: {args.output}")
    return 0 if all(w.within_budget for w in weights) else 1


if __name__ == "__main__":
    raise SystemExit(main())
