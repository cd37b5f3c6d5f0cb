"""Reads about enrolments: seats and the waitlist, whether a request is open, the enrolment panel
of the offering page, the educator's "My learning", an offering's enrolments for managers and
the sessions of the iCalendar feed. Always scoped to the caller's district."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from trellis.catalog.models import (
    ACTIVE,
    SEAT_HOLDING,
    ApprovalStep,
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    OfferingStatus,
    Registration,
)
from trellis.catalog.queries.approvals import (
    approver_label,
    condition_reason,
    educator_school,
    effective_rules,
    plan_steps,
    principal_school,
    step_label,
)
from trellis.core.ids import public_id_or_404
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess

# Statuses whose sessions belong in the educator's calendar.
CALENDAR_STATUSES = (
    EnrollmentStatus.PENDING_APPROVAL,
    EnrollmentStatus.ENROLLED,
    EnrollmentStatus.COMPLETED,
)
CLOSED = (EnrollmentStatus.DENIED, EnrollmentStatus.WITHDRAWN, EnrollmentStatus.NO_SHOW)

CapacityOwner = Offering | OfferingSession


def when(moment: dt.datetime | None, district: Any) -> str:
    """A date and time as people of the district read it: "Tue Mar 3, 2026, 4:00 PM CST"."""
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(district.timezone))
    hour = local.strftime("%I:%M %p").lstrip("0")
    return f"{local:%a %b} {local.day}, {local.year}, {hour} {local.tzname()}"


# ---------------------------------------------------------------------------------------------
# seats
# ---------------------------------------------------------------------------------------------


def capacity_owner(offering: Offering, session: OfferingSession | None) -> CapacityOwner:
    """The row whose capacity an enrolment takes: the chosen session when the offering registers
    per session, the offering otherwise."""
    if offering.registration == Registration.ONE_SESSION and session is not None:
        return session
    return offering


def owner_of(enrollment: Enrollment) -> CapacityOwner:
    return enrollment.session if enrollment.session_id else enrollment.offering


def _holders(owner: CapacityOwner) -> QuerySet[Enrollment]:
    if isinstance(owner, OfferingSession):
        return Enrollment.objects.filter(session=owner)
    return Enrollment.objects.filter(offering=owner)


def seats_taken(owner: CapacityOwner) -> int:
    return _holders(owner).filter(status__in=SEAT_HOLDING).count()


def seats_left(owner: CapacityOwner) -> int | None:
    """Free seats; None when the owner has no limit."""
    if owner.capacity is None:
        return None
    return max(owner.capacity - seats_taken(owner), 0)


def waitlist(owner: CapacityOwner) -> QuerySet[Enrollment]:
    """The owner's waitlist, first come first served."""
    return (
        _holders(owner).filter(status=EnrollmentStatus.WAITLISTED).order_by("waitlisted_at", "id")
    )


def waitlist_positions(enrollments: list[Enrollment]) -> dict[int, int]:
    """enrollment pk → place on its waitlist (1 = next), in one query for all of them."""
    waiting = [e for e in enrollments if e.status == EnrollmentStatus.WAITLISTED]
    if not waiting:
        return {}
    rows = (
        Enrollment.objects.filter(
            offering_id__in={e.offering_id for e in waiting}, status=EnrollmentStatus.WAITLISTED
        )
        .order_by("waitlisted_at", "id")
        .values_list("pk", "offering_id", "session_id")
    )
    counters: dict[tuple[int, int | None], int] = {}
    places: dict[int, int] = {}
    for pk, offering_id, session_id in rows:
        key = (offering_id, session_id)
        counters[key] = counters.get(key, 0) + 1
        places[pk] = counters[key]
    return {e.pk: places[e.pk] for e in waiting if e.pk in places}


