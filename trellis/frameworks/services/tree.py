"""Writing a whole item tree into a framework in a few bulk queries (imports, library, copies).

Items are matched by their stable key (the CASE identifier, or the public id when an item has
none), so writing the same tree again updates rows instead of duplicating them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import groupby

from django.utils import timezone

from trellis.frameworks.models import Framework, FrameworkItem

_DELETE_CHUNK = 500
_SYNCED_FIELDS = (
    "parent_id",
    "kind",
    "human_code",
    "title",
    "statement",
    "description",
    "position",
    "depth",
    "case_identifier",
    "case_uri",
    "case_item_type",
    "education_levels",
)


@dataclass(frozen=True)
class ItemRow:
    key: str
    parent_key: str | None
    depth: int
    position: int
    kind: str
    title: str
    statement: str = ""
    description: str = ""
    human_code: str = ""
    case_uri: str = ""
    case_item_type: str = ""
    education_levels: tuple[str, ...] = ()


@dataclass
class SyncResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    items: dict[str, FrameworkItem] = field(default_factory=dict)  # key → saved item


def item_key(item: FrameworkItem) -> str:
    return item.case_identifier or str(item.public_id)


def existing_keys(framework: Framework) -> set[str]:
    return {
        identifier or str(public_id)
        for identifier, public_id in framework.items.values_list("case_identifier", "public_id")
    }


def sync_items(framework: Framework, rows: list[ItemRow]) -> SyncResult:
    """Make the framework's items exactly `rows` (parents listed before their children)."""
    existing = {item_key(item): item for item in framework.items.all()}
    result = SyncResult()
    now = timezone.now()
    for _depth, layer in groupby(sorted(rows, key=lambda r: r.depth), key=lambda r: r.depth):
        to_create: list[FrameworkItem] = []
        to_update: list[FrameworkItem] = []
        for row in layer:
            parent = result.items[row.parent_key] if row.parent_key else None
            values = {
                "parent_id": parent.pk if parent else None,
                "kind": row.kind,
                "human_code": row.human_code,
                "title": row.title,
                "statement": row.statement,
                "description": row.description,
                "position": row.position,
                "depth": row.depth,
                "case_identifier": row.key if row.key != _public_key(existing.get(row.key)) else "",
                "case_uri": row.case_uri,
                "case_item_type": row.case_item_type,
                "education_levels": list(row.education_levels),
            }
            item = existing.get(row.key)
            if item is None:
                item = FrameworkItem(framework=framework, **values)
                to_create.append(item)
            elif any(getattr(item, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(item, name, value)
                item.updated_at = now
                to_update.append(item)
            result.items[row.key] = item
        FrameworkItem.objects.bulk_create(to_create)
        FrameworkItem.objects.bulk_update(to_update, [*_SYNCED_FIELDS, "updated_at"])
        result.created += len(to_create)
        result.updated += len(to_update)
    stale = [item.pk for key, item in existing.items() if key not in result.items]
    for start in range(0, len(stale), _DELETE_CHUNK):
        FrameworkItem.objects.filter(pk__in=stale[start : start + _DELETE_CHUNK]).delete()
    result.removed = len(stale)
    return result


def _public_key(item: FrameworkItem | None) -> str | None:
    """An item matched by its public id keeps an empty CASE identifier (nothing new to record)."""
    return str(item.public_id) if item is not None and not item.case_identifier else None
