"""The district's own survey questions: add, reword, require, reorder, stop asking, delete.
Standard items keep their wording and are never deleted, so results compare across offerings."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify

from trellis.audit import services as audit
from trellis.catalog.models import SurveyPhase, SurveyQuestion, SurveyResponse
from trellis.catalog.services.surveys import MAX_QUESTION_TEXT, ensure_standard_questions
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.districts.permissions import Perm, require

Kind = SurveyQuestion.Kind
MAX_ACTIVE_PER_PHASE = 12  # a survey people finish is short


def _question_text(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise DomainError("text_required", "Write the question.", details={"field": "text"})
    if len(text) > MAX_QUESTION_TEXT:
        raise DomainError(
            "text_too_long",
            f"The question is too long: at most {MAX_QUESTION_TEXT} characters ({len(text)} "
            "given).",
            details={"field": "text"},
        )
    return text


def _check_room(district: Any, phase: str) -> None:
    active = SurveyQuestion.objects.filter(district=district, phase=phase, is_active=True).count()
    if active >= MAX_ACTIVE_PER_PHASE:
        raise DomainError(
            "too_many_questions",
            f"A survey can have at most {MAX_ACTIVE_PER_PHASE} active questions, so people finish "
            "it. Deactivate one first.",
        )


def _own_question(access: Any, question: SurveyQuestion) -> None:
    require(access, Perm.MANAGE_CREDIT)
    if question.district_id != access.district.pk:
        raise PermissionDenied()


def _unique_key(district: Any, text: str) -> str:
    base = slugify(text)[:30].strip("-") or "question"
    taken = set(
        SurveyQuestion.objects.filter(district=district, key__startswith=base).values_list(
            "key", flat=True
        )
    )
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def add_question(
    *, access: Any, actor: Any, phase: Any, kind: Any, text: Any, required: bool
) -> SurveyQuestion:
    require(access, Perm.MANAGE_CREDIT)
    if phase not in SurveyPhase.values:
        raise DomainError("bad_phase", "Choose when to ask it.", details={"field": "phase"})
    if kind not in Kind.values:
        raise DomainError("bad_kind", "Choose the kind of answer.", details={"field": "kind"})
    text = _question_text(text)
    ensure_standard_questions(access.district)
    _check_room(access.district, phase)
    last = SurveyQuestion.objects.filter(district=access.district, phase=phase).aggregate(
        m=Max("position")
    )["m"]
    question = SurveyQuestion.objects.create(
        district=access.district,
        key=_unique_key(access.district, text),
        phase=phase,
        kind=kind,
        text=text,
        required=bool(required),
        position=(last or 0) + 1,
    )
    audit.record(
        action="survey.question_added",
        summary=f"Added the survey question “{text}”",
        actor=actor,
        district=access.district,
        target=question,
        data={"key": question.key, "phase": phase, "kind": kind},
    )
    return question


@transaction.atomic
def update_question(
    *,
    access: Any,
    actor: Any,
    question: SurveyQuestion,
    text: Any = None,
    required: bool | None = None,
    is_active: bool | None = None,
) -> SurveyQuestion:
    """Change wording (the district's own items), whether an answer is required, or whether it
    is asked at all. Standard items keep their wording so results compare across offerings."""
    _own_question(access, question)
    before = {"text": question.text, "required": question.required, "active": question.is_active}
    if text is not None and str(text).strip() != question.text:
        if question.is_standard:
            raise ConflictError(
                "standard_wording",
                "Standard questions keep their wording so results compare across offerings; "
                "add your own question instead.",
                details={"field": "text"},
            )
        question.text = _question_text(text)
    if required is not None:
        question.required = bool(required)
    if is_active is not None and bool(is_active) != question.is_active:
        if is_active:
            _check_room(access.district, question.phase)
        question.is_active = bool(is_active)
    after = {"text": question.text, "required": question.required, "active": question.is_active}
    if after != before:
        question.save(update_fields=["text", "required", "is_active"])
        audit.record(
            action="survey.question_updated",
            summary=f"Changed the survey question “{question.text}”",
            actor=actor,
            district=access.district,
            target=question,
            data={"before": before, "after": after},
        )
    return question


@transaction.atomic
def move_question(
    *, access: Any, actor: Any, question: SurveyQuestion, direction: str
) -> SurveyQuestion:
    """Swap the question with its neighbour (`up` or `down`) within its phase."""
    _own_question(access, question)
    if direction not in ("up", "down"):
        raise DomainError("bad_direction", "Move a question up or down.")
    ordered = list(
        SurveyQuestion.objects.select_for_update()
        .filter(district=access.district, phase=question.phase)
        .order_by("position", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return question
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered):
        item.position = position
    SurveyQuestion.objects.bulk_update(ordered, ["position"])
    audit.record(
        action="survey.question_moved",
        summary=f"Moved the survey question “{question.text}” {direction}",
        actor=actor,
        district=access.district,
        target=question,
    )
    question.refresh_from_db()
    return question


@transaction.atomic
def delete_question(*, access: Any, actor: Any, question: SurveyQuestion) -> None:
    _own_question(access, question)
    if question.is_standard:
        raise ConflictError(
            "standard_question", "Standard questions can't be deleted; deactivate it instead."
        )
    answered = SurveyResponse.objects.filter(
        enrollment__district=access.district, answers__has_key=question.key
    ).exists()
    if answered:
        raise ConflictError(
            "question_answered",
            "People have answered this question, so deleting it would orphan their answers. "
            "Deactivate it instead.",
        )
    audit.record(
        action="survey.question_deleted",
        summary=f"Deleted the survey question “{question.text}”",
        actor=actor,
        district=access.district,
        target=question,
        data={"key": question.key},
    )
    question.delete()
