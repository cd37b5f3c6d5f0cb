"""District resources: schools, people, invitations and the audit log."""

import datetime as dt
import uuid

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, MappedPage, access_of, require
from trellis.audit.queries import filter_events
from trellis.districts import queries, services
from trellis.districts.models import Invitation, Role
from trellis.districts.permissions import Perm

router = Router(tags=["districts"])


class SchoolOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    name: str
    grade_span: str


@router.get("/schools", response=list[SchoolOut])
@paginate(LimitOffsetPagination)
def list_schools(request: HttpRequest) -> object:
    """Schools of the caller's district."""
    return queries.schools_with_counts(access_of(request).district)


class PersonOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    roles: list[str]


class PeopleFilter(Schema):
    role: Role | None = None
    school: uuid.UUID | None = None
    q: str = Field("", max_length=100, description="Search in name and e-mail")


@router.get("/people", response=list[PersonOut])
@paginate(LimitOffsetPagination)
def list_people(request: HttpRequest, filters: Query[PeopleFilter]) -> list[PersonOut]:
    """People the caller may see: the district for admins, their schools for principals and coaches."""
    access = require(request, Perm.VIEW_SCHOOL_STAFF)
    school = queries.get_school(access, filters.school) if filters.school else None
    people = queries.members(access, role=filters.role or "", school=school, search=filters.q)
    return MappedPage(people, lambda page: _people_out(access, page))  # type: ignore[return-value]


def _people_out(access: queries.DistrictAccess, page: list) -> list[PersonOut]:
    roles = queries.roles_by_user(access.district, [p.pk for p in page])
    return [
        PersonOut(id=p.public_id, email=p.email, full_name=p.full_name, roles=roles.get(p.pk, []))
        for p in page
    ]


@router.get("/people/{person_id}", response={200: PersonOut, 404: ErrorOut})
def get_person(request: HttpRequest, person_id: uuid.UUID) -> PersonOut:
    access = require(request, Perm.VIEW_SCHOOL_STAFF)
    person = queries.members(access).filter(public_id=person_id).first()
    if person is None:
        raise Http404("No such person.")
    roles = queries.roles_by_user(access.district, [person.pk]).get(person.pk, [])
    return PersonOut(
        id=person.public_id, email=person.email, full_name=person.full_name, roles=roles
    )


class InvitationIn(Schema):
    email: str = Field(..., max_length=254)
    roles: list[Role] = Field(..., min_length=1)
    full_name: str = Field("", max_length=150)
    school: uuid.UUID | None = None


class InvitationOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    email: str
    full_name: str
    roles: list[str]
    status: Invitation.Status
    created_at: dt.datetime
    expires_at: dt.datetime
    accepted_at: dt.datetime | None


@router.get("/invitations", response=list[InvitationOut])
@paginate(LimitOffsetPagination)
def list_invitations(request: HttpRequest, status: Invitation.Status | None = None) -> object:
    access = require(request, Perm.MANAGE_PEOPLE)
    return queries.invitations(access.district, status=status or "")


@router.post(
    "/invitations", response={201: InvitationOut, 400: ErrorOut, 403: ErrorOut, 409: ErrorOut}
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> tuple[int, Invitation]:
    """Invite someone to the district; they receive an e-mail with a one-time link."""
    access = require(request, Perm.MANAGE_PEOPLE)
    school = queries.get_school(access, payload.school) if payload.school else None
    invitation = services.invite(
        access=access,
        actor=request.user,
        email=payload.email,
        roles=[role.value for role in payload.roles],
        full_name=payload.full_name,
        school=school,
    )
    return 201, invitation


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, 404: ErrorOut, 409: ErrorOut},
)
def revoke_invitation(request: HttpRequest, invitation_id: uuid.UUID) -> Invitation:
    access = require(request, Perm.MANAGE_PEOPLE)
    invitation = queries.get_invitation(access, invitation_id)
    return services.revoke_invitation(access=access, actor=request.user, invitation=invitation)


class AuditEventOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    created_at: dt.datetime
    actor: str = Field(..., alias="actor_label")
    action: str
    summary: str
    target_type: str
    target_id: str
    data: dict


class AuditFilter(Schema):
    action: str = Field("", max_length=64)
    actor: str = Field("", max_length=254, description="E-mail contains")
    since: dt.date | None = None
    until: dt.date | None = None


@router.get("/audit-events", response=list[AuditEventOut])
@paginate(LimitOffsetPagination)
def list_audit_events(request: HttpRequest, filters: Query[AuditFilter]) -> object:
    """The district's audit log, newest first (district admins)."""
    access = require(request, Perm.VIEW_AUDIT_LOG)
    return filter_events(
        queries.audit_events(access.district),
        action=filters.action,
        actor_email=filters.actor,
        since=filters.since,
        until=filters.until,
    )