def session_seats(sessions: list[OfferingSession]) -> dict[int, int | None]:
    """session pk → free seats (None: no limit), one query for all sessions."""
    taken = dict(
        Enrollment.objects.filter(session__in=sessions, status__in=SEAT_HOLDING)
        .values("session_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("session_id", "n")
    )
    return {
        s.pk: None if s.capacity is None else max(s.capacity - taken.get(s.pk, 0), 0)
        for s in sessions
    }


# ---------------------------------------------------------------------------------------------
# is the offering open?
# ---------------------------------------------------------------------------------------------


def upcoming_sessions(sessions: list[OfferingSession], now: dt.datetime) -> list[OfferingSession]:
    return [
        s for s in sessions if s.status == OfferingSession.Status.SCHEDULED and s.starts_at > now
    ]


def closed_reason(offering: Offering, sessions: list[OfferingSession], now: dt.datetime) -> str:
    """Why nobody can ask to enrol in this offering now ("" when it is open)."""
    if offering.status != OfferingStatus.PUBLISHED:
        return (
            f"“{offering.title}” is {offering.get_status_display().lower()}, not published, "
            "so it is not open for enrolment."
        )
    if not offering.enrolment_opens:
        return f"“{offering.title}” is listed for information only; enrolment is not open."
    if offering.registration == Registration.ONE_SESSION and not upcoming_sessions(sessions, now):
        return f"“{offering.title}” has no upcoming session to choose."
    if sessions and not upcoming_sessions(sessions, now):
        return f"“{offering.title}” has no upcoming sessions: it has already taken place."
    return ""


def session_problem(
    offering: Offering, session: OfferingSession | None, now: dt.datetime
) -> tuple[str, str] | None:
    """(code, message) when the session choice does not fit the offering, else None."""
    district = offering.district
    if offering.registration != Registration.ONE_SESSION:
        if session is not None:
            return (
                "session_not_needed",
                f"“{offering.title}” is one registration for all of its sessions; "
                "do not choose a session.",
            )
        return None
    if session is None:
        return "session_required", f"Choose one of the sessions of “{offering.title}”."
    if session.offering_id != offering.pk:
        return "unknown_session", f"That session is not one of the sessions of “{offering.title}”."
    if session.status != OfferingSession.Status.SCHEDULED:
        return (
            "session_cancelled",
            f"The session of {when(session.starts_at, district)} is cancelled; choose another.",
        )
    if session.starts_at <= now:
        return (
            "session_past",
            f"The session of {when(session.starts_at, district)} has already started; "
            "choose a later one.",
        )
    return None


def get_requestable_offering(access: DistrictAccess, public_id: Any) -> Offering:
    """An offering of the district the caller may see (drafts only for catalog managers)."""
    offerings = Offering.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "offering")
    ).select_related("district")
    if not access.can(Perm.MANAGE_CATALOG):
        offerings = offerings.filter(status=OfferingStatus.PUBLISHED)
    found = offerings.first()
    if found is None:
        raise Http404("No such offering.")
    return found


def get_offering_session(offering: Offering, public_id: Any) -> OfferingSession | None:
    """A session of this offering by public id; None when it is not one of them."""
    try:
        key = public_id_or_404(public_id, "session")
    except Http404:
        return None
    return OfferingSession.objects.filter(offering=offering, public_id=key).first()


# ---------------------------------------------------------------------------------------------
# one enrolment
# ---------------------------------------------------------------------------------------------


def _with_steps(enrollments: QuerySet[Enrollment]) -> QuerySet[Enrollment]:
    return enrollments.select_related(
        "offering", "offering__district", "session", "school", "educator"
    ).prefetch_related(
        Prefetch(
            "approval_steps",
            ApprovalStep.objects.select_related("school", "decided_by").order_by("position"),
        )
    )


def get_enrollment(access: DistrictAccess, public_id: Any) -> Enrollment:
    """Any enrolment of the district (for approvers and managers; checks stay in services)."""
    found = (
        _with_steps(Enrollment.objects.filter(district=access.district))
        .filter(public_id=public_id_or_404(public_id, "enrolment"))
        .first()
    )
    if found is None:
        raise Http404("No such enrolment.")
    return found


def get_own_enrollment(access: DistrictAccess, user: Any, public_id: Any) -> Enrollment:
    found = (
        _with_steps(Enrollment.objects.filter(district=access.district, educator=user))
        .filter(public_id=public_id_or_404(public_id, "enrolment"))
        .first()
    )
    if found is None:
        raise Http404("No such enrolment.")
    return found


def enrollments_for(access: DistrictAccess, user: Any, *, status: str = "") -> QuerySet:
    found = Enrollment.objects.filter(district=access.district, educator=user)
    if status:
        found = found.filter(status=status)
    return _with_steps(found).order_by("-requested_at", "-id")


def pending_step(enrollment: Enrollment) -> ApprovalStep | None:
    return next(
        (s for s in enrollment.approval_steps.all() if s.status == ApprovalStep.Status.PENDING),
        None,
    )


