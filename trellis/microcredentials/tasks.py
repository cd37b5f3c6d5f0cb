"""Background tasks of micro-credentials; each calls a service and is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def reassign_overdue_assessments() -> int:
    """Daily: reassign every overdue assessment, district by district. Returns how many moved."""
    from trellis.districts.models import District
    from trellis.microcredentials.services.assignment import reassign_overdue

    return sum(reassign_overdue(district) for district in District.objects.all())
