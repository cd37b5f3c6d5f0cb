"""Reads about attendance: the sessions a person facilitates, a session's roster, which sessions an
enrolment covers and how many of their hours were attended. Always scoped to the district."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import dateformat, timezone

from trellis.catalog.models import (
    AttendanceRecord,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    Registration,
)
from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm

# Self check-in opens this long before a session starts and closes when it ends.
CHECK_IN_OPENS_BEFORE = dt.timedelta(minutes=30)
# Enrolments on a roster: confirmed seats (a completed enrolment stays on it, to correct).
ON_ROSTER = (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED)
# The roster page also lists no-shows, so a mistaken no-show can be corrected.
ROSTER_PAGE = (*ON_ROSTER, EnrollmentStatus.NO_SHOW)
WHEN_CHOICES = (("upcoming", "Upcoming and today"), ("recent", "Recent"))


def local_time(value: dt.datetime, district: Any) -> str:
    """A moment as people of the district read it, e.g. “Tue Sep. 9, 9:30 a.m.”."""
    return dateformat.format(value.astimezone(zoneinfo.ZoneInfo(district.timezone)), "D N j, P")


def local_date(value: dt.datetime, district: Any) -> dt.date:
    return value.astimezone(zoneinfo.ZoneInfo(district.timezone)).date()


def check_in_window(session: OfferingSession) -> tuple[dt.datetime, dt.datetime]:
    return session.starts_at - CHECK_IN_OPENS_BEFORE, session.ends_at


def can_take_attendance(access: Any, user: Any, session: OfferingSession) -> bool:
    """The session's facilitator, or a catalog manager of the session's district."""
    if session.offering.district_id != access.district.pk:
        return False
    return session.facilitator_id == getattr(user, "pk", None) or access.can(Perm.MANAGE_CATALOG)


def get_session(access: Any, public_id: Any) -> OfferingSession:
    session = (
        OfferingSession.objects.select_related("offering", "facilitator")
        .filter(
            offering__district=access.district, public_id=public_id_or_404(public_id, "session")
        )
        .first()
    )
    if session is None:
        raise Http404("No such session.")
    return session


def get_session_to_facilitate(access: Any, user: Any, public_id: Any) -> OfferingSession:
    """The session if the user may take its attendance; 404 across districts, 403 otherwise."""
    session = get_session(access, public_id)
    if not can_take_attendance(access, user, session):
        raise PermissionDenied("Only the session's facilitator or a catalog manager can do that.")
    return session


def get_own_enrollment(access: Any, user: Any, public_id: Any) -> Enrollment:
    """One of the user's own enrolments; anybody else's is reported missing."""
    enrollment = (
        Enrollment.objects.select_related("offering", "session")
        .filter(
            district=access.district,
            educator=user,
            public_id=public_id_or_404(public_id, "enrolment"),
        )
        .first()
    )
    if enrollment is None:
        raise Http404("No such enrolment.")
    return enrollment


def seat_holders(
    session: OfferingSession, statuses: Iterable[str] = ON_ROSTER
) -> QuerySet[Enrollment]:
    """Enrolments holding a confirmed seat at this session."""
    holders = Enrollment.objects.filter(offering_id=session.offering_id, status__in=list(statuses))
    if session.offering.registration == Registration.ONE_SESSION:
        holders = holders.filter(session=session)
    return holders


def holds_seat_at(enrollment: Enrollment, session: OfferingSession) -> bool:
    if enrollment.offering_id != session.offering_id or enrollment.status not in ON_ROSTER:
        return False
    if enrollment.offering.registration == Registration.ONE_SESSION:
        return enrollment.session_id == session.pk
    return True


def covered_sessions(enrollment: Enrollment) -> list[OfferingSession]:
    """The scheduled (not cancelled) sessions this enrolment is for: all of a whole-offering
    registration, or the chosen one."""
    offering = enrollment.offering
    if offering.registration == Registration.ONE_SESSION and enrollment.session_id:
        session = enrollment.session
        return [session] if session.status == OfferingSession.Status.SCHEDULED else []
    return list(offering.sessions.filter(status=OfferingSession.Status.SCHEDULED))


def has_sessions(offering: Offering) -> bool:
    """Offerings with no sessions at all (self-paced, online, external) are finished by the
    educator's own word rather than by attendance."""
    return offering.sessions.exists()


@dataclass(frozen=True)
class Attendance:
    scheduled_hours: Decimal
    attended_hours: Decimal
    last_attended: dt.datetime | None  # start of the last session with hours attended
    unrecorded: int  # covered sessions with nothing recorded for the person yet

    @property
    def percent(self) -> Decimal | None:
        if not self.scheduled_hours:
            return None
        return (self.attended_hours * 100 / self.scheduled_hours).quantize(Decimal("0.1"))


