"""The catalog: GET /offerings (filtered, sorted, paginated) and GET /offerings/{id}.

The filters are the catalog page's, parsed by the same code: a wrong value is a 400 naming
each bad parameter (the page instead shows the message and applies the other filters).
"""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.catalog.forms_catalog import parse_filters
from trellis.catalog.models import Offering
from trellis.catalog.offering_choices import (
    CATEGORY_CHOICES,
    DESIGN_FEATURE_CHOICES,
    label_of,
    unit_label,
)
from trellis.catalog.queries import offerings as queries
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm

router = Router(tags=["catalog"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class CompetencyOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    framework: str


class OfferingSummaryOut(Schema):
    id: uuid.UUID
    title: str
    summary: str
    kind: str
    kind_label: str
    format: str
    format_label: str
    provider: str
    status: str
    hours: Decimal
    cost: Decimal
    credit_amount: Decimal
    credit_unit: str
    credit_text: str
    evidence_tier: str
    next_session_starts_at: dt.datetime | None
    seats_left: int | None = Field(..., description="Free seats; null when there is no limit")
    competencies: list[CompetencyOut]


class SessionOut(Schema):
    id: uuid.UUID
    starts_at: dt.datetime
    ends_at: dt.datetime
    hours: Decimal
    location: str
    link: str
    status: str
    capacity: int | None
    seats_left: int | None
    waitlisted: int
    facilitator: str


class AudiencesOut(Schema):
    grade_bands: list[str]
    subjects: list[str]
    positions: list[str]
    career_stages: list[str]
    students_served: list[str]


class DesignFeatureOut(Schema):
    key: str
    label: str
    present: bool


class OfferingOut(OfferingSummaryOut):
    description: str
    provider_approved: bool
    location: str
    link: str
    cost_per_hour: Decimal
    during_school_hours: bool
    leadership: bool
    audiences: AudiencesOut
    evidence_tier_label: str
    evidence_citation: str
    design_features: list[DesignFeatureOut]
    credit_unit_label: str
    credit_category: str
    credit_category_label: str
    topics: list[str]
    registration: str
    capacity: int | None
    waitlist_enabled: bool
    enrolment_opens: bool
    requires_reflection: bool
    published_at: dt.datetime | None
    sessions: list[SessionOut]


class OfferingQuery(Schema):
    """The catalog page's filters; every one optional. Values are checked by the catalog's own
    parser, so a wrong one is a 400 naming the parameter."""

    q: str | None = Field(None, description="Words in the title, summary, description, provider")
    competency: str | None = Field(
        None, description="A framework item id: offerings aligned to it or to items under it"
    )
    kind: str | None = Field(None, description="online_course, workshop, …")
    format: str | None = Field(None, description="in_person, online_live, self_paced, …")
    grade: str | None = Field(None, description="Grade band: pre_k, k_5, 6_8, 9_12")
    subject: str | None = Field(None, description="Part of a subject, any case")
    career_stage: str | None = Field(None, description="novice, developing, experienced, veteran")
    students: str | None = Field(None, description="Students served, e.g. english_learners")
    max_hours: str | None = Field(None, description="Time needed, at most (hours)")
    free: str | None = Field(None, description="1: free offerings only")
    max_cost: str | None = Field(None, description="Cost at most, in dollars")
    credit: str | None = Field(None, description="Credit unit: clock_hour, ceu, pdp, …")
    date_from: str | None = Field(None, description="Has a session on or after (YYYY-MM-DD)")
    date_to: str | None = Field(None, description="Has a session on or before (YYYY-MM-DD)")
    status: str | None = Field(
        None, description="Catalog managers: a status, or any (default: published)"
    )
    sort: str | None = Field(None, description="title, soonest, shortest, cost, newest")


def _competency_out(item: Any) -> CompetencyOut:
    return CompetencyOut(
        id=item.public_id, code=item.human_code, title=item.title, framework=item.framework.title
    )


def _summary_fields(offering: Offering) -> dict[str, Any]:
    card = queries.card_for(offering)
    return {
        "id": offering.public_id,
        "title": offering.title,
        "summary": offering.summary,
        "kind": offering.kind,
        "kind_label": card.kind_label,
        "format": offering.format,
        "format_label": card.format_label,
        "provider": offering.provider,
        "status": offering.status,
        "hours": offering.hours,
        "cost": offering.cost,
        "credit_amount": offering.credit_amount,
        "credit_unit": offering.credit_unit,
        "credit_text": card.credit_text,
        "evidence_tier": offering.evidence_tier,
        "next_session_starts_at": card.next_starts_at,
        "seats_left": card.seats_left,
        "competencies": [_competency_out(item) for item in offering.competencies.all()],
    }


@router.get("/offerings", response={200: list[OfferingSummaryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_offerings(request: HttpRequest, filters: Query[OfferingQuery]) -> Any:
    """The catalog: published offerings of the district (catalog managers may ask for a
    status), filtered and sorted like the catalog page."""
    access = require(request, Perm.VIEW_CATALOG)
    parsed = parse_filters(request.GET, access=access)
    if parsed.errors:
        fields = [{"field": name, "message": message} for name, message in parsed.errors.items()]
        raise DomainError(
            "invalid_filter",
            "; ".join(f"{f['field']}: {f['message']}" for f in fields),
            details={"fields": fields},
        )
    offerings = queries.search_offerings(access, parsed.filters)
    return MappedPage(
        offerings,
        lambda page: [
            OfferingSummaryOut(**_summary_fields(o)) for o in queries.attach_listing_figures(page)
        ],
    )


@router.get("/offerings/{offering_id}", response={200: OfferingOut, **ERRORS})
def get_offering(request: HttpRequest, offering_id: str) -> OfferingOut:
    """One offering with its sessions (times in UTC), competencies, audiences and evidence."""
    access = require(request, Perm.VIEW_CATALOG)
    offering = queries.get_offering(access, offering_id, viewer=request.user)
    sessions = [
        SessionOut(
            id=row.session.public_id,
            starts_at=row.session.starts_at,
            ends_at=row.session.ends_at,
            hours=row.session.hours,
            location=row.session.location,
            link=row.session.link,
            status=row.session.status,
            capacity=row.session.capacity,
            seats_left=row.seats_left,
            waitlisted=row.waitlisted,
            facilitator=row.session.facilitator.full_name if row.session.facilitator else "",
        )
        for row in queries.session_rows(offering)
    ]
    return OfferingOut(
        **_summary_fields(offering),
        description=offering.description,
        provider_approved=offering.provider_approved,
        location=offering.location,
        link=offering.link,
        cost_per_hour=offering.cost_per_hour,
        during_school_hours=offering.during_school_hours,
        leadership=offering.leadership,
        audiences=AudiencesOut(
            grade_bands=offering.grade_bands,
            subjects=offering.subjects,
            positions=offering.positions,
            career_stages=offering.career_stages,
            students_served=offering.students_served,
        ),
        evidence_tier_label=offering.get_evidence_tier_display(),
        evidence_citation=offering.evidence_citation,
        design_features=[
            DesignFeatureOut(key=key, label=label, present=key in offering.design_features)
            for key, label in DESIGN_FEATURE_CHOICES
        ],
        credit_unit_label=unit_label(offering.credit_unit),
        credit_category=offering.credit_category,
        credit_category_label=label_of(CATEGORY_CHOICES, offering.credit_category),
        topics=offering.topics,
        registration=offering.registration,
        capacity=offering.capacity,
        waitlist_enabled=offering.waitlist_enabled,
        enrolment_opens=offering.enrolment_opens,
        requires_reflection=offering.requires_reflection,
        published_at=offering.published_at,
        sessions=sessions,
    )
