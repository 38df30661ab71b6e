"""IKM computation time over many survey responses, in the configured database.

    LOKET_DATA_DIR=/tmp/ikm-bench python bench/ikm_bench.py --rows 200000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/loket_bench python bench/ikm_bench.py

Migrates the database, bulk-inserts ``--rows`` responses (seeded random scores, about 3 % of
answers left empty, spread over 5 agencies, 20 services and 365 days), then times
``ikm_summary`` and ``ikm_breakdown`` (median and worst of ``--repeat`` runs). The rows are
deleted afterwards unless ``--keep`` is given. Use a throwaway database: it writes to it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")

BENCH_SLUG = "bench-ikm"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--keep", action="store_true", help="keep the inserted rows")
    args = parser.parse_args()
    if not 1 <= args.rows <= 5_000_000:
        parser.error("--rows must be 1 to 5,000,000")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from loket.catalog.models import Service, Theme
    from loket.organizations.models import Agency, Government, Region
    from loket.surveys.models import Channel, SurveyResponse
    from loket.surveys.selectors import ikm_breakdown, ikm_summary

    call_command("migrate", "--no-input", verbosity=0)
    region, _ = Region.objects.get_or_create(
        code="99", defaults={"name": "Wilayah uji", "level": 1, "kind": "provinsi"}
    )
    gov, _ = Government.objects.get_or_create(
        slug=BENCH_SLUG,
        defaults={"region": region, "name": "Pemda uji IKM", "tracking_prefix": "BIKM"},
    )
    theme, _ = Theme.objects.get_or_create(slug=BENCH_SLUG, defaults={"name": "Uji"})
    agencies = [
        Agency.objects.get_or_create(
            government=gov, slug=f"dinas-{i}", defaults={"name": f"Dinas uji {i}"}
        )[0]
        for i in range(5)
    ]
    services = [
        Service.objects.get_or_create(
            government=gov,
            slug=f"layanan-{i}",
            defaults={
                "agency": agencies[i % 5], "theme": theme, "name": f"Layanan uji {i}",
                "channel": "both", "time_limit_days": 3, "output": "Surat",
            },
        )[0]
        for i in range(20)
    ]  # fmt: skip
    SurveyResponse.objects.filter(government=gov).delete()

    rng = random.Random(14_2017)
    start_day = dt.date(2025, 1, 1)
    weights = [1, 4, 20, 12]  # answers 1..4, mostly "3"
    started = time.perf_counter()
    done = 0
    while done < args.rows:
        n = min(args.batch, args.rows - done)
        objs = []
        for _ in range(n):
            svc = services[rng.randrange(20)]
            scores = rng.choices((1, 2, 3, 4), weights, k=9)
            objs.append(
                SurveyResponse(
                    government_id=gov.pk,
                    agency_id=svc.agency_id,
                    service_id=svc.pk,
                    channel=Channel.PAPER,
                    answered_on=start_day + dt.timedelta(days=rng.randrange(365)),
                    **{
                        f"u{i + 1}": (None if rng.random() < 0.03 else s)
                        for i, s in enumerate(scores)
                    },
                )
            )
        with transaction.atomic():
            SurveyResponse.objects.bulk_create(objs, batch_size=1000)
        done += n
    insert_s = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE surveys_surveyresponse")

    year = {"date_from": start_day, "date_to": dt.date(2025, 12, 31)}
    march = {"date_from": dt.date(2025, 3, 1), "date_to": dt.date(2025, 3, 31)}
    agency0, service0 = agencies[0], services[0]
    cases: list[tuple[str, Callable[[], Any]]] = [
        ("ikm_summary government, 1 year", lambda: ikm_summary(government=gov, **year)),
        ("ikm_summary agency, 1 year", lambda: ikm_summary(government=gov, agency=agency0, **year)),
        (
            "ikm_summary service, 1 year",
            lambda: ikm_summary(government=gov, service=service0, **year),
        ),
        (
            "ikm_summary service, 1 month",
            lambda: ikm_summary(government=gov, service=service0, **march),
        ),
        (
            "ikm_breakdown by service, 1 year",
            lambda: ikm_breakdown(government=gov, by="service", **year),
        ),
        (
            "ikm_breakdown by month, 1 year",
            lambda: ikm_breakdown(government=gov, by="month", **year),
        ),
    ]
    print(f"database: {connection.vendor}; rows: {args.rows:,}; insert: {insert_s:.1f} s")
    for name, fn in cases:
        fn()  # warm the cache once, as a real report page would be
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            result = fn()
            times.append((time.perf_counter() - t0) * 1000)
        first = result[0] if isinstance(result, list) else result
        print(
            f"{name:36s} median {statistics.median(times):8.1f} ms  max {max(times):8.1f} ms"
            f"  (count {first.count:,}, IKM {first.as_dict()['ikm_display']})"
        )
    if not args.keep:
        SurveyResponse.objects.filter(government=gov).delete()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
