"""Enrolment requests, seats, the waitlist and withdrawals.

Seats. An enrolment takes a seat of its *capacity owner*: the chosen session when the offering
registers per session, the offering otherwise. Pending requests hold their seat, so an approval
never lands on a full offering. Every write that takes or frees a seat first locks the owner's
row (`SELECT … FOR UPDATE` on PostgreSQL; SQLite serialises writing transactions anyway), then
counts the seat holders: two requests for the last seat queue on that lock and the second one
sees the first one's seat. Locks are always taken in the same order — the owner's row, then
enrolment rows — so a withdrawal and a new request cannot deadlock.

Waitlist. A full owner with the waitlist on puts new requests on it; whenever a seat is freed
(a withdrawal, a denial) the oldest waitlisted request gets it in the same transaction and goes
through the approval chain like a new request.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import (
    ACTIVE,
    ApprovalStep,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    Registration,
)
from trellis.catalog.queries import enrolment as queries
from trellis.catalog.queries.approvals import educator_school
from trellis.catalog.services import _notices as tell
from trellis.catalog.services.chains import ensure_default_chain, start_approval
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess

MAX_NOTE = 2000
MAX_REASON = 2000
WITHDRAWABLE = (
    EnrollmentStatus.PENDING_APPROVAL,
    EnrollmentStatus.WAITLISTED,
    EnrollmentStatus.ENROLLED,
)


def lock_owner(owner: queries.CapacityOwner) -> queries.CapacityOwner:
    """The owner's row, fresh and locked until the transaction ends."""
    model = type(owner)
    return model.objects.select_for_update().get(pk=owner.pk)


def _already_active(offering: Offering, actor: Any) -> ConflictError | None:
    existing = (
        Enrollment.objects.filter(offering=offering, educator=actor, status__in=ACTIVE)
        .order_by("-requested_at")
        .first()
    )
    if existing is None:
        return None
    return ConflictError(
        "already_enrolled",
        f"You already have a place or a request for “{offering.title}” "
        f"({existing.get_status_display().lower()}). See My learning.",
    )


@transaction.atomic
def request_enrollment(
    *,
    access: DistrictAccess,
    actor: Any,
    offering: Offering,
    session: OfferingSession | None = None,
    note: str = "",
) -> Enrollment:
    """Ask for a place: enrolled at once, pending approval (seat held) or waitlisted."""
    if not access.can(Perm.VIEW_CATALOG):
        raise PermissionDenied("Your role here cannot enrol in offerings.")
    if offering.district_id != access.district.pk:
        raise Http404("No such offering.")
    note = clean_text(note, field="note", label="note", max_length=MAX_NOTE, required=False)
    now = timezone.now()
    sessions = list(offering.sessions.all())
    problem = queries.session_problem(offering, session, now)
    if problem is not None:
        raise DomainError(problem[0], problem[1], details={"field": "session"})
    closed = queries.closed_reason(offering, sessions, now)
    if closed:
        raise DomainError("enrolment_closed", closed)
    conflict = _already_active(offering, actor)
    if conflict is not None:
        raise conflict
    ensure_default_chain(access.district)  # before any row lock: it may insert

    owner = lock_owner(queries.capacity_owner(offering, session))
    conflict = _already_active(offering, actor)  # again, now that requests queue on the lock
    if conflict is not None:
        raise conflict
    left = queries.seats_left(owner)
    waiting = queries.waitlist(owner).count() if left != 0 else 0
    if waiting and left is not None:
        left = max(left - waiting, 0)  # people already waiting go before a newcomer
    if left == 0 and not offering.waitlist_enabled:
        raise DomainError(
            "offering_full", f"{_full_name(offering, session)} is full and has no waitlist."
        )
    if waiting:
        promote_locked(owner, actor=None)
    enrollment = Enrollment(
        district=access.district,
        offering=offering,
        session=session,
        educator=actor,
        school=educator_school(access.district, actor),
        note=note,
        requested_at=now,
    )
    try:
        with transaction.atomic():
            if left == 0:
                enrollment.status = EnrollmentStatus.WAITLISTED
                enrollment.waitlisted_at = now
                enrollment.save()
                steps: list[ApprovalStep] = []
            else:
                steps = start_approval(enrollment, now=now)
    except IntegrityError:
        # The one-live-enrolment constraint: a request for another session of the same offering
        # committed while this one waited.
        raise _already_active(offering, actor) or ConflictError(
            "already_enrolled", f"You already have a request for “{offering.title}”."
        ) from None
    _record_request(enrollment, actor, steps)
    return enrollment


def _full_name(offering: Offering, session: OfferingSession | None) -> str:
    if session is not None:
        return f"The session of {queries.when(session.starts_at, offering.district)}"
    return f"“{offering.title}”"


def _record_request(enrollment: Enrollment, actor: Any, steps: list[ApprovalStep]) -> None:
    if enrollment.status == EnrollmentStatus.WAITLISTED:
        position = queries.waitlist_positions([enrollment]).get(enrollment.pk, 1)
        audit.record(
            action="enrollment.waitlisted",
            summary=f"{actor.email} is number {position} on the waitlist of "
            f"“{enrollment.offering.title}”",
            actor=actor,
            district=enrollment.district,
            target=enrollment,
            data={"offering": str(enrollment.offering.public_id), "position": position},
        )
        tell.waitlisted(enrollment, position)
        return
    audit.record(
        action="enrollment.requested",
        summary=f"{actor.email} asked to enrol in “{enrollment.offering.title}”: "
        + (f"{len(steps)} approval step(s)" if steps else "enrolled, no approval needed"),
        actor=actor,
        district=enrollment.district,
        target=enrollment,
        data={
            "offering": str(enrollment.offering.public_id),
            "session": str(enrollment.session.public_id) if enrollment.session_id else None,
            "status": enrollment.status,
            "steps": [{"approver": s.approver, "school": s.school_id} for s in steps],
        },
    )
    tell.requested(enrollment, steps)


