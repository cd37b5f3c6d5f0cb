"""What the assessment services share: event rows, locking, and the e-mails they send."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django.urls import reverse

from trellis.catalog.notify import notify
from trellis.districts.models import Membership, Role
from trellis.microcredentials.models import Assignment, Submission, SubmissionEvent
from trellis.microcredentials.services.events import record_event
from trellis.notifications.models import Kind

MAX_FEEDBACK = 4000
MAX_REASON = 2000


def event(
    submission: Submission, action: str, *, actor: Any = None, at: dt.datetime, **data: Any
) -> SubmissionEvent:
    return record_event(submission, action, actor=actor, at=at, **data)


def lock_submission(submission: Submission) -> Submission:
    """Re-read the submission under a row lock: concurrent assignment, scoring and appeals of
    one submission queue here and each sees the state the previous one left."""
    return (
        Submission.objects.select_for_update(of=("self",))
        .select_related("district", "educator", "version")
        .get(pk=submission.pk)
    )


def title_of(submission: Submission) -> str:
    return f"“{submission.version.title}”"


def tell_admins_unassigned(submission: Submission, role: str) -> None:
    """No eligible assessor: every district PD leader hears about it once per occurrence."""
    admins = Membership.objects.filter(
        district=submission.district, role=Role.DISTRICT_ADMIN, is_active=True
    ).select_related("user")
    label = Assignment.Role(role).label.lower()
    for membership in admins:
        notify(
            membership.user,
            kind=Kind.ASSESSMENT_OVERDUE,
            district=submission.district,
            subject=f"No assessor available: {submission.version.title}",
            lines=[
                f"A submission for {title_of(submission)} needs an {label}, but no qualified "
                "assessor without a conflict of interest is available.",
                "Add an assessor qualification, or assign it by hand from the assessment queue.",
            ],
            path=reverse("microcredentials:assessment_queue"),
        )


def _local(moment: dt.datetime, district: Any) -> str:
    try:
        zone = zoneinfo.ZoneInfo(district.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        zone = dt.UTC
    return f"{moment.astimezone(zone):%-d %B %Y}"


def tell_assessor(assignment: Assignment) -> None:
    notify(
        assignment.assessor,
        kind=Kind.ASSESSOR_ASSIGNMENT,
        district=assignment.submission.district,
        subject=f"A submission to assess: {assignment.submission.version.title}",
        lines=[
            f"You are the {assignment.get_role_display().lower()} for a submission of "
            f"{title_of(assignment.submission)}.",
            f"Please score it by {_local(assignment.due_at, assignment.submission.district)}.",
        ],
        path=reverse(
            "microcredentials:assessment_score", kwargs={"public_id": assignment.public_id}
        ),
    )
