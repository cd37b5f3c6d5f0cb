"""Builders shared by the attendance, check-in, completion and survey tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from trellis.catalog.models import (
    Enrollment,
    EnrollmentStatus,
    Offering,
    OfferingSession,
    Registration,
)
from trellis.catalog.tests.factories import (
    EnrollmentFactory,
    OfferingFactory,
    OfferingSessionFactory,
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The check-in throttle lives in the cache; user ids repeat across tests."""
    cache.clear()
    yield
    cache.clear()


def hours_from_now(hours: float) -> dt.datetime:
    return timezone.now() + dt.timedelta(hours=hours)


def offering_with_sessions(
    district: Any,
    *,
    starts: list[float] = (-3,),
    length: float = 3,
    facilitator: Any = None,
    registration: str = Registration.WHOLE_OFFERING,
    **fields: Any,
) -> tuple[Offering, list[OfferingSession]]:
    """An offering whose sessions start `starts` hours from now (negative: in the past)."""
    fields.setdefault("hours", Decimal(str(length * len(starts))))
    offering = OfferingFactory(district=district, registration=registration, **fields)
    sessions = [
        OfferingSessionFactory(
            offering=offering,
            starts_at=hours_from_now(start),
            ends_at=hours_from_now(start + length),
            facilitator=facilitator,
        )
        for start in starts
    ]
    return offering, sessions


def enrol(
    offering: Offering,
    educator: Any,
    *,
    session: OfferingSession | None = None,
    status: str = EnrollmentStatus.ENROLLED,
) -> Enrollment:
    return EnrollmentFactory(offering=offering, educator=educator, session=session, status=status)


def after_answers(**change: Any) -> dict[str, Any]:
    answers = {"relevance": "4", "quality": "5", "likely_to_use": "3", "support_needed": ""}
    answers.update(change)
    return answers
