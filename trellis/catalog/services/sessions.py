"""Writing sessions: add, reschedule (or otherwise edit) and cancel. Enrolments and attendance
are never touched; the people enrolled are told by e-mail when a session moves or is cancelled.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import Http404

from trellis.audit import services as audit
from trellis.catalog.models import (
    ACTIVE,
    SEAT_HOLDING,
    AttendanceRecord,
    Enrollment,
    Offering,
    OfferingSession,
    OfferingStatus,
    Registration,
)
from trellis.catalog.notify import notify
from trellis.catalog.queries.offerings import district_zone
from trellis.catalog.services.offerings import require_manager
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import Membership
from trellis.districts.queries import DistrictAccess
from trellis.notifications.models import Kind

# No 0/O or 1/I: people copy the code from a projector.
CHECK_IN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read off a screen
CHECK_IN_LENGTH = 6
MAX_SESSION = dt.timedelta(hours=24)
MAX_LOCATION = 300
MAX_LINK = 500
MAX_CAPACITY = 100000
_url = URLValidator(schemes=["http", "https"])


def new_check_in_code(district: Any) -> str:
    """A short code, unique among the district's sessions."""
    for _attempt in range(20):
        code = "".join(secrets.choice(CHECK_IN_ALPHABET) for _ in range(CHECK_IN_LENGTH))
        taken = OfferingSession.objects.filter(
            offering__district=district, check_in_code=code
        ).exists()
        if not taken:
            return code
    raise RuntimeError("Could not find a free check-in code.")  # 32**6 codes: never happens


def when_text(starts_at: dt.datetime, ends_at: dt.datetime, district: Any) -> str:
    """ "Tuesday, March 3, 2026, 9:00 AM – 12:00 PM (America/Chicago)" in the district's zone."""
    zone = district_zone(district)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)

    def clock(moment: dt.datetime) -> str:
        return moment.strftime("%I:%M %p").lstrip("0")

    day = f"{start:%A}, {start:%B} {start.day}, {start.year}"
    if end.date() != start.date():
        return f"{day}, {clock(start)} – {end:%A} {clock(end)} ({zone})"
    return f"{day}, {clock(start)} – {clock(end)} ({zone})"


def _clean(
    *,
    offering: Offering,
    starts_at: Any,
    ends_at: Any,
    location: str,
    link: str,
    capacity: Any,
    facilitator: Any,
) -> dict[str, Any]:
    if not isinstance(starts_at, dt.datetime) or starts_at.tzinfo is None:
        raise DomainError(
            "bad_start", "Give the date and time it starts.", details={"field": "starts_at"}
        )
    if not isinstance(ends_at, dt.datetime) or ends_at.tzinfo is None:
        raise DomainError("bad_end", "Give the time it ends.", details={"field": "ends_at"})
    if ends_at <= starts_at:
        raise DomainError(
            "ends_before_start",
            "The session must end after it starts.",
            details={"field": "ends_at"},
        )
    if ends_at - starts_at > MAX_SESSION:
        raise DomainError(
            "session_too_long",
            "A session lasts at most 24 hours; add one session per day for longer events.",
            details={"field": "ends_at"},
        )
    location = (location or "").strip()
    link = (link or "").strip()
    if len(location) > MAX_LOCATION:
        raise DomainError(
            "location_too_long",
            f"The place is too long: at most {MAX_LOCATION} characters.",
            details={"field": "location"},
        )
    if link:
        try:
            if len(link) > MAX_LINK:
                raise ValidationError("too long")
            _url(link)
        except ValidationError:
            raise DomainError(
                "bad_link", f"The link “{link}” is not a web address.", details={"field": "link"}
            ) from None
    if capacity in ("", None):
        capacity = None
    elif not isinstance(capacity, int) or not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            "bad_capacity",
            f"The capacity must be between 1 and {MAX_CAPACITY} seats, or empty for no limit.",
            details={"field": "capacity"},
        )
    if facilitator is not None:
        member = Membership.objects.filter(
            district_id=offering.district_id, user=facilitator, is_active=True
        ).exists()
        if not member:
            raise DomainError(
                "facilitator_not_member",
                "The facilitator must be a member of the district.",
                details={"field": "facilitator"},
            )
    return {
        "starts_at": starts_at,
        "ends_at": ends_at,
        "location": location,
        "link": link,
        "capacity": capacity,
        "facilitator": facilitator,
    }


def _own(access: DistrictAccess, offering: Offering) -> None:
    if offering.district_id != access.district.pk:
        raise Http404("No such offering.")


@transaction.atomic
def add_session(
    *,
    access: DistrictAccess,
    actor: Any,
    offering: Offering,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    link: str = "",
    capacity: int | None = None,
    facilitator: Any = None,
) -> OfferingSession:
    require_manager(access)
    _own(access, offering)
    if offering.status == OfferingStatus.RETIRED:
        raise ConflictError(
            "offering_retired", "This offering is retired: copy it to schedule a new run."
        )
    clean = _clean(
        offering=offering,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        link=link,
        capacity=capacity,
        facilitator=facilitator,
    )
    session = OfferingSession.objects.create(
        offering=offering, check_in_code=new_check_in_code(access.district), **clean
    )
    audit.record(
        action="session.created",
        summary=f"Added a session of “{offering.title}”: "
        f"{when_text(session.starts_at, session.ends_at, access.district)}",
        actor=actor,
        district=access.district,
        target=session,
        data={"offering": str(offering.public_id)},
    )
    return session


