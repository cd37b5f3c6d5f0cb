"""Fixtures of the informal-learning tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from trellis.informal.models import InformalRules
from trellis.informal.services import integrations
from trellis.informal.tests.helpers import Xapi


@pytest.fixture
def video_library(cast):
    """Northfield's integration and its secret."""
    return integrations.create_integration(
        access=cast.access(cast.dana), actor=cast.dana, name="Video library"
    )


@pytest.fixture
def xapi(video_library) -> Xapi:
    integration, secret = video_library
    return Xapi(integration.username, secret)


@pytest.fixture
def capped_rules(cast) -> InformalRules:
    """Northfield counts informal learning: at most 10 h a year, 2 h an entry, reflection needed."""
    return InformalRules.objects.create(
        district=cast.district_a,
        counts_toward_credit=True,
        yearly_cap_hours=10,
        entry_cap_hours=2,
        requires_reflection=True,
    )


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()
