"""The caller: who they are, their districts and roles, their API tokens; and the token endpoint."""

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from trellis.accounts import queries as account_queries
from trellis.accounts import services as accounts
from trellis.api.v1.common import ErrorOut
from trellis.core.http import client_ip
from trellis.districts import queries as district_queries

router = Router(tags=["me"])
auth_router = Router(tags=["auth"])


class TokenIn(Schema):
    email: str = Field(..., max_length=254)
    password: str = Field(..., max_length=4096)


class TokenOut(Schema):
    token: str


@auth_router.post(
    "/token", auth=None, response={200: TokenOut, 400: ErrorOut, 422: ErrorOut, 429: ErrorOut}
)
def create_token(request: HttpRequest, payload: TokenIn) -> TokenOut:
    """Exchange e-mail and password for a bearer token (throttled like the sign-in page)."""
    user = accounts.authenticate_credentials(
        email=payload.email, password=payload.password, ip_address=client_ip(request), channel="api"
    )
    _token, secret = accounts.create_api_token(
        user=user, name=f"API sign-in {timezone.localdate():%Y-%m-%d}"
    )
    return TokenOut(token=secret)


class MembershipOut(Schema):
    district_id: uuid.UUID
    district: str
    district_slug: str
    roles: list[str]
    current: bool


class MeOut(Schema):
    id: uuid.UUID
    email: str
    full_name: str
    preferred_name: str
    districts: list[MembershipOut]


@router.get("", response=MeOut)
def me(request: HttpRequest) -> MeOut:
    """The signed-in person, with their roles in every district they belong to."""
    user = request.user
    memberships = []
    for district in request.user_districts:
        access = district_queries.access_for(user, district)
        memberships.append(
            MembershipOut(
                district_id=district.public_id,
                district=district.name,
                district_slug=district.slug,
                roles=sorted(access.roles) if access else [],
                current=district == request.district,
            )
        )
    return MeOut(
        id=user.public_id,
        email=user.email,
        full_name=user.full_name,
        preferred_name=user.preferred_name,
        districts=memberships,
    )


class ApiTokenOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    active: bool = Field(..., alias="is_active")


class NewTokenIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)


class NewTokenOut(Schema):
    token: str
    details: ApiTokenOut


@router.get("/tokens", response=list[ApiTokenOut])
def list_tokens(request: HttpRequest) -> list:
    return list(account_queries.tokens_for(request.user))


@router.post("/tokens", response={201: NewTokenOut, 400: ErrorOut, 409: ErrorOut})
def create_named_token(request: HttpRequest, payload: NewTokenIn) -> tuple[int, dict]:
    token, secret = accounts.create_api_token(user=request.user, name=payload.name)
    return 201, {"token": secret, "details": token}


@router.post("/tokens/{token_id}/revoke", response={200: ApiTokenOut, 404: ErrorOut, 409: ErrorOut})
def revoke_token(request: HttpRequest, token_id: uuid.UUID) -> object:
    token = account_queries.get_token(request.user, token_id)
    return accounts.revoke_api_token(actor=request.user, token=token)
