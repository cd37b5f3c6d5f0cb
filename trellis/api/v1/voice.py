"""Educator voice API: topic requests and their upvotes, the caller's volunteer offers, and the
demand report for PD leaders. Mounted at "/" with full paths."""

import datetime as dt
import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm
from trellis.growth import queries as growth_queries
from trellis.voice import demand, queries, services
from trellis.voice.models import TopicRequest, VolunteerKind, VolunteerOffer

router = Router(tags=["voice"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class CompetencyRef(Schema):
    id: uuid.UUID
    code: str
    title: str


def _competency_ref(item: Any) -> CompetencyRef | None:
    if item is None:
        return None
    return CompetencyRef(id=item.public_id, code=item.human_code, title=item.title)


# ---------------------------------------------------------------------------------------------
# topic requests
# ---------------------------------------------------------------------------------------------


class TopicRequestOut(Schema):
    id: uuid.UUID
    title: str
    details: str
    competency: CompetencyRef | None
    preferred_format: str
    status: str
    status_reason: str
    school: str | None
    requester: str
    votes: int
    voted: bool = Field(..., description="Whether the caller upvoted it")
    mine: bool = Field(..., description="Whether the caller asked for it")
    offering: uuid.UUID | None
    created_at: dt.datetime


class TopicRequestIn(Schema):
    title: str = Field(..., max_length=200)
    details: str = Field(..., max_length=4000)
    competency: uuid.UUID | None = Field(None, description="Public id of a competency")
    preferred_format: str = Field("", description="growth LearningFormat value, or empty")
    allow_similar: bool = Field(
        False, description="Post even though a similar open request exists (409 otherwise)"
    )


class VoteOut(Schema):
    id: uuid.UUID
    votes: int
    voted: bool


def _request_out(found: TopicRequest, user: Any, voted: set[int]) -> TopicRequestOut:
    return TopicRequestOut(
        id=found.public_id,
        title=found.title,
        details=found.details,
        competency=_competency_ref(found.competency),
        preferred_format=found.preferred_format,
        status=found.status,
        status_reason=found.status_reason,
        school=found.school.name if found.school else None,
        requester=found.requester.full_name if found.requester else "",
        votes=getattr(found, "vote_count", 0),
        voted=found.pk in voted,
        mine=found.requester_id == user.pk,
        offering=found.offering.public_id if found.offering else None,
        created_at=found.created_at,
    )


def _page_out(user: Any) -> Any:
    def convert(rows: list[TopicRequest]) -> list[TopicRequestOut]:
        voted = queries.voted_request_ids(user, [r.pk for r in rows])
        return [_request_out(r, user, voted) for r in rows]

    return convert


@router.get("/topic-requests", response=list[TopicRequestOut])
@paginate(LimitOffsetPagination)
def list_topic_requests(
    request: HttpRequest,
    status: Literal["", "open", "planned", "delivered", "declined", "all"] = "",
    competency: str = "",
    q: str = "",
    sort: Literal["votes", "newest"] = "votes",
) -> Any:
    """The district's topic requests: open and planned by default, most upvoted first.
    `competency` is a competency's public id, or "none" for requests naming none."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    item: Any = None
    if competency == queries.NO_COMPETENCY:
        item = queries.NO_COMPETENCY
    elif competency:
        framework = growth_queries.adopted_framework(access.district)
        cmap = growth_queries.competency_map(framework) if framework else None
        item = cmap.by_public_id().get(competency.strip().lower()) if cmap else None
        if item is None:
            raise DomainError(
                "unknown_competency",
                f"“{competency}” is not a competency of the district's adopted framework.",
                details={"field": "competency"},
            )
    rows = queries.requests_for(access, status=status, competency=item, search=q, sort=sort)
    return MappedPage(rows, _page_out(request.user))


@router.post("/topic-requests", response={201: TopicRequestOut, **ERRORS})
def create_topic_request(
    request: HttpRequest, payload: TopicRequestIn
) -> tuple[int, TopicRequestOut]:
    """Ask for a topic. 409 `similar_request` names an open request like it in
    `details.similar`: upvote that one, or send again with `allow_similar: true`."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    created = services.create_request(
        access=access,
        actor=request.user,
        title=payload.title,
        details=payload.details,
        competency=payload.competency,
        preferred_format=payload.preferred_format,
        allow_similar=payload.allow_similar,
    )
    found = queries.get_request(access, request.user, created.public_id)
    return 201, _request_out(found, request.user, set())


def _vote_out(access: Any, user: Any, request_id: uuid.UUID) -> VoteOut:
    found = queries.get_request(access, user, request_id)
    return VoteOut(
        id=found.public_id,
        votes=found.vote_count,
        voted=bool(queries.voted_request_ids(user, [found.pk])),
    )


@router.post("/topic-requests/{request_id}/vote", response={200: VoteOut, 201: VoteOut, **ERRORS})
def upvote(request: HttpRequest, request_id: uuid.UUID) -> tuple[int, VoteOut]:
    """Upvote (201; 200 when the caller had already upvoted). Not on one's own request."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    found = queries.get_request(access, request.user, request_id)
    added = services.vote(access=access, actor=request.user, topic_request=found)
    return (201 if added else 200), _vote_out(access, request.user, request_id)


@router.delete("/topic-requests/{request_id}/vote", response={200: VoteOut, **ERRORS})
def take_back_vote(request: HttpRequest, request_id: uuid.UUID) -> VoteOut:
    """Take the caller's upvote back (200 whether or not there was one)."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    found = queries.get_request(access, request.user, request_id)
    services.unvote(access=access, actor=request.user, topic_request=found)
    return _vote_out(access, request.user, request_id)


# ---------------------------------------------------------------------------------------------
# volunteering
# ---------------------------------------------------------------------------------------------


class VolunteerOut(Schema):
    id: uuid.UUID
    kind: str
    kind_label: str
    competencies: list[CompetencyRef]
    note: str
    availability: str
    status: str
    status_note: str
    created_at: dt.datetime


class VolunteerIn(Schema):
    kind: VolunteerKind
    competencies: list[uuid.UUID] = Field(default_factory=list, max_length=10)
    note: str = Field("", max_length=4000)
    availability: str = Field("", max_length=300)


def _offer_out(offer: VolunteerOffer) -> VolunteerOut:
    return VolunteerOut(
        id=offer.public_id,
        kind=offer.kind,
        kind_label=offer.get_kind_display(),
        competencies=[_competency_ref(c) for c in offer.competencies.all()],
        note=offer.note,
        availability=offer.availability,
        status=offer.status,
        status_note=offer.status_note,
        created_at=offer.created_at,
    )


@router.get("/me/volunteering", response=list[VolunteerOut])
@paginate(LimitOffsetPagination)
def list_my_offers(request: HttpRequest) -> Any:
    """The caller's offers to lead, present, mentor or assess, newest first."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    rows = queries.my_offers(access, request.user)
    return MappedPage(rows, lambda page: [_offer_out(o) for o in page])


@router.post("/me/volunteering", response={201: VolunteerOut, **ERRORS})
def create_offer(request: HttpRequest, payload: VolunteerIn) -> tuple[int, VolunteerOut]:
    """Offer to lead_session, present, lead_plc, mentor or assessor; 409 while an offer of the
    same kind is still waiting or contacted."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    offer = services.offer_to_volunteer(
        access=access,
        actor=request.user,
        kind=str(getattr(payload.kind, "value", payload.kind)),
        competencies=payload.competencies,
        note=payload.note,
        availability=payload.availability,
    )
    return 201, _offer_out(queries.get_offer(access, offer.public_id))


