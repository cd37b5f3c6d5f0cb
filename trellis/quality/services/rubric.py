"""The district's vetting rubric: add, edit, reorder, archive and restore rows, and the default."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.quality.default_rubric import DEFAULT_RUBRIC
from trellis.quality.models import MAX_ITEM_POINTS, RubricItem, VettingScore
from trellis.quality.services._common import own


def _clean(text: Any, help: Any, max_points: Any) -> tuple[str, str, int]:
    text = clean_text(text, field="text", label="rubric item", max_length=300, required=True)
    help = clean_text(help, field="help", label="guidance", max_length=2000, required=False)
    try:
        points = int(max_points)
    except (TypeError, ValueError):
        points = 0
    if not 1 <= points <= MAX_ITEM_POINTS:
        raise DomainError(
            "bad_max_points",
            f"Maximum points must be a whole number from 1 to {MAX_ITEM_POINTS}.",
            details={"field": "max_points"},
        )
    return text, help, points


@transaction.atomic
def add_item(
    *,
    access: DistrictAccess,
    actor: Any,
    text: Any,
    help: Any = "",
    essential: bool = False,
    max_points: Any = MAX_ITEM_POINTS,
) -> RubricItem:
    require(access, Perm.MANAGE_QUALITY)
    text, help, points = _clean(text, help, max_points)
    last = RubricItem.objects.filter(district=access.district).aggregate(m=Max("position"))["m"]
    item = RubricItem.objects.create(
        district=access.district,
        text=text,
        help=help,
        essential=bool(essential),
        max_points=points,
        position=(last or 0) + 1,
    )
    audit.record(
        action="quality.rubric_item_added",
        summary=f"Added the rubric item “{text}”",
        actor=actor,
        district=access.district,
        target=item,
        data={"essential": item.essential, "max_points": points},
    )
    return item


@transaction.atomic
def update_item(
    *,
    access: DistrictAccess,
    actor: Any,
    item: RubricItem,
    text: Any,
    help: Any = "",
    essential: bool = False,
    max_points: Any = MAX_ITEM_POINTS,
) -> RubricItem:
    """Wording and guidance may change at any time; the scale of a row already used to score an
    offering may not (old scores would change meaning): archive it and add a new one."""
    require(access, Perm.MANAGE_QUALITY)
    own(access, item, "rubric item")
    text, help, points = _clean(text, help, max_points)
    if points != item.max_points and VettingScore.objects.filter(item=item).exists():
        raise ConflictError(
            "rubric_item_used",
            "Offerings were already scored on this item, so its maximum points cannot change. "
            "Archive it and add a new item instead.",
            details={"field": "max_points"},
        )
    item.text, item.help, item.essential, item.max_points = text, help, bool(essential), points
    item.save()
    audit.record(
        action="quality.rubric_item_updated",
        summary=f"Edited the rubric item “{text}”",
        actor=actor,
        district=access.district,
        target=item,
        data={"essential": item.essential, "max_points": points},
    )
    return item


@transaction.atomic
def remove_item(*, access: DistrictAccess, actor: Any, item: RubricItem) -> str:
    """Delete an unused item; archive one that scored an offering. Returns "deleted"/"archived"."""
    require(access, Perm.MANAGE_QUALITY)
    own(access, item, "rubric item")
    if item.archived_at is not None:
        raise ConflictError("already_archived", "This item is already archived.")
    used = VettingScore.objects.filter(item=item).exists()
    audit.record(
        action="quality.rubric_item_archived" if used else "quality.rubric_item_deleted",
        summary=f"{'Archived' if used else 'Deleted'} the rubric item “{item.text}”",
        actor=actor,
        district=access.district,
        target=item,
    )
    if used:
        item.archived_at = timezone.now()
        item.save(update_fields=["archived_at", "updated_at"])
        return "archived"
    item.delete()
    return "deleted"


@transaction.atomic
def restore_item(*, access: DistrictAccess, actor: Any, item: RubricItem) -> RubricItem:
    require(access, Perm.MANAGE_QUALITY)
    own(access, item, "rubric item")
    if item.archived_at is None:
        raise ConflictError("not_archived", "This item is in use already.")
    item.archived_at = None
    item.save(update_fields=["archived_at", "updated_at"])
    audit.record(
        action="quality.rubric_item_restored",
        summary=f"Restored the rubric item “{item.text}”",
        actor=actor,
        district=access.district,
        target=item,
    )
    return item


@transaction.atomic
def move_item(*, access: DistrictAccess, actor: Any, item: RubricItem, up: bool) -> None:
    """Swap with the neighbouring active item."""
    require(access, Perm.MANAGE_QUALITY)
    own(access, item, "rubric item")
    items = list(
        RubricItem.objects.select_for_update()
        .filter(district=access.district, archived_at__isnull=True)
        .order_by("position", "id")
    )
    index = next((i for i, row in enumerate(items) if row.pk == item.pk), None)
    other = None if index is None else index + (-1 if up else 1)
    if other is None or not 0 <= other < len(items):
        return
    items[index], items[other] = items[other], items[index]
    for position, row in enumerate(items, start=1):
        if row.position != position:
            row.position = position
            row.save(update_fields=["position", "updated_at"])
    audit.record(
        action="quality.rubric_reordered",
        summary=f"Moved the rubric item “{item.text}” {'up' if up else 'down'}",
        actor=actor,
        district=access.district,
        target=item,
    )


def ensure_default_rubric(district: Any) -> int:
    """Give a district with no rubric the default one (idempotent: keyed rows are kept).
    Returns how many rows were created. Used by the demo and on first visit to the rubric."""
    existing = set(
        RubricItem.objects.filter(district=district).exclude(key="").values_list("key", flat=True)
    )
    if RubricItem.objects.filter(district=district).exists() and not existing:
        return 0  # the district wrote its own rubric
    created = 0
    for position, row in enumerate(DEFAULT_RUBRIC, start=1):
        if row.key in existing:
            continue
        RubricItem.objects.create(
            district=district,
            key=row.key,
            text=row.text,
            help=row.help,
            essential=row.essential,
            max_points=MAX_ITEM_POINTS,
            position=position,
        )
        created += 1
    return created
