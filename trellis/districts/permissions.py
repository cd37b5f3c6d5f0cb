"""The one place that decides what each role may do in a district.

Views, the API and services ask `has_perm(roles, Perm.X)`; nothing else looks at role names.
Object-level rules (is this submission assigned to me?) live beside the object's queries.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from trellis.core.errors import PermissionDenied
from trellis.districts.models import Role


class Perm(StrEnum):
    VIEW_OWN_LEARNING = "view_own_learning"  # own profile, growth, credentials
    VIEW_SCHOOL_STAFF = "view_school_staff"  # the people of the schools one serves
    VIEW_DISTRICT_STAFF = "view_district_staff"  # everyone in the district
    MANAGE_PEOPLE = "manage_people"  # invite, change roles, deactivate
    VIEW_AUDIT_LOG = "view_audit_log"
    ASSESS_SUBMISSIONS = "assess_submissions"
    APPROVE_REQUESTS = "approve_requests"
    COACH_EDUCATORS = "coach_educators"
    VIEW_CASELOAD = "view_caseload"  # goals of the educators a coach is assigned to
    IMPORT_OBSERVATIONS = "import_observations"  # observation ratings from CSV
    MANAGE_GROWTH_SETTINGS = "manage_growth_settings"  # career-stage thresholds and the like
    VIEW_FRAMEWORKS = "view_frameworks"  # competency frameworks: library and the district's own
    MANAGE_FRAMEWORKS = "manage_frameworks"  # import, adopt, copy and edit frameworks
    IMPORT_ROSTER = "import_roster"  # roster import from CSV and OneRoster
    VIEW_CATALOG = "view_catalog"  # browse published offerings, request enrolment
    MANAGE_CATALOG = "manage_catalog"  # write offerings and sessions, import/export the catalog
    MANAGE_CREDIT = "manage_credit"  # approval chains, completion, licences, lanes, state exports
    MANAGE_MICRO_CREDENTIALS = "manage_micro_credentials"  # author definitions, stacks, assessors
    MANAGE_CREDENTIALS = "manage_credentials"  # issuer profile and keys, issue, revoke, bulk issue
    MANAGE_QUALITY = (
        "manage_quality"  # vetting rubric, vet offerings and proposals, moderate reviews
    )
    MANAGE_INTEGRATIONS = "manage_integrations"  # xAPI credentials for outside learning tools
    VIEW_DEMAND = "view_demand"  # topic requests, volunteers and demand by competency and school
    MANAGE_RECOMMENDATIONS = "manage_recommendations"  # tune weights, see who is recommended what
    VIEW_REPORTS = "view_reports"  # district dashboards and reports, whole district
    VIEW_SCHOOL_REPORTS = "view_school_reports"  # the same dashboards, limited to one's school(s)


ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    Role.EDUCATOR: frozenset({Perm.VIEW_OWN_LEARNING, Perm.VIEW_FRAMEWORKS, Perm.VIEW_CATALOG}),
    Role.COACH: frozenset(
        {
            Perm.VIEW_OWN_LEARNING,
            Perm.VIEW_SCHOOL_STAFF,
            Perm.COACH_EDUCATORS,
            Perm.VIEW_FRAMEWORKS,
            Perm.VIEW_CASELOAD,
            Perm.VIEW_CATALOG,
        }
    ),
    Role.ASSESSOR: frozenset(
        {Perm.VIEW_OWN_LEARNING, Perm.ASSESS_SUBMISSIONS, Perm.VIEW_FRAMEWORKS, Perm.VIEW_CATALOG}
    ),
    Role.APPROVER: frozenset(
        {
            Perm.VIEW_OWN_LEARNING,
            Perm.VIEW_SCHOOL_STAFF,
            Perm.APPROVE_REQUESTS,
            Perm.VIEW_FRAMEWORKS,
            Perm.VIEW_CATALOG,
            Perm.VIEW_SCHOOL_REPORTS,
        }
    ),
    Role.DISTRICT_ADMIN: frozenset(
        {
            Perm.VIEW_OWN_LEARNING,
            Perm.VIEW_SCHOOL_STAFF,
            Perm.VIEW_DISTRICT_STAFF,
            Perm.MANAGE_PEOPLE,
            Perm.VIEW_AUDIT_LOG,
            Perm.VIEW_FRAMEWORKS,
            Perm.MANAGE_FRAMEWORKS,
            Perm.IMPORT_OBSERVATIONS,
            Perm.MANAGE_GROWTH_SETTINGS,
            Perm.IMPORT_ROSTER,
            Perm.VIEW_CATALOG,
            Perm.MANAGE_CATALOG,
            Perm.MANAGE_CREDIT,
            Perm.APPROVE_REQUESTS,
            Perm.MANAGE_MICRO_CREDENTIALS,
            Perm.MANAGE_CREDENTIALS,
            Perm.MANAGE_QUALITY,
            Perm.MANAGE_INTEGRATIONS,
            Perm.VIEW_DEMAND,
            Perm.MANAGE_RECOMMENDATIONS,
            Perm.VIEW_REPORTS,
            Perm.VIEW_SCHOOL_REPORTS,
        }
    ),
}


def permissions_for(roles: Iterable[str]) -> frozenset[Perm]:
    granted: set[Perm] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(Role(role), frozenset())
    return frozenset(granted)


def has_perm(roles: Iterable[str], perm: Perm) -> bool:
    return perm in permissions_for(roles)


def require(access: Any, perm: Perm) -> None:
    """Refuse (403) unless the person's roles in the district grant `perm`."""
    if not access.can(perm):
        raise PermissionDenied()


def grantable_roles(actor_roles: Iterable[str]) -> list[Role]:
    """Roles an actor may grant to others: district admins grant every role."""
    return list(Role) if has_perm(actor_roles, Perm.MANAGE_PEOPLE) else []
