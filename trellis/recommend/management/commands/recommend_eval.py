"""Print the offline evaluation of the recommendations: `trellis recommend_eval`."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from trellis.districts.models import District
from trellis.recommend.evaluation import evaluate_database_district, evaluate_synthetic


class Command(BaseCommand):
    help = (
        "Evaluate every educator's shortlist (gap coverage, diversity, catalog coverage, "
        "calibration, novices vs veterans) against a score-only baseline."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--district", help="Slug of a district in the database (e.g. pine-valley)"
        )
        parser.add_argument("--educators", type=int, default=300, help="Synthetic educators")
        parser.add_argument("--offerings", type=int, default=400, help="Synthetic offerings")
        parser.add_argument("--seed", type=int, default=7, help="Synthetic seed")
        parser.add_argument("--limit", type=int, default=None, help="At most this many educators")
        parser.add_argument("--json", action="store_true", help="Print the figures as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["district"]:
            district = District.objects.filter(slug=options["district"]).first()
            if district is None:
                raise CommandError(f"No district with the slug {options['district']!r}.")
            report = evaluate_database_district(district, limit=options["limit"])
        else:
            if options["educators"] < 1 or options["offerings"] < 1:
                raise CommandError("--educators and --offerings must be at least 1.")
            report = evaluate_synthetic(
                seed=options["seed"], educators=options["educators"], offerings=options["offerings"]
            )
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "source": report.source,
                        "educators": report.educators,
                        "offerings": report.offerings,
                        "shortlist": report.shortlist,
                        "baseline": report.baseline,
                    },
                    indent=2,
                )
            )
            return
        self.stdout.write("\n".join(report.lines()))
