"""Background refresh of the dashboards' summary tables. Safe to run twice: each run replaces
the district's rows."""

from __future__ import annotations

import logging

from django_tasks import task

from trellis.districts.models import District
from trellis.reports.summaries import refresh_district

logger = logging.getLogger(__name__)


@task()
def refresh_district_summaries(*, district_id: int) -> int:
    """Rows written for the district (0 when it no longer exists)."""
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    return refresh_district(district).rows


def refresh_all_districts() -> str:
    """The periodic job (`trellis run_periodic`): every district in turn; one failure does not
    stop the others, and then fails the job so the run reports it."""
    done, failed = 0, []
    for district in District.objects.order_by("pk"):
        try:
            refresh_district(district)
            done += 1
        except Exception:
            logger.exception("Refreshing the report summaries of %s failed", district.slug)
            failed.append(district.slug)
    if failed:
        raise RuntimeError(f"refresh failed for {', '.join(failed)} ({done} refreshed)")
    return f"{done} districts refreshed"
