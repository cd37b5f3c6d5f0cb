"""Reads about the feedback survey: the district's questions, one person's answers, and the
summary of an offering's answers (plain data; the quality scorecards reuse it)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.http import Http404

from trellis.catalog.models import (
    Enrollment,
    Offering,
    SurveyPhase,
    SurveyQuestion,
    SurveyResponse,
)
from trellis.core.ids import public_id_or_404

Kind = SurveyQuestion.Kind
RECENT_TEXTS = 10


def get_question(access: Any, public_id: Any) -> SurveyQuestion:
    question = SurveyQuestion.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "question")
    ).first()
    if question is None:
        raise Http404("No such question.")
    return question


def get_offering(access: Any, public_id: Any) -> Offering:
    offering = Offering.objects.filter(
        district=access.district, public_id=public_id_or_404(public_id, "offering")
    ).first()
    if offering is None:
        raise Http404("No such offering.")
    return offering


def questions_by_phase(district: Any) -> list[tuple[str, str, list[SurveyQuestion]]]:
    """(phase, label, questions in order) for each phase, active and inactive."""
    questions = list(SurveyQuestion.objects.filter(district=district).order_by("position", "id"))
    return [
        (phase, label, [q for q in questions if q.phase == phase])
        for phase, label in SurveyPhase.choices
    ]


def response_for(enrollment: Enrollment, phase: str) -> SurveyResponse | None:
    return SurveyResponse.objects.filter(enrollment=enrollment, phase=phase).first()


def display_answer(kind: str, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if kind == Kind.YES_NO:
        return "Yes" if value else "No"
    if kind == Kind.SCALE:
        return f"{value} of 5"
    return str(value)


def answered(response: SurveyResponse, questions: list[SurveyQuestion]) -> list[tuple[str, str]]:
    """(question, answer) pairs of a submitted response, in the district's order; answers to
    questions since removed are listed under their key."""
    known = {q.key: q for q in questions}
    pairs = [
        (q.text, display_answer(q.kind, response.answers.get(q.key)))
        for q in questions
        if q.key in response.answers or q.is_active
    ]
    pairs += [(key, str(value)) for key, value in response.answers.items() if key not in known]
    return pairs


def survey_summary(offering: Offering, *, recent_texts: int = RECENT_TEXTS) -> dict[str, Any]:
    """Per question of the offering's district: how many answered; for scales the mean and the
    count of each value; for yes/no the yes and no counts and the yes rate; for text the most
    recent answers (anonymous). Questions no longer asked appear only if someone answered them.

    Returns plain data: {"responses": {phase: n}, "questions": [{key, text, phase, kind,
    active, count, mean, distribution, yes, no, yes_rate, texts}]}.
    """
    responses = list(
        SurveyResponse.objects.filter(enrollment__offering=offering)
        .order_by("-submitted_at", "-id")
        .values_list("phase", "answers", "submitted_at")
    )
    questions = SurveyQuestion.objects.filter(district_id=offering.district_id).order_by(
        "phase", "position", "id"
    )
    by_phase: dict[str, list[tuple[dict, Any]]] = defaultdict(list)
    for phase, answers, submitted_at in responses:
        by_phase[phase].append((answers or {}, submitted_at))
    summary = []
    for question in questions:
        values = [
            (answers[question.key], at)
            for answers, at in by_phase[question.phase]
            if answers.get(question.key) not in (None, "")
        ]
        if not values and not question.is_active:
            continue
        summary.append(_question_summary(question, values, recent_texts))
    phase_order = {phase: index for index, phase in enumerate(SurveyPhase.values)}
    summary.sort(key=lambda q: phase_order.get(q["phase"], 99))
    return {
        "responses": {phase: len(by_phase[phase]) for phase in SurveyPhase.values},
        "questions": summary,
    }


def _question_summary(question: SurveyQuestion, values: list[tuple[Any, Any]], recent: int) -> dict:
    item: dict[str, Any] = {
        "key": question.key,
        "text": question.text,
        "phase": question.phase,
        "kind": question.kind,
        "active": question.is_active,
        "count": len(values),
        "mean": None,
        "distribution": {},
        "yes": 0,
        "no": 0,
        "yes_rate": None,
        "texts": [],
    }
    if question.kind == Kind.SCALE:
        numbers = [v for v, _ in values if isinstance(v, int) and not isinstance(v, bool)]
        item["count"] = len(numbers)
        item["distribution"] = {n: numbers.count(n) for n in range(1, 6)}
        if numbers:
            item["mean"] = round(sum(numbers) / len(numbers), 2)
    elif question.kind == Kind.YES_NO:
        flags = [v for v, _ in values if isinstance(v, bool)]
        item["count"] = len(flags)
        item["yes"] = sum(flags)
        item["no"] = len(flags) - item["yes"]
        if flags:
            item["yes_rate"] = round(item["yes"] / len(flags), 3)
    else:
        item["texts"] = [
            {"text": str(v), "submitted_at": at.isoformat()} for v, at in values[:recent]
        ]
    return item
