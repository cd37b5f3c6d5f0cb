"""Attendance: the facilitator's roster (present, part of the session in hours, absent), self
check-in with the session code, and the check-in code itself. Each change is audited, and
completion is judged again for the people it touches."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog.models import (
    AttendanceRecord,
    Enrollment,
    EnrollmentStatus,
    OfferingSession,
)
from trellis.catalog.queries import attendance as queries
from trellis.catalog.services.completion import evaluate_completion
from trellis.catalog.services.sessions import new_check_in_code
from trellis.core.errors import DomainError, PermissionDenied, TooManyAttempts
from trellis.credit.rules.wording import number
from trellis.districts.permissions import Perm

Status = AttendanceRecord.Status
Method = AttendanceRecord.Method

# Wrong check-in codes allowed per person before they must wait (guessing codes is the risk).
CHECK_IN_FAILURE_LIMIT = 10
CHECK_IN_FAILURE_WINDOW_SECONDS = 600


@dataclass(frozen=True)
class Mark:
    """One roster line as entered: the enrolment's public id, a status, and hours for PARTIAL."""

    enrollment: str
    status: str
    hours: Any = None


@dataclass
class RosterResult:
    recorded: int = 0
    corrected: int = 0
    unchanged: int = 0
    completed: list[Enrollment] = field(default_factory=list)


def _hours(value: Any, session_hours: Decimal) -> Decimal:
    text = str(value if value is not None else "").strip()
    if not text:
        raise ValueError(
            f"Enter the hours attended (less than the session's {number(session_hours)})."
        )
    try:
        hours = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number of hours.") from None
    if not hours.is_finite() or hours <= 0:
        raise ValueError("Hours for part of a session must be more than 0.")
    if hours >= session_hours:
        raise ValueError(
            f"Part of the session must be less than its {number(session_hours)} hours; "
            "choose Present for the whole session."
        )
    if hours != hours.quantize(Decimal("0.01")):
        raise ValueError("Enter hours with at most two decimals, e.g. 1.5 or 1.25.")
    return hours


def _status_and_hours(mark: Mark, session_hours: Decimal) -> tuple[str, Decimal]:
    if mark.status == Status.PRESENT:
        return Status.PRESENT, session_hours
    if mark.status == Status.ABSENT:
        return Status.ABSENT, Decimal(0)
    if mark.status == Status.PARTIAL:
        return Status.PARTIAL, _hours(mark.hours, session_hours)
    raise ValueError("Choose Present, Part or Absent.")


@transaction.atomic
def record_roster(
    *, access: Any, actor: Any, session: OfferingSession, marks: Sequence[Mark]
) -> RosterResult:
    """Save the facilitator's marks for a session. Every line is checked first; one bad line
    saves nothing (details["rows"]: enrolment id → message)."""
    _require_facilitator(access, actor, session)
    if session.status == OfferingSession.Status.CANCELLED:
        raise DomainError("session_cancelled", "This session was cancelled; it has no attendance.")
    opens, _ = queries.check_in_window(session)
    if timezone.now() < opens:
        raise DomainError(
            "session_not_started",
            "Attendance can be taken from 30 minutes before the session starts "
            f"({queries.local_time(session.starts_at, access.district)}).",
        )
    holders = {str(e.public_id): e for e in _roster_enrollments(session)}
    session_hours = session.hours
    errors: dict[str, str] = {}
    planned: list[tuple[Enrollment, str, Decimal]] = []
    seen: set[str] = set()
    for mark in marks:
        key = str(mark.enrollment)
        enrollment = holders.get(key)
        if enrollment is None:
            errors[key] = "This person is not on the session's roster."
            continue
        if key in seen:
            errors[key] = "Marked twice; keep one line per person."
            continue
        seen.add(key)
        try:
            status, hours = _status_and_hours(mark, session_hours)
        except ValueError as error:
            errors[key] = str(error)
            continue
        planned.append((enrollment, status, hours))
    if errors:
        count = len(errors)
        raise DomainError(
            "bad_attendance",
            f"{count} line{'s' if count > 1 else ''} of the roster need{'' if count > 1 else 's'} "
            "attention; nothing was saved.",
            details={"rows": errors},
        )
    existing = {
        r.enrollment_id: r
        for r in AttendanceRecord.objects.select_for_update().filter(
            session=session, enrollment__in=[e.pk for e, _, _ in planned]
        )
    }
    result = RosterResult()
    for enrollment, status, hours in planned:
        record = existing.get(enrollment.pk)
        if record is None:
            AttendanceRecord.objects.create(
                enrollment=enrollment,
                session=session,
                status=status,
                hours=hours,
                method=Method.ROSTER,
                recorded_by=actor,
            )
            result.recorded += 1
            _audit_mark(access, actor, enrollment, session, "attendance.recorded", status, hours)
        elif record.status != status or record.hours != hours:
            before = {"status": record.status, "hours": str(record.hours), "method": record.method}
            record.status, record.hours = status, hours
            record.method, record.recorded_by = Method.ROSTER, actor
            record.save(update_fields=["status", "hours", "method", "recorded_by", "updated_at"])
            result.corrected += 1
            _audit_mark(
                access, actor, enrollment, session, "attendance.corrected", status, hours, before
            )
        else:
            result.unchanged += 1
            continue
        if enrollment.status == EnrollmentStatus.NO_SHOW and hours > 0:
            _reopen_no_show(access, actor, enrollment)
    for enrollment, _, _ in planned:
        if enrollment.status == EnrollmentStatus.ENROLLED:
            check = evaluate_completion(enrollment=enrollment, actor=actor)
            if check.just_completed:
                result.completed.append(enrollment)
    return result


