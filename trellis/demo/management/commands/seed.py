"""`trellis seed`: the demo districts, or with --district/--educators a large synthetic one."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from trellis.demo import seed
from trellis.demo.people import DEMO_DISTRICTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo districts (safe to run again), or build a synthetic district for benchmarks."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--district", help="Name of a synthetic district to build (with --educators)"
        )
        parser.add_argument(
            "--educators", type=int, help="How many synthetic educators (e.g. 100000)"
        )

    def handle(
        self, *args: Any, district: str | None, educators: int | None, **options: Any
    ) -> None:
        if district is not None or educators is not None:
            if not (district or "").strip() or educators is None:
                raise CommandError(
                    "Use --district and --educators together, e.g. --district 'Big ISD' --educators 100000."
                )
            if educators < 1:
                raise CommandError(f"--educators must be at least 1 (got {educators}).")
            report = seed.seed_synthetic_district(
                name=district, educators=educators, progress=self._progress
            )
            sys.stderr.write("\n")
            self.stdout.write(
                f"{report.district.name}: {report.created_people} educators added, {report.total_people} in all."
            )
            return
        reports = seed.seed_demo()
        for report in reports:
            self.stdout.write(
                f"{report.district.name}: {report.total_people} people ({report.created_people} new)."
            )
        self.stdout.write("")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        for spec in DEMO_DISTRICTS:
            for person in spec.cast:
                self.stdout.write(f"  {person.email:<28} {spec.name}: {person.description}")

    def _progress(self, done: int, total: int) -> None:
        sys.stderr.write(f"\r  {done:,} / {total:,} educators")
        sys.stderr.flush()