def waiting_for(enrollment: Enrollment) -> str:
    step = pending_step(enrollment)
    return step_label(step) if step else ""


# ---------------------------------------------------------------------------------------------
# the enrolment panel of the offering page
# ---------------------------------------------------------------------------------------------


@dataclass
class SessionChoice:
    session: OfferingSession
    label: str
    seats_left: int | None
    full: bool


@dataclass
class EnrolmentPanel:
    offering: Offering
    enrollment: Enrollment | None = None  # the viewer's live enrolment, if any
    last_closed: Enrollment | None = None  # their latest withdrawn/denied one, for context
    waiting_for: str = ""
    pending_due: dt.datetime | None = None
    waitlist_position: int | None = None
    can_request: bool = False
    closed_reason: str = ""
    needs_session: bool = False
    session_choices: list[SessionChoice] = field(default_factory=list)
    seats_left: int | None = None  # whole-offering registration
    full: bool = False
    waitlist_enabled: bool = True
    approvals: list[str] = field(default_factory=list)  # "your principal (…), because …"
    can_withdraw: bool = False

    @property
    def will_be_waitlisted(self) -> bool:
        return self.full and self.waitlist_enabled and not self.needs_session


def _approvals_preview(district: Any, user: Any, offering: Offering) -> list[str]:
    school = educator_school(district, user)
    planned = plan_steps(
        effective_rules(district), offering, principal_school(district, user, school)
    )
    lines = []
    for step in planned:
        who = (
            f"your principal ({step.school.name})"
            if step.school is not None
            else approver_label(step.approver, None)
        )
        lines.append(f"{who}, because {condition_reason(step.reason_required, offering)}")
    return lines


def enrolment_panel(*, access: DistrictAccess, user: Any, offering: Offering) -> dict[str, Any]:
    """Context for `catalog/_enrolment_panel.html` on the offering page: `{"panel": …}`."""
    now = timezone.now()
    district = access.district
    mine = list(
        _with_steps(Enrollment.objects.filter(offering=offering, educator=user)).order_by(
            "-requested_at", "-id"
        )[:5]
    )
    live = next((e for e in mine if e.status in ACTIVE), None)
    panel = EnrolmentPanel(
        offering=offering,
        enrollment=live,
        last_closed=None if live else next((e for e in mine if e.status in CLOSED), None),
        waitlist_enabled=offering.waitlist_enabled,
        needs_session=offering.registration == Registration.ONE_SESSION,
    )
    if live is not None:
        step = pending_step(live)
        panel.waiting_for = step_label(step) if step else ""
        panel.pending_due = step.due_at if step else None
        panel.waitlist_position = waitlist_positions([live]).get(live.pk)
        panel.can_withdraw = live.status != EnrollmentStatus.COMPLETED
        return {"panel": panel}
    sessions = list(offering.sessions.all())
    panel.closed_reason = closed_reason(offering, sessions, now)
    if not access.can(Perm.VIEW_CATALOG):
        panel.closed_reason = panel.closed_reason or "Your role here cannot enrol in offerings."
    if panel.needs_session:
        choices = upcoming_sessions(sessions, now)
        seats = session_seats(choices)
        panel.session_choices = [
            SessionChoice(
                session=s,
                label=when(s.starts_at, district) + (f", {s.location}" if s.location else ""),
                seats_left=seats[s.pk],
                full=seats[s.pk] == 0,
            )
            for s in choices
        ]
        panel.full = bool(choices) and all(c.full for c in panel.session_choices)
    else:
        panel.seats_left = seats_left(offering)
        panel.full = panel.seats_left == 0
    if panel.full and not offering.waitlist_enabled and not panel.closed_reason:
        panel.closed_reason = f"“{offering.title}” is full and has no waitlist."
    panel.can_request = not panel.closed_reason
    if panel.can_request:
        panel.approvals = _approvals_preview(district, user, offering)
    return {"panel": panel}


# ---------------------------------------------------------------------------------------------
# My learning
# ---------------------------------------------------------------------------------------------


@dataclass
class LearningItem:
    enrollment: Enrollment
    sessions: list[OfferingSession]  # the sessions it covers
    next_session: OfferingSession | None = None
    waiting_for: str = ""
    due_at: dt.datetime | None = None
    waitlist_position: int | None = None


