"""Background tasks of the shared kernel."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django_tasks import task


@task(queue_name="email")
def send_email(*, to: list[str], subject: str, body: str, html: str = "") -> int:
    """Send one message. Idempotence is the caller's concern: each call is one message."""
    message = EmailMultiAlternatives(
        subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=to
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()
