"""Reads of the audit log. Which rows a district may see is decided by `districts.queries`."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet

from trellis.audit.models import AuditEvent


def filter_events(
    events: QuerySet[AuditEvent],
    *,
    action: str = "",
    actor_email: str = "",
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> QuerySet[AuditEvent]:
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(actor_label__icontains=actor_email.strip())
    if since:
        events = events.filter(created_at__date__gte=since)
    if until:
        events = events.filter(created_at__date__lte=until)
    return events


def events_by_actor(actor: Any, *, limit: int = 10) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(actor=actor).order_by("-created_at", "-id")[:limit])
