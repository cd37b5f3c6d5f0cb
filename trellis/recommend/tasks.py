"""Background recompute of everyone's shortlist. Safe to run twice: it replaces the snapshot."""

from __future__ import annotations

from django_tasks import task

from trellis.districts.models import District
from trellis.recommend.snapshots import recompute_district


@task()
def recompute_recommendations(*, district_id: int) -> int:
    district = District.objects.filter(pk=district_id).first()
    if district is None:
        return 0
    return recompute_district(district)
