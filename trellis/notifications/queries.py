"""Reads of a person's own notifications. Someone else's notification is simply not found (404),
and a district's notices show only while working in that district."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import F, Q, QuerySet
from django.http import Http404

from trellis.core.ids import public_id_or_404
from trellis.notifications.models import Notification
from trellis.notifications.services import UNREAD_TTL, unread_cache_key


def visible_to(user: Any, district: Any) -> QuerySet[Notification]:
    """The person's notices of this district plus those tied to no district."""
    scope = Q(district=district) | Q(district__isnull=True) if district else Q(district=None)
    return Notification.objects.filter(recipient=user).filter(scope)


def inbox(user: Any, district: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """Unread first, then newest first."""
    rows = visible_to(user, district)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-pk")


def get_own(user: Any, district: Any, public_id: Any) -> Notification:
    found = visible_to(user, district).filter(public_id=public_id_or_404(public_id)).first()
    if found is None:
        raise Http404("No such notification.")
    return found


def unread_count(user: Any, district: Any) -> int:
    """Cached per person and district: at most one query, none while the cache holds it."""
    key = unread_cache_key(user)
    counts = cache.get(key) or {}
    district_key = getattr(district, "pk", 0) or 0
    if district_key not in counts:
        counts[district_key] = visible_to(user, district).filter(read_at__isnull=True).count()
        cache.set(key, counts, UNREAD_TTL)
    return counts[district_key]