# ---------------------------------------------------------------------------------------------
# demand
# ---------------------------------------------------------------------------------------------


class CompetencyDemandOut(Schema):
    competency: CompetencyRef | None
    domain: str
    requests: int
    votes: int
    demand: int
    volunteers: int
    published_offerings: int


class SchoolDemandOut(Schema):
    school: str | None
    school_id: uuid.UUID | None
    requests: int
    votes: int
    demand: int


class DemandOut(Schema):
    total_requests: int
    total_votes: int
    by_competency: list[CompetencyDemandOut]
    by_school: list[SchoolDemandOut]


@router.get("/reports/demand", response={200: DemandOut, 400: ErrorOut, 403: ErrorOut})
def demand_report(request: HttpRequest) -> DemandOut:
    """Open and planned requests and their upvotes by competency (with volunteers and published
    offerings aligned to it) and by the requester's school, most demand first."""
    access = require(request, Perm.VIEW_DEMAND)
    report = demand.demand_report(access.district)
    return DemandOut(
        total_requests=report.total_requests,
        total_votes=report.total_votes,
        by_competency=[
            CompetencyDemandOut(
                competency=_competency_ref(row.competency),
                domain=row.domain,
                requests=row.requests,
                votes=row.votes,
                demand=row.demand,
                volunteers=row.volunteers,
                published_offerings=row.offerings,
            )
            for row in report.competencies
        ],
        by_school=[
            SchoolDemandOut(
                school=row.school.name if row.school else None,
                school_id=row.school.public_id if row.school else None,
                requests=row.requests,
                votes=row.votes,
                demand=row.demand,
            )
            for row in report.schools
        ],
    )
