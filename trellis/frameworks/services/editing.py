"""Editing a district's own framework: details, items (edit, add, delete a leaf, reorder), scale."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.districts.queries import DistrictAccess
from trellis.frameworks import case
from trellis.frameworks.models import Framework, FrameworkItem
from trellis.frameworks.services.common import (
    LevelDraft,
    require_editable,
    validate_levels,
    write_levels,
)


def _clean_text(model: type, name: str, value: str, label: str, *, required: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    limit = model._meta.get_field(name).max_length
    if required and not value:
        raise DomainError(f"{name}_required", f"Enter the {label}.")
    if limit and len(value) > limit:
        raise DomainError(f"{name}_too_long", f"The {label} can be at most {limit} characters.")
    return value


def _locked(framework: Framework) -> Framework:
    """Serialise edits of one framework (positions and counts must not race)."""
    return Framework.objects.select_for_update().get(pk=framework.pk)


@transaction.atomic
def update_framework_details(
    *,
    access: DistrictAccess,
    actor: Any,
    framework: Framework,
    title: str,
    description: str = "",
    version: str = "",
) -> Framework:
    require_editable(access, framework)
    framework.title = _clean_text(Framework, "title", title, "title", required=True)
    framework.description = _clean_text(Framework, "description", description, "description")
    framework.version = _clean_text(Framework, "version", version, "version")
    framework.save(update_fields=["title", "description", "version", "updated_at"])
    audit.record(
        action="frameworks.details_updated",
        summary=f"Edited the details of “{framework.title}”",
        actor=actor,
        district=access.district,
        target=framework,
    )
    return framework


def _require_item_of(framework: Framework, item: FrameworkItem | None) -> None:
    if item is not None and item.framework_id != framework.pk:
        raise DomainError("not_found", "That item is not part of this framework.")


@transaction.atomic
def update_item(
    *,
    access: DistrictAccess,
    actor: Any,
    item: FrameworkItem,
    title: str,
    statement: str = "",
    description: str = "",
    human_code: str = "",
) -> FrameworkItem:
    require_editable(access, item.framework)
    before = {"title": item.title, "human_code": item.human_code}
    item.title = _clean_text(FrameworkItem, "title", title, "title", required=True)
    item.statement = _clean_text(FrameworkItem, "statement", statement, "statement")
    item.description = _clean_text(FrameworkItem, "description", description, "description")
    item.human_code = _clean_text(FrameworkItem, "human_code", human_code, "code")
    item.save(update_fields=["title", "statement", "description", "human_code", "updated_at"])
    audit.record(
        action="frameworks.item_updated",
        summary=f"Edited “{item}” in “{item.framework.title}”",
        actor=actor,
        district=access.district,
        target=item,
        data={"before": before, "framework": str(item.framework.public_id)},
    )
    return item


@transaction.atomic
def add_item(
    *,
    access: DistrictAccess,
    actor: Any,
    framework: Framework,
    parent: FrameworkItem | None,
    kind: str,
    title: str,
    statement: str = "",
    description: str = "",
    human_code: str = "",
) -> FrameworkItem:
    """Add an item at the end of `parent`'s children (or at the top level)."""
    require_editable(access, framework)
    _require_item_of(framework, parent)
    framework = _locked(framework)
    if kind not in FrameworkItem.Kind.values:
        raise DomainError("unknown_kind", f"Choose a kind: {', '.join(FrameworkItem.Kind.values)}.")
    depth = parent.depth + 1 if parent else 0
    if depth >= case.MAX_DEPTH:
        raise DomainError("too_deep", f"Items can be nested at most {case.MAX_DEPTH} levels deep.")
    if framework.items.count() >= case.MAX_ITEMS:
        raise DomainError(
            "too_many_items", f"A framework can hold at most {case.MAX_ITEMS:,} items."
        )
    siblings = framework.items.filter(parent=parent)
    last = siblings.aggregate(last=Max("position"))["last"]
    item = FrameworkItem.objects.create(
        framework=framework,
        parent=parent,
        kind=kind,
        title=_clean_text(FrameworkItem, "title", title, "title", required=True),
        statement=_clean_text(FrameworkItem, "statement", statement, "statement"),
        description=_clean_text(FrameworkItem, "description", description, "description"),
        human_code=_clean_text(FrameworkItem, "human_code", human_code, "code"),
        depth=depth,
        position=0 if last is None else last + 1,
    )
    audit.record(
        action="frameworks.item_added",
        summary=f"Added {item.get_kind_display().lower()} “{item}” to “{framework.title}”"
        + (f" under “{parent}”" if parent else ""),
        actor=actor,
        district=access.district,
        target=item,
        data={"framework": str(framework.public_id)},
    )
    return item


@transaction.atomic
def delete_item(*, access: DistrictAccess, actor: Any, item: FrameworkItem) -> None:
    """Delete an item that has no children (delete the children first)."""
    require_editable(access, item.framework)
    if item.children.exists():
        raise ConflictError(
            "has_children",
            f"“{item}” has items under it. Delete those first; only items without children "
            "can be deleted.",
        )
    audit.record(
        action="frameworks.item_deleted",
        summary=f"Deleted “{item}” from “{item.framework.title}”",
        actor=actor,
        district=access.district,
        target=item,
        data={"framework": str(item.framework.public_id)},
    )
    item.delete()


@transaction.atomic
def move_item(*, access: DistrictAccess, actor: Any, item: FrameworkItem, direction: str) -> None:
    """Move an item one place up or down among its siblings."""
    require_editable(access, item.framework)
    if direction not in ("up", "down"):
        raise DomainError("unknown_direction", "Move an item “up” or “down”.")
    _locked(item.framework)
    siblings = list(
        FrameworkItem.objects.filter(framework=item.framework, parent_id=item.parent_id).order_by(
            "position", "id"
        )
    )
    index = next(n for n, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(siblings):
        raise DomainError(
            "cannot_move", f"“{item}” is already the {'first' if direction == 'up' else 'last'}."
        )
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    FrameworkItem.objects.bulk_update(siblings, ["position"])
    audit.record(
        action="frameworks.item_moved",
        summary=f"Moved “{item}” {direction} in “{item.framework.title}”",
        actor=actor,
        district=access.district,
        target=item,
        data={"framework": str(item.framework.public_id), "direction": direction},
    )


@transaction.atomic
def update_scale(
    *, access: DistrictAccess, actor: Any, framework: Framework, levels: list[LevelDraft]
) -> list[LevelDraft]:
    """Replace the proficiency scale: 2–7 levels numbered 1..n, labelled, one target level."""
    require_editable(access, framework)
    levels = validate_levels(levels)
    before = list(framework.levels.order_by("value").values_list("label", flat=True))
    if write_levels(framework, levels):
        audit.record(
            action="frameworks.scale_updated",
            summary=f"Changed the proficiency scale of “{framework.title}”: "
            f"{' / '.join(before) or 'none'} → {' / '.join(lv.label for lv in levels)}",
            actor=actor,
            district=access.district,
            target=framework,
            data={"before": before, "after": [lv.label for lv in levels]},
        )
    return levels
