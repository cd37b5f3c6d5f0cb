"""Builds the demo districts (idempotent) and large synthetic districts for benchmarks.

The demo cast is fixed (DESIGN §7); everyone else is drawn from a seeded random generator, so
every run produces the same people and a second run changes nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils.text import slugify

from trellis.accounts.models import User
from trellis.audit import services as audit
from trellis.demo.catalog import seed_learning, seed_offerings
from trellis.demo.credentials import seed_credentials
from trellis.demo.people import (
    DEMO_DISTRICTS,
    DEMO_PASSWORD,
    EXPERIENCE_POOL,
    FIRST_NAMES,
    LAST_NAMES,
    POSITION_POOL,
    SUBJECTS_BY_BAND,
    DistrictSpec,
    PersonSpec,
    SchoolSpec,
)
from trellis.districts.models import District, Membership, Role, School
from trellis.districts.queries import access_for
from trellis.frameworks.services import adopt_framework, ensure_library, library_framework
from trellis.growth.demo import seed_growth
from trellis.growth.models import EducatorProfile
from trellis.growth.queries import adopted_framework
from trellis.informal.demo import seed_informal
from trellis.microcredentials.demo import seed_definitions
from trellis.microcredentials.demo_history import seed_submissions
from trellis.quality.demo import seed_quality
from trellis.recommend.demo import seed_recommendations
from trellis.reports.summaries import refresh_district
from trellis.voice.demo import seed_voice

BATCH = 5000


@dataclass
class SeedReport:
    district: District
    created_people: int
    total_people: int


@cache
def _local_part(first: str, last: str) -> str:
    """The e-mail local part for a name; cached, as slugify is costly at 100,000 people."""
    return slugify(f"{first}.{last}").replace("-", ".")


def _person_from_pool(
    rng: random.Random, index: int, domain: str, schools: tuple[SchoolSpec, ...]
) -> PersonSpec:
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    school = schools[index % len(schools)]
    band = rng.choice(school.grade_bands)
    subjects = tuple(sorted(rng.sample(SUBJECTS_BY_BAND[band], k=1 if band != "k_5" else 2)))
    return PersonSpec(
        email=f"{_local_part(first, last)}.{index}@{domain}",
        full_name=f"{first} {last}",
        roles=("educator",),
        school=school.name,
        position=rng.choice(POSITION_POOL),
        years=rng.choice(EXPERIENCE_POOL),
        subjects=subjects,
        grade_bands=(band,),
    )


STUDENT_GROUPS = ("english_learners", "disabilities", "gifted", "low_income")
FORMATS = ("in_person", "online_live", "self_paced", "coaching", "plc", "micro_credential")
TIMES = ("plc_time", "after_school", "summer", "weekends")
INTERESTS = (
    "Getting quieter students to talk in discussions.",
    "Using formative checks without grading everything.",
    "Co-teaching with our special education team.",
    "Making station rotation work with 32 students.",
    "Supporting newcomers who are learning English.",
    "Leading my grade-level PLC.",
)


def _preferences(spec: PersonSpec) -> dict[str, object]:
    """Learning preferences, derived from the e-mail so every run gives the same answers."""
    rng = random.Random(spec.email)  # noqa: S311 - demo data, not security
    return {
        "students_served": sorted(rng.sample(STUDENT_GROUPS, k=rng.randint(1, 2))),
        "preferred_formats": sorted(rng.sample(FORMATS, k=rng.randint(2, 3))),
        "learning_times": sorted(rng.sample(TIMES, k=rng.randint(1, 2))),
        "weekly_minutes": rng.choice((30, 45, 60, 90, 120)),
        "interests": rng.choice(INTERESTS),
    }


def _upsert_person(
    district: District, schools: dict[str, School], spec: PersonSpec, password_hash: str
) -> bool:
    user, created = User.objects.get_or_create(
        email=spec.email, defaults={"full_name": spec.full_name, "password": password_hash}
    )
    school = schools.get(spec.school) if spec.school else None
    for role in spec.roles:
        Membership.objects.update_or_create(
            user=user, district=district, role=role, defaults={"school": school, "is_active": True}
        )
    EducatorProfile.objects.update_or_create(
        user=user,
        district=district,
        defaults={
            "position": spec.position,
            "years_experience": spec.years,
            "subjects": list(spec.subjects),
            "grade_bands": list(spec.grade_bands),
            **_preferences(spec),
        },
    )
    return created


@transaction.atomic
def seed_demo_district(spec: DistrictSpec, password_hash: str) -> SeedReport:
    district, created = District.objects.get_or_create(
        slug=spec.slug, defaults={"name": spec.name, "state_code": spec.state_code}
    )
    schools = {}
    for school_spec in spec.schools:
        school, _ = School.objects.get_or_create(
            district=district,
            name=school_spec.name,
            defaults={"grade_span": school_spec.grade_span},
        )
        schools[school.name] = school
    rng = random.Random(spec.slug)  # noqa: S311 - demo data, not security
    people = list(spec.cast) + [
        _person_from_pool(rng, index, spec.email_domain, spec.schools)
        for index in range(spec.extra_educators)
    ]
    new_people = sum(_upsert_person(district, schools, person, password_hash) for person in people)
    if created:
        audit.record(
            action="districts.district_created",
            summary=f"Demo district {district.name} created with {len(people)} people",
            district=district,
            target=district,
        )
    return SeedReport(district=district, created_people=new_people, total_people=len(people))


def seed_demo() -> list[SeedReport]:
    """The demo districts with their people, the framework library, and each district's growth
    data, catalog and learning history."""
    password_hash = make_password(DEMO_PASSWORD)
    reports = [seed_demo_district(spec, password_hash) for spec in DEMO_DISTRICTS]
    ensure_library()
    for report in reports:
        _adopt_starter_framework(report.district)
        seed_growth(report.district)
        seed_offerings(report.district)
        seed_learning(report.district)
        seed_definitions(report.district)
        seed_submissions(report.district)
        seed_credentials(report.district)
        seed_quality(report.district)
        seed_informal(report.district)
        seed_voice(report.district)
        seed_recommendations(report.district)
        refresh_district(report.district)  # the dashboards have figures straight away
    return reports


def _adopt_starter_framework(district: District) -> None:
    """Adopt the starter framework as the district's PD leader would, unless one is adopted already."""
    if adopted_framework(district) is not None:
        return
    admin_membership = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin_membership is None:
        return
    admin = admin_membership.user
    access = access_for(admin, district)
    if access is not None:
        adopt_framework(access=access, actor=admin, framework=library_framework("starter"))


