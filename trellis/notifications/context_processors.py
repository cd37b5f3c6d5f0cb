"""The unread count for templates (at most one query, cached; none unless a template uses it).
The header's bell does not use it: it fetches its count with htmx after the page loads, so no
page pays for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def unread_notifications(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        from trellis.notifications.queries import unread_count

        return unread_count(user, getattr(request, "district", None))

    # Lazy: pages that never show the bell (JSON, partials) never pay for the count.
    return {"notifications_unread": SimpleLazyObject(count)}
