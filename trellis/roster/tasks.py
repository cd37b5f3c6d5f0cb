"""Background tasks of roster imports. Both are safe to run twice."""

from __future__ import annotations

from django_tasks import task

from trellis.roster import services, welcome


@task()
def run_roster_import(*, import_id: int) -> None:
    """Check or apply one import; a second run finds it no longer queued and does nothing."""
    services.run_import(import_id=import_id)


@task(queue_name="email")
def send_welcome_emails(*, district_id: int, user_ids: list[int]) -> int:
    """Set-your-password e-mails for people an import created (skips anyone who has a password)."""
    return welcome.send_welcome_emails(district_id=district_id, user_ids=user_ids)
