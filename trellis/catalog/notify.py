"""Telling an educator or approver what happened: a notice in Trellis plus the e-mail their
preference asks for (sent by a task after the transaction commits). Kept as the entry point the
apps above the catalog already call; the work is in trellis.notifications."""

from __future__ import annotations

from typing import Any

from trellis.notifications import services as notifications
from trellis.notifications.models import Kind


def notify(
    user: Any,
    *,
    subject: str,
    lines: list[str],
    path: str = "",
    kind: str = Kind.GENERAL,
    district: Any = None,
) -> None:
    notifications.notify(
        user, district=district, kind=kind, subject=subject, lines=lines, path=path
    )
