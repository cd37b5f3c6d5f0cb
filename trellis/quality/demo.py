"""Demo data for the quality app: the default rubric, vetting results, completers' reviews,
follow-up answers, a measurable growth signal on one offering, and a few proposals.

Idempotent (a district that already has vetting reviews is left alone) and deterministic
(random.Random seeded by the district's slug).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.catalog.models import (
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingStatus,
    SurveyPhase,
    SurveyResponse,
)
from trellis.catalog.offering_choices import UNSCHEDULED_KINDS
from trellis.core.email import email_suppressed
from trellis.districts.models import Membership, Role
from trellis.districts.queries import access_for
from trellis.growth.models import ObservationRating, ObserverRole
from trellis.quality.models import Review, VettingReview
from trellis.quality.queries import rubric_items
from trellis.quality.services import proposals as proposal_services
from trellis.quality.services.reviews import hide_review
from trellis.quality.services.rubric import ensure_default_rubric
from trellis.quality.services.vetting import vet_offering

REVIEW_TEXTS = (
    "Practical from the first minute; I used the routine the next day.",
    "Good ideas, but the pace was fast for the hours we had.",
    "The facilitator modelled everything before asking us to try it. Very useful.",
    "Solid content. I would have liked more time to plan with my team.",
    "Helpful examples for my grade band.",
    "",
)
GROWTH_PARTICIPANTS = 8
# Completed over a year ago, so the year before it predates the rest of the demo's growth data
# and only this cohort and its comparison colleagues have ratings on both sides.
GROWTH_COMPLETED_DAYS_AGO = 400
BEFORE_DAYS_AGO = (520, 470)
AFTER_DAYS_AGO = (300, 250, 200)
OBSERVER = "Demo instructional coach"


def seed_quality(district: Any) -> None:
    with email_suppressed(), transaction.atomic():
        ensure_default_rubric(district)
        if VettingReview.objects.filter(district=district).exists():
            return
        leader = (
            Membership.objects.filter(district=district, role=Role.DISTRICT_ADMIN, is_active=True)
            .select_related("user")
            .order_by("id")
            .first()
        )
        if leader is None:
            return
        admin = access_for(leader.user, district)
        rng = random.Random(f"quality:{district.slug}")  # noqa: S311 - demo data, not security
        offerings = list(
            Offering.objects.filter(district=district, status=OfferingStatus.PUBLISHED)
            .prefetch_related("competencies", "sessions")
            .order_by("source_id", "id")
        )
        _growth_signal(district, offerings, rng)
        _vetting(district, admin, leader.user, offerings, rng)
        _reviews_and_follow_ups(district, admin, leader.user, offerings, rng)
        _proposals(district, admin, leader.user)


def _vetting(district, admin, leader, offerings, rng) -> None:
    """Most offerings vetted (about one in four failing an essential item); some unvetted."""
    items = list(rubric_items(district))
    for index, offering in enumerate(offerings):
        if index % 5 == 4:
            continue  # left for the vetting queue
        failing = index % 4 == 3
        essential_to_fail = next((i for i in items if i.essential), None) if failing else None
        scores = {}
        for item in items:
            points = rng.choice((2, 3, 3)) if item.essential else rng.choice((1, 2, 2, 3))
            if item is essential_to_fail:
                points = 1
            scores[str(item.public_id)] = (
                points,
                "Outcomes are too vague to observe." if item is essential_to_fail else "",
            )
        vet_offering(
            access=admin,
            actor=leader,
            offering=offering,
            scores=scores,
            comment="Checked against the district rubric.",
        )


def _reviews_and_follow_ups(district, admin, leader, offerings, rng) -> None:
    completed = list(
        Enrollment.objects.filter(
            district=district, status=EnrollmentStatus.COMPLETED, offering__in=offerings
        )
        .select_related("offering", "educator")
        .order_by("id")
    )
    # Each offering gets a "true" quality so ratings differ between offerings, not just people.
    quality = {o.pk: rng.choice((3.4, 3.9, 4.2, 4.5, 4.8)) for o in offerings}
    has_follow_up = set(
        SurveyResponse.objects.filter(
            enrollment__in=completed, phase=SurveyPhase.FOLLOW_UP
        ).values_list("enrollment_id", flat=True)
    )
    reviewed = set()
    follow_ups = []
    for enrollment in completed:
        mean = quality[enrollment.offering_id]
        key = (enrollment.offering_id, enrollment.educator_id)
        if rng.random() < 0.75 and key not in reviewed:
            reviewed.add(key)
            stars = max(1, min(5, round(rng.gauss(mean, 0.8))))
            Review.objects.create(
                district=district,
                offering=enrollment.offering,
                author=enrollment.educator,
                stars=stars,
                text=rng.choice(REVIEW_TEXTS),
            )
        if enrollment.pk not in has_follow_up and rng.random() < 0.8:
            follow_ups.append(
                SurveyResponse(
                    enrollment=enrollment,
                    phase=SurveyPhase.FOLLOW_UP,
                    answers={
                        "used_in_class": rng.random() < (mean - 2.5) / 2.5,
                        "what_changed": "",
                    },
                    submitted_at=(enrollment.completed_at or timezone.now())
                    + dt.timedelta(weeks=6),
                )
            )
    SurveyResponse.objects.bulk_create(follow_ups)
    off_topic = Review.objects.filter(district=district).order_by("id").first()
    if off_topic is not None:
        off_topic.text = "Off topic: an advert for a tutoring business."
        off_topic.save(update_fields=["text", "updated_at"])
        hide_review(
            access=admin,
            actor=leader,
            review=off_topic,
            reason="Advertising is not allowed in reviews.",
        )


def _growth_signal(district, offerings, rng) -> None:
    """One self-paced offering gets a cohort of completers whose coach-observed ratings on its
    competencies rose after they finished, while colleagues' observed ratings stayed flat: enough
    participants and comparisons for a measured effect on its scorecard."""
    target = next(
        (
            o
            for o in offerings
            if o.kind in UNSCHEDULED_KINDS and not o.sessions.all() and o.competencies.all()
        ),
        None,
    )
    if target is None:
        return
    items = list(target.competencies.all())[:3]
    taken = set(Enrollment.objects.filter(offering=target).values_list("educator_id", flat=True))
    educators = [
        m.user
        for m in Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("id")
        if m.user_id not in taken
    ]
    participants = educators[:GROWTH_PARTICIPANTS]
    colleagues = educators[GROWTH_PARTICIPANTS : GROWTH_PARTICIPANTS * 2]
    now = timezone.now()
    completed_at = now - dt.timedelta(days=GROWTH_COMPLETED_DAYS_AGO)
    Enrollment.objects.bulk_create(
        Enrollment(
            district=district,
            offering=target,
            educator=user,
            status=EnrollmentStatus.COMPLETED,
            requested_at=completed_at - dt.timedelta(days=30),
            decided_at=completed_at - dt.timedelta(days=30),
            completed_at=completed_at,
            reflection="Worked through every module and tried the strategies with my class.",
            # Completed before the credit records the demo keeps, so no credit is claimed here
            # (the ledger and the enrolments must agree).
            credit_awarded=None,
        )
        for user in participants
    )
    today = timezone.localdate()
    rows = []
    for user, grows in [(u, True) for u in participants] + [(u, False) for u in colleagues]:
        for item in items:
            before = rng.choice((2, 2, 3))
            after = min(4, before + 1) if grows else before
            dated = [(d, before) for d in BEFORE_DAYS_AGO] + [(d, after) for d in AFTER_DAYS_AGO]
            for days_ago, value in dated:
                rows.append(
                    ObservationRating(
                        district=district,
                        educator=user,
                        item=item,
                        value=value,
                        observed_on=today - dt.timedelta(days=days_ago),
                        observer_role=ObserverRole.COACH,
                        observer_name=OBSERVER,
                    )
                )
    ObservationRating.objects.bulk_create(rows, ignore_conflicts=True)


def _proposals(district, admin, leader) -> None:
    educators = [
        m.user
        for m in Membership.objects.filter(district=district, role=Role.EDUCATOR, is_active=True)
        .select_related("user")
        .order_by("id")
    ]
    if not educators:
        return
    demo_educator = next((u for u in educators if u.email.startswith("educator@")), educators[0])
    others = [u for u in educators if u.pk != demo_educator.pk] or [demo_educator]
    now = timezone.now()

    def submit(user, **fields):
        proposal = proposal_services.submit_proposal(
            access=access_for(user, district), actor=user, **fields
        )
        return proposal

    waiting = submit(
        others[0],
        kind="found_online",
        title="Formative assessment in five minutes (online course)",
        description="A short online course on quick checks for understanding, with videos of "
        "real classrooms and templates to adapt.",
        link="https://learning.example.org/formative-five",
        provider="Open Teaching Library",
        format="self_paced",
        hours="4",
        cost="0",
    )
    declined = submit(
        others[min(1, len(others) - 1)],
        kind="found_online",
        title="Brain-gym movement breaks certificate",
        description="A certificate course on movement routines said to improve learning styles.",
        link="https://courses.example.com/brain-gym",
        provider="Example Courses Inc.",
        format="self_paced",
        hours="10",
        cost="149",
    )
    proposal_services.decline_proposal(
        access=admin,
        actor=leader,
        proposal=declined,
        reason="Its claims rest on learning styles, which research does not support; see the "
        "formative-assessment offerings instead.",
    )
    accepted = submit(
        others[min(2, len(others) - 1)],
        kind="found_online",
        title="Reading comprehension routines for every subject",
        description="Participants practise three routines for reading in science and social "
        "studies and plan a lesson with each, with feedback from the course tutors.",
        link="https://learning.example.org/reading-routines",
        provider="Open Teaching Library",
        format="self_paced",
        hours="6",
        cost="0",
    )
    items = list(rubric_items(district))
    proposal_services.accept_proposal(
        access=admin,
        actor=leader,
        proposal=accepted,
        scores={str(i.public_id): (3 if i.essential else 2, "") for i in items},
        comment="Clear outcomes and plenty of practice.",
    )
    for proposal, days in ((waiting, 3), (declined, 12), (accepted, 20)):
        type(proposal).objects.filter(pk=proposal.pk).update(
            submitted_at=now - dt.timedelta(days=days)
        )
