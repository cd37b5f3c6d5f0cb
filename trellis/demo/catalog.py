"""Demo catalog: the offerings of `catalog_data` with sessions relative to today, then
enrolments in every state, attendance, surveys and credit for the district's educators.

Idempotent: offerings are keyed by `source_id` ("demo:<key>"), and learning history is written
only for a district that has no enrolments yet. Enrolments go through the same services as the
UI (requests, approvals, rosters, surveys, completion), so the demo's figures are the product's.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import random
import zoneinfo
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.catalog.models import (
    ApprovalStep,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    OfferingStatus,
    Registration,
)
from trellis.catalog.services import approvals as catalog_approvals
from trellis.catalog.services import attendance as catalog_attendance
from trellis.catalog.services import completion as catalog_completion
from trellis.catalog.services import enrolment as catalog_enrolment
from trellis.catalog.services import surveys as catalog_surveys
from trellis.catalog.services.sessions import CHECK_IN_ALPHABET, CHECK_IN_LENGTH
from trellis.core.email import email_suppressed
from trellis.core.errors import DomainError
from trellis.credit import services as credit_services
from trellis.demo.catalog_data import OFFERINGS, SPRING_COHORTS, SPRING_OFFSET_DAYS, OfferingSpec
from trellis.districts.models import District, Membership, Role
from trellis.districts.queries import access_for
from trellis.frameworks.models import FrameworkItem
from trellis.growth.models import EducatorProfile
from trellis.growth.queries import adopted_framework

# Unit labels of offerings whose credit is "the hours, as clock hours".
DEFAULT_CREDIT = ("clock_hour", "workshop")
CATEGORY_BY_KIND = {
    "online_course": "course",
    "workshop": "workshop",
    "workshop_series": "workshop",
    "plc_cycle": "plc",
    "coaching_cycle": "coaching",
    "micro_credential": "micro_credential",
    "self_paced": "independent_study",
    "book_study": "independent_study",
    "conference": "conference",
    "external": "course",
}


def _check_in_code(district: District, key: str, index: int) -> str:
    """A stable, unambiguous six-character code per session (the demo must be reproducible)."""
    number = _stable(district.slug, key, index)
    letters = []
    for _ in range(CHECK_IN_LENGTH):
        number, digit = divmod(number, len(CHECK_IN_ALPHABET))
        letters.append(CHECK_IN_ALPHABET[digit])
    return "".join(letters)


def _stable(*parts: object) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big")


def _facilitators(district: District) -> tuple[Any, Any]:
    """(coach, PD leader) of the district: they facilitate the demo's sessions."""
    memberships = Membership.objects.filter(
        district=district, role__in=[Role.COACH, Role.DISTRICT_ADMIN], is_active=True
    ).select_related("user")
    coach = next((m.user for m in memberships if m.role == Role.COACH), None)
    leader = next((m.user for m in memberships if m.role == Role.DISTRICT_ADMIN), None)
    return coach or leader, leader


def _sessions(
    spec: OfferingSpec, offset_days: int, tz: zoneinfo.ZoneInfo
) -> list[tuple[dt.datetime, dt.datetime]]:
    today = timezone.localdate()
    result = []
    for days, hour, hours in spec.sessions:
        day = today + dt.timedelta(days=days + offset_days)
        start = dt.datetime.combine(day, dt.time(hour), tzinfo=tz)
        result.append((start, start + dt.timedelta(minutes=round(hours * 60))))
    return result


