"""What the credit services share: limits, hours per unit, and the two access checks."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from trellis.core.errors import DomainError, PermissionDenied
from trellis.credit.rules import Unit
from trellis.districts.models import Membership
from trellis.districts.permissions import Perm
from trellis.districts.queries import DistrictAccess

MAX_SALARY_CREDIT_HOURS = Decimal("999.99")
MAX_AMOUNT = Decimal("99999.99")
MAX_CYCLE_YEARS = 10
# Clock hours of learning per unit when a recorded award gives none: hour-like units are hours,
# 1 CEU = 10 contact hours, 1 semester hour = 15 contact hours (the Carnegie convention).
# Micro-credentials and salary-lane credits have no set length: give the hours explicitly.
HOURS_PER_UNIT = {
    Unit.CLOCK_HOUR: Decimal(1),
    Unit.CPE_HOUR: Decimal(1),
    Unit.CTLE_HOUR: Decimal(1),
    Unit.PDP: Decimal(1),
    Unit.CEU: Decimal(10),
    Unit.SEMESTER_HOUR: Decimal(15),
}


def _require_manager(access: DistrictAccess) -> None:
    if not access.can(Perm.MANAGE_CREDIT):
        raise PermissionDenied()


def _require_member(access: DistrictAccess, educator: Any) -> None:
    if not Membership.objects.filter(
        district=access.district, user=educator, is_active=True
    ).exists():
        raise DomainError(
            "not_in_district",
            f"{educator} has no active role in {access.district.name}.",
            details={"field": "educator"},
        )
