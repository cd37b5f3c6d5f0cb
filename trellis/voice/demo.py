"""Demo data for educator voice: topic requests with upvotes across competencies and schools,
one of them planned, and a few volunteers (the veteran demo account, or else the most experienced
educator, offers to mentor). Written through the services, so the audit trail is real; no e-mail
is sent (request updates still appear in Trellis, as they would).

Idempotent (requests are written only when the district has none, offers only when it has none)
and deterministic (random.Random seeded with the district's slug)."""

from __future__ import annotations

import random
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from trellis.catalog.models import Offering, OfferingStatus
from trellis.core.email import email_suppressed
from trellis.districts.models import Membership, Role
from trellis.districts.queries import access_for
from trellis.growth import queries as growth_queries
from trellis.growth.models import EducatorProfile
from trellis.voice import services
from trellis.voice.models import RequestStatus, TopicRequest, VolunteerKind, VolunteerOffer

# (title, why, preferred format, upvotes wanted)
REQUESTS = (
    (
        "Co-teaching with special education colleagues",
        "Our inclusion classes have two adults but we mostly take turns. I want models for "
        "planning and teaching together.",
        "in_person",
        9,
    ),
    (
        "Structured student talk in math",
        "Students answer but rarely explain. I need protocols that get every student talking "
        "about their reasoning.",
        "coaching",
        7,
    ),
    (
        "Supporting newcomer English learners",
        "We have many newcomers this year and I am not sure how to scaffold grade-level texts.",
        "online_live",
        6,
    ),
    (
        "Restorative conversations after conflict",
        "I would like practical scripts for the minutes after an incident.",
        "plc",
        4,
    ),
    (
        "Giving feedback students act on",
        "My written feedback takes hours and students rarely read it.",
        "self_paced",
        3,
    ),
    (
        "Classroom routines for the first weeks",
        "As a new teacher I lost a lot of time to transitions in September.",
        "",
        2,
    ),
    (
        "Using assessment data to plan small groups",
        "We collect benchmark data but do not know how to turn it into groups.",
        "plc",
        1,
    ),
    (
        "Project-based learning that meets standards",
        "I want projects that are rigorous and aligned, not just fun.",
        "in_person",
        0,
    ),
)
PLANNED_INDEX = 0  # the most wanted request is planned with an aligned offering


def _educators(district: Any) -> list[Any]:
    return list(
        get_user_model()
        .objects.filter(
            memberships__district=district,
            memberships__role=Role.EDUCATOR,
            memberships__is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def _admin(district: Any) -> Any:
    membership = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _veteran(district: Any, educators: list[Any]) -> Any:
    """The demo's veteran account (DESIGN §7: veteran@…) or else the most experienced educator."""
    named = [u for u in educators if u.email.startswith("veteran@")]
    return named[0] if named else _most_experienced(district, educators)


def _most_experienced(district: Any, educators: list[Any]) -> Any:
    years = dict(
        EducatorProfile.objects.filter(district=district, user__in=educators).values_list(
            "user_id", "years_experience"
        )
    )
    return max(educators, key=lambda u: (years.get(u.pk, 0), u.email))


def seed_voice(district: Any) -> None:
    framework = growth_queries.adopted_framework(district)
    admin = _admin(district)
    educators = [u for u in _educators(district) if admin is None or u.pk != admin.pk]
    if framework is None or admin is None or len(educators) < 3:
        return
    competencies = growth_queries.competency_map(framework).competencies
    if not competencies:
        return
    rng = random.Random(f"voice:{district.slug}")  # noqa: S311 - demo data, not security
    with email_suppressed(), transaction.atomic():
        if not TopicRequest.objects.filter(district=district).exists():
            _seed_requests(district, admin, educators, competencies, rng)
        if not VolunteerOffer.objects.filter(district=district).exists():
            _seed_volunteers(district, educators, competencies, rng)


def _seed_requests(
    district: Any, admin: Any, educators: list[Any], competencies: list[Any], rng: random.Random
) -> None:
    picked = rng.sample(competencies, k=min(len(competencies), 6))
    created: list[TopicRequest] = []
    for index, (title, why, fmt, upvotes) in enumerate(REQUESTS):
        requester = educators[(index * 5 + 1) % len(educators)]
        access = access_for(requester, district)
        if access is None:
            continue
        # two requests share a competency, and one names none, so the demand table has shape
        competency = None if index == len(REQUESTS) - 1 else picked[index % len(picked)]
        topic_request = services.create_request(
            access=access,
            actor=requester,
            title=title,
            details=why,
            competency=competency,
            preferred_format=fmt,
            allow_similar=True,
        )
        voters = [u for u in educators if u.pk != requester.pk]
        for voter in rng.sample(voters, k=min(upvotes, len(voters))):
            voter_access = access_for(voter, district)
            if voter_access is not None:
                services.vote(access=voter_access, actor=voter, topic_request=topic_request)
        created.append(topic_request)
    if not created:
        return
    planned = created[PLANNED_INDEX]
    offering = (
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
        .filter(competencies=planned.competency)
        .order_by("title", "pk")
        .first()
        if planned.competency
        else None
    )
    admin_access = access_for(admin, district)
    if admin_access is not None:
        services.set_request_status(
            access=admin_access,
            actor=admin,
            topic_request=planned,
            status=RequestStatus.PLANNED,
            reason="Planned for the spring PD day, with sessions after school for those who "
            "cannot attend.",
            offering=offering,
        )


def _seed_volunteers(
    district: Any, educators: list[Any], competencies: list[Any], rng: random.Random
) -> None:
    veteran = _veteran(district, educators)
    others = [u for u in educators if u.pk != veteran.pk]
    offers = [
        (
            veteran,
            VolunteerKind.MENTOR,
            "Happy to mentor a first- or second-year teacher in my building.",
            "Tuesdays and Thursdays after school",
        ),
        (
            veteran,
            VolunteerKind.ASSESSOR,
            "I have scored portfolios for the state and would like to assess.",
            "Two evenings a month",
        ),
        (
            others[0],
            VolunteerKind.LEAD_PLC,
            "I can facilitate a grade-level PLC on student work protocols.",
            "PLC time on Wednesdays",
        ),
        (
            others[len(others) // 2],
            VolunteerKind.PRESENT,
            "Could present the discourse routines our team used this year.",
            "Any PD day",
        ),
    ]
    for volunteer, kind, note, availability in offers:
        access = access_for(volunteer, district)
        if access is None:
            continue
        services.offer_to_volunteer(
            access=access,
            actor=volunteer,
            kind=kind,
            competencies=rng.sample(competencies, k=min(2, len(competencies))),
            note=note,
            availability=availability,
        )