@transaction.atomic
def seed_offerings(district: District) -> int:
    """Create the demo catalog in `district` (skips offerings it already has); returns how many
    offerings were created."""
    framework = adopted_framework(district)
    items = (
        {i.human_code: i for i in FrameworkItem.objects.filter(framework=framework)}
        if framework
        else {}
    )
    existing = set(
        Offering.objects.filter(district=district, source_id__startswith="demo:").values_list(
            "source_id", flat=True
        )
    )
    tz = zoneinfo.ZoneInfo(district.timezone)
    coach, leader = _facilitators(district)
    by_key = {spec.key: spec for spec in OFFERINGS}
    plan = [(spec, f"demo:{spec.key}", 0, "") for spec in OFFERINGS]
    plan += [
        (by_key[key], f"demo:{key}:spring", SPRING_OFFSET_DAYS, " (spring cohort)")
        for key in SPRING_COHORTS
    ]
    created = 0
    now = timezone.now()
    for spec, source_id, offset, suffix in plan:
        if source_id in existing:
            continue
        amount, unit, category = spec.credit or (
            spec.hours,
            DEFAULT_CREDIT[0],
            CATEGORY_BY_KIND.get(spec.kind, DEFAULT_CREDIT[1]),
        )
        offering = Offering.objects.create(
            district=district,
            source_id=source_id,
            title=f"{spec.title}{suffix}",
            summary=spec.summary,
            description=_description(spec),
            kind=spec.kind,
            format=spec.format,
            provider=spec.provider,
            provider_approved=spec.provider_approved,
            location=spec.location,
            link=spec.link,
            hours=Decimal(spec.hours),
            cost=Decimal(spec.cost),
            during_school_hours=spec.school_hours,
            leadership=spec.leadership,
            grade_bands=list(spec.grade_bands),
            subjects=list(spec.subjects),
            positions=list(spec.positions),
            career_stages=list(spec.career_stages),
            students_served=list(spec.students_served),
            evidence_tier=spec.tier,
            evidence_citation=spec.citation,
            design_features=list(spec.features),
            credit_amount=Decimal(amount),
            credit_unit=unit,
            credit_category=category,
            topics=list(spec.topics),
            registration=Registration.ONE_SESSION
            if spec.per_session
            else Registration.WHOLE_OFFERING,
            capacity=None if spec.per_session else spec.capacity,
            status=spec.status,
            published_at=now if spec.status == OfferingStatus.PUBLISHED else None,
            created_by=leader,
        )
        offering.competencies.set([items[c] for c in spec.competencies if c in items])
        in_person = spec.format in ("in_person", "plc", "coaching")
        OfferingSession.objects.bulk_create(
            OfferingSession(
                offering=offering,
                starts_at=start,
                ends_at=end,
                location=spec.location,
                link=spec.link,
                capacity=spec.capacity if spec.per_session else None,
                facilitator=coach if in_person else leader,
                check_in_code=_check_in_code(district, source_id, index),
            )
            for index, (start, end) in enumerate(_sessions(spec, offset, tz))
        )
        created += 1
    return created


def _description(spec: OfferingSpec) -> str:
    parts = [spec.summary]
    if spec.sessions:
        count = len(spec.sessions)
        parts.append(
            f"It meets {count} time{'s' if count > 1 else ''}; bring a current unit or lesson "
            "plan to work on."
        )
    else:
        parts.append("Work through it at your own pace; it takes about " + spec.hours + " hours.")
    parts.append(
        "To complete it, attend (or finish the modules), answer the short feedback survey and, "
        "where asked, write a reflection on what you tried with your students."
    )
    return "\n\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Learning history: licences, lanes, enrolments in every state, attendance, surveys, credit
# ---------------------------------------------------------------------------------------------

LICENSE_ROLE = {  # (state, position) → rule-set role; teachers are the default
    ("TX", "counselor"): "counselor",
    ("TX", "librarian"): "librarian",
    ("TX", "leader"): "principal",
    ("TX", "district"): "principal",
}
DEFAULT_LICENSE_ROLE = {"TX": "classroom_teacher", "NY": "professional", "TN": "teacher"}
SALARY_LANES = (
    ("Bachelor's + 15", 1, "15", None),
    ("Master's equivalent", 2, "30", 30),  # 30 micro-credentials also reach it
    ("Master's + 30", 3, "60", None),
)
EARLIER_LEARNING = (  # recorded by the district before Trellis: (title, provider, hours, category)
    ("Summer literacy institute", "Region 9 Education Service Center", 18, "workshop"),
    ("Graduate course: assessment design", "State University College of Education", 30, "course"),
    ("Campus PLC: grading practices", "District PD office", 12, "plc"),
    ("State conference for teachers", "State teachers' association", 12, "conference"),
    ("Independent reading: professional books", "Independent", 10, "independent_study"),
    ("Co-teaching with special education", "District PD office", 6, "workshop"),
)
HISTORY_PEOPLE = 16
AFTER_ANSWERS = {"relevance": 4, "quality": 4, "likely_to_use": 5, "support_needed": ""}
DENIAL_REASON = "The PD budget for this term is spent; please ask again for the spring cohort."


def _admin_access(district: District) -> tuple[Any, Any]:
    leader = (
        Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
        .select_related("user")
        .order_by("id")
        .first()
    )
    return leader.user, access_for(leader.user, district)


def seed_learning(district: District) -> bool:
    """Write the district's learning history once; False when it already has enrolments."""
    if Enrollment.objects.filter(district=district).exists():
        return False
    with email_suppressed(), transaction.atomic():
        _seed_learning(district)
    return True


