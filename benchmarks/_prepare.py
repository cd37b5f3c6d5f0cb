"""Builds the database the landing-page and load benchmarks serve, in one process.

    python -m benchmarks._prepare --district "Bench ISD" --educators 5000 --admin admin@bench-isd.test

run with the benchmark's environment (`_support.bench_environment`). One process instead of one
`trellis` command per step: Django starts and imports the project once, and no step runs the
system checks (the test suite does).
The steps: the schema (`_support.create_schema`), the demo districts (`trellis seed`), the
synthetic district (`trellis seed --district … --educators …`), its first educator made its
district admin, and the static files. Prints the seconds of each step to stderr.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from benchmarks._support import create_schema, log


def make_district_admin(district: Any, email: str) -> None:
    """Makes the first synthetic educator of the district its admin (bench data only), so one
    landing page aggregates over the whole synthetic district."""
    from trellis.accounts.models import User
    from trellis.districts.models import Membership, Role

    user = User.objects.filter(memberships__district=district).order_by("pk").first()
    if user.email != email:
        user.email = email
        user.save(update_fields=["email"])
    Membership.objects.get_or_create(user=user, district=district, role=Role.DISTRICT_ADMIN)


def _timed(step: str, work: Callable[[], object], times: dict[str, float]) -> None:
    started = time.perf_counter()
    work()
    times[step] = time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--district", required=True)
    parser.add_argument("--educators", type=int, required=True)
    parser.add_argument("--admin", required=True, help="e-mail of the synthetic district's admin")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from trellis.demo.seed import seed_demo, seed_synthetic_district

    times: dict[str, float] = {}
    built: list[Any] = []
    _timed("schema", create_schema, times)
    _timed("demo districts", seed_demo, times)
    _timed(
        f"{args.educators:,} educators",
        lambda: built.append(
            seed_synthetic_district(name=args.district, educators=args.educators).district
        ),
        times,
    )
    _timed("district admin", lambda: make_district_admin(built[0], args.admin), times)
    _timed(
        "static files",
        lambda: call_command("collectstatic", interactive=False, verbosity=0),
        times,
    )
    steps = ", ".join(f"{step} {seconds:.1f} s" for step, seconds in times.items())
    log(f"  {connection.vendor}: {steps}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
