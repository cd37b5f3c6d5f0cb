"""Fixtures of the growth tests: an adopted framework in Northfield and Carol's caseload."""

from __future__ import annotations

import pytest

from trellis.growth.models import CoachingAssignment
from trellis.growth.tests.factories import BuiltFramework, build_framework


@pytest.fixture
def adopted(cast) -> BuiltFramework:
    """Northfield's adopted framework: domains 1 and 2, competencies 1.1, 1.2, 2.1, 2.2, four levels."""
    return build_framework(cast.district_a)


@pytest.fixture
def caseload(cast) -> CoachingAssignment:
    """Carol (coach at Northfield Middle) coaches Alice."""
    return CoachingAssignment.objects.create(
        district=cast.district_a, coach=cast.carol, educator=cast.alice
    )