def _seed_learning(district: District) -> None:
    leader, admin = _admin_access(district)
    rng = random.Random(f"learning:{district.slug}")  # noqa: S311 - demo data, not security
    everyone = list(
        Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("id")
    )
    profiles = {p.user_id: p for p in EducatorProfile.objects.filter(district=district)}
    _licences_and_lanes(district, leader, admin, everyone, profiles, rng)
    # The demo cast and a dozen colleagues get a history: enough for every page to show real
    # figures, few enough that seeding stays quick (the browser tests seed for every test).
    educators = everyone[:HISTORY_PEOPLE]
    offerings = list(
        Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
        .prefetch_related("sessions")
        .order_by("source_id")
    )
    now = timezone.now()
    past = [
        o for o in offerings if o.sessions.all() and all(s.ends_at < now for s in o.sessions.all())
    ]
    started = [
        o
        for o in offerings
        if o.registration == Registration.WHOLE_OFFERING
        and any(s.ends_at < now for s in o.sessions.all())
        and any(s.starts_at > now for s in o.sessions.all())
    ]
    self_paced = [o for o in offerings if not o.sessions.all()]
    upcoming = [
        o
        for o in offerings
        if o.sessions.all()
        and all(s.starts_at > now + dt.timedelta(hours=2) for s in o.sessions.all())
    ]
    for index, membership in enumerate(educators):
        educator = membership.user
        access = access_for(educator, district)
        person_rng = random.Random(f"{district.slug}:{educator.email}")  # noqa: S311
        _history(district, educator, leader, admin, access, person_rng, past, self_paced, index)
        for offering in person_rng.sample(started, k=min(1, len(started))):
            _in_progress(district, educator, leader, admin, offering)
        for offering in person_rng.sample(upcoming, k=min(2, len(upcoming))):
            _request(access, educator, offering)
    # A small workshop fills up, so the demo has a waitlist.
    small = next((o for o in upcoming if o.source_id == "demo:ws-families"), None)
    if small is not None:
        for membership in educators[:5]:
            _request(access_for(membership.user, district), membership.user, small)
    _decide_some(district, rng)
    # The demo educator's paid workshop in school hours waits in the principal's inbox.
    paid = next((o for o in upcoming if o.source_id == "demo:ws-sentence-frames"), None)
    demo_educator = next((m.user for m in educators if m.user.email.startswith("educator@")), None)
    if paid is not None and demo_educator is not None:
        _request(access_for(demo_educator, district), demo_educator, paid)
    _date_completions(district)


def _date_completions(district: District) -> None:
    """History was completed when its last session ended, not when the seed ran."""
    for enrollment in (
        Enrollment.objects.filter(district=district, status=EnrollmentStatus.COMPLETED)
        .select_related("session")
        .prefetch_related("offering__sessions")
    ):
        ends = [s.ends_at for s in enrollment.offering.sessions.all() if s.ends_at < timezone.now()]
        if enrollment.session_id:
            ends = [enrollment.session.ends_at]
        finished = max(ends, default=enrollment.requested_at + dt.timedelta(days=10))
        Enrollment.objects.filter(pk=enrollment.pk).update(completed_at=finished)


def _licences_and_lanes(district, leader, admin, educators, profiles, rng) -> None:
    state = district.state_code
    credit_services.update_credit_settings(
        access=admin,
        actor=leader,
        jurisdiction=state,
        default_cycle_start=None,
        hours_per_salary_credit="15",
    )
    credit_services.set_salary_lanes(
        access=admin,
        actor=leader,
        lanes=[
            {
                "name": name,
                "position": position,
                "credits_required": credits,
                "micro_credentials_required": micro,
            }
            for name, position, credits, micro in SALARY_LANES
        ],
    )
    if state not in DEFAULT_LICENSE_ROLE:
        return
    today = timezone.localdate()
    for membership in educators:
        profile = profiles.get(membership.user_id)
        position = profile.position if profile else "teacher"
        role = LICENSE_ROLE.get((state, position), DEFAULT_LICENSE_ROLE[state])
        years_in = rng.randint(1, 4)
        start = today.replace(year=today.year - years_in, month=rng.randint(1, 12), day=1)
        credit_services.set_license(
            access=admin,
            actor=leader,
            educator=membership.user,
            rule_set_key=f"{state}/{role}",
            number=f"{state}-{rng.randint(1000000, 9999999)}",
            cycle_start=start,
        )


