"""Completion: the district's policy, judging whether an enrolment has met it, awarding the credit
it earns, the educator's reflection or “I finished it”, and no-shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.catalog import credentialing
from trellis.catalog.models import (
    CompletionPolicy,
    Enrollment,
    EnrollmentStatus,
    Offering,
    SurveyPhase,
    SurveyQuestion,
    SurveyResponse,
)
from trellis.catalog.notify import notify
from trellis.catalog.queries import attendance as queries
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.credit.models import CreditSource
from trellis.credit.rules import Unit
from trellis.credit.rules.wording import amount as amount_text
from trellis.credit.rules.wording import number
from trellis.credit.services import award_credit
from trellis.districts.permissions import Perm, require
from trellis.notifications.models import Kind

# Units that measure time: an enrolment earns the hours it attended, up to the offering's credit.
HOUR_UNITS = frozenset({Unit.CLOCK_HOUR, Unit.CPE_HOUR, Unit.CTLE_HOUR})
MAX_REFLECTION = 4000
MAX_FOLLOW_UP_WEEKS = 52


def policy_for(district: Any) -> CompletionPolicy:
    """The district's completion policy, created with the defaults on first use."""
    policy, _ = CompletionPolicy.objects.get_or_create(district=district)
    return policy


def _whole_number(value: Any, *, field: str, label: str, low: int, high: int) -> int:
    if isinstance(value, bool):
        value = None
    try:
        number_ = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(
            f"bad_{field}", f"Enter the {label} as a whole number.", details={"field": field}
        ) from None
    if not low <= number_ <= high:
        raise DomainError(
            f"bad_{field}",
            f"The {label} must be between {low} and {high} ({number_} given).",
            details={"field": field},
        )
    return number_


@transaction.atomic
def update_policy(
    *,
    access: Any,
    actor: Any,
    min_attendance_percent: Any,
    require_survey: bool,
    require_reflection: bool,
    follow_up_weeks: Any,
) -> CompletionPolicy:
    require(access, Perm.MANAGE_CREDIT)
    percent = _whole_number(
        min_attendance_percent,
        field="min_attendance_percent",
        label="attendance needed (%)",
        low=0,
        high=100,
    )
    weeks = _whole_number(
        follow_up_weeks,
        field="follow_up_weeks",
        label="weeks before the follow-up survey",
        low=0,
        high=MAX_FOLLOW_UP_WEEKS,
    )
    policy = CompletionPolicy.objects.select_for_update().get(pk=policy_for(access.district).pk)
    before = _policy_data(policy)
    policy.min_attendance_percent = percent
    policy.require_survey = bool(require_survey)
    policy.require_reflection = bool(require_reflection)
    policy.follow_up_weeks = weeks
    policy.updated_by = actor
    policy.save()
    after = _policy_data(policy)
    if after != before:
        audit.record(
            action="completion.policy_updated",
            summary="Changed what completing an offering requires",
            actor=actor,
            district=access.district,
            target=policy,
            target_label="Completion policy",
            data={"before": before, "after": after},
        )
    return policy


def _policy_data(policy: CompletionPolicy) -> dict[str, Any]:
    return {
        "min_attendance_percent": policy.min_attendance_percent,
        "require_survey": policy.require_survey,
        "require_reflection": policy.require_reflection,
        "follow_up_weeks": policy.follow_up_weeks,
    }


@dataclass(frozen=True)
class Requirement:
    key: str  # attendance, finished, survey, reflection
    label: str
    met: bool
    detail: str


@dataclass(frozen=True)
class CompletionCheck:
    """What completing an enrolment needs, what is done, and what is still missing."""

    enrollment: Enrollment
    policy: CompletionPolicy
    has_sessions: bool
    attendance: queries.Attendance | None
    requirements: list[Requirement] = field(default_factory=list)
    just_completed: bool = False

    @property
    def missing(self) -> list[Requirement]:
        return [r for r in self.requirements if not r.met]

    @property
    def completed(self) -> bool:
        return self.enrollment.status == EnrollmentStatus.COMPLETED


