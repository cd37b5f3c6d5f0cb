"""Growth resources of the caller (profile, self-assessments, goals, plan), coaches' comments on
their caseload's goals and the observation-ratings import. Mounted at "/" with full paths, beside
the `/me` router of me.py (whose paths are "", "/tokens", …; none collide)."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm
from trellis.growth import queries
from trellis.growth.models import (
    EducatorProfile,
    GradeBand,
    LearningFormat,
    LearningTime,
    PlanItem,
    Position,
    SelfAssessment,
    SelfRating,
    StudentGroup,
)
from trellis.growth.services import assessments, goals, observations, plan, profile
from trellis.growth.services.assessments import RatingInput

router = Router(tags=["growth"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


# ---------------------------------------------------------------------------------------------
# profile
# ---------------------------------------------------------------------------------------------


class ProfileOut(Schema):
    position: str
    years_experience: int
    career_stage: str
    career_stage_label: str
    subjects: list[str]
    grade_bands: list[str]
    students_served: list[str]
    preferred_formats: list[str]
    learning_times: list[str]
    weekly_minutes: int | None
    interests: str
    schools: list[str]


class ProfileIn(Schema):
    position: Position
    years_experience: int = Field(..., ge=0, le=60)
    subjects: list[str] = Field(default_factory=list, max_length=12)
    grade_bands: list[GradeBand] = Field(default_factory=list)
    students_served: list[StudentGroup] = Field(default_factory=list)
    preferred_formats: list[LearningFormat] = Field(default_factory=list)
    learning_times: list[LearningTime] = Field(default_factory=list)
    weekly_minutes: int | None = Field(None, ge=0, le=1200, description="Minutes a week")
    interests: str = Field("", max_length=2000)


def _profile_out(request: HttpRequest, found: EducatorProfile | None) -> ProfileOut:
    district = request.access.district  # type: ignore[attr-defined]
    found = found or EducatorProfile(user=request.user, district=district)
    return ProfileOut(
        position=found.position,
        years_experience=found.years_experience,
        career_stage=found.career_stage.value,
        career_stage_label=found.career_stage_label,
        subjects=found.subjects,
        grade_bands=found.grade_bands,
        students_served=found.students_served,
        preferred_formats=found.preferred_formats,
        learning_times=found.learning_times,
        weekly_minutes=found.weekly_minutes,
        interests=found.interests,
        schools=[s.name for s in queries.schools_of(request.user, district)],
    )


@router.get("/me/profile", response={200: ProfileOut, 400: ErrorOut, 403: ErrorOut})
def get_profile(request: HttpRequest) -> ProfileOut:
    """The caller's learner profile in the current district (defaults when never saved)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return _profile_out(request, queries.profile_for(request.user, access.district))


@router.put("/me/profile", response={200: ProfileOut, **ERRORS})
def put_profile(request: HttpRequest, payload: ProfileIn) -> ProfileOut:
    """Replace the caller's learner profile (every field; lists may be empty)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    data = payload.model_dump()
    for name in ("grade_bands", "students_served", "preferred_formats", "learning_times"):
        data[name] = [str(getattr(v, "value", v)) for v in data[name]]
    data["position"] = str(getattr(data["position"], "value", data["position"]))
    profile.update_profile(access=access, actor=request.user, **data)
    return _profile_out(request, queries.profile_for(request.user, access.district))


# ---------------------------------------------------------------------------------------------
# self-assessments
# ---------------------------------------------------------------------------------------------


class RatingOut(Schema):
    competency: uuid.UUID
    code: str
    title: str
    level: int | None
    level_label: str
    note: str


class SelfAssessmentOut(Schema):
    id: uuid.UUID
    status: str
    framework: uuid.UUID
    framework_title: str
    submitted_at: dt.datetime | None
    ratings: list[RatingOut]


class RatingIn(Schema):
    competency: uuid.UUID = Field(..., description="Public id of a competency of the framework")
    level: int | None = Field(None, description="ProficiencyLevel value; null leaves it unrated")
    note: str = Field("", max_length=1000)


class SelfAssessmentIn(Schema):
    ratings: list[RatingIn] = Field(..., max_length=1000)
    submit: bool = Field(
        True, description="true: a dated snapshot (every competency rated); false: save the draft"
    )


def _assessment_out(assessment: SelfAssessment) -> SelfAssessmentOut:
    labels = {level.value: level.label for level in assessment.framework.levels.all()}
    return SelfAssessmentOut(
        id=assessment.public_id,
        status=assessment.status,
        framework=assessment.framework.public_id,
        framework_title=assessment.framework.title,
        submitted_at=assessment.submitted_at,
        ratings=[
            RatingOut(
                competency=r.item.public_id,
                code=r.item.human_code,
                title=r.item.title,
                level=r.value,
                level_label=labels.get(r.value, "") if r.value is not None else "",
                note=r.note,
            )
            for r in assessment.ratings.all()
        ],
    )


def _with_ratings(assessments: list[SelfAssessment]) -> list[SelfAssessment]:
    """Load ratings, items and levels for these snapshots in a fixed number of queries."""
    prefetch_related_objects(
        assessments,
        "framework",
        Prefetch("ratings", SelfRating.objects.select_related("item")),
        "framework__levels",
    )
    return assessments


@router.get("/me/self-assessments", response=list[SelfAssessmentOut])
@paginate(LimitOffsetPagination)
def list_self_assessments(request: HttpRequest) -> Any:
    """The caller's submitted self-assessments (dated snapshots), newest first."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    snapshots = SelfAssessment.objects.filter(
        district=access.district, educator=request.user, status=SelfAssessment.Status.SUBMITTED
    ).order_by("-submitted_at", "-id")
    return MappedPage(snapshots, lambda page: [_assessment_out(a) for a in _with_ratings(page)])


