"""Enrolment resources: ask for a place in an offering, the caller's enrolments, withdraw, and
approvers' decisions. Mounted at "/" with full paths (see api.py)."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.catalog.models import Enrollment, EnrollmentStatus
from trellis.catalog.queries import enrolment as queries
from trellis.catalog.queries.approvals import step_label
from trellis.catalog.services import approvals as approval_services
from trellis.catalog.services import enrolment as services
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm

router = Router(tags=["enrolment"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class OfferingRef(Schema):
    id: uuid.UUID
    title: str


class SessionRef(Schema):
    id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    location: str
    status: str


class ApprovalStepOut(Schema):
    id: uuid.UUID
    position: int
    approver: str = Field(..., description="principal or pd_office")
    approver_label: str
    school: str | None
    status: str = Field(..., description="waiting, pending, approved, denied or cancelled")
    reason_required: str
    due_at: dt.datetime | None
    decided_by: str | None
    decided_at: dt.datetime | None
    reason: str


class EnrollmentOut(Schema):
    id: uuid.UUID
    offering: OfferingRef
    session: SessionRef | None
    status: str = Field(
        ..., description="pending, waitlisted, enrolled, completed, denied, withdrawn, no_show"
    )
    status_label: str
    note: str
    requested_at: dt.datetime
    decided_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    completed_at: dt.datetime | None
    waitlist_position: int | None
    waiting_for: str = Field(..., description="Who decides now, when the request is pending")
    approval_steps: list[ApprovalStepOut]


class EnrollmentIn(Schema):
    session: uuid.UUID | None = Field(
        None, description="Public id of the chosen session (offerings that register per session)"
    )
    note: str = Field("", max_length=2000, description="Why, for the approvers")


class DecisionIn(Schema):
    decision: Literal["approve", "deny"]
    reason: str = Field("", max_length=2000, description="Required to deny; the educator reads it")


class WithdrawIn(Schema):
    reason: str = Field("", max_length=2000)


def _out(enrollment: Enrollment, places: dict[int, int]) -> EnrollmentOut:
    session = enrollment.session
    return EnrollmentOut(
        id=enrollment.public_id,
        offering=OfferingRef(id=enrollment.offering.public_id, title=enrollment.offering.title),
        session=SessionRef(
            id=session.public_id,
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            location=session.location,
            status=session.status,
        )
        if session
        else None,
        status=enrollment.status,
        status_label=enrollment.get_status_display(),
        note=enrollment.note,
        requested_at=enrollment.requested_at,
        decided_at=enrollment.decided_at,
        withdrawn_at=enrollment.withdrawn_at,
        completed_at=enrollment.completed_at,
        waitlist_position=places.get(enrollment.pk),
        waiting_for=queries.waiting_for(enrollment),
        approval_steps=[
            ApprovalStepOut(
                id=s.public_id,
                position=s.position,
                approver=s.approver,
                approver_label=step_label(s),
                school=s.school.name if s.school else None,
                status=s.status,
                reason_required=s.reason_required,
                due_at=s.due_at,
                decided_by=s.decided_by.full_name if s.decided_by else None,
                decided_at=s.decided_at,
                reason=s.reason,
            )
            for s in enrollment.approval_steps.all()
        ],
    )


def _one(enrollment: Enrollment) -> EnrollmentOut:
    return _out(enrollment, queries.waitlist_positions([enrollment]))


@router.post("/offerings/{offering_id}/enrollments", response={201: EnrollmentOut, **ERRORS})
def request_enrollment(
    request: HttpRequest, offering_id: uuid.UUID, payload: EnrollmentIn
) -> tuple[int, EnrollmentOut]:
    """Ask for a place. The result's status says what happened: `enrolled` (no approval
    needed), `pending` (the seat is held while the approval steps are decided) or `waitlisted`.
    A full offering without a waitlist is 400 `offering_full`; a second request 409."""
    access = require(request, Perm.VIEW_CATALOG)
    offering = queries.get_requestable_offering(access, offering_id)
    session = None
    if payload.session is not None:
        session = queries.get_offering_session(offering, payload.session)
        if session is None:
            raise DomainError(
                "unknown_session",
                f"That session is not one of the sessions of “{offering.title}”.",
                details={"field": "session"},
            )
    enrollment = services.request_enrollment(
        access=access, actor=request.user, offering=offering, session=session, note=payload.note
    )
    return 201, _one(queries.get_own_enrollment(access, request.user, enrollment.public_id))


@router.get("/me/enrollments", response=list[EnrollmentOut])
@paginate(LimitOffsetPagination)
def list_my_enrollments(request: HttpRequest, status: str = "") -> Any:
    """The caller's enrolments in the current district, newest request first; filter with
    ?status=pending (or waitlisted, enrolled, completed, denied, withdrawn, no_show)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    if status and status not in EnrollmentStatus.values:
        raise DomainError(
            "unknown_status",
            f"Unknown status “{status}”. Use {', '.join(EnrollmentStatus.values)}.",
        )
    rows = queries.enrollments_for(access, request.user, status=status)

    def convert(page: list[Enrollment]) -> list[EnrollmentOut]:
        places = queries.waitlist_positions(page)
        return [_out(e, places) for e in page]

    return MappedPage(rows, convert)


@router.post("/enrollments/{enrollment_id}/decision", response={200: EnrollmentOut, **ERRORS})
def decide(request: HttpRequest, enrollment_id: uuid.UUID, payload: DecisionIn) -> EnrollmentOut:
    """Approvers decide the request's current step: "approve" (next step, or enrolled at the
    last one) or "deny" with a reason. 403 when the step is for another approver (another
    school's principal) or the request is the caller's own; 409 when it was already decided."""
    access = require(request, Perm.APPROVE_REQUESTS)
    enrollment = queries.get_enrollment(access, enrollment_id)
    approval_services.decide(
        access=access,
        actor=request.user,
        step_or_enrollment=enrollment,
        approve=payload.decision == "approve",
        reason=payload.reason,
    )
    return _one(queries.get_enrollment(access, enrollment_id))


@router.post("/enrollments/{enrollment_id}/withdraw", response={200: EnrollmentOut, **ERRORS})
def withdraw(request: HttpRequest, enrollment_id: uuid.UUID, payload: WithdrawIn) -> EnrollmentOut:
    """The caller withdraws their request, waitlist place or seat (district PD leaders may
    withdraw anyone's); the seat goes to the first person on the waitlist."""
    access = require(request, Perm.VIEW_CATALOG)
    if access.can(Perm.MANAGE_CATALOG):
        enrollment = queries.get_enrollment(access, enrollment_id)
    else:
        enrollment = queries.get_own_enrollment(access, request.user, enrollment_id)
    services.withdraw(
        access=access, actor=request.user, enrollment=enrollment, reason=payload.reason
    )
    return _one(queries.get_enrollment(access, enrollment_id))
