"""The one writer of a submission's history rows (who did what, when)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from trellis.microcredentials.models import Submission, SubmissionEvent


def record_event(
    submission: Submission,
    action: str,
    *,
    actor: Any = None,
    at: dt.datetime | None = None,
    **data: Any,
) -> SubmissionEvent:
    return SubmissionEvent.objects.create(
        submission=submission,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        at=at or timezone.now(),
        data=data,
    )
