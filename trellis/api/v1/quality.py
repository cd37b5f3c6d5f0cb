"""Quality API: an offering's scorecard, educators' proposals and the caller's review.

GET  /offerings/{id}/scorecard   the scorecard (vetting, evidence, ratings, use, growth)
POST /offerings/proposals        propose (also POST /me/proposals) an offering (201 with the proposal)
GET  /me/proposals               the caller's proposals, newest first
GET  /offerings/{id}/my-review   the caller's review (404 when none)
PUT  /offerings/{id}/my-review   create (201) or replace (200) it; completers only
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.districts.permissions import Perm
from trellis.quality import queries
from trellis.quality.models import Proposal, Review
from trellis.quality.services import proposals as proposal_services
from trellis.quality.services import reviews as review_services

router = Router(tags=["quality"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class VettingOut(Schema):
    score: float = Field(description="Points earned over points possible, 0 to 1")
    vetted: bool = Field(description="Every essential rubric item met")
    unmet_essentials: list[str]
    completed_at: dt.datetime
    reviewer_role: str


class ShrunkOut(Schema):
    adjusted: float | None = Field(description="Shrunk toward the district mean; null when n=0")
    raw: float | None
    n: int
    prior_mean: float
    prior_strength: int


class GrowthOut(Schema):
    enough_data: bool
    effect: float | None = Field(
        description="Participants' mean change minus similar colleagues' (levels)"
    )
    participant_change: float | None
    comparison_change: float | None
    participants: int
    comparisons: int
    min_participants: int
    min_comparisons: int
    window_days: int
    message: str


class ScorecardOut(Schema):
    offering_id: uuid.UUID
    vetting: VettingOut | None
    evidence_tier: str
    evidence_tier_label: str
    evidence_citation: str
    design_features: list[str]
    rating: ShrunkOut
    used_in_class: ShrunkOut
    completion_rate: float | None = Field(description="completed / started (see docs)")
    completed: int
    started: int
    cost_per_hour: Decimal
    growth: GrowthOut


class ProposalIn(Schema):
    kind: Literal["found_online", "facilitate"]
    title: str
    description: str
    link: str = ""
    provider: str = ""
    format: str
    hours: Decimal
    cost: Decimal = Decimal(0)
    competencies: list[uuid.UUID] = []
    sessions_count: int | None = None
    audience: str = ""


class ProposalOut(Schema):
    id: uuid.UUID
    kind: str
    status: str
    title: str
    description: str
    link: str
    provider: str
    format: str
    hours: Decimal
    cost: Decimal
    competencies: list[uuid.UUID]
    sessions_count: int | None
    audience: str
    submitted_at: dt.datetime
    decided_at: dt.datetime | None
    decision_reason: str
    offering_id: uuid.UUID | None


class ReviewIn(Schema):
    stars: int = Field(description="1 to 5")
    text: str = ""


class ReviewOut(Schema):
    id: uuid.UUID
    offering_id: uuid.UUID
    stars: int
    text: str
    hidden: bool
    hidden_reason: str
    updated_at: dt.datetime


def growth_message(card: queries.Scorecard) -> str:
    g = card.growth
    if g.enough:
        return (
            f"Participants changed {g.participant_change:+.2f} levels, similar colleagues "
            f"{g.comparison_change:+.2f}: an effect of {g.effect:+.2f}."
        )
    return (
        f"Not enough data yet ({g.participants} participants with before-and-after ratings; "
        f"{card.min_participants} needed; {g.comparisons} comparisons, {card.min_comparisons} "
        "needed)."
    )


def scorecard_out(offering: Any, card: queries.Scorecard) -> ScorecardOut:
    g = card.growth
    return ScorecardOut(
        offering_id=offering.public_id,
        vetting=VettingOut(
            score=card.vetting.score,
            vetted=card.vetting.vetted,
            unmet_essentials=card.vetting.unmet_essentials,
            completed_at=card.vetting.completed_at,
            reviewer_role=card.vetting.reviewer_role,
        )
        if card.vetting
        else None,
        evidence_tier=card.evidence_tier,
        evidence_tier_label=str(card.evidence_tier_label),
        evidence_citation=card.evidence_citation,
        design_features=[value for value, _label in card.design_features],
        rating=ShrunkOut(
            adjusted=card.rating_shrunk,
            raw=card.rating_raw,
            n=card.rating_count,
            prior_mean=card.rating_prior,
            prior_strength=card.prior_strength,
        ),
        used_in_class=ShrunkOut(
            adjusted=card.used_shrunk,
            raw=card.used_raw,
            n=card.used_count,
            prior_mean=card.used_prior,
            prior_strength=card.prior_strength,
        ),
        completion_rate=card.completion_rate,
        completed=card.completed,
        started=card.started,
        cost_per_hour=card.cost_per_hour,
        growth=GrowthOut(
            enough_data=g.enough,
            effect=g.effect,
            participant_change=g.participant_change,
            comparison_change=g.comparison_change,
            participants=g.participants,
            comparisons=g.comparisons,
            min_participants=card.min_participants,
            min_comparisons=card.min_comparisons,
            window_days=card.growth_window_days,
            message=growth_message(card),
        ),
    )


def proposal_out(p: Proposal) -> ProposalOut:
    return ProposalOut(
        id=p.public_id,
        kind=p.kind,
        status=p.status,
        title=p.title,
        description=p.description,
        link=p.link,
        provider=p.provider,
        format=p.format,
        hours=p.hours,
        cost=p.cost,
        competencies=[c.public_id for c in p.competencies.all()],
        sessions_count=p.sessions_count,
        audience=p.audience,
        submitted_at=p.submitted_at,
        decided_at=p.decided_at,
        decision_reason=p.decision_reason,
        offering_id=p.offering.public_id if p.offering_id else None,
    )


def review_out(r: Review, offering: Any) -> ReviewOut:
    return ReviewOut(
        id=r.public_id,
        offering_id=offering.public_id,
        stars=r.stars,
        text=r.text,
        hidden=r.hidden,
        hidden_reason=r.hidden_reason,
        updated_at=r.updated_at,
    )


@router.get("/offerings/{offering_id}/scorecard", response={200: ScorecardOut, **ERRORS})
def get_scorecard(request: HttpRequest, offering_id: str) -> ScorecardOut:
    """The offering's quality scorecard. Another district's offering → 404."""
    access = require(request, Perm.VIEW_CATALOG)
    offering = queries.offering_in(access.district, offering_id)
    return scorecard_out(offering, queries.scorecard(access.district, offering))


@router.post("/offerings/proposals", response={201: ProposalOut, **ERRORS})
@router.post(
    "/me/proposals", response={201: ProposalOut, **ERRORS}, operation_id="post_my_proposal"
)
def post_proposal(request: HttpRequest, payload: ProposalIn) -> tuple[int, ProposalOut]:
    """Propose an offering: "found_online" (any educator; link and provider required) or
    "facilitate" (experienced and veteran educators; sessions_count and audience required)."""
    access = require(request, Perm.VIEW_CATALOG)
    data = payload.model_dump()
    data["competencies"] = [str(c) for c in data["competencies"]]
    proposal = proposal_services.submit_proposal(access=access, actor=request.user, **data)
    return 201, proposal_out(proposal)


@router.get("/me/proposals", response=list[ProposalOut])
@paginate(LimitOffsetPagination)
def list_my_proposals(request: HttpRequest) -> Any:
    """The caller's proposals with their status and the reason for the decision, newest first."""
    access = require(request, Perm.VIEW_CATALOG)
    rows = queries.my_proposals(access.district, request.user).prefetch_related("competencies")
    return MappedPage(rows, lambda page: [proposal_out(p) for p in page])


@router.get("/offerings/{offering_id}/my-review", response={200: ReviewOut, **ERRORS})
def get_my_review(request: HttpRequest, offering_id: str) -> ReviewOut:
    access = require(request, Perm.VIEW_CATALOG)
    offering = queries.offering_in(access.district, offering_id)
    review = queries.my_review(access.district, offering, request.user)
    if review is None:
        raise Http404("You have not reviewed this offering.")
    return review_out(review, offering)


@router.put(
    "/offerings/{offering_id}/my-review", response={200: ReviewOut, 201: ReviewOut, **ERRORS}
)
def put_my_review(
    request: HttpRequest, offering_id: str, payload: ReviewIn
) -> tuple[int, ReviewOut]:
    """Create (201) or replace (200) the caller's review; only completers may review."""
    access = require(request, Perm.VIEW_CATALOG)
    offering = queries.offering_in(access.district, offering_id)
    review, created = review_services.save_review(
        access=access, actor=request.user, offering=offering, stars=payload.stars, text=payload.text
    )
    return (201 if created else 200), review_out(review, offering)
