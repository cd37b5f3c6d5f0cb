"""Background recompute of everyone's shortlist. Safe to run twice: it replaces the snapshot."""

from __future__ import annotations

import logging

from django_tasks import task

from trellis.districts.models import District
from trellis.recommend.snapshots import recompute_district

logger = logging.getLogger(__name__)


@task()
def recompute_recommendations(*, district_id: int) -> int:
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    return recompute_district(district)


def recompute_all_districts() -> str:
    """The nightly periodic job (`trellis run_periodic`): every district's snapshot in turn, so
    the "who is recommended what" view and its coverage figures follow new self-assessments,
    ratings and offerings. One district failing does not stop the others; it fails the job."""
    done, picks, failed = 0, 0, []
    for district in District.objects.order_by("pk"):
        try:
            picks += recompute_district(district)
            done += 1
        except Exception:
            logger.exception("Recomputing the recommendations of %s failed", district.slug)
            failed.append(district.slug)
    if failed:
        raise RuntimeError(f"recompute failed for {', '.join(failed)} ({done} recomputed)")
    return f"{done} districts recomputed, {picks} picks"
