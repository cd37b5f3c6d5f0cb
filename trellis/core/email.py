"""Outgoing e-mail always goes through a background task, enqueued after the transaction commits."""

from __future__ import annotations

from django.db import transaction

from trellis.core.tasks import send_email


def queue_email(*, to: list[str], subject: str, body: str, html: str = "") -> None:
    def enqueue() -> None:
        send_email.enqueue(to=to, subject=subject, body=body, html=html)

    transaction.on_commit(enqueue)
