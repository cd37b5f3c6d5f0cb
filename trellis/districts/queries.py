"""Tenant-scoped reads. Anything outside the caller's district is reported as missing (404)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from trellis.audit.models import AuditEvent
from trellis.core.ids import public_id_or_404
from trellis.districts.models import District, Invitation, Membership, Role, School
from trellis.districts.permissions import Perm, has_perm


@dataclass(frozen=True)
class DistrictAccess:
    """What the signed-in person is in the district they are working in now."""

    district: District
    roles: frozenset[str]
    school_ids: frozenset[int] = field(default_factory=frozenset)  # schools their roles are tied to

    def can(self, perm: Perm) -> bool:
        return has_perm(self.roles, perm)


def districts_for_user(user: Any) -> list[District]:
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        District.objects.filter(memberships__user=user, memberships__is_active=True)
        .distinct()
        .order_by("name")
    )


def access_for(user: Any, district: District) -> DistrictAccess | None:
    rows = list(
        Membership.objects.filter(user=user, district=district, is_active=True).values_list(
            "role", "school_id"
        )
    )
    if not rows:
        return None
    return DistrictAccess(
        district=district,
        roles=frozenset(role for role, _ in rows),
        school_ids=frozenset(school_id for _, school_id in rows if school_id),
    )


def get_school(access: DistrictAccess, public_id: Any) -> School:
    school = School.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id)
    ).first()
    if school is None:
        raise Http404("No such school.")
    return school


def schools_with_counts(district: District) -> QuerySet[School]:
    # Explicit order: Meta.ordering is not applied to a GROUP BY query (Django ≥ 3.1).
    return (
        School.objects.filter(district=district)
        .annotate(
            people=Count("memberships__user", filter=Q(memberships__is_active=True), distinct=True)
        )
        .order_by("name", "pk")
    )


def members(
    access: DistrictAccess, *, role: str = "", school: School | None = None, search: str = ""
) -> QuerySet:
    """People of the district the caller may see, one row per person (roles: see roles_by_user)."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    # Each condition is its own subquery over *active* memberships of this district: chained
    # filters on `memberships__…` would each join afresh and match ended roles too.
    active = Membership.objects.filter(district=access.district, is_active=True)
    people = user_model.objects.filter(pk__in=active.values("user_id"))
    if not access.can(Perm.VIEW_DISTRICT_STAFF):
        if not access.can(Perm.VIEW_SCHOOL_STAFF) or not access.school_ids:
            return user_model.objects.none()
        people = people.filter(
            pk__in=active.filter(school_id__in=access.school_ids).values("user_id")
        )
    if role:
        people = people.filter(pk__in=active.filter(role=role).values("user_id"))
    if school is not None:
        people = people.filter(pk__in=active.filter(school=school).values("user_id"))
    if search:
        people = people.filter(Q(full_name__icontains=search) | Q(email__icontains=search))
    return people.order_by("full_name", "email")


def roles_by_user(district: District, user_ids: list[int]) -> dict[int, list[str]]:
    grouped: dict[int, list[str]] = defaultdict(list)
    for user_id, role in (
        Membership.objects.filter(district=district, user_id__in=user_ids, is_active=True)
        .values_list("user_id", "role")
        .order_by("role")
    ):
        grouped[user_id].append(role)
    return grouped


def role_counts(district: District) -> dict[str, int]:
    counts = dict(
        Membership.objects.filter(district=district, is_active=True)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    return {role.value: counts.get(role.value, 0) for role in Role}


def invitations(district: District, *, status: str = "") -> QuerySet[Invitation]:
    result = Invitation.objects.filter(district=district).select_related("invited_by", "school")
    return result.filter(status=status) if status else result


def get_invitation(access: DistrictAccess, public_id: Any) -> Invitation:
    invitation = Invitation.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id)
    ).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation


def audit_events(district: District) -> QuerySet[AuditEvent]:
    """The district's own events plus account events (sign-ins, tokens) of its members."""
    member_ids = Membership.objects.filter(district=district).values("user_id")
    return AuditEvent.objects.filter(
        Q(district=district)
        | Q(district__isnull=True, actor_id__in=member_ids)
        | Q(district__isnull=True, subject_id__in=member_ids)
    ).select_related("actor")