# ---------------------------------------------------------------------------------------------
# the waitlist
# ---------------------------------------------------------------------------------------------


def _is_over(owner: queries.CapacityOwner, now: Any) -> bool:
    if isinstance(owner, OfferingSession):
        return owner.starts_at <= now or owner.status != OfferingSession.Status.SCHEDULED
    sessions = list(owner.sessions.all())
    return bool(sessions) and not queries.upcoming_sessions(sessions, now)


def promote_locked(owner: queries.CapacityOwner, *, actor: Any) -> list[Enrollment]:
    """Give free seats of a locked owner to its waitlist, oldest first."""
    now = timezone.now()
    if _is_over(owner, now):
        return []
    left = queries.seats_left(owner)
    if left is not None and left <= 0:
        return []
    waiting = (
        queries.waitlist(owner)
        .select_related(
            "district", "offering", "offering__district", "session", "school", "educator"
        )
        .select_for_update(of=("self",))
    )
    chosen = list(waiting if left is None else waiting[:left])
    for enrollment in chosen:
        steps = start_approval(enrollment, now=now)
        audit.record(
            action="enrollment.promoted",
            summary=f"A place opened: {enrollment.educator.email} moved from the waitlist of "
            f"“{enrollment.offering.title}” to "
            + ("waiting for approval" if steps else "enrolled"),
            actor=actor,
            subject=enrollment.educator,
            district=enrollment.district,
            target=enrollment,
            data={
                "status": enrollment.status,
                "waitlisted_at": enrollment.waitlisted_at.isoformat(),
            },
        )
        tell.requested(enrollment, steps, promoted=True)
    return chosen


@transaction.atomic
def promote_waitlist(owner: Offering | OfferingSession, *, actor: Any = None) -> list[Enrollment]:
    """Fill free seats from the waitlist (oldest first). Called in the transaction that frees a
    seat; call it too after raising a capacity. An offering that registers per session promotes
    each of its sessions."""
    if isinstance(owner, Offering) and owner.registration == Registration.ONE_SESSION:
        promoted: list[Enrollment] = []
        for session in owner.sessions.order_by("pk"):
            promoted += promote_locked(lock_owner(session), actor=actor)
        return promoted
    return promote_locked(lock_owner(owner), actor=actor)


# ---------------------------------------------------------------------------------------------
# withdrawals
# ---------------------------------------------------------------------------------------------


def cancel_open_steps(enrollment: Enrollment, now: Any) -> int:
    return enrollment.approval_steps.filter(
        status__in=[ApprovalStep.Status.PENDING, ApprovalStep.Status.WAITING]
    ).update(status=ApprovalStep.Status.CANCELLED, updated_at=now)


def lock_enrollment(enrollment: Enrollment) -> tuple[queries.CapacityOwner, Enrollment]:
    """Lock the enrolment's capacity owner, then the enrolment (always in this order)."""
    owner = lock_owner(queries.owner_of(enrollment))
    fresh = (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("offering", "offering__district", "session", "educator", "district")
        .get(pk=enrollment.pk)
    )
    return owner, fresh


@transaction.atomic
def withdraw(
    *, access: DistrictAccess, actor: Any, enrollment: Enrollment, reason: str = ""
) -> Enrollment:
    """The educator (or a catalog manager) gives up a request, a waitlist place or a seat; the
    seat goes to the waitlist."""
    if enrollment.district_id != access.district.pk:
        raise Http404("No such enrolment.")
    if enrollment.educator_id != actor.pk and not access.can(Perm.MANAGE_CATALOG):
        raise PermissionDenied("Only the educator or a district PD leader can withdraw this.")
    reason = clean_text(
        reason, field="reason", label="reason", max_length=MAX_REASON, required=False
    )
    ensure_default_chain(access.district)  # before any row lock: promotion may need it
    owner, enrollment = lock_enrollment(enrollment)
    if enrollment.status == EnrollmentStatus.COMPLETED:
        raise ConflictError(
            "already_completed",
            f"“{enrollment.offering.title}” is completed; a completed enrolment cannot be "
            "withdrawn.",
        )
    if enrollment.status not in WITHDRAWABLE:
        raise ConflictError(
            "not_active",
            f"This enrolment is already closed ({enrollment.get_status_display().lower()}).",
        )
    held_seat = enrollment.holds_seat
    before = enrollment.status
    now = timezone.now()
    cancel_open_steps(enrollment, now)
    enrollment.status = EnrollmentStatus.WITHDRAWN
    enrollment.withdrawn_at = now
    enrollment.save(update_fields=["status", "withdrawn_at", "updated_at"])
    audit.record(
        action="enrollment.withdrawn",
        summary=(
            f"{actor.email} withdrew from “{enrollment.offering.title}”"
            if actor.pk == enrollment.educator_id
            else f"{actor.email} withdrew {enrollment.educator.email} from "
            f"“{enrollment.offering.title}”"
        ),
        actor=actor,
        subject=enrollment.educator,
        district=enrollment.district,
        target=enrollment,
        data={"from": before, "reason": reason},
    )
    tell.withdrawn(enrollment, actor, reason)
    if held_seat:
        promote_locked(owner, actor=actor)
    return enrollment
