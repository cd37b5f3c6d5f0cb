"""`seed_synthetic_district` for 100,000 educators, against a bare `bulk_create` of User rows.

Each measurement runs in its own process on its own fresh, migrated database (SQLite by default,
a throwaway PostgreSQL database when DATABASE_URL says so), one after the other in this run:

- baseline: `User.objects.bulk_create` of the same number of plain users (e-mail, name, one
  precomputed password hash), in the same 5,000-row transactions and 1,000-row batches;
- measured: `seed_synthetic_district(name="Bench Seed ISD", educators=N)`, which writes a user,
  a membership and a profile per educator (plus its schools), then a second call that must add
  nothing (its time is reported as `rerun_seconds`).

Prints educators/s (users/s for the baseline), all rows/s, seconds and peak memory.
BENCH_SEED_EDUCATORS changes N (default 100000).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from typing import Any

from benchmarks._support import (
    PYTHON,
    REPO,
    bench_environment,
    common_fields,
    emit,
    log,
    temporary_directory,
    throwaway_database,
)

EDUCATORS = int(os.environ.get("BENCH_SEED_EDUCATORS", "100000"))
DISTRICT = "Bench Seed ISD"


def _progress(done: int, total: int, what: str = "educators") -> None:
    if done == total or done % 25_000 == 0:
        log(f"  {done:,} / {total:,} {what}")


def _bare_bulk_create(count: int) -> dict[str, Any]:
    from django.contrib.auth.hashers import make_password
    from django.db import transaction

    from trellis.accounts.models import User
    from trellis.demo.people import DEMO_PASSWORD
    from trellis.demo.seed import BATCH

    password_hash = make_password(DEMO_PASSWORD)
    started = time.perf_counter()
    for start in range(0, count, BATCH):
        with transaction.atomic():
            User.objects.bulk_create(
                [
                    User(
                        email=f"user.{i}@bare.test", full_name="Plain User", password=password_hash
                    )
                    for i in range(start, min(start + BATCH, count))
                ],
                batch_size=1000,
            )
        _progress(min(start + BATCH, count), count, "users")
    seconds = time.perf_counter() - started
    if User.objects.count() != count:
        raise RuntimeError("The bare bulk_create did not write the expected rows.")
    return {"seconds": seconds, "people": count, "rows": count}


def _seed(count: int) -> dict[str, Any]:
    from trellis.accounts.models import User
    from trellis.demo.seed import seed_synthetic_district
    from trellis.districts.models import District, Membership, School
    from trellis.growth.models import EducatorProfile

    started = time.perf_counter()
    report = seed_synthetic_district(name=DISTRICT, educators=count, progress=_progress)
    seconds = time.perf_counter() - started
    models = (User, Membership, EducatorProfile, School, District)
    rows = {model.__name__: model.objects.count() for model in models}
    if report.created_people != count or rows["Membership"] != count:
        raise RuntimeError(f"The seed wrote unexpected rows: {rows}")

    started = time.perf_counter()
    rerun = seed_synthetic_district(name=DISTRICT, educators=count)
    rerun_seconds = time.perf_counter() - started
    if rerun.created_people != 0 or {m.__name__: m.objects.count() for m in models} != rows:
        raise RuntimeError("Running the seed a second time added rows.")
    log(f"  second run added nothing in {rerun_seconds:.1f} s")
    return {
        "seconds": seconds,
        "people": count,
        "rows": sum(rows.values()),
        "rerun_seconds": rerun_seconds,
    }


def measure_here(kind: str, count: int) -> None:
    """Child process: a fresh database, Django set up against it, one measurement to stdout."""
    with (
        temporary_directory(f"trellis-bench-seed-{kind}-") as directory,
        throwaway_database(directory) as database,
    ):
        os.environ.update(bench_environment(directory, database))
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", interactive=False, verbosity=0)
        log(f"{kind}: {count:,} on a fresh {database.version} database")
        result = _bare_bulk_create(count) if kind == "bare" else _seed(count)
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        result["database"] = database.vendor
        result["database_version"] = database.version
        connections.close_all()
    print(json.dumps(result), flush=True)


def _measure_in_child(kind: str) -> dict[str, Any]:
    command = [str(PYTHON), "-m", "benchmarks.seed_synthetic", "--measure", kind]
    done = subprocess.run(
        command, cwd=REPO, stdout=subprocess.PIPE, text=True, check=True, timeout=1800
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--measure", choices=["bare", "seed"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure_here(args.measure, EDUCATORS)
        return 0

    bare, seed = _measure_in_child("bare"), _measure_in_child("seed")
    shared = {
        "educators": EDUCATORS,
        **common_fields(seed["database"], seed["database_version"]),
        "seed_seconds": round(float(seed["seconds"]), 2),
        "bare_seconds": round(float(bare["seconds"]), 2),
        "rows_written": seed["rows"],
        "rerun_seconds": round(float(seed["rerun_seconds"]), 2),
    }
    baseline = f"bare User.objects.bulk_create of {EDUCATORS:,} users, same batches, same run"
    seed_seconds, bare_seconds = float(seed["seconds"]), float(bare["seconds"])
    emit(
        "seed_synthetic.educators_per_second",
        EDUCATORS / seed_seconds,
        "educators/s",
        baseline=baseline + " (users/s)",
        baseline_value=EDUCATORS / bare_seconds,
        **shared,
    )
    emit(
        "seed_synthetic.rows_per_second",
        int(seed["rows"]) / seed_seconds,
        "rows/s",
        baseline=baseline + " (rows/s)",
        baseline_value=int(bare["rows"]) / bare_seconds,
        **shared,
    )
    emit(
        "seed_synthetic.seconds",
        seed_seconds,
        "s",
        baseline=baseline,
        baseline_value=bare_seconds,
        **shared,
    )
    emit(
        "seed_synthetic.peak_rss",
        float(seed["peak_rss_mb"]),
        "MiB",
        baseline=baseline + " (peak RSS of its process)",
        baseline_value=float(bare["peak_rss_mb"]),
        **shared,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
