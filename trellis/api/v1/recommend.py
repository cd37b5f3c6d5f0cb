"""Recommendations API: the caller's shortlist, an educator's shortlist for their coach or a
district admin, and the caller's feedback ("not for me", save, clear)."""

import uuid
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from trellis.api.v1.common import ErrorOut, require
from trellis.districts.permissions import Perm
from trellis.recommend import queries, services

router = Router(tags=["recommend"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class ReasonOut(Schema):
    code: str
    text: str


class FactorsOut(Schema):
    need_match: float
    fit: float
    effectiveness: float
    feasibility: float
    credit_bonus: float


class PickOut(Schema):
    offering: uuid.UUID
    title: str
    score: float
    slot: str
    slot_label: str
    hours: float
    cost: float
    format: str
    saved: bool
    factors: FactorsOut
    reasons: list[ReasonOut]


class RecommendationsOut(Schema):
    educator: uuid.UUID
    career_stage: str
    mode: str = Field(..., description="need, cold_start or expertise")
    size: int
    considered: int
    picks: list[PickOut]
    catalog_url: str = Field(..., description="The full catalog: recommendations hide nothing")


class FeedbackIn(Schema):
    offering: uuid.UUID = Field(..., description="Public id of a published offering")
    action: Literal["not_for_me", "save", "clear"]


class FeedbackOut(Schema):
    offering: uuid.UUID
    action: str = Field(..., description="The feedback now on record: not_for_me, save or none")


def _out(recs: queries.Recommendations) -> RecommendationsOut:
    return RecommendationsOut(
        educator=recs.educator.public_id,
        career_stage=recs.stage,
        mode=recs.mode,
        size=recs.size,
        considered=recs.considered,
        picks=[
            PickOut(
                offering=uuid.UUID(p.offering_id),
                title=p.title,
                score=p.score,
                slot=p.slot,
                slot_label=p.slot_label,
                hours=p.hours,
                cost=p.cost,
                format=p.format_label,
                saved=p.is_saved,
                factors=FactorsOut(**p.factors),
                reasons=[ReasonOut(code=r.code, text=r.text) for r in p.reasons],
            )
            for p in recs.picks
        ],
        catalog_url="/catalog/",
    )


@router.get("/me/recommendations", response={200: RecommendationsOut, **ERRORS})
def my_recommendations(request: HttpRequest) -> RecommendationsOut:
    """The caller's shortlist: each pick with its score, factor values, slot and reasons."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    return _out(queries.recommendations_for(access, request.user))


@router.get(
    "/educators/{educator_id}/recommendations", response={200: RecommendationsOut, **ERRORS}
)
def educator_recommendations(request: HttpRequest, educator_id: uuid.UUID) -> RecommendationsOut:
    """An educator's shortlist, for themselves, their coach (caseload) or a district admin.
    `educator_id` is the person's public id (as in /people). Another district's person → 404."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    educator = queries.educator_for_viewer(access, request.user, educator_id)
    return _out(queries.recommendations_for(access, educator))


@router.post("/me/recommendations/feedback", response={200: FeedbackOut, **ERRORS})
def post_feedback(request: HttpRequest, payload: FeedbackIn) -> FeedbackOut:
    """ "Not for me", "save", or "clear" (undo) on one offering; the next list reflects it."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    offering = queries.get_published_offering(access, payload.offering)
    row = services.give_feedback(
        access=access, actor=request.user, offering=offering, action=payload.action
    )
    return FeedbackOut(offering=payload.offering, action=row.action if row else "none")
