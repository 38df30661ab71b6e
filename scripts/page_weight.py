#!/usr/bin/env python
"""Weigh the citizen pages and write docs/page-weight.md.

Starts no server and no browser: it creates a throwaway test database (the one DATABASE_URL
names, prefixed ``test_``; an in-memory one on SQLite), fills it with the pages' data
(tests/web/budget_pages.py), weighs each page through the Django test client with the same
function as tests/web/test_budgets.py, writes the table and removes the database again. The
section that scripts/slow_connection.py writes into the same file is kept.

    .venv/bin/python scripts/page_weight.py [--output docs/page-weight.md]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measuring import (
    ROOT,
    SLOW_BEGIN,
    SLOW_END,
    extract_block,
    setup_django,
    throwaway_database,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(ROOT / "docs" / "page-weight.md"))
    args = parser.parse_args()

    setup_django("loket-weight-")
    from django.test import Client
    from tests.web.budget_pages import build_pages

    from loket.portal.page_weight import markdown_report, measure, text_table

    with throwaway_database():
        weights = [measure(Client(), path, label) for label, path in build_pages()]
    output = Path(args.output)
    old = output.read_text(encoding="utf-8") if output.exists() else ""
    kept = extract_block(old, SLOW_BEGIN, SLOW_END)  # the slow-connection section
    report = markdown_report(weights) + (f"\n{kept}\n" if kept else "")
    output.write_text(report, encoding="utf-8")
    print(text_table(weights))
    print(f"written: {args.output}")
    return 0 if all(w.within_budget for w in weights) else 1


if __name__ == "__main__":
    raise SystemExit(main())
