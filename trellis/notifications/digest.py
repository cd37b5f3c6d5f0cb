"""The weekly digest: one e-mail per person per ISO week listing the notices they chose to
receive that way."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from trellis.core.email import queue_email
from trellis.notifications.models import DigestSent, Notification
from trellis.notifications.services import DIGEST, site_url, unsubscribe_token


def week_of(moment: dt.datetime) -> dt.date:
    """The Monday of the ISO week the moment falls in (UTC)."""
    day = moment.astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def pending_by_recipient(before: dt.datetime) -> dict[int, list[Notification]]:
    rows = (
        Notification.objects.filter(
            in_digest=True, digest_sent_at__isnull=True, created_at__lt=before
        )
        .select_related("district")
        .order_by("recipient_id", "created_at", "pk")
    )
    grouped: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        grouped[row.recipient_id].append(row)
    return grouped


def digest_body(user: Any, items: list[Notification]) -> str:
    count = len(items)
    lines = [
        f"Here {'is' if count == 1 else 'are'} the {count} notice{'' if count == 1 else 's'} "
        "you chose to receive in your weekly digest:",
        "",
    ]
    for item in items:
        lines.append(f"• {item.subject} ({item.created_at:%-d %b})")
        if item.path:
            lines.append(f"  {site_url(item.path)}")
    district_ids = sorted({item.district_id for item in items if item.district_id}) or [None]
    token = unsubscribe_token(user, kind=DIGEST, district=district_ids)
    lines += [
        "",
        "-- ",
        f"All your notifications: {site_url('/notifications/')}",
        f"Choose how you are notified: {site_url('/notifications/preferences/')}",
        f"Stop the weekly digest: {site_url(f'/notifications/unsubscribe/{token}/')}",
    ]
    return "\n".join(lines)


def send_weekly_digests(*, now: dt.datetime | None = None) -> int:
    """Send each person with pending digest notices their digest for this week, unless it went
    out already (then the notices wait for next week). Returns how many digests were sent."""
    now = now or timezone.now()
    week = week_of(now)
    grouped = pending_by_recipient(now)
    people = get_user_model().objects.in_bulk(list(grouped))
    sent = 0
    for recipient_id, items in grouped.items():
        user = people.get(recipient_id)
        if user is None or not user.is_active or not user.email:
            continue
        try:
            with transaction.atomic():
                DigestSent.objects.create(recipient=user, week=week, items=len(items))
                Notification.objects.filter(pk__in=[item.pk for item in items]).update(
                    digest_sent_at=now
                )
                queue_email(
                    to=[user.email],
                    subject=f"Trellis: your weekly digest ({len(items)} "
                    f"notice{'' if len(items) == 1 else 's'})",
                    body=digest_body(user, items),
                )
        except IntegrityError:  # this week's digest went out already
            continue
        sent += 1
    return sent
