"""Guards shared by the growth services."""

from __future__ import annotations

from typing import Any

from trellis.core.errors import DomainError
from trellis.districts.models import Membership
from trellis.districts.queries import DistrictAccess
from trellis.frameworks.models import Framework
from trellis.growth import queries


def require_adopted_framework(access: DistrictAccess) -> Framework:
    framework = queries.adopted_framework(access.district)
    if framework is None:
        raise DomainError(
            "no_adopted_framework",
            f"{access.district.name} has not adopted a competency framework yet, so there are no "
            "competencies to work with. A district PD leader adopts one under Frameworks.",
        )
    return framework


def is_member(district: Any, user: Any) -> bool:
    return Membership.objects.filter(district=district, user=user, is_active=True).exists()
