"""The feedback survey: the standard items every district starts with, the items a district adds,
an educator's answers (after the activity, and the “did you use it?” follow-up), and the
follow-up invitation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from trellis.audit import services as audit
from trellis.audit.models import AuditEvent
from trellis.catalog.models import (
    Enrollment,
    EnrollmentStatus,
    SurveyPhase,
    SurveyQuestion,
    SurveyResponse,
)
from trellis.catalog.notify import notify
from trellis.catalog.queries import attendance as attendance_queries
from trellis.catalog.services.completion import (
    CompletionCheck,
    evaluate_completion,
    follow_up_due,
    policy_for,
)
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm, require

Kind = SurveyQuestion.Kind
MAX_TEXT_ANSWER = 2000
MAX_QUESTION_TEXT = 300
SCALE = range(1, 6)
FOLLOW_UP_SENT = "survey.follow_up_sent"

# key, phase, kind, wording, required. Keys are stable: reports and quality scorecards use them.
STANDARD_QUESTIONS: tuple[tuple[str, str, str, str, bool], ...] = (
    (
        "relevance",
        SurveyPhase.AFTER,
        Kind.SCALE,
        "How relevant was this to your work? (1 = not at all, 5 = very relevant)",
        True,
    ),
    (
        "quality",
        SurveyPhase.AFTER,
        Kind.SCALE,
        "How good was the quality of the learning? (1 = poor, 5 = excellent)",
        True,
    ),
    (
        "likely_to_use",
        SurveyPhase.AFTER,
        Kind.SCALE,
        "How likely are you to use it in your classroom? (1 = unlikely, 5 = certain)",
        True,
    ),
    (
        "support_needed",
        SurveyPhase.AFTER,
        Kind.TEXT,
        "What support would help you use it in your classroom?",
        False,
    ),
    (
        "used_in_class",
        SurveyPhase.FOLLOW_UP,
        Kind.YES_NO,
        "Have you used it in your classroom?",
        True,
    ),
    (
        "what_changed",
        SurveyPhase.FOLLOW_UP,
        Kind.TEXT,
        "What changed, for you or your students?",
        False,
    ),
)
STANDARD_KEYS = frozenset(key for key, *_ in STANDARD_QUESTIONS)


def ensure_standard_questions(district: Any) -> None:
    """Create the standard items the district does not have yet (never touches existing ones,
    so a district's deactivations and order stay)."""
    existing = set(SurveyQuestion.objects.filter(district=district).values_list("key", flat=True))
    missing = [spec for spec in STANDARD_QUESTIONS if spec[0] not in existing]
    if not missing:
        return
    SurveyQuestion.objects.bulk_create(
        [
            SurveyQuestion(
                district=district,
                key=key,
                phase=phase,
                kind=kind,
                text=text,
                required=required,
                position=index,
                is_standard=True,
            )
            for index, (key, phase, kind, text, required) in enumerate(STANDARD_QUESTIONS)
            if key not in existing
        ],
        ignore_conflicts=True,  # a concurrent first use created them
    )


def questions_for(district: Any, phase: str) -> list[SurveyQuestion]:
    """The active questions of a phase, in the district's order."""
    ensure_standard_questions(district)
    return list(
        SurveyQuestion.objects.filter(district=district, phase=phase, is_active=True).order_by(
            "position", "id"
        )
    )


# --- answering -----------------------------------------------------------------------------


def clean_answers(questions: Sequence[SurveyQuestion], raw: Mapping[str, Any]) -> dict[str, Any]:
    """Answers keyed by question key: scales as 1–5, yes/no as booleans, text trimmed. Raises
    one DomainError listing every problem (details["errors"]: key → message)."""
    answers: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        value = raw.get(question.key)
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "":
            if question.required:
                errors[question.key] = _missing_message(question.kind)
            continue
        try:
            answers[question.key] = _clean_answer(question.kind, value)
        except ValueError as error:
            errors[question.key] = str(error)
    if errors:
        raise DomainError(
            "bad_answers",
            "Some answers need attention; nothing was saved."
            if len(errors) > 1
            else "One answer needs attention; nothing was saved.",
            details={"field": next(iter(errors)), "errors": errors},
        )
    return answers


def _missing_message(kind: str) -> str:
    if kind == Kind.SCALE:
        return "Choose a number from 1 to 5."
    if kind == Kind.YES_NO:
        return "Choose yes or no."
    return "Write an answer."


def _clean_answer(kind: str, value: Any) -> Any:
    if kind == Kind.SCALE:
        if isinstance(value, bool) or str(value) not in {str(n) for n in SCALE}:
            raise ValueError(f"Choose a whole number from 1 to 5 (“{value}” is not one).")
        return int(value)
    if kind == Kind.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).lower()
        if text not in {"yes", "no"}:
            raise ValueError(f"Answer yes or no (“{value}” is neither).")
        return text == "yes"
    text = str(value)
    if len(text) > MAX_TEXT_ANSWER:
        raise ValueError(f"At most {MAX_TEXT_ANSWER} characters, please ({len(text)} given).")
    return text


