"""District dashboards at state scale: one district of 100,000 educators.

Prints one JSON object per line on stdout (see `_support.emit`). A fresh database holds one
district of N educators (default 100,000; BENCH_REPORTS_EDUCATORS for a quick run) across 40
schools, each with a growth profile, about 3 credit awards, about one enrolment in 300
offerings (each tagged with a competency, a third of them vetted), a micro-credential
submission for one in five, a self-assessment of 10 competencies for one in five, and a licence
for half. Rows are bulk-inserted.

- `reports_dashboard_100k`: `summary()` plus every table in `TABLE_KEYS` for the whole district,
  read from the summary tables (best of 3). Baseline, same run: the same figures computed live
  from the raw tables, i.e. the refresh's grouped reads of memberships, profiles, credit awards,
  enrolments, submissions, self-ratings and offering signals without writing anything (renewal
  standing left out of the baseline: live, it would need the rules engine for every educator,
  which only makes the baseline slower). Goal: the dashboard well under a second.
- `reports_dashboard_one_school_100k`: the same, filtered to one school.
- `reports_refresh_100k`: `refresh_district` (every summary table rebuilt, renewal included).
  Baseline: the live computation above, so the ratio is what writing the rows and renewal add.

    .venv/bin/python -m benchmarks.bench_reports      # BENCH_REPORTS_EDUCATORS=10000 for a quick run
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # also runs as a plain script

from benchmarks._support import (
    common_fields,
    emit,
    log,
    temporary_directory,
    throwaway_database,
)

EDUCATORS = int(os.environ.get("BENCH_REPORTS_EDUCATORS", "100000"))
SCHOOLS = 40
OFFERINGS = 300
COMPETENCIES = 10
BATCH = 2000
POSITIONS = ("teacher", "teacher", "teacher", "counselor", "specialist", "para", "coach")
TODAY = dt.date(2026, 12, 1)


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


def _at(rng: random.Random) -> dt.datetime:
    day = TODAY - dt.timedelta(days=rng.randrange(700))
    return dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC)


def _catalog(district: Any, rng: random.Random) -> tuple[list[Any], list[Any], Any]:
    from trellis.catalog.models import Offering
    from trellis.frameworks.models import Framework, FrameworkItem, ProficiencyLevel
    from trellis.microcredentials.models import DefinitionVersion, MicroCredential
    from trellis.quality.models import VettingReview

    framework = Framework.objects.create(
        district=district, title="Bench framework", is_adopted=True
    )
    ProficiencyLevel.objects.bulk_create(
        [
            ProficiencyLevel(framework=framework, value=n, label=f"L{n}", is_target=n == 3)
            for n in (1, 2, 3, 4)
        ]
    )
    items = FrameworkItem.objects.bulk_create(
        [
            FrameworkItem(
                framework=framework, kind="competency", human_code=str(n), title=f"C{n}", position=n
            )
            for n in range(COMPETENCIES)
        ]
    )
    offerings = Offering.objects.bulk_create(
        [
            Offering(
                district=district,
                title=f"Offering {n}",
                kind="workshop",
                format="in_person",
                provider="Bench",
                hours=Decimal(rng.choice((3, 6, 12))),
                cost=Decimal(rng.choice((0, 50, 120, 300))),
                status="published",
                published_at=_at(rng),
            )
            for n in range(OFFERINGS)
        ]
    )
    Offering.competencies.through.objects.bulk_create(
        [
            Offering.competencies.through(
                offering_id=o.pk, frameworkitem_id=items[n % COMPETENCIES].pk
            )
            for n, o in enumerate(offerings)
        ]
    )
    VettingReview.objects.bulk_create(
        [
            VettingReview(
                district=district,
                offering=o,
                reviewer_role="district_admin",
                score=0.8,
                essentials_met=n % 6 != 0,
                completed_at=_at(rng),
            )
            for n, o in enumerate(offerings)
            if n % 3 == 0
        ]
    )
    mc = MicroCredential.objects.create(district=district, slug="bench-mc", status="published")
    version = DefinitionVersion.objects.create(
        micro_credential=mc, number=1, status="published", title="Bench MC", published_at=_at(rng)
    )
    return items, offerings, version


def seed(count: int, rng: random.Random) -> Any:
    from django.db import transaction

    from trellis.accounts.models import User
    from trellis.catalog.models import Enrollment
    from trellis.credit.models import CreditAward, License
    from trellis.districts.models import District, Membership, School
    from trellis.growth.models import EducatorProfile, SelfAssessment, SelfRating
    from trellis.microcredentials.models import Submission
    from trellis.roster.sync import unusable_password

    district = District.objects.create(name="State ISD", slug="state-isd", state_code="TX")
    schools = School.objects.bulk_create(
        [School(district=district, name=f"School {n:02d}") for n in range(SCHOOLS)]
    )
    items, offerings, version = _catalog(district, rng)
    password = unusable_password()
    statuses = ("completed", "completed", "enrolled", "pending", "denied", "no_show")
    for start in range(0, count, BATCH):
        numbers = range(start, min(count, start + BATCH))
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(email=f"e{i}@state.test", full_name=f"Educator {i}", password=password)
                    for i in numbers
                ]
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=u, district=district, role="educator", school=schools[i % SCHOOLS]
                    )
                    for i, u in zip(numbers, users, strict=True)
                ]
            )
            EducatorProfile.objects.bulk_create(
                [
                    EducatorProfile(
                        user=u,
                        district=district,
                        position=POSITIONS[i % 7],
                        years_experience=i % 30,
                    )
                    for i, u in zip(numbers, users, strict=True)
                ]
            )
            License.objects.bulk_create(
                [
                    License(
                        district=district,
                        educator=u,
                        rule_set_key="TX/classroom_teacher",
                        cycle_start=dt.date(2022, 9, 1) + dt.timedelta(days=i % 700),
                        cycle_end=dt.date(2027, 8, 31) + dt.timedelta(days=i % 700),
                    )
                    for i, u in zip(numbers, users, strict=True)
                    if i % 2 == 0
                ]
            )
            awards, enrolments, submissions = [], [], []
            for i, user in zip(numbers, users, strict=True):
                for _ in range(rng.randrange(0, 7)):
                    amount = Decimal(rng.choice(("3", "6", "12")))
                    awards.append(
                        CreditAward(
                            district=district,
                            educator=user,
                            source="offering",
                            source_ref=uuid.uuid4().hex,
                            title="Activity",
                            completed_on=_at(rng).date(),
                            amount=amount,
                            unit="clock_hour",
                            category="workshop",
                            hours=amount,
                        )
                    )
                if rng.random() < 0.9:
                    status = rng.choice(statuses)
                    asked = _at(rng)
                    enrolments.append(
                        Enrollment(
                            district=district,
                            offering=offerings[rng.randrange(OFFERINGS)],
                            educator=user,
                            school=schools[i % SCHOOLS],
                            status=status,
                            requested_at=asked,
                            decided_at=asked + dt.timedelta(days=2)
                            if status != "pending"
                            else None,
                            completed_at=asked + dt.timedelta(days=30)
                            if status == "completed"
                            else None,
                        )
                    )
                if i % 5 == 0:
                    started = _at(rng)
                    step = rng.randrange(4)
                    submissions.append(
                        Submission(
                            district=district,
                            educator=user,
                            version=version,
                            status=("draft", "submitted", "not_yet", "earned")[step],
                            submitted_at=started + dt.timedelta(days=5) if step else None,
                            decided_at=started + dt.timedelta(days=5 + rng.randrange(30))
                            if step > 1
                            else None,
                            earned_at=started + dt.timedelta(days=20) if step == 3 else None,
                        )
                    )
            CreditAward.objects.bulk_create(awards, batch_size=5000)
            Enrollment.objects.bulk_create(enrolments, batch_size=5000)
            Submission.objects.bulk_create(submissions, batch_size=5000)
            assessed = SelfAssessment.objects.bulk_create(
                [
                    SelfAssessment(
                        district=district,
                        educator=u,
                        framework=items[0].framework,
                        status="submitted",
                        submitted_at=_at(rng),
                    )
                    for i, u in zip(numbers, users, strict=True)
                    if i % 5 == 1
                ]
            )
            SelfRating.objects.bulk_create(
                [
                    SelfRating(assessment=a, item=item, value=rng.randrange(1, 5))
                    for a in assessed
                    for item in items
                ],
                batch_size=5000,
            )
        if (start // BATCH) % 10 == 0:
            log(f"  seeded {min(count, start + BATCH):,} of {count:,} educators")
    return district


def admin_access(district: Any) -> Any:
    from trellis.districts.queries import DistrictAccess

    return DistrictAccess(district=district, roles=frozenset({"district_admin"}))


def dashboard(access: Any, filters: Any) -> int:
    from trellis.reports import queries

    cells = len(queries.summary(access, filters).figures)
    for key in queries.TABLE_KEYS:
        cells += sum(len(row) for row in queries.table(access, filters, key).rows)
    return cells


def live_from_raw(district: Any) -> int:
    """The baseline: the same grouped reads of the raw tables, nothing written."""
    from trellis.reports import summaries

    dims = summaries.educator_dims(district)
    needs, _gaps = summaries._needs(district, dims)
    rows = len(needs)
    rows += len(summaries._participation(district, dims))
    rows += len(summaries._funnel(district, dims))
    rows += len(summaries._spending(district, dims))
    offerings, links = summaries._offerings(district)
    return rows + len(offerings) + len(links)


def log_each_table(access: Any, filters: Any) -> None:
    from trellis.reports import queries

    timings = {"summary": best_of(1, lambda: queries.summary(access, filters))}
    for key in queries.TABLE_KEYS:
        timings[key] = best_of(1, lambda key=key: queries.table(access, filters, key))
    slowest = sorted(timings.items(), key=lambda item: -item[1])[:6]
    log(
        "  slowest parts: "
        + ", ".join(f"{key} {seconds * 1000:.0f} ms" for key, seconds in slowest)
    )


def best_of(runs: int, work: Any) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main() -> None:
    with (
        temporary_directory("trellis-bench-reports-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        log(f"Dashboards for {EDUCATORS:,} educators on {database.version}")
        started = time.perf_counter()
        district = seed(EDUCATORS, random.Random(20261205))
        log(f"  seeded in {time.perf_counter() - started:.0f} s")
        from trellis.districts.models import School
        from trellis.reports.filters import ReportFilters
        from trellis.reports.summaries import refresh_district

        started = time.perf_counter()
        record = refresh_district(district)
        refresh_seconds = time.perf_counter() - started
        log(f"  refresh: {refresh_seconds:.1f} s, {record.rows:,} summary rows")
        live_seconds = best_of(1, lambda: live_from_raw(district))
        log(f"  live from raw tables (baseline): {live_seconds:.1f} s")
        access = admin_access(district)
        everything = ReportFilters()
        one_school = ReportFilters(school=School.objects.filter(district=district).first())
        dashboard(access, everything)  # warm-up
        whole = best_of(3, lambda: dashboard(access, everything))
        school = best_of(3, lambda: dashboard(access, one_school))
        log(f"  dashboard: {whole * 1000:.0f} ms whole district, {school * 1000:.0f} ms one school")
        log_each_table(access, everything)
        common = {
            "educators": EDUCATORS,
            "summary_rows": record.rows,
            **common_fields(database.vendor, database.version),
        }
        emit(
            "reports_dashboard_100k",
            whole * 1000,
            "ms (best of 3)",
            baseline="same figures computed live from the raw tables (no renewal)",
            baseline_value=live_seconds * 1000,
            **common,
        )
        emit(
            "reports_dashboard_one_school_100k",
            school * 1000,
            "ms (best of 3)",
            baseline="same figures computed live from the raw tables (no renewal)",
            baseline_value=live_seconds * 1000,
            **common,
        )
        emit(
            "reports_refresh_100k",
            refresh_seconds,
            "s",
            baseline="the live computation alone (no renewal, nothing written)",
            baseline_value=live_seconds,
            **common,
        )


if __name__ == "__main__":
    main()
