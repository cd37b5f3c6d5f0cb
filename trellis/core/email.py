"""Outgoing e-mail always goes through a background task, enqueued after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction

from trellis.core.tasks import send_email

_suppressed: ContextVar[bool] = ContextVar("trellis_email_suppressed", default=False)


@contextmanager
def email_suppressed() -> Iterator[None]:
    """No e-mail is queued inside this block: the demo seed writes months of history for
    fictional people, and nobody should be mailed about it."""
    token = _suppressed.set(True)
    try:
        yield
    finally:
        _suppressed.reset(token)


def queue_email(*, to: list[str], subject: str, body: str, html: str = "") -> None:
    if _suppressed.get():
        return

    def enqueue() -> None:
        send_email.enqueue(to=to, subject=subject, body=body, html=html)

    transaction.on_commit(enqueue)
