"""Background tasks of notifications; each is safe to run twice."""

from __future__ import annotations

from django_tasks import task


@task()
def send_weekly_digests() -> int:
    """Weekly (the runner tries daily; once per person per ISO week is enforced)."""
    from trellis.notifications.digest import send_weekly_digests as send

    return send()