def _batches(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(start + size, total))


def seed_synthetic_district(
    *, name: str, educators: int, progress: Callable[[int, int], None] | None = None
) -> SeedReport:
    """A large district for benchmarks: bulk inserts in batches; rerunning adds only what is missing."""
    if educators < 1:
        raise ValueError("--educators must be at least 1.")
    slug = slugify(name)[:60] or "synthetic"
    domain = f"{slug}.test"
    district, _ = District.objects.get_or_create(
        slug=slug, defaults={"name": name, "state_code": "TX"}
    )
    school_count = max(1, educators // 500)
    bands = (("k_5",), ("6_8",), ("9_12",))
    specs = tuple(
        SchoolSpec(f"{name} School {n + 1}", ("K-5", "6-8", "9-12")[n % 3], bands[n % 3])
        for n in range(school_count)
    )
    for spec in specs:
        School.objects.get_or_create(
            district=district, name=spec.name, defaults={"grade_span": spec.grade_span}
        )
    schools = {s.name: s for s in School.objects.filter(district=district)}
    existing = set(
        User.objects.filter(email__endswith=f"@{domain}").values_list("email", flat=True)
    )
    password_hash = make_password(DEMO_PASSWORD)
    rng = random.Random(slug)  # noqa: S311 - synthetic data, not security
    created = 0
    for batch in _batches(educators, BATCH):
        people = [_person_from_pool(rng, index, domain, specs) for index in batch]
        fresh = [p for p in people if p.email not in existing]
        if fresh:
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [
                        User(email=p.email, full_name=p.full_name, password=password_hash)
                        for p in fresh
                    ],
                    batch_size=1000,
                )
                if users and users[0].pk is None:  # backends that do not return ids
                    by_email = dict(
                        User.objects.filter(email__in=[p.email for p in fresh]).values_list(
                            "email", "pk"
                        )
                    )
                else:
                    by_email = {u.email: u.pk for u in users}
                Membership.objects.bulk_create(
                    [
                        Membership(
                            user_id=by_email[p.email],
                            district_id=district.pk,
                            role="educator",
                            school_id=schools[p.school].pk,
                        )
                        for p in fresh
                    ],
                    batch_size=1000,
                )
                EducatorProfile.objects.bulk_create(
                    [
                        EducatorProfile(
                            user_id=by_email[p.email],
                            district_id=district.pk,
                            position=p.position,
                            years_experience=p.years,
                            subjects=list(p.subjects),
                            grade_bands=list(p.grade_bands),
                        )
                        for p in fresh
                    ],
                    batch_size=1000,
                )
            created += len(fresh)
        if progress:
            progress(batch.stop, educators)
    total = Membership.objects.filter(district=district, role="educator").count()
    return SeedReport(district=district, created_people=created, total_people=total)
