"""Renewal progress from the database: every educator of a district, through the bulk path the
state export and the licences list use (`trellis.credit.queries.renewal_progress_bulk`).

Prints one JSON object per line on stdout (see `_support.emit`). A fresh database holds one
district of N educators (default 100,000; CREDIT_LEDGER_BENCH_EDUCATORS for a quick run), each
with about 8 credit awards (workshops, courses, CEUs, micro-credentials, capped independent
study, some outside the cycle, some from unapproved providers), a growth profile, and for half
of them a licence under a Texas, New York or Tennessee rule set.

What is timed: `renewal_progress_bulk(district)` for everyone (people, licences, positions and
awards read in chunks of 1,000 educators, records built, engine run), consumed as a stream.
The baseline, in the same run, reads the same award rows in the same chunks and does nothing
else, so `ratio` is what rules, records and bookkeeping cost next to the reads alone. The
process's peak memory is reported too: the bulk path keeps one chunk at a time.

    .venv/bin/python -m benchmarks.renewal_from_ledger

A fresh SQLite file in a temporary directory by default; a throwaway PostgreSQL database when
DATABASE_URL names PostgreSQL (see `_support.throwaway_database`).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import resource
import sys
import time
import uuid
from collections.abc import Callable
from decimal import Decimal
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

EDUCATORS = int(os.environ.get("CREDIT_LEDGER_BENCH_EDUCATORS", "100000"))
AWARDS_PER_EDUCATOR = 8
BATCH = 2000
CHUNK = 1000
KEYS = ("TX/classroom_teacher", "TX/counselor", "NY/professional", "TN/professional_renewal")
POSITIONS = ("teacher", "teacher", "teacher", "counselor", "specialist", "librarian", "coach")
SHAPES = (  # (unit, category, amount choices, source)
    ("clock_hour", "workshop", ("3", "6", "7.5", "12"), "offering"),
    ("clock_hour", "course", ("10", "15", "20"), "offering"),
    ("ceu", "course", ("0.5", "1", "1.5"), "external"),
    ("micro_credential", "micro_credential", ("1",), "micro_credential"),
    ("clock_hour", "independent_study", ("5", "10", "15"), "informal"),
    ("clock_hour", "informal", ("0.5", "1", "2"), "informal"),
)
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
    settings.DEBUG = False  # DEBUG records every query; production does not
    call_command("migrate", verbosity=0)


def seed(count: int, rng: random.Random) -> Any:
    """One district with `count` educators and their ledger, written in bulk."""
    from django.db import transaction

    from trellis.accounts.models import User
    from trellis.credit.models import CreditAward, License
    from trellis.districts.models import District, Membership
    from trellis.growth.models import EducatorProfile
    from trellis.roster.sync import unusable_password

    district = District.objects.create(name="Ledger ISD", slug="ledger-isd", state_code="TX")
    password = unusable_password()
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(email=f"e{i}@ledger.test", full_name=f"Educator {i}", password=password)
                    for i in numbers
                ]
            )
            Membership.objects.bulk_create(
                [Membership(user=u, district=district, role="educator") for u in users]
            )
            EducatorProfile.objects.bulk_create(
                [
                    EducatorProfile(user=u, district=district, position=POSITIONS[i % 7])
                    for i, u in zip(numbers, users, strict=True)
                ]
            )
            licences = []
            for i, user in zip(numbers, users, strict=True):
                if i % 2:
                    continue
                key = KEYS[(i // 2) % len(KEYS)]
                start_day = dt.date(2022, 7, 1) + dt.timedelta(days=i % 365)
                licences.append(
                    License(
                        district=district,
                        educator=user,
                        rule_set_key=key,
                        number=f"L-{i}",
                        cycle_start=start_day,
                        cycle_end=start_day.replace(year=start_day.year + 5) - dt.timedelta(days=1),
                    )
                )
            License.objects.bulk_create(licences)
            awards = []
            for user in users:
                for _ in range(AWARDS_PER_EDUCATOR + rng.randrange(-2, 3)):
                    unit, category, amounts, source = rng.choice(SHAPES)
                    amount = Decimal(rng.choice(amounts))
                    awards.append(
                        CreditAward(
                            district=district,
                            educator=user,
                            source=source,
                            source_ref=uuid.uuid4().hex,
                            title=f"Activity {rng.randrange(400)}",
                            provider=f"Provider {rng.randrange(50)}",
                            provider_approved=rng.random() < 0.9,
                            completed_on=dt.date(2021, 9, 1)
                            + dt.timedelta(days=rng.randrange(1900)),
                            amount=amount,
                            unit=unit,
                            category=category,
                            topics=["ell"] if rng.random() < 0.2 else [],
                            related_to_certificate=rng.random() < 0.85,
                            hours=amount if unit == "clock_hour" else Decimal(0),
                        )
                    )
            CreditAward.objects.bulk_create(awards, batch_size=5000)
        if (start // BATCH) % 10 == 0:
            log(f"  seeded {min(count, start + BATCH):,} of {count:,} educators")
    return district


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def read_rows_only(district: Any) -> int:
    """The baseline: the same award rows, read in the same educator chunks, nothing else."""
    from trellis.credit.queries import credited_educator_ids
    from trellis.credit.queries.rows import awards_of

    ids = credited_educator_ids(district)
    rows = 0
    for start in range(0, len(ids), CHUNK):
        rows += len(awards_of(district, ids[start : start + CHUNK]))
    return rows


def bulk_progress(district: Any) -> tuple[int, Decimal, int]:
    from trellis.credit.queries import renewal_progress_bulk

    educators, counted, at_risk = 0, Decimal(0), 0
    for renewal in renewal_progress_bulk(district, chunk_size=CHUNK):
        educators += 1
        if renewal.progress is not None:
            counted += renewal.progress.total
        at_risk += renewal.at_risk
    return educators, counted, at_risk


def peak_memory_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def main() -> None:
    with (
        temporary_directory("trellis-bench-ledger-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        log(f"Renewal progress from the ledger for {EDUCATORS:,} educators on {database.version}")
        started = time.perf_counter()
        district = seed(EDUCATORS, random.Random(20261123))
        from trellis.credit.models import CreditAward

        awards = CreditAward.objects.filter(district=district).count()
        log(f"  seeded {awards:,} awards in {time.perf_counter() - started:.0f} s")
        memory_before = peak_memory_mb()
        rows, base_wall, base_cpu = timed(lambda: read_rows_only(district))
        log(f"  baseline (reading {rows:,} award rows in chunks): {base_wall:.1f} s")
        (educators, counted, at_risk), wall, cpu = timed(lambda: bulk_progress(district))
        if educators != EDUCATORS or rows != awards:
            raise SystemExit(
                f"Expected {EDUCATORS} educators and {awards} rows: {educators}, {rows}"
            )
        log(
            f"  bulk progress: {wall:.1f} s ({cpu:.1f} s CPU); {counted} units counted, "
            f"{at_risk:,} educators at risk"
        )
        emit(
            "renewal_from_ledger_per_second",
            EDUCATORS / wall,
            "educators/s",
            baseline="reading the same award rows in the same chunks, nothing else",
            baseline_value=EDUCATORS / base_wall,
            educators=EDUCATORS,
            awards=awards,
            seconds=round(wall, 2),
            cpu_seconds=round(cpu, 2),
            baseline_seconds=round(base_wall, 2),
            baseline_cpu_seconds=round(base_cpu, 2),
            educators_at_risk=at_risk,
            peak_memory_mb_before=round(memory_before, 1),
            peak_memory_mb_after=round(peak_memory_mb(), 1),
            **common_fields(database.vendor, database.version),
        )


if __name__ == "__main__":
    main()