def _roster_enrollments(session: OfferingSession) -> list[Enrollment]:
    """The roster, plus people marked as no-shows, so a mistaken no-show can be corrected."""
    return list(
        queries.seat_holders(session, queries.ROSTER_PAGE).select_related(
            "offering", "district", "educator"
        )
    )


def _reopen_no_show(access: Any, actor: Any, enrollment: Enrollment) -> None:
    Enrollment.objects.filter(pk=enrollment.pk).update(status=EnrollmentStatus.ENROLLED)
    enrollment.status = EnrollmentStatus.ENROLLED
    audit.record(
        action="enrollment.no_show_reversed",
        summary=f"Attendance recorded, so no longer a no-show for “{enrollment.offering.title}”",
        actor=actor,
        subject=enrollment.educator,
        district=access.district,
        target=enrollment,
    )


def _audit_mark(
    access: Any,
    actor: Any,
    enrollment: Enrollment,
    session: OfferingSession,
    action: str,
    status: str,
    hours: Decimal,
    before: dict | None = None,
) -> None:
    label = Status(status).label
    when = queries.local_time(session.starts_at, access.district)
    summary = f"{label} ({number(hours)} h) at “{session.offering.title}”, {when}"
    if action == "attendance.corrected":
        summary = f"Corrected to {summary}"
    audit.record(
        action=action,
        summary=summary,
        actor=actor,
        subject=enrollment.educator,
        district=access.district,
        target=enrollment,
        data={
            "session": str(session.public_id),
            "status": status,
            "hours": str(hours),
            **({"before": before} if before else {}),
        },
    )


def _require_facilitator(access: Any, actor: Any, session: OfferingSession) -> None:
    if not queries.can_take_attendance(access, actor, session):
        raise PermissionDenied(
            "Only the session's facilitator or a catalog manager can take its attendance."
        )


# --- self check-in ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckInResult:
    session: OfferingSession
    record: AttendanceRecord
    already: bool  # checked in before (or the facilitator had recorded them)
    completed: bool = False


def normalize_code(value: Any) -> str:
    """What people type: any case, with spaces or dashes."""
    return re.sub(r"[\s-]+", "", str(value or "")).upper()


def _failures_key(actor: Any) -> str:
    return f"catalog:check-in-failures:{actor.pk}"


def _check_throttle(actor: Any) -> None:
    if (cache.get(_failures_key(actor)) or 0) >= CHECK_IN_FAILURE_LIMIT:
        minutes = CHECK_IN_FAILURE_WINDOW_SECONDS // 60
        raise TooManyAttempts(
            "too_many_attempts",
            f"Too many wrong codes. Wait {minutes} minutes and try again, or ask the facilitator "
            "to mark you present.",
        )


def _record_failure(actor: Any) -> None:
    key = _failures_key(actor)
    if not cache.add(key, 1, CHECK_IN_FAILURE_WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, CHECK_IN_FAILURE_WINDOW_SECONDS)


def check_in(*, access: Any, actor: Any, code: Any) -> CheckInResult:
    """Mark the signed-in educator present for the whole session whose code they typed, inside
    the check-in window. A wrong code counts toward the throttle; nothing else does."""
    if not access.can(Perm.VIEW_OWN_LEARNING):
        raise PermissionDenied()
    _check_throttle(actor)
    typed = normalize_code(code)
    if not typed:
        raise DomainError(
            "code_required", "Enter the code shown on the screen.", details={"field": "code"}
        )
    sessions = []
    if re.fullmatch(r"[A-Z0-9]{1,12}", typed):
        sessions = list(
            OfferingSession.objects.filter(
                offering__district=access.district, check_in_code__iexact=typed
            ).select_related("offering", "offering__district")
        )
    if not sessions:
        _record_failure(actor)  # committed whatever happens next: it is the cache, not the DB
        raise DomainError(
            "unknown_code",
            f"No session has the code “{typed[:12]}”. Check the code on the screen and try "
            "again (letters and digits; capitals do not matter).",
            details={"field": "code"},
        )
    return _check_in_to(access, actor, sessions)


