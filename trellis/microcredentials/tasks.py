"""Background tasks of micro-credentials; each calls a service and is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def reassign_overdue_assessments() -> int:
    """Daily: reassign every overdue assessment, district by district. Returns how many moved."""
    from trellis.districts.models import District
    from trellis.microcredentials.services.assignment import reassign_overdue

    return sum(reassign_overdue(district) for district in District.objects.all())


@task()
def clean_up_uploads() -> int:
    """Hourly: delete expired upload sessions and their partial files. Returns how many."""
    from trellis.microcredentials.services.uploads import clean_up_expired

    return clean_up_expired()
