"""CASE import: preview what a package would do, then write it (a re-import updates in place).

Nothing is written unless the whole package can be read: `case.parse_package` raises on bad input
and the import runs in one transaction with its audit row.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError
from trellis.districts.queries import DistrictAccess
from trellis.frameworks import case
from trellis.frameworks.library import DEFAULT_LEVELS
from trellis.frameworks.models import CaseUpload, Framework, FrameworkAssociation, FrameworkItem
from trellis.frameworks.services.common import (
    LevelDraft,
    NotFound,
    fit,
    require_manage,
    validate_levels,
    write_levels,
)
from trellis.frameworks.services.tree import ItemRow, existing_keys, sync_items

UPLOAD_LIFETIME = dt.timedelta(days=1)
_URI_LIMIT = FrameworkItem._meta.get_field("case_uri").max_length


@dataclass
class ImportPreview:
    title: str
    document_identifier: str
    case_version: str
    existing: Framework | None
    items_total: int
    items_created: int
    items_updated: int
    items_removed: int
    associations_kept: int
    kinds: dict[str, int]
    association_types: dict[str, int]
    skipped: list[case.SkippedAssociation]
    warnings: list[str]
    package: case.CasePackage = field(repr=False)
    rows: list[ItemRow] = field(repr=False)
    levels: list[LevelDraft] | None = field(repr=False)

    @property
    def is_update(self) -> bool:
        return self.existing is not None


@dataclass
class ImportResult:
    framework: Framework
    preview: ImportPreview
    created: bool


def _parse(data: bytes | str) -> case.CasePackage:
    try:
        return case.parse_package(data)
    except case.CaseError as exc:
        raise DomainError(exc.code, exc.message, details=exc.details) from None


def _matching_framework(access: DistrictAccess, identifier: str) -> Framework | None:
    """The district's framework this package updates: same CASE identifier, or our own export."""
    own = Framework.objects.filter(district=access.district)
    found = own.filter(case_identifier=identifier).first()
    if found is None:
        try:
            found = own.filter(case_identifier="", public_id=uuid.UUID(identifier)).first()
        except ValueError:
            return None
    return found


def _rows(package: case.CasePackage, warnings: list[str]) -> list[ItemRow]:
    rows = []
    code_limit = FrameworkItem._meta.get_field("human_code").max_length
    for item in package.items:
        if len(item.human_code) > code_limit:
            warnings.append(
                f"CFItem {item.identifier}: its code is longer than {code_limit} characters "
                "and was shortened."
            )
        uri = item.uri
        if len(uri) > _URI_LIMIT:
            warnings.append(f"CFItem {item.identifier}: its URI is too long and was not kept.")
            uri = ""
        parent = package.parents[item.identifier]
        rows.append(
            ItemRow(
                key=item.identifier,
                parent_key=parent,
                depth=package.depths[item.identifier],
                position=package.positions[item.identifier],
                kind=package.kinds[item.identifier],
                title=fit(
                    FrameworkItem, "title", item.abbreviated_statement or item.full_statement
                ),
                statement=item.full_statement,
                description=item.notes,
                human_code=fit(FrameworkItem, "human_code", item.human_code),
                case_uri=uri,
                case_item_type=fit(FrameworkItem, "case_item_type", item.item_type),
                education_levels=item.education_levels,
            )
        )
    return rows


def _levels(package: case.CasePackage, warnings: list[str]) -> list[LevelDraft] | None:
    """The proficiency scale carried by a Trellis export, if any and if valid."""
    if not package.document.scale:
        return None
    try:
        return validate_levels(
            [
                LevelDraft(
                    value=int(level.get("value", 0)),
                    label=str(level.get("label", "")),
                    description=str(level.get("description", "")),
                    is_target=level.get("is_target") is True,
                )
                for level in package.document.scale
            ]
        )
    except (DomainError, TypeError, ValueError) as exc:
        reason = exc.message if isinstance(exc, DomainError) else "it is malformed"
        warnings.append(f"The proficiency scale in the file was not used: {reason}")
        return None


def preview_case_import(*, access: DistrictAccess, data: bytes | str) -> ImportPreview:
    """What importing `data` would create, update, remove and skip. Writes nothing."""
    require_manage(access)
    package = _parse(data)
    warnings = list(package.warnings)
    rows = _rows(package, warnings)
    levels = _levels(package, warnings)
    existing = _matching_framework(access, package.document.identifier)
    before = existing_keys(existing) if existing else set()
    incoming = {row.key for row in rows}
    labels = dict(FrameworkItem.Kind.choices)
    return ImportPreview(
        title=package.document.title,
        document_identifier=package.document.identifier,
        case_version=package.document.case_version,
        existing=existing,
        items_total=len(rows),
        items_created=len(incoming - before),
        items_updated=len(incoming & before),
        items_removed=len(before - incoming),
        associations_kept=len(package.associations),
        kinds={labels[k]: n for k, n in sorted(Counter(package.kinds.values()).items())},
        association_types=dict(
            sorted(Counter(a.association_type for a in package.associations).items())
        ),
        skipped=package.skipped,
        warnings=warnings,
        package=package,
        rows=rows,
        levels=levels,
    )