def _people_to_tell(session: OfferingSession) -> list[Any]:
    """Everyone with a live enrolment (seat or waitlist) the session concerns."""
    enrolments = Enrollment.objects.filter(offering_id=session.offering_id, status__in=ACTIVE)
    if session.offering.registration == Registration.ONE_SESSION:
        enrolments = enrolments.filter(session=session)
    return [e.educator for e in enrolments.select_related("educator").order_by("pk")]


@transaction.atomic
def reschedule_session(
    *,
    access: DistrictAccess,
    actor: Any,
    session: OfferingSession,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    link: str = "",
    capacity: int | None = None,
    facilitator: Any = None,
) -> OfferingSession:
    """Change a session's time, place, seats or facilitator. Enrolments and attendance stay;
    when the time or place changes, everyone enrolled is told."""
    require_manager(access)
    session = (
        OfferingSession.objects.select_for_update().select_related("offering").get(pk=session.pk)
    )
    offering = session.offering
    _own(access, offering)
    if session.status == OfferingSession.Status.CANCELLED:
        raise ConflictError(
            "session_cancelled", "This session is cancelled; add a new one instead."
        )
    clean = _clean(
        offering=offering,
        starts_at=starts_at,
        ends_at=ends_at,
        location=location,
        link=link,
        capacity=capacity,
        facilitator=facilitator,
    )
    if clean["capacity"] is not None:
        taken = Enrollment.objects.filter(session=session, status__in=SEAT_HOLDING).count()
        if clean["capacity"] < taken:
            raise ConflictError(
                "capacity_below_taken",
                f"{taken} people hold a seat in this session, so its capacity cannot be less "
                f"than {taken}.",
                details={"field": "capacity"},
            )
    before = {name: getattr(session, name) for name in clean}
    old_when = when_text(session.starts_at, session.ends_at, access.district)
    for name, value in clean.items():
        setattr(session, name, value)
    changed = [name for name in clean if before[name] != getattr(session, name)]
    if not changed:
        return session
    session.save()
    moved = {"starts_at", "ends_at", "location", "link"} & set(changed)
    new_when = when_text(session.starts_at, session.ends_at, access.district)
    audit.record(
        action="session.rescheduled" if moved else "session.updated",
        summary=f"“{offering.title}”: session of {old_when} "
        + (f"moved to {new_when}" if moved else "edited"),
        actor=actor,
        district=access.district,
        target=session,
        data={"changed": changed, "offering": str(offering.public_id)},
    )
    if moved:
        place = session.location or session.link or offering.location or offering.link
        lines = [
            f"A session of “{offering.title}” has changed.",
            f"Was: {old_when}.",
            f"Now: {new_when}" + (f", {place}." if place else "."),
            "Your enrolment stays as it is. If you can no longer come, withdraw on the "
            "offering page so someone on the waitlist can have your seat.",
        ]
        for person in _people_to_tell(session):
            notify(
                person,
                kind=Kind.SESSION_UPCOMING,
                district=access.district,
                subject=f"{offering.title}: a session has moved",
                lines=lines,
                path=f"/catalog/{offering.public_id}/",
            )
    return session


@transaction.atomic
def cancel_session(
    *, access: DistrictAccess, actor: Any, session: OfferingSession, reason: str = ""
) -> OfferingSession:
    """Cancel a session that has no attendance yet; enrolments stay, everyone enrolled is told."""
    require_manager(access)
    session = (
        OfferingSession.objects.select_for_update().select_related("offering").get(pk=session.pk)
    )
    offering = session.offering
    _own(access, offering)
    if session.status == OfferingSession.Status.CANCELLED:
        raise ConflictError("session_cancelled", "This session is already cancelled.")
    if AttendanceRecord.objects.filter(session=session).exists():
        raise ConflictError(
            "session_has_attendance",
            "Attendance was already taken for this session, so it cannot be cancelled.",
        )
    reason = " ".join((reason or "").split())[:500]
    session.status = OfferingSession.Status.CANCELLED
    session.save(update_fields=["status", "updated_at"])
    when = when_text(session.starts_at, session.ends_at, access.district)
    audit.record(
        action="session.cancelled",
        summary=f"Cancelled the session of “{offering.title}” on {when}",
        actor=actor,
        district=access.district,
        target=session,
        data={"offering": str(offering.public_id), "reason": reason},
    )
    lines = [f"The session of “{offering.title}” on {when} is cancelled."]
    if reason:
        lines.append(f"Reason: {reason}")
    if offering.registration == Registration.ONE_SESSION:
        lines.append("Your enrolment stays; choose another date on the offering page.")
    else:
        lines.append("Your enrolment in the other sessions stays as it is.")
    for person in _people_to_tell(session):
        notify(
            person,
            kind=Kind.SESSION_UPCOMING,
            district=access.district,
            subject=f"{offering.title}: a session is cancelled",
            lines=lines,
            path=f"/catalog/{offering.public_id}/",
        )
    return session