def _history(district, educator, leader, admin, access, rng, past, self_paced, index) -> None:
    """Earlier learning the district recorded, and catalog offerings completed or missed."""
    today = timezone.localdate()
    for title, provider, hours, category in rng.sample(EARLIER_LEARNING, k=rng.randint(2, 4)):
        credit_services.record_external_credit(
            access=admin,
            actor=leader,
            educator=educator,
            title=title,
            provider=provider,
            completed_on=today - dt.timedelta(days=rng.randint(90, 700)),
            amount=hours,
            unit="clock_hour",
            category=category,
            topics=("ell",) if "English" in title else (),
            provider_approved=True,
        )
    for offering in rng.sample(past, k=min(2, len(past))):
        session = (
            offering.sessions.all()[0]
            if offering.registration == Registration.ONE_SESSION
            else None
        )
        enrollment = _enrol_directly(district, educator, offering, session)
        no_show = index % 9 == 4  # a few people miss what they signed up for
        _roster(offering, session, leader, admin, enrollment, "absent" if no_show else "present")
        if no_show:
            catalog_completion.mark_no_shows(access=admin, actor=leader, offering=offering)
        else:
            _survey(access, educator, enrollment)
    for offering in rng.sample(self_paced, k=min(1, len(self_paced))):
        enrollment = _enrol_directly(district, educator, offering, None)
        catalog_completion.submit_completion(
            access=access,
            actor=educator,
            enrollment=enrollment,
            reflection="I tried it with my second-period class; the students noticed the change.",
            finished=True,
        )
        _survey(access, educator, enrollment)


def _in_progress(district, educator, leader, admin, offering) -> None:
    """Enrolled in a series already under way: attendance recorded for the past sessions."""
    enrollment = _enrol_directly(district, educator, offering, None)
    _roster(offering, None, leader, admin, enrollment, "present")


def _enrol_directly(district, educator, offering, session) -> Enrollment:
    """History: enrolments whose requests were decided before today are written as they ended
    up (requests for past sessions are, rightly, refused by the request service)."""
    first = min((s.starts_at for s in offering.sessions.all()), default=timezone.now())
    return Enrollment.objects.create(
        district=district,
        offering=offering,
        session=session,
        educator=educator,
        school=None,
        status=EnrollmentStatus.ENROLLED,
        requested_at=first - dt.timedelta(days=21),
        decided_at=first - dt.timedelta(days=18),
    )


def _roster(offering, session, leader, admin, enrollment, status) -> None:
    now = timezone.now()
    sessions = [session] if session else [s for s in offering.sessions.all() if s.ends_at < now]
    for each in sessions:
        catalog_attendance.record_roster(
            access=admin,
            actor=leader,
            session=each,
            marks=[catalog_attendance.Mark(str(enrollment.public_id), status)],
        )


def _survey(access, educator, enrollment) -> None:
    enrollment.refresh_from_db()
    catalog_surveys.submit_response(
        access=access, actor=educator, enrollment=enrollment, phase="after", answers=AFTER_ANSWERS
    )


def _request(access, educator, offering) -> None:
    session = (
        offering.sessions.all()[0] if offering.registration == Registration.ONE_SESSION else None
    )
    # Full without a waitlist, or already enrolled: a real request would be refused too.
    with contextlib.suppress(DomainError, Http404):
        catalog_enrolment.request_enrollment(
            access=access,
            actor=educator,
            offering=offering,
            session=session,
            note="It fits my goal for this year.",
        )


def _decide_some(district, rng) -> None:
    """Approvers work through part of their inbox: most approved, one denied, some left."""
    steps = list(
        ApprovalStep.objects.filter(
            enrollment__district=district, status=ApprovalStep.Status.PENDING
        )
        .select_related("enrollment__offering", "school")
        .order_by("id")
    )
    deciders = _deciders(district)
    denied = False
    for index, step in enumerate(steps):
        if index % 3 == 0:
            continue  # left for the demo's approvers to decide
        decider = deciders.get((step.approver, step.school_id)) or deciders.get(("pd_office", None))
        if decider is None or decider.pk == step.enrollment.educator_id:
            continue
        # One paid request is turned down, so the demo shows a denial and its reason.
        deny = not denied and step.enrollment.offering.cost > 0
        denied = denied or deny
        catalog_approvals.decide(
            access=access_for(decider, district),
            actor=decider,
            step_or_enrollment=step,
            approve=not deny,
            reason=DENIAL_REASON if deny else "Approved: it supports your growth goal.",
        )
    # One person changes their mind, so the demo shows a withdrawal.
    latest = (
        Enrollment.objects.filter(district=district, status=EnrollmentStatus.ENROLLED)
        .exclude(attendance__isnull=False)
        .order_by("-id")
        .first()
    )
    if latest is not None:
        catalog_enrolment.withdraw(
            access=access_for(latest.educator, district),
            actor=latest.educator,
            enrollment=latest,
            reason="A family commitment on those dates.",
        )


def _deciders(district) -> dict[tuple[str, int | None], Any]:
    result: dict[tuple[str, int | None], Any] = {}
    for m in Membership.objects.filter(
        district=district, role__in=[Role.APPROVER, Role.DISTRICT_ADMIN], is_active=True
    ).select_related("user"):
        if m.role == Role.APPROVER and m.school_id:
            result.setdefault(("principal", m.school_id), m.user)
        else:
            result.setdefault(("pd_office", None), m.user)
    return result
