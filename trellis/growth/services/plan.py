"""The educator's learning plan: activities they chose, with their state."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import DomainError, PermissionDenied
from trellis.core.text import clean_text
from trellis.districts.permissions import Perm, require
from trellis.districts.queries import DistrictAccess
from trellis.growth.models import Goal, PlanItem

MAX_LINK = 500


def _kind(value: Any) -> str:
    if value not in PlanItem.Kind.values:
        raise DomainError(
            "unknown_kind",
            f"Unknown kind “{value}”. Use: {', '.join(PlanItem.Kind.values)}.",
            details={"field": "kind"},
        )
    return value


def _status(value: Any) -> str:
    if value not in PlanItem.Status.values:
        raise DomainError(
            "unknown_status",
            f"Unknown status “{value}”. Use: {', '.join(PlanItem.Status.values)}.",
            details={"field": "status"},
        )
    return value


def _link(value: Any) -> str:
    link = str(value or "").strip()
    if not link:
        return ""
    if len(link) > MAX_LINK:
        raise DomainError(
            "link_too_long",
            f"The link is too long: at most {MAX_LINK} characters.",
            details={"field": "link"},
        )
    try:
        URLValidator(schemes=["http", "https"])(link)
    except ValidationError:
        raise DomainError(
            "invalid_link",
            f"“{link}” is not a web address; it should start with https://.",
            details={"field": "link"},
        ) from None
    return link


def _goal(access: DistrictAccess, actor: Any, value: Any) -> Goal | None:
    if value in (None, ""):
        return None
    key = str(getattr(value, "public_id", value)).strip()
    goal = None
    try:
        goal = Goal.objects.filter(district=access.district, educator=actor, public_id=key).first()
    except ValidationError:
        goal = None
    if goal is None:
        raise DomainError(
            "unknown_goal", "That goal is not one of yours.", details={"field": "goal"}
        )
    return goal


def _target_date(value: Any, *, previous: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        return None
    if not isinstance(value, dt.date):
        raise DomainError(
            "invalid_target_date",
            "Give the target date as YYYY-MM-DD.",
            details={"field": "target_date"},
        )
    if value != previous and value < timezone.localdate():
        raise DomainError(
            "target_date_in_past",
            "The target date cannot be in the past.",
            details={"field": "target_date"},
        )
    return value


@transaction.atomic
def add_plan_item(
    *,
    access: DistrictAccess,
    actor: Any,
    title: Any,
    kind: Any,
    link: Any = "",
    goal: Any = None,
    status: Any = PlanItem.Status.PLANNED,
    target_date: Any = None,
) -> PlanItem:
    require(access, Perm.VIEW_OWN_LEARNING)
    item = PlanItem.objects.create(
        district=access.district,
        educator=actor,
        title=clean_text(title, field="title", label="title", max_length=200, required=True),
        kind=_kind(kind),
        link=_link(link),
        goal=_goal(access, actor, goal),
        status=_status(status),
        target_date=_target_date(target_date),
    )
    audit.record(
        action="growth.plan_item_added",
        summary=f"{actor.email} added “{item.title}” to their learning plan",
        actor=actor,
        district=access.district,
        target=item,
        data={"kind": item.kind, "status": item.status},
    )
    return item


PLAN_FIELDS = {"title", "kind", "link", "goal", "status", "target_date"}


@transaction.atomic
def update_plan_item(
    *, access: DistrictAccess, actor: Any, item: PlanItem, **changes: Any
) -> PlanItem:
    require(access, Perm.VIEW_OWN_LEARNING)
    if item.district_id != access.district.pk or item.educator_id != actor.pk:
        raise PermissionDenied("Only the educator whose plan it is can change it.")
    unknown = sorted(set(changes) - PLAN_FIELDS)
    if unknown:
        raise DomainError(
            "unknown_fields", f"These plan fields cannot be changed: {', '.join(unknown)}."
        )
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    cleaners = {
        "title": lambda v: clean_text(
            v, field="title", label="title", max_length=200, required=True
        ),
        "kind": _kind,
        "link": _link,
        "goal": lambda v: _goal(access, actor, v),
        "status": _status,
        "target_date": lambda v: _target_date(v, previous=item.target_date),
    }
    cleaned = {name: cleaners[name](value) for name, value in changes.items()}
    changed = [name for name, value in cleaned.items() if getattr(item, name) != value]
    if not changed:
        return item
    before = item.status
    for name in changed:
        setattr(item, name, cleaned[name])
    item.save()
    audit.record(
        action="growth.plan_item_updated",
        summary=f"{actor.email} updated “{item.title}” in their learning plan ({', '.join(changed)})",
        actor=actor,
        district=access.district,
        target=item,
        data={"changed": changed, "status": [before, item.status]},
    )
    return item
