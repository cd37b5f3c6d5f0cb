"""Micro-credential definitions: GET /micro-credentials (paginated; q and competency filters),
GET /micro-credentials/{id} (the latest published version with its parts and rubric) and
GET /micro-credentials/{id}/export (the JSON exchange document, docs/micro-credentials.md)."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, require
from trellis.catalog.offering_choices import credit_text
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm
from trellis.microcredentials.models import DefinitionVersion
from trellis.microcredentials.queries import definitions as queries
from trellis.microcredentials.services import definition_json

router = Router(tags=["micro-credentials"])

ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class McCompetencyOut(Schema):
    id: uuid.UUID
    code: str
    title: str
    case_identifier: str


class McSummaryOut(Schema):
    id: uuid.UUID
    slug: str
    status: str
    version: int
    version_status: str
    title: str
    summary: str
    issuer_name: str
    issuer_url: str
    estimated_hours: Decimal
    credit_amount: Decimal
    credit_unit: str
    credit_text: str
    published_at: dt.datetime | None
    competencies: list[McCompetencyOut]


class LevelOut(Schema):
    key: str
    label: str
    descriptor: str


class CriterionOut(Schema):
    id: uuid.UUID
    position: int
    name: str
    levels: list[LevelOut]


class PartOut(Schema):
    id: uuid.UUID
    position: int
    kind: str
    title: str
    prompt: str
    required: bool
    accepted_types: list[str]
    max_files: int
    max_words: int | None
    criteria: list[CriterionOut]


class ResourceOut(Schema):
    title: str
    url: str


class PrerequisiteOut(Schema):
    id: uuid.UUID
    slug: str


class StackRefOut(Schema):
    id: uuid.UUID
    title: str
    capstone_title: str
    required_count: int


class McOut(McSummaryOut):
    key_method: str
    method_components: list[str]
    research: str
    resources: list[ResourceOut]
    prerequisites: list[PrerequisiteOut]
    stacks: list[StackRefOut]
    parts: list[PartOut]


class McQuery(Schema):
    q: str | None = Field(None, description="Words in the title, summary, key method or issuer")
    competency: str | None = Field(
        None, description="A framework item id: definitions aligned to it or to items under it"
    )


def _summary(version: DefinitionVersion) -> dict[str, Any]:
    mc = version.micro_credential
    return {
        "id": mc.public_id,
        "slug": mc.slug,
        "status": mc.status,
        "version": version.number,
        "version_status": version.status,
        "title": version.title,
        "summary": version.summary,
        "issuer_name": version.issuer_name,
        "issuer_url": version.issuer_url,
        "estimated_hours": version.estimated_hours,
        "credit_amount": version.credit_amount,
        "credit_unit": version.credit_unit,
        "credit_text": credit_text(version.credit_amount, version.credit_unit),
        "published_at": version.published_at,
        "competencies": [
            McCompetencyOut(
                id=c.public_id, code=c.human_code, title=c.title, case_identifier=c.case_identifier
            )
            for c in version.competencies.all()
        ],
    }


@router.get("/micro-credentials", response={200: list[McSummaryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def list_micro_credentials(request: HttpRequest, filters: Query[McQuery]) -> Any:
    """Published micro-credentials of the district (their latest published version), by title."""
    access = require(request, Perm.VIEW_OWN_LEARNING)
    competency = None
    if filters.competency:
        competency = queries.competency_or_none(access, filters.competency)
        if competency is None:
            raise DomainError(
                "invalid_filter",
                "competency: not a competency of the district's frameworks.",
                details={"fields": [{"field": "competency", "message": "Unknown competency."}]},
            )
    rows = queries.search_versions(
        access,
        queries.DefinitionFilters(
            text=" ".join((filters.q or "").split())[:200], competency=competency
        ),
        published_only=True,  # the API lists what educators can earn, for authors too
    )
    return MappedPage(rows, lambda page: [McSummaryOut(**_summary(v)) for v in page])


def _published(request: HttpRequest, mc_id: str) -> DefinitionVersion:
    access = require(request, Perm.VIEW_OWN_LEARNING)
    micro_credential = queries.get_micro_credential(access, mc_id)
    version = micro_credential.versions.filter(status=DefinitionVersion.Status.PUBLISHED).first()
    if version is None:
        raise DomainError("not_published", "This micro-credential has no published version yet.")
    return version


@router.get("/micro-credentials/{mc_id}", response={200: McOut, **ERRORS})
def get_micro_credential(request: HttpRequest, mc_id: str) -> McOut:
    """The latest published version with its parts, rubric criteria and prerequisites."""
    version = queries.full_version(_published(request, mc_id).pk)
    return McOut(
        **_summary(version),
        key_method=version.key_method,
        method_components=version.method_components,
        research=version.research,
        resources=[ResourceOut(**r) for r in version.resources],
        prerequisites=[
            PrerequisiteOut(id=p.public_id, slug=p.slug) for p in version.prerequisites.all()
        ],
        stacks=[
            StackRefOut(
                id=s.public_id,
                title=s.title,
                capstone_title=s.capstone_title,
                required_count=s.required_count,
            )
            for s in queries.stacks_of(version.micro_credential)
        ],
        parts=[
            PartOut(
                id=part.public_id,
                position=part.position,
                kind=part.kind,
                title=part.title,
                prompt=part.prompt,
                required=part.required,
                accepted_types=part.accepted_types,
                max_files=part.max_files,
                max_words=part.max_words,
                criteria=[
                    CriterionOut(id=c.public_id, position=c.position, name=c.name, levels=c.levels)
                    for c in part.criteria.all()
                ],
            )
            for part in version.parts.all()
        ],
    )


@router.get("/micro-credentials/{mc_id}/export", response={200: dict, **ERRORS})
def export_micro_credential(request: HttpRequest, mc_id: str) -> dict:
    """The latest published version as a "trellis.micro-credential/1" document."""
    return definition_json.export_version(_published(request, mc_id))
