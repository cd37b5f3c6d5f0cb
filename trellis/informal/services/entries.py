"""The educator's own log: add, edit and delete entries (and count them toward credit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.credit.rules.wording import number
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.informal.models import EntryFormat, EntrySource, InformalEntry
from trellis.informal.services import counting
from trellis.informal.services._common import (
    clean_competency,
    clean_learned_on,
    clean_minutes,
    clean_url,
)

MAX_TITLE = 200
MAX_REFLECTION = 2000
# Once credited, these decide the credit, so they stay as they were counted.
CREDIT_FIELDS = ("minutes", "learned_on", "format")


def _clean(district: Any, fields: dict[str, Any]) -> dict[str, Any]:
    entry_format = str(fields.get("format") or "")
    if entry_format not in EntryFormat.values:
        raise DomainError(
            "bad_format",
            f"Choose what kind of learning it was: {', '.join(EntryFormat.labels).lower()}.",
            details={"field": "format"},
        )
    return {
        "title": clean_text(
            fields.get("title"), field="title", label="title", max_length=MAX_TITLE, required=True
        ),
        "url": clean_url(fields.get("url")),
        "minutes": clean_minutes(fields.get("minutes")),
        "format": entry_format,
        "competency": clean_competency(fields.get("competency"), district),
        "reflection": clean_text(
            fields.get("reflection"),
            field="reflection",
            label="reflection",
            max_length=MAX_REFLECTION,
            required=False,
        ),
        "learned_on": clean_learned_on(fields.get("learned_on"), district),
    }


@transaction.atomic
def create_entry(
    *,
    access: DistrictAccess,
    actor: Any,
    title: Any,
    minutes: Any,
    format: Any,
    learned_on: Any,
    url: Any = "",
    competency: Any = None,
    reflection: Any = "",
    source: str = EntrySource.MANUAL,
) -> InformalEntry:
    require(access, Perm.VIEW_OWN_LEARNING)
    if source not in (EntrySource.MANUAL, EntrySource.BOOKMARKLET):
        source = EntrySource.MANUAL
    clean = _clean(
        access.district,
        {
            "title": title,
            "url": url,
            "minutes": minutes,
            "format": format,
            "competency": competency,
            "reflection": reflection,
            "learned_on": learned_on,
        },
    )
    entry = InformalEntry.objects.create(
        district=access.district, educator=actor, source=source, **clean
    )
    counting.count_entry(entry, actor=actor)
    audit.record(
        action="informal.entry.logged",
        summary=f"Logged {entry.minutes} min of informal learning: “{entry.title}”",
        actor=actor,
        district=access.district,
        target=entry,
        data={"source": source, "counted_hours": str(entry.counted_hours or 0)},
    )
    return entry


def _own(access: DistrictAccess, actor: Any, entry: InformalEntry) -> InformalEntry:
    require(access, Perm.VIEW_OWN_LEARNING)
    if entry.district_id != access.district.pk or entry.educator_id != actor.pk:
        raise PermissionDenied("Only the educator who logged an entry can change it.")
    return InformalEntry.objects.select_for_update().get(pk=entry.pk)


def _credited(entry: InformalEntry) -> bool:
    award = counting.award_for(entry)
    return award is not None and award.revoked_at is None


@transaction.atomic
def update_entry(
    *, access: DistrictAccess, actor: Any, entry: InformalEntry, **fields: Any
) -> InformalEntry:
    locked = _own(access, actor, entry)
    clean = _clean(access.district, fields)
    if _credited(locked):
        changed = [name for name in CREDIT_FIELDS if clean[name] != getattr(locked, name)]
        if changed or (not clean["reflection"] and locked.reflection):
            raise ConflictError(
                "entry_counted",
                f"This entry already counts toward your credit ({number(locked.counted_hours)} h), so "
                "its time, date, format and reflection stay as counted. Ask your district's credit "
                "manager to revoke that credit if it is wrong.",
                details={"field": changed[0] if changed else "reflection"},
            )
    for name, value in clean.items():
        setattr(locked, name, value)
    locked.save()
    if not _credited(locked):
        counting.count_entry(locked, actor=actor)
    audit.record(
        action="informal.entry.updated",
        summary=f"Edited the informal learning entry “{locked.title}”",
        actor=actor,
        district=access.district,
        target=locked,
    )
    return locked


@transaction.atomic
def delete_entry(*, access: DistrictAccess, actor: Any, entry: InformalEntry) -> None:
    locked = _own(access, actor, entry)
    if _credited(locked):
        raise ConflictError(
            "entry_counted",
            f"“{locked.title}” counts toward your credit ({number(locked.counted_hours)} h), so it "
            "cannot be deleted. Ask your district's credit manager to revoke that credit first.",
        )
    audit.record(
        action="informal.entry.deleted",
        summary=f"Deleted the informal learning entry “{locked.title}”",
        actor=actor,
        district=access.district,
        target=locked,
    )
    locked.delete()


@transaction.atomic
def mark_attached(entry: InformalEntry) -> None:
    """Called when the entry becomes evidence on a micro-credential submission: its page is then
    visible to the submission's assessors and the district's micro-credential managers."""
    if not entry.attached_as_evidence:
        InformalEntry.objects.filter(pk=entry.pk).update(attached_as_evidence=True)
        entry.attached_as_evidence = True
