"""Coaching caseloads: which educators each coach supports (managed by district admins)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import Membership, Role
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth.models import CoachingAssignment
from trellis.growth.services._common import is_member


@transaction.atomic
def assign_coach(
    *, access: DistrictAccess, actor: Any, coach: Any, educator: Any
) -> CoachingAssignment:
    require(access, Perm.MANAGE_PEOPLE)
    if not Membership.objects.filter(
        district=access.district, user=coach, role=Role.COACH, is_active=True
    ).exists():
        raise DomainError("not_a_coach", f"{coach} is not a coach in {access.district.name}.")
    if not is_member(access.district, educator):
        raise DomainError("not_a_member", f"{educator} does not work in {access.district.name}.")
    if coach.pk == educator.pk:
        raise DomainError("cannot_coach_self", "A coach cannot be on their own caseload.")
    if CoachingAssignment.objects.filter(
        district=access.district, coach=coach, educator=educator
    ).exists():
        raise ConflictError("already_assigned", f"{coach} already coaches {educator}.")
    assignment = CoachingAssignment.objects.create(
        district=access.district, coach=coach, educator=educator, assigned_by=actor
    )
    audit.record(
        action="growth.coach_assigned",
        summary=f"{coach.email} now coaches {educator.email}",
        actor=actor,
        district=access.district,
        target=assignment,
        subject=educator,
        target_label=f"{coach.email} → {educator.email}",
    )
    return assignment


@transaction.atomic
def unassign_coach(*, access: DistrictAccess, actor: Any, assignment: CoachingAssignment) -> None:
    require(access, Perm.MANAGE_PEOPLE)
    if assignment.district_id != access.district.pk:
        raise DomainError("unknown_assignment", "That coaching assignment is not in this district.")
    audit.record(
        action="growth.coach_unassigned",
        summary=f"{assignment.coach.email} no longer coaches {assignment.educator.email}",
        actor=actor,
        district=access.district,
        target=assignment,
        subject=assignment.educator,
        target_label=f"{assignment.coach.email} → {assignment.educator.email}",
    )
    assignment.delete()