@dataclass(frozen=True)
class Availability:
    open: bool
    message: str = ""
    opens_at: dt.datetime | None = None


def availability(enrollment: Enrollment, phase: str) -> Availability:
    """Whether the educator can answer the phase now, and if not, why."""
    if phase == SurveyPhase.FOLLOW_UP:
        if enrollment.status != EnrollmentStatus.COMPLETED:
            return Availability(
                False, "The follow-up survey opens some weeks after you complete it."
            )
        policy = policy_for(enrollment.district)
        due = follow_up_due(enrollment, policy)
        if due is None:
            return Availability(
                False, f"{enrollment.district.name} does not ask a follow-up survey."
            )
        if due > timezone.now():
            when = attendance_queries.local_time(due, enrollment.district)
            return Availability(False, f"The follow-up survey opens on {when}.", due)
        return Availability(True)
    if enrollment.status not in (EnrollmentStatus.ENROLLED, EnrollmentStatus.COMPLETED):
        return Availability(
            False,
            f"The survey is for people enrolled in it; this enrolment is "
            f"“{enrollment.get_status_display()}”.",
        )
    if attendance_queries.has_sessions(enrollment.offering):
        sessions = attendance_queries.covered_sessions(enrollment)
        if not sessions:
            return Availability(False, "Its sessions were cancelled, so there is nothing to rate.")
        last_start = max(s.starts_at for s in sessions)
        if last_start > timezone.now():
            when = attendance_queries.local_time(last_start, enrollment.district)
            return Availability(
                False, f"The survey opens when the last session begins ({when}).", last_start
            )
    return Availability(True)


@transaction.atomic
def submit_response(
    *, access: Any, actor: Any, enrollment: Enrollment, phase: str, answers: Mapping[str, Any]
) -> tuple[SurveyResponse, CompletionCheck | None]:
    """Save the educator's answers for one phase (once); after the activity, completion is
    judged again."""
    require(access, Perm.VIEW_OWN_LEARNING)
    if enrollment.district_id != access.district.pk or enrollment.educator_id != actor.pk:
        raise PermissionDenied("Only the enrolled educator answers their survey.")
    if phase not in SurveyPhase.values:
        raise DomainError("bad_phase", f"There is no survey phase “{phase}”.")
    if SurveyResponse.objects.filter(enrollment=enrollment, phase=phase).exists():
        raise ConflictError("already_answered", "You have already answered this survey. Thank you!")
    state = availability(enrollment, phase)
    if not state.open:
        raise DomainError("survey_not_open", state.message)
    questions = questions_for(access.district, phase)
    if not questions:
        raise DomainError("no_questions", "This survey has no questions to answer.")
    cleaned = clean_answers(questions, answers)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                enrollment=enrollment, phase=phase, answers=cleaned, submitted_at=timezone.now()
            )
    except IntegrityError:  # a second tab submitted first
        raise ConflictError(
            "already_answered", "You have already answered this survey. Thank you!"
        ) from None
    audit.record(
        action="survey.submitted",
        summary=f"Answered the {SurveyPhase(phase).label.lower()} survey on "
        f"“{enrollment.offering.title}”",
        actor=actor,
        subject=actor,
        district=access.district,
        target=enrollment,
        data={"phase": phase},
    )
    check = None
    if phase == SurveyPhase.AFTER:
        check = evaluate_completion(enrollment=enrollment, actor=actor)
    return response, check


def send_follow_up_invitation(*, enrollment_id: int) -> bool:
    """E-mail the follow-up survey link if it is due, unanswered and not sent before."""
    enrollment = (
        Enrollment.objects.select_related("offering", "educator", "district")
        .filter(pk=enrollment_id)
        .first()
    )
    if enrollment is None or not availability(enrollment, SurveyPhase.FOLLOW_UP).open:
        return False
    if SurveyResponse.objects.filter(enrollment=enrollment, phase=SurveyPhase.FOLLOW_UP).exists():
        return False
    if not questions_for(enrollment.district, SurveyPhase.FOLLOW_UP):
        return False
    with transaction.atomic():
        sent = AuditEvent.objects.filter(
            action=FOLLOW_UP_SENT, target_id=str(enrollment.public_id)
        ).exists()
        if sent:  # a retried task: the invitation went out already
            return False
        audit.record(
            action=FOLLOW_UP_SENT,
            summary=f"Asked how “{enrollment.offering.title}” went in the classroom",
            subject=enrollment.educator,
            district=enrollment.district,
            target=enrollment,
        )
        notify(
            enrollment.educator,
            district=enrollment.district,
            subject=f"Did you use {enrollment.offering.title}?",
            lines=[
                f"A few weeks ago you completed “{enrollment.offering.title}”.",
                "Two quick questions: have you used it in your classroom, and what changed? "
                "Your answers help your district choose learning that makes a difference.",
            ],
            path=reverse("catalog:survey", args=[enrollment.public_id]) + "?phase=follow_up",
        )
    return True