@router.post(
    "/me/self-assessments", response={200: SelfAssessmentOut, 201: SelfAssessmentOut, **ERRORS}
)
def post_self_assessment(request: HttpRequest, payload: SelfAssessmentIn) -> tuple[int, Any]:
    """Submit a snapshot (201), or with "submit": false save the draft (200)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    saved = assessments.save_self_assessment(
        access=access,
        actor=request.user,
        ratings=[RatingInput(str(r.competency), r.level, r.note) for r in payload.ratings],
        submit=payload.submit,
    )
    fresh = _with_ratings([SelfAssessment.objects.get(pk=saved.pk)])[0]
    return (201 if payload.submit else 200), _assessment_out(fresh)


# ---------------------------------------------------------------------------------------------
# goals
# ---------------------------------------------------------------------------------------------


class CompetencyRef(Schema):
    id: uuid.UUID
    code: str
    title: str


class ReflectionOut(Schema):
    written_on: dt.date
    body: str


class CommentOut(Schema):
    author: str
    body: str
    created_at: dt.datetime


class GoalOut(Schema):
    id: uuid.UUID
    title: str
    description: str
    measure: str
    target_date: dt.date
    status: str
    competencies: list[CompetencyRef]
    reflections: list[ReflectionOut]
    comments: list[CommentOut]
    created_at: dt.datetime


def _goal_out(goal: Any) -> GoalOut:
    return GoalOut(
        id=goal.public_id,
        title=goal.title,
        description=goal.description,
        measure=goal.measure,
        target_date=goal.target_date,
        status=goal.status,
        competencies=[
            CompetencyRef(id=c.public_id, code=c.human_code, title=c.title)
            for c in goal.competencies.all()
        ],
        reflections=[
            ReflectionOut(written_on=r.written_on, body=r.body) for r in goal.reflections.all()
        ],
        comments=[
            CommentOut(author=c.author.full_name, body=c.body, created_at=c.created_at)
            for c in goal.comments.all()
        ],
        created_at=goal.created_at,
    )


class GoalIn(Schema):
    title: str = Field(..., max_length=200)
    description: str = Field(..., max_length=4000)
    measure: str = Field(..., max_length=4000)
    target_date: dt.date
    competencies: list[uuid.UUID] = Field(..., description="Public ids of competencies")
    status: Literal["draft", "active"] = "active"


class GoalPatch(Schema):
    title: str | None = Field(None, max_length=200)
    description: str | None = Field(None, max_length=4000)
    measure: str | None = Field(None, max_length=4000)
    target_date: dt.date | None = None
    competencies: list[uuid.UUID] | None = None
    status: Literal["draft", "active", "achieved", "set_aside"] | None = None


class GoalNoteIn(Schema):
    body: str = Field(..., max_length=4000)


@router.get("/me/goals", response=list[GoalOut])
@paginate(LimitOffsetPagination)
def list_goals(request: HttpRequest, status: str = "") -> Any:
    """The caller's goals, soonest target date first; filter with ?status=active etc."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    if status and status not in {"draft", "active", "achieved", "set_aside"}:
        raise DomainError(
            "unknown_status",
            f"Unknown status “{status}”. Use draft, active, achieved or set_aside.",
        )
    goals = queries.goals_for(access.district, request.user, status=status)
    return MappedPage(goals, lambda page: [_goal_out(goal) for goal in page])