def survey_required(policy: CompletionPolicy, district: Any) -> bool:
    """The survey counts when the district requires it and has questions to ask (a district
    with no questions yet gets the standard ones on first use, so it counts then too)."""
    if not policy.require_survey:
        return False
    active = list(
        SurveyQuestion.objects.filter(district=district, phase=SurveyPhase.AFTER).values_list(
            "is_active", flat=True
        )
    )
    return not active or any(active)


def reflection_required(policy: CompletionPolicy, offering: Offering) -> bool:
    return policy.require_reflection or offering.requires_reflection


def completion_check(
    enrollment: Enrollment, *, policy: CompletionPolicy | None = None, finished: bool = False
) -> CompletionCheck:
    """Judge the enrolment against the policy (reads only). `finished` is the educator saying
    they finished an offering that has no sessions."""
    policy = policy or policy_for(enrollment.district)
    offering = enrollment.offering
    surveyed = SurveyResponse.objects.filter(
        enrollment=enrollment, phase=SurveyPhase.AFTER
    ).exists()
    with_sessions = queries.has_sessions(offering)
    attendance = queries.attendance_of(enrollment) if with_sessions else None
    requirements = [
        _attendance_requirement(enrollment, policy, attendance)
        if attendance is not None
        else Requirement(
            key="finished",
            label="Finished the activity",
            met=finished or surveyed or enrollment.status == EnrollmentStatus.COMPLETED,
            detail="Tell us you have finished it on this page.",
        )
    ]
    if survey_required(policy, enrollment.district_id):
        requirements.append(
            Requirement(
                key="survey",
                label="Feedback survey",
                met=surveyed,
                detail="Submitted." if surveyed else "Answer the short feedback survey.",
            )
        )
    if reflection_required(policy, offering):
        written = bool(enrollment.reflection.strip())
        requirements.append(
            Requirement(
                key="reflection",
                label="Reflection",
                met=written,
                detail="Written."
                if written
                else "Write a short reflection on what you will try with your students.",
            )
        )
    return CompletionCheck(
        enrollment=enrollment,
        policy=policy,
        has_sessions=with_sessions,
        attendance=attendance,
        requirements=requirements,
    )


def _attendance_requirement(
    enrollment: Enrollment, policy: CompletionPolicy, attendance: queries.Attendance
) -> Requirement:
    needed = policy.min_attendance_percent
    label = f"Attendance of at least {needed}%"
    if not attendance.scheduled_hours:
        return Requirement(
            key="attendance",
            label=label,
            met=False,
            detail="Its sessions were cancelled, so there is no attendance to count.",
        )
    detail = (
        f"{number(attendance.attended_hours)} of {number(attendance.scheduled_hours)} hours "
        f"attended ({number(attendance.percent or Decimal(0))}%)."
    )
    enough = attendance.attended_hours * 100 >= needed * attendance.scheduled_hours
    # Judged once every session has a record (present, part or absent), so the credit counts
    # every session attended, whatever order the rosters are saved in.
    if enough and attendance.unrecorded:
        count = attendance.unrecorded
        detail += (
            f" Completion waits until attendance is recorded for every session ({count} "
            f"still to record)."
        )
    return Requirement(
        key="attendance", label=label, met=enough and not attendance.unrecorded, detail=detail
    )


def evaluate_completion(
    *, enrollment: Enrollment, actor: Any = None, finished: bool = False
) -> CompletionCheck:
    """Complete the enrolment and award its credit when it is enrolled and meets every
    requirement; safe to call any number of times (an enrolment completes and earns once)."""
    with transaction.atomic():
        # Lock the row so two triggers at once (a check-in and a roster save) complete it once.
        locked = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        check = completion_check(locked, finished=finished)
        if locked.status != EnrollmentStatus.ENROLLED or check.missing:
            return check
        _complete(locked, check, actor)
    enrollment.refresh_from_db()
    return CompletionCheck(
        enrollment=locked,
        policy=check.policy,
        has_sessions=check.has_sessions,
        attendance=check.attendance,
        requirements=check.requirements,
        just_completed=True,
    )


