"""What the educator is told when an attempt is decided "not yet" (the award e-mail lives with
the awards): the feedback per criterion, whether they may resubmit, and a coaching offer."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from trellis.catalog.notify import notify
from trellis.microcredentials.models import Assignment, Submission
from trellis.microcredentials.queries.assessment import coaches_of
from trellis.notifications.models import Kind


def submission_path(submission: Submission) -> str:
    """The educator's page of the submission (built by the earning pages), else the index."""
    for name in ("microcredentials:workspace", "microcredentials:submission"):
        try:
            return reverse(name, kwargs={"public_id": submission.public_id})
        except NoReverseMatch:
            continue
    return "/micro-credentials/"


def coaching_line(submission: Submission) -> str:
    coaches = coaches_of(submission)
    if coaches:
        names = ", ".join(f"{c.full_name} ({c.email})" for c in coaches)
        return f"Coaching can help with the next attempt: your coach is {names}."
    return "Coaching can help with the next attempt: ask your PD office to pair you with a coach."


def tell_not_yet(
    submission: Submission, deciding: Assignment, *, can_resubmit: bool, coaching: bool
) -> None:
    lines = [f"Your submission for “{submission.version.title}” was assessed: not yet."]
    for row in deciding.scores.select_related("criterion").order_by(
        "criterion__part__position", "criterion__position"
    ):
        if row.feedback:
            state = "proficient" if row.meets else "not yet"
            lines.append(f"{row.criterion.name} ({state}): {row.feedback}")
    if deciding.feedback:
        lines.append(f"Overall: {deciding.feedback}")
    if can_resubmit:
        lines.append(
            "You can resubmit: only the parts that were not yet proficient need changes. "
            "If you think the decision is wrong, you can appeal it once instead."
        )
    else:
        lines.append(
            "You have used every attempt the district allows for this micro-credential, so it "
            "cannot be resubmitted. You can still appeal this decision once."
        )
    if coaching:
        lines.append(coaching_line(submission))
    notify(
        submission.educator,
        kind=Kind.SUBMISSION_OUTCOME,
        district=submission.district,
        subject=f"Not yet: {submission.version.title}",
        lines=lines,
        path=submission_path(submission),
    )