@router.post("/me/goals", response={201: GoalOut, **ERRORS})
def create_goal(request: HttpRequest, payload: GoalIn) -> tuple[int, GoalOut]:
    access = require(request, Perm.VIEW_OWN_LEARNING)
    goal = goals.create_goal(
        access=access,
        actor=request.user,
        title=payload.title,
        description=payload.description,
        measure=payload.measure,
        target_date=payload.target_date,
        competencies=[str(c) for c in payload.competencies],
        status=payload.status,
    )
    return 201, _goal_out(queries.get_own_goal(access, request.user, goal.public_id))


@router.patch("/me/goals/{goal_id}", response={200: GoalOut, **ERRORS})
def patch_goal(request: HttpRequest, goal_id: uuid.UUID, payload: GoalPatch) -> GoalOut:
    """Change some fields of one of the caller's goals; status follows the goal's life cycle."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    goal = queries.get_own_goal(access, request.user, goal_id)
    changes = payload.model_dump(exclude_unset=True)
    for name in ("title", "description", "measure", "status"):
        if name in changes and changes[name] is None:
            raise DomainError(f"{name}_required", f"“{name}” cannot be null.")
    if "competencies" in changes:
        changes["competencies"] = [str(c) for c in changes["competencies"] or []]
    goals.update_goal(access=access, actor=request.user, goal=goal, **changes)
    return _goal_out(queries.get_own_goal(access, request.user, goal_id))


@router.post("/me/goals/{goal_id}/reflections", response={201: GoalOut, **ERRORS})
def add_reflection(
    request: HttpRequest, goal_id: uuid.UUID, payload: GoalNoteIn
) -> tuple[int, GoalOut]:
    """Add a dated reflection to one of the caller's goals."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    goal = queries.get_own_goal(access, request.user, goal_id)
    goals.add_reflection(access=access, actor=request.user, goal=goal, body=payload.body)
    return 201, _goal_out(queries.get_own_goal(access, request.user, goal_id))


@router.post("/goals/{goal_id}/comments", response={201: CommentOut, **ERRORS})
def add_comment(
    request: HttpRequest, goal_id: uuid.UUID, payload: GoalNoteIn
) -> tuple[int, CommentOut]:
    """A coach comments on a goal of an educator on their caseload (anyone else's goal: 404)."""
    access = require(request, Perm.VIEW_CASELOAD)
    goal = queries.get_goal_for_viewer(access, request.user, goal_id)
    if goal.educator_id == request.user.pk:
        raise Http404("No such goal on your caseload.")
    comment = goals.add_comment(access=access, actor=request.user, goal=goal, body=payload.body)
    return 201, CommentOut(
        author=request.user.full_name, body=comment.body, created_at=comment.created_at
    )


# ---------------------------------------------------------------------------------------------
# learning plan
# ---------------------------------------------------------------------------------------------


class PlanItemOut(Schema):
    id: uuid.UUID
    title: str
    kind: str
    link: str
    goal: uuid.UUID | None
    goal_title: str
    status: str
    target_date: dt.date | None


class PlanItemIn(Schema):
    title: str = Field(..., max_length=200)
    kind: PlanItem.Kind
    link: str = Field("", max_length=500)
    goal: uuid.UUID | None = None
    status: PlanItem.Status = PlanItem.Status.PLANNED
    target_date: dt.date | None = None


class PlanItemPatch(Schema):
    title: str | None = Field(None, max_length=200)
    kind: PlanItem.Kind | None = None
    link: str | None = Field(None, max_length=500)
    goal: uuid.UUID | None = None
    status: PlanItem.Status | None = None
    target_date: dt.date | None = None


def _plan_out(item: PlanItem) -> PlanItemOut:
    return PlanItemOut(
        id=item.public_id,
        title=item.title,
        kind=item.kind,
        link=item.link,
        goal=item.goal.public_id if item.goal else None,
        goal_title=item.goal.title if item.goal else "",
        status=item.status,
        target_date=item.target_date,
    )


