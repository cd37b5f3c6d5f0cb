"""What the educator and the approvers are told at each step of a request (one e-mail each,
sent after the transaction commits by `trellis.catalog.notify`)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from trellis.catalog.models import ApprovalStep, Enrollment
from trellis.catalog.notify import notify
from trellis.catalog.queries.approvals import deciders, money, step_label
from trellis.catalog.queries.enrolment import when
from trellis.notifications.models import Kind


def _learning() -> str:
    return reverse("catalog:learning")


def _what(enrollment: Enrollment) -> str:
    title = f"“{enrollment.offering.title}”"
    if enrollment.session_id:
        return f"{title} on {when(enrollment.session.starts_at, enrollment.district)}"
    return title


def _name(user: Any) -> str:
    return getattr(user, "full_name", "") or getattr(user, "email", "someone")


def step_pending(enrollment: Enrollment, step: ApprovalStep) -> None:
    """Tell the people who may decide a step that it waits for them."""
    offering = enrollment.offering
    facts = [f"Cost: {money(offering.cost)}."] if offering.cost > 0 else ["Cost: free."]
    if offering.during_school_hours:
        facts.append("It takes place during school hours (a substitute may be needed).")
    lines = [
        f"{_name(enrollment.educator)} asks to take part in {_what(enrollment)}.",
        " ".join(facts),
    ]
    if enrollment.note:
        lines.append(f"Their note: {enrollment.note}")
    if step.due_at:
        lines.append(f"Please decide by {when(step.due_at, enrollment.district)}.")
    path = reverse("catalog:approval", kwargs={"public_id": step.public_id})
    for person in deciders(
        enrollment.district, step.approver, step.school, exclude=enrollment.educator
    ):
        notify(
            person,
            kind=Kind.APPROVAL_WAITING,
            district=enrollment.district,
            subject=f"A request waits for your decision: {offering.title}",
            lines=lines,
            path=path,
        )


def requested(enrollment: Enrollment, steps: list[ApprovalStep], *, promoted: bool = False) -> None:
    opening = (
        f"A place opened up in {_what(enrollment)} and it is yours."
        if promoted
        else f"We received your request for {_what(enrollment)}."
    )
    if steps:
        first = steps[0]
        lines = [
            opening,
            f"It now waits for approval from {step_label(first)}"
            + (f" (by {when(first.due_at, enrollment.district)})." if first.due_at else "."),
        ]
        if len(steps) > 1:
            lines.append("After that: " + ", then ".join(step_label(s) for s in steps[1:]) + ".")
        subject = f"Waiting for approval: {enrollment.offering.title}"
        step_pending(enrollment, first)
    else:
        lines = [opening, "You are enrolled: no approval is needed."]
        subject = f"You are enrolled: {enrollment.offering.title}"
    notify(
        enrollment.educator,
        kind=Kind.DECISION,
        district=enrollment.district,
        subject=subject,
        lines=lines,
        path=_learning(),
    )


def waitlisted(enrollment: Enrollment, position: int) -> None:
    notify(
        enrollment.educator,
        kind=Kind.DECISION,
        district=enrollment.district,
        subject=f"On the waitlist: {enrollment.offering.title}",
        lines=[
            f"{_what(enrollment)} is full, so you are on its waitlist (number {position}).",
            "When a place opens up you get it automatically, and we will tell you.",
        ],
        path=_learning(),
    )


def approved(enrollment: Enrollment, step: ApprovalStep, following: ApprovalStep | None) -> None:
    by = _name(step.decided_by)
    lines = [f"{by} ({step_label(step)}) approved your request for {_what(enrollment)}."]
    if step.reason:
        lines.append(f"Their note: {step.reason}")
    if following is not None:
        lines.append(f"It now waits for approval from {step_label(following)}.")
        subject = f"Approved by {by}, one more step: {enrollment.offering.title}"
        step_pending(enrollment, following)
    else:
        lines.append("You are enrolled.")
        subject = f"You are enrolled: {enrollment.offering.title}"
    notify(
        enrollment.educator,
        kind=Kind.DECISION,
        district=enrollment.district,
        subject=subject,
        lines=lines,
        path=_learning(),
    )


def denied(enrollment: Enrollment, step: ApprovalStep) -> None:
    notify(
        enrollment.educator,
        kind=Kind.DECISION,
        district=enrollment.district,
        subject=f"Not approved: {enrollment.offering.title}",
        lines=[
            f"{_name(step.decided_by)} ({step_label(step)}) did not approve your request for "
            f"{_what(enrollment)}.",
            f"The reason given: {step.reason}",
        ],
        path=_learning(),
    )


def withdrawn(enrollment: Enrollment, actor: Any, reason: str) -> None:
    if actor.pk == enrollment.educator_id:
        lines = [f"You withdrew from {_what(enrollment)}. Your place is released."]
    else:
        lines = [f"{_name(actor)} withdrew you from {_what(enrollment)}."]
    if reason:
        lines.append(f"Reason: {reason}")
    notify(
        enrollment.educator,
        kind=Kind.DECISION,
        district=enrollment.district,
        subject=f"Withdrawn: {enrollment.offering.title}",
        lines=lines,
        path=_learning(),
    )
