"""Roster import throughput: 100,000 rows of the Trellis CSV into a fresh database.

Prints one JSON object per line on stdout (see `_support.emit`). The baseline is a bare
`bulk_create` of the same User rows in the same batches (no parsing, matching, memberships or
profiles), so `ratio` says what the whole import costs next to the cheapest possible insert of
the people alone. The import runs as the command line runs it: checked for conflicts, then
written in 1,000-row transactions (a user, a membership and a profile per row, plus schools).

    .venv/bin/python -m benchmarks.roster_import        # ROSTER_BENCH_ROWS=10000 for a quick run

A fresh SQLite file in a temporary directory by default; a throwaway PostgreSQL database when
DATABASE_URL names PostgreSQL (see `_support.throwaway_database`).
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a plain script

from benchmarks._support import (
    common_fields,
    emit,
    log,
    temporary_directory,
    throwaway_database,
)

ROWS = int(os.environ.get("ROSTER_BENCH_ROWS", "100000"))
BATCH = 1000
T = TypeVar("T")


def configure(folder: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "true"  # the settings then need no production secrets
    os.environ["TRELLIS_VAR_DIR"] = str(folder)
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # DEBUG records every query (on SQLite with an extra quoting query each); production and
    # the task worker run without it, so the measurement does too.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def roster_csv(rows: int) -> bytes:
    positions = ["teacher", "counselor", "para", "specialist", "librarian", "coach", "leader"]
    bands = ["K-5", "06-08", "9-12", "k_5;6_8"]
    lines = [
        "email,full_name,roles,school,position,years_experience,subjects,grade_bands,source_id"
    ]
    for i in range(rows):
        roles = "educator;coach" if i % 25 == 0 else "educator"
        lines.append(
            f"person{i}@bench.test,Person {i},{roles},School {i % 40},{positions[i % 7]},"
            f"{i % 35},Mathematics;Science,{bands[i % 4]},SIS-{i}"
        )
    return ("\n".join(lines) + "\n").encode()


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def bare_bulk_create(rows: int) -> None:
    """The same people as bare User rows, bulk-created in the import's batches."""
    from django.db import transaction

    from trellis.accounts.models import User
    from trellis.roster.sync import unusable_password

    for start in range(0, rows, BATCH):
        users = [
            User(
                email=f"person{i}@bench.test", full_name=f"Person {i}", password=unusable_password()
            )
            for i in range(start, min(rows, start + BATCH))
        ]
        with transaction.atomic():
            User.objects.bulk_create(users)


def remove_users() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_user")


def roster_import(data: bytes) -> Any:  # a RosterImport, imported once Django is set up
    from trellis.districts.models import District
    from trellis.roster import services

    district = District.objects.create(name="Benchmark", slug="benchmark", state_code="TX")
    return services.start_import(
        access=services.system_access(district),
        actor=None,
        uploads=[services.Upload("bench.csv", data)],
        dry_run=False,
        source="cli",
        run_now=True,
    )


def main() -> None:
    with (
        temporary_directory("trellis-bench-roster-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        data = roster_csv(ROWS)
        log(
            f"Roster import of {ROWS:,} rows ({len(data) / 1024 / 1024:.1f} MB) on {database.version}"
        )
        _none, base_wall, base_cpu = timed(lambda: bare_bulk_create(ROWS))
        remove_users()
        log(f"  baseline: {base_wall:.1f} s")
        item, wall, cpu = timed(lambda: roster_import(data))
        if item.status != "succeeded" or item.count("created") != ROWS:
            raise SystemExit(
                f"The import did not succeed: {item.status} {item.message} {item.counts}"
            )
        log(f"  import: {wall:.1f} s ({item.counts})")
        emit(
            "roster_import_rows_per_second",
            ROWS / wall,
            "rows/s",
            baseline="bare bulk_create of the same User rows",
            baseline_value=ROWS / base_wall,
            rows=ROWS,
            seconds=round(wall, 2),
            cpu_seconds=round(cpu, 2),
            baseline_seconds=round(base_wall, 2),
            baseline_cpu_seconds=round(base_cpu, 2),
            **common_fields(database.vendor, database.version),
        )


if __name__ == "__main__":
    main()
