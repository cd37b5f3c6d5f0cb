"""Shared API pieces: the caller's district access, permission checks, common schemas."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Schema

from trellis.core.errors import DomainError, PermissionDenied
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess


class ErrorDetail(Schema):
    code: str
    message: str
    details: dict


class ErrorOut(Schema):
    error: ErrorDetail


def access_of(request: HttpRequest) -> DistrictAccess:
    access = getattr(request, "access", None)
    if access is None:
        raise DomainError(
            "no_district",
            "You have no role in the district you asked for. Check the X-Trellis-District header.",
        )
    return access


def require(request: HttpRequest, perm: Perm) -> DistrictAccess:
    access = access_of(request)
    if not access.can(perm):
        raise PermissionDenied()
    return access
