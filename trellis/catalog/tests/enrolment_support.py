"""Helpers shared by the enrolment and approval tests (not collected: no test_ prefix)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from trellis.catalog.models import (
    ApprovalRule,
    Enrollment,
    Offering,
    OfferingSession,
    Registration,
)
from trellis.catalog.services import approvals as approval_services
from trellis.catalog.services import enrolment as services
from trellis.catalog.tests.factories import OfferingFactory, OfferingSessionFactory


def in_days(days: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


def make_offering(cast: Any, *, district: Any = None, sessions: int = 1, **fields: Any) -> Offering:
    """A published offering of Northfield (free, outside school hours unless told) with
    `sessions` sessions a week apart, the first one a week from now."""
    offering = OfferingFactory(district=district or cast.district_a, **fields)
    for n in range(sessions):
        OfferingSessionFactory(offering=offering, starts_at=in_days(7 * (n + 1)))
    return offering


def paid(cast: Any, cost: str = "120", **fields: Any) -> Offering:
    return make_offering(cast, cost=Decimal(cost), **fields)


def per_session(cast: Any, capacities: list[int | None], **fields: Any) -> Offering:
    offering = OfferingFactory(
        district=cast.district_a, registration=Registration.ONE_SESSION, **fields
    )
    for n, capacity in enumerate(capacities):
        OfferingSessionFactory(offering=offering, starts_at=in_days(7 * (n + 1)), capacity=capacity)
    return offering


def sessions_of(offering: Offering) -> list[OfferingSession]:
    return list(offering.sessions.order_by("starts_at"))


def ask(
    cast: Any, user: Any, offering: Offering, *, session: Any = None, note: str = ""
) -> Enrollment:
    return services.request_enrollment(
        access=cast.access(user), actor=user, offering=offering, session=session, note=note
    )


def decide(cast: Any, user: Any, target: Any, *, approve: bool = True, reason: str = "") -> Any:
    return approval_services.decide(
        access=cast.access(user),
        actor=user,
        step_or_enrollment=target,
        approve=approve,
        reason=reason,
    )


def leave(cast: Any, user: Any, enrollment: Enrollment, reason: str = "") -> Enrollment:
    return services.withdraw(
        access=cast.access(user), actor=user, enrollment=enrollment, reason=reason
    )


def statuses(offering: Offering) -> list[tuple[str, str]]:
    return [
        (e.educator.email.split("@")[0], e.status)
        for e in Enrollment.objects.filter(offering=offering)
        .select_related("educator")
        .order_by("requested_at", "id")
    ]


def steps(enrollment: Enrollment) -> list[tuple[int, str, str | None, str]]:
    return [
        (s.position, s.approver, s.school.name if s.school else None, s.status)
        for s in enrollment.approval_steps.select_related("school").order_by("position")
    ]


def rules(district: Any) -> list[tuple[int, str, str, int]]:
    return [
        (r.position, r.approver, r.condition, r.days_to_decide)
        for r in ApprovalRule.objects.filter(district=district).order_by("position")
    ]


def fresh(enrollment: Enrollment) -> Enrollment:
    return Enrollment.objects.get(pk=enrollment.pk)


def person(district: Any, email: str, name: str, roles: list[str], school: Any = None) -> Any:
    """Someone beyond the fixed cast, with the given roles (all at `school`)."""
    from trellis.accounts.tests.factories import UserFactory
    from trellis.districts.tests.factories import MembershipFactory

    user = UserFactory(email=email, full_name=name)
    for role in roles:
        MembershipFactory(user=user, district=district, role=role, school=school)
    return user