def _framework_values(document: case.CaseDocument) -> dict[str, Any]:
    return {
        "title": fit(Framework, "title", document.title),
        "description": document.description,
        "creator": fit(Framework, "creator", document.creator),
        "publisher": fit(Framework, "publisher", document.publisher),
        "version": fit(Framework, "version", document.version),
        "language": fit(Framework, "language", document.language) or "en",
        "subject": fit(Framework, "subject", document.subject),
        "case_uri": document.uri if len(document.uri) <= _URI_LIMIT else "",
        "case_version": document.case_version,
        "case_last_change": document.last_change,
    }


@transaction.atomic
def import_case_package(
    *,
    access: DistrictAccess,
    actor: Any,
    data: bytes | str,
    filename: str = "",
    purpose: str = Framework.Purpose.EDUCATOR_PRACTICE,
) -> ImportResult:
    """Create the framework, or update the district's earlier import of the same CFDocument.

    `purpose` applies to a new framework; a re-import keeps the purpose already chosen.
    """
    if purpose not in Framework.Purpose.values:
        raise DomainError("unknown_purpose", f"Use one of: {', '.join(Framework.Purpose.values)}.")
    preview = preview_case_import(access=access, data=data)
    document = preview.package.document
    framework = preview.existing
    created = framework is None
    if framework is None:
        framework = Framework.objects.create(
            district=access.district,
            source=Framework.Source.CASE_IMPORT,
            purpose=purpose,
            case_identifier=document.identifier,
            **_framework_values(document),
        )
    else:
        for name, value in _framework_values(document).items():
            setattr(framework, name, value)
        framework.save()
    if preview.levels is not None:
        write_levels(framework, preview.levels)
    elif created:
        write_levels(
            framework,
            [LevelDraft(lv.value, lv.label, lv.description, lv.is_target) for lv in DEFAULT_LEVELS],
        )
    synced = sync_items(framework, preview.rows)
    _replace_associations(framework, preview.package, synced.items)
    audit.record(
        action="frameworks.case_imported",
        summary=(
            f"{'Imported' if created else 'Re-imported'} CASE framework “{framework.title}”: "
            f"{preview.items_created} new, {preview.items_updated} updated, "
            f"{preview.items_removed} removed, {len(preview.skipped)} association(s) skipped"
        ),
        actor=actor,
        district=access.district,
        target=framework,
        data={
            "filename": filename[:200],
            "case_identifier": document.identifier,
            "case_version": document.case_version,
            "items_created": preview.items_created,
            "items_updated": preview.items_updated,
            "items_removed": preview.items_removed,
            "associations": preview.associations_kept,
            "skipped": [
                {"identifier": s.identifier, "type": s.association_type, "reason": s.reason}
                for s in preview.skipped[:100]
            ],
        },
    )
    return ImportResult(framework=framework, preview=preview, created=created)


def _replace_associations(
    framework: Framework, package: case.CasePackage, items: dict[str, FrameworkItem]
) -> None:
    framework.associations.all().delete()
    FrameworkAssociation.objects.bulk_create(
        FrameworkAssociation(
            framework=framework,
            association_type=link.association_type[:40],
            origin=items[link.origin_identifier],
            destination=items.get(link.destination_identifier),
            destination_identifier=""
            if link.destination_identifier in items
            else link.destination_identifier,
            destination_uri=fit(FrameworkAssociation, "destination_uri", link.destination_uri),
            destination_title=fit(
                FrameworkAssociation, "destination_title", link.destination_title
            ),
            sequence_number=link.sequence_number,
            case_identifier=link.identifier,
            case_uri=fit(FrameworkAssociation, "case_uri", link.uri),
        )
        for link in package.associations
    )


def stage_case_upload(
    *, access: DistrictAccess, actor: Any, data: bytes, filename: str = ""
) -> tuple[CaseUpload, ImportPreview]:
    """Keep a readable upload until the admin confirms it; a bad file is refused, nothing kept."""
    preview = preview_case_import(access=access, data=data)
    CaseUpload.objects.filter(
        district=access.district, created_at__lt=timezone.now() - UPLOAD_LIFETIME
    ).delete()
    upload = CaseUpload.objects.create(
        district=access.district,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        filename=fit(CaseUpload, "filename", filename),
        content=data.decode("utf-8-sig"),
    )
    return upload, preview


@transaction.atomic
def import_staged_upload(
    *,
    access: DistrictAccess,
    actor: Any,
    upload: CaseUpload,
    purpose: str = Framework.Purpose.EDUCATOR_PRACTICE,
) -> ImportResult:
    if upload.district_id != access.district.pk:
        raise NotFound("No such upload.")
    result = import_case_package(
        access=access, actor=actor, data=upload.content, filename=upload.filename, purpose=purpose
    )
    upload.delete()
    return result
