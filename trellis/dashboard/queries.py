"""Read models for the landing page of each role. Each panel is one small, bounded set of queries."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from trellis.audit.queries import events_by_actor
from trellis.catalog.models import Enrollment, EnrollmentStatus, OfferingSession
from trellis.catalog.queries.approvals import pending_count
from trellis.core.charts import BarChart, horizontal_bars
from trellis.credit.queries import renewal_progress_for
from trellis.districts import queries as district_queries
from trellis.districts.models import Invitation, Role, School
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess
from trellis.growth import queries as growth_queries


@dataclass
class StaffPanel:
    title: str
    total: int
    chart: BarChart
    schools: list[School]


def learner_panel(user: Any, access: DistrictAccess) -> dict[str, Any]:
    profile = growth_queries.profile_for(user, access.district)
    school_ids = access.school_ids
    schools = list(School.objects.filter(pk__in=school_ids)) if school_ids else []
    growing = access.can(Perm.VIEW_OWN_LEARNING)
    return {
        "profile": profile,
        "schools": schools,
        "growth": growing,
        "active_goals": growth_queries.open_goals(access.district, user) if growing else [],
        "latest_self_assessment": (
            growth_queries.latest_self_assessment_date(access.district, user) if growing else None
        ),
    }


def learning_panel(user: Any, access: DistrictAccess) -> dict[str, Any] | None:
    """The next sessions the person is registered for, requests still waiting for approval, and
    where they stand on renewal: what an educator opens Trellis to check."""
    if not access.can(Perm.VIEW_OWN_LEARNING):
        return None
    live = Enrollment.objects.filter(
        district=access.district,
        educator=user,
        status__in=[EnrollmentStatus.ENROLLED, EnrollmentStatus.PENDING_APPROVAL],
    )
    next_sessions = list(
        OfferingSession.objects.filter(
            status=OfferingSession.Status.SCHEDULED, starts_at__gte=timezone.now()
        )
        .filter(
            Q(enrollments__in=live) | Q(offering__enrollments__in=live.filter(session__isnull=True))
        )
        .select_related("offering")
        .distinct()
        .order_by("starts_at", "id")[:3]
    )
    return {
        "next_sessions": next_sessions,
        "waiting": live.filter(status=EnrollmentStatus.PENDING_APPROVAL).count(),
        "renewal": renewal_progress_for(access, user),
        "approvals": (pending_count(access, user) if access.can(Perm.APPROVE_REQUESTS) else None),
    }


def staff_panel(access: DistrictAccess) -> StaffPanel | None:
    """Career stages of the people the caller oversees: the district for admins, their school otherwise."""
    if access.can(Perm.VIEW_DISTRICT_STAFF):
        stages = growth_queries.career_stage_summary(access.district)
        title, schools = f"Educators in {access.district.name}", []
    elif access.can(Perm.VIEW_SCHOOL_STAFF) and access.school_ids:
        stages = growth_queries.career_stage_summary(access.district, school_ids=access.school_ids)
        schools = list(School.objects.filter(pk__in=access.school_ids))
        title = "Educators at " + ", ".join(s.name for s in schools)
    else:
        return None
    chart = horizontal_bars(stages.labelled())  # labels follow the district's thresholds
    return StaffPanel(title=title, total=sum(stages.counts.values()), chart=chart, schools=schools)


def admin_panel(access: DistrictAccess) -> dict[str, Any] | None:
    if not access.can(Perm.MANAGE_PEOPLE):
        return None
    role_counts = district_queries.role_counts(access.district)
    return {
        "role_counts": [(Role(role).label, count) for role, count in role_counts.items()],
        "school_count": School.objects.filter(district=access.district).count(),
        "pending_invitations": Invitation.objects.filter(
            district=access.district,
            status=Invitation.Status.PENDING,
            expires_at__gt=timezone.now(),
        ).count(),
        "recent_events": list(district_queries.audit_events(access.district)[:6]),
    }


def recent_activity(user: Any) -> list[Any]:
    return events_by_actor(user, limit=5)
