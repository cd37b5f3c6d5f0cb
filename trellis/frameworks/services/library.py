"""The shipped library (written idempotently) and how a district takes frameworks into its own hands."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.models import District
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.library import LIBRARY, FrameworkSpec, ItemSpec
from trellis.frameworks.models import Framework, FrameworkAssociation
from trellis.frameworks.services.common import (
    LevelDraft,
    NotFound,
    fit,
    require_manage,
    write_levels,
)
from trellis.frameworks.services.tree import ItemRow, item_key, sync_items


@transaction.atomic
def ensure_library() -> list[Framework]:
    """Create or update the library frameworks (no district). Safe to run on every deploy/seed."""
    return [_ensure(spec) for spec in LIBRARY]


def _spec_rows(spec: FrameworkSpec) -> list[ItemRow]:
    rows: list[ItemRow] = []

    def walk(nodes: tuple[ItemSpec, ...], parent: str | None, depth: int) -> None:
        for position, node in enumerate(nodes):
            key = spec.item_identifier(node.code)
            rows.append(
                ItemRow(
                    key=key,
                    parent_key=parent,
                    depth=depth,
                    position=position,
                    kind=node.kind,
                    title=node.title,
                    statement=node.statement,
                    human_code=node.code,
                )
            )
            walk(node.children, key, depth + 1)

    walk(spec.items, None, 0)
    return rows


def _ensure(spec: FrameworkSpec) -> Framework:
    values = {
        "title": spec.title,
        "description": spec.description,
        "creator": spec.creator,
        "publisher": spec.publisher,
        "version": spec.version,
        "subject": spec.subject,
        "source": spec.source,
        "purpose": spec.purpose,
        "case_version": "1.1",
    }
    framework = Framework.objects.filter(
        district__isnull=True, case_identifier=spec.identifier
    ).first()
    if framework is None:
        framework = Framework.objects.create(case_identifier=spec.identifier, **values)
    elif any(getattr(framework, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(framework, name, value)
        framework.save()
    write_levels(
        framework,
        [LevelDraft(lv.value, lv.label, lv.description, lv.is_target) for lv in spec.levels],
    )
    sync_items(framework, _spec_rows(spec))
    return framework


def library_framework(key: str) -> Framework:
    """The library framework with this key ("starter", "learning-forward-2022"), created if needed."""
    spec = next((s for s in LIBRARY if s.key == key), None)
    if spec is None:
        raise LookupError(f"No library framework {key!r}.")
    found = Framework.objects.filter(district__isnull=True, case_identifier=spec.identifier).first()
    return found or _ensure(spec)


def _copy(framework: Framework, district: District, title: str) -> Framework:
    copy = Framework.objects.create(
        district=district,
        title=fit(Framework, "title", title),
        description=framework.description,
        creator=framework.creator,
        publisher=framework.publisher,
        version=framework.version,
        language=framework.language,
        subject=framework.subject,
        source=Framework.Source.COPY,
        purpose=framework.purpose,
        copied_from=framework,
        case_version=framework.case_version,
    )
    write_levels(
        copy,
        [
            LevelDraft(lv.value, lv.label, lv.description, lv.is_target)
            for lv in framework.levels.order_by("value")
        ],
    )
    source_items = list(framework.items.order_by("depth", "position", "id"))
    keys = {item.pk: item_key(item) for item in source_items}
    synced = sync_items(
        copy,
        [
            ItemRow(
                key=keys[item.pk],
                parent_key=keys.get(item.parent_id) if item.parent_id else None,
                depth=item.depth,
                position=item.position,
                kind=item.kind,
                title=item.title,
                statement=item.statement,
                description=item.description,
                human_code=item.human_code,
                case_uri=item.case_uri,
                case_item_type=item.case_item_type,
                education_levels=tuple(item.education_levels),
            )
            for item in source_items
        ],
    )
    FrameworkAssociation.objects.bulk_create(
        FrameworkAssociation(
            framework=copy,
            association_type=link.association_type,
            origin=synced.items[keys[link.origin_id]],
            destination=synced.items[keys[link.destination_id]] if link.destination_id else None,
            destination_identifier=link.destination_identifier,
            destination_uri=link.destination_uri,
            destination_title=link.destination_title,
            sequence_number=link.sequence_number,
            case_identifier=link.case_identifier,
            case_uri=link.case_uri,
        )
        for link in framework.associations.all()
    )
    return copy


def _require_visible(access: DistrictAccess, framework: Framework) -> None:
    if not framework.is_library and framework.district_id != access.district.pk:
        raise NotFound()


@transaction.atomic
def copy_framework(
    *, access: DistrictAccess, actor: Any, framework: Framework, title: str = ""
) -> Framework:
    """A district-owned, editable copy of a library framework or of one of the district's own."""
    require_manage(access)
    _require_visible(access, framework)
    copy = _copy(framework, access.district, title.strip() or f"{framework.title} (copy)")
    audit.record(
        action="frameworks.copied",
        summary=f"Copied “{framework.title}” as “{copy.title}”",
        actor=actor,
        district=access.district,
        target=copy,
        data={"copied_from": str(framework.public_id)},
    )
    return copy


@transaction.atomic
def adopt_framework(*, access: DistrictAccess, actor: Any, framework: Framework) -> Framework:
    """Make a framework the district's one adopted framework (a library one is copied first)."""
    require_manage(access)
    _require_visible(access, framework)
    if framework.purpose != Framework.Purpose.EDUCATOR_PRACTICE:
        raise DomainError(
            "not_adoptable",
            f"“{framework.title}” describes {framework.get_purpose_display().lower()}; only an "
            "educator-practice framework can be the district's adopted framework.",
        )
    District.objects.select_for_update().get(pk=access.district.pk)  # one adoption at a time
    current = Framework.objects.filter(district=access.district, is_adopted=True).first()
    if current is not None and framework.pk in (current.pk, current.copied_from_id):
        raise ConflictError(
            "already_adopted", f"“{current.title}” is already the district's adopted framework."
        )
    target = (
        _copy(framework, access.district, framework.title) if framework.is_library else framework
    )
    Framework.objects.filter(district=access.district, is_adopted=True).update(is_adopted=False)
    target.is_adopted = True
    target.save(update_fields=["is_adopted", "updated_at"])
    audit.record(
        action="frameworks.adopted",
        summary=f"Adopted “{target.title}” as the district's framework"
        + (f" (replacing “{current.title}”)" if current else ""),
        actor=actor,
        district=access.district,
        target=target,
        data={
            "copied_from": str(framework.public_id) if framework.is_library else "",
            "previous": str(current.public_id) if current else "",
        },
    )
    return target


__all__ = [
    "adopt_framework",
    "copy_framework",
    "ensure_library",
    "library_framework",
]
