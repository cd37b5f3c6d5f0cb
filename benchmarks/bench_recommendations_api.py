"""The recommendations API on the demo district: median milliseconds of
`GET /api/v1/me/recommendations` for the demo first-year educator, through Django's test client
(middleware, bearer token, the catalog version check, the educator's inputs, the engine, the
schema), after warm-up so the district's catalog arrays are cached as in production.

- `recommend_api_me_demo`: goal under 50 ms median. Baseline: `GET /bench/minimal` (no database,
  session or template) through the same client, before and after.
- `recommend_page_me_demo`: the "Recommended for you" page, same baseline (no goal; context).

Knob: BENCH_RECOMMEND_API_REQUESTS (100).

    .venv/bin/python -m benchmarks.bench_recommendations_api
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a plain script

from benchmarks._support import common_fields, emit, log, temporary_directory, throwaway_database
from benchmarks.catalog_search import configure

REQUESTS = int(os.environ.get("BENCH_RECOMMEND_API_REQUESTS", "100"))
WARM_UP = 5


def median_ms(client, url: str, headers: dict[str, str]) -> float:
    for _ in range(WARM_UP):
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    timings = []
    for _ in range(REQUESTS):
        started = time.perf_counter()
        client.get(url, **headers)
        timings.append(time.perf_counter() - started)
    return statistics.median(timings) * 1000


def main() -> None:
    with (
        temporary_directory("trellis-bench-recommend-api-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.test import Client

        from trellis.accounts.services import create_api_token
        from trellis.catalog.models import Offering

        started = time.perf_counter()
        call_command("seed", stdout=StringIO())
        educator = get_user_model().objects.get(email="educator@pinevalley.test")
        offerings = Offering.objects.filter(district__slug="pine-valley").count()
        log(f"Demo seeded in {time.perf_counter() - started:.1f} s ({offerings} offerings)")
        client = Client()
        client.force_login(educator, backend="trellis.accounts.backends.EmailBackend")
        _token, secret = create_api_token(user=educator, name="bench")
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        for name, url, headers in (
            ("recommend_api_me_demo", "/api/v1/me/recommendations", bearer),
            ("recommend_page_me_demo", "/recommendations/", {}),
        ):
            before = median_ms(client, "/bench/minimal", {})
            value = median_ms(client, url, headers)
            after = median_ms(client, "/bench/minimal", {})
            baseline = (before + after) / 2
            log(f"  {name}: {value:.2f} ms median; baseline {baseline:.2f} ms")
            emit(
                name,
                value,
                "ms/request (median)",
                baseline="GET /bench/minimal through the same test client, before and after",
                baseline_value=baseline,
                url=url,
                requests=REQUESTS,
                offerings=offerings,
                goal_ms=50 if name == "recommend_api_me_demo" else None,
                **common_fields(database.vendor, database.version),
            )


if __name__ == "__main__":
    main()