@dataclass
class MyLearning:
    upcoming: list[LearningItem]
    waiting: list[LearningItem]
    waitlisted: list[LearningItem]
    to_finish: list[LearningItem]  # enrolled, every session over: attendance and completion next
    live_count: int


def sessions_of(enrollment: Enrollment) -> list[OfferingSession]:
    """The sessions an enrolment covers: the chosen one, or all of the offering's."""
    if enrollment.session_id:
        return [enrollment.session]
    return list(enrollment.offering.sessions.all())


def my_learning(access: DistrictAccess, user: Any) -> MyLearning:
    """The live enrolments (pending, waitlisted, enrolled), grouped; the closed ones are paged
    separately by `completed_enrollments` and `past_enrollments`."""
    now = timezone.now()
    live = list(
        _with_steps(
            Enrollment.objects.filter(
                district=access.district,
                educator=user,
                status__in=[
                    EnrollmentStatus.PENDING_APPROVAL,
                    EnrollmentStatus.WAITLISTED,
                    EnrollmentStatus.ENROLLED,
                ],
            )
        )
        .prefetch_related(
            Prefetch("offering__sessions", OfferingSession.objects.order_by("starts_at", "id"))
        )
        .order_by("requested_at", "id")
    )
    places = waitlist_positions(live)
    result = MyLearning(upcoming=[], waiting=[], waitlisted=[], to_finish=[], live_count=len(live))
    for enrollment in live:
        sessions = sessions_of(enrollment)
        ahead = upcoming_sessions(sessions, now)
        step = pending_step(enrollment)
        item = LearningItem(
            enrollment=enrollment,
            sessions=sessions,
            next_session=ahead[0] if ahead else None,
            waiting_for=step_label(step) if step else "",
            due_at=step.due_at if step else None,
            waitlist_position=places.get(enrollment.pk),
        )
        if enrollment.status == EnrollmentStatus.PENDING_APPROVAL:
            result.waiting.append(item)
        elif enrollment.status == EnrollmentStatus.WAITLISTED:
            result.waitlisted.append(item)
        elif ahead or not [s for s in sessions if s.status == OfferingSession.Status.SCHEDULED]:
            result.upcoming.append(item)  # sessions ahead, or self-paced (no sessions)
        else:
            result.to_finish.append(item)
    result.upcoming.sort(
        key=lambda i: (i.next_session is None, i.next_session.starts_at if i.next_session else now)
    )
    return result


def completed_enrollments(access: DistrictAccess, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(
            district=access.district, educator=user, status=EnrollmentStatus.COMPLETED
        )
        .select_related("offering", "session")
        .order_by("-completed_at", "-id")
    )


def past_enrollments(access: DistrictAccess, user: Any) -> QuerySet[Enrollment]:
    return (
        Enrollment.objects.filter(district=access.district, educator=user, status__in=CLOSED)
        .select_related("offering", "session")
        .order_by("-requested_at", "-id")
    )


# ---------------------------------------------------------------------------------------------
# managers: an offering's enrolments
# ---------------------------------------------------------------------------------------------


def offering_enrollments(
    access: DistrictAccess, offering: Offering, *, status: str = ""
) -> QuerySet[Enrollment]:
    if offering.district_id != access.district.pk:
        raise Http404("No such offering.")
    found = Enrollment.objects.filter(offering=offering)
    if status:
        found = found.filter(status=status)
    return found.select_related("educator", "school", "session").order_by(
        "status", "waitlisted_at", "requested_at", "id"
    )


def status_counts(offering: Offering) -> dict[str, int]:
    counts = dict(
        Enrollment.objects.filter(offering=offering)
        .values("status")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("status", "n")
    )
    return {value: counts.get(value, 0) for value in EnrollmentStatus.values}


# ---------------------------------------------------------------------------------------------
# the calendar feed
# ---------------------------------------------------------------------------------------------


def calendar_enrollments(district: Any, user: Any) -> list[Enrollment]:
    """Enrolments whose sessions go in the educator's calendar, sessions loaded."""
    return list(
        Enrollment.objects.filter(district=district, educator=user, status__in=CALENDAR_STATUSES)
        .select_related("offering", "session")
        .prefetch_related(
            Prefetch("offering__sessions", OfferingSession.objects.order_by("starts_at", "id"))
        )
        .order_by("requested_at", "id")
    )
