"""Assessment resources: the assessor's queue, scoring a submission per rubric criterion, and
the educator's appeal of a "not yet". Mounted at "/" with full paths (see api.py)."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm
from trellis.microcredentials.models import Assignment, CriterionScore
from trellis.microcredentials.queries import assessment as queries
from trellis.microcredentials.services import appeals, scoring

router = Router(tags=["micro-credential assessment"])

SCORES = Prefetch(
    "scores",
    queryset=CriterionScore.objects.select_related("criterion").order_by(
        "criterion__part__position", "criterion__position"
    ),
)
ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class ScoreOut(Schema):
    criterion: uuid.UUID
    level: str
    meets: bool
    feedback: str


class AssignmentOut(Schema):
    id: uuid.UUID
    submission: uuid.UUID
    micro_credential: str = Field(..., description="Title of the version being assessed")
    educator: str = Field(..., description='Name, or "Educator #…" under blind assessment')
    role: str = Field(..., description="primary, second, third, appeal or calibration")
    status: str = Field(..., description="assigned, completed or reassigned")
    attempt: int
    assigned_at: dt.datetime
    due_at: dt.datetime
    overdue: bool
    completed_at: dt.datetime | None
    outcome: str = Field(..., description='earned, not_yet, or "" before scoring')
    feedback: str
    scores: list[ScoreOut]
    submission_status: str


class ScoreIn(Schema):
    criterion: uuid.UUID
    level: str = Field(..., max_length=40, description="A key of the criterion's levels")
    feedback: str = Field("", description="Required when the level is below proficient")


class ScoresIn(Schema):
    scores: list[ScoreIn] = Field(..., description="One entry per criterion of the rubric")
    feedback: str = Field("", description="Overall feedback to the educator")


class AppealIn(Schema):
    reason: str = Field(..., description="Why the decision is wrong; the reviewer reads it")


class AppealOut(Schema):
    submission: uuid.UUID
    status: str
    reviewer_assigned: bool


def _out(row: queries.InboxRow) -> AssignmentOut:
    a = row.assignment
    return AssignmentOut(
        id=a.public_id,
        submission=a.submission.public_id,
        micro_credential=a.submission.version.title,
        educator=row.educator,
        role=a.role,
        status=a.status,
        attempt=a.attempt,
        assigned_at=a.assigned_at,
        due_at=a.due_at,
        overdue=row.overdue,
        completed_at=a.completed_at,
        outcome=a.outcome,
        feedback=a.feedback,
        scores=[
            ScoreOut(
                criterion=s.criterion.public_id, level=s.level, meets=s.meets, feedback=s.feedback
            )
            for s in a.scores.all()
        ],
        submission_status=a.submission.status,
    )


@router.get("/assessments", response=list[AssignmentOut])
@paginate(LimitOffsetPagination)
def list_assessments(request: HttpRequest, status: Literal["open", "completed"] = "open") -> Any:
    """The caller's assessment queue in the current district: open assignments soonest due
    first (?status=completed: what they scored, newest first)."""
    access = require(request, Perm.ASSESS_SUBMISSIONS)
    rows = queries.assignments_of(access, request.user, open_only=status == "open")
    rows = rows.prefetch_related(SCORES)

    def convert(page: list[Assignment]) -> list[AssignmentOut]:
        return [_out(row) for row in queries.inbox_rows(access, page)]

    return MappedPage(rows, convert)


@router.post("/submissions/{submission_id}/scores", response={200: AssignmentOut, **ERRORS})
def score_submission(
    request: HttpRequest, submission_id: uuid.UUID, payload: ScoresIn
) -> AssignmentOut:
    """Score the caller's open assignment on the submission: a level (and feedback when below
    proficient) for every criterion. 403 when it is not assigned to the caller, 409 when they
    already scored it, 400 naming each criterion that is missing or invalid."""
    access = require(request, Perm.ASSESS_SUBMISSIONS)
    assignment = queries.open_assignment_on(access, request.user, submission_id)
    scores: dict[str, tuple[str, str]] = {}
    for item in payload.scores:
        key = str(item.criterion)
        if key in scores:
            raise DomainError(
                "invalid_scores",
                f"Criterion {key} is scored twice; send one entry per criterion.",
                details={"field": "scores"},
            )
        scores[key] = (item.level, item.feedback)
    scoring.score(
        access=access,
        actor=request.user,
        assignment=assignment,
        scores=scores,
        feedback=payload.feedback,
    )
    fresh = queries.get_assignment(access, assignment.public_id)
    prefetch_related_objects([fresh], SCORES)
    return _out(queries.inbox_rows(access, [fresh])[0])


@router.post("/submissions/{submission_id}/appeal", response={200: AppealOut, **ERRORS})
def appeal_submission(
    request: HttpRequest, submission_id: uuid.UUID, payload: AppealIn
) -> AppealOut:
    """The educator appeals a "not yet" decision (once per attempt): an assessor who did not
    score the attempt reviews it and decides. 409 when it is not a "not yet" or was appealed."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    submission = queries.get_submission(access, submission_id)
    assignment = appeals.appeal(
        access=access, actor=request.user, submission=submission, reason=payload.reason
    )
    submission.refresh_from_db()
    return AppealOut(
        submission=submission.public_id,
        status=submission.status,
        reviewer_assigned=assignment is not None,
    )
