"""Telling an educator or approver what happened: one e-mail per event, sent by a task after the
transaction commits. (In-app notifications and digests arrive with the notifications work.)"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from trellis.core.email import queue_email


def notify(user: Any, *, subject: str, lines: list[str], path: str = "") -> None:
    if not getattr(user, "email", ""):
        return
    body = "\n\n".join(lines)
    if path:
        body += f"\n\n{settings.SITE_URL.rstrip('/')}{path}"
    queue_email(to=[user.email], subject=f"Trellis: {subject}", body=body)
