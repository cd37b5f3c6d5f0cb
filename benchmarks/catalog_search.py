"""Catalog search with 10,000 offerings: milliseconds per search, page and API.

Prints one JSON object per line on stdout (see `_support.emit`). A fresh database gets one
district with an adopted framework of 36 competencies and 10,000 offerings of every kind
(about 90% published), with about 22,000 sessions over the past two months and the next six,
18,000 competency links and 4,000 enrolments. Then, signed in as an educator, each search runs
`BENCH_SEARCHES` times (after 5 warm-up requests) through Django's test client, which goes
through the whole middleware stack, the view, the queries and the template, but no network:

- `all` — the first page of the whole catalog, by title;
- `text` — a word that about one offering in ten carries;
- `competency_format` — one competency and one format;
- `dates_free_soonest` — has a session in the next 30 days, free, soonest first;
- `grade_hours_cost_page5` — grade band, at most 6 hours, cheapest first, page 5;
- `api_text_kind` — `GET /api/v1/offerings?q=…&kind=…` with a bearer token.

The baseline, timed in the same run with the same client, is `GET /bench/minimal` (a view
returning "ok" with no database, session or template): `ratio` says how many trivial requests
one search costs. The figure is milliseconds per request, so lower is better.

    .venv/bin/python -m benchmarks.catalog_search      # CATALOG_BENCH_OFFERINGS=2000 for a quick run

A fresh SQLite file in a temporary directory by default; a throwaway PostgreSQL database when
DATABASE_URL names PostgreSQL (see `_support.throwaway_database`).
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import sys
import time
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

OFFERINGS = int(os.environ.get("CATALOG_BENCH_OFFERINGS", "10000"))
SEARCHES = int(os.environ.get("BENCH_SEARCHES", "100"))
WARM_UP = 5
BATCH = 1000
WORDS = [
    "reading",
    "writing",
    "number",
    "algebra",
    "science",
    "inquiry",
    "feedback",
    "coaching",
    "literacy",
    "equity",
    "assessment",
    "classroom",
    "discourse",
    "phonics",
    "fractions",
    "geometry",
    "data",
    "planning",
    "routines",
    "questioning",
    "vocabulary",
    "behaviour",
    "wellbeing",
    "technology",
    "projects",
]
KINDS = [
    "online_course",
    "workshop",
    "workshop_series",
    "plc_cycle",
    "coaching_cycle",
    "micro_credential",
    "self_paced",
    "book_study",
    "conference",
    "external",
]
UNSCHEDULED = {"self_paced", "online_course", "external", "micro_credential"}
FORMATS = ["in_person", "online_live", "self_paced", "coaching", "plc", "micro_credential"]
BANDS = ["pre_k", "k_5", "6_8", "9_12"]
STAGES = ["novice", "developing", "experienced", "veteran"]
GROUPS = ["english_learners", "disabilities", "gifted", "low_income"]
SUBJECTS = ["Mathematics", "Science", "English", "History", "Art", "Music", "Spanish"]
UNITS = ["clock_hour", "clock_hour", "clock_hour", "ceu", "pdp", "ctle_hour"]
FEATURES = [
    "content_focus",
    "active_learning",
    "collaboration",
    "modelling",
    "coaching",
    "feedback_reflection",
    "sustained",
    "job_embedded",
]


def configure(folder: Path, database_url: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings_bench"
    os.environ["DATABASE_URL"] = database_url
    os.environ["DEBUG"] = "true"  # the settings then need no production secrets
    os.environ["TRELLIS_VAR_DIR"] = str(folder)
    os.environ["MEDIA_ROOT"] = str(folder / "media")
    os.environ["LOG_LEVEL"] = "WARNING"
    import django
    from django.conf import settings
    from django.core.management import call_command

    django.setup()
    # DEBUG records every query and renders debug pages; production runs without it.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)


def _sample(rng: random.Random, values: list[str], most: int) -> list[str]:
    return rng.sample(values, rng.randint(0, most))


def seed(rng: random.Random) -> dict[str, Any]:
    """The district, its framework, people and catalog, bulk-created."""
    from django.db import transaction
    from django.utils import timezone

    from trellis.accounts.models import User
    from trellis.catalog.models import Enrollment, Offering, OfferingSession
    from trellis.districts.models import District, Membership
    from trellis.frameworks.models import Framework, FrameworkItem, ProficiencyLevel
    from trellis.roster.sync import unusable_password

    now = timezone.now()
    district = District.objects.create(name="Bench ISD", slug="bench-isd", state_code="TX")
    framework = Framework.objects.create(
        district=district, title="Bench framework", is_adopted=True
    )
    for value, label in enumerate(("Beginning", "Developing", "Proficient", "Exemplary"), 1):
        ProficiencyLevel.objects.create(framework=framework, value=value, label=label)
    competencies = []
    for d in range(1, 7):
        domain = FrameworkItem.objects.create(
            framework=framework, kind="domain", human_code=str(d), title=f"Domain {d}", position=d
        )
        for c in range(1, 7):
            competencies.append(
                FrameworkItem.objects.create(
                    framework=framework,
                    parent=domain,
                    kind="competency",
                    human_code=f"{d}.{c}",
                    title=f"Competency {d}.{c}",
                    position=c,
                    depth=1,
                )
            )
    people = User.objects.bulk_create(
        [
            User(
                email=f"educator{i}@bench.test",
                full_name=f"Educator {i}",
                password=unusable_password(),
            )
            for i in range(200)
        ]
    )
    Membership.objects.bulk_create(
        [Membership(user=user, district=district, role="educator") for user in people]
    )
    links = Offering.competencies.through
    for start in range(0, OFFERINGS, BATCH):
        offerings = []
        for i in range(start, min(OFFERINGS, start + BATCH)):
            kind = KINDS[i % len(KINDS)]
            words = rng.sample(WORDS, 3)
            status = "published" if rng.random() < 0.9 else rng.choice(["draft", "retired"])
            tier = rng.choice(["none", "none", "1", "2", "3", "4"])
            offerings.append(
                Offering(
                    district=district,
                    title=f"{words[0].title()} and {words[1]}: session {i}",
                    summary=f"A practical look at {words[2]}.",
                    description=f"Participants work on {' and '.join(words)} with colleagues.",
                    kind=kind,
                    format=rng.choice(FORMATS),
                    provider=rng.choice(["District PD office", "Regional service center", "ASCD"]),
                    hours=Decimal(rng.choice(["1", "1.5", "3", "6", "7.5", "12", "30"])),
                    cost=Decimal(rng.choice(["0", "0", "0", "25", "99", "250"])),
                    grade_bands=_sample(rng, BANDS, 2),
                    subjects=_sample(rng, SUBJECTS, 2),
                    career_stages=_sample(rng, STAGES, 2),
                    students_served=_sample(rng, GROUPS, 1),
                    design_features=_sample(rng, FEATURES, 5),
                    evidence_tier=tier,
                    evidence_citation="" if tier == "none" else "A study.",
                    credit_amount=Decimal(rng.choice(["0", "3", "6"])),
                    credit_unit=rng.choice(UNITS),
                    capacity=rng.choice([None, 20, 30, 40]),
                    status=status,
                    published_at=now - dt.timedelta(days=rng.randrange(400))
                    if status != "draft"
                    else None,
                )
            )
        with transaction.atomic():
            created = Offering.objects.bulk_create(offerings)
            if not all(o.pk for o in created):  # SQLite < 3.35 returns no ids: read them back
                ids = dict(
                    Offering.objects.filter(district=district).values_list("public_id", "pk")
                )
                for o in created:
                    o.pk = o.id = ids[o.public_id]
            sessions, link_rows, enrolments = [], [], []
            for o in created:
                for item in rng.sample(competencies, rng.randint(1, 3)):
                    link_rows.append(links(offering_id=o.pk, frameworkitem_id=item.pk))
                if o.kind not in UNSCHEDULED:
                    for _ in range(rng.randint(1, 4)):
                        starts = now + dt.timedelta(
                            days=rng.randint(-60, 180), hours=rng.randint(0, 9)
                        )
                        sessions.append(
                            OfferingSession(
                                offering_id=o.pk,
                                starts_at=starts,
                                ends_at=starts + dt.timedelta(hours=3),
                                location="Central office",
                                check_in_code=f"B{o.pk:05d}{len(sessions) % 10}",
                            )
                        )
                if rng.random() < 0.2:
                    for person in rng.sample(people, rng.randint(1, 4)):
                        enrolments.append(
                            Enrollment(
                                district=district,
                                offering_id=o.pk,
                                educator=person,
                                status=rng.choice(
                                    ["enrolled", "pending", "waitlisted", "completed"]
                                ),
                                requested_at=now,
                            )
                        )
            OfferingSession.objects.bulk_create(sessions)
            links.objects.bulk_create(link_rows)
            Enrollment.objects.bulk_create(enrolments)
    return {
        "district": district,
        "educator": people[0],
        "competency": competencies[7],
        "counts": {
            "offerings": Offering.objects.count(),
            "published": Offering.objects.filter(status="published").count(),
            "sessions": OfferingSession.objects.count(),
            "competency_links": links.objects.count(),
            "enrolments": Enrollment.objects.count(),
        },
    }


def timed_requests(client: Any, url: str, headers: dict[str, str]) -> tuple[float, int]:
    """Milliseconds per request and the number of matches the last response reported."""
    for _ in range(WARM_UP):
        response = client.get(url, **headers)
    started = time.perf_counter()
    for _ in range(SEARCHES):
        response = client.get(url, **headers)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    elapsed = time.perf_counter() - started
    matches = -1
    if response["Content-Type"].startswith("application/json"):
        matches = response.json()["count"]
    elif url.startswith("/catalog/"):
        found = re.search(
            r"result-count\" role=\"status\">(\d+) offering", response.content.decode()
        )
        matches = int(found.group(1)) if found else 0
    return elapsed * 1000 / SEARCHES, matches


def main() -> None:
    with (
        temporary_directory("trellis-bench-catalog-") as folder,
        throwaway_database(folder) as database,
    ):
        configure(folder, database.url)
        from django.test import Client
        from django.utils import timezone

        from trellis.accounts.services import create_api_token

        started = time.perf_counter()
        data = seed(random.Random(20261123))
        log(
            f"Catalog search on {database.version}: {data['counts']} "
            f"(seeded in {time.perf_counter() - started:.1f} s)"
        )
        client = Client()
        client.force_login(data["educator"], backend="trellis.accounts.backends.EmailBackend")
        _token, secret = create_api_token(user=data["educator"], name="bench")
        bearer = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
        today = timezone.localdate()
        soon = today + dt.timedelta(days=30)
        cases = [
            ("all", "/catalog/", {}),
            ("text", "/catalog/?q=phonics", {}),
            (
                "competency_format",
                f"/catalog/?competency={data['competency'].public_id}&format=in_person",
                {},
            ),
            (
                "dates_free_soonest",
                f"/catalog/?date_from={today}&date_to={soon}&free=1&sort=soonest",
                {},
            ),
            ("grade_hours_cost_page5", "/catalog/?grade=6_8&max_hours=6&sort=cost&page=5", {}),
            ("api_text_kind", "/api/v1/offerings?q=fractions&kind=workshop&limit=20", bearer),
        ]
        for case, url, headers in cases:
            before, _ = timed_requests(client, "/bench/minimal", {})
            value, matches = timed_requests(client, url, headers)
            after, _ = timed_requests(client, "/bench/minimal", {})
            baseline = (before + after) / 2
            log(
                f"  {case}: {value:.1f} ms per search ({matches} matches); baseline {baseline:.2f} ms"
            )
            emit(
                f"catalog_search_{case}",
                value,
                "ms/request",
                baseline="GET /bench/minimal through the same test client, before and after",
                baseline_value=baseline,
                url=url,
                matches=matches,
                requests=SEARCHES,
                **data["counts"],
                **common_fields(database.vendor, database.version),
            )


if __name__ == "__main__":
    main()