def attendance_of(enrollment: Enrollment) -> Attendance:
    sessions = covered_sessions(enrollment)
    records = {
        r.session_id: r
        for r in AttendanceRecord.objects.filter(
            enrollment=enrollment, session__in=[s.pk for s in sessions]
        )
    }
    attended = [s for s in sessions if s.pk in records and records[s.pk].hours > 0]
    return Attendance(
        scheduled_hours=sum((s.hours for s in sessions), Decimal(0)),
        attended_hours=sum((records[s.pk].hours for s in attended), Decimal(0)),
        last_attended=max((s.starts_at for s in attended), default=None),
        unrecorded=sum(1 for s in sessions if s.pk not in records),
    )


@dataclass(frozen=True)
class RosterRow:
    enrollment: Enrollment
    record: AttendanceRecord | None


def roster(session: OfferingSession) -> list[RosterRow]:
    """Everyone with a seat at the session (and its no-shows), by name, with what is recorded
    for them."""
    holders = list(
        seat_holders(session, ROSTER_PAGE)
        .select_related("educator", "school", "offering", "district")
        .order_by("educator__full_name", "id")
    )
    records = {
        r.enrollment_id: r
        for r in AttendanceRecord.objects.filter(
            session=session, enrollment__in=[e.pk for e in holders]
        ).select_related("recorded_by")
    }
    return [RosterRow(enrollment=e, record=records.get(e.pk)) for e in holders]


def facilitated_sessions(
    access: Any, user: Any, *, when: str = "upcoming", mine_only: bool = False, text: str = ""
) -> QuerySet[OfferingSession]:
    """Sessions the user facilitates; a catalog manager sees every session of the district
    unless `mine_only`. Upcoming (not yet ended) soonest first, or recent most recent first."""
    sessions = OfferingSession.objects.filter(offering__district=access.district).select_related(
        "offering", "facilitator"
    )
    if mine_only or not access.can(Perm.MANAGE_CATALOG):
        sessions = sessions.filter(facilitator=user)
    if text:
        sessions = sessions.filter(offering__title__icontains=text)
    now = timezone.now()
    if when == "recent":
        return sessions.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return sessions.filter(ends_at__gte=now).order_by("starts_at", "id")


def facilitates_any(access: Any, user: Any) -> bool:
    return OfferingSession.objects.filter(
        offering__district=access.district, facilitator=user
    ).exists()


@dataclass(frozen=True)
class SessionRow:
    session: OfferingSession
    seats: int
    marked: int  # attendance records taken at the session

    @property
    def can_check_in_now(self) -> bool:
        opens, closes = check_in_window(self.session)
        return opens <= timezone.now() <= closes


def session_rows(sessions: Iterable[OfferingSession]) -> list[SessionRow]:
    """A page of sessions with their seat and attendance counts, in three queries whatever the
    page size."""
    sessions = list(sessions)
    whole_offerings = {
        s.offering_id for s in sessions if s.offering.registration != Registration.ONE_SESSION
    }
    per_session = [s.pk for s in sessions if s.offering.registration == Registration.ONE_SESSION]
    by_offering = dict(
        Enrollment.objects.filter(offering_id__in=whole_offerings, status__in=ON_ROSTER)
        .values_list("offering_id")
        .annotate(n=Count("id"))
    )
    by_session = dict(
        Enrollment.objects.filter(session_id__in=per_session, status__in=ON_ROSTER)
        .values_list("session_id")
        .annotate(n=Count("id"))
    )
    marked = dict(
        AttendanceRecord.objects.filter(session__in=[s.pk for s in sessions])
        .values_list("session_id")
        .annotate(n=Count("id", filter=Q(enrollment__status__in=ON_ROSTER)))
    )
    return [
        SessionRow(
            session=s,
            seats=by_session.get(s.pk, 0)
            if s.offering.registration == Registration.ONE_SESSION
            else by_offering.get(s.offering_id, 0),
            marked=marked.get(s.pk, 0),
        )
        for s in sessions
    ]


def no_show_candidates(offering: Offering) -> list[Enrollment]:
    """Enrolled people whose sessions have all ended and who attended none of them."""
    now = timezone.now()
    scheduled = list(offering.sessions.filter(status=OfferingSession.Status.SCHEDULED))
    if not scheduled:
        return []
    enrollments = list(
        Enrollment.objects.filter(
            offering=offering, status=EnrollmentStatus.ENROLLED
        ).select_related("educator", "session")
    )
    attended = set(
        AttendanceRecord.objects.filter(
            enrollment__in=[e.pk for e in enrollments], hours__gt=0
        ).values_list("enrollment_id", flat=True)
    )
    last_end = max(s.ends_at for s in scheduled)
    candidates = []
    for enrollment in enrollments:
        if enrollment.pk in attended:
            continue
        if offering.registration == Registration.ONE_SESSION and enrollment.session_id:
            session = enrollment.session
            if session.status != OfferingSession.Status.SCHEDULED or session.ends_at >= now:
                continue
        elif last_end >= now:
            continue
        candidates.append(enrollment)
    return candidates
