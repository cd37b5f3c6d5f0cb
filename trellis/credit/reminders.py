"""Reminders of licence renewal deadlines, for the periodic runner (`trellis run_periodic`)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.urls import reverse

from trellis.credit.queries.renewal import renewal_progress_bulk
from trellis.credit.rules.wording import day
from trellis.districts.models import District, Membership, Role
from trellis.notifications.models import Kind
from trellis.notifications.services import notify_once

THRESHOLDS = (30, 90)  # days before the deadline; the nearest one reached is reminded, once


def threshold_for(days_left: int) -> int | None:
    for threshold in THRESHOLDS:
        if 0 <= days_left <= threshold:
            return threshold
    return None


def send_renewal_reminders(
    *, district: District | None = None, today: dt.date | None = None
) -> int:
    """Tell every active educator whose renewal deadline is 90 (then 30) days away or less and
    who is still short of the required credit, once per deadline and threshold."""
    districts = [district] if district is not None else list(District.objects.order_by("pk"))
    sent = 0
    for each in districts:
        ids = sorted(
            set(
                Membership.objects.filter(
                    district=each, role=Role.EDUCATOR, is_active=True, user__is_active=True
                ).values_list("user_id", flat=True)
            )
        )
        if not ids:
            continue
        due = [
            (renewal, threshold)
            for renewal in renewal_progress_bulk(each, educator_ids=ids, today=today)
            if renewal.progress is not None
            and not renewal.progress.complete
            and renewal.days_left is not None
            and (threshold := threshold_for(renewal.days_left)) is not None
        ]
        people = get_user_model().objects.in_bulk([renewal.educator_id for renewal, _ in due])
        for renewal, threshold in due:
            progress = renewal.progress
            days_left = renewal.days_left
            lines = [
                f"Your licence renewal deadline is {day(progress.deadline)}, "
                f"{days_left} day{'s' if days_left != 1 else ''} from today.",
                *progress.missing,
            ]
            sent += notify_once(
                people[renewal.educator_id],
                key=f"renewal:{each.pk}:{progress.deadline:%Y-%m-%d}:{threshold}",
                district=each,
                kind=Kind.RENEWAL_DEADLINE,
                subject=f"Renewal deadline in {days_left} days: credit still needed",
                lines=lines,
                path=reverse("credit:renewal"),
            )
    return sent
