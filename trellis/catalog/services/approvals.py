"""Approvers decide the current step of a request: approve (the next step, or enrolled) or deny
with a reason (the seat goes to the waitlist).

A decision locks the capacity owner and then the enrolment, so two decisions on the same request
queue: the second one finds the step decided and gets "already decided" (409).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import ApprovalStep, Enrollment, EnrollmentStatus
from trellis.catalog.queries.approvals import days_to_decide, may_decide, step_label
from trellis.catalog.services import _notices as tell
from trellis.catalog.services.chains import ensure_default_chain
from trellis.catalog.services.enrolment import (
    MAX_REASON,
    cancel_open_steps,
    clean_text,
    lock_enrollment,
    promote_locked,
)
from trellis.core.errors import ConflictError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess


def _already_decided(enrollment: Enrollment) -> ConflictError:
    return ConflictError(
        "already_decided",
        f"This request was already decided: it is {enrollment.get_status_display().lower()}.",
    )


@transaction.atomic
def decide(
    *,
    access: DistrictAccess,
    actor: Any,
    step_or_enrollment: ApprovalStep | Enrollment,
    approve: bool,
    reason: str = "",
) -> ApprovalStep:
    """Decide a request's current step. Given a step, only that step (if it is no longer the
    pending one: 409); given an enrolment, whichever step is pending now."""
    if not access.can(Perm.APPROVE_REQUESTS):
        raise PermissionDenied("Only approvers and district PD leaders decide requests.")
    if isinstance(step_or_enrollment, ApprovalStep):
        enrollment, step_id = step_or_enrollment.enrollment, step_or_enrollment.pk
    else:
        enrollment, step_id = step_or_enrollment, None
    if enrollment.district_id != access.district.pk:
        raise Http404("No such request.")
    if enrollment.educator_id == actor.pk:
        raise PermissionDenied("You cannot decide your own request; another approver will.")
    ensure_default_chain(access.district)  # before any row lock: promotion may need it
    owner, enrollment = lock_enrollment(enrollment)
    steps = list(enrollment.approval_steps.select_related("school").order_by("position"))
    pending = next((s for s in steps if s.status == ApprovalStep.Status.PENDING), None)
    step = next((s for s in steps if s.pk == step_id), None) if step_id else pending
    if (
        step is None
        or step.status != ApprovalStep.Status.PENDING
        or enrollment.status != EnrollmentStatus.PENDING_APPROVAL
    ):
        raise _already_decided(enrollment)
    if not may_decide(access.district, actor, step):
        raise PermissionDenied(f"This step is for {step_label(step)}, not for you.")
    reason = clean_text(
        reason,
        field="reason",
        label="reason for saying no (the educator will read it)",
        max_length=MAX_REASON,
        required=not approve,
    )

    now = timezone.now()
    step.decided_by, step.decided_at, step.reason = actor, now, reason
    if approve:
        step.status = ApprovalStep.Status.APPROVED
        step.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
        following = next((s for s in steps if s.status == ApprovalStep.Status.WAITING), None)
        if following is not None:
            following.status = ApprovalStep.Status.PENDING
            following.due_at = now + dt.timedelta(days=days_to_decide(access.district, following))
            following.save(update_fields=["status", "due_at", "updated_at"])
        else:
            enrollment.status = EnrollmentStatus.ENROLLED
            enrollment.decided_at = now
            enrollment.save(update_fields=["status", "decided_at", "updated_at"])
        audit.record(
            action="enrollment.approved",
            summary=f"{actor.email} ({step_label(step)}) approved "
            f"{enrollment.educator.email} for “{enrollment.offering.title}”: "
            + (f"now with {step_label(following)}" if following else "enrolled"),
            actor=actor,
            subject=enrollment.educator,
            district=enrollment.district,
            target=enrollment,
            data={
                "step": step.position,
                "approver": step.approver,
                "next": following.approver if following else None,
                "status": enrollment.status,
            },
        )
        tell.approved(enrollment, step, following)
        return step

    step.status = ApprovalStep.Status.DENIED
    step.save(update_fields=["status", "decided_by", "decided_at", "reason", "updated_at"])
    cancel_open_steps(enrollment, now)
    enrollment.status = EnrollmentStatus.DENIED
    enrollment.decided_at = now
    enrollment.save(update_fields=["status", "decided_at", "updated_at"])
    audit.record(
        action="enrollment.denied",
        summary=f"{actor.email} ({step_label(step)}) did not approve "
        f"{enrollment.educator.email} for “{enrollment.offering.title}”",
        actor=actor,
        subject=enrollment.educator,
        district=enrollment.district,
        target=enrollment,
        data={"step": step.position, "approver": step.approver, "reason": reason},
    )
    tell.denied(enrollment, step)
    promote_locked(owner, actor=actor)
    return step
