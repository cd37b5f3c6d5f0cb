"""Navigation for the page shell, built from the one permission module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from trellis.districts.models import Role
from trellis.districts.permissions import Perm


def navigation(request: HttpRequest) -> dict[str, Any]:
    access = getattr(request, "access", None)
    if access is None:
        return {"nav_items": [], "current_roles": []}
    items = [("Home", reverse("dashboard:home"))]
    if access.can(Perm.VIEW_CATALOG):
        items.append(("Catalog", reverse("catalog:browse")))
    if access.can(Perm.MANAGE_CATALOG):
        items.append(("Manage catalog", reverse("catalog:manage")))
    if access.can(Perm.VIEW_OWN_LEARNING):
        items.append(("My growth", reverse("growth:home")))
        items.append(("My learning", reverse("catalog:learning")))
        items.append(("Micro-credentials", reverse("microcredentials:list")))
        items.append(("Credentials", reverse("credentials:mine")))
        items.append(("Recommended", reverse("recommend:mine")))
        items.append(("Informal learning", reverse("informal:log")))
        items.append(("Ideas & requests", reverse("voice:home")))
    if access.can(Perm.VIEW_CASELOAD):
        items.append(("Caseload", reverse("growth:caseload")))
    # No pending count here: districts sits below catalog in the layers (the inbox shows it).
    if access.can(Perm.APPROVE_REQUESTS):
        items.append(("Approvals", reverse("catalog:approvals")))
    if access.can(Perm.ASSESS_SUBMISSIONS):
        items.append(("Assessments", reverse("microcredentials:assessment_inbox")))
    if access.can(Perm.MANAGE_MICRO_CREDENTIALS):
        items.append(("Assessment admin", reverse("microcredentials:assessment_queue")))
    if access.can(Perm.VIEW_SCHOOL_STAFF):
        items.append(("People", reverse("growth:people")))
    if access.can(Perm.VIEW_FRAMEWORKS):
        items.append(("Frameworks", reverse("frameworks:list")))
    if access.can(Perm.MANAGE_PEOPLE):
        items.append(("Invitations", reverse("districts:invitations")))
        items.append(("Schools", reverse("districts:schools")))
    if access.can(Perm.IMPORT_ROSTER):
        items.append(("Roster import", reverse("roster:index")))
    if access.can(Perm.IMPORT_OBSERVATIONS):
        items.append(("Observations", reverse("growth:observations_import")))
    # Attendance: facilitators who are not catalog managers reach their sessions from the
    # check-in page, so the nav needs no query on every page.
    if access.can(Perm.VIEW_OWN_LEARNING):
        items.append(("Check in", reverse("catalog:check_in")))
    if access.can(Perm.MANAGE_CATALOG):
        items.append(("Facilitate", reverse("catalog:facilitate")))
    if access.can(Perm.VIEW_OWN_LEARNING):
        items.append(("Renewal", reverse("credit:renewal")))
    if access.can(Perm.MANAGE_CREDIT):
        items.append(("Credit & licences", reverse("credit:manage")))
    if access.can(Perm.MANAGE_CREDENTIALS):
        items.append(("Issuing", reverse("credentials:admin")))
    if access.can(Perm.MANAGE_QUALITY):
        items.append(("Vetting", reverse("quality:queue")))
    if access.can(Perm.VIEW_DEMAND):
        items.append(("Demand", reverse("voice:demand")))
    if access.can(Perm.VIEW_SCHOOL_REPORTS):  # district admins and principals
        items.append(("Reports", reverse("reports:dashboard")))
    if access.can(Perm.MANAGE_RECOMMENDATIONS):
        items.append(("Recommendation settings", reverse("recommend:settings")))
    if access.can(Perm.MANAGE_INTEGRATIONS):
        items.append(("Integrations", reverse("informal:integrations")))
    if access.can(Perm.VIEW_AUDIT_LOG):
        items.append(("Audit log", reverse("districts:audit_log")))
    current = request.path
    nav = [
        {
            "label": label,
            "url": url,
            "active": current == url or (url != "/" and current.startswith(url)),
        }
        for label, url in items
    ]
    roles = [Role(r).label for r in Role.values if r in access.roles]
    return {"nav_items": nav, "current_roles": roles}
