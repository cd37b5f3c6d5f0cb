"""Bulk issuance: credentials issued per second through the batch service (start_batch, then the
task's process_batch: an OB 3.0 credential built, signed with eddsa-rdfc-2022 and as a VC-JWT,
given a status-list index and stored, item by item, in chunks).

- `credentials_bulk_issuance_per_second`; baseline: the same number of IssuedCredential rows
  created in the same chunks with no building or signing, measured in this run (so the ratio
  shows what signing costs against bare storage).

Knobs: BENCH_BULK_CREDENTIALS (default 10,000; about 2 minutes on 2 cores) or
`--quick` (200, for tests). A fresh SQLite file in a temporary directory by default; a
throwaway PostgreSQL database when DATABASE_URL names PostgreSQL.
"""

from __future__ import annotations

import base64
import os
import secrets
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from benchmarks._support import common_fields, emit, log, temporary_directory, throwaway_database

T = TypeVar("T")
QUICK = 200
CHUNK = 100


def size() -> int:
    if "--quick" in sys.argv[1:]:
        return QUICK
    return int(os.environ.get("BENCH_BULK_CREDENTIALS", "10000"))


def configure(folder: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "true"  # the settings then need no production secrets (dev KEK)
    os.environ["TRELLIS_VAR_DIR"] = str(folder)
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    # A throwaway key-encryption key: the run is production-like (DEBUG off) and seals keys.
    os.environ["TRELLIS_KEY_ENCRYPTION_KEY"] = (
        "bench:" + base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()
    )
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    settings.DEBUG = False  # no query log: measure what the task worker does
    call_command("migrate", verbosity=0)


def timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def setup(count: int) -> tuple[Any, list[Any]]:
    from trellis.accounts.models import User
    from trellis.districts.models import District

    district = District.objects.create(name="Benchmark", slug="benchmark", state_code="TX")
    User.objects.bulk_create(
        [User(email=f"person{i}@bench.test", full_name=f"Person {i}") for i in range(count)],
        batch_size=1000,
    )
    return district, list(User.objects.filter(email__endswith="@bench.test").order_by("id"))


def bare_rows(district: Any, users: list[Any]) -> None:
    """The baseline: IssuedCredential rows with a fixed document, no building or signing."""
    from django.db import transaction
    from django.utils import timezone

    from trellis.credentials.models import IssuedCredential
    from trellis.credentials.services import keys

    issuer = keys.ensure_issuer(district)
    key = keys.active_key(issuer)
    document = {"id": "urn:example:bench", "type": ["VerifiableCredential"]}
    now = timezone.now()
    for start in range(0, len(users), CHUNK):
        for index in range(start, min(len(users), start + CHUNK)):
            with transaction.atomic():
                IssuedCredential.objects.create(
                    district=district,
                    issuer=issuer,
                    recipient=users[index],
                    source_kind="api",
                    source_key=f"bare-{index}",
                    achievement_name="Bench",
                    document=document,
                    signing_key=key,
                    issued_at=now,
                )


def remove_bare_rows() -> None:
    from trellis.credentials.models import IssuedCredential

    IssuedCredential.objects.filter(source_key__startswith="bare-").delete()


def run_batch(district: Any, users: list[Any]) -> Any:
    from trellis.credentials.core.specs import AchievementSpec
    from trellis.credentials.services import batches
    from trellis.districts.models import Role
    from trellis.districts.queries import DistrictAccess

    access = DistrictAccess(district=district, roles=frozenset({Role.DISTRICT_ADMIN.value}))
    achievement = AchievementSpec(
        id="https://trellis.example/achievements/bench",
        name="Formative Assessment in Practice",
        description="Uses formative assessment evidence to adjust instruction.",
        criteria_narrative="Submitted three cycles of evidence, approved.",
        achievement_type="Competency",
    )
    batch = batches.start_batch(
        access=access,
        actor=None,
        title="Benchmark cohort",
        achievement=achievement,
        recipients=[(user, "offering", f"bench-{user.pk}") for user in users],
    )
    return batches.process_batch(batch_id=batch.pk, chunk=CHUNK)


def main() -> None:
    count = size()
    with (
        temporary_directory("trellis-bench-bulk-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        district, users = setup(count)
        log(f"Bulk issuance of {count:,} credentials on {database.version}")
        _none, base_wall, base_cpu = timed(lambda: bare_rows(district, users))
        remove_bare_rows()
        log(f"  baseline (bare rows): {base_wall:.1f} s")
        batch, wall, cpu = timed(lambda: run_batch(district, users))
        if batch.done != count or batch.failed:
            raise SystemExit(
                f"The batch did not finish: {batch.done} issued, {batch.failed} failed"
            )
        log(f"  batch: {wall:.1f} s")
        emit(
            "credentials_bulk_issuance_per_second",
            count / wall,
            "credentials/s",
            baseline="IssuedCredential rows created without building or signing",
            baseline_value=count / base_wall,
            credentials=count,
            seconds=round(wall, 2),
            cpu_seconds=round(cpu, 2),
            baseline_seconds=round(base_wall, 2),
            baseline_cpu_seconds=round(base_cpu, 2),
            **common_fields(database.vendor, database.version),
        )


if __name__ == "__main__":
    main()
