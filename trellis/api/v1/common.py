"""Shared API pieces: the caller's district access, permission checks, common schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
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


class MappedPage:
    """A queryset the paginator slices lazily; `convert` then turns just that page into schemas.

    `convert` receives the page's rows as a list, so it can fetch related data for the page in
    one query instead of one per row.
    """

    def __init__(self, rows: QuerySet, convert: Callable[[list[Any]], list[Any]]) -> None:
        self.rows, self.convert = rows, convert

    def count(self) -> int:
        return self.rows.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[Any]:
        return self.convert(list(self.rows[item]))