@router.get("/me/plan", response=list[PlanItemOut])
@paginate(LimitOffsetPagination)
def list_plan(request: HttpRequest) -> Any:
    """The caller's learning plan: in progress first, then planned, done, dropped."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    items = queries.plan_items(access.district, request.user)
    return MappedPage(items, lambda page: [_plan_out(row) for row in page])


@router.post("/me/plan", response={201: PlanItemOut, **ERRORS})
def add_plan_item(request: HttpRequest, payload: PlanItemIn) -> tuple[int, PlanItemOut]:
    """Add an activity to the caller's learning plan."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    data = payload.model_dump()
    data["kind"] = str(getattr(data["kind"], "value", data["kind"]))
    data["status"] = str(getattr(data["status"], "value", data["status"]))
    data["goal"] = str(data["goal"]) if data["goal"] else None
    item = plan.add_plan_item(access=access, actor=request.user, **data)
    return 201, _plan_out(queries.get_plan_item(access, request.user, item.public_id))


@router.patch("/me/plan/{item_id}", response={200: PlanItemOut, **ERRORS})
def patch_plan_item(
    request: HttpRequest, item_id: uuid.UUID, payload: PlanItemPatch
) -> PlanItemOut:
    """Change some fields of a plan activity, e.g. {"status": "done"}."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    item = queries.get_plan_item(access, request.user, item_id)
    changes = payload.model_dump(exclude_unset=True)
    for name in ("title", "kind", "status"):
        if name in changes and changes[name] is None:
            raise DomainError(f"{name}_required", f"“{name}” cannot be null.")
    for name in ("kind", "status"):
        if name in changes:
            changes[name] = str(getattr(changes[name], "value", changes[name]))
    if "goal" in changes:
        changes["goal"] = str(changes["goal"]) if changes["goal"] else None
    plan.update_plan_item(access=access, actor=request.user, item=item, **changes)
    return _plan_out(queries.get_plan_item(access, request.user, item_id))


# ---------------------------------------------------------------------------------------------
# observation ratings import
# ---------------------------------------------------------------------------------------------


class RowErrorOut(Schema):
    row: int
    column: str
    message: str


class ObservationPreviewOut(Schema):
    row: int
    educator_email: str
    competency: uuid.UUID
    competency_code: str
    rating: int
    observed_on: dt.date
    observer_role: str
    observer_name: str


class ObservationImportOut(Schema):
    dry_run: bool
    rows: int
    created: int
    already_imported: int
    new: list[ObservationPreviewOut]
    errors: list[RowErrorOut]


CSV_BODY = {
    "requestBody": {
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
        },
        "required": True,
    }
}


def _csv_bytes(request: HttpRequest) -> bytes:
    if request.content_type == "multipart/form-data":
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("file_required", "Send the CSV as the multipart field “file”.")
        return upload.read()
    return request.body


@router.post(
    "/observations/import",
    response={200: ObservationImportOut, 201: ObservationImportOut, **ERRORS},
    openapi_extra=CSV_BODY,
)
def import_observations(request: HttpRequest, dry_run: bool = False) -> tuple[int, Any]:
    """Import observation ratings from CSV (district admins). With ?dry_run=true nothing is saved
    and the report lists what would be imported and every row error. Without it, any row error
    writes nothing (400 with the errors in details); rows imported before are skipped."""
    access = require(request, Perm.IMPORT_OBSERVATIONS)
    result = observations.import_observations(
        access=access, actor=request.user, data=_csv_bytes(request), dry_run=dry_run
    )
    errors = [RowErrorOut(row=e.row, column=e.column, message=e.message) for e in result.errors]
    if result.errors and not dry_run:
        raise DomainError(
            "invalid_rows",
            f"Nothing was imported: {len(result.errors)} problem(s) in the file.",
            details={"errors": [e.model_dump() for e in errors]},
        )
    body = ObservationImportOut(
        dry_run=dry_run,
        rows=result.rows,
        created=result.written,
        already_imported=result.already_imported,
        new=[
            ObservationPreviewOut(
                row=r.row,
                educator_email=r.educator.email,
                competency=r.item.public_id,
                competency_code=r.item.human_code or r.item.case_identifier,
                rating=r.value,
                observed_on=r.observed_on,
                observer_role=r.observer_role,
                observer_name=r.observer_name,
            )
            for r in result.new
        ],
        errors=errors,
    )
    return (201 if result.written else 200), body