def credit_for(offering: Offering, hours: Decimal) -> Decimal:
    """Time units earn the hours attended up to the offering's credit; other units (CEUs,
    micro-credentials) earn the offering's credit in full. Zero when it carries no credit."""
    if offering.credit_amount <= 0:
        return Decimal(0)
    if offering.credit_unit in HOUR_UNITS:
        return min(hours, offering.credit_amount)
    return offering.credit_amount


def _complete(enrollment: Enrollment, check: CompletionCheck, actor: Any) -> None:
    offering = enrollment.offering
    attendance = check.attendance
    hours = attendance.attended_hours if attendance is not None else offering.hours
    credit = credit_for(offering, hours)
    if attendance is not None and attendance.last_attended is not None:
        completed_on = queries.local_date(attendance.last_attended, enrollment.district)
    else:
        completed_on = queries.local_date(timezone.now(), enrollment.district)
    now = timezone.now()
    enrollment.status = EnrollmentStatus.COMPLETED
    enrollment.completed_at = now
    enrollment.credit_awarded = credit
    enrollment.save(update_fields=["status", "completed_at", "credit_awarded"])
    if credit > 0:
        award_credit(
            district=enrollment.district,
            educator=enrollment.educator,
            source=CreditSource.OFFERING,
            source_ref=str(enrollment.public_id),
            title=offering.title,
            completed_on=completed_on,
            amount=credit,
            unit=offering.credit_unit,
            category=offering.credit_category,
            hours=hours,
            provider=offering.provider,
            provider_approved=offering.provider_approved,
            topics=offering.topics,
            actor=actor,
        )
    earned = credit_sentence(offering, credit)
    earned = f"{earned} of credit" if earned else ""
    audit.record(
        action="enrollment.completed",
        summary=f"Completed “{offering.title}”{': ' + earned if earned else ''}",
        actor=actor,
        subject=enrollment.educator,
        district=enrollment.district,
        target=enrollment,
        data={"hours": str(hours), "credit": str(credit), "completed_on": str(completed_on)},
    )
    lines = [f"You completed “{offering.title}”{': ' + earned if earned else ''}."]
    if credit > 0:
        lines.append("It now counts on your transcript and toward your renewal.")
    notify(
        enrollment.educator,
        district=enrollment.district,
        subject=f"You completed {offering.title}",
        lines=lines,
        path=reverse("catalog:complete", args=[enrollment.public_id]),
    )
    schedule_follow_up(enrollment, check.policy, completed_at=now)
    credentialing.on_completion(enrollment, actor=actor)  # issues after commit, when enabled


def credit_sentence(offering: Offering, credit: Decimal | None) -> str:
    """“6 clock hours”, or "" when nothing was earned."""
    if not credit or credit <= 0:
        return ""
    try:
        return amount_text(credit, Unit(offering.credit_unit))
    except ValueError:
        return f"{number(credit)} {offering.credit_unit}"


def follow_up_due(enrollment: Enrollment, policy: CompletionPolicy) -> dt.datetime | None:
    """When the “did you use it?” survey opens for a completed enrolment (None: never)."""
    if enrollment.completed_at is None or policy.follow_up_weeks == 0:
        return None
    return enrollment.completed_at + dt.timedelta(weeks=policy.follow_up_weeks)


def schedule_follow_up(
    enrollment: Enrollment, policy: CompletionPolicy, *, completed_at: dt.datetime
) -> bool:
    """Enqueue the follow-up invitation for when it is due (after commit). Backends that cannot
    delay a task (the immediate one of tests and development) get nothing: sending now would
    ask too early, and the survey page opens on its own once it is due."""
    from trellis.catalog.tasks import send_follow_up_survey

    if policy.follow_up_weeks == 0 or not send_follow_up_survey.get_backend().supports_defer:
        return False
    run_after = completed_at + dt.timedelta(weeks=policy.follow_up_weeks)
    enrollment_id = enrollment.pk
    transaction.on_commit(
        lambda: send_follow_up_survey.using(run_after=run_after).enqueue(
            enrollment_id=enrollment_id
        )
    )
    return True