def _check_in_to(access: Any, actor: Any, sessions: list[OfferingSession]) -> CheckInResult:
    enrollments = list(
        Enrollment.objects.filter(
            educator=actor,
            district=access.district,
            offering__in={s.offering_id for s in sessions},
        ).select_related("offering", "district", "session")
    )
    seats = [(s, e) for s in sessions for e in enrollments if queries.holds_seat_at(e, s)]
    if not seats:
        raise DomainError("not_enrolled", _not_enrolled_message(sessions[0], enrollments, access))
    now = timezone.now()
    # Several sessions could share a code; prefer the one whose window is open now.
    seats.sort(key=lambda pair: not _window_open(pair[0], now))
    session, enrollment = seats[0]
    if session.status == OfferingSession.Status.CANCELLED:
        raise DomainError(
            "session_cancelled", f"This session of “{session.offering.title}” was cancelled."
        )
    with transaction.atomic():
        record = AttendanceRecord.objects.filter(enrollment=enrollment, session=session).first()
        if record is not None:
            return CheckInResult(session=session, record=record, already=True)
        opens, closes = queries.check_in_window(session)
        title = session.offering.title
        if now < opens:
            raise DomainError(
                "check_in_not_open",
                f"Check-in for “{title}” opens at {queries.local_time(opens, access.district)}, "
                "30 minutes before it starts.",
            )
        if now > closes:
            raise DomainError(
                "check_in_closed",
                f"“{title}” ended at {queries.local_time(closes, access.district)}, so check-in "
                "is closed. Ask the facilitator to record your attendance.",
            )
        try:
            with transaction.atomic():
                record = AttendanceRecord.objects.create(
                    enrollment=enrollment,
                    session=session,
                    status=Status.PRESENT,
                    hours=session.hours,
                    method=Method.SELF_CHECK_IN,
                    recorded_by=actor,
                )
        except IntegrityError:  # a double tap: the first one checked them in
            record = AttendanceRecord.objects.get(enrollment=enrollment, session=session)
            return CheckInResult(session=session, record=record, already=True)
        audit.record(
            action="attendance.checked_in",
            summary=f"Checked in to “{title}”, {queries.local_time(session.starts_at, access.district)}",
            actor=actor,
            subject=actor,
            district=access.district,
            target=enrollment,
            data={"session": str(session.public_id), "hours": str(record.hours)},
        )
        check = evaluate_completion(enrollment=enrollment, actor=actor)
    return CheckInResult(
        session=session, record=record, already=False, completed=check.just_completed
    )


def _window_open(session: OfferingSession, now: Any) -> bool:
    opens, closes = queries.check_in_window(session)
    return opens <= now <= closes


def _not_enrolled_message(
    session: OfferingSession, enrollments: list[Enrollment], access: Any
) -> str:
    title = session.offering.title
    statuses = {e.status for e in enrollments}
    if EnrollmentStatus.PENDING_APPROVAL in statuses:
        return (
            f"Your request for “{title}” is still waiting for approval, so you can't check in yet."
        )
    if EnrollmentStatus.WAITLISTED in statuses:
        return f"You are on the waitlist for “{title}”, so you can't check in. Ask the facilitator."
    other = next((e for e in enrollments if e.session_id and e.status in queries.ON_ROSTER), None)
    if other is not None:
        when = queries.local_time(other.session.starts_at, access.district)
        return f"You are registered for the session of “{title}” on {when}, not this one."
    return (
        f"You are not enrolled in “{title}”, so you can't check in. Ask the facilitator to add "
        "you, or request a place from the catalog."
    )


# --- the code on screen ------------------------------------------------------------------------


@transaction.atomic
def ensure_check_in_code(*, access: Any, actor: Any, session: OfferingSession) -> str:
    """The session's code, creating an unambiguous one unique in the district if it has none."""
    _require_facilitator(access, actor, session)
    if session.check_in_code:
        return session.check_in_code
    code = new_check_in_code(access.district)
    OfferingSession.objects.filter(pk=session.pk, check_in_code="").update(check_in_code=code)
    session.refresh_from_db(fields=["check_in_code"])
    audit.record(
        action="attendance.code_created",
        summary=f"Created a check-in code for “{session.offering.title}”",
        actor=actor,
        district=access.district,
        target=session,
    )
    return session.check_in_code
