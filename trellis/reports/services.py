"""Writes for reports: asking for a refresh of the district's summary tables."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone

from trellis.audit import services as audit
from trellis.core.errors import ConflictError, PermissionDenied
from trellis.districts.queries import DistrictAccess
from trellis.reports.models import SummaryRefresh
from trellis.reports.permissions import can_refresh

STALE_AFTER = dt.timedelta(minutes=30)


@transaction.atomic
def request_refresh(*, access: DistrictAccess, actor: Any) -> SummaryRefresh:
    """Queue a background refresh of the district's dashboard figures (district PD leaders only;
    409 while one is already queued or running)."""
    if not can_refresh(access):
        raise PermissionDenied("Only district PD leaders can refresh the district's figures.")
    record, created = SummaryRefresh.objects.select_for_update().get_or_create(
        district=access.district
    )
    busy = (SummaryRefresh.Status.QUEUED, SummaryRefresh.Status.RUNNING)
    # A queued or running refresh older than STALE_AFTER is presumed lost (worker restarted).
    if not created and record.status in busy and record.updated_at > timezone.now() - STALE_AFTER:
        raise ConflictError("refresh_in_progress", "A refresh of the figures is already under way.")
    record.status = SummaryRefresh.Status.QUEUED
    record.save(update_fields=["status", "updated_at"])
    audit.record(
        action="reports.refresh_requested",
        summary="Refresh of the dashboard figures requested",
        actor=actor,
        district=access.district,
    )
    district_id = access.district.pk
    transaction.on_commit(lambda: _enqueue(district_id))
    return record


def _enqueue(district_id: int) -> None:
    from trellis.reports.tasks import refresh_district_summaries

    refresh_district_summaries.enqueue(district_id=district_id)