def _own_enrollment(access: Any, actor: Any, enrollment: Enrollment) -> None:
    require(access, Perm.VIEW_OWN_LEARNING)
    if enrollment.district_id != access.district.pk or enrollment.educator_id != actor.pk:
        raise PermissionDenied("Only the enrolled educator can do that.")


@transaction.atomic
def submit_completion(
    *,
    access: Any,
    actor: Any,
    enrollment: Enrollment,
    reflection: Any = None,
    finished: bool = False,
) -> CompletionCheck:
    """The educator's part: a reflection (when given) and, for an offering without sessions,
    their word that they finished it; then completion is judged."""
    _own_enrollment(access, actor, enrollment)
    if enrollment.status != EnrollmentStatus.ENROLLED:
        raise ConflictError(
            "not_enrolled",
            "This enrolment is already completed."
            if enrollment.status == EnrollmentStatus.COMPLETED
            else f"You can complete an offering you are enrolled in; this enrolment is "
            f"“{enrollment.get_status_display()}”.",
        )
    policy = policy_for(access.district)
    text = str(reflection or "").strip()
    if len(text) > MAX_REFLECTION:
        raise DomainError(
            "reflection_too_long",
            f"The reflection is too long: at most {MAX_REFLECTION} characters ({len(text)} given).",
            details={"field": "reflection"},
        )
    sessionless = not queries.has_sessions(enrollment.offering)
    if reflection_required(policy, enrollment.offering) and not text:
        raise DomainError(
            "reflection_required",
            "Write your reflection: what you learned and what you will try with your students.",
            details={"field": "reflection"},
        )
    if sessionless and not finished:
        raise DomainError(
            "confirm_finished",
            "Tick the box to confirm you have finished it.",
            details={"field": "finished"},
        )
    if reflection is not None and text != enrollment.reflection:
        enrollment.reflection = text
        enrollment.save(update_fields=["reflection"])
        audit.record(
            action="enrollment.reflection_saved",
            summary=f"Wrote a reflection on “{enrollment.offering.title}”",
            actor=actor,
            subject=actor,
            district=access.district,
            target=enrollment,
        )
    if sessionless and finished:
        audit.record(
            action="enrollment.finished",
            summary=f"Said they finished “{enrollment.offering.title}”",
            actor=actor,
            subject=actor,
            district=access.district,
            target=enrollment,
        )
    return evaluate_completion(enrollment=enrollment, actor=actor, finished=sessionless)


@transaction.atomic
def mark_no_shows(*, access: Any, actor: Any, offering: Offering) -> list[Enrollment]:
    """Mark enrolled people who attended none of their (ended) sessions as no-shows. They earn
    nothing; each is told."""
    if offering.district_id != access.district.pk:
        raise PermissionDenied()
    facilitates = offering.sessions.filter(facilitator=actor).exists()
    if not (access.can(Perm.MANAGE_CATALOG) or facilitates):
        raise PermissionDenied(
            "Only a facilitator of the offering or a catalog manager can mark no-shows."
        )
    if not queries.has_sessions(offering):
        raise DomainError(
            "no_sessions", "No-shows apply to offerings with sessions; this one has none."
        )
    marked = []
    for enrollment in queries.no_show_candidates(offering):
        changed = Enrollment.objects.filter(
            pk=enrollment.pk, status=EnrollmentStatus.ENROLLED
        ).update(status=EnrollmentStatus.NO_SHOW)
        if not changed:
            continue
        enrollment.status = EnrollmentStatus.NO_SHOW
        audit.record(
            action="enrollment.no_show",
            summary=f"Marked as not attending “{offering.title}”",
            actor=actor,
            subject=enrollment.educator,
            district=access.district,
            target=enrollment,
        )
        notify(
            enrollment.educator,
            kind=Kind.DECISION,
            district=access.district,
            subject=f"Marked absent from {offering.title}",
            lines=[
                f"You were enrolled in “{offering.title}” but no attendance was recorded for "
                "you, so the enrolment is closed as “did not attend” and earns no credit.",
                "If you did attend, ask the facilitator to correct the attendance.",
            ],
        )
        marked.append(enrollment)
    return marked
