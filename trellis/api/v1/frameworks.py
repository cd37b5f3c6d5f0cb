"""Competency frameworks: the library and the district's own, their items, CASE import and export."""

import uuid

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trellis.api.v1.common import ErrorOut, require
from trellis.core.errors import DomainError
from trellis.districts.permissions import Perm
from trellis.frameworks import case, queries, services
from trellis.frameworks.exporting import case_package
from trellis.frameworks.models import Framework, FrameworkItem

router = Router(tags=["frameworks"])


class LevelOut(Schema):
    value: int
    label: str
    description: str
    is_target: bool


class FrameworkOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    title: str
    description: str
    version: str
    source: Framework.Source
    purpose: Framework.Purpose
    is_library: bool
    is_adopted: bool
    case_identifier: str
    case_version: str
    item_count: int = 0


class FrameworkDetailOut(FrameworkOut):
    creator: str
    publisher: str
    language: str
    subject: str
    levels: list[LevelOut]


class FrameworkFilter(Schema):
    purpose: Framework.Purpose | None = None


@router.get("", response=list[FrameworkOut])
@paginate(LimitOffsetPagination)
def list_frameworks(request: HttpRequest, filters: Query[FrameworkFilter]) -> object:
    """The Trellis library and the caller's district's frameworks, the adopted one first."""
    access = require(request, Perm.VIEW_FRAMEWORKS)
    return queries.frameworks(access, purpose=filters.purpose or "")


def _detail(framework: Framework) -> dict:
    """The detail fields, keyed as the schema reads them (by alias, e.g. public_id → id)."""
    fields = FrameworkDetailOut.model_fields
    names = [field.alias or name for name, field in fields.items() if name != "levels"]
    detail = {name: getattr(framework, name) for name in names if name != "item_count"}
    return detail | {
        "item_count": framework.items.count(),
        "levels": [LevelOut.from_orm(level) for level in queries.levels(framework)],
    }


class ImportPreviewOut(Schema):
    title: str
    document_identifier: str
    case_version: str
    updates_framework: uuid.UUID | None
    items_total: int
    items_created: int
    items_updated: int
    items_removed: int
    associations_kept: int
    kinds: dict[str, int]
    association_types: dict[str, int]
    skipped: list[dict[str, str]]
    warnings: list[str]


class ImportOut(Schema):
    framework: FrameworkDetailOut
    created: bool
    report: ImportPreviewOut


def _report(preview: services.ImportPreview) -> ImportPreviewOut:
    return ImportPreviewOut(
        title=preview.title,
        document_identifier=preview.document_identifier,
        case_version=preview.case_version,
        updates_framework=preview.existing.public_id if preview.existing else None,
        items_total=preview.items_total,
        items_created=preview.items_created,
        items_updated=preview.items_updated,
        items_removed=preview.items_removed,
        associations_kept=preview.associations_kept,
        kinds=preview.kinds,
        association_types=preview.association_types,
        skipped=[
            {"identifier": s.identifier, "type": s.association_type, "reason": s.reason}
            for s in preview.skipped
        ],
        warnings=preview.warnings,
    )


_CASE_BODY = {
    "requestBody": {
        "required": True,
        "description": f"A CASE 1.0 or 1.1 CFPackage (JSON, at most "
        f"{case.MAX_PACKAGE_BYTES // (1024 * 1024)} MB).",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


@router.post(
    "/import",
    response={
        200: ImportPreviewOut,
        201: ImportOut,
        400: ErrorOut,
        403: ErrorOut,
        413: ErrorOut,
    },
    openapi_extra=_CASE_BODY,
)
def import_case(
    request: HttpRequest,
    dry_run: bool = False,
    purpose: Framework.Purpose = Framework.Purpose.EDUCATOR_PRACTICE,
) -> tuple[int, object]:
    """Import a CASE CFPackage sent as the request body (district admins).

    With `dry_run=true` nothing is written and the preview is returned: counts of new, updated
    and removed items, associations kept, and every skipped association with its reason.
    Importing the same CFDocument again updates the earlier import.
    """
    access = require(request, Perm.MANAGE_FRAMEWORKS)
    # Read the raw stream (not request.body) so the CASE size limit, not Django's, applies.
    data = request.read(case.MAX_PACKAGE_BYTES + 1)
    if len(data) > case.MAX_PACKAGE_BYTES:
        raise _TooLarge()
    if dry_run:
        return 200, _report(services.preview_case_import(access=access, data=data))
    result = services.import_case_package(
        access=access, actor=request.user, data=data, purpose=purpose
    )
    return 201, ImportOut(
        framework=_detail(result.framework), created=result.created, report=_report(result.preview)
    )


class _TooLarge(DomainError):
    status = 413

    def __init__(self) -> None:
        super().__init__(
            "file_too_large",
            f"The package is larger than {case.MAX_PACKAGE_BYTES // (1024 * 1024)} MB.",
        )


@router.get("/{framework_id}", response={200: FrameworkDetailOut, 404: ErrorOut})
def get_framework(request: HttpRequest, framework_id: uuid.UUID) -> dict:
    access = require(request, Perm.VIEW_FRAMEWORKS)
    return _detail(queries.get_framework(access, framework_id))


class ItemOut(Schema):
    id: uuid.UUID = Field(..., alias="public_id")
    parent_id: uuid.UUID | None = Field(None, alias="parent_public_id")
    kind: FrameworkItem.Kind
    code: str = Field(..., alias="human_code")
    title: str
    statement: str
    description: str
    depth: int
    position: int
    case_identifier: str


class ItemFilter(Schema):
    kind: FrameworkItem.Kind | None = None


@router.get("/{framework_id}/competencies", response={200: list[ItemOut], 404: ErrorOut})
@paginate(LimitOffsetPagination)
def list_items(request: HttpRequest, framework_id: uuid.UUID, filters: Query[ItemFilter]) -> object:
    """Every item of the framework as a flat list (parents before children), optionally by kind."""
    access = require(request, Perm.VIEW_FRAMEWORKS)
    framework = queries.get_framework(access, framework_id)
    return queries.items(framework, kind=filters.kind or "")


@router.get("/{framework_id}/case", response={200: dict, 404: ErrorOut})
def export_case(request: HttpRequest, framework_id: uuid.UUID) -> dict:
    """The framework as a CASE 1.1 CFPackage (valid against the official CASE 1.1 JSON schema)."""
    access = require(request, Perm.VIEW_FRAMEWORKS)
    return case_package(queries.get_framework(access, framework_id))
