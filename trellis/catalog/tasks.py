"""Background tasks of the catalog; each calls a service and is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def send_follow_up_survey(*, enrollment_id: int) -> bool:
    """E-mail the educator the “did you use it?” survey once it is due, unless answered or
    already sent. Enqueued at completion with `run_after` set to the due date."""
    from trellis.catalog.services.surveys import send_follow_up_invitation

    return send_follow_up_invitation(enrollment_id=enrollment_id)
